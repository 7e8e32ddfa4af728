"""Simulator tests open real loopback sockets; pytest-socket still limits them to 127.0.0.1."""

import pytest


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Allow socket creation (connections stay restricted to 127.0.0.1)."""
