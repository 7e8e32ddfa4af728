"""Stock Antminer (S19, S9) through ``BMMinerAPI``, API and web interface."""

from __future__ import annotations

import asyncio

import pytest

from custom_components.asic_miner.api import (
    APIAuthError,
    APIUnsupportedError,
    BMMinerAPI,
    Capability,
    Fan,
    HashBoard,
)
from custom_components.asic_miner.api.antminer_stats import hottest as _hottest
from simulator import Fault, MinerSimulator

from .conftest import SimulatorFactory


def s19_api(sim: MinerSimulator, password: str | None = "root") -> BMMinerAPI:
    assert sim.web_port is not None
    return BMMinerAPI("127.0.0.1", sim.port, password=password, web_port=sim.web_port, timeout=2.0)


async def test_s19_poll(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19", web_port=0, jitter=False)
    data = await s19_api(sim).get_data()
    assert data.make == "Antminer"
    assert data.model == "S19"
    assert data.firmware == "Antminer-S19-20210325"
    assert data.mac == "02:3a:19:00:00:19"
    assert data.hostname == "Antminer"
    assert data.serial == "JYZZA3BBCJDBF0123"
    assert data.hashrate == pytest.approx(95.01)
    assert data.expected_hashrate == pytest.approx(95.01)
    assert data.power is None
    assert data.efficiency is None
    assert data.is_mining is True
    assert data.boards == [
        HashBoard(
            index=i,
            hashrate=pytest.approx(31.67),
            temperature=62.0,
            chip_temperature=77.0,
            chips=76,
        )
        for i in range(3)
    ]
    assert data.temperature == 62.0
    assert data.chip_temperature == 77.0
    assert data.fans == [Fan(0, 5520), Fan(1, 5580), Fan(2, 5640), Fan(3, 5460)]
    assert [pool.active for pool in data.pools] == [True, False]
    assert data.pools[0].user == "homeminer.001"
    assert data.errors == []
    assert data.uptime is not None


async def test_s9_poll_without_web(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s9", jitter=False)
    api = BMMinerAPI("127.0.0.1", sim.port)
    data = await api.get_data()
    assert sim.requests == ["version", "summary+pools+stats"]
    assert data.model == "S9"
    assert data.firmware == "2.0.0"
    assert data.mac is None
    assert data.serial is None
    assert data.hashrate == pytest.approx(13.5)  # "GHS 5s" quoted as a string
    assert [board.chips for board in data.boards] == [63, 63, 63]
    assert [board.chip_temperature for board in data.boards] == [75.0, 75.0, 75.0]
    assert data.fans == [Fan(2, 5880), Fan(5, 5760)]  # slots 3 and 6
    assert api.capabilities == frozenset()
    assert api.work_modes == ()
    with pytest.raises(APIUnsupportedError, match="without the web password"):
        await api.reboot()


async def test_dead_chips_reported(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s9")
    api = BMMinerAPI("127.0.0.1", sim.port)
    await api.get_data()
    stats = api.last_replies["stats"][0]["STATS"][1]
    stats["chain_acs7"] = "oooxoooo ooooxxoo"
    data = api._map(api.last_replies, await api.get_identity())
    assert data.errors == ["hash board 1: 3 chip(s) not responding"]


async def test_controls_change_the_miner(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19", web_port=0)
    api = s19_api(sim)
    assert api.capabilities == {
        Capability.REBOOT,
        Capability.PAUSE_RESUME,
        Capability.FAULT_LIGHT,
        Capability.WORK_MODE,
    }
    assert api.work_modes == ("normal", "sleep", "low")
    await api.pause_mining()
    assert sim.state.paused is True
    paused = await api.get_data()
    assert paused.hashrate == 0
    assert paused.is_mining is False
    assert paused.work_mode == "sleep"
    await api.resume_mining()
    assert sim.state.paused is False
    assert (await api.get_data()).hashrate > 90
    await api.set_work_mode("low")
    assert sim.state.work_mode == "low"
    with pytest.raises(ValueError, match="unknown work mode"):
        await api.set_work_mode("turbo")
    await api.set_fault_light(True)
    assert sim.state.fault_light is True
    await api.set_fault_light(False)
    assert sim.state.fault_light is False
    assert "set_miner_conf.cgi" in sim.received
    with pytest.raises(APIUnsupportedError):
        await api.set_power_limit(2000)


async def test_reboot_takes_miner_offline(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19", web_port=0)
    sim.reboot_seconds = 0.3
    sim.web_reboot_seconds = 0.3  # type: ignore[attr-defined]
    api = s19_api(sim)
    api.connect_timeout = 0.5
    await api.get_identity()
    await api.reboot()
    assert api._identity is None  # re-read after a reboot
    await asyncio.sleep(0.15)
    assert sim.offline
    for _ in range(50):
        if not sim.offline:
            break
        await asyncio.sleep(0.05)
    data = await api.get_data()
    assert data.uptime is not None
    assert data.uptime <= 1


async def test_wrong_password(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19", web_port=0)
    api = s19_api(sim, password="not-root")
    with pytest.raises(APIAuthError):
        await api.get_identity()
    with pytest.raises(APIAuthError):
        await api.pause_mining()
    assert sim.state.paused is False


async def test_web_unreachable_keeps_api_identity(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19")
    api = BMMinerAPI("127.0.0.1", sim.port, password="root", web_port=sim.port, timeout=1.0)
    sim2 = await simulator("antminer-s19", web_port=0)
    await sim2.stop()  # a port that was a web server and now refuses
    assert sim2.web_port is not None
    api.web_port = sim2.web_port
    identity = await api.get_identity()
    assert identity.model == "S19"
    assert identity.firmware == "1.0.0"
    assert identity.mac is None


async def test_wrong_password_fault(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19", web_port=0)
    api = s19_api(sim)
    sim.set_fault(Fault.WRONG_PASSWORD)
    with pytest.raises(APIAuthError):
        await api.set_fault_light(True)
    sim.set_fault(Fault.NONE)
    await api.set_fault_light(True)
    assert sim.state.fault_light


@pytest.mark.parametrize(
    ("value", "expected"),
    [("60-59-62-61", 62.0), (55, 55.0), ("57", 57.0), ("-", None), (None, None), ("0-0-x-0", 0.0)],
)
def test_hottest(value: object, expected: float | None) -> None:
    assert _hottest(value) == expected


async def test_fans_without_fan_num_and_rate_units(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19")
    api = BMMinerAPI("127.0.0.1", sim.port)
    identity = await api.get_identity()
    replies = {
        "summary": [{"SUMMARY": [{"Elapsed": 5}]}],
        "stats": [
            {
                "STATS": [
                    {"BMMiner": "1.0.0"},
                    {
                        "STATS": 0,
                        "fan1": 3000,
                        "fan2": 0,
                        "chain_rate1": "12.5",
                        "chain_acn1": 0,
                        "rate_unit": "TH",
                        "total_rateideal": 13,
                    },
                ]
            }
        ],
    }
    data = api._map(replies, identity)
    assert data.fans == [Fan(0, 3000), Fan(1, 0)]
    assert data.hashrate == 12.5  # no summary rate: sum of boards
    assert data.expected_hashrate == 13
    assert data.boards[0].chips == 0
    assert api._map({}, identity).boards == []
