"""AvalonMiner through ``AvalonAPI``: MM ID parsing, nan/inf, ascset controls."""

from __future__ import annotations

import asyncio

import pytest

from custom_components.asic_miner.api import APIError, Capability, Fan
from custom_components.asic_miner.api.avalon import AvalonAPI, _format_mac, parse_mm_id

from .conftest import SimulatorFactory


async def test_poll(simulator: SimulatorFactory) -> None:
    sim = await simulator("avalon", jitter=False)
    api = AvalonAPI("127.0.0.1", sim.port)
    data = await api.get_data()
    assert sim.requests == ["version", "summary+pools+estats"]
    assert data.make == "Avalon"
    assert data.model == "1246"
    assert data.firmware == "21042001_4ec6bb0_61407fa"
    assert data.mac == "b4:a2:eb:3c:0b:9d"
    assert data.hashrate == pytest.approx(90.0)
    assert data.expected_hashrate == pytest.approx(90.0)
    assert data.power == 3420
    assert data.power_limit is None
    assert data.efficiency == pytest.approx(38.0)
    assert [b.hashrate for b in data.boards] == pytest.approx([30.0, 30.0, 30.0])
    assert [b.temperature for b in data.boards] == [68.0, 68.0, 68.0]
    assert data.chip_temperature == 88.0
    assert data.fans == [Fan(0, 7440), Fan(1, 7380), Fan(2, 7500), Fan(3, 7420)]
    assert data.is_mining is True
    assert data.fault_light is False
    assert data.work_mode == "normal"
    assert data.pools[0].url == "stratum+tcp://btc.viabtc.io:3333"


async def test_bare_nan_inf_in_devs(simulator: SimulatorFactory) -> None:
    sim = await simulator("avalon")
    reply = await AvalonAPI("127.0.0.1", sim.port).devs()
    assert reply["DEVS"][0]["Device Hardware%"] is None
    assert reply["DEVS"][0]["Device Rejected%"] is None


async def test_controls(simulator: SimulatorFactory) -> None:
    sim = await simulator("avalon")
    api = AvalonAPI("127.0.0.1", sim.port)
    assert Capability.PAUSE_RESUME in api.capabilities
    assert api.work_modes == ("low", "normal", "high")
    await api.pause_mining()
    assert sim.state.paused
    paused = await api.get_data()
    assert paused.is_mining is False
    assert paused.hashrate == 0
    assert paused.power == sim.state.idle_power
    await api.resume_mining()
    assert not sim.state.paused
    await api.set_work_mode("low")
    low = await api.get_data()
    assert low.work_mode == "low"
    assert low.power is not None
    assert low.power < 3000  # a lower level draws less
    await api.set_fault_light(True)
    assert (await api.get_data()).fault_light is True
    await api.set_fault_light(False)
    assert sim.state.fault_light is False
    with pytest.raises(ValueError, match="unknown work mode"):
        await api.set_work_mode("turbo")
    sent = [c for c in sim.received if c == "ascset"]
    assert len(sent) == 5


async def test_refused_ascset(simulator: SimulatorFactory) -> None:
    sim = await simulator("avalon")
    api = AvalonAPI("127.0.0.1", sim.port)
    with pytest.raises(APIError, match="ascset 0,bogus: ASC 0 set failed"):
        await api._ascset("0,bogus")
    with pytest.raises(APIError, match="missing parameter"):
        await api._ascset("1")
    with pytest.raises(APIError, match="invalid worklevel"):
        await api._ascset("0,worklevel,set,9")
    with pytest.raises(APIError, match="invalid worklevel"):
        await api._ascset("0,worklevel,set,x")


async def test_restart_and_reboot(simulator: SimulatorFactory) -> None:
    sim = await simulator("avalon")
    sim.reboot_seconds = 0.2
    api = AvalonAPI("127.0.0.1", sim.port, connect_timeout=0.5, timeout=1.0)
    await api.restart_backend()
    assert "restart" in sim.received
    await api.get_identity()
    await api.reboot()
    assert api._identity is None
    await asyncio.sleep(0.1)
    assert sim.offline
    await asyncio.sleep(0.3)
    assert (await api.get_data()).mac == "b4:a2:eb:3c:0b:9d"


async def test_restart_refused(simulator: SimulatorFactory) -> None:
    sim = await simulator("cgminer-fork")  # has no restart command
    with pytest.raises(APIError, match="restart: Invalid command"):
        await AvalonAPI("127.0.0.1", sim.port).restart_backend()


def test_parse_mm_id() -> None:
    text = "Ver[1246-83] DNA[0201] Fan1[7440] MGHS[30.1 29.9 inf] PS[0 1206 1291 0 3382] junk"
    fields = parse_mm_id(text)
    assert fields["Ver"] == "1246-83"
    assert fields["Fan1"] == "7440"
    assert fields["MGHS"] == "30.1 29.9 inf"
    assert fields["PS"] == "0 1206 1291 0 3382"
    assert "junk" not in fields
    assert parse_mm_id("") == {}
    assert parse_mm_id("[x] A[1] A[2]") == {"A": "1"}


def test_parse_mm_id_linear_on_huge_input() -> None:
    assert parse_mm_id("[" * 2_000_000) == {}
    assert len(parse_mm_id("K[v] " * 200_000)) == 1


def test_mapping_edge_cases() -> None:
    api = AvalonAPI("127.0.0.1")
    from custom_components.asic_miner.api import MinerIdentity

    replies = {
        "summary": [{"SUMMARY": [{"MHS 1m": 5_000_000.0, "Elapsed": 3}]}],
        "estats": [{"STATS": [{"STATS": 0, "MM ID0": "TMax[91] MGHS[] PS[0 1]"}]}],
    }
    data = api._map(replies, MinerIdentity())
    assert data.hashrate == pytest.approx(5.0)
    assert data.chip_temperature == 91.0
    assert data.power is None
    nano = {"estats": [{"STATS": [{"MM ID0": "PS[0 0 27458 4 0 3990 130] MPO[133]"}]}]}
    assert api._map(nano, MinerIdentity()).power == 133
    assert data.is_mining is True
    empty = api._map({}, MinerIdentity())
    assert empty.hashrate is None
    assert empty.is_mining is None
    assert _format_mac("b4a2eb3c0b9d") == "b4:a2:eb:3c:0b:9d"
    assert _format_mac("B4-A2-EB-3C-0B-9D") == "b4:a2:eb:3c:0b:9d"
    assert _format_mac("zz") is None
    assert _format_mac(None) is None


async def test_command_methods(simulator: SimulatorFactory) -> None:
    sim = await simulator("avalon")
    api = AvalonAPI("127.0.0.1", sim.port)
    assert "MM ID0" in (await api.estats())["STATS"][0]
    assert (await api.ascset("0,led,1-1"))["STATUS"][0]["STATUS"] == "I"
    assert sim.state.fault_light
    with pytest.raises(APIError, match="unknown option"):
        await api.ascset("0,nope")
