"""``HTTPClient``: one bounded HTTP exchange with one miner, against aiohttp servers on
loopback. Token login and renewal on 401, statuses, bounds, and no secret in any message."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
import contextlib
import json

from aiohttp import web
import pytest

from custom_components.asic_miner.api import (
    APIAuthError,
    APIConnectionError,
    APIDecodeError,
    APIRefusalError,
    HTTPClient,
    Limits,
)

PASSWORD = "hunter2-secret"
TOKENS = ("tok-AAAA-secret", "tok-BBBB-secret")


class Login:
    """A REST firmware's login, the way the HTTP families plug theirs in."""

    def __init__(self, password: str) -> None:
        self.password = password
        self.token: str | None = None
        self.logins = 0

    async def headers(self, http: HTTPClient, *, renew: bool) -> Mapping[str, str]:
        if self.token is None or renew:
            reply = await http.request(
                "POST", "/api/v1/unlock", json={"pw": self.password}, authenticate=False
            )
            self.token = str(reply.json_object()["token"])
            self.logins += 1
        return {"Authorization": f"Bearer {self.token}"}


class RestMiner:
    """A miner with a password-protected REST API; it can forget the token it issued."""

    def __init__(self) -> None:
        self.valid: set[str] = set()
        self.issued = 0
        self.requests: list[str] = []
        self.release = asyncio.Event()
        self.app = web.Application()
        self.app.router.add_post("/api/v1/unlock", self.unlock)
        self.app.router.add_get("/api/v1/summary", self.summary)
        self.app.router.add_post("/api/v1/mining/stop", self.stop)
        self.app.router.add_get("/api/v1/big", self.big)
        self.app.router.add_get("/api/v1/list", self.listing)
        self.app.router.add_get("/api/v1/text", self.text)
        self.app.router.add_get("/api/v1/broken", self.broken)
        self.app.router.add_get("/api/v1/silent", self.silent)
        self.app.router.add_get("/api/v1/deep", self.deep)

    def _authorised(self, request: web.Request) -> bool:
        return request.headers.get("Authorization", "").removeprefix("Bearer ") in self.valid

    async def unlock(self, request: web.Request) -> web.Response:
        self.requests.append("unlock")
        body = await request.json()
        if body.get("pw") != PASSWORD:
            return web.json_response({"err": "wrong password"}, status=401)
        token = TOKENS[self.issued % len(TOKENS)]
        self.issued += 1
        self.valid.add(token)
        return web.json_response({"token": token})

    async def summary(self, request: web.Request) -> web.Response:
        self.requests.append("summary")
        if not self._authorised(request):
            return web.json_response({"err": "unauthorized"}, status=401)
        return web.json_response({"hashrate": 100.5, "query": dict(request.query)})

    async def stop(self, request: web.Request) -> web.Response:
        self.requests.append("stop")
        if not self._authorised(request):
            return web.json_response({"err": "unauthorized"}, status=401)
        return web.json_response({"err": "busy"}, status=409)

    async def big(self, request: web.Request) -> web.Response:
        return web.Response(body=b"x" * 5000)

    async def listing(self, request: web.Request) -> web.Response:
        return web.Response(body=b"[1, 2]")

    async def text(self, request: web.Request) -> web.Response:
        # Old firmwares: JSON sent as text/plain, with a trailing NUL.
        return web.Response(body=b'{"ok": true}\x00', content_type="text/plain")

    async def broken(self, request: web.Request) -> web.Response:
        return web.Response(body=b"<html>oops")

    async def deep(self, request: web.Request) -> web.Response:
        # Nesting deeper than any JSON parser recurses (well within the size bound).
        return web.Response(body=b"[" * 200_000, content_type="application/json")

    async def silent(self, request: web.Request) -> web.Response:
        await self.release.wait()
        return web.Response(body=b"{}")


@pytest.fixture
async def miner() -> AsyncIterator[tuple[RestMiner, int]]:
    rest = RestMiner()
    runner = web.AppRunner(rest.app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield rest, runner.addresses[0][1]
    finally:
        rest.release.set()
        await runner.cleanup()


@contextlib.asynccontextmanager
async def client(port: int, **kwargs: object) -> AsyncIterator[HTTPClient]:
    http = HTTPClient("127.0.0.1", port, limits=Limits(timeout=2.0), **kwargs)  # type: ignore[arg-type]
    try:
        yield http
    finally:
        await http.close()
        await http.close()  # idempotent


def _no_secret(err: BaseException) -> None:
    text = f"{err} {err!r}"
    for secret in (PASSWORD, *TOKENS):
        assert secret not in text


async def test_login_token_and_renewal(miner: tuple[RestMiner, int]) -> None:
    """One login serves many requests; a token the miner forgot is renewed once, silently."""
    rest, port = miner
    login = Login(PASSWORD)
    async with client(port, auth=login) as http:
        for _ in range(3):
            reply = await http.request("GET", "/api/v1/summary")
            assert reply.json_object()["hashrate"] == 100.5
        assert login.logins == 1
        rest.valid.clear()  # the miner restarted and forgot its sessions
        assert (await http.request("GET", "/api/v1/summary")).status == 200
        assert login.logins == 2
    assert rest.requests.count("summary") == 5  # the refused one, then the retry


async def test_wrong_password_is_auth_error(miner: tuple[RestMiner, int]) -> None:
    """The login itself refused: APIAuthError, quoting neither password nor token."""
    _rest, port = miner
    async with client(port, auth=Login("wrong")) as http:
        with pytest.raises(APIAuthError, match="HTTP 401") as err:
            await http.request("GET", "/api/v1/summary")
    _no_secret(err.value)


async def test_token_refused_after_renewal_is_auth_error(miner: tuple[RestMiner, int]) -> None:
    """A fresh token refused too: the renewal is tried once, then APIAuthError."""
    rest, port = miner

    class Stale(Login):
        async def headers(self, http: HTTPClient, *, renew: bool) -> Mapping[str, str]:
            await super().headers(http, renew=renew)
            rest.valid.clear()  # every token is refused as soon as it is issued
            return {"Authorization": f"Bearer {self.token}"}

    login = Stale(PASSWORD)
    async with client(port, auth=login) as http:
        with pytest.raises(APIAuthError) as err:
            await http.request("GET", "/api/v1/summary")
    assert login.logins == 2
    _no_secret(err.value)


async def test_other_status_is_refusal_unless_accepted(miner: tuple[RestMiner, int]) -> None:
    """A status the caller did not accept is the miner saying no; a probe may accept 404."""
    _rest, port = miner
    async with client(port, auth=Login(PASSWORD)) as http:
        with pytest.raises(APIRefusalError, match=r"POST /api/v1/mining/stop answered HTTP 409"):
            await http.request("POST", "/api/v1/mining/stop", json={"why": PASSWORD})
        with pytest.raises(APIRefusalError, match="HTTP 404"):
            await http.request("GET", "/api/v1/nothing")
        reply = await http.request("GET", "/api/v1/nothing", accept=(200, 404))
        assert reply.status == 404


async def test_query_and_body_stay_out_of_messages(miner: tuple[RestMiner, int]) -> None:
    """Parameters reach the miner; a failure names the method and path only."""
    _rest, port = miner
    async with client(port, auth=Login(PASSWORD)) as http:
        reply = await http.request("GET", "/api/v1/summary", params={"key": PASSWORD})
        assert reply.json_object()["query"] == {"key": PASSWORD}
        with pytest.raises(APIRefusalError) as err:
            await http.request(
                "POST", "/api/v1/mining/stop", params={"key": PASSWORD}, json={"pw": PASSWORD}
            )
    _no_secret(err.value)


async def test_bodies(miner: tuple[RestMiner, int]) -> None:
    """JSON whatever the content type; non-JSON and non-objects are decode errors."""
    _rest, port = miner
    async with client(port) as http:
        assert (await http.request("GET", "/api/v1/text")).json_object() == {"ok": True}
        assert (await http.request("GET", "/api/v1/list")).json() == [1, 2]
        with pytest.raises(APIDecodeError, match="not a JSON object"):
            (await http.request("GET", "/api/v1/list")).json_object()
        with pytest.raises(APIDecodeError, match="not JSON"):
            (await http.request("GET", "/api/v1/broken")).json()
        deep = await http.request("GET", "/api/v1/deep")
        with pytest.raises(APIDecodeError, match="nested too deeply"):
            deep.json()
        with pytest.raises(APIDecodeError, match="nested too deeply"):
            deep.json_object()


async def test_size_is_bounded_while_reading(miner: tuple[RestMiner, int]) -> None:
    _rest, port = miner
    async with client(port) as http:
        http.limits = Limits(timeout=2.0, max_bytes=1000)
        with pytest.raises(APIDecodeError, match="exceeds 1000 bytes"):
            await http.request("GET", "/api/v1/big")


async def test_silent_miner_times_out(miner: tuple[RestMiner, int]) -> None:
    _rest, port = miner
    async with client(port) as http:
        http.limits = Limits(timeout=0.2)
        with pytest.raises(APIConnectionError, match=r"timed out .*0\.2 s"):
            await http.request("GET", "/api/v1/silent")


async def test_nothing_listening_is_connection_error() -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with client(port) as http:
        with pytest.raises(APIConnectionError, match="cannot connect"):
            await http.request("GET", "/")


async def test_requests_share_the_lock_and_go_one_at_a_time(
    miner: tuple[RestMiner, int],
) -> None:
    """Requests started together wait for each other on the miner's lock."""
    _rest, port = miner
    lock = asyncio.Lock()
    async with client(port, lock=lock) as http:
        await lock.acquire()  # the miner's TCP API is busy
        pending = asyncio.ensure_future(http.request("GET", "/api/v1/text"))
        await asyncio.sleep(0.1)
        assert not pending.done()
        lock.release()
        assert (await pending).json() == {"ok": True}


def test_base_url() -> None:
    assert HTTPClient("::1", 8080).base_url == "http://[::1]:8080"
    assert HTTPClient("10.0.0.2", scheme="https", port=443).base_url == "https://10.0.0.2:443"


def test_reply_text_is_trimmed() -> None:
    from custom_components.asic_miner.api import HTTPReply

    assert HTTPReply(status=200, body=b' {"a": 1}\n\x00', what="GET /").json() == {"a": 1}
    assert json.loads(HTTPReply(status=200, body=b"[]", what="GET /").text()) == []
