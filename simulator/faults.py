"""Fault modes the simulator can inject, one per way real miners misbehave on the network."""

from __future__ import annotations

from enum import StrEnum


class Fault(StrEnum):
    """What the simulated miner does instead of answering normally.

    Parameters (passed to ``MinerSimulator.set_fault``):
    ``TRICKLE``: ``interval`` seconds between bytes (default 0.05).
    ``RESET``: ``fraction`` of the reply sent before the RST (default 0.5).
    ``GARBAGE``: ``size`` bytes of noise (default 512).
    ``TRUNCATED``: ``fraction`` of the reply sent before the close (default 0.5).
    ``OVERSIZED``: ``limit`` bytes at most before giving up (default 64 MiB).
    ``REBOOT``: ``seconds`` offline (default 5.0).
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
