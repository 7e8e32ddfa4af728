"""``BaseMinerAPI``: the CGMiner-family protocol shared by every firmware family.

A family subclass declares its commands as methods decorated with ``@api_command`` (so
``commands`` is derived from the class, as in the classic design), how one poll is fetched
(``_poll``) and mapped (``_map``), its identity, and the controls it supports.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
import json
import re
from typing import TYPE_CHECKING, Any, ClassVar, Final, Self, TypeGuard, final
import warnings

from .decoding import decode_reply
from .errors import (
    APIAuthError,
    APIConnectionError,
    APIDecodeError,
    APIError,
    APIPrivilegeDisabledError,
    APIUnsupportedError,
    APIWarning,
)
from .models import Capability, MinerData, MinerIdentity, rounded
from .transport import exchange

if TYPE_CHECKING:
    import aiohttp

_COMMAND_RE: Final = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]{0,63}")
_PARAM_FORBIDDEN: Final = re.compile(r"[\x00-\x1f\x7f]")
_RESERVED_KEYS: Final = frozenset({"command", "parameter", "cmd"})
_OK_STATUSES: Final = frozenset({"S", "I"})


def api_command[F: Callable[..., Any]](method: F) -> F:
    """Mark a method as one API command of its family; its name is the command's name."""
    method.__api_command__ = True  # type: ignore[attr-defined]
    return method


def validate_command(command: Any) -> str:
    """A single command name: letters, digits, ``_ . -``; no ``+``, ``,`` or control chars."""
    if not isinstance(command, str) or not _COMMAND_RE.fullmatch(command):
        raise ValueError(f"invalid command name {command!r}")
    return command


def validate_parameter(parameter: Any) -> str | int | float | bool | None:
    """A parameter is one scalar; strings may not carry control characters."""
    if parameter is None or isinstance(parameter, (bool, int, float)):
        return parameter
    if isinstance(parameter, str):
        if _PARAM_FORBIDDEN.search(parameter):
            raise ValueError(f"invalid characters in parameter {parameter!r}")
        return parameter
    raise TypeError(f"parameter must be a string or a number, not {type(parameter).__name__}")


def reply_status(reply: dict[str, Any]) -> tuple[str | None, str]:
    """(status letter, message) of a reply, for cgminer lists and Whatsminer strings alike."""
    status: Any = reply.get("STATUS")
    if isinstance(status, list):
        status = status[0] if status else None
    if isinstance(status, dict):
        message = status.get("Msg", status.get("msg", ""))
        return _as_status(status.get("STATUS")), str(message)
    if isinstance(status, str):
        return status, str(reply.get("Msg", reply.get("msg", "")))
    return None, ""


def is_refusal(error: object) -> TypeGuard[APIError]:
    """The miner answered and said no (status E, "invalid cmd" …).

    Not a refusal: no usable answer (``APIConnectionError``, ``APIDecodeError``), which means
    nothing about the command, and credential or capability problems (``APIAuthError``,
    ``APIPrivilegeDisabledError``, ``APIUnsupportedError``), which callers must surface.
    A refused command can be dropped or worked around; the others must propagate.
    """
    return isinstance(error, APIError) and not isinstance(
        error,
        (
            APIConnectionError,
            APIDecodeError,
            APIAuthError,
            APIPrivilegeDisabledError,
            APIUnsupportedError,
        ),
    )


def _as_status(value: Any) -> str | None:
    return value if isinstance(value, str) else None


class BaseMinerAPI:
    """Protocol, validation, batching and defaults; never used directly (use a family)."""

    family: ClassVar[str] = "base"
    make: ClassVar[str | None] = None
    #: False for firmwares that cannot answer ``a+b`` joined commands at all.
    supports_multicommand: ClassVar[bool] = True
    #: Commands this firmware answers but never inside a joined request.
    unbatchable_commands: ClassVar[frozenset[str]] = frozenset()
    #: Whether ``get_data`` reads an error source of the firmware into ``MinerData.errors``;
    #: without one, an empty list means "not reported", not "no errors".
    reports_errors: ClassVar[bool] = False

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        """Refuse direct instantiation: the protocol alone cannot map any firmware's data."""
        if cls is BaseMinerAPI:
            raise TypeError(
                "BaseMinerAPI cannot be instantiated directly; use a family such as "
                "CGMinerAPI or BMMinerAPI, or detect_api()"
            )
        return super().__new__(cls)

    def __init__(
        self,
        ip: str,
        port: int = 4028,
        *,
        password: str | None = None,
        web_port: int = 80,
        connect_timeout: float = 3.0,
        timeout: float = 10.0,
        max_reply_bytes: int = 4 * 1024 * 1024,
        web_session: aiohttp.ClientSession | None = None,
    ) -> None:
        """Store where and how to reach the miner; nothing is sent yet.

        ``web_session`` is the HTTP session for families with a web interface (stock
        Antminer); without one they open a short-lived session of their own per use.
        """
        self.ip = ip
        self.port = port
        self.password = password
        self.web_port = web_port
        self.connect_timeout = connect_timeout
        self.timeout = timeout
        self.max_reply_bytes = max_reply_bytes
        self.web_session = web_session
        self.last_replies: dict[str, Any] = {}
        self._identity: MinerIdentity | None = None
        self._identity_lock = asyncio.Lock()
        self._batch_works = self.supports_multicommand

    def __repr__(self) -> str:
        """Class and address, for logs."""
        return f"{type(self).__name__}({self.ip}:{self.port})"

    # --- what this family can do -------------------------------------------------------------

    @property
    def commands(self) -> list[str]:
        """The API commands this family supports (its ``@api_command`` methods)."""
        return self.get_commands()

    @final
    def get_commands(self) -> list[str]:
        """The API commands this family supports (its ``@api_command`` methods)."""
        names = {
            name
            for klass in type(self).__mro__
            for name, value in vars(klass).items()
            if getattr(value, "__api_command__", False)
        }
        return sorted(names)

    @property
    def capabilities(self) -> frozenset[Capability]:
        """Controls this miner can perform; the integration offers only these."""
        return frozenset()

    @property
    def work_modes(self) -> tuple[str, ...]:
        """Work modes ``set_work_mode`` accepts; empty when the firmware has none."""
        return ()

    @property
    def power_limit_bounds(self) -> tuple[int, int] | None:
        """(min, max) watts ``set_power_limit`` accepts, when the firmware has a limit."""
        return None

    # --- protocol ----------------------------------------------------------------------------

    def build_request(self, command: str, parameters: Any = None, **kwargs: Any) -> bytes:
        """The request bytes (``json.dumps``, never string formatting)."""
        for name in command.split("+"):
            validate_command(name)
        payload: dict[str, Any] = {"command": command}
        parameter = validate_parameter(parameters)
        if parameter is not None:
            payload["parameter"] = parameter
        for key, value in kwargs.items():
            if key in _RESERVED_KEYS or not key.isidentifier():
                raise ValueError(f"invalid request field {key!r}")
            payload[key] = validate_parameter(value)
        return json.dumps(payload).encode()

    async def _exchange(self, request: bytes) -> dict[str, Any]:
        """Send one request and decode the reply."""
        raw = await exchange(
            self.ip,
            self.port,
            request,
            connect_timeout=self.connect_timeout,
            timeout=self.timeout,
            max_bytes=self.max_reply_bytes,
        )
        return decode_reply(raw)

    def check_reply(self, command: str, reply: dict[str, Any], *, allow_warning: bool) -> None:
        """Raise ``APIError`` with the miner's message unless STATUS is S or I (or W)."""
        status, message = reply_status(reply)
        if status is None or status in _OK_STATUSES:
            return
        if status == "W" and allow_warning:
            return
        raise APIError(f"{self.ip}: {command}: {message or f'status {status}'}")

    async def send_command(
        self,
        command: str,
        parameters: Any = None,
        ignore_errors: bool = False,
        allow_warning: bool = True,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Send one command and return its decoded reply; a refusal raises ``APIError``."""
        validate_command(command)
        reply = await self._exchange(self.build_request(command, parameters, **kwargs))
        if not ignore_errors:
            self.check_reply(command, reply, allow_warning=allow_warning)
        return reply

    async def send_privileged_command(
        self, command: str, parameters: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        """A command that changes the miner; plain ``send_command`` unless the family signs it."""
        return await self.send_command(command, parameters, **kwargs)

    async def multicommand(self, *commands: str, allow_warning: bool = True) -> dict[str, Any]:
        """Several commands in one request: ``{cmd: [reply], …, "multicommand": True}``.

        Unsupported names are dropped (``APIWarning``); commands the miner refuses are dropped
        too; a firmware that cannot batch is asked once per command, concurrently.
        """
        supported = set(self.commands)
        wanted: list[str] = []
        for command in commands:
            validate_command(command)
            if command not in supported:
                warnings.warn(
                    f"{type(self).__name__} does not support {command!r}; dropped",
                    APIWarning,
                    stacklevel=2,
                )
            elif command not in wanted:
                wanted.append(command)
        result: dict[str, Any] = {}
        batch = [c for c in wanted if c not in self.unbatchable_commands]
        singles = [c for c in wanted if c in self.unbatchable_commands]
        if len(batch) < 2 or not self._batch_works:
            singles, batch = wanted, []
        jobs: list[Awaitable[dict[str, Any]]] = []
        if batch:
            jobs.append(self._send_batch(batch, allow_warning))
        if singles:
            jobs.append(self._send_each(singles, allow_warning))
        for part in await asyncio.gather(*jobs):
            result.update(part)
        result["multicommand"] = True
        return result

    async def _send_batch(self, commands: list[str], allow_warning: bool) -> dict[str, Any]:
        """One joined request; drop refused commands, retry or split when the join fails."""
        remaining = list(commands)
        while len(remaining) > 1:
            reply = await self._exchange(self.build_request("+".join(remaining)))
            answered = [c for c in remaining if isinstance(reply.get(c), list) and reply[c]]
            if not answered:
                # The whole join was refused: drop a command the message names and retry,
                # else this firmware cannot batch (remember it) and each is asked alone.
                _, message = reply_status(reply)
                named = [c for c in remaining if re.search(rf"\b{re.escape(c)}\b", message)]
                if named and len(named) < len(remaining):
                    self._warn_dropped(named, message)
                    remaining = [c for c in remaining if c not in named]
                    continue
                self._batch_works = False
                return await self._send_each(remaining, allow_warning)
            result: dict[str, Any] = {}
            for command in answered:
                sub = reply[command][0]
                try:
                    self.check_reply(command, sub, allow_warning=allow_warning)
                except APIError as err:
                    self._warn_dropped([command], str(err))
                    continue
                result[command] = [sub]
            missing = [c for c in remaining if c not in answered]
            if missing:
                result.update(await self._send_each(missing, allow_warning))
            return result
        return await self._send_each(remaining, allow_warning)

    async def _send_each(self, commands: Iterable[str], allow_warning: bool) -> dict[str, Any]:
        """Each command in its own request, concurrently; refusals are dropped."""
        names = list(commands)
        replies = await asyncio.gather(
            *(self.send_command(c, allow_warning=allow_warning) for c in names),
            return_exceptions=True,
        )
        result: dict[str, Any] = {}
        for command, reply in zip(names, replies, strict=True):
            if is_refusal(reply):
                self._warn_dropped([command], str(reply))
                continue
            if isinstance(reply, BaseException):
                raise reply
            result[command] = [reply]
        if names and not result:
            raise APIError(f"{self.ip}: the miner refused every command: {', '.join(names)}")
        return result

    def _warn_dropped(self, commands: list[str], reason: str) -> None:
        warnings.warn(
            f"{type(self).__name__}: miner refused {', '.join(commands)}; dropped ({reason})",
            APIWarning,
            stacklevel=3,
        )

    # --- polling -----------------------------------------------------------------------------

    async def get_identity(self) -> MinerIdentity:
        """Model, firmware, MAC, hostname, serial: fetched once, then cached."""
        if self._identity is None:
            async with self._identity_lock:
                if self._identity is None:
                    self._identity = await self._fetch_identity()
        return self._identity

    def forget_identity(self) -> None:
        """Drop the cached identity (after a reboot or firmware update)."""
        self._identity = None

    async def _fetch_identity(self) -> MinerIdentity:
        """Ask the miner who it is (family-specific)."""
        return MinerIdentity(make=self.make)

    async def get_data(self) -> MinerData:
        """One poll, normalised and rounded (``models.rounded``); ``last_replies`` keeps the
        raw replies for diagnostics."""
        identity = await self.get_identity()
        replies = await self._poll()
        self.last_replies = replies
        return rounded(self._map(replies, identity))

    async def _poll(self) -> dict[str, Any]:
        """The raw replies of one poll (family-specific)."""
        raise NotImplementedError

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        """Map one poll's replies to ``MinerData`` (family-specific)."""
        raise NotImplementedError

    # --- credentials -------------------------------------------------------------------------

    async def check_password(self) -> None:
        """Verify the configured password with the family's cheapest privileged round-trip.

        Raises ``APIAuthError`` (wrong password), ``APIPrivilegeDisabledError`` (privileged
        API locked) or ``APIConnectionError``; returns quietly for families without a password
        and when none is configured, so a config flow can call it unconditionally.
        """
        return

    # --- controls ----------------------------------------------------------------------------

    def _unsupported(self, action: str) -> APIUnsupportedError:
        return APIUnsupportedError(f"{type(self).__name__} ({self.family}) cannot {action}")

    async def reboot(self) -> None:
        """Reboot the whole miner."""
        raise self._unsupported("reboot")

    async def restart_backend(self) -> None:
        """Restart the mining software only."""
        raise self._unsupported("restart the mining software")

    async def pause_mining(self) -> None:
        """Stop hashing (the miner stays reachable)."""
        raise self._unsupported("pause mining")

    async def resume_mining(self) -> None:
        """Resume hashing after ``pause_mining``."""
        raise self._unsupported("resume mining")

    async def set_power_limit(self, watts: int) -> None:
        """Limit the miner's power draw."""
        raise self._unsupported("set a power limit")

    async def set_fault_light(self, on: bool) -> None:
        """Switch the locate/fault LED."""
        raise self._unsupported("switch the fault light")

    async def set_work_mode(self, mode: str) -> None:
        """Select one of ``work_modes``."""
        raise self._unsupported("set a work mode")

    def _check_work_mode(self, mode: str) -> None:
        if mode not in self.work_modes:
            raise ValueError(f"unknown work mode {mode!r}; expected one of {self.work_modes}")

    def _check_power_limit(self, watts: int) -> None:
        bounds = self.power_limit_bounds
        if bounds is not None and not bounds[0] <= watts <= bounds[1]:
            raise ValueError(f"power limit {watts} W outside {bounds[0]}-{bounds[1]} W")
