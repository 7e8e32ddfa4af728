"""The Antminer ``stats`` reply: hash chains, temperatures, fans and the ideal hashrate.

Bitmain's own firmware (bmminer) writes it, and so do the firmwares that run on Antminer
hardware and keep its driver (LuxOS, VNish, Antminer clones): each family calls these plain
functions on its ``stats`` reply instead of inheriting another family's client.

- The STATS object with the chain data is the one that is not the version object (the
  firmware writes two, joined by ``}{``).
- One board per chain N listed with ``chain_rate<N>`` (``rate_unit``, GH/s by default) and
  ``chain_acn<N>`` chips; board temperature from ``temp_pcb<N>`` (S19: the highest of the
  dash-separated sensors) or ``temp<N>``, chip temperature from ``temp_chip<N>`` (S19) or
  ``temp2_<N>`` (S9); an ``x`` in ``chain_acs<N>`` is a dead chip. A board's index is its
  chain's position from the first chain listed, so an unplugged board (listed with no chips and
  no rate) is missing without renumbering the others.
- ``total_rateideal`` → expected hashrate; ``Elapsed`` → uptime (when ``summary`` lacks it).
- ``fan<N>`` → fan N-1, numbered by slot. With more slots listed than ``fan_num`` (the S9 lists
  eight for two fans), a slot at 0 rpm is an empty one, unless that slot has spun before on
  this miner: then it is a dead fan, kept at 0 rpm. What has spun is ``FanMemory``, which the
  client keeps between polls (reboots included) and starts afresh for another miner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from .decoding import as_float, as_int
from .mapping import build_data, map_pools, max_of, section, summary_of, total_hashrate, unwrap
from .models import Fan, HashBoard, MinerData, MinerIdentity

#: The summary's hashrate windows on Antminer firmware, most useful first.
RATE_WINDOWS: Final = ("5s", "av", "1m")
_MAX_CHAINS: Final = 16
_MAX_FANS: Final = 8
_UNIT_TO_THS: Final = {"TH": 1.0, "GH": 1e-3, "MH": 1e-6}


@dataclass(frozen=True, slots=True)
class FanMemory:
    """The fan slots of one miner that have reported a speed."""

    #: Whose fans these are (MAC, serial, model): a reboot keeps them, another miner does not.
    owner: tuple[str | None, ...] | None = None
    spun: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class AntminerStats:
    """What one ``stats`` reply says, in ``MinerData`` units."""

    boards: list[HashBoard] = field(default_factory=list)
    #: Chips that stopped answering, one line per board.
    errors: list[str] = field(default_factory=list)
    fans: list[Fan] = field(default_factory=list)
    expected_hashrate: float | None = None
    uptime: int | None = None


def miner_stats(reply: dict[str, Any] | None) -> dict[str, Any]:
    """The STATS object with the chain data (the one that is not the version object)."""
    for entry in section(reply, "STATS"):
        if "STATS" in entry or any(key.startswith("chain_") for key in entry):
            return entry
    return {}


def hottest(value: Any) -> float | None:
    """``"60-59-62-61"`` (S19 sensor list) or a plain number → the highest reading."""
    if isinstance(value, str) and "-" in value.strip("-"):
        return max_of(as_float(part) for part in value.split("-"))
    return as_float(value)


def _ths(value: float, stats: dict[str, Any]) -> float:
    unit = str(stats.get("rate_unit", "GH")).upper()
    return value * _UNIT_TO_THS.get(unit, 1e-3)


def _chains(stats: dict[str, Any]) -> tuple[list[HashBoard], list[str]]:
    boards: list[HashBoard] = []
    errors: list[str] = []
    listed = [
        chain
        for chain in range(1, _MAX_CHAINS + 1)
        if f"chain_acn{chain}" in stats or f"chain_rate{chain}" in stats
    ]
    for chain in listed:
        chips = as_int(stats.get(f"chain_acn{chain}"))
        rate = as_float(stats.get(f"chain_rate{chain}"))
        if not chips and rate is None:
            continue
        index = chain - listed[0]
        boards.append(
            HashBoard(
                index=index,
                hashrate=None if rate is None else _ths(rate, stats),
                temperature=hottest(stats.get(f"temp_pcb{chain}", stats.get(f"temp{chain}"))),
                chip_temperature=hottest(
                    stats.get(f"temp_chip{chain}", stats.get(f"temp2_{chain}"))
                ),
                chips=chips,
            )
        )
        dead = str(stats.get(f"chain_acs{chain}", "")).count("x")
        if dead:
            errors.append(f"hash board {index}: {dead} chip(s) not responding")
    return boards, errors


def _fan_slots(stats: dict[str, Any]) -> list[tuple[int, int | None]]:
    return [
        (slot, as_int(stats[f"fan{slot}"]))
        for slot in range(1, _MAX_FANS + 1)
        if f"fan{slot}" in stats
    ]


def remember_fans(
    memory: FanMemory, reply: dict[str, Any] | None, identity: MinerIdentity
) -> FanMemory:
    """``memory`` with the slots spinning in this ``stats`` reply; afresh for another miner."""
    owner = (identity.mac, identity.serial, identity.model)
    spun = memory.spun if owner == memory.owner else frozenset()
    spinning = {slot for slot, rpm in _fan_slots(miner_stats(reply)) if rpm}
    return FanMemory(owner=owner, spun=spun | spinning)


def _fans(stats: dict[str, Any], memory: FanMemory) -> list[Fan]:
    slots = _fan_slots(stats)
    in_use = as_int(stats.get("fan_num"))
    if in_use is not None and len(slots) > in_use:
        slots = [(slot, rpm) for slot, rpm in slots if rpm or slot in memory.spun]
    return [Fan(index=slot - 1, rpm=rpm) for slot, rpm in slots]


def read_stats(reply: dict[str, Any] | None, memory: FanMemory) -> AntminerStats:
    """Boards, dead chips, fans, ideal hashrate and uptime of one ``stats`` reply."""
    stats = miner_stats(reply)
    boards, errors = _chains(stats)
    ideal = as_float(stats.get("total_rateideal"))
    return AntminerStats(
        boards=boards,
        errors=errors,
        fans=_fans(stats, memory),
        expected_hashrate=None if ideal is None else _ths(ideal, stats),
        uptime=as_int(stats.get("Elapsed")),
    )


def map_antminer(
    replies: dict[str, Any], identity: MinerIdentity, memory: FanMemory, **fields: Any
) -> MinerData:
    """``MinerData`` from an Antminer poll's ``summary``, ``stats`` and ``pools``; ``fields``
    add what the firmware reports elsewhere (power, work mode, …) as ``build_data`` takes them."""
    summary = summary_of(replies)
    stats = read_stats(unwrap(replies, "stats"), memory)
    return build_data(
        identity,
        hashrate=total_hashrate(summary, stats.boards, RATE_WINDOWS),
        expected_hashrate=stats.expected_hashrate,
        boards=stats.boards,
        fans=stats.fans,
        pools=map_pools(unwrap(replies, "pools")),
        uptime=as_int(summary["Elapsed"]) if "Elapsed" in summary else stats.uptime,
        errors=stats.errors,
        **fields,
    )
