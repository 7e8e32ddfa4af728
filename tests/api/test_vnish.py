"""``VNishAPI`` against the simulated VNish 1.2.6 S19 over real loopback sockets: the REST
summary as one steady request, the rare reads, unlock and its failures, every control, the
cgminer fallback, and the quirks of real VNish replies (as fixtures of our own)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
import json
import time
from typing import Any, ClassVar

from aiohttp import web
from aiohttp.typedefs import Handler
import pytest

from custom_components.asic_miner.api import (
    APIAuthError,
    APIConnectionError,
    APIDecodeError,
    APIRefusalError,
    APIUnsupportedError,
    Capability,
    HTTPClient,
    Limits,
    MinerIdentity,
    VNishAPI,
    detect_api,
)
from custom_components.asic_miner.api.http import MinerHTTP
from custom_components.asic_miner.api.identity import UPTIME_SLACK
from custom_components.asic_miner.api.refresh import REFRESH_SECONDS
from custom_components.asic_miner.api.vnish import (
    MiningClock,
    Unlock,
    hashrate_factor,
    identity_from_info,
    map_summary,
    preset_names,
    probe,
    state_of,
)
from simulator import Fault, MinerSimulator
from simulator.personalities.vnish import PAUSE_REFUSED, VNishS19

from .conftest import SimulatorFactory, closed_port

PASSWORD = "Vn1sh-Secret-pw"


async def vnish(
    simulator: SimulatorFactory,
    personality: str | type[VNishS19] = "vnish-s19",
    *,
    password: str | None = PASSWORD,
    port: int | None = None,
) -> tuple[MinerSimulator, VNishAPI]:
    sim = await simulator(personality, password=PASSWORD, web_port=0, jitter=False)
    assert sim.web_port is not None
    assert sim.port is not None
    api = VNishAPI(
        "127.0.0.1", sim.port if port is None else port, password=password, web_port=sim.web_port
    )
    return sim, api


def web_requests(sim: MinerSimulator) -> list[str]:
    return [name for name in sim.received if name.startswith(("GET ", "POST "))]


def personality(sim: MinerSimulator) -> VNishS19:
    assert isinstance(sim.personality, VNishS19)
    return sim.personality


# --- readings ------------------------------------------------------------------------------------


async def test_poll_reads_the_summary(simulator: SimulatorFactory) -> None:
    sim, api = await vnish(simulator)
    data = await api.get_data()
    state = sim.state
    assert (data.make, data.model, data.firmware) == ("Antminer", "S19", "Vnish 1.2.6")
    assert (data.mac, data.hostname, data.serial) == (state.mac.lower(), state.hostname, None)
    assert data.hashrate == pytest.approx(state.nominal_hashrate, abs=0.01)
    assert data.average_hashrate == data.hashrate
    assert data.expected_hashrate == pytest.approx(state.nominal_hashrate, abs=0.01)
    assert data.power == 3250.0
    assert data.efficiency == pytest.approx(3250 / data.hashrate, abs=0.01)
    assert [board.index for board in data.boards] == [0, 1, 2]
    assert {board.chips for board in data.boards} == {76}
    assert data.temperature == max(board.temperature or 0 for board in data.boards)
    assert [(fan.index, fan.percent) for fan in data.fans] == [(i, 62) for i in range(4)]
    assert data.fans[0].rpm == state.fan_rpm(0)
    assert data.fan_auto is True
    # DevFee is VNish's, not a pool of the owner; with the password the users are real.
    assert [(pool.url, pool.user, pool.active) for pool in data.pools] == [
        ("btc.example-pool.com:3333", "vnishuser.s19", True),
        ("backup.example-pool.com:443", "vnishuser.s19", False),
    ]
    assert (data.pools[0].accepted, data.pools[0].rejected) == (840, 3)
    assert data.is_mining is True
    assert data.errors == []
    assert (data.blocks_found, data.best_session_difficulty) == (0, 9_876_543_210.0)
    assert (data.fault_light, data.power_preset) == (False, "disabled")
    assert api.power_presets == ("disabled", "2400", "2600", "2800", "3000", "3250", "3500")
    assert api.capabilities == {
        Capability.PAUSE_RESUME,
        Capability.RESTART_BACKEND,
        Capability.REBOOT,
        Capability.FAULT_LIGHT,
        Capability.POWER_PRESET,
    }
    assert sim.requests == []  # nothing on cgminer's port
    await api.close()


async def test_one_request_per_steady_poll(simulator: SimulatorFactory) -> None:
    sim, api = await vnish(simulator)
    await api.get_data()
    assert web_requests(sim) == [
        "POST /api/v1/unlock",
        "GET /api/v1/info",
        "GET /api/v1/summary",
        "GET /api/v1/status",
        "GET /api/v1/perf-summary",
        "GET /api/v1/autotune/presets",
    ]
    for _ in range(3):
        sim.received.clear()
        await api.get_data()
        assert sim.received == ["GET /api/v1/summary"]
    # Every few minutes, what rarely changes is read again.
    assert api.refresh.read_at is not None
    api.refresh = replace(api.refresh, read_at=api.refresh.read_at - REFRESH_SECONDS)
    sim.received.clear()
    await api.get_data()
    assert sim.received == [
        "GET /api/v1/summary",
        "GET /api/v1/status",
        "GET /api/v1/perf-summary",
        "GET /api/v1/autotune/presets",
    ]
    await api.close()


async def test_without_password_readings_only(simulator: SimulatorFactory) -> None:
    sim, api = await vnish(simulator, password=None)
    data = await api.get_data()
    assert data.hashrate
    assert [pool.user for pool in data.pools] == [None, None]  # "*****": masked, no user
    assert "POST /api/v1/unlock" not in sim.received
    assert "GET /api/v1/autotune/presets" not in sim.received
    assert api.capabilities == frozenset()
    assert api.power_presets == ()
    sim.received.clear()
    for control in (
        api.pause_mining(),
        api.resume_mining(),
        api.restart_backend(),
        api.reboot(),
        api.set_fault_light(True),
    ):
        with pytest.raises(APIUnsupportedError, match="web password"):
            await control
    with pytest.raises(ValueError, match="power preset"):
        await api.set_power_preset("2800")
    assert sim.received == []  # refused before anything is sent
    await api.check_password()  # nothing to check
    assert sim.received == []
    await api.close()


def test_real_summary_quirks() -> None:
    """The replies of real VNish 1.2.6 miners, as our own fixtures: an immersion-cooled S19
    (88) without PSU metering, and a miner in its failure state."""
    immersed = {
        "miner_status": {"miner_state": "mining", "miner_state_time": 61},
        "hr_stock": 87523.0,
        "hr_realtime": 63851.406,
        "hr_nominal": 73954.32,
        "hr_average": 32895.055,
        "power_consumption": 0,
        "pools": [
            {"url": "eu.example.org:9996", "pool_type": "UserPool", "user": "*****",
             "status": "active", "accepted": 10, "rejected": 1},
            {"url": "DevFee", "pool_type": "DevFee", "user": "*****", "status": "working"},
        ],
        "cooling": {
            "fan_num": 4,
            "fans": [{"id": i, "rpm": 0, "status": "ok", "max_rpm": 6000} for i in range(4)],
            "settings": {"mode": {"name": "immersion"}},
            "fan_duty": 100,
        },
        "chains": [
            {"id": 1, "hashrate_rt": 21539.889, "pcb_temp": {"min": 42, "max": 44},
             "chip_temp": {"min": 57, "max": 59},
             "chip_statuses": {"red": 1, "orange": 83, "grey": 4}, "status": {"state": "mining"}},
        ],
    }  # fmt: skip
    data = map_summary(immersed, MinerIdentity(), 1e-3)
    assert (data.hashrate, data.average_hashrate) == (pytest.approx(63.851406), 32.895055)
    assert data.expected_hashrate == pytest.approx(73.95432)  # nominal: the preset's clocks
    assert (data.power, data.efficiency) == (None, None)  # 0: the PSU cannot report
    assert data.fans == []  # immersion: 0 rpm "ok" fans are no fans
    assert data.fan_auto is None
    assert [(p.url, p.user, p.active) for p in data.pools] == [("eu.example.org:9996", None, True)]
    assert data.boards[0].index == 0
    assert (data.boards[0].chips, data.boards[0].temperature) == (88, 44.0)
    assert data.uptime == 61
    failed = {
        "miner_status": {"miner_state": "failure", "miner_state_time": 1,
                         "description": "Failed to parse miner configuration",
                         "failure_code": 1002},
        "hr_stock": 0.0, "hr_realtime": 0.0, "hr_nominal": 0.0, "hr_average": 0.0,
        "pcb_temp": {"min": 0, "max": 0}, "chip_temp": {"min": 0, "max": 0},
        "power_consumption": 0,
        "pools": [{"id": 0, "url": "DevFee", "pool_type": "DevFee", "user": "DevFee",
                   "status": "working"}],
        "cooling": {"fan_num": 0, "fans": [], "settings": {"mode": {"name": "auto"}},
                    "fan_duty": 0},
        "chains": [], "found_blocks": 0, "best_share": 0,
    }  # fmt: skip
    data = map_summary(failed, MinerIdentity(), 1e-3)
    assert (data.is_mining, data.errors) == (False, ["Failed to parse miner configuration"])
    assert (data.hashrate, data.expected_hashrate, data.power) == (0.0, None, None)
    assert (data.temperature, data.boards, data.fans, data.pools) == (None, [], [], [])
    assert (data.uptime, data.blocks_found, data.best_session_difficulty) == (None, 0, None)


def test_summary_edge_cases() -> None:
    """A failed chain, chains numbered from 0, a PSU that says it cannot meter, water
    temperatures, the stock hashrate while the nominal one is unknown, MH/s miners."""
    miner = {
        "miner_status": {"miner_state": "auto-tuning", "miner_state_time": 5},
        "hr_realtime": 90_000.0,
        "hr_nominal": 0.0,
        "hr_stock": 95_000.0,
        "power_consumption": 3100,
        "psu": {"psu_power_metering": False},
        "cooling": {"fans": [{"rpm": 4000}], "settings": {"mode": {"name": "manual"}},
                    "fan_duty": 55},
        "pools": [{"url": "", "pool_type": "UserPool"},
                  {"url": "p.example:3333", "user": "me", "status": "offline"},
                  {"url": "r.example:3333", "pool_type": "Refund", "status": "active"}],
        "chains": [
            {"id": 0, "hashrate_rt": 45_000.0, "pcb_temp": {"max": 50}, "chip_temp": {"max": 0},
             "chip_statuses": {"red": 0, "orange": 0, "grey": 76},
             "inlet_water_temp": 31, "outlet_water_temp": 38, "status": {"state": "mining"}},
            {"id": 1, "hashrate_rt": 0.0, "chip_statuses": {}, "inlet_water_temp": None,
             "status": {"state": "failure", "description": "no chips found"}},
            {"hashrate_rt": 45_000.0, "status": {"state": "failure"}},
        ],
    }  # fmt: skip
    data = map_summary(miner, MinerIdentity(), 1e-3)
    assert data.is_mining is True  # auto-tuning: on its way to hash
    assert data.uptime is None  # miner_state_time counts the mining state only
    assert data.expected_hashrate == 95.0  # stock, while the nominal one is 0
    assert data.power is None  # the PSU says it cannot meter
    assert [(b.index, b.chips, b.chip_temperature) for b in data.boards] == [
        (0, 76, None),
        (2, None, None),
    ]
    assert data.errors == ["hash board 1: no chips found", "hash board 2: failure"]
    assert (data.inlet_temperature, data.outlet_temperature) == (31.0, 38.0)
    assert [(f.index, f.rpm, f.percent) for f in data.fans] == [(0, 4000, 55)]
    assert data.fan_auto is False
    assert [(p.url, p.alive, p.active) for p in data.pools] == [("p.example:3333", False, False)]
    assert hashrate_factor({"hr_measure": "MH/s"}) == 1e-6
    assert hashrate_factor({}) == 1e-3
    assert state_of({"miner_state": "something-new"}) == (None, [])
    assert state_of({"miner_state": "failure"}) == (False, ["failure"])
    assert state_of({"miner_state": "stopped"}) == (False, [])


def test_identity_and_presets() -> None:
    info = {
        "miner": "Antminer S19 (88)",
        "fw_name": "Vnish",
        "fw_version": "1.2.6",
        "serial": "N/A",
        "system": {"network_status": {"mac": "02:7A:A5:46:DD:4F", "hostname": "Antminer"}},
    }
    assert identity_from_info(info) == MinerIdentity(
        make="Antminer",
        model="S19 (88)",
        firmware="Vnish 1.2.6",
        mac="02:7a:a5:46:dd:4f",
        hostname="Antminer",
        serial=None,
    )
    assert identity_from_info({"serial": "ABC123"}).serial == "ABC123"
    presets = [
        {"name": "disabled", "status": "untuned", "modded_psu_required": False},
        {"name": "1100", "status": "tuned", "modded_psu_required": False},
        {"name": "3700", "status": "untuned", "modded_psu_required": True},
        {"pretty": "no name"},
    ]
    assert preset_names(presets) == ("disabled", "1100")
    assert preset_names({"presets": presets}) == ("disabled", "1100")
    assert preset_names(None) == ()


# --- controls --------------------------------------------------------------------------------


async def test_pause_resume_restart(simulator: SimulatorFactory) -> None:
    sim, api = await vnish(simulator)
    await api.get_data()
    await api.pause_mining()
    assert sim.state.paused
    sim.received.clear()
    data = await api.get_data()
    assert data.is_mining is False  # miner_state "stopped"
    assert data.uptime is None
    # A control asks the next poll to read what it may have changed.
    assert "GET /api/v1/status" in sim.received
    await api.resume_mining()
    assert not sim.state.paused
    sim.received.clear()
    await api.restart_backend()
    assert sim.received == ["POST /api/v1/mining/restart"]
    assert (await api.get_data()).is_mining is True
    await api.close()


async def test_refused_pause_says_why(simulator: SimulatorFactory) -> None:
    sim, api = await vnish(simulator)
    personality(sim).failure = (1002, "Failed to parse miner configuration")
    with pytest.raises(APIRefusalError, match="HTTP 500") as caught:
        await api.pause_mining()
    assert PAUSE_REFUSED.strip() in str(caught.value)  # VNish's own words
    data = await api.get_data()
    assert (data.is_mining, data.errors) == (False, ["Failed to parse miner configuration"])
    await api.close()


async def test_reboot_unlocks_again_after(simulator: SimulatorFactory) -> None:
    sim, api = await vnish(simulator)
    sim.reboot_seconds = 0.2
    await api.get_data()
    await api.reboot()
    assert sim.rebooting
    assert api.identity is None  # read again when the miner is back
    while sim.rebooting:
        await asyncio.sleep(0.05)
    sim.received.clear()
    await api.pause_mining()
    assert sim.received[:2] == ["POST /api/v1/unlock", "POST /api/v1/mining/pause"]
    await api.close()


async def test_fault_light_is_read_before_the_toggle(simulator: SimulatorFactory) -> None:
    sim, api = await vnish(simulator)
    await api.set_fault_light(True)
    assert sim.state.fault_light
    sim.received.clear()
    await api.set_fault_light(True)  # already on: find-miner would switch it off
    assert sim.state.fault_light
    assert "POST /api/v1/find-miner" not in sim.received
    assert (await api.get_data()).fault_light is True
    await api.set_fault_light(False)
    assert not sim.state.fault_light
    await api.close()


class RacingLED(VNishS19):
    """Another client toggles the LED between our read and our first toggle, or the LED is
    stuck (``stuck``): find-miner answers a state that is not the one asked for."""

    stuck: ClassVar[bool] = False
    raced = False

    async def _find_miner(self, request: web.Request) -> web.Response:
        if self.stuck:
            return web.json_response({"on": self.state.fault_light})
        if not self.raced:
            self.raced = True
            self.state.fault_light = not self.state.fault_light  # the other client
        return await super()._find_miner(request)


class StuckLED(RacingLED):
    stuck = True


async def test_fault_light_toggled_meanwhile(simulator: SimulatorFactory) -> None:
    sim, api = await vnish(simulator, RacingLED)
    await api.set_fault_light(True)
    assert sim.state.fault_light
    assert sim.received.count("POST /api/v1/find-miner") == 2
    await api.close()
    sim, api = await vnish(simulator, StuckLED)
    with pytest.raises(APIRefusalError, match="did not switch on"):
        await api.set_fault_light(True)
    await api.close()


async def test_power_preset_is_read_back(simulator: SimulatorFactory) -> None:
    sim, api = await vnish(simulator)
    await api.get_data()
    await api.set_power_preset("2800")
    assert (sim.state.work_mode, sim.state.power_limit) == ("2800", 2800)
    assert sim.received[-3:] == [
        "GET /api/v1/settings",
        "POST /api/v1/settings",
        "GET /api/v1/settings",
    ]
    data = await api.get_data()
    assert data.power_preset == "2800"
    assert data.hashrate == pytest.approx(sim.state.nominal_hashrate * 2800 / 3250, abs=0.01)
    with pytest.raises(ValueError, match="2800"):
        await api.set_power_preset("3700")  # needs a modded PSU: not offered
    await api.close()


class IgnoresPresets(VNishS19):
    """Answers ``{"restart_required": false, ...}`` and applies nothing (as real VNish does
    when it does not take a setting)."""

    async def _post_settings(self, request: web.Request) -> web.Response:
        await request.read()
        return web.json_response({"restart_required": False, "reboot_required": False})


class NoOverclock(VNishS19):
    async def _get_settings(self, request: web.Request) -> web.Response:
        return web.json_response({"miner": {"overclock": None}})


async def test_power_preset_not_applied(simulator: SimulatorFactory) -> None:
    sim, api = await vnish(simulator, IgnoresPresets)
    await api.get_data()
    with pytest.raises(APIRefusalError, match="did not apply the power preset '2800'"):
        await api.set_power_preset("2800")
    assert sim.state.work_mode == "disabled"
    await api.close()
    _, api = await vnish(simulator, NoOverclock)
    await api.get_data()
    with pytest.raises(APIDecodeError, match="no overclock settings"):
        await api.set_power_preset("2800")
    await api.close()


# --- unlock --------------------------------------------------------------------------------


async def test_expired_token_unlocks_again_once(simulator: SimulatorFactory) -> None:
    sim, api = await vnish(simulator)
    await api.pause_mining()
    personality(sim).expire_sessions()
    sim.received.clear()
    await api.resume_mining()
    assert sim.received == [
        "POST /api/v1/mining/resume",  # 401
        "POST /api/v1/unlock",
        "POST /api/v1/mining/resume",
    ]
    assert not sim.state.paused
    await api.close()


async def test_wrong_password(simulator: SimulatorFactory) -> None:
    sim, api = await vnish(simulator, password="not-the-password")
    # The first poll says the password is wrong (Home Assistant asks for a new one) ...
    with pytest.raises(APIAuthError, match="HTTP 403"):
        await api.get_data()
    # ... the next ones read without it, as they can: no unlock each poll.
    sim.received.clear()
    data = await api.get_data()
    assert data.hashrate
    assert "POST /api/v1/unlock" not in sim.received
    assert [pool.user for pool in data.pools] == [None, None]
    # A control, or a check, tries the password again.
    with pytest.raises(APIAuthError):
        await api.pause_mining()
    with pytest.raises(APIAuthError, match="HTTP 403"):
        await api.check_password()
    assert not sim.state.paused
    await api.close()


class RateLimited(VNishS19):
    """Too many wrong passwords: VNish refuses every unlock for a while (429)."""

    async def _unlock(self, request: web.Request) -> web.Response:
        await request.read()
        return web.json_response({"unlock_timeout": 30}, status=429)


class BrokenUnlock(VNishS19):
    async def _unlock(self, request: web.Request) -> web.Response:
        await request.read()
        if self.state.paused:
            return web.json_response({"err": "Internal error"}, status=500)
        return web.json_response({"token": ""})


async def test_unlock_rate_limit_is_not_hammered(simulator: SimulatorFactory) -> None:
    sim, api = await vnish(simulator, RateLimited)
    with pytest.raises(APIRefusalError, match="refuses to unlock for 30 s"):
        await api.pause_mining()
    sim.received.clear()
    with pytest.raises(APIRefusalError, match="refuses to unlock for 30 s"):
        await api.pause_mining()
    assert sim.received == []  # no unlock before the wait is over
    # The readings are open: the poll goes on over cgminer's API meanwhile.
    data = await api.get_data()
    assert data.hashrate
    assert sim.requests  # the summary needed a token: cgminer answered instead
    await api.close()


async def test_unlock_without_token_or_failing(simulator: SimulatorFactory) -> None:
    sim, api = await vnish(simulator, BrokenUnlock)
    with pytest.raises(APIDecodeError, match="no token in the reply"):
        await api.check_password()
    sim.state.paused = True
    with pytest.raises(APIRefusalError, match="HTTP 500: Internal error"):
        await api.check_password()
    await api.close()


class TersePlatform(VNishS19):
    """Errors without VNish's ``{"err"}`` wording: a text 500, a text 429."""

    async def _unlock(self, request: web.Request) -> web.Response:
        await request.read()
        return web.Response(status=429, text="slow down")

    async def _mining(self, request: web.Request) -> web.Response:
        return web.Response(status=500, text="segfault")

    async def _reboot(self, request: web.Request) -> web.Response:
        return web.json_response(["not", "an", "err"], status=500)


async def test_refusals_without_vnish_wording(simulator: SimulatorFactory) -> None:
    sim, api = await vnish(simulator, TersePlatform)
    assert Capability.POWER_PRESET not in api.capabilities  # no presets read yet
    assert Capability.PAUSE_RESUME in api.capabilities
    with pytest.raises(APIRefusalError, match=r"refuses to unlock after too many attempts"):
        await api.check_password()
    api.web = MinerHTTP(  # a token without unlocking (the test's shortcut)
        "127.0.0.1", api.web_port, lock=api.device_lock, auth=StaticToken(personality(sim))
    )
    with pytest.raises(APIRefusalError, match="HTTP 500: 'segfault'"):
        await api.pause_mining()
    with pytest.raises(APIRefusalError, match=r"HTTP 500: '\["):
        await api.reboot()
    with pytest.raises(APIUnsupportedError):
        await Unlock(lambda: None).login(HTTPClient("127.0.0.1", api.web_port))
    await api.close()


class StaticToken:
    """Hands out a token the personality issued, without unlocking."""

    def __init__(self, vnish_web: VNishS19) -> None:
        self.token = "static-test-token"
        vnish_web.tokens.add(self.token)

    async def headers(self, http: HTTPClient, *, renew: bool) -> dict[str, str]:
        return {"Authorization": self.token}


# --- fallbacks and faults --------------------------------------------------------------------


async def test_refused_summary_falls_back_to_cgminer(simulator: SimulatorFactory) -> None:
    sim, api = await vnish(simulator)
    before = await api.get_data()
    sim.set_fault(Fault.HTTP_500)  # the web server fails, cgminer does not
    sim.received.clear()
    data = await api.get_data()
    assert sim.requests  # read on the API port
    assert data.hashrate == pytest.approx(before.hashrate, abs=0.5)
    assert len(data.boards) == 3
    assert (data.model, data.mac) == (before.model, before.mac)  # the identity stays
    assert "tcp" in api.last_replies
    sim.set_fault(Fault.NONE)
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == []  # back on REST
    await api.close()


class SummaryMissing(VNishS19):
    """The summary is not served (like the capture whose summary was cut) or has no miner."""

    null_miner: ClassVar[bool] = False

    async def _summary(self, request: web.Request) -> web.Response:
        if self.null_miner:
            return web.json_response({"miner": None})
        return web.Response(status=404, text="Not Found")


class NullMiner(SummaryMissing):
    null_miner = True


@pytest.mark.parametrize("cls", [SummaryMissing, NullMiner])
async def test_status_alone_when_nothing_else_answers(
    simulator: SimulatorFactory, cls: type[VNishS19]
) -> None:
    sim, api = await vnish(simulator, cls, port=closed_port())
    data = await api.get_data()
    assert (data.is_mining, data.hashrate, data.boards) == (True, None, [])
    assert data.uptime is not None
    assert (data.model, data.fault_light, data.power_preset) == ("S19", False, "disabled")
    assert sim.received.count("GET /api/v1/status") == 1  # not asked twice in one poll
    await api.close()


class FlakySummary(VNishS19):
    """Mining for five minutes; the summary fails (500) while ``failing``, everything else
    answers."""

    failing = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._state_since -= 300
        self.state.started_at -= 300

    async def _summary(self, request: web.Request) -> web.Response:
        if self.failing:
            return self.http_error(500, "summary failed")
        return await super()._summary(request)


async def test_a_failing_summary_keeps_the_uptime_on_its_clock(
    simulator: SimulatorFactory,
) -> None:
    """REST's ``miner_state_time`` and cgminer's ``Elapsed`` are two clocks: a poll read over
    cgminer (the summary failed once) continues REST's, so the start time stays and neither
    the identity nor the rare reads are read again; a cgminer that restarted since the last
    REST reading is a restart."""
    sim, api = await vnish(simulator, FlakySummary)
    sim.state.started_at -= 600  # cgminer ran ten minutes before this mining state began
    flaky = sim.personality
    assert isinstance(flaky, FlakySummary)
    data = await api.get_data()
    assert data.uptime is not None
    started = time.monotonic() - data.uptime
    for failing in (True, False, True, True, False):
        flaky.failing = failing
        sim.received.clear()
        data = await api.get_data()
        assert ("tcp" in api.last_replies) is failing
        assert data.uptime is not None
        assert time.monotonic() - data.uptime == pytest.approx(started, abs=2)
        assert "GET /api/v1/info" not in sim.received  # no restart: the identity stands
        assert "GET /api/v1/status" not in sim.received  # nor are the rare reads due
        assert (data.model, data.mac) == ("S19", sim.state.mac.lower())
    # cgminer restarted after the last REST reading (two minutes ago): a restart.
    flaky.failing = True
    sim.state.started_at = time.monotonic()
    assert api.clock.rest_at is not None
    api.clock = replace(api.clock, rest_at=api.clock.rest_at - 2 * UPTIME_SLACK)
    sim.received.clear()
    data = await api.get_data()
    assert data.uptime is not None
    assert data.uptime < 5  # cgminer's clock now
    assert "GET /api/v1/info" in sim.received  # the identity is read again
    await api.close()


def test_mining_clock() -> None:
    """REST's clock continued over cgminer until cgminer shows a restart since the last REST
    reading; cgminer's alone where REST never answered; a change back to REST's is marked."""
    clock = MiningClock().rest(100, now=1000.0)
    assert (clock.uptime, clock.switched) == (100, True)
    assert clock.tcp(745, now=1010.0).uptime == 110  # cgminer ran before: REST's clock
    assert clock.tcp(None, now=1010.0).uptime == 110
    assert clock.tcp(0, now=1000.0 + UPTIME_SLACK).uptime == 100 + UPTIME_SLACK  # too close
    restarted = clock.tcp(5, now=1010.0 + UPTIME_SLACK)
    assert (restarted.uptime, restarted.rest_at) == (5, None)  # restarted since: cgminer's
    assert restarted.tcp(65, now=1070.0 + UPTIME_SLACK).uptime == 65
    assert restarted.rest(20, now=1080.0 + UPTIME_SLACK).switched  # back to REST's clock
    assert not clock.rest(120, now=1020.0).switched
    paused = MiningClock().rest(None, now=1000.0)
    assert paused.tcp(745, now=1010.0).uptime is None  # REST said it was not mining
    assert MiningClock().tcp(745, now=1.0).uptime == 745  # REST never answered


# --- without REST (VNish 3.x, a web port that is closed or serves no /api/v1) -----------------


def rare_reads_due(api: VNishAPI) -> None:
    """Move the last rare read ``REFRESH_SECONDS`` back: the next poll makes them (and asks
    REST again, while it was not there)."""
    assert api.refresh.read_at is not None
    api.refresh = replace(api.refresh, read_at=api.refresh.read_at - REFRESH_SECONDS)


async def test_web_port_closed_reads_cgminer(simulator: SimulatorFactory) -> None:
    """The S19's web port closed: VNish over cgminer's API alone, one request a steady poll,
    the dead web port asked again only with the rare reads."""
    sim = await simulator("vnish-s19", password=PASSWORD, jitter=False)  # no web port
    assert sim.port is not None
    assert sim.web_port is None
    api = VNishAPI("127.0.0.1", sim.port, password=PASSWORD, web_port=closed_port())
    data = await api.get_data()
    assert api.rest is False
    assert (data.make, data.model, data.firmware) == ("Antminer", "S19", "1.2.6")
    assert (data.mac, data.hostname) == (None, None)  # cgminer does not say them
    assert data.hashrate == pytest.approx(sim.state.nominal_hashrate, abs=0.5)
    assert [board.index for board in data.boards] == [0, 1, 2]
    assert len(data.fans) == 4
    assert [(pool.user, pool.active) for pool in data.pools] == [
        ("vnishuser.s19", True),
        ("vnishuser.s19", False),
    ]
    assert (data.fault_light, data.power_preset) == (None, None)  # REST's readings
    assert sim.requests == ["version+stats", "stats+summary+pools"]
    assert "vnishuser" not in json.dumps(api.last_replies)  # pool users kept out
    for _ in range(2):
        sim.received.clear()
        await api.get_data()
        assert sim.received == ["stats"]
    # Read-only: no control without REST, and a password that is not used is not checked.
    assert api.capabilities == frozenset()
    assert api.power_presets == ()
    sim.received.clear()
    await api.check_password()
    assert sim.received == []
    # The rare reads ask REST again (still refused); cgminer reads the poll all the same.
    rare_reads_due(api)
    checked = api.refresh.read_at
    sim.received.clear()
    data = await api.get_data()
    assert sim.received == ["stats"]
    assert data.hashrate is not None
    assert api.rest is False
    assert api.refresh.read_at is not None
    assert checked is not None
    assert api.refresh.read_at > checked  # not asked again before the next rare read
    await api.close()


class WithoutREST(VNishS19):
    """VNish's web server without the REST API (every ``/api/v1`` path 404, as where VNish 3.x
    serves its own pages), until ``serves_rest``."""

    serves_rest = False

    def web_app(self) -> web.Application:
        app = super().web_app()

        @web.middleware
        async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
            if not self.serves_rest:
                return web.Response(status=404, text="Not Found")
            return await handler(request)

        app.middlewares.append(gate)
        return app


def clear(sim: MinerSimulator) -> None:
    sim.requests.clear()
    sim.received.clear()


def gated(sim: MinerSimulator) -> WithoutREST:
    assert isinstance(sim.personality, WithoutREST)
    return sim.personality


async def test_rest_found_later_and_lost_again(simulator: SimulatorFactory) -> None:
    """No ``/api/v1`` (404): cgminer reads the miner; REST found at a rare read takes over
    (and reads the identity again: ``/info`` has the MAC); REST lost again (404) gives the
    poll back to cgminer, the identity kept."""
    sim, api = await vnish(simulator, WithoutREST)
    await api.check_password()  # the unlock is not found: no REST API, nothing to check
    assert web_requests(sim) == ["POST /api/v1/unlock"]
    clear(sim)
    data = await api.get_data()
    assert web_requests(sim) == ["POST /api/v1/unlock"]  # 404: no REST API here
    assert (api.rest, data.model, data.firmware, data.mac) == (False, "S19", "1.2.6", None)
    assert api.capabilities == frozenset()
    await api.check_password()  # the password is not used: nothing to check
    clear(sim)
    await api.get_data()
    assert sim.received == ["stats"]

    gated(sim).serves_rest = True
    rare_reads_due(api)
    clear(sim)
    data = await api.get_data()
    assert api.rest is True
    assert web_requests(sim)[:2] == ["POST /api/v1/unlock", "GET /api/v1/summary"]
    assert sim.requests == []
    assert data.power == 3250.0  # the REST summary's
    clear(sim)
    data = await api.get_data()
    assert sim.received == ["GET /api/v1/info", "GET /api/v1/summary"]  # the identity, once
    assert (data.firmware, data.mac) == ("Vnish 1.2.6", sim.state.mac.lower())
    assert Capability.PAUSE_RESUME in api.capabilities
    clear(sim)
    await api.get_data()
    assert sim.received == ["GET /api/v1/summary"]

    gated(sim).serves_rest = False
    clear(sim)
    data = await api.get_data()
    assert api.rest is False
    assert web_requests(sim) == ["GET /api/v1/summary"]
    assert sim.requests == ["stats"]  # pools and summary as cgminer last read them
    assert [pool.user for pool in data.pools] == ["vnishuser.s19", "vnishuser.s19"]
    assert data.hashrate == pytest.approx(sim.state.nominal_hashrate, abs=0.5)
    assert (data.firmware, data.mac) == ("Vnish 1.2.6", sim.state.mac.lower())  # kept
    assert (data.fault_light, data.power_preset) == (None, None)  # REST's, unknown now
    assert api.capabilities == frozenset()
    clear(sim)
    await api.get_data()
    assert sim.received == ["stats"]
    await api.close()


@pytest.mark.parametrize("cls", [SummaryMissing, NullMiner])
async def test_unusable_summary_with_cgminer(
    simulator: SimulatorFactory, cls: type[VNishS19]
) -> None:
    """A summary that is not served (404) leaves REST until its next rare read: cgminer's
    ``stats`` alone each poll. One without readings (``null`` miner) is asked again each poll:
    REST is there."""
    sim, api = await vnish(simulator, cls)
    data = await api.get_data()
    assert data.hashrate == pytest.approx(sim.state.nominal_hashrate, abs=0.5)
    assert data.mac == sim.state.mac.lower()  # the identity of /info
    sim.received.clear()
    await api.get_data()
    if cls is SummaryMissing:
        assert api.rest is False
        assert data.fault_light is None  # REST's rare reads are not made without it
        assert sim.received == ["stats"]
    else:
        assert api.rest is not False
        assert data.fault_light is False
        assert sim.received == ["GET /api/v1/summary", "stats"]
    await api.close()


class OtherInfo(VNishS19):
    """An ``/api/v1/info`` of another shape (another firmware on the same path)."""

    listed: ClassVar[bool] = False

    async def _info(self, request: web.Request) -> web.Response:
        return web.json_response([] if self.listed else {"fw_name": "Other"})


class ListedInfo(OtherInfo):
    listed = True


@pytest.mark.parametrize("cls", [OtherInfo, ListedInfo])
async def test_probe_wants_vnish_info(simulator: SimulatorFactory, cls: type[VNishS19]) -> None:
    sim, _ = await vnish(simulator, cls)
    assert sim.web_port is not None
    http = HTTPClient("127.0.0.1", sim.web_port)
    assert await probe(http) is None
    await http.close()


class Unreadable(VNishS19):
    """Every reply a 200 of non-JSON (an info page that is not JSON, a broken summary)."""

    async def _info(self, request: web.Request) -> web.Response:
        return web.Response(text="<html>VNish</html>")

    async def _summary(self, request: web.Request) -> web.Response:
        return web.Response(text="{broken")

    async def _status(self, request: web.Request) -> web.Response:
        return web.Response(text="{broken")


async def test_nothing_readable_fails_with_the_summary_error(simulator: SimulatorFactory) -> None:
    _sim, api = await vnish(simulator, Unreadable, port=closed_port())
    with pytest.raises(APIDecodeError, match="summary: reply is not JSON"):
        await api.get_data()
    assert api.identity is not None
    assert api.identity.model is None  # the info page was no JSON: read again next poll
    await api.close()


class BrokenInfo(VNishS19):
    """``/api/v1/info`` refused (500), unreadable, or without ``miner``, until ``fixed``; the
    summary answers all along."""

    broken: ClassVar[str] = "500"
    fixed = False

    async def _info(self, request: web.Request) -> web.Response:
        if self.fixed:
            return await super()._info(request)
        if self.broken == "500":
            return self.http_error(500, "internal")
        if self.broken == "garbage":
            return web.Response(text="<html>VNish</html>")
        info = json.loads((await super()._info(request)).text)
        del info["miner"]
        return web.json_response(info)


class GarbledInfo(BrokenInfo):
    broken = "garbage"


class InfoWithoutModel(BrokenInfo):
    broken = "no miner"


@pytest.mark.parametrize("cls", [BrokenInfo, GarbledInfo, InfoWithoutModel])
async def test_incomplete_identity_is_retried_now_and_then(
    simulator: SimulatorFactory, cls: type[BrokenInfo]
) -> None:
    """An ``/info`` that names no model leaves the readings alone and is read again every
    ``REFRESH_SECONDS``, not at every poll: the summary stays the one steady request."""
    sim, api = await vnish(simulator, cls)
    data = await api.get_data()
    assert data.model is None
    assert data.hashrate == pytest.approx(sim.state.nominal_hashrate, abs=0.01)
    for _ in range(3):
        sim.received.clear()
        await api.get_data()
        assert sim.received == ["GET /api/v1/summary"]
    assert isinstance(sim.personality, BrokenInfo)
    sim.personality.fixed = True
    assert api.identity_retry.read_at is not None
    retried = api.identity_retry.read_at - REFRESH_SECONDS
    api.identity_retry = replace(api.identity_retry, read_at=retried)
    await api.get_data()  # the retry is due: this poll forgets the identity
    sim.received.clear()
    data = await api.get_data()
    assert sim.received == ["GET /api/v1/info", "GET /api/v1/summary"]
    assert (data.model, data.firmware) == ("S19", "Vnish 1.2.6")
    sim.received.clear()
    await api.get_data()
    assert sim.received == ["GET /api/v1/summary"]
    await api.close()


@pytest.mark.parametrize("password", [PASSWORD, None])
async def test_http_401_is_a_password_error(
    simulator: SimulatorFactory, password: str | None
) -> None:
    sim, api = await vnish(simulator, password=password)
    await api.get_data()
    sim.set_fault(Fault.HTTP_401)
    with pytest.raises(APIAuthError):
        await api.get_data()
    await api.close()


# --- secrets, detection ---------------------------------------------------------------------


async def test_token_and_password_never_shown(simulator: SimulatorFactory) -> None:
    sim, api = await vnish(simulator)
    await api.get_data()
    await api.set_fault_light(True)
    token = next(iter(personality(sim).tokens))
    texts = [repr(api), repr(api.auth), repr(api.web), json.dumps(api.last_replies)]
    sim.set_fault(Fault.WRONG_PASSWORD)
    for call in (api.check_password(), api.pause_mining()):
        with pytest.raises(APIAuthError) as caught:
            await call
        texts += [str(caught.value), repr(caught.value)]
    for text in texts:
        assert token not in text
        assert PASSWORD not in text
    await api.close()


async def test_probe_and_detection(simulator: SimulatorFactory) -> None:
    sim, _ = await vnish(simulator)
    assert sim.web_port is not None
    assert sim.port is not None
    http = HTTPClient("127.0.0.1", sim.web_port, limits=Limits(timeout=2.0))
    assert await probe(http) is VNishAPI
    await http.close()
    bos = await simulator("braiins-os-s19xp", web_port=0)
    assert bos.web_port is not None
    http = HTTPClient("127.0.0.1", bos.web_port, limits=Limits(timeout=2.0))
    assert await probe(http) is None  # 401 without a token: not VNish
    await http.close()
    http = HTTPClient("127.0.0.1", closed_port(), limits=Limits(timeout=2.0))
    with pytest.raises(APIConnectionError):  # a dead port: detection asks no further
        await probe(http)
    await http.close()
    # The REST API wins over VNish's cgminer; without the web port, cgminer's ``Type`` names
    # VNish, and the same client reads the miner over cgminer's API.
    found = await detect_api("127.0.0.1", sim.port, timeout=3.0, web_port=sim.web_port)
    assert type(found) is VNishAPI
    assert (found.port, found.web_port) == (sim.port, sim.web_port)
    found = await detect_api("127.0.0.1", sim.port, timeout=3.0, web_port=closed_port())
    assert type(found) is VNishAPI
    data = await found.get_data()
    assert (data.model, data.firmware, data.hashrate is not None) == ("S19", "1.2.6", True)
    assert found.rest is False
    # With the API port closed, the web port alone tells.
    found = await detect_api("127.0.0.1", closed_port(), timeout=3.0, web_port=sim.web_port)
    assert type(found) is VNishAPI
    data = await found.get_data()
    assert data.hashrate
    await found.close()


async def test_limits_follow_the_client(simulator: SimulatorFactory) -> None:
    sim, api = await vnish(simulator)
    api.timeout = 0.3
    sim.set_fault(Fault.SILENT)
    with pytest.raises(APIConnectionError, match=r"within 0\.3 s"):
        await api.get_data()
    sim.set_fault(Fault.NONE)
    await api.close()
