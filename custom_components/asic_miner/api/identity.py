"""When a client must read its miner's identity again: a restart, or another miner.

The identity (model, firmware, MAC, serial) is read once and cached by the client. It can only
change when the miner restarts (a firmware upgrade) or when another machine answers at the
address (a DHCP reshuffle, a swap on the shelf). Both show in the uptime the miner reports:

- it went backwards: the miner (or its mining software) restarted;
- it is not continuous with the time that passed since the previous successful poll: the
  uptime advanced by more, or by less, than the clock did, give or take ``UPTIME_SLACK``
  seconds or ``UPTIME_SLACK_RATIO`` of the time that passed, whichever is larger. Another
  miner's uptime almost never lands within that; a gap of minutes without polls is no
  reason by itself. The slack absorbs a reply taking up to its timeout (10 s by default), a
  firmware that refreshes its counter every few seconds, and clock drift over long gaps.

After a re-read that found a different machine (MAC or serial changed), the identity is read
once more at the next poll, so that the right miner coming back is noticed even when, as in a
swap back and forth, nothing in the uptime tells.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from .models import MinerIdentity

#: Seconds an uptime may differ from the previous one plus the time that passed.
UPTIME_SLACK: Final = 60.0
#: ... or this fraction of the time that passed, when larger.
UPTIME_SLACK_RATIO: Final = 0.05


@dataclass(slots=True)
class UptimeWatch:
    """The last uptime a miner reported, and when (``time.monotonic``)."""

    uptime: int | None = None
    at: float | None = None

    def same_run(self, uptime: int | None, now: float) -> bool:
        """Record this poll's uptime; False when it is not the run the last one saw.

        A poll without an uptime says nothing (True) and keeps the last record.
        """
        if uptime is None:
            return True
        previous, then = self.uptime, self.at
        self.uptime, self.at = uptime, now
        if previous is None or then is None:
            return True
        if uptime < previous:
            return False
        elapsed = max(0.0, now - then)
        drift = abs(uptime - (previous + elapsed))
        return drift <= max(UPTIME_SLACK, elapsed * UPTIME_SLACK_RATIO)


def another_machine(old: MinerIdentity | None, new: MinerIdentity) -> bool:
    """Whether ``new`` is another machine than ``old`` (their MACs or serials differ).

    A fact missing on either side proves nothing: an identity completed after a half-booted
    read (model now known) is the same machine.
    """
    if old is None:
        return False
    return any(
        before is not None and after is not None and before.lower() != after.lower()
        for before, after in ((old.mac, new.mac), (old.serial, new.serial))
    )
