"""The mapping toolkit: plain functions that turn decoded replies into ``MinerData`` parts.

Every family's mapping is built from these, so a unit, a fallback or a derived value is decided
once: reading sections out of cgminer-style replies (``section``, ``first``, ``unwrap``),
hashrates in TH/s from whichever ``<UNIT> <window>`` key a firmware used (``rate_ths``), the
total hashrate with the boards' sum as fallback (``total_hashrate``), pools (``map_pools``),
make and model out of one ``Type`` string (``split_make``), and ``build_data``, which derives
what every family derives the same way (hottest temperatures, efficiency, is_mining) and copies
the identity in. Nothing here keeps state or does I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

from .decoding import as_float, as_int
from .models import Fan, HashBoard, MinerData, MinerIdentity, Pool

#: Hashrate key prefixes and their factor to TH/s.
_UNITS: Final = (("THS", 1.0), ("GHS", 1e-3), ("MHS", 1e-6), ("KHS", 1e-9))
#: Averaging windows, most useful first.
RATE_WINDOWS: Final = ("1m", "5s", "av", "5m", "15m", "30m", "20s")
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


def rate_ths(entry: dict[str, Any], windows: Iterable[str] = RATE_WINDOWS) -> float | None:
    """A hashrate in TH/s from whichever ``<UNIT> <window>`` key the firmware used."""
    for window in windows:
        for unit, factor in _UNITS:
            value = as_float(entry.get(f"{unit} {window}"))
            if value is not None:
                return value * factor
    return None


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
    summary: dict[str, Any], boards: list[HashBoard], windows: Iterable[str] = RATE_WINDOWS
) -> float | None:
    """The summary's hashrate, else the sum of the boards' (firmwares that omit the total)."""
    hashrate = rate_ths(summary, windows)
    if hashrate is None:
        hashrate = sum_of(board.hashrate for board in boards)
    return hashrate


def dev_boards(
    devs: dict[str, Any] | None,
    index_keys: Sequence[str] = ("ASC", "PGA", "ID"),
    windows: Iterable[str] = RATE_WINDOWS,
    extra: Callable[[int, dict[str, Any]], dict[str, Any]] | None = None,
) -> list[HashBoard]:
    """One board per ``devs`` entry: its index (the first of ``index_keys`` it has, else its
    position), its rate and ``Temperature``; ``extra(position, entry)`` adds the fields a
    firmware reports besides (chip temperature, chips)."""
    boards = []
    for position, entry in enumerate(section(devs, "DEVS")):
        key = next((key for key in index_keys if key in entry), None)
        index = None if key is None else as_int(entry[key])
        boards.append(
            HashBoard(
                index=position if index is None else index,
                hashrate=rate_ths(entry, windows),
                temperature=as_float(entry.get("Temperature")),
                **(extra(position, entry) if extra is not None else {}),
            )
        )
    return boards


def map_pools(reply: dict[str, Any] | None) -> list[Pool]:
    """cgminer ``pools`` entries as ``Pool``; the active one is marked."""
    entries = section(reply, "POOLS")
    pools: list[Pool] = []
    explicit = any("Stratum Active" in entry for entry in entries)
    active_index: int | None = None
    if not explicit:
        alive = [e for e in entries if str(e.get("Status", "")).lower() == "alive" and e.get("URL")]
        alive.sort(key=lambda e: as_int(e.get("Priority")) or 0)
        if alive:
            active_index = entries.index(alive[0])
    for index, entry in enumerate(entries):
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
                active=bool(entry.get("Stratum Active")) if explicit else index == active_index,
                accepted=as_int(entry.get("Accepted")),
                rejected=as_int(entry.get("Rejected")),
            )
        )
    return pools


def efficiency(power: float | None, hashrate: float | None) -> float | None:
    """J/TH, only when both are known and the miner is hashing."""
    if power is None or hashrate is None or hashrate <= 0:
        return None
    return power / hashrate


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
) -> MinerData:
    """``MinerData`` with the derived fields (hottest temperatures, efficiency, is_mining).

    ``fault_light`` is the LED state the firmware reported in this poll, never the last value
    the client set.
    """
    boards = boards or []
    if is_mining is None and hashrate is not None:
        is_mining = hashrate > 0
    return MinerData(
        hashrate=hashrate,
        expected_hashrate=expected_hashrate,
        power=power,
        power_limit=power_limit,
        efficiency=efficiency(power, hashrate),
        temperature=max_of(board.temperature for board in boards),
        chip_temperature=max_of(board.chip_temperature for board in boards),
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
        errors=errors or [],
        work_mode=work_mode,
        fault_light=fault_light,
    )
