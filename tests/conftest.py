"""Shared fixtures.

``custom_components`` is imported before anything else: pytest-homeassistant-custom-component
ships a ``testing_config/custom_components`` package of its own, and whichever is imported first
owns the name. Importing ours first makes Home Assistant find this repository's integration.
"""

import custom_components  # noqa: F401  # isort: skip

import pytest


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    enable_custom_integrations: None,
) -> None:
    """Let Home Assistant load integrations from custom_components/ in every test."""
