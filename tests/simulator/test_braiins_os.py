"""Braiins OS+ 25.07 over real loopback sockets: the REST API on the web port (login, token,
reads, controls) and bosminer's TCP API on the API port sharing the state."""

from __future__ import annotations

import json
from typing import Any

import pytest

from simulator import Fault, MinerSimulator
from simulator.personalities.braiins_os import BraiinsOSRest

from .test_axeos import rebooted
from .test_personalities import ask
from .web import Reply, call


def bos(sim: MinerSimulator) -> BraiinsOSRest:
    personality = sim.personality
    assert isinstance(personality, BraiinsOSRest)
    return personality


async def login(sim: MinerSimulator, password: str = "root", username: str = "root") -> Reply:
    return await call(
        sim.web_port,
        "/api/v1/auth/login",
        "POST",
        json={"username": username, "password": password},
    )


async def token_of(sim: MinerSimulator) -> str:
    reply = await login(sim)
    assert reply.status == 200
    token: str = reply.json()["token"]
    return token


async def api(sim: MinerSimulator, path: str, token: str, method: str = "GET", **kw: Any) -> Reply:
    return await call(
        sim.web_port, f"/api/v1/{path}", method, headers={"Authorization": token}, **kw
    )


async def bosminer(sim: MinerSimulator, command: str) -> dict[str, Any]:
    assert sim.port is not None
    data: dict[str, Any] = json.loads((await ask(sim.port, {"command": command})).rstrip(b"\x00"))
    return data


async def test_login_and_tokens() -> None:
    async with MinerSimulator("braiins-os-s19xp", web_port=0) as sim:
        assert (await call(sim.web_port, "/api/v1/miner/details")).status == 401
        assert (await login(sim, "wrong")).status == 401
        assert (await login(sim, "root", "admin")).status == 401
        bad = await call(sim.web_port, "/api/v1/auth/login", "POST", data=b"{")
        assert (bad.status, bad.text) == (400, "Invalid request payload.")
        reply = await login(sim)
        body = reply.json()
        assert body["timeout_s"] == 3600
        token = body["token"]
        assert (await api(sim, "version", token)).json() == {"major": 1, "minor": 0, "patch": 0}
        assert (await api(sim, "version", f"Bearer {token}")).status == 200
        assert (await api(sim, "version", "nonsense")).status == 401
        # Expired (the timeout, a reboot): 401, and a new login works.
        bos(sim).expire_sessions()
        assert (await api(sim, "version", token)).status == 401
        bos(sim).token_timeout = 0
        short = await token_of(sim)
        assert (await api(sim, "version", short)).status == 401
        bos(sim).token_timeout = 3600
        assert (await api(sim, "version", await token_of(sim))).status == 200
        sim.set_fault(Fault.WRONG_PASSWORD)
        assert (await login(sim)).status == 401


async def test_reads() -> None:
    async with MinerSimulator("braiins-os-s19xp", web_port=0, jitter=False) as sim:
        token = await token_of(sim)
        details = (await api(sim, "miner/details", token)).json()
        assert details["miner_identity"]["miner_model"] == "Antminer S19 XP"
        assert details["bos_version"]["current"].endswith("-25.07-plus")
        assert (details["mac_address"], details["hostname"]) == ("02:ee:da:00:25:07", "Antminer")
        assert details["status"] == 2
        assert details["serial_number"] is None
        stats = (await api(sim, "miner/stats", token)).json()
        rates = stats["miner_stats"]["real_hashrate"]
        assert set(rates) >= {"last_5s", "last_1m", "last_5m", "since_restart"}
        expected_ths = 3 * 47.6 * 3031 / 3200
        assert rates["last_1m"]["gigahash_per_second"] == pytest.approx(expected_ths * 1000)
        assert stats["power_stats"]["approximated_consumption"]["watt"] == 3031
        assert stats["power_stats"]["efficiency"]["joule_per_terahash"] == pytest.approx(
            3031 / expected_ths
        )
        assert stats["pool_stats"]["accepted_shares"] == 10_464
        boards = (await api(sim, "miner/hw/hashboards", token)).json()["hashboards"]
        assert [board["id"] for board in boards] == ["1", "2", "3"]
        assert boards[0]["current_frequency"]["hertz"] == 485_000_000
        assert boards[0]["highest_chip_temp"]["temperature"]["degree_c"] == 69.5
        assert boards[0]["board_temp"]["degree_c"] == 54.0
        cooling = (await api(sim, "cooling/state", token)).json()
        assert [fan["rpm"] for fan in cooling["fans"]] == [5900, 5880, 5870, 5910]
        assert cooling["highest_temperature"]["temperature"]["degree_c"] == 69.5
        tuner = (await api(sim, "performance/tuner-state", token)).json()
        assert tuner["mode_state"]["powertargetmodestate"]["current_target"] == {"watt": 3031}
        assert tuner["overall_tuner_state"] == 2
        limits = (await api(sim, "configuration/constraints", token)).json()
        assert limits["tuner_constraints"]["power_target"] == {
            "default": {"watt": 3010},
            "max": {"watt": 4000},
            "min": {"watt": 1200},
        }
        for path in ("pools", "pools/"):
            groups = (await api(sim, path, token)).json()
            assert [pool["url"] for pool in groups[0]["pools"]] == [
                "stratum+tcp://stratum.example-pool.com:3333",
                "stratum+tcp://backup.example-pool.com:3333",
            ]
        for path in ("network", "network/"):
            assert (await api(sim, path, token)).json()["mac_address"] == "02:ee:da:00:25:07"
        assert (await api(sim, "miner/errors", token)).json() == {"errors": []}
        sim.state.errors = ['Failed to resolve ("pool", 3333)']
        errors = (await api(sim, "miner/errors", token)).json()["errors"]
        assert [error["message"] for error in errors] == ['Failed to resolve ("pool", 3333)']
        assert (await api(sim, "actions/locate", token)).text == "false"
        assert sim.received[:2] == ["POST /api/v1/auth/login", "GET /api/v1/miner/details"]


async def test_controls_share_the_state_with_bosminer() -> None:
    async with MinerSimulator("braiins-os-s19xp", web_port=0, jitter=False) as sim:
        sim.reboot_seconds = 0.2
        token = await token_of(sim)
        assert (await api(sim, "actions/pause", token, "PUT")).json() is False  # was not paused
        assert (await api(sim, "actions/pause", token, "PUT")).json() is True  # already was
        assert sim.state.paused
        assert (await api(sim, "miner/details", token)).json()["status"] == 3
        summary = await bosminer(sim, "summary")
        assert summary["SUMMARY"][0]["MHS 1m"] == 0
        cooling = (await api(sim, "cooling/state", token)).json()
        assert cooling["fans"][0]["target_speed_ratio"] == 0.4
        assert (await api(sim, "actions/restart", token, "PUT")).json() is False
        assert (await api(sim, "actions/resume", token, "PUT")).json() is False
        assert (await api(sim, "actions/resume", token, "PUT")).json() is True
        assert not sim.state.paused
        # Pause over bosminer, seen over REST.
        await bosminer(sim, "pause")
        assert (await api(sim, "miner/details", token)).json()["status"] == 3
        await bosminer(sim, "resume")
        # Locate.
        assert (await api(sim, "actions/locate", token, "PUT", json=True)).json() is True
        assert sim.state.fault_light
        assert (await api(sim, "actions/locate", token)).json() is True
        bad = await api(sim, "actions/locate", token, "PUT", data=b"maybe")
        assert bad.status == 400
        # Power target.
        reply = await api(sim, "performance/power-target", token, "PUT", json={"watt": 2500})
        assert reply.json() == {"watt": 2500}
        assert sim.state.power_limit == 2500
        tuner = await bosminer(sim, "tunerstatus")
        assert tuner["TUNERSTATUS"][0]["PowerLimit"] == 2500
        stats = (await api(sim, "miner/stats", token)).json()
        assert stats["power_stats"]["approximated_consumption"]["watt"] == 2500
        for wrong in ({"watt": 900}, {"watt": 4001}):
            refused = await api(sim, "performance/power-target", token, "PUT", json=wrong)
            assert refused.status == 400
            assert "out of range" in refused.text
        for wrong_body in (b"{", b'{"watt": "3000"}', b'{"watt": true}', b"[]"):
            refused = await api(sim, "performance/power-target", token, "PUT", data=wrong_body)
            assert (refused.status, refused.text) == (400, "Invalid request payload.")
        assert sim.state.power_limit == 2500
        # Reboot: 204, offline for a moment, the token gone.
        reboot = await api(sim, "actions/reboot", token, "PUT")
        assert (reboot.status, reboot.body) == (204, b"")
        await rebooted(sim)
        assert (await api(sim, "version", token)).status == 401
