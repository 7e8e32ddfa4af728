"""``BraiinsOSAPI`` against the simulated Braiins OS+ 25.07 S19 XP over real loopback sockets:
the REST API with root's password (four steady requests, rare reads, token renewal, every
control), bosminer's API without a password or without a REST API, and the quirks of the real
replies (as fixtures of our own)."""

from __future__ import annotations

from dataclasses import replace
import json
import socket
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
    BOSMinerAPI,
    BraiinsOSAPI,
    Capability,
    HTTPClient,
    Limits,
    detect_api,
)
from custom_components.asic_miner.api.braiins_os import (
    REST_CONTROLS,
    Login,
    errors_since_start,
    freshest,
    map_cooling,
    map_hashboards,
    map_pools,
    power_target,
    power_target_bounds,
    probe,
)
from custom_components.asic_miner.api.refresh import REFRESH_SECONDS
from simulator import Fault, MinerSimulator
from simulator.personalities.braiins_os import BraiinsOSRest

from .conftest import SimulatorFactory, serving

PASSWORD = "Br41ns-Secret-pw"
STEADY = [
    "GET /api/v1/miner/details",
    "GET /api/v1/miner/stats",
    "GET /api/v1/miner/hw/hashboards",
    "GET /api/v1/cooling/state",
]
RARE = [
    "GET /api/v1/performance/tuner-state",
    "GET /api/v1/configuration/constraints",
    "GET /api/v1/pools/",
    "GET /api/v1/miner/errors",
    "GET /api/v1/actions/locate",
]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def braiins(
    simulator: SimulatorFactory,
    personality: str | type[BraiinsOSRest] = "braiins-os-s19xp",
    *,
    password: str | None = PASSWORD,
    web_port: int | None = None,
) -> tuple[MinerSimulator, BraiinsOSAPI]:
    sim = await simulator(personality, password=PASSWORD, web_port=0, jitter=False)
    assert sim.web_port is not None
    assert sim.port is not None
    api = BraiinsOSAPI(
        "127.0.0.1",
        sim.port,
        password=password,
        web_port=sim.web_port if web_port is None else web_port,
    )
    return sim, api


def rest(sim: MinerSimulator) -> BraiinsOSRest:
    assert isinstance(sim.personality, BraiinsOSRest)
    return sim.personality


# --- REST readings -------------------------------------------------------------------------


async def test_poll_reads_the_rest_api(simulator: SimulatorFactory) -> None:
    sim, api = await braiins(simulator)
    sim.state.started_at -= 1000  # bosminer has run for a while
    data = await api.get_data()
    state = sim.state
    assert (data.make, data.model) == ("Antminer", "S19 XP")
    assert data.firmware == "2025-08-06-0-3881c51d-25.07-plus"
    assert (data.mac, data.hostname, data.serial) == (state.mac.lower(), "Antminer", None)
    assert api.identity is not None
    assert api.identity.miner_id == "SimBraiinsUid2507"
    assert data.hashrate == pytest.approx(state.current_hashrate(), abs=0.01)
    assert data.average_hashrate == data.hashrate
    assert data.expected_hashrate == pytest.approx(state.nominal_hashrate * state.scale(), 0.001)
    assert data.power == round(state.current_power())
    assert data.power_limit == 3031.0
    assert api.power_limit_bounds == (1200, 4000)
    assert [(b.index, b.chips) for b in data.boards] == [(0, 110), (1, 110), (2, 110)]
    assert data.temperature == 54.0
    assert data.chip_temperature == 69.5
    assert (data.inlet_temperature, data.outlet_temperature) == (38.0, 54.0)
    assert [(fan.rpm, fan.percent) for fan in data.fans] == [
        (state.fan_rpm(i), 100) for i in range(4)
    ]
    assert [(p.url, p.user, p.active) for p in data.pools] == [
        ("stratum+tcp://stratum.example-pool.com:3333", "braiins.s19xp", True),
        ("stratum+tcp://backup.example-pool.com:3333", "braiins.s19xp", False),
    ]
    assert (data.shares_accepted, data.shares_rejected) == (10_464, 18)
    assert (data.best_session_difficulty, data.blocks_found) == (776_000_000.0, 0)
    assert data.uptime is not None
    assert data.uptime >= 1000
    assert (data.is_mining, data.fault_light, data.errors) == (True, False, [])
    assert api.capabilities == {
        Capability.PAUSE_RESUME,
        Capability.RESTART_BACKEND,
        Capability.REBOOT,
        Capability.FAULT_LIGHT,
        Capability.POWER_LIMIT,
    }
    assert sim.requests == []  # nothing on bosminer's port
    await api.close()


async def test_four_requests_per_steady_poll(simulator: SimulatorFactory) -> None:
    sim, api = await braiins(simulator)
    await api.get_data()
    assert sim.received == [
        "POST /api/v1/auth/login",
        *STEADY,  # miner/details: the identity and the poll
        *RARE,
    ]
    for _ in range(3):
        sim.received.clear()
        await api.get_data()
        assert sim.received == STEADY
    assert api.refresh.read_at is not None
    api.refresh = replace(api.refresh, read_at=api.refresh.read_at - REFRESH_SECONDS)
    sim.received.clear()
    await api.get_data()
    assert sim.received == STEADY + RARE
    await api.close()


async def test_current_errors_only(simulator: SimulatorFactory) -> None:
    sim, api = await braiins(simulator)
    sim.state.errors = ["Hashboard 2: no chips answer", "Hashboard 2: no chips answer"]
    data = await api.get_data()
    assert data.errors == ["Hashboard 2: no chips answer"]
    await api.close()


def test_real_reply_quirks() -> None:
    """asic-rs' S19 XP replies, as our own fixtures: the freshest window, disabled boards,
    ids from "1", fan ratios, an error log that is mostly history."""
    rates = {"last_1m": {"gigahash_per_second": 144009.0757}}
    assert freshest(rates) == pytest.approx(144.0090757)
    assert freshest({"last_5s": {"gigahash_per_second": 141463.565}, **rates}) == pytest.approx(
        141.463565
    )
    assert freshest(None) is None
    boards = map_hashboards(
        {
            "hashboards": [
                {"id": "1", "enabled": True, "chips_count": 110,
                 "board_temp": {"degree_c": 55.5},
                 "highest_chip_temp": {"temperature": {"degree_c": 70.5}},
                 "stats": {"real_hashrate": {"last_5s": {"gigahash_per_second": 50137.7}}}},
                {"id": "2", "enabled": False, "chips_count": 0},
                {"id": "3", "board_temp": {"degree_c": 0.0}, "chips_count": 110},
            ]
        }
    )  # fmt: skip
    assert [(b.index, b.hashrate, b.temperature, b.chip_temperature) for b in boards] == [
        (0, pytest.approx(50.1377), 55.5, 70.5),
        (2, None, None, None),  # a 0 °C board temperature is a placeholder
    ]
    assert [b.index for b in map_hashboards({"hashboards": [{"id": "0"}, {}]})] == [0, 1]
    fans = map_cooling({"fans": [{"position": 0, "rpm": 5904, "target_speed_ratio": 1.0},
                                 {"rpm": 0, "target_speed_ratio": None}]})  # fmt: skip
    assert [(f.index, f.rpm, f.percent) for f in fans] == [(0, 5904, 100), (1, 0, None)]
    pools = map_pools(
        [{"pools": [{"url": "stratum+tcp://a:3333", "user": "u", "alive": True, "active": True,
                     "stats": {"accepted_shares": 4, "rejected_shares": 0}},
                    {"url": ""}, {"url": "stratum+tcp://b:3333", "alive": "yes"}]}]
    )  # fmt: skip
    assert [(p.url, p.alive, p.active, p.accepted) for p in pools] == [
        ("stratum+tcp://a:3333", True, True, 4),
        ("stratum+tcp://b:3333", None, None, None),
    ]
    log = [
        {"message": 'Failed to resolve ("pool.example", 3336)',
         "timestamp": "2026-03-22T05:43:43.268950Z"},
        {"message": 'Failed to resolve ("mine.example", 3334)',
         "timestamp": "2015-01-01T00:00:37.638808Z"},  # clock not set yet
        {"message": "Hashboard 3: overheated", "timestamp": "2026-04-17T10:00:00Z"},
        {"message": "no time", "timestamp": "yesterday"},
        {"message": "naive", "timestamp": "2026-04-17T10:00:00"},
        {"message": "", "timestamp": "2026-04-17T10:00:00Z"},
    ]  # fmt: skip
    last_share = 1776446524.0  # 2026-04-17T17:22:04Z
    assert errors_since_start(log, 69685, last_share) == ["Hashboard 3: overheated"]
    assert errors_since_start(log, 10, last_share) == []  # older than this run
    # Without the miner's time, the newest entry stands for it.
    assert errors_since_start(log, 60, None) == ["Hashboard 3: overheated"]
    assert errors_since_start([], 60, last_share) == []
    assert power_target_bounds({"tuner_constraints": {"power_target": {
        "min": {"watt": 4000}, "max": {"watt": 1200}}}}) is None  # fmt: skip
    assert power_target_bounds({"tuner_constraints": None}) is None
    assert power_target({"mode_state": {"hashratetargetmodestate": {}}}) is None


class Hostile(BraiinsOSRest):
    """A REST API writing numbers near the end of the float range."""

    def cooling(self) -> dict[str, Any]:
        reply = super().cooling()
        reply["fans"][0]["target_speed_ratio"] = 1e307  # 1e309 % is inf
        return reply

    def constraints(self) -> dict[str, Any]:
        reply = super().constraints()
        reply["tuner_constraints"]["power_target"]["max"] = {"watt": 1e308}
        return reply


async def test_huge_values_are_no_readings(simulator: SimulatorFactory) -> None:
    """A fan ratio whose percent overflows and a power bound no miner has: no percent and no
    bounds (never an ``OverflowError``, nor an integer of 309 digits), the rest read."""
    _, api = await braiins(simulator, Hostile)
    data = await api.get_data()
    assert data.hashrate
    assert data.fans[0].percent is None
    assert data.fans[1].percent == 100
    assert api.power_limit_bounds is None
    await api.close()


async def test_restricted_status_follows_the_hashrate(simulator: SimulatorFactory) -> None:
    class Restricted(BraiinsOSRest):
        def details(self) -> dict[str, Any]:
            return super().details() | {"status": 5}

    sim, api = await braiins(simulator, Restricted)
    data = await api.get_data()
    assert data.is_mining is True  # status 5 is not public: the hashrate says it
    sim.state.paused = True
    assert (await api.get_data()).is_mining is False  # status 3 PAUSED
    await api.close()


# --- without the REST API ------------------------------------------------------------------


async def test_without_password_bosminer_reads(simulator: SimulatorFactory) -> None:
    sim, api = await braiins(simulator, password=None)
    assert (await api.get_identity()).firmware  # bosminer's, asked directly
    data = await api.get_data()
    assert data.hashrate
    assert len(sim.requests) == 2  # the identity, then one joined poll: bosminer's client
    assert sim.requests[0].startswith("version")
    assert not [name for name in sim.received if name.startswith(("GET", "POST", "PUT"))]
    assert api.capabilities == {Capability.PAUSE_RESUME}
    assert api.power_limit_bounds is None
    assert api.identity is not None
    assert api.identity.firmware  # bosminer's version
    assert "summary" in json.dumps(api.last_replies)
    await api.pause_mining()
    assert sim.state.paused
    await api.resume_mining()
    assert not sim.state.paused
    for control in (api.reboot(), api.restart_backend(), api.set_fault_light(True)):
        with pytest.raises(APIUnsupportedError):
            await control
    with pytest.raises(APIUnsupportedError):
        await api.set_power_limit(3000)
    await api.check_password()
    await api.close()


class NoRestAPI(BraiinsOSRest):
    """Braiins OS before 25.07: a web interface, but no REST login (404)."""

    async def _login(self, request: web.Request) -> web.Response:
        await request.read()
        return web.Response(status=404, text="Not Found")


async def test_older_braiins_os_stays_on_bosminer(simulator: SimulatorFactory) -> None:
    sim, api = await braiins(simulator, NoRestAPI)
    await api.check_password()  # the password is not used: nothing to check
    data = await api.get_data()
    assert data.hashrate
    assert api.rest is False
    sim.received.clear()
    await api.get_data()
    assert "POST /api/v1/auth/login" not in sim.received  # decided for a while
    assert api.rest_retry.read_at is not None
    api.rest_retry = replace(api.rest_retry, read_at=api.rest_retry.read_at - REFRESH_SECONDS)
    sim.received.clear()
    await api.get_data()
    assert sim.received.count("POST /api/v1/auth/login") == 1  # an upgrade would show
    api.forget_identity()
    assert api.rest is None
    await api.close()


class Booting(BraiinsOSRest):
    """The login answers ``answer`` (a status, or a garbled 200) ``refusals`` times first."""

    answer: ClassVar[int | str] = 503
    refusals = 0

    async def _login(self, request: web.Request) -> web.Response:
        if self.refusals > 0:
            self.refusals -= 1
            await request.read()
            if isinstance(self.answer, int):
                return self.http_error(self.answer, "Service Unavailable")
            return web.Response(text="<html>booting</html>")
        return await super()._login(request)


@pytest.mark.parametrize("answer", [500, 503, 429, "garbled"])
async def test_a_failed_login_is_no_missing_rest_api(
    simulator: SimulatorFactory, answer: int | str
) -> None:
    """Only "not found" means no REST API: a login refused otherwise (booting, busy, rate
    limited, garbled) leaves that poll to bosminer's API and is tried again at the next one;
    the REST controls stay offered, and one pressed meanwhile says what went wrong."""
    sim, api = await braiins(simulator, Booting)
    booting = rest(sim)
    assert isinstance(booting, Booting)
    booting.answer = answer
    booting.refusals = 2
    data = await api.get_data()
    assert data.hashrate
    assert sim.requests  # bosminer's API read this poll
    assert api.rest is None  # nothing decided
    assert api.capabilities == REST_CONTROLS
    with pytest.raises(APIRefusalError if answer != "garbled" else APIDecodeError):
        await api.reboot()
    assert not sim.rebooting
    sim.received.clear()
    sim.requests.clear()
    await api.get_data()
    assert sim.received == ["POST /api/v1/auth/login", *STEADY, *RARE]
    assert sim.requests == []
    assert api.rest is True
    assert Capability.POWER_LIMIT in api.capabilities
    await api.close()


async def test_unreachable_web_port_uses_bosminer_meanwhile(simulator: SimulatorFactory) -> None:
    sim, api = await braiins(simulator, web_port=closed_port())
    data = await api.get_data()
    assert data.hashrate
    assert sim.requests
    assert api.rest is None  # nothing decided: the REST API is tried again next poll
    await api.close()


async def test_refused_rest_replies_fall_back_to_bosminer(simulator: SimulatorFactory) -> None:
    sim, api = await braiins(simulator)
    await api.get_data()
    sim.set_fault(Fault.HTTP_500)
    data = await api.get_data()
    assert data.hashrate
    assert sim.requests  # bosminer answered
    assert "summary" in json.dumps(api.last_replies)
    sim.set_fault(Fault.NONE)
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == []
    await api.close()


class Refusing(BraiinsOSRest):
    """Some endpoints refused (404): the rest of the poll still counts."""

    refused: ClassVar[tuple[str, ...]] = ("/hashboards",)

    def web_app(self) -> web.Application:
        app = super().web_app()

        @web.middleware
        async def refuse(request: web.Request, handler: Handler) -> web.StreamResponse:
            if request.path.endswith(self.refused):
                return web.Response(status=404)
            return await handler(request)

        app.middlewares.append(refuse)
        return app


class NoDetails(Refusing):
    refused = ("/details", "/constraints")


async def test_one_refused_read_leaves_the_rest(simulator: SimulatorFactory) -> None:
    sim, api = await braiins(simulator, Refusing)
    data = await api.get_data()
    assert data.boards == []
    assert data.hashrate
    assert data.fans
    assert sim.requests == []
    await api.close()
    sim, api = await braiins(simulator, NoDetails)
    data = await api.get_data()
    assert (data.model, data.mac, data.uptime, data.is_mining) == (None, None, None, True)
    assert api.identity is None  # read again at the next poll
    assert Capability.POWER_LIMIT not in api.capabilities  # no range known
    assert Capability.REBOOT in api.capabilities
    assert sim.requests == []
    await api.close()


async def test_nothing_readable_anywhere(simulator: SimulatorFactory) -> None:
    sim, api = await braiins(simulator)
    await api.get_data()
    sim.set_fault(Fault.GARBAGE)  # the REST replies and bosminer's alike
    with pytest.raises(APIDecodeError, match="not JSON"):
        await api.get_data()
    await api.close()


# --- login and controls --------------------------------------------------------------------


async def test_wrong_password(simulator: SimulatorFactory) -> None:
    sim, api = await braiins(simulator, password="not-the-password")
    with pytest.raises(APIAuthError, match="HTTP 401"):
        await api.get_data()
    with pytest.raises(APIAuthError):
        await api.check_password()
    with pytest.raises(APIAuthError):
        await api.pause_mining()
    assert not sim.state.paused
    await api.close()


async def test_expired_token_logs_in_again_once(simulator: SimulatorFactory) -> None:
    sim, api = await braiins(simulator)
    await api.get_data()
    rest(sim).expire_sessions()
    sim.received.clear()
    await api.get_data()
    assert sim.received[:3] == [
        "GET /api/v1/miner/details",  # 401
        "POST /api/v1/auth/login",
        "GET /api/v1/miner/details",
    ]
    await api.close()


async def test_controls(simulator: SimulatorFactory) -> None:
    sim, api = await braiins(simulator)
    sim.reboot_seconds = 0.2
    await api.get_data()
    await api.pause_mining()
    assert sim.state.paused
    sim.received.clear()
    data = await api.get_data()
    assert data.is_mining is False  # status 3 PAUSED
    assert sim.received == STEADY + RARE  # a control: the rare reads follow
    await api.resume_mining()
    await api.restart_backend()
    assert sim.received[-1] == "PUT /api/v1/actions/restart"
    await api.set_fault_light(True)
    assert sim.state.fault_light
    assert (await api.get_data()).fault_light is True
    await api.set_fault_light(False)
    assert not sim.state.fault_light
    await api.set_power_limit(2500)
    assert sim.state.power_limit == 2500
    assert (await api.get_data()).power_limit == 2500.0
    sim.received.clear()
    with pytest.raises(ValueError, match="1200-4000"):
        await api.set_power_limit(5000)
    assert sim.received == []  # refused before anything is sent
    await api.reboot()
    assert sim.rebooting
    assert api.identity is None
    await api.close()


class Stubborn(BraiinsOSRest):
    """The locate LED stays off; the tuner takes its own power target; a target is refused."""

    async def _action(self, request: web.Request) -> web.Response:
        if request.path.endswith("/locate"):
            await request.read()
            return web.json_response(False)
        return await super()._action(request)

    async def _power_target(self, request: web.Request) -> web.Response:
        body = await request.json()
        if body["watt"] == 1300:
            return self.http_error(400, "Power target is not supported in this tuner mode")
        return web.json_response({"watt": 3000})


async def test_refused_controls_say_why(simulator: SimulatorFactory) -> None:
    _, api = await braiins(simulator, Stubborn)
    await api.get_data()
    with pytest.raises(APIRefusalError, match="stayed off"):
        await api.set_fault_light(True)
    with pytest.raises(APIRefusalError, match="not supported in this tuner mode"):
        await api.set_power_limit(1300)
    with pytest.raises(APIRefusalError, match="set the power target to 3000 W"):
        await api.set_power_limit(2500)
    await api.close()


class NoToken(BraiinsOSRest):
    """A login that answers 403, or 200 without a token."""

    forbidden: ClassVar[bool] = True

    async def _login(self, request: web.Request) -> web.Response:
        await request.read()
        if self.forbidden:
            return web.Response(status=403)
        return web.json_response({"timeout_s": 3600})


class EmptyToken(NoToken):
    forbidden = False


async def test_login_failures(simulator: SimulatorFactory) -> None:
    _, api = await braiins(simulator, NoToken)
    with pytest.raises(APIAuthError, match="HTTP 403"):
        await api.get_data()
    await api.close()
    sim, api = await braiins(simulator, EmptyToken)
    assert sim.web_port is not None
    http = HTTPClient("127.0.0.1", sim.web_port)
    assert await probe(http, PASSWORD) is None  # a login without a token: not this API
    await http.close()
    assert (await api.get_data()).hashrate  # no usable login: bosminer's API this poll
    assert sim.requests
    assert api.rest is None  # a garbled login says nothing: asked again next poll
    with pytest.raises(APIUnsupportedError):
        await Login(lambda: None).login(HTTPClient("127.0.0.1", sim.web_port or 80))
    await api.close()


# --- secrets, probes, detection --------------------------------------------------------------


async def test_token_and_password_never_shown(simulator: SimulatorFactory) -> None:
    sim, api = await braiins(simulator)
    await api.get_data()
    await api.set_fault_light(True)
    tokens = list(rest(sim).tokens)
    texts = [repr(api), repr(api.auth), json.dumps(api.last_replies)]
    sim.set_fault(Fault.WRONG_PASSWORD)
    rest(sim).expire_sessions()
    for call in (api.check_password(), api.pause_mining(), api.get_data()):
        with pytest.raises(APIAuthError) as caught:
            await call
        texts += [str(caught.value), repr(caught.value)]
    for text in texts:
        assert PASSWORD not in text
        for token in tokens:
            assert token not in text
    await api.close()


async def test_probe_and_detection(simulator: SimulatorFactory) -> None:
    sim, _ = await braiins(simulator)
    assert sim.web_port is not None
    assert sim.port is not None

    async def probed(port: int, password: str | None) -> type | None:
        http = HTTPClient("127.0.0.1", port, limits=Limits(timeout=2.0))
        try:
            return await probe(http, password)
        finally:
            await http.close()

    assert await probed(sim.web_port, PASSWORD) is BraiinsOSAPI
    assert await probed(sim.web_port, None) is None
    assert await probed(sim.web_port, "wrong") is None
    with pytest.raises(APIConnectionError):
        await probed(closed_port(), PASSWORD)
    found = await detect_api(
        "127.0.0.1", sim.port, timeout=3.0, password=PASSWORD, web_port=sim.web_port
    )
    assert type(found) is BraiinsOSAPI
    await found.close()
    # No password (or a wrong one): bosminer's API, as before 25.07.
    for password in (None, "wrong"):
        found = await detect_api(
            "127.0.0.1", sim.port, timeout=3.0, password=password, web_port=sim.web_port
        )
        assert type(found) is BOSMinerAPI
    # The API port closed: the REST API alone tells.
    found = await detect_api(
        "127.0.0.1", closed_port(), timeout=3.0, password=PASSWORD, web_port=sim.web_port
    )
    assert type(found) is BraiinsOSAPI
    assert (await found.get_data()).hashrate
    await found.close()


async def test_probe_sends_the_password_only_to_braiins_os(simulator: SimulatorFactory) -> None:
    """Another firmware's web server (here one answering 200 to anything) never sees the
    password typed for detection: the login is only tried once the open front page named
    Braiins OS."""
    seen: list[tuple[str, str, bytes]] = []

    async def anything(request: web.Request) -> web.Response:
        seen.append((request.method, request.path, await request.read()))
        return web.json_response({"token": "not-braiins", "timeout_s": 3600})

    app = web.Application()
    app.router.add_route("*", "/{path:.*}", anything)
    async with serving(app) as port:
        http = HTTPClient("127.0.0.1", port, limits=Limits(timeout=2.0))
        assert await probe(http, PASSWORD) is None
        await http.close()
        with pytest.raises(APIConnectionError):  # nothing found
            await detect_api(
                "127.0.0.1", closed_port(), timeout=3.0, password=PASSWORD, web_port=port
            )
    assert ("GET", "/", b"") in seen
    assert not [path for _, path, _ in seen if path.endswith("/auth/login")]
    assert not [body for _, _, body in seen if PASSWORD.encode() in body]
    # Nor does VNish's web interface (its front page names no Braiins OS).
    vnish = await simulator("vnish-s19", web_port=0)
    assert vnish.web_port is not None
    http = HTTPClient("127.0.0.1", vnish.web_port, limits=Limits(timeout=2.0))
    assert await probe(http, PASSWORD) is None
    await http.close()
    assert "POST /api/v1/auth/login" not in vnish.received
    # Braiins OS says so on its front page.
    sim, _ = await braiins(simulator)
    assert sim.web_port is not None
    http = HTTPClient("127.0.0.1", sim.web_port, limits=Limits(timeout=2.0))
    assert await probe(http, PASSWORD) is BraiinsOSAPI
    await http.close()
    assert sim.received == ["GET /", "POST /api/v1/auth/login"]
