"""VNish on Antminer hardware, over its CGMiner API (port 4028).

VNish keeps Bitmain's driver: its ``stats`` is the stock Antminer layout (read by
``antminer_stats``, chains 6-8 on the S9, ``fan<N>`` by slot), with a few extras of its own
(``chain_vol<N>``, ``chain_consumption<N>``, ``build_version``). Its ``version`` answers with
a ``CGMiner`` key (the cgminer it is built on, 4.11.1) and ``Type "Antminer S9 (vnish 3.8.6)"``:
the model is what comes before the note, the firmware the version in it. VNish 1.3 answers
``version`` with nothing: the ``stats`` header says the same.

This is the TCP side only (read-only, the generic plan: ``stats`` alone each poll, ``summary``
and ``pools`` rarely). VNish's controls and richer readings are on its web API (port 80,
``/api/v1``), which ``VNishAPI`` gains next; until then the miner is monitored, not controlled.

Not read, no public fact says what it is: ``chain_consumption<N>`` (495 per chain on a VNish S9,
not documented as measured watts). The dev-fee pool VNish lists (``URL "DevFee"``) stays in the
pools as the firmware lists it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar, Final

from .antminer_stats import StatsHeader, split_type
from .cgminer import ANTMINER, CGMinerAPI
from .models import MinerIdentity

#: The firmware's name in a ``Type`` note (``vnish 3.8.6``).
_NAME: Final = "vnish"


class VNishAPI(CGMinerAPI):
    """VNish (Antminer), read over its CGMiner API."""

    family = "vnish"
    make: ClassVar[str | None] = "Antminer"
    known_layout = ANTMINER

    def _complete_identity(
        self, identity: MinerIdentity, version: dict[str, Any], header: StatsHeader
    ) -> MinerIdentity:
        """The firmware is VNish's own version (the ``Type`` note), never the cgminer one."""
        identity = super()._complete_identity(identity, version, header)
        note = split_type(version.get("Type"))[2] or header.note or ""
        firmware = note[len(_NAME) :].strip() if note.lower().startswith(_NAME) else None
        return replace(identity, firmware=firmware or identity.firmware)
