"""NerdOS (NerdQAxe+) over real loopback HTTP: its own fields, OTP on settings, shutdown."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from simulator import MinerSimulator
from simulator.personalities.axeos import NerdQAxePlus

from .test_axeos import rebooted
from .web import call


async def info(sim: MinerSimulator) -> dict[str, Any]:
    reply = await call(sim.web_port, "/api/system/info")
    assert reply.status == 200
    assert reply.headers["Connection"] == "close"
    assert "\n" not in reply.text  # ArduinoJson: compact
    data: dict[str, Any] = reply.json()
    return data


async def patch(sim: MinerSimulator, settings: Any, **headers: str) -> Any:
    body = settings if isinstance(settings, bytes) else json.dumps(settings).encode()
    return await call(sim.web_port, "/api/system", "PATCH", data=body, headers=headers)


def nerd(sim: MinerSimulator) -> NerdQAxePlus:
    personality = sim.personality
    assert isinstance(personality, NerdQAxePlus)
    return personality


async def test_fields() -> None:
    async with MinerSimulator("nerdqaxe-plus", jitter=False) as sim:
        data = await info(sim)
        assert (data["deviceModel"], data["ASICModel"], data["asicCount"]) == (
            "NerdQAxe+",
            "BM1368",
            4,
        )
        assert data["version"] == "v1.0.36"
        assert len(data["asicTemps"]) == 4
        assert data["temp"] == max(data["asicTemps"])  # the hottest ASIC
        assert data["otp"] is True
        assert data["shutdown"] is False
        assert (data["autofanspeed"], data["pidTargetTemp"]) == (2, 55)
        assert data["temp"] == pytest.approx(55.0)  # PID holds its target
        assert data["bestDiff"] == 2_870_000_000  # a number from 1.0.35
        assert data["stratum"]["totalBestDiff"] == data["bestDiff"]
        assert data["hashRate"] == pytest.approx(4 * 490 * 1276 / 1000)
        assert "expectedHashrate" not in data
        assert "miningPaused" not in data
        assert "boardVersion" not in data
        asic = (await call(sim.web_port, "/api/system/asic")).json()
        assert asic["absMaxFrequency"] == 800
        assert asic["frequencyOptions"] == [400, 425, 450, 475, 490, 500, 525, 550, 575]
        # No identify, pause or resume in NerdOS's v1 API.
        for path in ("/api/system/identify", "/api/system/pause", "/api/system/resume"):
            assert (await call(sim.web_port, path, "POST")).status == 405
        assert (await call(sim.web_port, "/api/nope")).status == 302


async def test_otp_guards_settings() -> None:
    async with MinerSimulator("nerdqaxe-plus", jitter=False) as sim:
        refused = await patch(sim, {"frequency": 525})
        assert (refused.status, refused.text) == (401, "OTP/Session required")
        assert sim.state.boards[0].frequency == 490
        wrong = await patch(sim, {"frequency": 525}, **{"X-TOTP": "000000"})
        assert wrong.status == 401
        ok = await patch(sim, {"frequency": 525, "coreVoltage": 1200}, **{"X-TOTP": "123456"})
        assert (ok.status, ok.body) == (200, b"")
        data = await info(sim)
        assert (data["frequency"], data["coreVoltage"]) == (525, 1200)
        # A session from a code, then the session alone.
        missing = await call(sim.web_port, "/api/otp/session", "POST")
        assert (missing.status, missing.text) == (400, "Missing X-TOTP header")
        invalid = await call(sim.web_port, "/api/otp/session", "POST", headers={"X-TOTP": "1"})
        assert (invalid.status, invalid.text) == (401, "Invalid TOTP")
        session = await call(sim.web_port, "/api/otp/session", "POST", headers={"X-TOTP": "123456"})
        token = session.json()
        assert token["ttlMs"] == 86_400_000
        assert token["expiresAt"] > time.time() * 1000
        headers = {"X-OTP-Session": token["token"]}
        await patch(sim, {"autofanspeed": 0, "manualFanSpeed": 80}, **headers)
        assert (sim.state.fan_mode, sim.state.fan_percent) == ("manual", 80)
        manual = await info(sim)
        assert (manual["autofanspeed"], manual["fanspeed"]) == (0, 80)
        await patch(sim, {"autofanspeed": 2, "pidTargetTemp": 50, "overheat_temp": 75}, **headers)
        pid = await info(sim)
        assert (pid["pidTargetTemp"], pid["overheat_temp"]) == (50, 75)
        assert pid["temp"] == pytest.approx(50.0)
        await patch(sim, {"autofanspeed": 1, "hostname": "nerd2"}, **headers)
        assert (sim.state.fan_mode, sim.state.hostname) == ("auto", "nerd2")
        assert (await info(sim))["temp"] == pytest.approx(60.0)  # the auto curve's
        assert (await patch(sim, b"[1]", **headers)).status == 200  # no object: nothing set
        # Integers only (is<uint16_t>): a float, a string or a bool changes nothing.
        await patch(
            sim, {"frequency": 550.5, "coreVoltage": "1300", "manualFanSpeed": True}, **headers
        )
        assert nerd(sim).configured() == (525, 1200)
        assert sim.state.boards[0].frequency == 490  # applied at the next restart
        assert sim.state.fan_percent == 80
        assert (await patch(sim, b"{", **headers)).text == "Invalid JSON"
        assert (await patch(sim, b" " * 10240, **headers)).status == 500
        # Sessions live in RAM.
        nerd(sim).expire_sessions()
        assert (await patch(sim, {"frequency": 500}, **headers)).status == 401


async def test_otp_blocks_after_five_failures() -> None:
    async with MinerSimulator("nerdqaxe-plus") as sim:
        for _ in range(5):
            assert (await patch(sim, {}, **{"X-TOTP": "999999"})).text == "OTP/Session required"
        blocked = await patch(sim, {"frequency": 525}, **{"X-TOTP": "123456"})
        assert (blocked.status, blocked.text) == (401, "blocked for 5 minutes")
        nerd(sim)._blocked_until = 0.0
        assert (await patch(sim, {"frequency": 525}, **{"X-TOTP": "123456"})).status == 200


async def test_otp_disabled() -> None:
    async with MinerSimulator("nerdqaxe-plus") as sim:
        nerd(sim).otp_enabled = False
        assert (await info(sim))["otp"] is False
        assert (await patch(sim, {"manualFanSpeed": 70})).status == 200
        assert sim.state.fan_percent == 70
        session = await call(sim.web_port, "/api/otp/session", "POST", headers={"X-TOTP": "123456"})
        assert (session.status, session.text) == (405, "OTP disabled")


async def test_shutdown_and_restart() -> None:
    """Shutdown powers the ASICs down (no OTP needed in 1.0.36); a restart brings them back,
    with the frequency stored before it."""
    async with MinerSimulator("nerdqaxe-plus", jitter=False) as sim:
        sim.reboot_seconds = 0.2
        stored = await patch(sim, {"frequency": 525}, **{"X-TOTP": "123456"})
        assert stored.status == 200
        assert sim.state.boards[0].frequency == 490
        down = await call(sim.web_port, "/api/system/shutdown", "POST")
        assert (down.content_type, down.text) == ("text/html", "System will shutdown shortly.")
        data = await info(sim)
        assert data["shutdown"] is True
        assert data["hashRate"] == 0
        assert data["power"] == sim.state.idle_power
        restart = await call(sim.web_port, "/api/system/restart", "POST")
        assert (restart.content_type, restart.text) == ("text/html", "System will restart shortly.")
        await rebooted(sim)
        assert (await info(sim))["shutdown"] is False
        assert sim.state.boards[0].frequency == 525
