"""ePIC UMC over real loopback HTTP on the API port: reads, and controls with the password in
the body answering ``{"result", "error"}``."""

from __future__ import annotations

from typing import Any

import pytest

from simulator import Fault, MinerSimulator

from .test_axeos import rebooted, wait_until
from .web import call


async def get(sim: MinerSimulator, path: str) -> Any:
    reply = await call(sim.port, f"/{path}")
    assert reply.status == 200
    assert reply.content_type == "application/json"
    return reply.json()


async def post(sim: MinerSimulator, path: str, body: Any) -> Any:
    reply = await call(sim.port, f"/{path}", "POST", json=body)
    assert reply.status == 200
    return reply.json()


async def test_reads() -> None:
    async with MinerSimulator("epic-s19jpro", jitter=False) as sim:
        assert sim.web_port is None
        summary = await get(sim, "summary")
        assert summary["Software"] == "PowerPlay-BMS v1.5.13"
        assert summary["Status"]["Operating State"] == "Mining"
        assert summary["Status"]["Last Error"] is None
        assert [hb["Index"] for hb in summary["HBs"]] == [0, 1, 2]
        mhs = 34_700_000 * 3000 / 3050  # the 3000 W preset of a 3050 W machine
        assert summary["HBs"][0]["Hashrate"] == [pytest.approx(mhs, abs=0.1), 98.4, 0.8]
        assert summary["HBs"][0]["Temperature"] == 63.0
        assert summary["Session"]["Average MHs"] == pytest.approx(3 * mhs, abs=1)
        assert summary["Power Supply Stats"]["Input Power"] == 3000.0
        assert summary["PresetInfo"]["Target Power"] == 3000
        rpm = summary["Fans Rpm"]
        assert len(rpm) == 12
        assert (rpm["Fans Speed 1"], rpm["Fans Speed 4"]) == (5970, None)
        assert summary["Fans"]["Fan Mode"] == {"Auto": {"Idle Speed": 20, "Target Temperature": 60}}
        assert summary["Misc"]["Locate Miner State"] is False
        assert summary["Stratum"]["Current Pool"] == "mine.example-pool.com:3334"
        assert summary["StratumConfigs"][0]["password"] == "x"  # in clear, as the firmware
        capabilities = await get(sim, "capabilities")
        assert (capabilities["Model"], capabilities["Default Hashrate"]) == (
            "AntMiner S19j Pro",
            104,
        )
        assert len(capabilities["Board Serial Numbers"]) == 3
        network = await get(sim, "network")
        assert network["dhcp"]["mac_address"] == "E6:00:00:19:4A:01"
        temps = await get(sim, "temps")
        assert temps[1] == {"Data": [49.0, 61.0], "Index": 1, "Total": 0.0}
        hashrate = await get(sim, "hashrate")
        assert len(hashrate[0]["Data"]) == 126
        assert hashrate[0]["Total"][0] == pytest.approx(mhs, abs=0.1)
        assert len((await get(sim, "clocks"))[0]["Data"]) == 126
        assert (await get(sim, "voltages"))[0] == {"Data": 13.6, "Index": 0}
        assert sim.requests == [
            "GET /summary",
            "GET /capabilities",
            "GET /network",
            "GET /temps",
            "GET /hashrate",
            "GET /clocks",
            "GET /voltages",
        ]
        sim.state.errors = ["HashboardFailure"]
        sim.state.fan_mode = "manual"
        sim.state.fan_percent = 70
        sim.state.boards[2].alive = False
        summary = await get(sim, "summary")
        assert summary["Status"]["Last Error"] == "HashboardFailure"
        assert summary["Fans"]["Fan Mode"] == {"Manual": 70}
        assert [hb["Index"] for hb in summary["HBs"]] == [0, 1]
        assert summary["HBStatus"][2] == {"Detected": True, "Enabled": False, "Index": 2}


async def test_controls_need_the_password() -> None:
    async with MinerSimulator("epic-s19jpro", jitter=False) as sim:
        for body in ({"param": "Stop", "password": "wrong"}, {"param": "Stop"}, "Stop"):
            assert await post(sim, "miner", body) == {"result": False, "error": "BadPassword"}
        assert not sim.state.paused
        assert (await call(sim.port, "/miner", "POST", data=b"{")).json()["error"] == "BadPassword"
        sim.set_fault(Fault.WRONG_PASSWORD)
        assert (await post(sim, "authenticate", {"password": "letmein"}))["result"] is False
        sim.set_fault(Fault.NONE)
        assert await post(sim, "authenticate", {"password": "letmein"}) == {
            "result": True,
            "error": None,
        }


async def test_stop_autostart_identify_softreboot() -> None:
    async with MinerSimulator("epic-s19jpro", jitter=False) as sim:
        ok = {"result": True, "error": None}
        assert await post(sim, "miner", {"param": "Stop", "password": "letmein"}) == ok
        summary = await get(sim, "summary")
        assert summary["Status"]["Operating State"] == "Idling"
        assert summary["HBs"][0]["Hashrate"][0] == 0
        assert summary["Power Supply Stats"]["Input Power"] == sim.state.idle_power
        assert await post(sim, "miner", {"param": "autostart", "password": "letmein"}) == ok
        assert not sim.state.paused
        missing = {"result": False, "error": "MissingParam"}
        assert await post(sim, "miner", {"param": "Dance", "password": "letmein"}) == missing
        assert await post(sim, "miner", {"password": "letmein"}) == missing
        assert await post(sim, "identify", {"param": True, "password": "letmein"}) == ok
        assert (await get(sim, "summary"))["Misc"]["Locate Miner State"] is True
        assert await post(sim, "identify", {"param": "on", "password": "letmein"}) == missing
        assert await post(sim, "identify", {"param": False, "password": "letmein"}) == ok
        assert not sim.state.fault_light
        sim.personality._session_start -= 500  # type: ignore[attr-defined]
        assert (await get(sim, "summary"))["Session"]["Uptime"] >= 500
        assert await post(sim, "softreboot", {"password": "letmein"}) == ok
        assert (await get(sim, "summary"))["Session"]["Uptime"] < 100
        assert not sim.offline


@pytest.mark.parametrize("param", [0, "0", None, "1"])
async def test_reboot(param: Any) -> None:
    """A delay in seconds (int, string or none), then offline for a moment, back stopped or
    not: mining again, a new session."""
    async with MinerSimulator("epic-s19jpro") as sim:
        sim.reboot_seconds = 0.2
        body = {"password": "letmein"} | ({} if param is None else {"param": param})
        await post(sim, "miner", {"param": "Stop", "password": "letmein"})
        assert await post(sim, "reboot", body) == {"result": True, "error": None}
        if param == "1":
            await wait_until(lambda: sim.offline, seconds=3)
        await rebooted(sim)
        assert (await get(sim, "summary"))["Status"]["Operating State"] == "Mining"
