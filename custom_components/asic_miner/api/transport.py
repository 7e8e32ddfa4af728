"""One bounded request/reply exchange over TCP; the framing says where a reply ends.

The client connects, writes one request, and reads one reply. Two framings exist on miners:

- ``UNTIL_CLOSE`` (every CGMiner-API firmware): the request as is; the reply runs until the
  miner closes the connection or writes cgminer's terminating NUL;
- ``LENGTH_PREFIXED`` (Whatsminer API v3): each message, both ways, is a 4-byte little-endian
  length followed by that many bytes.

Every step is bounded by the ``Limits``: the connect, the whole exchange and the reply size
(checked while reading, before a byte past the bound is buffered). Whatever happens,
cancellation included, the socket is closed before this returns or raises. Only
``APIConnectionError`` is raised: ``RequestDroppedError`` once the request went out and the
miner closed or reset the connection before a whole reply (it may have acted on it: a reboot
or a restart takes the API down at once, see ``errors.accept_dropped``); messages never quote
the payload.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
import struct
from typing import Final, Protocol

from .errors import APIConnectionError, RequestDroppedError
from .limits import Limits, where

_CHUNK: Final = 65536
_LENGTH: Final = struct.Struct("<I")


class Progress:
    """Bytes received so far, for the messages of a failed exchange."""

    __slots__ = ("received",)

    def __init__(self) -> None:
        self.received = 0


class Framing(Protocol):
    """How one message is written and where its reply ends."""

    def frame(self, payload: bytes) -> bytes:
        """The bytes to write for ``payload``."""
        ...

    async def read(
        self, reader: asyncio.StreamReader, max_bytes: int, progress: Progress, place: str
    ) -> bytes:
        """One whole reply; ``APIConnectionError`` when it breaks a bound or the framing."""
        ...


@dataclass(frozen=True, slots=True)
class _UntilClose:
    """CGMiner: the payload as is; the reply ends at the close or at a trailing NUL."""

    def frame(self, payload: bytes) -> bytes:
        return payload

    async def read(
        self, reader: asyncio.StreamReader, max_bytes: int, progress: Progress, place: str
    ) -> bytes:
        chunks: list[bytes] = []
        while chunk := await reader.read(_CHUNK):
            progress.received += len(chunk)
            if progress.received > max_bytes:
                raise APIConnectionError(f"{place}: reply larger than {max_bytes} bytes, abandoned")
            chunks.append(chunk)
            if chunk.endswith(b"\x00"):
                break  # cgminer's terminator: the reply is complete
        if not chunks:
            raise RequestDroppedError(f"{place}: connection closed without a reply")
        return b"".join(chunks)


@dataclass(frozen=True, slots=True)
class _LengthPrefixed:
    """Whatsminer API v3: ``<u32 little-endian length><bytes>`` both ways."""

    def frame(self, payload: bytes) -> bytes:
        return _LENGTH.pack(len(payload)) + payload

    async def read(
        self, reader: asyncio.StreamReader, max_bytes: int, progress: Progress, place: str
    ) -> bytes:
        try:
            (length,) = _LENGTH.unpack(await reader.readexactly(_LENGTH.size))
            progress.received = _LENGTH.size
            if length > max_bytes:
                raise APIConnectionError(
                    f"{place}: reply of {length} bytes is larger than {max_bytes} bytes, abandoned"
                )
            body = await reader.readexactly(length)
        except asyncio.IncompleteReadError as err:
            raise RequestDroppedError(f"{place}: connection closed or reset mid-frame") from err
        progress.received += len(body)
        return body


UNTIL_CLOSE: Final[Framing] = _UntilClose()
LENGTH_PREFIXED: Final[Framing] = _LengthPrefixed()


async def exchange(
    host: str,
    port: int,
    payload: bytes,
    limits: Limits,
    *,
    framing: Framing = UNTIL_CLOSE,
) -> bytes:
    """Send ``payload`` and return the whole reply; raise ``APIConnectionError`` otherwise."""
    place = where(host, port)
    try:
        async with asyncio.timeout(limits.connect_timeout):
            reader, writer = await asyncio.open_connection(host, port)
    except TimeoutError:
        raise APIConnectionError(
            f"{place}: no connection within {limits.connect_timeout:g} s"
        ) from None
    except OSError as err:
        raise APIConnectionError(f"{place}: cannot connect ({err.strerror or err})") from err

    progress = Progress()
    sent = False
    try:
        async with asyncio.timeout(limits.timeout):
            writer.write(framing.frame(payload))
            await writer.drain()
            sent = True
            return await framing.read(reader, limits.max_bytes, progress, place)
    except TimeoutError:
        raise APIConnectionError(
            f"{place}: no complete reply within {limits.timeout:g} s "
            f"({progress.received} bytes received)"
        ) from None
    except OSError as err:
        failure = RequestDroppedError if sent else APIConnectionError
        raise failure(
            f"{place}: connection failed after {progress.received} bytes ({err.strerror or err})"
        ) from err
    finally:
        # abort() closes the socket without waiting for the peer, also when cancelled.
        writer.transport.abort()
