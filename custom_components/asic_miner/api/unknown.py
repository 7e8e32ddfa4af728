"""A miner that speaks the CGMiner-family API but whose firmware was not recognised.

It gets the generic reading (``CGMinerAPI``): ``summary``/``devs``/``pools``, which every fork
keeps, or the Antminer ``stats`` layout where the fork writes it (VNish when its ``version``
answers nothing, Antminer clones), and no controls: guessing a control command on an unknown
firmware could do anything.
"""

from __future__ import annotations

from .cgminer import CGMinerAPI


class UnknownAPI(CGMinerAPI):
    """Read-only generic cgminer reading."""

    family = "unknown"
