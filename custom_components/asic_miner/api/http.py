"""One bounded HTTP exchange with one miner, over aiohttp: the HTTP counterpart of
``transport.exchange``.

``HTTPClient`` is a device's web interface: every firmware that speaks HTTP (the stock Antminer
CGI today; AxeOS, VNish, Braiins OS REST and ePIC next) builds on it rather than on aiohttp
directly, so each gets the same guarantees:

- **Bounded** by ``Limits``: the socket connect (``connect_timeout``), the whole request
  including reading the body (``timeout``), and the body size, checked while reading (a body
  past ``max_bytes`` is abandoned unread).
- **One at a time**: every request holds the device's lock (one ``asyncio.Lock`` per miner,
  shared with its TCP exchanges), and its connection is closed before the lock is released
  (``Connection: close``; no idle keep-alive connection waits in the session's pool), so a
  miner never has two connections from one client, idle ones included. A token renewal happens
  outside the lock, before the retried request takes it again.
- **A shared session**: Home Assistant's ``aiohttp.ClientSession`` is injected and never
  closed here; without one the client opens its own lazily and closes it in ``close``.
- **Errors that say what happened**: no connection, a timeout or a reset is
  ``APIConnectionError`` (``RequestDroppedError`` when the request went out and the miner
  closed or reset the connection before a whole reply); HTTP 401 is ``APIAuthError``; another
  status the caller did not ``accept`` is ``APIRefusalError`` (the miner answered and said
  no); an oversized or unreadable body is ``APIDecodeError`` (``EmptyReplyError`` when there
  was none). Messages name the method and path, never a query, a header, a body or a token.
- **Controls that restart the miner** (a reboot, a restart of the mining software) may lose
  their answer as the miner goes down: ``errors.accept_dropped`` counts a request the miner
  received and then dropped, or answered with nothing, as accepted (TCP alike).
- **Authentication hooks**: ``middlewares`` (aiohttp's ``DigestAuthMiddleware`` for the
  Antminer CGI, kept for the client's life so its nonce is reused) and ``auth``, a
  ``TokenAuth`` that supplies headers (a bearer token from a login request made through this
  same client with ``authenticate=False``) and is asked once to renew them when the miner
  answers 401.

Example (a REST firmware with a login)::

    class Login:
        def __init__(self, password: str) -> None:
            self._token: str | None = None
            self._password = password

        async def headers(self, http: HTTPClient, *, renew: bool) -> Mapping[str, str]:
            if self._token is None or renew:
                reply = await http.request(
                    "POST", "/api/v1/unlock", json={"pw": self._password}, authenticate=False
                )
                self._token = str(reply.json_object()["token"])
            return {"Authorization": f"Bearer {self._token}"}

    http = HTTPClient(host, 80, limits=Limits(timeout=5), session=session, auth=Login(pw))
    summary = (await http.request("GET", "/api/v1/summary")).json_object()
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
import json as jsonlib
from typing import Any, Final, Protocol

import aiohttp

from .decoding import excerpt
from .errors import (
    APIAuthError,
    APIConnectionError,
    APIDecodeError,
    APIRefusalError,
    EmptyReplyError,
    RequestDroppedError,
    before_control,
)
from .limits import Limits, where

HTTP_UNAUTHORIZED: Final = 401
#: The statuses ``request`` returns by default; any other raises.
OK: Final = frozenset({200})
#: What aiohttp raises when a connection made and written to is closed or reset before a whole
#: reply (a connection never made is a ``ClientConnectorError``, caught before these).
_DROPPED: Final = (
    aiohttp.ServerDisconnectedError,
    aiohttp.ClientPayloadError,
    aiohttp.ClientOSError,
    ConnectionError,
)


class TokenAuth(Protocol):
    """A firmware's own authentication: the headers that prove it, renewed on demand."""

    async def headers(self, http: HTTPClient, *, renew: bool) -> Mapping[str, str]:
        """Headers for the next request; ``renew`` after the miner answered 401 (log in
        again, through ``http.request(..., authenticate=False)``)."""
        ...


@dataclass(frozen=True, slots=True)
class HTTPReply:
    """A whole HTTP reply that passed the status check."""

    status: int
    body: bytes
    #: ``METHOD /path``, for messages.
    what: str

    def text(self) -> str:
        """The body as text (UTF-8, undecodable bytes replaced, NULs and blanks trimmed)."""
        return self.body.decode("utf-8", "replace").strip().rstrip("\x00")

    def json(self) -> Any:
        """The body as JSON, whatever the Content-Type (old firmwares send text/plain)."""
        text = self.text()
        if not text:
            raise EmptyReplyError(f"{self.what}: empty reply, not JSON")
        try:
            return jsonlib.loads(text)
        except jsonlib.JSONDecodeError as err:
            raise APIDecodeError(f"{self.what}: reply is not JSON: {excerpt(text)}") from err
        except RecursionError:  # ``[[[[…`` deeper than the parser recurses
            raise APIDecodeError(f"{self.what}: reply nested too deeply: {excerpt(text)}") from None

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object."""
        value = self.json()
        if not isinstance(value, dict):
            raise APIDecodeError(f"{self.what}: reply is not a JSON object: {excerpt(self.text())}")
        return value


class HTTPClient:
    """The web interface of one miner: bounded requests, one at a time."""

    def __init__(
        self,
        host: str,
        port: int = 80,
        *,
        limits: Limits | None = None,
        session: aiohttp.ClientSession | None = None,
        lock: asyncio.Lock | None = None,
        scheme: str = "http",
        middlewares: Sequence[aiohttp.ClientMiddlewareType] = (),
        auth: TokenAuth | None = None,
    ) -> None:
        """Nothing is opened until the first request.

        ``lock`` is the miner's one-connection-at-a-time lock when the miner also has other
        exchanges (its TCP API); without one the client has its own.
        """
        self.host = host
        self.port = port
        self.limits = limits or Limits()
        self.scheme = scheme
        self.lock = lock or asyncio.Lock()
        self._session = session
        self._owns_session = session is None
        self._middlewares = tuple(middlewares)
        self._auth = auth

    @property
    def base_url(self) -> str:
        """``http://host:port``; IPv6 literals are bracketed."""
        return f"{self.scheme}://{where(self.host, self.port)}"

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            if not self._owns_session:
                raise APIConnectionError(
                    f"{where(self.host, self.port)}: the HTTP session given to this client is "
                    "closed"
                )
            self._session = aiohttp.ClientSession()
        return self._session

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: bytes | str | None = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        accept: Collection[int] = OK,
        authenticate: bool = True,
        limits: Limits | None = None,
    ) -> HTTPReply:
        """``method path`` with an optional JSON (or raw) body; the whole reply.

        Statuses in ``accept`` are returned (a probe may accept 404); 401 is renewed once
        through ``auth`` and then raises ``APIAuthError``; any other raises
        ``APIRefusalError``. ``authenticate=False`` sends no ``auth`` headers (the login
        request itself). ``limits`` replaces the client's for this one request (a control the
        firmware is known to answer slowly).
        """
        renew = False
        while True:
            extra: Mapping[str, str] = {}
            if authenticate and self._auth is not None:
                extra = await before_control(self._auth.headers(self, renew=renew))
            status, body = await self._exchange(
                method,
                path,
                json=json,
                data=data,
                params=params,
                headers={**(headers or {}), **extra},
                limits=limits or self.limits,
            )
            what = f"{where(self.host, self.port)}: {method} {path}"
            if status in accept:
                return HTTPReply(status=status, body=body, what=what)
            if status == HTTP_UNAUTHORIZED:
                if authenticate and self._auth is not None and not renew:
                    renew = True
                    continue
                raise APIAuthError(f"{what}: the miner rejected the password (HTTP 401)")
            raise APIRefusalError(f"{what} answered HTTP {status}")

    async def _exchange(
        self,
        method: str,
        path: str,
        *,
        json: Any,
        data: bytes | str | None,
        params: Mapping[str, str] | None,
        headers: Mapping[str, str],
        limits: Limits,
    ) -> tuple[int, bytes]:
        """One request and its bounded body, holding the device's lock."""
        what = f"{where(self.host, self.port)}: {method} {path}"
        session = self._get_session()
        headers = {**headers, "Connection": "close"}
        async with self.lock:
            try:
                async with (
                    asyncio.timeout(limits.timeout),
                    session.request(
                        method,
                        f"{self.base_url}{path}",
                        json=json,
                        data=data,
                        params=params,
                        headers=headers,
                        middlewares=self._middlewares,
                        allow_redirects=False,
                        timeout=aiohttp.ClientTimeout(sock_connect=limits.connect_timeout),
                    ) as response,
                ):
                    try:
                        body = await _read_bounded(response, limits.max_bytes)
                        status = response.status
                    finally:
                        response.close()  # the connection, not back to the pool
            except aiohttp.ConnectionTimeoutError as err:
                raise APIConnectionError(
                    f"{what}: no connection within {limits.connect_timeout:g} s"
                ) from err
            except TimeoutError as err:
                raise APIConnectionError(
                    f"{what}: timed out (no complete reply within {limits.timeout:g} s)"
                ) from err
            except aiohttp.ClientConnectorError as err:
                raise APIConnectionError(f"{what}: failed ({_reason(err)})") from err
            except _DROPPED as err:
                raise RequestDroppedError(
                    f"{what}: the connection was dropped before a whole reply ({_reason(err)})"
                ) from err
            except (aiohttp.ClientError, OSError) as err:
                raise APIConnectionError(f"{what}: failed ({_reason(err)})") from err
        if len(body) > limits.max_bytes:
            raise APIDecodeError(f"{what}: reply exceeds {limits.max_bytes} bytes")
        return status, body

    async def close(self) -> None:
        """Close the session if this client opened it (safe to call twice)."""
        if self._owns_session and self._session is not None:
            await self._session.close()
            self._session = None


class MinerHTTP:
    """The HTTP port of a client that speaks HTTP (AxeOS, ePIC; the REST APIs of VNish and
    Braiins OS): the session it is given (Home Assistant's) for the client's life, or else a
    session of its own for one operation (a poll, a control), closed when the operation ends,
    cancelled or not, so a client that is never closed leaves nothing open."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        lock: asyncio.Lock,
        session: aiohttp.ClientSession | None = None,
        auth: TokenAuth | None = None,
    ) -> None:
        """Nothing is opened until ``open``; ``auth`` (a REST firmware's login) outlives the
        operations, so its token serves the next ones."""
        self.host = host
        self.port = port
        self.lock = lock
        self.session = session
        self.auth = auth
        self._client: HTTPClient | None = None
        self._depth = 0

    @asynccontextmanager
    async def open(self, limits: Limits) -> AsyncIterator[HTTPClient]:
        """The client for one operation, bounded by ``limits`` (nested operations share it)."""
        if self._client is None:
            self._client = HTTPClient(
                self.host,
                self.port,
                limits=limits,
                session=self.session,
                lock=self.lock,
                auth=self.auth,
            )
        client = self._client
        client.limits = limits
        self._depth += 1
        try:
            yield client
        finally:
            self._depth -= 1
            if self._depth == 0 and self.session is None:
                self._client = None
                closing = asyncio.ensure_future(client.close())
                try:
                    await asyncio.shield(closing)
                except asyncio.CancelledError:
                    await asyncio.wait([closing])
                    raise


async def _read_bounded(response: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    """The body, but never more than one byte past ``max_bytes``."""
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        chunk = await response.content.read(max_bytes + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _reason(err: BaseException) -> str:
    """What went wrong, without a URL (a query could carry a secret) or request headers."""
    if isinstance(err, aiohttp.ClientConnectorError):
        return f"cannot connect: {err.os_error.strerror or type(err.os_error).__name__}"
    if isinstance(err, OSError) and err.strerror:
        return f"{type(err).__name__}: {err.strerror}"
    return type(err).__name__
