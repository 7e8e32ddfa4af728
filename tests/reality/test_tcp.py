"""The client against every real CGMiner-API capture: detection, then one poll, compared with
what a person reads off the replies (``expected_tcp/<folder>.py``)."""

from __future__ import annotations

import pytest

from custom_components.asic_miner.api import detect_api

from .captures import CAPTURES, TCPCapture, assert_reads, capture_folders, closed_port, expectations


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Real sockets on loopback."""


@pytest.mark.parametrize("folder", capture_folders("tcp"))
async def test_real_replies(folder: str) -> None:
    expected = expectations("tcp", folder)
    async with TCPCapture(
        CAPTURES / "tcp" / folder, joins=getattr(expected, "JOINS", True)
    ) as server:
        api = await detect_api("127.0.0.1", server.port, timeout=5.0, web_port=closed_port())
        assert api.family == expected.FAMILY
        data = await api.get_data()
        await api.close()
    assert_reads(data, expected.READS)
