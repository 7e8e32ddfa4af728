"""One bounded request/reply exchange over TCP, the way every CGMiner-family API works.

The client connects, writes one request, and reads until the miner closes the connection
(or writes cgminer's terminating NUL). Every step is bounded: the connect, the whole exchange
and the reply size. Whatever happens, including cancellation, the socket is closed before
this function returns or raises.
"""

from __future__ import annotations

import asyncio

from .errors import APIConnectionError

_CHUNK = 65536


async def exchange(
    host: str,
    port: int,
    payload: bytes,
    *,
    connect_timeout: float,
    timeout: float,  # noqa: ASYNC109  # the whole-exchange bound of the contract
    max_bytes: int,
) -> bytes:
    """Send ``payload`` and return the whole reply; raise ``APIConnectionError`` otherwise."""
    where = f"{host}:{port}"
    try:
        async with asyncio.timeout(connect_timeout):
            reader, writer = await asyncio.open_connection(host, port)
    except TimeoutError:
        raise APIConnectionError(f"{where}: no connection within {connect_timeout:g} s") from None
    except OSError as err:
        raise APIConnectionError(f"{where}: cannot connect ({err.strerror or err})") from err

    received = 0
    chunks: list[bytes] = []
    try:
        async with asyncio.timeout(timeout):
            writer.write(payload)
            await writer.drain()
            while chunk := await reader.read(_CHUNK):
                received += len(chunk)
                if received > max_bytes:
                    raise APIConnectionError(
                        f"{where}: reply larger than {max_bytes} bytes, abandoned"
                    )
                chunks.append(chunk)
                if chunk.endswith(b"\x00"):
                    break  # cgminer's terminator: the reply is complete
    except TimeoutError:
        raise APIConnectionError(
            f"{where}: no complete reply within {timeout:g} s ({received} bytes received)"
        ) from None
    except OSError as err:
        raise APIConnectionError(
            f"{where}: connection failed after {received} bytes ({err.strerror or err})"
        ) from err
    finally:
        # abort() closes the socket without waiting for the peer, also when cancelled.
        writer.transport.abort()
    if not chunks:
        raise APIConnectionError(f"{where}: connection closed without a reply")
    return b"".join(chunks)
