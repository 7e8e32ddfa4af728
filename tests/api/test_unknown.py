"""An unrecognised cgminer fork through ``UnknownAPI``: read-only generic mapping."""

from __future__ import annotations

import pytest

from custom_components.asic_miner.api import APIUnsupportedError, UnknownAPI

from .conftest import SimulatorFactory


async def test_poll_generic(simulator: SimulatorFactory) -> None:
    sim = await simulator("cgminer-fork", jitter=False)
    api = UnknownAPI("127.0.0.1", sim.port)
    data = await api.get_data()
    assert sim.requests == ["version+stats", "summary+devs+pools+stats"]
    assert data.hashrate == pytest.approx(12.0)
    assert [b.temperature for b in data.boards] == [55.0, 55.0, 55.0]
    assert data.firmware == "5.6.1"
    assert data.make is None
    assert data.model is None
    assert data.power is None
    assert data.fans == []
    assert data.pools[0].active is True


async def test_no_controls() -> None:
    api = UnknownAPI("127.0.0.1")
    assert api.capabilities == frozenset()
    with pytest.raises(APIUnsupportedError, match=r"UnknownAPI \(unknown\) cannot reboot"):
        await api.reboot()
    with pytest.raises(APIUnsupportedError):
        await api.pause_mining()
