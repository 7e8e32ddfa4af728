"""HTTP listeners: a personality serving HTTP on its API port or only a web interface, every
fault on them, and their requests in ``sim.received``, spoken to with a plain aiohttp client."""

from __future__ import annotations

import asyncio
from http import HTTPStatus
import json
import socket
from typing import Any, ClassVar, Literal

import aiohttp
from aiohttp import web
import pytest

from simulator import Fault, MinerSimulator, Personality
from simulator.personalities import CGMinerForkPersonality
from simulator.state import MinerState

from .test_personalities import ask


class HttpApi(Personality):
    """HTTP on the API port, as ePIC serves it: a reading, a password-checked control."""

    name: ClassVar[str] = "test-http-api"
    family: ClassVar[str] = "test"
    api_protocol: ClassVar[Literal["tcp", "http"] | None] = "http"

    @classmethod
    def initial_state(cls) -> MinerState:
        return CGMinerForkPersonality.initial_state()

    def api_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/summary", self._summary)
        app.router.add_post("/reboot", self._reboot)
        return app

    async def _summary(self, request: web.Request) -> web.Response:
        return web.json_response(
            {"hashrate": round(self.state.current_hashrate(), 3), "uptime": self.state.uptime()}
        )

    async def _reboot(self, request: web.Request) -> web.Response:
        body = await request.json()
        if not self.check_password(body.get("password")):
            return web.json_response({"error": "wrong password"}, status=401)
        self.sim.reboot(self.sim.reboot_seconds)
        return web.json_response({"result": "rebooting"})


class WebOnly(Personality):
    """Nothing on the API port, a REST API on the web port, as AxeOS devices have."""

    name: ClassVar[str] = "test-web-only"
    family: ClassVar[str] = "test"
    api_protocol: ClassVar[Literal["tcp", "http"] | None] = None
    has_web: ClassVar[bool] = True

    @classmethod
    def initial_state(cls) -> MinerState:
        return CGMinerForkPersonality.initial_state()

    def web_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/api/system/info", self._info)
        return app

    async def _info(self, request: web.Request) -> web.Response:
        return web.json_response({"hostname": self.state.hostname, "mac": self.state.mac})


async def fetch(
    port: int, path: str = "/summary", *, method: str = "GET", timeout: float = 2.0, **kw: Any
) -> tuple[int, bytes]:
    """(status, body) of one request on a fresh connection."""
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session,
        session.request(method, f"http://127.0.0.1:{port}{path}", **kw) as response,
    ):
        return response.status, await response.read()


async def test_http_api_port() -> None:
    """The API port speaks HTTP; requests are in ``received`` and, on the API port, in
    ``requests``; an unknown path is answered (404) and recorded too."""
    async with MinerSimulator(HttpApi, jitter=False) as sim:
        assert sim.port is not None
        assert sim.web_port is None
        status, body = await fetch(sim.port)
        assert status == 200
        assert json.loads(body)["hashrate"] == pytest.approx(12.0)
        assert (await fetch(sim.port, "/nope"))[0] == 404
        assert sim.received == ["GET /summary", "GET /nope"]
        assert sim.requests == ["GET /summary", "GET /nope"]


async def test_web_only_personality() -> None:
    """Nothing listens for the API: ``port`` is None, the web port is chosen when not given."""
    async with MinerSimulator(WebOnly) as sim:
        assert sim.port is None
        assert sim.web_port is not None
        status, body = await fetch(sim.web_port, "/api/system/info")
        assert status == 200
        assert json.loads(body)["mac"] == sim.mac
        assert sim.received == ["GET /api/system/info"]
        assert sim.requests == []  # the web port is not the API port
        sim.set_fault(Fault.REFUSE)
        with pytest.raises(aiohttp.ClientConnectorError):
            await fetch(sim.web_port, "/api/system/info")
        sim.set_fault(Fault.NONE)
        assert (await fetch(sim.web_port, "/api/system/info"))[0] == 200


async def test_refuse_closes_the_http_listener() -> None:
    async with MinerSimulator(HttpApi) as sim:
        assert sim.port is not None
        sim.set_fault(Fault.REFUSE)
        assert sim.offline
        with pytest.raises(aiohttp.ClientConnectorError):
            await fetch(sim.port)
        sim.set_fault(Fault.NONE)
        assert (await fetch(sim.port))[0] == 200


async def test_silent_then_answered() -> None:
    """SILENT holds the request; one still waiting when the fault clears is answered."""
    async with MinerSimulator(HttpApi) as sim:
        assert sim.port is not None
        sim.set_fault(Fault.SILENT)
        with pytest.raises(TimeoutError):
            await fetch(sim.port, timeout=0.3)
        pending = asyncio.ensure_future(fetch(sim.port, timeout=5.0))
        await asyncio.sleep(0.2)
        assert not pending.done()
        sim.set_fault(Fault.NONE)
        assert (await pending)[0] == 200


async def test_stop_while_silent() -> None:
    sim = MinerSimulator(HttpApi)
    await sim.start()
    assert sim.port is not None
    sim.set_fault(Fault.SILENT)
    pending = asyncio.ensure_future(fetch(sim.port, timeout=5.0))
    await asyncio.sleep(0.1)
    await asyncio.wait_for(sim.stop(), 3.0)
    with pytest.raises(aiohttp.ClientError):
        await pending


async def test_garbage_and_oversized() -> None:
    """GARBAGE: a 200 of noise, not recorded; OVERSIZED: a body that goes on to ``limit``."""
    async with MinerSimulator(HttpApi) as sim:
        assert sim.port is not None
        sim.set_fault(Fault.GARBAGE, size=100)
        status, body = await fetch(sim.port)
        assert status == 200
        assert len(body) == 101
        with pytest.raises(UnicodeDecodeError):
            body.decode()
        sim.set_fault(Fault.OVERSIZED, limit=300_000)
        status, body = await fetch(sim.port)
        assert body.startswith(b'{"data":"AAAA')
        assert len(body) > 300_000
        assert sim.received == []


@pytest.mark.parametrize("fault", [Fault.TRUNCATED, Fault.RESET])
async def test_cut_replies(fault: Fault) -> None:
    """The answer cut short (close) or by a reset: the client sees an incomplete body."""
    async with MinerSimulator(HttpApi) as sim:
        assert sim.port is not None
        sim.set_fault(fault, fraction=0.5)
        with pytest.raises(aiohttp.ClientError):
            await fetch(sim.port)
        assert sim.received == ["GET /summary"]  # the miner did answer, in part
        sim.set_fault(Fault.NONE)
        assert (await fetch(sim.port))[0] == 200


async def test_trickle() -> None:
    """The whole answer, a byte at a time: too slow for a short timeout, complete otherwise."""
    async with MinerSimulator(HttpApi, jitter=False) as sim:
        assert sim.port is not None
        sim.set_fault(Fault.TRICKLE, interval=0.2)
        with pytest.raises(TimeoutError):
            await fetch(sim.port, timeout=0.5)
        sim.set_fault(Fault.TRICKLE, interval=0.001)
        status, body = await fetch(sim.port)
        assert status == 200
        assert json.loads(body)["hashrate"] == pytest.approx(12.0)


async def test_wrong_password_and_reboot_over_http() -> None:
    """The personality checks passwords through the simulator (WRONG_PASSWORD); its reboot
    takes every listener offline, drops kept-alive connections, and comes back."""
    async with MinerSimulator(HttpApi, password="pw") as sim:
        assert sim.port is not None
        sim.reboot_seconds = 0.3
        url = f"http://127.0.0.1:{sim.port}"
        sim.set_fault(Fault.WRONG_PASSWORD)
        assert (await fetch(sim.port, "/reboot", method="POST", json={"password": "pw"}))[0] == 401
        sim.set_fault(Fault.NONE)
        sim.state.started_at -= 1000
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
            async with session.post(f"{url}/reboot", json={"password": "pw"}) as response:
                assert response.status == 200
            for _ in range(50):
                if sim.offline:
                    break
                await asyncio.sleep(0.02)
            assert sim.offline
            with pytest.raises(aiohttp.ClientError):  # the kept-alive connection is gone
                async with session.get(f"{url}/summary") as response:
                    await response.read()
            for _ in range(50):
                await asyncio.sleep(0.05)
                if not sim.offline:
                    break
            async with session.get(f"{url}/summary") as response:
                assert json.loads(await response.read())["uptime"] < 100
        assert sim.received == ["POST /reboot", "POST /reboot", "GET /summary"]


async def test_reboot_fault_on_both_listeners() -> None:
    """REBOOT closes the API and the web listener, and both come back on their ports."""
    async with MinerSimulator("antminer-s19", web_port=0) as sim:
        ports = (sim.port, sim.web_port)
        sim.set_fault(Fault.REBOOT, seconds=0.2)
        for port in ports:
            assert port is not None
            with pytest.raises(ConnectionRefusedError):
                await asyncio.open_connection("127.0.0.1", port)
        await asyncio.sleep(0.4)
        assert (sim.port, sim.web_port) == ports
        assert not sim.offline


async def test_port_in_use_leaves_nothing_listening() -> None:
    """A web port that cannot be bound fails the start, and the API port is closed again."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        sim = MinerSimulator("antminer-s19", web_port=taken.getsockname()[1])
        with pytest.raises(OSError, match="in use"):
            await sim.start()
        assert sim.offline
        assert sim.port is not None
        with pytest.raises(ConnectionRefusedError):
            await asyncio.open_connection("127.0.0.1", sim.port)


@pytest.mark.parametrize(("fault", "status"), [(Fault.HTTP_401, 401), (Fault.HTTP_500, 500)])
async def test_http_status_faults(fault: Fault, status: int) -> None:
    """Every request answered with the status, worded by the personality (default: aiohttp's),
    not recorded; a TCP API ignores the fault."""
    async with MinerSimulator(HttpApi) as sim:
        assert sim.port is not None
        sim.set_fault(fault)
        assert await fetch(sim.port) == (status, f"{status}: {HTTPStatus(status).phrase}".encode())
        assert await fetch(sim.port, "/reboot", method="POST", json={"password": "x"}) == (
            status,
            f"{status}: {HTTPStatus(status).phrase}".encode(),
        )
        assert sim.received == []
        sim.set_fault(Fault.NONE)
        assert (await fetch(sim.port))[0] == 200
    async with MinerSimulator("cgminer-fork") as sim:
        assert sim.port is not None
        sim.set_fault(fault)
        reply = await ask(sim.port, {"command": "summary"})
        assert json.loads(reply.rstrip(b"\x00"))["SUMMARY"]


async def test_expire_sessions_and_rebooted_hooks() -> None:
    """The defaults: nothing to expire; a reboot calls ``rebooted`` (which expires sessions)."""
    calls: list[str] = []

    class Counting(HttpApi):
        name: ClassVar[str] = "test-counting"

        def expire_sessions(self) -> None:
            calls.append("expire")

    async with MinerSimulator(HttpApi) as sim:
        sim.personality.expire_sessions()  # a no-op by default
    async with MinerSimulator(Counting) as sim:
        sim.set_fault(Fault.REBOOT, seconds=0.05)
        for _ in range(100):
            if calls:
                break
            await asyncio.sleep(0.02)
    assert calls == ["expire"]
