"""When to read again what rarely changes: one request per steady poll (issue 11).

A poll asks only for what changes between polls (the stock Antminer's ``stats``); what
changes rarely (pool URLs and users, the work mode, the LED) is read on the first poll, again
after ``every`` seconds, after the miner restarted since (its uptime is not continuous with
the one at that read, ``identity.continuous``), and at once after a control changed it
(``expired``). A family keeps one ``Refresh`` per such reading, named, and replaces it in
``_remember`` (the poll step that writes state) and in its controls.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from .identity import continuous

#: Seconds between two reads of what rarely changes (pools, work mode, LED): five minutes.
RARELY: Final = 300.0


@dataclass(frozen=True, slots=True)
class Refresh:
    """When one rarely changing reading was last read (``time.monotonic`` seconds)."""

    every: float = RARELY
    #: When it was read; None: never, or expired.
    at: float | None = None
    #: The miner's uptime at that read (a restart since shows in it).
    uptime: int | None = None

    def due(self, now: float, uptime: int | None = None) -> bool:
        """Whether to read it in this poll: never read or expired, ``every`` seconds passed,
        or ``uptime`` (when known) shows a restart since."""
        if self.at is None or now - self.at >= self.every:
            return True
        return uptime is not None and not continuous(self.uptime, self.at, uptime, now)

    def read(self, now: float, uptime: int | None) -> Refresh:
        """This reading, read at ``now`` with the miner at ``uptime``."""
        return replace(self, at=now, uptime=uptime)

    def expired(self) -> Refresh:
        """Read it at the next poll (after a control that changed it)."""
        return replace(self, at=None)
