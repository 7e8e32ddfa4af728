"""The client against every real HTTP-firmware capture: detection with the API port closed,
then one poll, compared with what a person reads off the replies (``expected_http/<folder>.py``)."""

from __future__ import annotations

import pytest

from custom_components.asic_miner.api import detect_api

from .captures import (
    CAPTURES,
    HTTPCapture,
    assert_reads,
    capture_folders,
    closed_port,
    expectations,
)


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Real sockets on loopback."""


@pytest.mark.parametrize("folder", capture_folders("http"))
async def test_real_replies(folder: str) -> None:
    expected = expectations("http", folder)
    async with HTTPCapture(CAPTURES / "http" / folder, getattr(expected, "EXTRA", None)) as server:
        api = await detect_api(
            "127.0.0.1",
            closed_port(),
            timeout=5.0,
            web_port=server.port,
            password=getattr(expected, "PASSWORD", None),
        )
        assert api.family == expected.FAMILY
        data = await api.get_data()
        await api.close()
    assert_reads(data, expected.READS)
