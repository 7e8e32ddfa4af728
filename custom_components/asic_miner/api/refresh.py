"""``Refresh``: when a client reads again what rarely changes.

One request per steady poll (issue 11) means a family asks each poll only for what changes from
one poll to the next (hashrate, temperatures, fans, power) and reads the rest — pools (URLs,
users), settings (profiles, target temperature, LED), chip counts, an identity it could not
read — now and then: on the first poll, after the mining software restarted (its uptime went
back) or another machine answered (its MAC changed), every ``interval`` seconds
(``REFRESH_SECONDS`` unless the reading says otherwise), and after a control (``soon``).
Between two reads the last replies stand in for them, so a pool list does not vanish from the
polls that skip it. This is the one scheduler of such reads: every family keeps one
``Refresh`` per thing it reads rarely (its rare replies, an identity it retries, a device's
options), never a timer of its own.

A family mixes in ``RarelyRead``: it keeps one ``Refresh`` per client; its ``_poll`` joins the
rare commands to the steady ones when they are ``wanted`` (still one request) and marks the
poll with ``REFRESHED``; its ``_remember`` calls ``remember_refresh``, which replaces the state
with ``after(...)``; its ``_map`` reads the replies through ``merged``; an identity read without
the firmware version is read again at the poll after each refresh (``_identity_incomplete``).
A family with a poll of its own (Avalon, Whatsminer, the REST firmwares) calls the same
``wanted``/``after``/``merged`` itself; one that reads something outside its poll's replies
(an identity it retries) marks it with ``read``. The state is a frozen value, replaced as a
whole.
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

    #: command -> its reply as the poll gave it (``[reply]`` from ``multicommand``), from the
    #: last read.
    replies: dict[str, Any] = field(default_factory=dict)
    #: ``time.monotonic()`` of the last read; None before the first.
    read_at: float | None = None
    #: The uptime of the last poll that reported one, to notice a restart.
    uptime: int | None = None
    #: Read at the next poll whatever the clock says (first poll, restart, after a control).
    due: bool = True
    #: Whether the last poll read them (an identity left incomplete is read again after it).
    just_read: bool = False
    interval: float = REFRESH_SECONDS
    #: The MAC of the machine the replies are about, where the family tells it: another one
    #: makes them due.
    mac: str | None = None
    #: Rare commands whose last reply stands in when a read of them is refused (a powered-off
    #: btminer refuses ``pools``; its pools have not changed). Others are forgotten.
    kept_when_refused: frozenset[str] = frozenset()

    def wanted(self, now: float, *, uptime: int | None = None, mac: str | None = None) -> bool:
        """Whether the poll at ``now`` reads them; ``uptime`` and ``mac``, where the poll has
        already read them (a reply before the rare ones), make a restart or another machine
        count at once."""
        return (
            self.due
            or self.read_at is None
            or now - self.read_at >= self.interval
            or self.restarted(uptime)
            or self.other_machine(mac)
        )

    def restarted(self, uptime: int | None) -> bool:
        """Whether ``uptime`` went back from the last one (the mining software restarted)."""
        return uptime is not None and self.uptime is not None and uptime < self.uptime

    def other_machine(self, mac: str | None) -> bool:
        """Whether ``mac`` is another machine's than the one the replies are about."""
        return mac is not None and self.mac is not None and mac != self.mac

    def soon(self) -> Refresh:
        """The same state, read again at the next poll (after a control)."""
        return replace(self, due=True)

    def read(self, now: float) -> Refresh:
        """The state after reading at ``now`` what the poll's replies do not hold (an identity
        a family retries): the clock starts again, the replies stay."""
        return replace(self, read_at=now, due=False, just_read=True)

    def after(
        self,
        replies: Mapping[str, Any],
        *,
        uptime: int | None,
        now: float,
        mac: str | None = None,
    ) -> Refresh:
        """The state after a poll: its rare replies (named under ``REFRESHED``) kept when it
        asked for them (the ones the miner refused are forgotten, not kept from an older read,
        unless ``kept_when_refused``), and due again when the uptime went back or another
        machine answered. A poll without an uptime or MAC keeps the last ones."""
        uptime = self.uptime if uptime is None else uptime
        asked: Sequence[str] = replies.get(REFRESHED) or ()
        if asked:
            kept = {command: replies[command] for command in asked if command in replies}
            for command in self.kept_when_refused.intersection(asked) - kept.keys():
                if command in self.replies:
                    kept[command] = self.replies[command]
            return replace(
                self,
                replies=kept,
                read_at=now,
                uptime=uptime,
                mac=mac or self.mac,
                due=False,
                just_read=True,
            )
        moved = self.restarted(uptime) or self.other_machine(mac)
        return replace(
            self, uptime=uptime, mac=mac or self.mac, due=self.due or moved, just_read=False
        )

    def seen(self, replies: Mapping[str, Any]) -> Refresh:
        """The state after a poll read some rare replies off schedule (Whatsminer API 3's
        device info while nothing hashes): they replace the kept ones; the clock stands."""
        return replace(self, replies={**self.replies, **replies})

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
