"""Goldshell (BFGMiner API) through ``BFGMinerAPI``: against the simulated KD5 over loopback
sockets, and its mapping of replies shaped as live Goldshell units write them."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.asic_miner.api import APIError, BFGMinerAPI, Fan, MinerIdentity, detect_api
from custom_components.asic_miner.api.detect import identify_family
from custom_components.asic_miner.api.refresh import REFRESHED
from simulator import MinerSimulator
from simulator.personalities import Goldshell

from .conftest import SimulatorFactory

STEADY = "summary+devs"


def _personality(sim: MinerSimulator) -> Goldshell:
    personality = sim.personality
    assert isinstance(personality, Goldshell)
    return personality


async def test_poll(simulator: SimulatorFactory) -> None:
    """Boards from devs (tstemp-2 board, tstemp-0/1 chips), chips from devdetails, fans from
    the devs rows; one joined request per steady poll."""
    sim = await simulator("goldshell", jitter=False)
    api = BFGMinerAPI("127.0.0.1", sim.port)
    data = await api.get_data()
    assert sim.requests == ["version+devdetails", f"{STEADY}+devdetails+pools"]
    assert (data.make, data.model, data.firmware) == ("Goldshell", "KD5", "5.5.0")
    assert data.hashrate == pytest.approx(18.0)
    assert data.average_hashrate == pytest.approx(18.0)
    assert [b.index for b in data.boards] == [0, 1, 2, 3]
    assert [b.hashrate for b in data.boards] == pytest.approx([4.5] * 4)
    assert [b.chips for b in data.boards] == [60] * 4
    assert (data.temperature, data.chip_temperature) == (58.0, 71.0)
    assert data.fans == [Fan(0, 4380), Fan(1, 4410)]
    assert data.pools[0].user == "goldshell.kd5"
    assert (data.shares_accepted, data.blocks_found) == (12345, 0)
    assert (data.power, data.expected_hashrate) == (None, None)
    assert api.capabilities == frozenset()
    sim.requests.clear()
    steady = await api.get_data()
    assert sim.requests == [STEADY]
    assert [b.chips for b in steady.boards] == [60] * 4
    assert steady.pools == data.pools


async def test_without_joins(simulator: SimulatorFactory) -> None:
    """A firmware refusing joined commands is asked one command at a time, and still read."""
    sim = await simulator("goldshell", jitter=False)
    _personality(sim).supports_multicommand = False  # type: ignore[misc]
    api = BFGMinerAPI("127.0.0.1", sim.port)
    await api.get_data()
    sim.requests.clear()
    data = await api.get_data()
    assert sim.requests == ["summary", "devs"]
    assert data.hashrate == pytest.approx(18.0)


@pytest.mark.parametrize("joins", [True, False])
async def test_identity_refused(simulator: SimulatorFactory, joins: bool) -> None:
    """version and devdetails refused (in a join or alone): the readings come, firmware and
    model None; the make is Goldshell all the same."""
    sim = await simulator("goldshell", jitter=False)
    personality = _personality(sim)
    personality.supports_multicommand = joins  # type: ignore[misc]
    for command in ("version", "devdetails"):
        setattr(personality, f"cmd_{command}", lambda _p: personality.error(14, "Invalid command"))
    data = await BFGMinerAPI("127.0.0.1", sim.port).get_data()
    assert (data.make, data.model, data.firmware) == ("Goldshell", None, None)
    assert [b.chips for b in data.boards] == [None] * 4
    assert data.hashrate == pytest.approx(18.0)


async def test_detected_by_what_bfgminer_writes(simulator: SimulatorFactory) -> None:
    """BFGMiner's version says CGMiner with Miner "bfgminer …": still Goldshell's family."""
    sim = await simulator("goldshell")
    assert isinstance(await detect_api("127.0.0.1", sim.port, timeout=2.0), BFGMinerAPI)
    version = {"VERSION": [{"Miner": "bfgminer 5.4.2", "CGMiner": "5.4.2", "API": "3.1"}]}
    assert identify_family({"version": version}) == "bfgminer"
    kda = {"STATUS": [{"STATUS": "S", "Description": "KDAMiner 1.0"}], "VERSION": [{"API": "3"}]}
    assert identify_family({"version": kda}) == "bfgminer"


async def test_procs_command_refused_by_sim(simulator: SimulatorFactory) -> None:
    sim = await simulator("goldshell")
    api = BFGMinerAPI("127.0.0.1", sim.port)
    assert "procs" in api.commands
    reply = await api.send_command("procs", ignore_errors=True)
    assert reply["STATUS"][0]["Msg"] == "Invalid command"
    with pytest.raises(APIError, match="procs: Invalid command"):
        await api.procs()


# --- replies shaped as live Goldshell units write them (own values) ---------------------------


def _reply(section: str, *entries: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"STATUS": [{"STATUS": "S", "Code": 1, "Msg": ""}], section: list(entries)}]


def _map(api: BFGMinerAPI, **replies: list[dict[str, Any]]) -> Any:
    polled: dict[str, Any] = {**replies, REFRESHED: [], "multicommand": True}
    api._remember(polled, MinerIdentity())
    return api._map(polled, MinerIdentity())


def _row(board: int, **fields: Any) -> dict[str, Any]:
    return {"ID": board, "MHS 20s": 2_000_000.0, "Status": "Alive", "clock": 800.0, **fields}


def test_live_layout() -> None:
    """Rows out of order by ID; tstemp-2 is the board, the hotter chip channel the chip;
    fans repeat on every row (the slowest reading kept); devdetails under DEVDETAILS too."""
    devs = _reply(
        "DEVS",
        _row(1, **{"tstemp-0": 90.0, "tstemp-1": 91.0, "tstemp-2": 80.5, "fan0": 2100}),
        _row(0, **{"tstemp-0": 88.0, "tstemp-1": 87.0, "tstemp-2": 78.7, "fan0": 2040}),
    )
    details = _reply("DEVDETAILS", {"ID": 0, "chips-nr": 84}, {"ID": 1, "chips-nr": 83})
    summary = _reply("SUMMARY", {"Elapsed": 60, "MHS 20s": 4_100_000.0, "MHS av": 9e9})
    data = _map(BFGMinerAPI("127.0.0.1"), devs=devs, devdetails=details, summary=summary)
    assert [(b.index, b.temperature, b.chip_temperature, b.chips) for b in data.boards] == [
        (0, 78.7, 88.0, 84),
        (1, 80.5, 91.0, 83),
    ]
    assert data.fans == [Fan(0, 2040)]
    assert (data.hashrate, data.average_hashrate, data.uptime) == (4.1, 9000.0, 60)


def test_placeholders_and_empty_slots() -> None:
    """Chip channels at 0 or below are no reading; a fan slot at 0 that never spun is none;
    without tstemp, the classic Temperature; no summary rate: the boards' sum, never av."""
    api = BFGMinerAPI("127.0.0.1")
    devs = _reply(
        "DEVS",
        _row(0, **{"tstemp-0": 0, "tstemp-1": -1, "tstemp-2": 60.0, "fan0": 3000, "fan1": 0}),
        {"PGA": 5, "MHS rolling": 1_000_000.0, "Temperature": 55.0},
        {"MHS 5s": 0.0},
    )
    data = _map(api, devs=devs, summary=_reply("SUMMARY", {"MHS av": 9e9}))
    assert [(b.index, b.temperature, b.chip_temperature) for b in data.boards] == [
        (0, 60.0, None),
        (2, None, None),  # no ID: its position
        (5, 55.0, None),
    ]
    assert data.fans == [Fan(0, 3000)]
    assert data.hashrate == pytest.approx(3.0)
    stopped = _reply("DEVS", _row(0, fan0=0, fan1=0))
    assert _map(api, devs=stopped).fans == [Fan(0, 0)]  # fan 0 spun before: dead, kept


def test_a_fan_key_with_a_huge_number_is_no_fan() -> None:
    """``fan<digits>`` past any slot (thousands of digits, beyond ``int``'s limit on text) or
    with digits that are not ASCII (``fan٣``) is not read as a fan, and maps without an
    error."""
    api = BFGMinerAPI("127.0.0.1")
    devs = _reply("DEVS", _row(0, fan0=3000, **{"fan" + "9" * 5000: 1200, "fan٣": 1100}))
    assert _map(api, devs=devs).fans == [Fan(0, 3000)]
