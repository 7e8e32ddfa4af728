"""``MinerSimulator``: one personality served on loopback, with injectable faults.

A miner has up to two listeners, as its personality declares (``simulator/personality.py``):
the API port (a TCP API, or HTTP) and the web port (HTTP). Faults apply to whichever it has:
a TCP conversation goes through ``serve_tcp.converse``, an HTTP request through
``serve_http.fault_middleware``; REFUSE and REBOOT close every listener.

Listening sockets are opened synchronously (bind + listen) so that ``set_fault`` can close
and re-open them without awaiting: a client connecting right after ``set_fault(Fault.NONE)``
waits in the kernel backlog instead of being refused.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
import contextlib
import random
import socket
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self

from .faults import Fault
from .personalities import PERSONALITIES
from .serve_tcp import converse

if TYPE_CHECKING:
    from aiohttp import web

    from .personality import Personality
    from .state import MinerState

_REBOOT_GRACE = 0.05
#: How long stopping waits for HTTP handlers still running (their connections are dropped).
_HTTP_SHUTDOWN = 1.0

ServeFactory = Callable[[socket.socket], Awaitable[asyncio.Server]]


class _Listener:
    """One listening socket: bound and closed synchronously, served by ``serve``."""

    def __init__(self, sim: MinerSimulator, port: int, serve: ServeFactory) -> None:
        self.sim = sim
        self.port = port
        self.serve = serve
        self._sock: socket.socket | None = None
        self._server: asyncio.Server | None = None
        self._task: asyncio.Task[None] | None = None

    def open(self) -> None:
        """Listen now (on the port bound the first time, so it survives a reboot)."""
        host = self.sim.host
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, self.port))
            sock.listen(128)
            sock.setblocking(False)
        except OSError:
            sock.close()
            raise
        self.port = sock.getsockname()[1]
        self._sock = sock
        self._task = self.sim.spawn(self._run(sock), "listener")

    async def _run(self, sock: socket.socket) -> None:
        server = await self.serve(sock)
        if self._sock is not sock:  # closed while starting
            server.close()
            return
        self._server = server
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.Event().wait()  # until cancelled by close
        server.close()

    def close(self) -> None:
        """Stop listening now, so the very next connect is refused."""
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self._task is not None:
            self._task.cancel()
            self._task = None


class MinerSimulator:
    """One simulated miner. Use as ``async with MinerSimulator("antminer-s19") as sim``."""

    def __init__(
        self,
        personality: str | type[Personality],
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        password: str | None = None,
        web_port: int | None = None,
        seed: int | None = None,
        jitter: bool = True,
    ) -> None:
        """Build the state; nothing listens until ``start``.

        ``personality`` is a name in ``PERSONALITIES`` or a class (a test's own personality).
        ``port`` is None for a personality with nothing on its API port; such a personality
        listens on ``web_port`` (0, any free port, when not given).
        """
        if isinstance(personality, str):
            try:
                cls = PERSONALITIES[personality]
            except KeyError:
                known = ", ".join(sorted(PERSONALITIES))
                raise ValueError(f"unknown personality {personality!r}; known: {known}") from None
        else:
            cls = personality
        self.personality_name = cls.name
        self.host = host
        self.port: int | None = port if cls.api_protocol is not None else None
        if cls.has_web and cls.api_protocol is None and web_port is None:
            web_port = 0
        self.web_port: int | None = web_port if cls.has_web else None
        self.state: MinerState = cls.initial_state()
        if password is not None:
            self.state.password = password
        self.state.jitter = jitter
        if seed is not None:
            self.state.seed = seed
            self.state.rng.seed(seed)
        self.personality: Personality = cls(self, self.state)
        #: Commands received, in order: API commands (each part of a joined one) and HTTP
        #: requests as the personality names them (``Personality.http_record``).
        self.received: list[str] = []
        #: One entry per request on the API port: the raw command (``"summary+pools"`` for a
        #: joined one), or the HTTP request's name.
        self.requests: list[str] = []
        #: Web requests answered with a digest challenge (401), a cost a client can avoid.
        self.web_challenges = 0
        self.fault = Fault.NONE
        self.fault_params: dict[str, Any] = {}
        #: How long a reboot command keeps the miner offline.
        self.reboot_seconds = 1.0
        #: How the HTTP personalities (VNish, Braiins OS, ePIC, the stock Antminer CGI) and
        #: the TCP ones of Whatsminer (API 2 and 3) and LuxOS answer a reboot or a restart of
        #: the mining software, which they carry out all the same: "reply" (their answer),
        #: "drop" (the connection dropped unanswered, as firmware going down at once; reset
        #: on TCP), "empty" (a 200 without a body; on TCP the wire's empty message: cgminer's
        #: lone NUL, a zero-length frame) or "text" (HTTP only: a 200 whose body is no JSON,
        #: a page or a word).
        self.restart_reply: Literal["reply", "drop", "empty", "text"] = "reply"
        self._rng = random.Random(seed)
        self._api: _Listener | None = None
        self._web: _Listener | None = None
        self._runners: list[web.AppRunner] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self._running = False
        self._online = False

    # --- lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        """Start serving."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop serving and close every connection."""
        await self.stop()

    async def start(self) -> None:
        """Listen on the API port and the web port, as far as the personality has them."""
        self._running = True
        protocol = self.personality.api_protocol
        if self.port is not None and protocol == "tcp":
            self._api = _Listener(self, self.port, self._serve_tcp)
        elif self.port is not None and protocol == "http":
            serve = await self._serve_http(self.personality.api_app(), api=True)
            self._api = _Listener(self, self.port, serve)
        if self.web_port is not None:
            serve = await self._serve_http(self.personality.web_app(), api=False)
            self._web = _Listener(self, self.web_port, serve)
        try:
            self._go_online()
        except OSError:
            await self.stop()
            raise

    async def stop(self) -> None:
        """Close listeners, drop open connections, end background tasks."""
        self._running = False
        self._go_offline()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        for runner in self._runners:
            await runner.cleanup()
        self._runners.clear()

    @property
    def running(self) -> bool:
        """Between ``start`` and ``stop``."""
        return self._running

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        """A background task of this simulator, cancelled when it goes offline or stops."""
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _listeners(self) -> list[_Listener]:
        return [listener for listener in (self._api, self._web) if listener is not None]

    def _go_online(self) -> None:
        try:
            for listener in self._listeners():
                listener.open()
        except OSError:
            self._close_listeners()
            raise
        finally:  # the ports bound (the first time: the ones the system chose)
            if self._api is not None:
                self.port = self._api.port
            if self._web is not None:
                self.web_port = self._web.port
        self._online = True

    def _close_listeners(self) -> None:
        """Stop listening now (connections already open stay)."""
        for listener in self._listeners():
            listener.close()
        self._online = False

    def _go_offline(self) -> None:
        """Stop listening and drop every open connection, as a miner that goes down."""
        self._close_listeners()
        for task in list(self._tasks):
            if task.get_name() == "connection":
                task.cancel()
        for runner in self._runners:
            for handler in runner.server.connections if runner.server is not None else ():
                if handler.transport is not None:
                    handler.transport.abort()

    # --- the listeners' protocols ------------------------------------------------------------

    async def _serve_tcp(self, sock: socket.socket) -> asyncio.Server:
        return await asyncio.start_server(self._on_connection, sock=sock)

    async def _on_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        if task is not None:
            task.set_name("connection")
            self._tasks.add(task)
        try:
            await converse(self, reader, writer)
        except ConnectionError, TimeoutError, asyncio.IncompleteReadError:
            pass
        finally:
            if task is not None:
                self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _serve_http(self, app: web.Application, *, api: bool) -> ServeFactory:
        """Set ``app`` up behind the fault middleware; the factory serves it on a socket."""
        from aiohttp import web

        from .serve_http import fault_middleware

        app.middlewares.insert(0, fault_middleware(self, api=api))
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=_HTTP_SHUTDOWN)
        await runner.setup()
        self._runners.append(runner)
        server = runner.server
        assert server is not None

        async def serve(sock: socket.socket) -> asyncio.Server:
            return await asyncio.get_running_loop().create_server(server, sock=sock)

        return serve

    # --- faults and identity -----------------------------------------------------------------

    def set_fault(self, fault: Fault | str, **params: Any) -> None:
        """Switch fault mode; see ``Fault`` for the parameters of each mode."""
        fault = Fault(fault)
        previous = self.fault
        self.fault = fault
        self.fault_params = params
        if fault is Fault.REFUSE:
            self._close_listeners()
        elif fault is Fault.REBOOT:
            self._go_offline()  # now, so the very next connect already fails
            self.spawn(self._reboot(float(params.get("seconds", 5.0)), grace=0.0), "reboot")
        elif previous in (Fault.REFUSE, Fault.REBOOT) and self._running and not self._online:
            self._go_online()

    def reboot(self, seconds: float = 1.0) -> None:
        """Go offline for ``seconds`` after the current reply is written (a reboot command)."""
        self.spawn(self._reboot(seconds, grace=_REBOOT_GRACE), "reboot")

    async def _reboot(self, seconds: float, *, grace: float) -> None:
        if grace:
            await asyncio.sleep(grace)  # let the reply to the reboot command go out
        self._go_offline()
        # A deadline, not one sleep: Home Assistant's test helper async_fire_time_changed
        # fires pending loop timers early, which must not shorten the reboot.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while (remaining := deadline - loop.time()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(remaining)  # again after an early wake-up
        self.state.reset_uptime()
        self.personality.rebooted()
        if self.fault is Fault.REBOOT:
            self.fault = Fault.NONE
            self.fault_params = {}
        if self._running and not self._online and self.fault is not Fault.REFUSE:
            self._go_online()

    def noise(self, size: int) -> bytes:
        """``size`` + 1 bytes that are no text (GARBAGE), from the simulator's seeded source."""
        return b"\x8f" + bytes(self._rng.randrange(0x80, 0x100) for _ in range(size))

    def garbage(self) -> bytes:
        """What GARBAGE sends: its ``body`` parameter as given, else ``noise`` of ``size``."""
        body = self.fault_params.get("body")
        if isinstance(body, bytes):
            return body
        return self.noise(int(self.fault_params.get("size", 512)))

    def check_password(self, password: str | None) -> bool:
        """Whether a privileged/web password is accepted right now."""
        if self.fault is Fault.WRONG_PASSWORD:
            return False
        return password == self.state.password

    @property
    def mac(self) -> str:
        """The miner's MAC; assigning it swaps in "another miner" at the same address."""
        return self.state.mac

    @mac.setter
    def mac(self, value: str) -> None:
        self.state.mac = value

    @property
    def offline(self) -> bool:
        """True while refusing or rebooting (nothing listens then)."""
        return not self._online or self.fault in (Fault.REFUSE, Fault.REBOOT)

    @property
    def rebooting(self) -> bool:
        """True from a reboot (a reboot command or ``Fault.REBOOT``) until its time is over.

        A reboot command is answered before the miner goes down (after a short grace), so
        right after one ``offline`` is still False and the miner still answers: only this
        tells that it is about to go away.
        """
        return any(task.get_name() == "reboot" and not task.done() for task in self._tasks)
