"""``Refresh``: when a client reads again what rarely changes.

One request per steady poll (issue 11) means a family asks each poll only for what changes from
one poll to the next (hashrate, temperatures, fans, power) and reads the rest — pools (URLs,
users), settings (profiles, target temperature, LED), chip counts, an identity it could not
read — now and then: on the first poll, after the mining software restarted (its uptime went
back), every ``REFRESH_SECONDS``, and after a control (``soon``). Between two reads the last
replies stand in for them, so a pool list does not vanish from the polls that skip it.

A family mixes in ``RarelyRead``: it keeps one ``Refresh`` per client; its ``_poll`` joins the
rare commands to the steady ones when they are ``wanted`` (still one request) and marks the
poll with ``REFRESHED``; its ``_remember`` calls ``remember_refresh``, which replaces the state
with ``after(...)``; its ``_map`` reads the replies through ``merged``; an identity read without
the firmware version is read again at the poll after each refresh (``_identity_incomplete``).
The state is a frozen value, replaced as a whole.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
import time
from typing import Any, ClassVar, Final, Protocol

from .decoding import as_int
from .mapping import summary_of
from .models import MinerData

#: Seconds between two reads of what rarely changes.
REFRESH_SECONDS: Final = 300.0
#: The key of a poll's replies naming the rarely read commands that poll asked for.
REFRESHED: Final = "refreshed"


@dataclass(frozen=True, slots=True)
class Refresh:
    """The rarely read replies of one miner, when they were read, and whether to read them
    at the next poll."""

    #: command -> its reply as ``multicommand`` gives it (``[reply]``), from the last read.
    replies: dict[str, Any] = field(default_factory=dict)
    #: ``time.monotonic()`` of the last read; None before the first.
    read_at: float | None = None
    #: The uptime of the last poll, to notice a restart of the mining software.
    uptime: int | None = None
    #: Read at the next poll whatever the clock says (first poll, restart, after a control).
    due: bool = True
    #: Whether the last poll read them (an identity left incomplete is read again after it).
    just_read: bool = False
    interval: float = REFRESH_SECONDS

    def wanted(self, now: float) -> bool:
        """Whether the poll at ``now`` reads the rare commands."""
        return self.due or self.read_at is None or now - self.read_at >= self.interval

    def soon(self) -> Refresh:
        """The same state, read again at the next poll (after a control)."""
        return replace(self, due=True)

    def after(self, replies: Mapping[str, Any], *, uptime: int | None, now: float) -> Refresh:
        """The state after a poll: its rare replies kept when it asked for them (the ones the
        miner refused are forgotten, not kept from an older read), and due again when the
        uptime went back."""
        asked: Sequence[str] = replies.get(REFRESHED) or ()
        if asked:
            kept = {command: replies[command] for command in asked if command in replies}
            return replace(
                self, replies=kept, read_at=now, uptime=uptime, due=False, just_read=True
            )
        restarted = uptime is not None and self.uptime is not None and uptime < self.uptime
        return replace(self, uptime=uptime, due=self.due or restarted, just_read=False)

    def merged(self, replies: Mapping[str, Any]) -> dict[str, Any]:
        """This poll's replies, with the last rare replies where the poll did not ask."""
        return {**self.replies, **replies}


class _Family(Protocol):
    """What ``RarelyRead._poll`` needs of the family it is mixed into."""

    refresh: Refresh
    rare_commands: ClassVar[tuple[str, ...]]

    def steady_commands(self) -> Sequence[str]:
        """The commands of every poll."""
        ...

    async def multicommand(self, *commands: str, allow_warning: bool = True) -> dict[str, Any]:
        """Several commands in one request; refused ones dropped (``BaseMinerAPI``)."""
        ...


class RarelyRead:
    """Mixed into a CGMiner-API family (before its ``CGMinerAPI`` base) that asks
    ``poll_commands`` every poll and ``rare_commands`` now and then."""

    poll_commands: ClassVar[tuple[str, ...]]
    #: What changes rarely: read on the first poll, after a restart, every few minutes and
    #: after a control.
    rare_commands: ClassVar[tuple[str, ...]] = ()
    #: The rarely read replies and when to read them again.
    refresh: Refresh

    def steady_commands(self) -> Sequence[str]:
        """The commands of every poll (a family may add one the last rare read asks for)."""
        return self.poll_commands

    async def _poll(self: _Family) -> dict[str, Any]:
        """One request: the steady commands, joined by the rare ones when they are wanted;
        the replies name the rare commands asked under ``REFRESHED``."""
        asked = list(self.rare_commands) if self.refresh.wanted(time.monotonic()) else []
        replies = await self.multicommand(*self.steady_commands(), *asked)
        replies[REFRESHED] = asked
        return replies

    def remember_refresh(self, replies: dict[str, Any]) -> None:
        """Keep this poll's rare replies when it read them; notice a restart (``_remember``)."""
        uptime = as_int(summary_of(replies).get("Elapsed"))
        self.refresh = self.refresh.after(replies, uptime=uptime, now=time.monotonic())

    def _identity_incomplete(self, data: MinerData) -> bool:
        """An unreadable version is read again after each refresh, not every poll."""
        return data.firmware is None and self.refresh.just_read
