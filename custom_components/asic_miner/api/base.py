"""``BaseMinerAPI``: the classic CGMiner-API layer every TCP firmware family speaks.

A ``Miner`` that talks in commands: ``send_command`` (one command, its reply's status checked),
``multicommand`` (several in one request, see ``batching``), ``commands`` (derived from the
family's ``@api_command`` methods and ``Command`` declarations, as in the classic design) and ``send_privileged_command``
(plain unless the family signs or encrypts). Each exchange is one bounded TCP request
(``transport.exchange`` with the family's ``framing``), holding the miner's lock. A family
declares its commands, how one poll is fetched (``_poll``) and mapped (``_map``), its identity
and the controls it supports; it is never used directly.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from functools import cache, partial
from typing import Any, ClassVar, Final, Self, final, overload

from .batching import Batching
from .decoding import decode_reply
from .miner import Miner
from .models import MinerData, MinerIdentity
from .protocol import check_status, encode, request_body, validate_command
from .transport import UNTIL_CLOSE, Framing, exchange

#: The cgminer API's port.
CGMINER_PORT: Final = 4028


def api_command[F: Callable[..., Any]](method: F) -> F:
    """Mark a method as one API command of its family; its name is the command's name."""
    method.__api_command__ = True  # type: ignore[attr-defined]
    return method


class Command:
    """A command without parameters, declared by name: ``summary = Command("Totals.")`` makes
    ``await api.summary()`` send ``summary`` and counts it in ``commands``, like an
    ``@api_command`` method."""

    __api_command__: Final = True

    def __init__(self, doc: str) -> None:
        """``doc`` says what the command answers."""
        self.__doc__ = doc
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, api: None, owner: type) -> Self: ...

    @overload
    def __get__(
        self, api: BaseMinerAPI, owner: type
    ) -> Callable[[], Coroutine[Any, Any, dict[str, Any]]]: ...

    def __get__(
        self, api: BaseMinerAPI | None, owner: type
    ) -> Self | Callable[[], Coroutine[Any, Any, dict[str, Any]]]:
        if api is None:
            return self
        return partial(api.send_command, self.name)


@cache
def _commands_of(cls: type) -> tuple[str, ...]:
    """A class's API commands, found once per class (asked by every ``multicommand``)."""
    names = {
        name
        for klass in cls.__mro__
        for name, value in vars(klass).items()
        if getattr(value, "__api_command__", False)
    }
    return tuple(sorted(names))


class BaseMinerAPI(Miner):
    """Protocol, validation, batching and defaults; never used directly (use a family)."""

    family: ClassVar[str] = "base"
    #: False for firmwares that cannot answer ``a+b`` joined commands at all.
    supports_multicommand: ClassVar[bool] = True
    #: Commands this firmware answers but never inside a joined request.
    unbatchable_commands: ClassVar[frozenset[str]] = frozenset()
    #: How a request is written and where its reply ends.
    framing: ClassVar[Framing] = UNTIL_CLOSE

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        """Refuse direct instantiation: the protocol alone cannot map any firmware's data."""
        if cls is BaseMinerAPI:
            raise TypeError(
                "BaseMinerAPI cannot be instantiated directly; use a family such as "
                "CGMinerAPI or BMMinerAPI, or detect_api()"
            )
        return super().__new__(cls)

    def __init__(self, ip: str, port: int = CGMINER_PORT, **kwargs: Any) -> None:
        """As ``Miner``: ``password``, ``web_port``, ``connect_timeout``, ``timeout``,
        ``max_reply_bytes``, ``web_session``; nothing is sent yet."""
        super().__init__(ip, port, **kwargs)
        self.batching = Batching(
            joins=self.supports_multicommand, unbatchable=self.unbatchable_commands
        )

    @property
    def ip(self) -> str:
        """The miner's address (the classic API's name for ``host``)."""
        return self.host

    # --- what this family can do -------------------------------------------------------------

    @property
    def commands(self) -> list[str]:
        """The API commands this family supports (its ``@api_command`` methods and
        ``Command`` declarations)."""
        return self.get_commands()

    @final
    def get_commands(self) -> list[str]:
        """The API commands this family supports (its ``@api_command`` methods)."""
        return list(_commands_of(type(self)))

    # --- protocol ----------------------------------------------------------------------------

    def build_request(self, command: str, parameters: Any = None, **kwargs: Any) -> bytes:
        """The request bytes (``json.dumps`` of validated values, never string formatting)."""
        return encode(request_body(command, parameters, kwargs))

    async def _exchange(self, request: bytes) -> dict[str, Any]:
        """Send one request and decode the reply; one connection at a time per miner."""
        async with self.device_lock:
            raw = await exchange(self.host, self.port, request, self.limits, framing=self.framing)
        return decode_reply(raw)

    def check_reply(self, command: str, reply: dict[str, Any], *, allow_warning: bool) -> None:
        """Raise ``APIRefusalError`` with the miner's message unless the reply says success."""
        check_status(self.host, command, reply, allow_warning=allow_warning)

    async def send_command(
        self,
        command: str,
        parameters: Any = None,
        ignore_errors: bool = False,
        allow_warning: bool = True,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Send one command and return its decoded reply; a refusal raises
        ``APIRefusalError`` unless ``ignore_errors``."""
        validate_command(command)
        reply = await self._exchange(self.build_request(command, parameters, **kwargs))
        if not ignore_errors:
            self.check_reply(command, reply, allow_warning=allow_warning)
        return reply

    async def send_joined(self, commands: Sequence[str]) -> dict[str, Any]:
        """One request joining ``commands`` with ``+``; the decoded reply, unchecked (the
        building block of ``multicommand``)."""
        return await self._exchange(self.build_request("+".join(commands)))

    async def send_privileged_command(
        self, command: str, parameters: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        """A command that changes the miner; plain ``send_command`` unless the family signs it."""
        return await self.send_command(command, parameters, **kwargs)

    async def multicommand(self, *commands: str, allow_warning: bool = True) -> dict[str, Any]:
        """Several commands in one request: ``{cmd: [reply], …, "multicommand": True}``.

        Unsupported names are dropped (``APIWarning``); commands the miner refuses are dropped
        too; a firmware that cannot batch is asked once per command, one after another.
        """
        return await self.batching.multicommand(
            self, commands, self.commands, allow_warning=allow_warning
        )

    # --- polling hooks (a family overrides them) ---------------------------------------------

    async def _fetch_identity(self) -> MinerIdentity:
        """Ask the miner who it is (family-specific)."""
        return MinerIdentity(make=self.make)

    async def _poll(self) -> dict[str, Any]:
        """The raw replies of one poll (family-specific)."""
        raise NotImplementedError

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        """Map one poll's replies to ``MinerData`` (family-specific)."""
        raise NotImplementedError
