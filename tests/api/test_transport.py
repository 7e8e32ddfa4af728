"""``exchange``: one bounded request/reply over real loopback sockets."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
import contextlib
import socket
import struct

import pytest

from custom_components.asic_miner.api import APIConnectionError
from custom_components.asic_miner.api.limits import Limits
from custom_components.asic_miner.api.transport import (
    LENGTH_PREFIXED,
    UNTIL_CLOSE,
    Framing,
    exchange,
)

from .conftest import open_fds

type Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@contextlib.asynccontextmanager
async def serve(handler: Handler) -> AsyncIterator[int]:
    """A throwaway TCP server on an ephemeral loopback port."""
    tasks: set[asyncio.Task[None]] = set()

    async def wrapped(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        tasks.add(task)
        try:
            await handler(reader, writer)
        except ConnectionError, asyncio.CancelledError:
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(wrapped, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()


async def call(
    port: int,
    payload: bytes = b'{"command":"summary"}',
    framing: Framing = UNTIL_CLOSE,
    **kwargs: float,
) -> bytes:
    options = {"connect_timeout": 1.0, "timeout": 1.0, "max_bytes": 1024 * 1024} | kwargs
    return await exchange(
        "127.0.0.1",
        port,
        payload,
        Limits(
            connect_timeout=options["connect_timeout"],
            timeout=options["timeout"],
            max_bytes=int(options["max_bytes"]),
        ),
        framing=framing,
    )


async def test_reply_until_close() -> None:
    received: list[bytes] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        received.append(await reader.read(100))
        writer.write(b'{"STATUS":')
        await writer.drain()
        await asyncio.sleep(0.01)
        writer.write(b'[{"STATUS":"S"}]}')

    async with serve(handler) as port:
        assert await call(port) == b'{"STATUS":[{"STATUS":"S"}]}'
    assert received == [b'{"command":"summary"}']


async def test_nul_terminator_ends_reply_without_close() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(100)
        writer.write(b'{"id":1}\x00')
        await writer.drain()
        await asyncio.sleep(10)  # keeps the connection open

    async with serve(handler) as port:
        assert await call(port, timeout=2.0) == b'{"id":1}\x00'


async def test_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(APIConnectionError, match="cannot connect"):
        await call(port)


async def test_connect_timeout() -> None:
    # A listener with a full backlog that never accepts: further SYNs go unanswered.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    try:
        for _ in range(8):
            filler = socket.socket()
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(("127.0.0.1", port))
            fillers.append(filler)
        with pytest.raises(APIConnectionError, match=r"no connection within 0\.2 s"):
            await call(port, connect_timeout=0.2)
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


async def test_silent_times_out() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(10)

    async with serve(handler) as port:
        with pytest.raises(APIConnectionError, match=r"within 0.2 s \(0 bytes received\)"):
            await call(port, timeout=0.2)


async def test_max_bytes() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(100)
        for _ in range(100):
            writer.write(b"x" * 4096)
            await writer.drain()

    async with serve(handler) as port:
        with pytest.raises(APIConnectionError, match="larger than 10000 bytes"):
            await call(port, max_bytes=10_000)


async def test_closed_without_reply() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(100)

    async with serve(handler) as port:
        with pytest.raises(APIConnectionError, match="closed without a reply"):
            await call(port)


async def test_reset_mid_reply() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(100)
        writer.write(b'{"STATUS":[')
        await writer.drain()
        await asyncio.sleep(0.05)
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        writer.transport.abort()

    async with serve(handler) as port:
        with pytest.raises(APIConnectionError, match="connection failed after 11 bytes"):
            await call(port)


async def test_cancellation_closes_socket() -> None:
    closed = asyncio.Event()

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(100)
        if not await reader.read(100):  # EOF: the client closed its end
            closed.set()

    async with serve(handler) as port:
        before = open_fds()
        task = asyncio.ensure_future(call(port, timeout=30))
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        async with asyncio.timeout(2):
            await closed.wait()
        await asyncio.sleep(0)
        assert open_fds() <= before


async def test_no_fd_leak_over_many_failures() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(100)
        writer.write(b"x" * 5000)

    async with serve(handler) as port:
        await call(port)  # warm-up (event loop internals)
        before = open_fds()
        for _ in range(30):
            with pytest.raises(APIConnectionError):
                await call(port, max_bytes=100)
        for _ in range(2):
            await asyncio.sleep(0)
        assert open_fds() <= before


async def _framed(port: int, **kwargs: float) -> bytes:
    return await call(port, b'{"cmd":"get.device.info"}', framing=LENGTH_PREFIXED, **kwargs)


async def test_length_prefixed_both_ways() -> None:
    """Whatsminer API v3 framing: a little-endian u32 length, then the bytes, both ways; the
    reply ends at its length, with the connection still open."""
    received: list[bytes] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        (length,) = struct.unpack("<I", await reader.readexactly(4))
        received.append(await reader.readexactly(length))
        body = b'{"code":0,"msg":{}}'
        writer.write(struct.pack("<I", len(body)) + body[:5])
        await writer.drain()
        await asyncio.sleep(0.01)
        writer.write(body[5:])
        await writer.drain()
        await asyncio.sleep(10)  # keeps the connection open

    async with serve(handler) as port:
        assert await _framed(port, timeout=2.0) == b'{"code":0,"msg":{}}'
    assert received == [b'{"cmd":"get.device.info"}']


async def test_length_prefixed_oversized_is_abandoned_unread() -> None:
    """A frame announcing more than the bound is refused from its header alone."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(100)
        writer.write(struct.pack("<I", 50_000_000))
        await writer.drain()
        await asyncio.sleep(10)

    async with serve(handler) as port:
        with pytest.raises(APIConnectionError, match="50000000 bytes is larger than 1000"):
            await _framed(port, max_bytes=1000)


@pytest.mark.parametrize("sent", [b"\x10\x00", struct.pack("<I", 100) + b"{}"])
async def test_length_prefixed_cut_short(sent: bytes) -> None:
    """A frame cut in its header or its body: the connection closed mid-frame."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(100)
        writer.write(sent)
        await writer.drain()

    async with serve(handler) as port:
        with pytest.raises(APIConnectionError, match="mid-frame"):
            await _framed(port)
