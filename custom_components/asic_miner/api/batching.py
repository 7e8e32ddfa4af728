"""Batching: several CGMiner-API commands in one request (``summary+pools+stats``), and what
the client learns about a miner's ability to answer one.

cgminer answers a joined request with ``{"summary": [reply], "pools": [reply], …}``. Firmwares
differ: some refuse joins altogether (stock S19), some refuse certain commands inside one
(btminer's ``get_*``), some refuse the whole join naming the one part they do not know. The
rules, in order:

- names the family does not have are dropped with an ``APIWarning``; duplicates are asked once;
- commands the family declares unbatchable, and all of them when joins do not work (or fewer
  than two remain), are asked one by one, one after another (never two connections at once);
- a join refused as a whole is retried without the parts its message names, else joins are
  taken not to work on this miner (``Batching.joins_work`` becomes False: learned, kept for the
  life of the client until ``relearn``) and each command is asked alone;
- a part the miner answered with an error status is dropped with an ``APIWarning``; when every
  command was refused the call fails with ``APIRefusalError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
import re
from typing import Any, Protocol
import warnings

from .errors import APIRefusalError, APIWarning
from .protocol import reply_status, validate_command


class CommandSender(Protocol):
    """The classic API layer as batching needs it (``BaseMinerAPI``)."""

    @property
    def host(self) -> str:
        """Where the miner is, for messages."""
        ...

    async def send_command(self, command: str, *, allow_warning: bool) -> dict[str, Any]:
        """One command, its reply checked."""
        ...

    async def send_joined(self, commands: Sequence[str]) -> dict[str, Any]:
        """One request joining ``commands`` with ``+``; the decoded reply, unchecked."""
        ...

    def check_reply(self, command: str, reply: dict[str, Any], *, allow_warning: bool) -> None:
        """Raise ``APIRefusalError`` when ``reply`` is a refusal."""
        ...


class Batching:
    """How one miner takes joined commands: declared by its family, learned from its replies."""

    def __init__(self, *, joins: bool, unbatchable: frozenset[str]) -> None:
        """``joins``: whether the firmware answers joins at all; ``unbatchable``: commands it
        answers only alone."""
        self._declared = joins
        self.unbatchable = unbatchable
        #: Learned: False once this miner refused a join as a whole.
        self.joins_work = joins

    def relearn(self) -> None:
        """Forget what was learned (a refusal that said nothing about joins, such as a
        powered-off Whatsminer refusing every read)."""
        self.joins_work = self._declared

    async def multicommand(
        self,
        api: CommandSender,
        commands: Iterable[str],
        supported: Iterable[str],
        *,
        allow_warning: bool = True,
    ) -> dict[str, Any]:
        """``{cmd: [reply], …, "multicommand": True}`` for the commands the miner answered."""
        known = set(supported)
        wanted: list[str] = []
        for command in commands:
            validate_command(command)
            if command not in known:
                warnings.warn(
                    f"{type(api).__name__} does not support {command!r}; dropped",
                    APIWarning,
                    stacklevel=3,
                )
            elif command not in wanted:
                wanted.append(command)
        batch = [c for c in wanted if c not in self.unbatchable]
        singles = [c for c in wanted if c in self.unbatchable]
        if len(batch) < 2 or not self.joins_work:
            singles, batch = wanted, []
        result: dict[str, Any] = {}
        if batch:
            result.update(await self._send_batch(api, batch, allow_warning))
        if singles:
            result.update(await _send_each(api, singles, allow_warning))
        result["multicommand"] = True
        return result

    async def _send_batch(
        self, api: CommandSender, commands: list[str], allow_warning: bool
    ) -> dict[str, Any]:
        """One joined request; drop refused commands, retry or split when the join fails."""
        remaining = list(commands)
        while len(remaining) > 1:
            reply = await api.send_joined(remaining)
            answered = [c for c in remaining if isinstance(reply.get(c), list) and reply[c]]
            if not answered:
                # The whole join was refused: drop a command the message names and retry,
                # else this firmware cannot batch (remember it) and each is asked alone.
                _, message = reply_status(reply)
                named = [c for c in remaining if re.search(rf"\b{re.escape(c)}\b", message)]
                if named and len(named) < len(remaining):
                    _warn_dropped(api, named, message)
                    remaining = [c for c in remaining if c not in named]
                    continue
                self.joins_work = False
                return await _send_each(api, remaining, allow_warning)
            result: dict[str, Any] = {}
            for command in answered:
                sub = reply[command][0]
                try:
                    api.check_reply(command, sub, allow_warning=allow_warning)
                except APIRefusalError as err:
                    _warn_dropped(api, [command], str(err))
                    continue
                result[command] = [sub]
            missing = [c for c in remaining if c not in answered]
            if missing:
                result.update(await _send_each(api, missing, allow_warning))
            return result
        return await _send_each(api, remaining, allow_warning)


async def _send_each(
    api: CommandSender, commands: list[str], allow_warning: bool
) -> dict[str, Any]:
    """Each command in its own request, one after another; refusals are dropped."""
    result: dict[str, Any] = {}
    reason = ""
    for command in commands:
        try:
            reply = await api.send_command(command, allow_warning=allow_warning)
        except APIRefusalError as err:
            _warn_dropped(api, [command], str(err))
            reason = str(err)
            continue
        result[command] = [reply]
    if commands and not result:
        raise APIRefusalError(
            f"{api.host}: the miner refused every command: {', '.join(commands)} ({reason})"
        )
    return result


def _warn_dropped(api: CommandSender, commands: list[str], reason: str) -> None:
    warnings.warn(
        f"{type(api).__name__}: miner refused {', '.join(commands)}; dropped ({reason})",
        APIWarning,
        stacklevel=4,
    )
