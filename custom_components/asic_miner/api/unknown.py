"""A miner that speaks the CGMiner-family API but whose firmware was not recognised.

It gets the generic cgminer mapping (``summary``/``devs``/``pools``), which every fork
keeps, and no controls: guessing a control command on an unknown firmware could do anything.
"""

from __future__ import annotations

from typing import ClassVar

from .cgminer import CGMinerAPI


class UnknownAPI(CGMinerAPI):
    """Read-only generic cgminer mapping."""

    family = "unknown"
    poll_commands: ClassVar[tuple[str, ...]] = ("summary", "devs", "pools")
