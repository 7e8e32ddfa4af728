"""One conversation on a simulated miner's TCP API, with the simulator's fault applied.

The personality reads the request (``read_request``), answers it (``handle_request``) and
frames the reply (``encode``); the fault decides what of it goes out. The bytes of GARBAGE and
OVERSIZED are the personality's (``garbage``, ``oversized_head``), so a framed wire keeps its
frames; TRICKLE, RESET and TRUNCATED send the personality's own reply slowly or cut. A
personality answering a restart may drop the connection instead (``DropReply``: reset, no
byte).
"""

from __future__ import annotations

import asyncio
import socket
import struct
from typing import TYPE_CHECKING

from .faults import Fault
from .personality import DropReply

if TYPE_CHECKING:
    from .server import MinerSimulator

#: OVERSIZED: filler written after the personality's head, until ``limit`` bytes.
FILLER = b"A" * 65536
DEFAULT_OVERSIZED_LIMIT = 64 * 1024 * 1024


def reset(transport: asyncio.WriteTransport) -> None:
    """Close with an RST instead of a FIN (SO_LINGER 0), as a crashing miner does."""
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


async def converse(
    sim: MinerSimulator, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """Read one request and answer it as the current fault mode says."""
    personality = sim.personality
    request = await personality.read_request(reader)
    if request is None:
        return
    fault = sim.fault
    params = sim.fault_params
    if fault is Fault.SILENT:
        while await reader.read(4096):
            pass
        return
    if fault is Fault.GARBAGE:
        writer.write(personality.garbage(sim.garbage()))
        await writer.drain()
        return
    if fault is Fault.OVERSIZED:
        limit = int(params.get("limit", DEFAULT_OVERSIZED_LIMIT))
        writer.write(personality.oversized_head(limit))
        sent = 0
        while sent < limit:
            writer.write(FILLER)
            await writer.drain()
            sent += len(FILLER)
        return
    sim.requests.append(personality.request_name(request))
    try:
        reply = personality.encode(personality.handle_request(request))
    except DropReply:
        reset(writer.transport)
        return
    if fault is Fault.TRICKLE:
        interval = float(params.get("interval", 0.05))
        for index in range(len(reply)):
            writer.write(reply[index : index + 1])
            await writer.drain()
            await asyncio.sleep(interval)
        return
    if fault in (Fault.RESET, Fault.TRUNCATED):
        cut = int(len(reply) * float(params.get("fraction", 0.5)))
        writer.write(reply[:cut])
        await writer.drain()
        if fault is Fault.RESET:
            reset(writer.transport)
        return
    writer.write(reply)
    await writer.drain()
