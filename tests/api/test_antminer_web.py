"""AntminerWebClient against the simulator's stock-Antminer CGI app, over loopback HTTP with
real digest authentication (aiohttp's middleware on the client, the simulator's check on the
server)."""

from __future__ import annotations

from collections.abc import AsyncIterator
import socket
from typing import ClassVar

from aiohttp import web
import pytest

from custom_components.asic_miner.api.antminer_web import AntminerWebClient
from custom_components.asic_miner.api.errors import (
    APIAuthError,
    APIConnectionError,
    APIDecodeError,
    APIError,
)
from simulator import Fault, MinerSimulator
from simulator.personalities import CGMinerForkPersonality
from simulator.personalities.antminer_web import AntminerWeb, digest_response, parse_digest
from simulator.state import MinerState

PASSWORD = "s3cret"


class WebAntminerPersonality(AntminerWeb, CGMinerForkPersonality):
    """Any personality can mix in the CGI app; this one keeps the test independent of the
    Antminer personalities' own replies."""

    name: ClassVar[str] = "test-web-antminer"
    family: ClassVar[str] = "bmminer"

    @classmethod
    def initial_state(cls) -> MinerState:
        """Antminer identity on the fork's boards."""
        state = super().initial_state()
        state.make = "Antminer"
        state.model = "S19"
        state.serial = "SN19TEST0001"
        state.hostname = "Antminer"
        state.firmware = "Mon Nov 22 10:00:00 CST 2021"
        state.mac = "02:00:00:19:00:01"
        state.work_mode = "normal"
        return state


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Allow socket creation (pytest-socket still limits connections to 127.0.0.1)."""


@pytest.fixture
async def sim() -> AsyncIterator[MinerSimulator]:
    """A simulated Antminer with its web interface on an ephemeral loopback port."""
    async with MinerSimulator(
        WebAntminerPersonality, password=PASSWORD, web_port=0, jitter=False
    ) as simulator:
        simulator.web_reboot_seconds = 1.0  # type: ignore[attr-defined]
        yield simulator


@pytest.fixture
async def client(sim: MinerSimulator) -> AsyncIterator[AntminerWebClient]:
    """A client with the right password and a short timeout."""
    assert sim.web_port is not None
    web_client = AntminerWebClient("127.0.0.1", sim.web_port, password=PASSWORD, timeout=1.0)
    yield web_client
    await web_client.close()


async def test_system_info(client: AntminerWebClient, sim: MinerSimulator) -> None:
    """Identity fields come back over digest-authenticated HTTP."""
    info = await client.get_system_info()
    assert info["macaddr"] == "02:00:00:19:00:01".upper()
    assert info["minertype"] == "Antminer S19"
    assert info["serinum"] == "SN19TEST0001"
    assert info["hostname"] == "Antminer"
    assert info["system_filesystem_version"] == "Mon Nov 22 10:00:00 CST 2021"
    assert sim.received == ["get_system_info.cgi"]


async def test_sleep_and_wake_through_miner_conf(
    client: AntminerWebClient, sim: MinerSimulator
) -> None:
    """Sleep mode stops mining; normal mode brings it back; low power is mode 3."""
    conf = await client.get_miner_conf()
    assert conf["bitmain-work-mode"] == "0"
    assert sim.state.current_hashrate() > 0

    await client.set_miner_conf({**conf, "bitmain-work-mode": "1"})
    assert sim.state.paused
    assert sim.state.current_hashrate() == 0
    assert (await client.get_miner_conf())["bitmain-work-mode"] == "1"

    await client.set_miner_conf({**conf, "bitmain-work-mode": "3"})
    assert sim.state.work_mode == "low"
    assert not sim.state.paused
    assert (await client.get_miner_conf())["bitmain-work-mode"] == "3"

    await client.set_miner_conf({**conf, "bitmain-work-mode": "0"})
    assert sim.state.is_mining
    assert sim.received.count("set_miner_conf.cgi") == 3


async def test_refused_conf_is_api_error(client: AntminerWebClient) -> None:
    """A configuration the firmware rejects raises APIError quoting the reply."""
    with pytest.raises(APIError, match="Invalid work mode"):
        await client.set_miner_conf({"bitmain-work-mode": "7"})


async def test_blink(client: AntminerWebClient, sim: MinerSimulator) -> None:
    """blink.cgi switches the locate LED on and off."""
    await client.blink(True)
    assert sim.state.fault_light
    await client.blink(False)
    assert not sim.state.fault_light


async def test_reboot_takes_the_miner_offline(
    client: AntminerWebClient, sim: MinerSimulator
) -> None:
    """reboot.cgi answers, then the miner is unreachable until it is back with uptime reset."""
    sim.state.started_at -= 1000
    await client.reboot()
    assert "reboot.cgi" in sim.received
    for _ in range(100):
        if sim.offline:
            break
        await _sleep(0.01)
    with pytest.raises(APIConnectionError):
        await client.get_system_info()
    info: dict[str, object] = {}
    for _ in range(100):  # back after ~0.3 s; poll as a client would
        try:
            info = await client.get_system_info()
            break
        except APIConnectionError:
            await _sleep(0.05)
    assert info["macaddr"]
    assert sim.state.uptime() < 100


async def test_wrong_password_is_auth_error(sim: MinerSimulator) -> None:
    """A wrong password surfaces as APIAuthError, not as a generic failure."""
    assert sim.web_port is not None
    client = AntminerWebClient("127.0.0.1", sim.web_port, password="wrong", timeout=1.0)
    try:
        with pytest.raises(APIAuthError):
            await client.get_system_info()
    finally:
        await client.close()
    assert sim.received == []


async def test_wrong_password_fault(client: AntminerWebClient, sim: MinerSimulator) -> None:
    """The password changed on the miner: even the configured one is now rejected."""
    await client.get_system_info()
    sim.set_fault(Fault.WRONG_PASSWORD)
    with pytest.raises(APIAuthError):
        await client.get_system_info()
    sim.set_fault(Fault.NONE)
    await client.get_system_info()


async def test_silent_web_interface_times_out(
    client: AntminerWebClient, sim: MinerSimulator
) -> None:
    """A web server that never answers ends in APIConnectionError within the timeout."""
    client.timeout = 0.3
    sim.set_fault(Fault.SILENT)
    with pytest.raises(APIConnectionError, match="timed out"):
        await client.get_system_info()


async def test_garbage_is_decode_error(client: AntminerWebClient, sim: MinerSimulator) -> None:
    """A body that is not JSON is an APIDecodeError quoting an excerpt."""
    sim.set_fault(Fault.GARBAGE)
    with pytest.raises(APIDecodeError, match="not JSON"):
        await client.get_system_info()


async def test_refused_port_is_connection_error() -> None:
    """Nothing listening: APIConnectionError, and close() is safe to call twice."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = AntminerWebClient("127.0.0.1", port, password=PASSWORD, timeout=1.0)
    with pytest.raises(APIConnectionError):
        await client.get_system_info()
    await client.close()
    await client.close()


async def _serve(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, port


@pytest.mark.parametrize(
    ("status", "body", "error", "match"),
    [
        (500, b"{}", APIError, "HTTP 500"),
        (200, b"[1, 2]", APIDecodeError, "not a JSON object"),
        (200, b"x" * (1024 * 1024 + 10), APIDecodeError, "exceeds"),
    ],
    ids=["http-500", "json-list", "oversized"],
)
async def test_unexpected_replies(
    status: int, body: bytes, error: type[APIError], match: str
) -> None:
    """HTTP errors, non-object JSON and oversized bodies are reported, each distinctly."""

    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=status, body=body)

    app = web.Application()
    app.router.add_get("/cgi-bin/get_system_info.cgi", handler)
    runner, port = await _serve(app)
    client = AntminerWebClient("127.0.0.1", port, password=PASSWORD, timeout=2.0)
    try:
        with pytest.raises(error, match=match):
            await client.get_system_info()
    finally:
        await client.close()
        await runner.cleanup()


async def test_shared_session_is_not_closed(sim: MinerSimulator) -> None:
    """With a caller's session, close() leaves it open; a closed one is reported clearly."""
    import aiohttp

    assert sim.web_port is not None
    async with aiohttp.ClientSession() as session:
        client = AntminerWebClient(
            "127.0.0.1", sim.web_port, password=PASSWORD, timeout=1.0, session=session
        )
        await client.get_system_info()
        await client.close()
        assert not session.closed
        await client.get_system_info()
    with pytest.raises(APIError, match="closed"):
        await client.get_system_info()


def test_base_url_brackets_ipv6() -> None:
    """IPv6 literals need brackets in URLs."""
    assert AntminerWebClient("::1", 8080, password="x").base_url == "http://[::1]:8080"
    assert AntminerWebClient("10.0.0.2", password="x").base_url == "http://10.0.0.2:80"


def test_digest_helpers() -> None:
    """The simulator's digest check follows RFC 2617's worked example (qop=auth)."""
    params = parse_digest(
        'Digest username="Mufasa", realm="testrealm@host.com", '
        'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", qop=auth, '
        'nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1"'
    )
    assert params is not None
    assert params["qop"] == "auth"
    assert params["nc"] == "00000001"
    assert parse_digest("Basic dXNlcjpwYXNz") is None
    # RFC 2617 uses its own realm; recompute with ours to check the formula's shape.
    import hashlib

    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()

    ha1 = md5("Mufasa:antMiner Configuration:Circle Of Life")
    ha2 = md5("GET:/dir/index.html")
    expected = md5(f"{ha1}:dcd98b7102dd2f0e8b11d0f600bfb0c093:00000001:0a4f113b:auth:{ha2}")
    assert digest_response(params, "GET", "Circle Of Life") == expected
    without_qop = {k: v for k, v in params.items() if k != "qop"}
    assert digest_response(without_qop, "GET", "Circle Of Life") == md5(
        f"{ha1}:dcd98b7102dd2f0e8b11d0f600bfb0c093:{ha2}"
    )


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


async def _raw(
    sim: MinerSimulator, method: str, cgi: str, *, data: str | None = None, **headers: str
) -> tuple[int, str]:
    """One request without the client class, to reach the simulator's edge cases."""
    import aiohttp

    url = f"http://127.0.0.1:{sim.web_port}/cgi-bin/{cgi}"
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, url, data=data, headers=headers) as response,
    ):
        return response.status, await response.text()


async def _authed(sim: MinerSimulator, method: str, cgi: str, data: str | None = None) -> str:
    import aiohttp

    url = f"http://127.0.0.1:{sim.web_port}/cgi-bin/{cgi}"
    auth = aiohttp.DigestAuthMiddleware("root", PASSWORD)
    async with (
        aiohttp.ClientSession(middlewares=(auth,)) as session,
        session.request(method, url, data=data) as response,
    ):
        assert response.status == 200
        return await response.text()


async def _nonce(sim: MinerSimulator) -> str:
    import aiohttp

    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{sim.web_port}/cgi-bin/get_system_info.cgi") as response,
    ):
        params = parse_digest(response.headers["WWW-Authenticate"])
    assert params is not None
    return params["nonce"]


async def test_simulator_rejects_bad_credentials(sim: MinerSimulator) -> None:
    """Basic auth, an unknown nonce, another user or a URI mismatch all get a new challenge."""
    status, _ = await _raw(sim, "GET", "get_system_info.cgi", Authorization="Basic cm9vdDpyb290")
    assert status == 401
    status, _ = await _raw(sim, "GET", "get_system_info.cgi")
    assert status == 401
    forged = (
        'Digest username="root", realm="antMiner Configuration", nonce="{nonce}", '
        'uri="{uri}", qop=auth, nc=00000001, cnonce="abc", response="0"'
    )
    status, _ = await _raw(
        sim,
        "GET",
        "get_system_info.cgi",
        Authorization=forged.format(nonce="unknown", uri="/cgi-bin/get_system_info.cgi"),
    )
    assert status == 401
    nonce = await _nonce(sim)
    status, _ = await _raw(
        sim,
        "GET",
        "get_system_info.cgi",
        Authorization=forged.format(nonce=nonce, uri="/cgi-bin/reboot.cgi"),
    )
    assert status == 401
    status, _ = await _raw(
        sim,
        "GET",
        "get_system_info.cgi",
        Authorization=forged.format(nonce=nonce, uri="/cgi-bin/get_system_info.cgi"),
    )
    assert status == 401  # right nonce and URI, wrong response hash
    assert sim.received == []


async def test_simulator_bad_bodies(sim: MinerSimulator) -> None:
    """Invalid JSON is refused by set_miner_conf; blink without a body switches the LED off."""
    assert "Invalid JSON" in await _authed(sim, "POST", "set_miner_conf.cgi", "not json")
    assert "Invalid JSON" in await _authed(sim, "POST", "set_miner_conf.cgi", "[1]")
    assert "success" in await _authed(sim, "POST", "set_miner_conf.cgi", "{}")  # no mode: kept
    assert sim.state.work_mode == "normal"
    sim.state.fault_light = True
    assert "B100" in await _authed(sim, "POST", "blink.cgi")
    assert not sim.state.fault_light


async def test_silent_ends_when_fault_clears(
    client: AntminerWebClient, sim: MinerSimulator
) -> None:
    """A request held by SILENT is answered (late) once the fault ends."""
    import asyncio

    client.timeout = 5.0
    sim.set_fault(Fault.SILENT)
    pending = asyncio.ensure_future(client.get_system_info())
    await asyncio.sleep(0.1)
    assert not pending.done()
    sim.set_fault(Fault.NONE)
    assert (await pending)["hostname"] == "Antminer"


async def test_stop_while_silent_does_not_hang() -> None:
    """Stopping the simulator with a request held by SILENT ends promptly."""
    import asyncio

    simulator = MinerSimulator(WebAntminerPersonality, password=PASSWORD, web_port=0)
    await simulator.start()
    assert simulator.web_port is not None
    client = AntminerWebClient("127.0.0.1", simulator.web_port, password=PASSWORD, timeout=5.0)
    simulator.set_fault(Fault.SILENT)
    pending = asyncio.ensure_future(client.get_system_info())
    await asyncio.sleep(0.1)
    await asyncio.wait_for(simulator.stop(), 3.0)
    with pytest.raises(APIConnectionError):
        await pending
    await client.close()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"blink": false}', False),
        (b'{"blink": "true"}', True),
        (b'{"isBlinking": true}', True),  # older stock firmware (pyasic's AntminerOld)
        (b'{"code": "B000"}', None),
    ],
)
async def test_blink_status_shapes(body: bytes, expected: bool | None) -> None:
    """``get_blink_status.cgi`` as modern and older stock firmware answer it."""

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="text/plain")

    app = web.Application()
    app.router.add_get("/cgi-bin/get_blink_status.cgi", handler)
    runner, port = await _serve(app)
    client = AntminerWebClient("127.0.0.1", port, password=PASSWORD, timeout=2.0)
    try:
        assert client.timeout == 2.0
        assert await client.get_blink_status() is expected
    finally:
        await client.close()
        await runner.cleanup()


async def test_set_miner_conf_has_its_own_bound(
    client: AntminerWebClient, sim: MinerSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The configuration write may outlast the client's timeout (the firmware answers after
    ~20-30 s), not ``SET_CONF_TIMEOUT``."""
    client.timeout = 0.2
    sim.set_conf_seconds = 0.4  # type: ignore[attr-defined]
    await client.set_miner_conf({"miner-mode": 3})
    assert sim.state.work_mode == "low"
    monkeypatch.setattr("custom_components.asic_miner.api.antminer_web.SET_CONF_TIMEOUT", 0.3)
    sim.set_conf_seconds = 1.0  # type: ignore[attr-defined]
    with pytest.raises(APIConnectionError, match="timed out"):
        await client.set_miner_conf({"miner-mode": 0})
