"""When a client reads the things that rarely change (issue 11: one request per steady poll).

A REST firmware spreads its readings over endpoints; what changes from poll to poll (hashrate,
temperatures, fans) is read every poll, what rarely changes (the locate LED, the power target,
the preset, pools, the constraints) only now and then: on the first poll, every
``REFRESH_SECONDS``, and right after a control of this client (which may have changed it).
``Refresh`` keeps that schedule; a client asks ``due`` in ``_poll`` and calls ``done`` once
the reads are made.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

#: Seconds between two reads of what rarely changes (another client or the miner's own web
#: interface may change it meanwhile: it shows within this time).
REFRESH_SECONDS: Final = 300.0


@dataclass(slots=True)
class Refresh:
    """The schedule of one client's rare reads (``time.monotonic`` seconds)."""

    #: When the rare reads were last made; None before the first poll.
    read_at: float | None = None
    #: A control asked for them at the next poll.
    requested: bool = False

    def due(self, now: float) -> bool:
        """Whether the next poll reads them."""
        return self.requested or self.read_at is None or now - self.read_at >= REFRESH_SECONDS

    def done(self, now: float) -> None:
        """They were read now."""
        self.read_at = now
        self.requested = False

    def request(self) -> None:
        """Read them at the next poll (after a control)."""
        self.requested = True
