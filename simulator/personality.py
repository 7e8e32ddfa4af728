"""Base class of simulator personalities: one firmware's TCP API on top of ``MinerState``.

A personality answers one command at a time (``handle``); ``handle_request`` turns a decoded
JSON request into the reply the firmware would write, including cgminer's ``+`` batching.
Returning ``bytes`` sends them verbatim, which is how a personality reproduces the broken
JSON some firmwares emit.
"""

from __future__ import annotations

import abc
import asyncio
import json
import time
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from .server import MinerSimulator
    from .state import MinerState

Reply = dict[str, Any] | bytes

REQUEST_LIMIT = 64 * 1024
REQUEST_TIMEOUT = 10.0


class Personality(abc.ABC):
    """One firmware's behaviour. Subclasses define ``cmd_<name>(parameter)`` methods."""

    name: ClassVar[str]
    family: ClassVar[str]
    has_web: ClassVar[bool] = False
    #: The "Description" cgminer puts in every STATUS, e.g. "cgminer 4.11.1".
    description: ClassVar[str] = "cgminer 4.11.1"
    #: Whether ``+`` joined commands are answered as one merged reply.
    supports_multicommand: ClassVar[bool] = True

    def __init__(self, sim: MinerSimulator, state: MinerState) -> None:
        """Bind to the simulator (for ``received`` and faults) and the shared state."""
        self.sim = sim
        self.state = state

    @classmethod
    @abc.abstractmethod
    def initial_state(cls) -> MinerState:
        """A fresh state with this model's identity, boards, fans and pools."""

    # --- framing -----------------------------------------------------------------------------

    async def read_request(self, reader: asyncio.StreamReader) -> dict[str, Any] | None:
        """One request off a connection (None: nothing to answer, just close).

        cgminer's framing: one unframed JSON object, or the plain ``command|parameter`` form.
        A personality with another wire format (Whatsminer API v3) overrides this and
        ``encode``.
        """
        buffer = b""
        decoder = json.JSONDecoder()
        async with asyncio.timeout(REQUEST_TIMEOUT):
            while len(buffer) < REQUEST_LIMIT:
                chunk = await reader.read(4096)
                buffer += chunk
                text = buffer.decode("utf-8", "replace").strip().rstrip("\x00")
                if text.startswith("{"):
                    try:
                        payload, _ = decoder.raw_decode(text)
                    except json.JSONDecodeError:
                        if not chunk:
                            return {"command": None}
                        continue
                    return payload if isinstance(payload, dict) else {"command": None}
                if text:
                    command, _, parameter = text.partition("|")
                    return {"command": command, "parameter": parameter or None}
                if not chunk:
                    return None
        return {"command": None}

    # --- dispatch ----------------------------------------------------------------------------

    def handle(self, command: str, parameter: str | None) -> Reply:
        """Answer one command via its ``cmd_<command>`` method."""
        method = getattr(self, f"cmd_{command}", None) if command.isidentifier() else None
        if method is None:
            return self.error(14, "Invalid command")
        result: Reply = method(parameter)
        return result

    def handle_request(self, payload: dict[str, Any]) -> Reply:
        """Answer a decoded request; ``a+b`` is merged as ``{"a": [reply], "b": [reply]}``."""
        command = payload.get("command")
        if not isinstance(command, str):
            return self.error(14, "Missing JSON 'command'")
        raw_parameter = payload.get("parameter")
        parameter = None if raw_parameter is None else str(raw_parameter)
        if "+" not in command:
            self.sim.received.append(command)
            return self.handle(command, parameter)
        if not self.supports_multicommand:
            self.sim.received.append(command)
            return self.error(14, "Invalid command")
        parts: list[bytes] = []
        for sub in command.split("+"):
            self.sim.received.append(sub)
            reply = self.handle(sub, parameter)
            body = reply if isinstance(reply, bytes) else json.dumps(reply).encode()
            parts.append(json.dumps(sub).encode() + b":[" + body + b"]")
        return b"{" + b",".join(parts) + b',"id":1}'

    def encode(self, reply: Reply) -> bytes:
        """Bytes on the wire; cgminer terminates every reply with a NUL."""
        body = reply if isinstance(reply, bytes) else json.dumps(reply).encode()
        return body + b"\x00"

    # --- reply helpers -----------------------------------------------------------------------

    def status(self, code: int, msg: str, status: str = "S") -> dict[str, Any]:
        """A cgminer STATUS object."""
        return {
            "STATUS": status,
            "When": int(time.time()),
            "Code": code,
            "Msg": msg,
            "Description": self.description,
        }

    def ok(
        self, code: int, msg: str, section: str | None = None, items: Any = None
    ) -> dict[str, Any]:
        """A successful reply, optionally with a data section."""
        reply: dict[str, Any] = {"STATUS": [self.status(code, msg)]}
        if section is not None:
            reply[section] = items
        reply["id"] = 1
        return reply

    def error(self, code: int, msg: str) -> dict[str, Any]:
        """A cgminer error reply (STATUS "E")."""
        return {"STATUS": [self.status(code, msg, "E")], "id": 1}

    def check_password(self, password: str | None) -> bool:
        """Whether a privileged password is accepted (always false under WRONG_PASSWORD)."""
        return self.sim.check_password(password)
