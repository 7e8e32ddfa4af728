"""Goldshell (BFGMiner API) through ``BFGMinerAPI``."""

from __future__ import annotations

import pytest

from custom_components.asic_miner.api import BFGMinerAPI, Fan, MinerIdentity

from .conftest import SimulatorFactory


async def test_poll(simulator: SimulatorFactory) -> None:
    sim = await simulator("goldshell", jitter=False)
    api = BFGMinerAPI("127.0.0.1", sim.port)
    data = await api.get_data()
    assert sim.requests == ["version", "devdetails", "summary+devs+pools+stats"]
    assert "procs" in api.commands
    assert data.make == "Goldshell"
    assert data.model == "KD5"
    assert data.firmware == "5.5.0"
    assert data.hashrate == pytest.approx(18.0)
    assert [b.hashrate for b in data.boards] == pytest.approx([4.5] * 4)
    assert [b.chips for b in data.boards] == [60] * 4
    assert data.temperature == 58.0
    assert data.chip_temperature == 71.0
    assert data.fans == [Fan(0, 4380), Fan(1, 4410)]
    assert data.power is None
    assert api.capabilities == frozenset()


async def test_procs_command_refused_by_sim(simulator: SimulatorFactory) -> None:
    sim = await simulator("goldshell")
    reply = await BFGMinerAPI("127.0.0.1", sim.port).send_command("procs", ignore_errors=True)
    assert reply["STATUS"][0]["Msg"] == "Invalid command"


def test_mapping_without_summary_rate() -> None:
    api = BFGMinerAPI("127.0.0.1")
    replies = {
        "devs": [{"DEVS": [{"MHS rolling": 1_000_000.0}, {"PGA": 7, "MHS av": 2_000_000.0}]}],
    }
    data = api._map(replies, MinerIdentity())
    assert data.hashrate == pytest.approx(3.0)
    assert [b.index for b in data.boards] == [0, 7]
    assert data.fans == []


async def test_procs_method(simulator: SimulatorFactory) -> None:
    from custom_components.asic_miner.api import APIError

    sim = await simulator("goldshell")
    with pytest.raises(APIError, match="procs: Invalid command"):
        await BFGMinerAPI("127.0.0.1", sim.port).procs()
