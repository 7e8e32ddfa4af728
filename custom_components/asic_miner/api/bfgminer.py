"""BFGMiner-based firmware (Goldshell).

A steady poll is one joined request, ``summary+devs`` (BFGMiner answers ``a+b``); ``devdetails``
(chips) and ``pools`` join it on the first poll, after a restart, every few minutes
(``refresh.Refresh``). ``stats`` is never asked: it holds no reading on Goldshell, and real
units answer it with invalid JSON. Mapping:

- ``summary``: BFGMiner's freshest window ``MHS 20s`` (the log interval; then ``5s``,
  ``rolling``, ``1m``, never ``av``) → hashrate, ``MHS av`` → average hashrate, ``Elapsed`` →
  uptime; shares, ``Best Share``, ``Found Blocks``;
- ``devs``: one board per row, by ``ID``: its rate, the PCB temperature ``tstemp-2`` as the
  board temperature and the hotter of the two chip channels ``tstemp-0``/``tstemp-1`` as the
  chip temperature (as asic-rs reads live Goldshell units; pyasic maps the channels per model
  and the public sources disagree, so this one reading is used for all); without them, the
  classic ``Temperature``. The machine's fans ``fan0``, ``fan1``… repeat on every row: the
  slowest reading of each (as asic-rs keeps it), a slot at 0 rpm that never spun left out;
- ``devdetails``: ``chips-nr`` per board (under ``DEVS`` or ``DEVDETAILS``), ``Model``.

Identity: ``version`` (``BFGMiner`` or ``CGMiner`` → firmware: the miner software's version;
Goldshell's own firmware version is on its web interface only) and ``devdetails`` ``Model``.
No power reading and no controls over the API.
"""

from __future__ import annotations

from dataclasses import replace
import re
from typing import Any, ClassVar, Final

from .antminer_stats import FanMemory
from .base import Command
from .cgminer import CGMinerAPI
from .decoding import as_int
from .errors import APIRefusalError
from .mapping import (
    build_data,
    first,
    map_pools,
    max_of,
    rate_ths,
    section,
    summary_counters,
    summary_of,
    temperature,
    text,
    total_hashrate,
    unwrap,
)
from .models import Fan, HashBoard, MinerData, MinerIdentity
from .readings import spun
from .refresh import RarelyRead, Refresh

#: BFGMiner's windows, freshest first (``MHS <log interval>s`` is 20 s on Goldshell).
RATE_WINDOWS: Final = ("20s", "5s", "rolling", "1m")
_FAN: Final = re.compile(r"fan([0-9]{1,3})")


def _details(reply: dict[str, Any] | None) -> list[dict[str, Any]]:
    """``devdetails`` entries, under ``DEVDETAILS`` (BFGMiner) or ``DEVS`` (Goldshell)."""
    return section(reply, "DEVDETAILS") or section(reply, "DEVS")


def _index(position: int, entry: dict[str, Any]) -> int:
    for key in ("ID", "PGA", "ASC"):
        number = as_int(entry.get(key))
        if number is not None:
            return number
    return position


def goldshell_boards(devs: list[dict[str, Any]], details: list[dict[str, Any]]) -> list[HashBoard]:
    """One board per ``devs`` row, with its chips from ``devdetails``, sorted by index."""
    chips = {_index(position, entry): entry for position, entry in enumerate(details)}
    boards = []
    for position, entry in enumerate(devs):
        index = _index(position, entry)
        sensors = "tstemp-2" in entry
        boards.append(
            HashBoard(
                index=index,
                hashrate=rate_ths(entry, RATE_WINDOWS),
                temperature=temperature(
                    entry.get("tstemp-2" if sensors else "Temperature"), positive=True
                ),
                chip_temperature=max_of(
                    temperature(entry.get(key), positive=True) for key in ("tstemp-0", "tstemp-1")
                ),
                chips=as_int(chips.get(index, {}).get("chips-nr")),
            )
        )
    return sorted(boards, key=lambda board: board.index)


def _fan_slots(devs: list[dict[str, Any]]) -> dict[int, int]:
    """Fan slot → the slowest reading over the rows (the fans repeat on every row)."""
    slots: dict[int, int] = {}
    for entry in devs:
        for key, value in entry.items():
            match = _FAN.fullmatch(key)
            rpm = as_int(value)
            if match and rpm is not None:
                slot = int(match.group(1))
                slots[slot] = min(rpm, slots.get(slot, rpm))
    return slots


class BFGMinerAPI(RarelyRead, CGMinerAPI):
    """BFGMiner / Goldshell."""

    family = "bfgminer"
    make: ClassVar[str | None] = "Goldshell"
    #: What changes every poll; ``rare_commands`` join it now and then.
    poll_commands = ("summary", "devs")
    rare_commands = ("devdetails", "pools")

    procs = Command("BFGMiner's per-processor list.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """As ``CGMinerAPI``; nothing read yet."""
        super().__init__(*args, **kwargs)
        self.refresh = Refresh()
        #: The fan slots of this miner that have spun.
        self.fan_memory = FanMemory()

    async def _fetch_identity(self) -> MinerIdentity:
        try:
            replies = await self.multicommand("version", "devdetails")
        except APIRefusalError:
            # Both refused: read again after the next refresh; the readings still come.
            return MinerIdentity(make=self.make)
        version = first(unwrap(replies, "version"), "VERSION")
        firmware = text(version.get("BFGMiner")) or text(version.get("CGMiner"))
        details = _details(unwrap(replies, "devdetails"))
        model = text(details[0].get("Model")) if details else None
        return MinerIdentity(
            make=self.make,
            model=model.removeprefix(f"{self.make} ") if model else None,
            firmware=firmware,
        )

    def _remember(self, replies: dict[str, Any], identity: MinerIdentity) -> None:
        """The rare replies when read, and the fan slots that spin."""
        self.remember_refresh(replies)
        slots = _fan_slots(section(unwrap(replies, "devs"), "DEVS"))
        self.fan_memory = spun(self.fan_memory, (s for s, rpm in slots.items() if rpm), identity)

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        replies = self.refresh.merged(replies)
        summary = summary_of(replies)
        devs = section(unwrap(replies, "devs"), "DEVS")
        boards = goldshell_boards(devs, _details(unwrap(replies, "devdetails")))
        fans = [
            Fan(index=slot, rpm=rpm)
            for slot, rpm in sorted(_fan_slots(devs).items())
            if rpm or slot in self.fan_memory.spun
        ]
        data = build_data(
            identity,
            hashrate=total_hashrate(summary, boards, RATE_WINDOWS),
            boards=boards,
            fans=fans,
            pools=map_pools(unwrap(replies, "pools")),
            uptime=as_int(summary.get("Elapsed")),
        )
        return replace(data, **summary_counters(summary))
