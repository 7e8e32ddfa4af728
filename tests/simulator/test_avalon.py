"""The Avalon personalities over real loopback sockets: the shapes real Canaan firmware writes
(issue 13) and the ``ascset`` options of each model, answered as Canaan's cgminer does."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import pytest

from simulator import MinerSimulator
from simulator.personalities.avalon import SOFT_OFF

from .test_personalities import ask


async def command(sim: MinerSimulator, name: str, parameter: str | None = None) -> Any:
    body: dict[str, str] = {"command": name}
    if parameter is not None:
        body["parameter"] = parameter
    raw = await ask(sim.port or 0, body)
    return json.loads(raw.rstrip(b"\x00"))


async def ascset(sim: MinerSimulator, parameter: str) -> tuple[str, int, str]:
    status = (await command(sim, "ascset", parameter))["STATUS"][0]
    return status["STATUS"], status["Code"], status["Msg"]


def fields(text: str) -> dict[str, str]:
    return dict(re.findall(r"([A-Za-z_][\w ]*?)\[([^\]]*)\]", text))


async def test_a_series_replies_as_canaan_writes_them() -> None:
    """One ``ASC 0`` device with numbers; ``WALLPOWER`` equal to the last ``PS`` element;
    ``MPO`` sent; ``stats`` ends with ``POOL<n>`` entries; ``MHS 30s`` in the summary."""
    async with MinerSimulator("avalon", seed=1, jitter=False) as sim:
        devs = (await command(sim, "devs"))["DEVS"]
        assert len(devs) == 1
        assert devs[0]["ASC"] == 0
        assert devs[0]["Temperature"] == -273.0
        assert all(not isinstance(value, str) for key, value in devs[0].items() if "MHS" in key)
        entries = (await command(sim, "stats"))["STATS"]
        assert entries[0]["ID"] == "AVA100"
        assert [entry["ID"] for entry in entries[1:]] == ["POOL0"]
        assert all("Elapsed" in entry for entry in entries)
        text = fields(entries[0]["MM ID0"])
        assert text["WALLPOWER"] == text["PS"].split()[-1] == "3420"
        assert text["MPO"] == "3420"
        assert text["Ver"] == "1246-21042001_4ec6bb0_61407fa"
        assert (await command(sim, "estats"))["STATS"][0]["ID"] == "AVA100"
        summary = (await command(sim, "summary"))["SUMMARY"][0]
        assert "MHS 30s" in summary
        assert "MHS 5s" not in summary
        version = (await command(sim, "version"))["VERSION"][0]
        assert version["VERSION"] == "21042001_4ec6bb0_61407fa"
        assert "LVERSION" not in version
        details = (await command(sim, "devdetails"))["DEVDETAILS"]
        assert [(d["Name"], d["Driver"]) for d in details] == [("AVA10", "avalon")]
        pools = (await command(sim, "pools"))["POOLS"]
        assert pools[0]["Password"] == "avalon-pool-secret"


async def test_a_series_ascset() -> None:
    async with MinerSimulator("avalon", seed=1) as sim:
        assert await ascset(sim, "0,workmode,255") == ("I", 118, "ASC 0 set info: WORKMODE[0]")
        assert await ascset(sim, "0,workmode,1") == ("I", 118, "ASC 0 set info: WORKMODE[1]")
        assert sim.state.work_mode == "high"
        assert (await ascset(sim, "0,workmode,set,1"))[0] == "E"
        assert await ascset(sim, "0,led,1-1") == ("S", 119, "ASC 0 set OK")
        assert await ascset(sim, "0,led,1-255") == ("I", 118, "ASC 0 set info: LED[1]")
        assert (await ascset(sim, "0,led,2-1"))[2] == "ASC 0 set failed: invalid led 2-1"
        assert (await ascset(sim, "0,hashpower"))[2].startswith("ASC 0 set info: PS[0 1217 ")
        assert (await ascset(sim, "0,hashpower,0"))[2] == "ASC 0 set info: Power off hash now ..."
        assert sim.state.paused
        assert (await ascset(sim, "0,hashpower"))[2] == "ASC 0 set info: PS[0 1222 4 0 0 2245 120]"
        assert (await ascset(sim, "0,fan-spd,50"))[2] == "ASC 0 set failed: Unknown option: fan-spd"
        assert (await ascset(sim, "x"))[1] == 15
        assert (await ascset(sim, "2,led,1-1"))[2] == "Invalid ASC id 2 - range is 0 - 0"
        assert (await ascset(sim, "0"))[1] == 116
        help_text = (await ascset(sim, "0,help"))[2]
        assert help_text.startswith("ASC 0 set info: help|hashpower|")
        assert (await command(sim, "restart"))["STATUS"] == "RESTART"


async def test_q_new_layout_and_litestats() -> None:
    async with MinerSimulator("avalon-q", seed=1, jitter=False) as sim:
        entry = (await command(sim, "stats"))["STATS"][0]
        text = entry["MM ID0:Summary"]
        assert text.startswith("'STATS':{Ver[Q-25052801_14a19a2] ")
        assert text.endswith(" Nonce Mask[25]}")
        assert "WALLPOWER" not in text
        assert entry["HBinfo"].startswith("'HB0':{PVT_T0[")
        assert len(fields(entry["HBinfo"])["MW0"].split()) == 160
        lite = (await command(sim, "litestats"))["STATS"]
        assert lite == [{"MM ID0:Summary": lite[0]["MM ID0:Summary"]}]
        version = (await command(sim, "version"))["VERSION"][0]
        assert version["MAC"] == "E0:E1:A9:52:7C:11"
        assert list(version)[-2:] == ["DNA", "MAC"]
        assert version["LVERSION"] == version["CGVERSION"] == "25052801_14a19a2"
        assert (await command(sim, "restart"))["STATUS"][0]["Msg"] == "Invalid command"
        assert await ascset(sim, "0,voltage") == (
            "I",
            118,
            "ASC 0 set info: PS[0 1217 2396 53 1259 2397 1339]",
        )


async def test_q_soft_off_is_idle() -> None:
    async with MinerSimulator("avalon-q", seed=1, jitter=False) as sim:
        status, code, message = await ascset(sim, "0,softoff,1:1753434821")
        assert (status, code, message) == ("I", 118, "ASC 0 set info: success softoff:1753434821")
        text = fields((await command(sim, "stats"))["STATS"][0]["MM ID0:Summary"])
        assert text["SoftOFF"] == str(SOFT_OFF)
        assert text["SYSTEMSTATU"] == "Work: In Idle, Hash Board: 1"
        assert (text["TMax"], text["TAvg"], text["GHSspd"]) == ("0", "0", "0.00")
        assert [text[f"Fan{i}"] for i in range(1, 5)] == ["0"] * 4
        assert text["PS"] == "0 1222 4 0 0 2245 146"
        assert text["SoftOffTime"] == "1753434821"
        summary = (await command(sim, "summary"))["SUMMARY"][0]
        assert summary["MHS 5s"] == 0
        assert summary["MHS av"] > 70_000_000  # the run's average stays
        assert (await ascset(sim, "0,softoff,0:1"))[2] == "ASC 0 set failed: invalid softoff value"
        assert (await ascset(sim, "0,softon,1:1753434900"))[0] == "I"
        assert not sim.state.paused


async def test_q_settings() -> None:
    async with MinerSimulator("avalon-q", seed=1) as sim:
        assert await ascset(sim, "0,workmode,set,2") == ("S", 119, "ASC 0 set OK")
        assert sim.state.work_mode == "super"
        assert sim.state.target_temperature == 85
        assert (await ascset(sim, "0,workmode,get"))[2] == "ASC 0 set info: workmode 2"
        assert (await ascset(sim, "0,workmode,set,5"))[0] == "E"
        assert (await ascset(sim, "0,worklevel,get"))[2] == "ASC 0 set info: worklevel 0"
        assert (await ascset(sim, "0,worklevel,set,1"))[0] == "E"
        assert await ascset(sim, "0,fan-spd,80") == ("S", 119, "ASC 0 set OK")
        assert (sim.state.fan_mode, sim.state.fan_percent) == ("manual", 80)
        assert (await ascset(sim, "0,fan-spd,-1"))[0] == "S"
        assert sim.state.fan_mode == "auto"
        assert (await ascset(sim, "0,fan-spd,5"))[2] == "ASC 0 set failed: invalid fan-spd 5"
        assert (await ascset(sim, "0,target-temp,70"))[2].endswith("Unknown option: target-temp")
        assert (await ascset(sim, "0,lcd,0:0"))[2] == "ASC 0 set info: success lcd:id[0] val[0]"
        assert (await ascset(sim, "0,lcd,0"))[0] == "E"
        text = fields((await command(sim, "litestats"))["STATS"][0]["MM ID0:Summary"])
        assert text["LcdOnoff"] == "0"
        assert (await ascset(sim, "0,reboot,400"))[
            2
        ] == "ASC 0 set failed: invalid reboot delay 400"


async def test_nano3s_target_and_led() -> None:
    async with MinerSimulator("avalon-nano3s", seed=1) as sim:
        sim.reboot_seconds = 0.05
        text = fields((await command(sim, "estats"))["STATS"][0]["MM ID0"])
        assert (text["ITemp"], text["TarT"], text["LED"]) == ("-273", "90", "1-0")
        assert await ascset(sim, "0,target-temp,60") == ("S", 119, "ASC 0 set OK")
        assert sim.state.target_temperature == 60
        assert (await ascset(sim, "0,target-temp,99"))[0] == "E"
        assert (await ascset(sim, "0,ledset,0-100-50-255-0-0"))[2] == "ASC 0 set info: led set ok"
        assert (await ascset(sim, "0,ledset,9-1-1-1-1-1"))[0] == "E"
        assert (await ascset(sim, "0,worklevel,set,0"))[0] == "E"
        assert (await ascset(sim, "0,reboot,0"))[0] == "S"
        await asyncio.sleep(0.3)
        assert sim.state.target_temperature == 90  # the mode's default again after a reboot
        text = fields((await command(sim, "estats"))["STATS"][0]["MM ID0"])
        assert text["LED"] == "0-0"


@pytest.mark.parametrize(
    ("parameter", "reply"),
    [
        ("0,worklevel,set,-1", ("S", 119, "ASC 0 set OK")),
        ("0,worklevel,get", ("I", 118, "ASC 0 set info: worklevel 0")),
        ("0,worklevel,set,3", ("E", 120, "ASC 0 set failed: invalid worklevel set,3")),
    ],
)
async def test_mini3_levels(parameter: str, reply: tuple[str, int, str]) -> None:
    async with MinerSimulator("avalon-mini3", seed=1) as sim:
        assert await ascset(sim, parameter) == reply
        if reply[0] == "S":
            assert sim.personality.level == "eco"  # type: ignore[attr-defined]
            text = fields((await command(sim, "stats"))["STATS"][0]["MM ID0:Summary"])
            assert (text["WORKLEVEL"], text["MPO"]) == ("-1", "600")
