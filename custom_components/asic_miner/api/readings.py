"""Readings the CGMiner-API firmwares report beside the classic ones, as plain functions.

(The session totals of cgminer's ``summary`` are ``mapping.summary_counters``, a temperature
without its placeholders ``mapping.temperature``.)

- ``fan_list``, ``spinning`` and ``spun``: fans from a ``FANS`` section (Braiins OS, LuxOS: ``RPM`` and
  the duty ``Speed`` in %); a slot at 0 rpm that never spun on this miner is an empty
  connector (the S9 lists four slots for its two fans), one that spun before is a dead fan and
  stays. What has spun is ``antminer_stats.FanMemory``, kept by the client between polls.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .antminer_stats import FanMemory
from .decoding import as_int
from .mapping import section
from .models import Fan, MinerIdentity


def _slot(position: int, entry: dict[str, Any]) -> int:
    """A fan's number: its ``ID`` (LuxOS ``FAN`` may be a label such as ``"FAN4"``), else its
    position."""
    for key in ("ID", "FAN"):
        number = entry.get(key)
        if isinstance(number, int) and not isinstance(number, bool):
            return number
    return position


def _slots(reply: dict[str, Any] | None) -> list[tuple[int, dict[str, Any]]]:
    return [
        (_slot(position, entry), entry) for position, entry in enumerate(section(reply, "FANS"))
    ]


def spun(memory: FanMemory, spinning: Iterable[int], identity: MinerIdentity) -> FanMemory:
    """``memory`` with the fan slots ``spinning`` now; afresh for another miner."""
    owner = (identity.mac, identity.serial, identity.model)
    before = memory.spun if owner == memory.owner else frozenset()
    return FanMemory(owner=owner, spun=before | set(spinning))


def spinning(reply: dict[str, Any] | None) -> set[int]:
    """The slots of a ``FANS`` section turning now."""
    return {slot for slot, entry in _slots(reply) if as_int(entry.get("RPM"))}


def fan_list(reply: dict[str, Any] | None, memory: FanMemory | None = None) -> list[Fan]:
    """The fans of a ``FANS`` section by number; with ``memory``, without the empty slots
    (a firmware listing connectors), else every one listed (a firmware listing fans)."""
    fans = [
        Fan(index=slot, rpm=as_int(entry.get("RPM")), percent=as_int(entry.get("Speed")))
        for slot, entry in _slots(reply)
    ]
    if memory is not None:
        fans = [fan for fan in fans if fan.rpm or fan.index in memory.spun]
    return sorted(fans, key=lambda fan: fan.index)


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the known values, None when none is known."""
    known = [value for value in values if value is not None]
    return sum(known) / len(known) if known else None
