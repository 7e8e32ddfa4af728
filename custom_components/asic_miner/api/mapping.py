"""The mapping toolkit: plain functions that turn decoded replies into ``MinerData`` parts.

Every family's mapping is built from these, so a unit, a fallback or a derived value is decided
once: reading sections out of cgminer-style replies (``section``, ``first``, ``unwrap``),
hashrates in TH/s from whichever ``<UNIT> <window>`` key a firmware used (``rate_ths``, the
freshest window first; ``average_ths`` for the lifetime average), the total hashrate with the
boards' sum as fallback (``total_hashrate``), temperatures with the firmwares' placeholders
dropped (``temperature``), pools (``map_pools``), the summary's counters
(``summary_counters``) and fans (``summary_fans``), make and model out of one ``Type`` string
(``split_make``), and ``build_data``, which derives what every family derives the same way
(hottest temperatures, efficiency, is_mining) and copies the identity in. Nothing here keeps
state or does I/O.

Current, not average: a miner's hashrate is its freshest window (``5s`` before ``1m`` …). A
lifetime average (``av``) is never the hashrate: a real overheated S19 reports ``GHS av`` 93
TH/s with ``GHS 5s`` 0, an idle Avalon Q ``MHS av`` 44 TH/s while it hashes nothing. It is
``average_hashrate``, beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cache
import math
from typing import Any, Final, TypedDict, Unpack

from .decoding import as_float, as_int
from .models import Fan, HashBoard, MinerData, MinerIdentity, Pool

#: Hashrate key prefixes and their factor to TH/s.
_UNITS: Final = (("THS", 1.0), ("GHS", 1e-3), ("MHS", 1e-6), ("KHS", 1e-9))
#: Hashrate windows, freshest first: ``rate_ths`` takes the first one a reply has. ``rolling``
#: is BFGMiner's decaying average (its length is not documented).
RATE_WINDOWS: Final = ("5s", "20s", "rolling", "1m", "5m", "15m", "30m", "24h")
#: What each window averages over, in seconds: right after a restart (uptime shorter than a
#: window) that window is not full yet.
WINDOW_SECONDS: Final[dict[str, float]] = {
    "5s": 5,
    "20s": 20,
    "1m": 60,
    "5m": 300,
    "15m": 900,
    "30m": 1800,
    "24h": 86400,
}
#: The lifetime (since the mining software started) average: ``average_hashrate``.
AVERAGE_WINDOW: Final = "av"
#: Temperatures firmwares write for "no sensor" (Antminer 0, Whatsminer -83, Goldshell -273)
#: and the bounds outside which a reading is no reading.
_PLACEHOLDER_TEMPERATURES: Final = frozenset({0.0, -83.0, -273.0})
_COLDEST: Final = -60.0
_HOTTEST: Final = 250.0
#: Brands that firmwares running on others' hardware put in front of the model.
MAKES: Final = ("Antminer", "Whatsminer", "Avalon")


def section(reply: dict[str, Any] | None, name: str) -> list[dict[str, Any]]:
    """The dict entries of a reply section (``SUMMARY``, ``DEVS`` …), tolerating absence."""
    if not isinstance(reply, dict):
        return []
    items = reply.get(name)
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, dict)]


def first(reply: dict[str, Any] | None, name: str) -> dict[str, Any]:
    """The first entry of a section, or an empty dict."""
    items = section(reply, name)
    return items[0] if items else {}


def unwrap(replies: dict[str, Any], command: str) -> dict[str, Any] | None:
    """One command's reply out of a ``multicommand`` result (``{cmd: [reply]}``)."""
    value = replies.get(command)
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value[0]
    return value if isinstance(value, dict) else None


def summary_of(replies: dict[str, Any]) -> dict[str, Any]:
    """The ``SUMMARY`` entry of a poll's ``summary`` reply (empty when absent)."""
    return first(unwrap(replies, "summary"), "SUMMARY")


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is an object, else an empty one (for nested JSON of any shape)."""
    return value if isinstance(value, dict) else {}


def dicts(value: Any) -> list[dict[str, Any]]:
    """The objects of a JSON list (REST replies), tolerating anything else."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def text(value: Any) -> str | None:
    """A reported string, None for missing or empty values."""
    return str(value) if value not in (None, "") else None


def lower_mac(value: Any) -> str | None:
    """A reported MAC in lower case (formatting and validation are the caller's)."""
    mac = text(value)
    return mac.lower() if mac else None


def split_make(model: str | None) -> tuple[str | None, str | None]:
    """``"Antminer S19j Pro"`` → ``("Antminer", "S19j Pro")``; a model without a known make
    in front is returned as is, with no make."""
    if model:
        head, _, rest = model.partition(" ")
        if head in MAKES and rest:
            return head, rest
    return None, model or None


@cache
def _rate_keys(windows: tuple[str, ...]) -> tuple[tuple[str, float, float], ...]:
    """(key, factor to TH/s, window seconds) for every unit of every window, in order."""
    return tuple(
        (f"{unit} {window}", factor, WINDOW_SECONDS.get(window, 0.0))
        for window in windows
        for unit, factor in _UNITS
    )


def rate_ths(
    entry: dict[str, Any], windows: Iterable[str] = RATE_WINDOWS, *, uptime: float | None = None
) -> float | None:
    """A hashrate in TH/s from the first ``<UNIT> <window>`` key of ``windows`` the firmware
    used (``MHS 5s``, ``GHS 1m`` …).

    With ``uptime`` (seconds the mining software has run), a window longer than the uptime is
    not full yet: the shortest window the entry has is taken instead, whatever the order.
    """
    found: list[tuple[float, float]] = []
    for key, factor, seconds in _rate_keys(tuple(windows)):
        value = as_float(entry.get(key))
        if value is None:
            continue
        if uptime is None or seconds <= max(uptime, 0):
            return value * factor
        found.append((seconds, value * factor))
    return min(found)[1] if found else None


def average_ths(entry: dict[str, Any]) -> float | None:
    """The lifetime average hashrate in TH/s (``MHS av``, ``GHS av`` …): ``average_hashrate``,
    never ``hashrate``."""
    return rate_ths(entry, (AVERAGE_WINDOW,))


def temperature(value: Any, *, positive: bool = False) -> float | None:
    """A temperature in °C, None for the placeholders firmwares write without a sensor (0,
    -83, -273) and for values no sensor reads; with ``positive``, None for anything at or
    below 0 too (board and chip sensors of firmwares that write 0 or below where there is no
    reading: Braiins OS ``Chip 0.0``, Goldshell's chip channels), where a cold inlet's -5 is
    otherwise a reading."""
    reading = as_float(value)
    if reading is None or reading in _PLACEHOLDER_TEMPERATURES or (positive and reading <= 0):
        return None
    return reading if _COLDEST < reading < _HOTTEST else None


def max_of(values: Iterable[float | None]) -> float | None:
    """The largest known value, None when none is known."""
    known = [value for value in values if value is not None]
    return max(known) if known else None


def min_of(values: Iterable[float | None]) -> float | None:
    """The smallest known value, None when none is known."""
    return min((value for value in values if value is not None), default=None)


def sum_of(values: Iterable[float | None]) -> float | None:
    """The sum of known values, None when none is known."""
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def total_hashrate(
    summary: dict[str, Any],
    boards: list[HashBoard],
    windows: Iterable[str] = RATE_WINDOWS,
    *,
    uptime: float | None = None,
) -> float | None:
    """The summary's hashrate, else the sum of the boards' (firmwares that omit the total)."""
    hashrate = rate_ths(summary, windows, uptime=uptime)
    if hashrate is None:
        hashrate = sum_of(board.hashrate for board in boards)
    return hashrate


def dev_boards(
    devs: dict[str, Any] | None,
    index_keys: Sequence[str] = ("ASC", "PGA", "ID"),
    windows: Iterable[str] = RATE_WINDOWS,
    extra: Callable[[int, dict[str, Any]], dict[str, Any]] | None = None,
) -> list[HashBoard]:
    """One board per ``devs`` entry, in the order of their indexes (firmwares list them out of
    order): its index (the first of ``index_keys`` it has, else its position), its rate and
    ``Temperature`` (placeholders dropped); ``extra(position, entry)`` adds the fields a
    firmware reports besides (chip temperature, chips).

    Stock Antminer firmware (2022+) lists one ``BTM_SOC`` entry that is no board (its rates
    are 0 while the miner hashes; its temperature key is misspelt ``Tenperature``): skipped.
    """
    boards = []
    for position, entry in enumerate(section(devs, "DEVS")):
        if str(entry.get("Name", "")).upper() == _ANTMINER_SOC:
            continue
        key = next((key for key in index_keys if key in entry), None)
        index = None if key is None else as_int(entry[key])
        boards.append(
            HashBoard(
                index=position if index is None else index,
                hashrate=rate_ths(entry, windows),
                temperature=temperature(entry.get("Temperature")),
                **(extra(position, entry) if extra is not None else {}),
            )
        )
    boards.sort(key=lambda board: board.index)
    return boards


#: The stock Antminer's one ``devs`` entry that stands for its controller, not a board.
_ANTMINER_SOC: Final = "BTM_SOC"


def _priority(entry: dict[str, Any]) -> float:
    priority = as_float(entry.get("Priority"))
    return math.inf if priority is None else priority


def flag(value: Any) -> bool | None:
    """A reported yes/no (``true``, ``"true"``, ``"Y"``, ``1``…); None when it is neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _YES:
            return True
        if word in _NO:
            return False
    return None


_YES: Final = frozenset({"true", "y", "yes", "on", "1"})
_NO: Final = frozenset({"false", "n", "no", "off", "0"})


def map_pools(reply: dict[str, Any] | None) -> list[Pool]:
    """cgminer ``pools`` entries as ``Pool``, in the order listed (``POOL`` numbers start at 0
    or 1 depending on the firmware and are not used); one pool is marked active.

    The active pool is the one with ``Stratum Active`` (where the firmware writes it), else
    the alive pool with the best priority. When several claim to be active (no public reply
    shows it, the client must not show two), the one with the best priority is, then the first
    listed. ``Status`` other than ``Alive`` (``Dead``, ``Disabled``…) is a pool not alive.
    """
    entries = [entry for entry in section(reply, "POOLS") if entry.get("URL")]
    pools: list[Pool] = []
    if any("Stratum Active" in entry for entry in entries):
        claimed = [entry for entry in entries if flag(entry.get("Stratum Active"))]
    else:
        claimed = [e for e in entries if str(e.get("Status", "")).lower() == "alive"]
    active = min(claimed, key=_priority) if claimed else None
    for entry in entries:
        url = entry.get("URL")
        if not isinstance(url, str) or not url:
            continue
        status = entry.get("Status")
        user = entry.get("User")
        pools.append(
            Pool(
                url=url,
                user=user if isinstance(user, str) and user else None,
                alive=None if status is None else str(status).lower() == "alive",
                active=entry is active,
                accepted=as_int(entry.get("Accepted")),
                rejected=as_int(entry.get("Rejected")),
            )
        )
    return pools


def summary_counters(summary: dict[str, Any], pools: Sequence[Pool] = ()) -> Readings:
    """What every cgminer ``summary`` says about the session since the mining software
    started (cgminer's API-README): the lifetime average hashrate (``<UNIT> av``, never the
    current one), shares accepted and rejected (without a summary, the pools' sums: the same
    count), the best share's difficulty and the blocks found."""
    accepted = as_int(summary.get("Accepted"))
    rejected = as_int(summary.get("Rejected"))
    if accepted is None and rejected is None and pools:
        accepted = _total(pool.accepted for pool in pools)
        rejected = _total(pool.rejected for pool in pools)
    return Readings(
        average_hashrate=average_ths(summary),
        shares_accepted=accepted,
        shares_rejected=rejected,
        best_session_difficulty=as_float(summary.get("Best Share")),
        blocks_found=as_int(summary.get("Found Blocks")),
    )


def _total(counts: Iterable[int | None]) -> int | None:
    known = [count for count in counts if count is not None]
    return sum(known) if known else None


def summary_fans(summary: dict[str, Any]) -> list[Fan]:
    """Fans some cgminer forks put in ``summary`` (StrongU: ``Fan Num`` 2, ``Fan1``, ``Fan2``),
    numbered from 0; none beyond ``Fan Num`` when it is given."""
    count = as_int(summary.get("Fan Num"))
    fans = []
    for slot in range(1, _MAX_SUMMARY_FANS + 1):
        if f"Fan{slot}" not in summary or (count is not None and slot > count):
            continue
        fans.append(Fan(index=slot - 1, rpm=as_int(summary[f"Fan{slot}"])))
    return fans


_MAX_SUMMARY_FANS: Final = 8


def efficiency(power: float | None, hashrate: float | None) -> float | None:
    """J/TH, only when both are known and the miner is hashing."""
    if power is None or hashrate is None or hashrate <= 0:
        return None
    return power / hashrate


class Readings(TypedDict, total=False):
    """The ``MinerData`` readings ``build_data`` copies as given (none is derived)."""

    average_hashrate: float | None
    vr_temperature: float | None
    inlet_temperature: float | None
    outlet_temperature: float | None
    input_voltage: float | None
    input_current: float | None
    core_voltage: float | None
    core_voltage_setting: int | None
    frequency: float | None
    shares_accepted: int | None
    shares_rejected: int | None
    best_difficulty: float | None
    best_session_difficulty: float | None
    blocks_found: int | None
    wifi_rssi: int | None
    fan_auto: bool | None
    target_temperature: float | None
    work_level: str | None
    power_preset: str | None


def build_data(
    identity: MinerIdentity,
    *,
    hashrate: float | None,
    expected_hashrate: float | None = None,
    power: float | None = None,
    power_limit: float | None = None,
    boards: list[HashBoard] | None = None,
    fans: list[Fan] | None = None,
    pools: list[Pool] | None = None,
    uptime: int | None = None,
    is_mining: bool | None = None,
    errors: list[str] | None = None,
    work_mode: str | None = None,
    fault_light: bool | None = None,
    temperature: float | None = None,
    chip_temperature: float | None = None,
    **readings: Unpack[Readings],
) -> MinerData:
    """``MinerData`` with the derived fields (hottest temperatures, efficiency, is_mining).

    ``temperature``/``chip_temperature`` are the hottest of the boards' readings; the values
    given are used only when no board has one (a firmware with module-wide readings only).
    ``fault_light`` is the LED state the firmware reported in this poll, never the last value
    the client set. ``readings`` (``Readings``) are copied as given.
    """
    boards = boards or []
    if is_mining is None and hashrate is not None:
        is_mining = hashrate > 0
    hottest = max_of(board.temperature for board in boards)
    hottest_chip = max_of(board.chip_temperature for board in boards)
    return MinerData(
        hashrate=hashrate,
        expected_hashrate=expected_hashrate,
        power=power,
        power_limit=power_limit,
        efficiency=efficiency(power, hashrate),
        temperature=temperature if hottest is None else hottest,
        chip_temperature=chip_temperature if hottest_chip is None else hottest_chip,
        boards=boards,
        fans=fans or [],
        pools=pools or [],
        uptime=uptime,
        is_mining=is_mining,
        make=identity.make,
        model=identity.model,
        firmware=identity.firmware,
        mac=identity.mac,
        hostname=identity.hostname,
        serial=identity.serial,
        errors=errors,
        work_mode=work_mode,
        fault_light=fault_light,
        **readings,
    )
