"""VNish on an S19 over real loopback sockets: the REST API on the web port (open routes,
unlock, token, controls) and the cgminer TCP API on the API port."""

from __future__ import annotations

import json
from typing import Any

import pytest

from simulator import Fault, MinerSimulator
from simulator.personalities.vnish import VNishS19, uptime_text

from .test_axeos import rebooted
from .test_personalities import ask
from .web import Reply, call


def vnish(sim: MinerSimulator) -> VNishS19:
    personality = sim.personality
    assert isinstance(personality, VNishS19)
    return personality


async def get(sim: MinerSimulator, path: str, token: str | None = None) -> Reply:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await call(sim.web_port, f"/api/v1/{path}", headers=headers)


async def post(sim: MinerSimulator, path: str, token: str | None = None, **kwargs: Any) -> Reply:
    headers = {"Authorization": token} if token else {}  # the bare token is accepted too
    return await call(sim.web_port, f"/api/v1/{path}", "POST", headers=headers, **kwargs)


async def unlock(sim: MinerSimulator, password: str = "admin") -> str:
    reply = await post(sim, "unlock", json={"pw": password})
    assert reply.status == 200
    token: str = reply.json()["token"]
    return token


async def cgminer(sim: MinerSimulator, command: str) -> bytes:
    assert sim.port is not None
    return (await ask(sim.port, {"command": command})).rstrip(b"\x00")


def test_uptime_text() -> None:
    assert uptime_text(180) == "0:03"
    assert uptime_text(3 * 3600 + 59) == "3:00"
    assert uptime_text(2 * 86400 + 5 * 3600 + 7 * 60) == "2 days, 05:07"


async def test_open_routes_and_masked_pools() -> None:
    async with MinerSimulator("vnish-s19", web_port=0, jitter=False) as sim:
        info = (await get(sim, "info")).json()
        assert (info["fw_name"], info["fw_version"], info["miner"]) == (
            "Vnish",
            "1.2.6",
            "Antminer S19",
        )
        assert info["hr_measure"] == "GH/s"
        assert info["system"]["network_status"]["mac"] == "02:7A:A5:00:01:26"
        assert info["serial"] == "N/A"
        assert info["system"]["uptime"] == "0:00"
        status = (await get(sim, "status")).json()
        assert (status["miner_state"], status["unlocked"], status["find_miner"]) == (
            "mining",
            False,
            False,
        )
        miner = (await get(sim, "summary")).json()["miner"]
        assert miner["miner_type"] == "Antminer S19 (Vnish 1.2.6)"
        assert miner["hr_realtime"] == pytest.approx(95010.0)
        assert miner["instant_hashrate"] == pytest.approx(95.01)
        assert miner["hr_stock"] == pytest.approx(95010.0)
        assert miner["power_consumption"] == 3250
        assert miner["power_efficiency"] == pytest.approx(3250 / 95.01, abs=0.01)
        assert [chain["id"] for chain in miner["chains"]] == [1, 2, 3]
        assert miner["chains"][0]["voltage"] == 13800  # mV
        assert miner["chains"][0]["frequency"] == 675.0
        assert miner["cooling"]["fan_num"] == 4
        assert miner["cooling"]["settings"]["mode"]["name"] == "auto"
        pools = miner["pools"]
        assert [pool["pool_type"] for pool in pools] == ["UserPool", "UserPool", "DevFee"]
        assert pools[0]["url"] == "btc.example-pool.com:3333"
        assert pools[0]["status"] == "active"
        assert {pool["user"] for pool in pools} == {"*****"}
        perf = (await get(sim, "perf-summary")).json()
        assert perf["current_preset"]["name"] == "disabled"
        assert perf["current_preset"]["globals"] == {"volt": 1380, "freq": 675}
        factory = (await get(sim, "chains/factory-info")).json()
        assert factory["hr_stock"] == pytest.approx(95010.0)
        assert len(factory["chains"]) == 3
        model = (await get(sim, "model")).json()
        assert model["chain"]["num_chains"] == 3
        assert model["chain"]["topology"]["num_rows"] == 10
        chains = (await get(sim, "chains")).json()
        assert len(chains[0]["chips"]) == 76
        assert sim.received[:2] == ["GET /api/v1/info", "GET /api/v1/status"]


async def test_unlock_and_token() -> None:
    async with MinerSimulator("vnish-s19", web_port=0) as sim:
        for path in ("settings", "autotune/presets"):
            assert (await get(sim, path)).status == 401
            assert (await get(sim, path, "not-a-token")).status == 401
        for path in ("mining/pause", "system/reboot"):
            denied = await post(sim, path)
            assert (denied.status, denied.body) == (401, b"")
        wrong = await post(sim, "unlock", json={"pw": "root"})
        assert (wrong.status, wrong.json()) == (403, {"unlock_timeout": None})
        assert (await post(sim, "unlock", data=b"garbage")).status == 403
        token = await unlock(sim)
        assert len(token) == 32
        assert token.isalnum()
        assert (await get(sim, "status", token)).json()["unlocked"] is True
        assert (await get(sim, "settings", token)).status == 200  # Bearer
        assert (await post(sim, "mining/resume", token)).status == 200  # bare
        users = {
            pool["user"] for pool in (await get(sim, "summary", token)).json()["miner"]["pools"]
        }
        assert users == {"vnishuser.s19", "DevFee"}
        vnish(sim).expire_sessions()
        assert (await get(sim, "settings", token)).status == 401
        sim.set_fault(Fault.WRONG_PASSWORD)
        assert (await post(sim, "unlock", json={"pw": "admin"})).status == 403


async def test_presets() -> None:
    async with MinerSimulator("vnish-s19", web_port=0, jitter=False) as sim:
        token = await unlock(sim)
        presets = (await get(sim, "autotune/presets", token)).json()
        assert presets[0] == {
            "name": "disabled",
            "pretty": "Disabled",
            "status": "untuned",
            "modded_psu_required": False,
            "tune_settings": None,
        }
        by_name = {preset["name"]: preset for preset in presets}
        assert by_name["2800"]["pretty"] == "2800 watt ~ 82 TH"
        assert by_name["2800"]["tune_settings"]["freq"] == 582
        assert by_name["3700"]["modded_psu_required"] is True
        assert by_name["3500"]["tune_settings"] is None
        settings = (await get(sim, "settings", token)).json()
        assert settings["miner"]["overclock"]["preset"] == "disabled"
        assert settings["miner"]["pools"][0]["url"] == "stratum+tcp://btc.example-pool.com:3333"
        body = {"miner": {"overclock": settings["miner"]["overclock"] | {"preset": "2800"}}}
        reply = await post(sim, "settings", token, json=body)
        assert reply.json() == {"restart_required": False, "reboot_required": False}
        assert (sim.state.work_mode, sim.state.power_limit) == ("2800", 2800)
        perf = (await get(sim, "perf-summary")).json()["current_preset"]
        assert perf == {
            "name": "2800",
            "pretty": "2800 watt ~ 82 TH",
            "status": "tuned",
            "modded_psu_required": False,
        }
        miner = (await get(sim, "summary")).json()["miner"]
        assert miner["hr_realtime"] == pytest.approx(95010.0 * 2800 / 3250, rel=1e-4)
        assert miner["power_consumption"] == pytest.approx(2800, abs=2)
        assert miner["chains"][0]["voltage"] < 13800
        # An unknown preset: the same reply, nothing changed.
        reply = await post(
            sim, "settings", token, json={"miner": {"overclock": {"preset": "9999"}}}
        )
        assert reply.json() == {"restart_required": False, "reboot_required": False}
        assert sim.state.work_mode == "2800"
        await post(sim, "settings", token, json={"miner": {"overclock": {"preset": "disabled"}}})
        assert (sim.state.work_mode, sim.state.power_limit) == ("disabled", None)
        broken = await post(sim, "settings", token, data=b"{")
        assert (broken.status, broken.json()) == (500, {"err": "Failed to parse settings"})


async def test_mining_controls_locate_and_reboot() -> None:
    async with MinerSimulator("vnish-s19", web_port=0, jitter=False) as sim:
        sim.reboot_seconds = 0.2
        token = await unlock(sim)
        for action in ("pause", "stop"):
            reply = await post(sim, f"mining/{action}", token)
            assert (reply.status, reply.body) == (200, b"")
            assert sim.state.paused
            status = (await get(sim, "status")).json()
            assert status["miner_state"] == "stopped"
            miner = (await get(sim, "summary")).json()["miner"]
            assert miner["hr_realtime"] == 0
            assert miner["chains"][0]["status"]["state"] == "stopped"
            await post(sim, "mining/start" if action == "stop" else "mining/resume", token)
            assert not sim.state.paused
        assert (await post(sim, "mining/restart", token)).status == 200
        assert (await post(sim, "mining/dance", token)).status == 404
        # find-miner toggles the LED, no token needed.
        assert (await post(sim, "find-miner")).json() == {"on": True}
        assert (await get(sim, "status")).json()["find_miner"] is True
        assert (await post(sim, "find-miner")).json() == {"on": False}
        await post(sim, "mining/pause", token)
        reboot = await post(sim, "system/reboot", token)
        assert reboot.json() == {"after": 3}
        await rebooted(sim)
        assert not sim.state.paused  # mining again after a reboot
        assert (await get(sim, "settings", token)).status == 401  # the token did not survive


async def test_failure_state_immersion_and_no_power_metering() -> None:
    async with MinerSimulator("vnish-s19", web_port=0, jitter=False) as sim:
        personality = vnish(sim)
        personality.psu_reports_power = False
        sim.state.fan_mode = "immersion"
        miner = (await get(sim, "summary")).json()["miner"]
        assert (miner["power_consumption"], miner["power_efficiency"]) == (0, 0.0)
        cooling = miner["cooling"]
        assert {(fan["rpm"], fan["status"]) for fan in cooling["fans"]} == {(0, "ok")}
        assert (cooling["fan_duty"], cooling["settings"]["mode"]["name"]) == (100, "immersion")
        token = await unlock(sim)
        assert (await get(sim, "settings", token)).json()["miner"]["cooling"]["mode"] == {
            "name": "immers"
        }
        sim.state.fan_mode = "manual"
        sim.state.fan_percent = 45
        assert (await get(sim, "summary")).json()["miner"]["cooling"]["fan_duty"] == 45
        assert (await get(sim, "settings", token)).json()["miner"]["cooling"]["mode"] == {
            "name": "manual",
            "param": 45,
        }
        sim.state.fans[1] = 0
        fans = (await get(sim, "summary")).json()["miner"]["cooling"]["fans"]
        assert fans[1]["status"] == "lost"
        personality.failure = (1002, "Failed to parse miner configuration")
        miner = (await get(sim, "summary")).json()["miner"]
        assert miner["miner_status"]["miner_state"] == "failure"
        assert miner["miner_status"]["description"] == "Failed to parse miner configuration"
        assert miner["miner_status"]["failure_code"] == 1002
        assert (miner["chains"], miner["hr_realtime"], miner["hr_stock"]) == ([], 0, 0.0)
        assert miner["pcb_temp"] == {"min": 0, "max": 0}
        assert miner["cooling"]["fans"] == []
        assert [pool["pool_type"] for pool in miner["pools"]] == ["DevFee"]
        assert (await get(sim, "chains")).json() == []
        assert (await get(sim, "chains/factory-info")).json()["chains"] is None
        refused = await post(sim, "mining/pause", token)
        assert refused.status == 500
        assert refused.json() == {
            "err": "CGMiner err: Cgminer error failed-to-activate-pause-mode "
        }


async def test_cgminer_api_reads_like_an_antminer_on_vnish() -> None:
    async with MinerSimulator("vnish-s19", web_port=0, jitter=False) as sim:
        version = json.loads(await cgminer(sim, "version"))
        assert version["VERSION"][0]["CGMiner"] == "4.11.1"
        assert version["VERSION"][0]["Type"] == "Antminer S19 (vnish 1.2.6)"
        assert version["STATUS"][0]["Description"] == "cgminer 4.11.1"
        raw = await cgminer(sim, "stats")
        assert b'"Type": "Antminer S19 (vnish 1.2.6)"}{"STATS": 0' in raw  # no comma: the quirk
        stats = json.loads(raw.replace(b"}{", b"},{"))
        head, miner = stats["STATS"]
        assert head["Cgminer"] == "4.11.1"
        assert miner["GHS 5s"] == "95010.00"  # quoted
        assert miner["chain_vol1"] == 1380
        assert miner["chain_consumption1"] == pytest.approx(1083, abs=1)
        assert miner["build_version"] == "1.2.6"
        joined = json.loads(await cgminer(sim, "summary+pools"))
        assert set(joined) == {"summary", "pools", "id"}
        token = await unlock(sim)
        await post(sim, "mining/pause", token)
        paused = json.loads((await cgminer(sim, "stats")).replace(b"}{", b"},{"))
        assert paused["STATS"][1]["GHS 5s"] == "0.00"
        vnish(sim).psu_reports_power = False
        sim.state.boards.pop()  # an unplugged board: its chain listed empty, no voltage
        quiet = json.loads((await cgminer(sim, "stats")).replace(b"}{", b"},{"))
        assert quiet["STATS"][1]["chain_consumption1"] == 0
        assert quiet["STATS"][1]["chain_acn3"] == 0
        assert "chain_vol3" not in quiet["STATS"][1]


async def test_state_time_and_elapsed_are_two_clocks() -> None:
    """cgminer's ``Elapsed`` runs ``chain_init_seconds`` ahead of ``miner_state_time``, which
    starts again at a pause, a resume, a reboot; ``Elapsed`` runs on through a pause."""
    async with MinerSimulator("vnish-s19", web_port=0, jitter=False) as sim:
        sim.reboot_seconds = 0.2
        ahead = VNishS19.chain_init_seconds

        async def clocks() -> tuple[int, int]:
            status = (await get(sim, "status")).json()
            stats = json.loads((await cgminer(sim, "stats")).replace(b"}{", b"},{"))
            return status["miner_state_time"], stats["STATS"][1]["Elapsed"]

        state_time, elapsed = await clocks()
        assert elapsed - state_time == pytest.approx(ahead, abs=1)
        sim.state.started_at -= 600  # cgminer has run for ten more minutes
        token = await unlock(sim)
        await post(sim, "mining/pause", token)
        await post(sim, "mining/resume", token)
        state_time, elapsed = await clocks()
        assert (state_time, elapsed) == (0, pytest.approx(600 + ahead, abs=1))
        await post(sim, "system/reboot", token)
        await rebooted(sim)
        state_time, elapsed = await clocks()
        assert elapsed - state_time == pytest.approx(ahead, abs=1)
