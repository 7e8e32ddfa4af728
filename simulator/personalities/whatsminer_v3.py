"""Whatsminer API v3 as a ``MinerSimulator`` personality (``whatsminer-v3``).

The wire format is not cgminer's: a 4-byte little-endian length, then the JSON, both ways.
``read_request``/``encode`` implement that framing; the commands are ``V3Handler``'s. An
unframed request (a cgminer probe) reads as an absurd length and is closed unanswered.
"""

from __future__ import annotations

import asyncio
import json
import struct
from typing import Any, ClassVar

from simulator.personality import REQUEST_LIMIT, REQUEST_TIMEOUT, Personality, Reply
from simulator.state import MinerState
from simulator.whatsminer_v3 import V3Handler, initial_state

_HEADER = struct.Struct("<I")


class WhatsminerV3(V3Handler, Personality):
    """A Whatsminer M60S speaking API v3, account ``super``/``super``."""

    name: ClassVar[str] = "whatsminer-v3"
    family: ClassVar[str] = "btminer-v3"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """The device salt and no error codes."""
        super().__init__(*args, **kwargs)
        self.salt = "BQ5hoXV9"
        self.error_codes = {}

    @classmethod
    def initial_state(cls) -> MinerState:
        """As the standalone v3 simulator's."""
        state = initial_state()
        state.jitter = True
        return state

    async def read_request(self, reader: asyncio.StreamReader) -> dict[str, Any] | None:
        """One length-prefixed JSON request; None for an unframed or oversized one."""
        async with asyncio.timeout(REQUEST_TIMEOUT):
            (length,) = _HEADER.unpack(await reader.readexactly(_HEADER.size))
            if length > REQUEST_LIMIT:
                return None
            body = await reader.readexactly(length)
        try:
            payload = json.loads(body)
        except ValueError:
            return {"cmd": None}
        return payload if isinstance(payload, dict) else {"cmd": None}

    def handle_request(self, payload: dict[str, Any]) -> Reply:
        """API v3 dispatch (``V3Handler.answer``)."""
        return self.answer(payload)

    def encode(self, reply: Reply) -> bytes:
        """Length prefix, then the JSON."""
        body = reply if isinstance(reply, bytes) else json.dumps(reply).encode()
        return _HEADER.pack(len(body)) + body

    # --- V3Handler hooks ---------------------------------------------------------------------

    def record(self, command: str) -> None:
        """Into the simulator's ``received``."""
        self.sim.received.append(command)

    def password_accepted(self) -> bool:
        """The simulator's WRONG_PASSWORD fault."""
        return self.sim.check_password(self.state.password)

    def on_reboot(self) -> None:
        """Offline for ``reboot_seconds`` after the reply, like the other personalities."""
        self.sim.reboot(self.sim.reboot_seconds)
