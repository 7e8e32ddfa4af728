"""``Limits``: the bounds of one exchange with a miner, the same idea over TCP and HTTP.

An exchange is one request and its whole reply. Every exchange the client makes is bounded in
three ways, whatever the transport: the time to get a connection, the time for the whole
exchange, and the size of the reply (checked while reading, so a runaway reply is abandoned,
not buffered). ``transport.exchange`` (TCP) and ``http.HTTPClient`` (aiohttp) both take one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

#: A CGMiner-API reply is a few kB; an 8-board ``stats`` with debug fields stays far below.
DEFAULT_MAX_BYTES: Final = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """How long and how much one exchange may take."""

    #: Seconds to open the connection (TCP connect, or aiohttp's socket connect).
    connect_timeout: float = 3.0
    #: Seconds for the whole exchange once connected: writing the request, reading the reply.
    timeout: float = 10.0
    #: Bytes of reply read at the most; a longer reply fails the exchange.
    max_bytes: int = DEFAULT_MAX_BYTES


def where(host: str, port: int) -> str:
    """``host:port`` for messages (IPv6 literals bracketed, as in URLs)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
