"""Base class of simulator personalities: one firmware's listeners and replies on ``MinerState``.

A personality declares what a miner serves; ``MinerSimulator`` opens the listeners and applies
every fault to whichever of them the personality has:

- ``api_protocol = "tcp"`` (the default): a TCP API on ``port``. ``read_request`` reads one
  request off a connection (the framing), ``handle_request`` answers it, ``encode`` frames the
  reply, and ``garbage`` / ``oversized_head`` say how GARBAGE and OVERSIZED look on that wire.
  cgminer's framing and command dispatch are ``CGMinerPersonality``'s
  (``personalities/cgminer.py``); Whatsminer API v3 frames with a length prefix.
- ``api_protocol = "http"``: HTTP on ``port`` (ePIC serves its REST API on 4028): ``api_app``.
- ``api_protocol = None``: nothing listens on ``port`` (AxeOS devices have only a web server).
- ``has_web = True``: an HTTP web interface on ``web_port``: ``web_app`` (the Antminer CGI,
  AxeOS's REST API, VNish and Braiins OS 25.07+ beside their cgminer API).

Every HTTP request a listener answers is recorded in ``sim.received`` under the name
``http_record`` gives it (default ``"GET /api/system/info"``); ``http_error`` is how the
firmware words an error status (the HTTP_401 / HTTP_500 faults use it). ``rebooted`` runs when
the miner is back from a reboot, ``expire_sessions`` forgets the tokens an HTTP API issued. A
personality is found by name in the table of ``simulator/personalities/__init__.py``.
"""

from __future__ import annotations

import abc
import asyncio
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, ClassVar, Literal

if TYPE_CHECKING:
    from aiohttp import web

    from .server import MinerSimulator
    from .state import MinerState

Reply = dict[str, Any] | bytes


class DropReply(Exception):  # noqa: N818 - a signal to the server, not an error
    """Raised while answering a TCP request: the connection is dropped unanswered (reset), as
    by firmware that goes down at once (``Personality.restart_reply``)."""


#: Bounds of one request on a TCP API (bytes, seconds).
REQUEST_LIMIT = 64 * 1024
REQUEST_TIMEOUT = 10.0


class Personality(abc.ABC):
    """One firmware's behaviour; the hooks below are what the server calls."""

    name: ClassVar[str]
    family: ClassVar[str]
    #: What ``port`` speaks: a TCP API, HTTP (``api_app``), or nothing.
    api_protocol: ClassVar[Literal["tcp", "http"] | None] = "tcp"
    #: Whether an HTTP web interface listens on ``web_port`` (``web_app``).
    has_web: ClassVar[bool] = False

    def __init__(self, sim: MinerSimulator, state: MinerState) -> None:
        """Bind to the simulator (for ``received`` and faults) and the shared state."""
        self.sim = sim
        self.state = state

    @classmethod
    @abc.abstractmethod
    def initial_state(cls) -> MinerState:
        """A fresh state with this model's identity, boards, fans and pools."""

    # --- a TCP API (api_protocol "tcp") ------------------------------------------------------

    async def read_request(self, reader: asyncio.StreamReader) -> dict[str, Any] | None:
        """One request off a connection, decoded (None: nothing to answer, just close)."""
        raise NotImplementedError

    def handle_request(self, payload: dict[str, Any]) -> Reply:
        """The reply to a decoded request; ``bytes`` go out verbatim (broken firmware JSON).

        Records the command(s) in ``sim.received``.
        """
        raise NotImplementedError

    def encode(self, reply: Reply) -> bytes:
        """A reply as bytes on the wire (the framing)."""
        raise NotImplementedError

    def request_name(self, payload: dict[str, Any]) -> str:
        """The raw command of a request, for ``sim.requests`` (one entry per request)."""
        return str(payload.get("command", payload.get("cmd", "")))

    def garbage(self, noise: bytes) -> bytes:
        """What GARBAGE sends on this wire: the noise as it is (a framed wire frames it)."""
        return noise

    def oversized_head(self, size: int) -> bytes:
        """How OVERSIZED starts a reply of ``size`` bytes that never ends (filler follows)."""
        return b'{"STATUS":[{"STATUS":"S","Msg":"'

    # --- HTTP (api_protocol "http", has_web) -------------------------------------------------

    def api_app(self) -> web.Application:
        """The HTTP application served on ``port`` when ``api_protocol`` is "http"."""
        raise NotImplementedError

    def web_app(self) -> web.Application:
        """The HTTP application served on ``web_port`` when ``has_web``."""
        raise NotImplementedError

    def http_record(self, request: web.Request, response: web.StreamResponse) -> str | None:
        """The name of an answered HTTP request in ``sim.received`` (None: not recorded)."""
        return f"{request.method} {request.path}"

    def http_error(self, status: int, message: str | None = None) -> web.Response:
        """An error reply as this firmware words it (default: aiohttp's ``"401: Unauthorized"``).

        The HTTP_401 and HTTP_500 faults answer with ``http_error(401)`` / ``http_error(500)``.
        """
        from aiohttp import web

        return web.Response(status=status, text=message or f"{status}: {HTTPStatus(status).phrase}")

    def expire_sessions(self) -> None:  # noqa: B027 - a hook most firmwares need not fill
        """Forget every token this firmware's HTTP API issued (a timeout; a test's trigger)."""

    def restart_reply(self, reply: Reply) -> Reply:
        """``reply`` to a reboot or a restart of the mining software already under way on a
        TCP API, or what ``sim.restart_reply`` makes of it: the connection dropped unanswered
        (``DropReply``), or an empty reply (``b""``: the framing's empty message)."""
        if self.sim.restart_reply == "drop":
            raise DropReply
        if self.sim.restart_reply == "empty":
            return b""
        return reply

    # --- shared ------------------------------------------------------------------------------

    def rebooted(self) -> None:
        """The miner is back from a reboot (uptime already reset): forget what RAM held."""
        self.expire_sessions()

    def check_password(self, password: str | None) -> bool:
        """Whether a privileged password is accepted (always false under WRONG_PASSWORD)."""
        return self.sim.check_password(password)
