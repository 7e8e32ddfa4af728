"""Fault modes the simulator can inject, one per way real miners misbehave on the network."""

from __future__ import annotations

from enum import StrEnum


class Fault(StrEnum):
    """What the simulated miner does instead of answering normally.

    Parameters (passed to ``MinerSimulator.set_fault``):
    ``TRICKLE``: ``interval`` seconds between bytes (default 0.05).
    ``RESET``: ``fraction`` of the reply sent before the RST (default 0.5).
    ``GARBAGE``: ``size`` bytes of noise (default 512), or ``body``, bytes sent as they are (a
    hostile shape: JSON nested deeper than any parser recurses).
    ``TRUNCATED``: ``fraction`` of the reply sent before the close (default 0.5).
    ``OVERSIZED``: ``limit`` bytes at most before giving up (default 64 MiB).
    ``REBOOT``: ``seconds`` offline (default 5.0).

    ``HTTP_401`` and ``HTTP_500`` answer every HTTP request with that status, in the body the
    firmware uses for it (``Personality.http_error``); a TCP API answers as if there were no
    fault. ``HTTP_401`` is credentials the firmware no longer accepts (a login or unlock is
    refused too); a token that merely expired is ``Personality.expire_sessions``.
    """

    NONE = "none"
    REFUSE = "refuse"
    SILENT = "silent"
    TRICKLE = "trickle"
    RESET = "reset"
    GARBAGE = "garbage"
    TRUNCATED = "truncated"
    OVERSIZED = "oversized"
    WRONG_PASSWORD = "wrong_password"
    REBOOT = "reboot"
    HTTP_401 = "http_401"
    HTTP_500 = "http_500"
