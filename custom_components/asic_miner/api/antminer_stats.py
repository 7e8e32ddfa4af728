"""The Antminer ``stats`` reply: hash chains, temperatures, fans, the hashrate and the ideal one.

Bitmain's own firmware (bmminer) writes it, and so do the firmwares that run on Antminer
hardware and keep its driver (LuxOS, VNish, Hiveon) and the Antminer clones (Hammer,
VolcMiner, Blackminer): each family calls these plain functions on its ``stats`` reply
instead of inheriting another family's client. One ``stats`` reply holds nearly a whole poll:
``GHS 5s``, ``GHS av``, ``Elapsed``, chains, fans, the ideal hashrate, and in its first object
the ``Type`` and ``CompileTime`` that ``version`` has.

- ``stats_header``: the first object (``BMMiner``/``CGMiner``/``Cgminer`` …, ``Miner``,
  ``CompileTime``, ``Type``); ``miner_stats``: the object with the chain data (the firmware
  writes the two without a comma between them, ``}{``, on the S9 and VNish).
- Hashrate: the freshest window of that object (``GHS 5s``; Hammer ``MHS 5s``), ``GHS av`` the
  average; ``Elapsed`` the uptime. ``total_rate`` (spelt ``total rate`` on the S19) is not read:
  it is the average on the S19, the 5 s rate on the S9.
- One board per chain N that has chips (``chain_acn<N>``) or a rate (``chain_rate<N>``): the
  firmware lists empty slots too (the S9 sixteen chains for its three boards 6-8, the S19 a
  fourth with ``"0-0-0-0"`` sensors, a sleeping T17+ every chain empty). Rates are in
  ``rate_unit`` (else in the unit of the object's own hashrate: GH/s on Antminers, MH/s on
  Hammer). Board temperature from ``temp_pcb<N>`` (the hottest of its dash-separated sensors)
  or ``temp<N>``, chip temperature from ``temp_chip<N>`` or ``temp2_<N>``, placeholders (0,
  ``"0-0-0-0"``) dropped; ``temp_max`` (0 on a hashing S19) is not read. Dead chips: the ``x``
  in ``chain_acs<N>``.
- Board index: the chain's slot, so that an unplugged board leaves a gap instead of
  renumbering the others: chains count from 1, except on the S9 generation whose boards sit
  on chains 6-8 (as pyasic and Braiins OS number them): there chain 6 is board 0.
- ``total_rateideal`` → expected hashrate (0 is a placeholder: a sleeping T17+).
- ``fan<N>`` → fan N-1, numbered by slot. With more slots listed than ``fan_num`` (the S9 lists
  eight for two fans), a slot at 0 rpm is an empty one, unless that slot has spun before on
  this miner: then it is a dead fan, kept at 0 rpm. Slots that all read 0 and never spun are
  no fans either (a hydro model lists four at 0 with ``fan_num`` 4). What has spun is
  ``FanMemory``, which the client keeps between polls (reboots included) and starts afresh for
  another miner.
- ``Mode`` 254 is sleep (foreman's reading of a sleeping T17+); other values are not known
  publicly and are not read.
- Hydro models (``Type`` with ``Hyd``): ``temp_pcb<N>`` sensor 0 is the water inlet and sensor
  2 the outlet (asic-rs, pyasic), averaged over the chains.
- ``miner_id``: the firmware's own id of the unit (no public fact says it is unique).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
import re
from typing import Any, Final

from .decoding import as_float, as_int
from .mapping import (
    Readings,
    average_ths,
    build_data,
    map_pools,
    max_of,
    rate_ths,
    section,
    sum_of,
    summary_counters,
    summary_of,
    temperature,
    text,
    unwrap,
)
from .models import Fan, HashBoard, MinerData, MinerIdentity

_MAX_CHAINS: Final = 16
_MAX_FANS: Final = 16
#: The keys of chain N (1-16), built once: (chain, chips, rate, chip map, pcb, temp, chip
#: sensors, temp2, ideal rate).
_CHAIN_KEYS: Final = tuple(
    (
        n,
        f"chain_acn{n}",
        f"chain_rate{n}",
        f"chain_acs{n}",
        f"temp_pcb{n}",
        f"temp{n}",
        f"temp_chip{n}",
        f"temp2_{n}",
        f"chain_rateideal{n}",
    )
    for n in range(1, _MAX_CHAINS + 1)
)
_FAN_KEYS: Final = tuple((slot, f"fan{slot}") for slot in range(1, _MAX_FANS + 1))
_UNIT_TO_THS: Final = {"TH": 1.0, "GH": 1e-3, "MH": 1e-6, "KH": 1e-9}
#: Chains of the S9 generation's boards (S9, T9, their forks): chain 6 is board 0.
_S9_CHAINS: Final = range(6, 9)
#: ``Mode`` of a sleeping stock Antminer (foreman ``StockPowerModeStrategy``).
SLEEP_MODE: Final = 254
#: Keys naming the mining software in the first STATS object (and in ``version``).
SOFTWARE_KEYS: Final = ("BMMiner", "CGMiner", "Cgminer", "CGminer", "BFGMiner", "LUXminer")
#: ``(vnish 3.8.6)``-style notes after the model in ``Type``: a firmware, not part of the
#: model (``(88)``, without a letter, is part of it: the S19 88-chip variant).
_TYPE_NOTE: Final = re.compile(r"\s*\(([^()]*[A-Za-z][^()]*)\)\s*$")


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
    #: Chips that stopped answering, one line per board; None without a ``stats`` reply.
    errors: list[str] | None = None
    fans: list[Fan] = field(default_factory=list)
    hashrate: float | None = None
    average_hashrate: float | None = None
    expected_hashrate: float | None = None
    uptime: int | None = None
    #: True while the firmware says it sleeps (``Mode`` 254); None when it does not say.
    sleeping: bool | None = None
    inlet_temperature: float | None = None
    outlet_temperature: float | None = None


@dataclass(frozen=True, slots=True)
class StatsHeader:
    """Who the miner says it is in its ``stats`` (or ``version``) reply."""

    make: str | None = None
    model: str | None = None
    #: The firmware named in a ``Type`` note (``vnish 3.8.6``), else None.
    note: str | None = None
    #: ``CompileTime``: the firmware build (bmminer's own version is 1.0.0 on every unit).
    build: str | None = None
    #: The mining software's key and version (``("BMMiner", "1.0.0")``).
    software: tuple[str, str] | None = None
    miner_id: str | None = None


def miner_stats(reply: dict[str, Any] | None) -> dict[str, Any]:
    """The STATS object with the chain data (the one that is not the version object)."""
    for entry in section(reply, "STATS"):
        if "STATS" in entry or "Elapsed" in entry or any(key.startswith("chain_") for key in entry):
            return entry
    return {}


def has_chains(stats: dict[str, Any]) -> bool:
    """Whether a STATS object is in the Antminer layout (``chain_acn<N>``/``chain_rate<N>``)."""
    return any(keys[1] in stats or keys[2] in stats for keys in _CHAIN_KEYS)


def split_type(value: Any) -> tuple[str | None, str | None, str | None]:
    """``Type`` → (make, model, note): ``"Antminer S9 (vnish 3.8.6)"`` → ``("Antminer", "S9",
    "vnish 3.8.6")``; ``"Antminer S9\\nV1.3.58"`` → ``("Antminer", "S9", None)`` (only the
    first line names the model); ``"Hammer D10"`` → ``(None, "Hammer D10", None)``."""
    raw = text(value)
    if raw is None:
        return None, None, None
    name = raw.strip().splitlines()[0].strip() if raw.strip() else ""
    note = None
    if match := _TYPE_NOTE.search(name):
        note = match.group(1).strip()
        name = name[: match.start()].strip()
    head, _, rest = name.partition(" ")
    if head.lower() == "antminer" and rest:
        return "Antminer", rest.strip(), note
    return None, name or None, note


def stats_header(reply: dict[str, Any] | None) -> StatsHeader:
    """Make, model, build and software from the first STATS object (or a VERSION object),
    ``miner_id`` from the chain data object."""
    entries = section(reply, "STATS") or section(reply, "VERSION")
    header = next((entry for entry in entries if "Type" in entry or "CompileTime" in entry), {})
    make, model, note = split_type(header.get("Type"))
    software = next(
        ((key, str(header[key])) for key in SOFTWARE_KEYS if text(header.get(key))), None
    )
    return StatsHeader(
        make=make,
        model=model,
        note=note,
        build=text(header.get("CompileTime")),
        software=software,
        miner_id=text(miner_stats(reply).get("miner_id")),
    )


def hottest(value: Any) -> float | None:
    """The hottest real reading of ``"60-59-62-61"`` (S19 sensor list), a list of values (a key
    written once per sensor, Hammer) or a plain number; placeholders (0) are no reading."""
    if isinstance(value, list):
        return max_of(hottest(part) for part in value)
    if isinstance(value, str) and "-" in value.strip().lstrip("-"):
        return max_of(temperature(part) for part in value.split("-"))
    return temperature(value)


def _sensors(value: Any) -> list[float | None]:
    if isinstance(value, str):
        return [temperature(part) for part in value.split("-")]
    return []


def chain_offset(chains: Iterable[int]) -> int:
    """The chain number of board 0: 6 on the S9 generation (boards on chains 6-8), else 1."""
    populated = list(chains)
    return _S9_CHAINS.start if populated and all(c in _S9_CHAINS for c in populated) else 1


def _unit(stats: dict[str, Any]) -> float:
    """TH/s per unit of the chain rates: ``rate_unit``, else the object's own hashrate unit."""
    unit = text(stats.get("rate_unit"))
    if unit is None:
        unit = next(
            (prefix[:2] for prefix in ("THS", "MHS", "KHS") if f"{prefix} 5s" in stats), "GH"
        )
    return _UNIT_TO_THS.get(unit.upper()[:2], 1e-3)


def _populated(stats: dict[str, Any]) -> list[tuple[tuple[Any, ...], int | None, float | None]]:
    """The chains with chips or a rate (an empty connector, 0 chips and rate ``"0"``, is no
    board): their keys, chip count and rate."""
    found: list[tuple[tuple[Any, ...], int | None, float | None]] = []
    for keys in _CHAIN_KEYS:
        if keys[1] not in stats and keys[2] not in stats:
            continue
        chips = as_int(stats.get(keys[1]))
        rate = as_float(stats.get(keys[2]))
        if chips or rate:
            found.append((keys, chips, rate))
    return found


def board_chain_offset(stats: dict[str, Any]) -> int:
    """The chain number of board 0 in this ``stats`` object (``chain_offset`` of its populated
    chains): board ``i`` is chain ``i + board_chain_offset(stats)``."""
    return chain_offset(keys[0] for keys, _, _ in _populated(stats))


def _chains(stats: dict[str, Any]) -> tuple[list[HashBoard], list[str]]:
    unit = _unit(stats)
    found = _populated(stats)
    offset = chain_offset(keys[0] for keys, _, _ in found)
    boards: list[HashBoard] = []
    errors: list[str] = []
    for (chain, _, _, acs, pcb_key, temp_key, chip_key, temp2_key, _), chips, rate in found:
        index = chain - offset
        map_text = stats.get(acs)
        dead = map_text.count("x") if isinstance(map_text, str) and map_text.strip() else None
        pcb = stats.get(pcb_key)
        chip = stats.get(chip_key)
        boards.append(
            HashBoard(
                index=index,
                hashrate=None if rate is None else rate * unit,
                temperature=hottest(stats.get(temp_key) if pcb is None else pcb),
                chip_temperature=hottest(stats.get(temp2_key) if chip is None else chip),
                chips=chips,
                dead_chips=dead,
            )
        )
        if dead:
            errors.append(f"hash board {index}: {dead} chip(s) not responding")
    return boards, errors


def _water(stats: dict[str, Any], sensor: int) -> float | None:
    """The mean over the chains of one ``temp_pcb<N>`` sensor (hydro: 0 inlet, 2 outlet)."""
    readings = [
        reading
        for keys in _CHAIN_KEYS
        if len(sensors := _sensors(stats.get(keys[4]))) > sensor
        and (reading := sensors[sensor]) is not None
    ]
    return sum(readings) / len(readings) if readings else None


def _fan_slots(stats: dict[str, Any]) -> list[tuple[int, int | None]]:
    return [(slot, as_int(stats[key])) for slot, key in _FAN_KEYS if key in stats]


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
    if (in_use is not None and len(slots) > in_use) or not any(rpm for _, rpm in slots):
        slots = [(slot, rpm) for slot, rpm in slots if rpm or slot in memory.spun]
    return [Fan(index=slot - 1, rpm=rpm) for slot, rpm in slots]


def read_stats(reply: dict[str, Any] | None, memory: FanMemory) -> AntminerStats:
    """Everything one ``stats`` reply says about the miner's work (see the module's notes)."""
    stats = miner_stats(reply)
    boards, errors = _chains(stats)
    unit = _unit(stats)
    ideal = as_float(stats.get("total_rateideal"))
    if not ideal:
        ideal = sum(as_float(stats.get(keys[8])) or 0.0 for keys in _CHAIN_KEYS)
    uptime = as_int(stats.get("Elapsed"))
    mode = as_int(stats.get("Mode"))
    hydro = "hyd" in (stats_header(reply).model or "").lower()
    return AntminerStats(
        boards=boards,
        errors=errors if stats else None,
        fans=_fans(stats, memory),
        hashrate=rate_ths(stats, uptime=uptime),
        average_hashrate=average_ths(stats),
        expected_hashrate=ideal * unit if ideal and ideal > 0 else None,
        uptime=uptime,
        sleeping=True if mode == SLEEP_MODE else None,
        inlet_temperature=_water(stats, 0) if hydro else None,
        outlet_temperature=_water(stats, 2) if hydro else None,
    )


def map_antminer(
    replies: dict[str, Any],
    identity: MinerIdentity,
    memory: FanMemory,
    *,
    polled: dict[str, Any] | None = None,
    **fields: Any,
) -> MinerData:
    """``MinerData`` from an Antminer poll's ``stats`` (the hashrate, uptime, boards, fans),
    ``summary`` (where the poll has it: shares, best share, blocks; its hashrate and uptime
    when ``stats`` lacks them) and ``pools``; ``fields`` add or replace what the firmware
    reports elsewhere (power, work mode, …) as ``build_data`` takes them.

    ``polled``: the replies this poll read, where ``replies`` also holds rare ones kept from
    an earlier poll (``Refresh.merged``): a summary stands in for the hashrate and uptime
    only when read in this poll, never one minutes old (its counters may be)."""
    summary = summary_of(replies)
    live = summary if polled is None else summary_of(polled)
    stats = read_stats(unwrap(replies, "stats"), memory)
    uptime = stats.uptime if stats.uptime is not None else as_int(live.get("Elapsed"))
    hashrate = stats.hashrate
    if hashrate is None:
        hashrate = rate_ths(live, uptime=uptime)
    if hashrate is None:
        hashrate = sum_of(board.hashrate for board in stats.boards)
    average = stats.average_hashrate
    pools = map_pools(unwrap(replies, "pools"))
    readings: Readings = {
        **summary_counters(summary, pools),
        "inlet_temperature": stats.inlet_temperature,
        "outlet_temperature": stats.outlet_temperature,
    }
    if average is not None:
        readings["average_hashrate"] = average  # the chains' own GHS av, else the summary's
    values: dict[str, Any] = {
        "hashrate": hashrate,
        "expected_hashrate": stats.expected_hashrate,
        "boards": stats.boards,
        "fans": stats.fans,
        "pools": pools,
        "uptime": uptime,
        "errors": stats.errors,
        "is_mining": False if stats.sleeping else None,
        **readings,
        **fields,
    }
    return build_data(identity, **values)
