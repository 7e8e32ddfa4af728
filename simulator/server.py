"""``MinerSimulator``: a personality served on a loopback TCP port, with injectable faults.

The listening socket is opened synchronously (bind + listen) so that ``set_fault`` can close
and re-open it without awaiting: a client connecting right after ``set_fault(Fault.NONE)``
waits in the kernel backlog instead of being refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
import struct
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from .faults import Fault
from .personalities import PERSONALITIES

if TYPE_CHECKING:
    from aiohttp import web

    from .personality import Personality
    from .state import MinerState

_REBOOT_GRACE = 0.05


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
        self.port = port
        self.web_port: int | None = web_port if cls.has_web else None
        self.state: MinerState = cls.initial_state()
        if password is not None:
            self.state.password = password
        self.state.jitter = jitter
        if seed is not None:
            self.state.seed = seed
            self.state.rng.seed(seed)
        self.personality: Personality = cls(self, self.state)
        self.received: list[str] = []
        #: The raw ``command`` of each API request (``"summary+pools"`` for a joined one).
        self.requests: list[str] = []
        #: Web requests answered with a digest challenge (401), a cost a client can avoid.
        self.web_challenges = 0
        self.fault = Fault.NONE
        self.fault_params: dict[str, Any] = {}
        #: How long a reboot command keeps the miner offline.
        self.reboot_seconds = 1.0
        self._rng = random.Random(seed)
        self._server: asyncio.Server | None = None
        self._sock: socket.socket | None = None
        self._web_runner: web.AppRunner | None = None
        self._web_site: web.TCPSite | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._running = False

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
        """Listen on the API port (and the web port when the personality has one)."""
        self._running = True
        self._listen()
        if self.web_port is not None:
            await self._start_web()

    async def stop(self) -> None:
        """Close listeners, abort open connections and background tasks."""
        self._running = False
        self._close_listener()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        await self._stop_web()

    def _listen(self) -> None:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
            sock.listen(128)
            sock.setblocking(False)
        except OSError:
            sock.close()
            raise
        self.port = sock.getsockname()[1]
        self._sock = sock
        self._spawn(self._serve(sock), "listener")

    async def _serve(self, sock: socket.socket) -> None:
        server = await asyncio.start_server(self._on_connection, sock=sock)
        if self._sock is not sock:  # closed while starting
            server.close()
            return
        self._server = server
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.Event().wait()  # until cancelled by _close_listener or stop
        server.close()

    def _close_listener(self) -> None:
        """Stop listening now, so the very next connect is refused."""
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        for task in list(self._tasks):
            if task.get_name() == "listener":
                task.cancel()

    def _spawn(self, coro: Any, name: str | None = None) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro)
        if name:
            task.set_name(name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _start_web(self) -> None:
        from aiohttp import web

        from .personalities.antminer_web import create_antminer_web_app

        if self._web_runner is None:
            self._web_runner = web.AppRunner(create_antminer_web_app(self), access_log=None)
            await self._web_runner.setup()
        self._web_site = web.TCPSite(
            self._web_runner, self.host, self.web_port or 0, reuse_address=True
        )
        await self._web_site.start()
        for address in self._web_runner.addresses:
            self.web_port = address[1]

    async def _stop_web(self, *, keep_runner: bool = False) -> None:
        if self._web_site is not None:
            await self._web_site.stop()
            self._web_site = None
        if self._web_runner is not None and not keep_runner:
            await self._web_runner.cleanup()
            self._web_runner = None

    # --- faults and identity -----------------------------------------------------------------

    def set_fault(self, fault: Fault | str, **params: Any) -> None:
        """Switch fault mode; see ``Fault`` for the parameters of each mode."""
        fault = Fault(fault)
        previous = self.fault
        self.fault = fault
        self.fault_params = params
        if fault is Fault.REFUSE:
            self._close_listener()
        elif fault is Fault.REBOOT:
            self._go_offline()  # now, so the very next connect already fails
            self._spawn(self._reboot(float(params.get("seconds", 5.0)), grace=0.0), "reboot")
        elif previous in (Fault.REFUSE, Fault.REBOOT) and self._running and self._sock is None:
            self._listen()

    def reboot(self, seconds: float = 1.0) -> None:
        """Go offline for ``seconds`` after the current reply is written (a reboot command)."""
        self._spawn(self._reboot(seconds, grace=_REBOOT_GRACE), "reboot")

    def _go_offline(self) -> None:
        """Stop listening and drop every open API connection."""
        self._close_listener()
        for task in list(self._tasks):
            if task.get_name() == "connection":
                task.cancel()

    async def _reboot(self, seconds: float, *, grace: float) -> None:
        if grace:
            await asyncio.sleep(grace)  # let the reply to the reboot command go out
        self._go_offline()
        web = self._web_site is not None
        if web:
            await self._stop_web(keep_runner=True)
        # A deadline, not one sleep: Home Assistant's test helper async_fire_time_changed
        # fires pending loop timers early, which must not shorten the reboot.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while (remaining := deadline - loop.time()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(remaining)  # again after an early wake-up
        self.state.reset_uptime()
        if self.fault is Fault.REBOOT:
            self.fault = Fault.NONE
            self.fault_params = {}
        if self._running and self._sock is None:
            self._listen()
        if self._running and web and self._web_site is None:
            await self._start_web()

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
        """True while refusing or rebooting (the web app answers nothing then)."""
        return self._sock is None or self.fault in (Fault.REFUSE, Fault.REBOOT)

    # --- one connection ----------------------------------------------------------------------

    async def _on_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        if task is not None:
            task.set_name("connection")
            self._tasks.add(task)
        try:
            await self._converse(reader, writer)
        except ConnectionError, TimeoutError, asyncio.IncompleteReadError:
            pass
        finally:
            if task is not None:
                self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _converse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await self.personality.read_request(reader)
        if request is None:
            return
        fault = self.fault
        params = self.fault_params
        if fault is Fault.SILENT:
            while await reader.read(4096):
                pass
            return
        if fault is Fault.GARBAGE:
            size = int(params.get("size", 512))
            noise = bytes(self._rng.randrange(0x80, 0x100) for _ in range(size))
            writer.write(b"\x8f" + noise)
            await writer.drain()
            return
        if fault is Fault.OVERSIZED:
            limit = int(params.get("limit", 64 * 1024 * 1024))
            writer.write(b'{"STATUS":[{"STATUS":"S","Msg":"')
            sent = 0
            chunk = b"A" * 65536
            while sent < limit:
                writer.write(chunk)
                await writer.drain()
                sent += len(chunk)
            return
        self.requests.append(str(request.get("command", request.get("cmd", ""))))
        reply = self.personality.encode(self.personality.handle_request(request))
        if fault is Fault.TRICKLE:
            interval = float(params.get("interval", 0.05))
            for index in range(len(reply)):
                writer.write(reply[index : index + 1])
                await writer.drain()
                await asyncio.sleep(interval)
            return
        if fault is Fault.RESET:
            cut = int(len(reply) * float(params.get("fraction", 0.5)))
            writer.write(reply[:cut])
            await writer.drain()
            sock = writer.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
            return
        if fault is Fault.TRUNCATED:
            cut = int(len(reply) * float(params.get("fraction", 0.5)))
            writer.write(reply[:cut])
            await writer.drain()
            return
        writer.write(reply)
        await writer.drain()
