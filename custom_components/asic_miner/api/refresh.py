"""``Refresh``: when a client reads again what rarely changes.

One request per steady poll (issue 11) means a family asks each poll only for what changes from
one poll to the next (hashrate, temperatures, fans, power) and reads the rest — pools (URLs,
users), settings (profiles, target temperature, LED), chip counts, an identity it could not
read — now and then: on the first poll, after the mining software restarted (its uptime went
back), every ``REFRESH_SECONDS``, and after a control (``soon``). Between two reads the last
replies stand in for them, so a pool list does not vanish from the polls that skip it.

A family keeps one ``Refresh`` per client: its ``_poll`` is ``poll(...)``, which joins the rare
commands to the steady ones when they are ``wanted`` (still one request) and marks the poll
with ``REFRESHED``; ``_remember`` replaces the state with ``after(...)``; ``_map`` reads the
replies through ``merged``. The state is a frozen value, replaced as a whole.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
import time
from typing import Any, Final, Protocol

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


class Joiner(Protocol):
    """The classic API layer as ``poll`` needs it (``BaseMinerAPI.multicommand``)."""

    async def multicommand(self, *commands: str, allow_warning: bool = True) -> dict[str, Any]:
        """Several commands in one request; refused ones dropped."""
        ...


async def poll(
    api: Joiner, refresh: Refresh, steady: Sequence[str], rare: Sequence[str]
) -> dict[str, Any]:
    """One poll in one request: the ``steady`` commands, joined by the ``rare`` ones when
    ``refresh`` wants them; the replies name the rare commands asked under ``REFRESHED``."""
    asked = list(rare) if refresh.wanted(time.monotonic()) else []
    replies = await api.multicommand(*steady, *asked)
    replies[REFRESHED] = asked
    return replies
