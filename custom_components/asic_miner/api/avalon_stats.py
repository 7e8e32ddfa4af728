"""Canaan's ``MM ID`` text, as plain functions: an Avalon's readings in one string of
``Key[value]`` fields inside its ``estats``/``stats``/``litestats`` reply.

Two layouts exist, and every function here reads both:

- classic (AvalonMiner A-series, Nano 3S firmware 25021401): ``"MM ID0": "Ver[1066-…]
  DNA[…] … PVT_T0[…] MW0[…] …"``, per-chip lists inside the string;
- new (Avalon Q firmware 25052801): ``"MM ID0:Summary": "'STATS':{Ver[Q-…] … Nonce Mask[25]}"``
  (a key with a colon, a ``'NAME':{…}`` wrapper, a key with a space) plus a separate
  ``"HBinfo": "'HB0':{PVT_T0[…] PVT_V0[…] MW0[…]}"`` holding the per-chip lists of each board.

Values may contain spaces, ``:`` and ``,`` (``SYSTEMSTATU[Work: In Idle, Hash Board: 1]``).
Placeholders are not readings: a temperature of 0 or below -50 (``TMax[0]`` on an idle
unit, ``ITemp[-273]`` on a Nano 3S without that sensor), an all-zero ``PS[…]``.

Board and fan numbers come from the keys the text holds (``HB<n>``, ``PVT_T<n>``, ``MW<n>``,
``Fan<n>``) or from a count it states (``Hash Board: N``): only numbers below ``MAX_BOARDS`` /
``MAX_FANS`` are read, so a number no unit has (``PVT_T99999999``) is no board rather than
a hundred million empty ones built on the event loop.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
import re
from typing import Any, Final

from .decoding import as_float, as_int
from .mapping import section
from .models import Fan, HashBoard

#: Temperatures at or below this are "no sensor" values (-273, -83), as is exactly 0.
_NO_SENSOR_BELOW: Final = -50.0
#: Boards and fans one module may report (A-series units have 3 or 4 boards, home units 1):
#: a higher number names nothing a unit has.
MAX_BOARDS: Final = 16
MAX_FANS: Final = 16
#: The number at the end of a key (``PVT_T12`` → ``12``), ASCII digits only.
_NUMBER: Final = re.compile(r"[0-9]{1,3}")


def numbered(keys: Iterable[str], prefix: str, limit: int) -> list[int]:
    """The numbers ``n`` of the keys ``<prefix><n>`` among ``keys``, below ``limit``, sorted."""
    found = {
        int(rest)
        for key in keys
        if key.startswith(prefix) and _NUMBER.fullmatch(rest := key[len(prefix) :])
    }
    return sorted(number for number in found if number < limit)


def blocks(text: str) -> list[tuple[str | None, str]]:
    """``'HB0':{…} 'HB1':{…}`` → ``[("HB0", "…"), ("HB1", "…")]``; a text without a
    ``'NAME':{`` head is one unnamed block (the classic layout). Linear in the text."""
    text = text.strip()
    if not text.startswith("'"):
        return [(None, text)]
    found: list[tuple[str | None, str]] = []
    pos = 0
    while (quote := text.find("'", pos)) >= 0:
        end_quote = text.find("'", quote + 1)
        if end_quote < 0 or text[end_quote + 1 : end_quote + 3] != ":{":
            break
        start = end_quote + 3
        close = text.find("}", start)
        found.append(
            (text[quote + 1 : end_quote], text[start:] if close < 0 else text[start:close])
        )
        if close < 0:
            break
        pos = close + 1
    return found


def parse_fields(text: str) -> dict[str, str]:
    """``"Ver[Q-2505] Nonce Mask[25] PS[0 1 2]"`` → ``{"Ver": "Q-2505", "Nonce Mask": "25",
    "PS": "0 1 2"}``. The first of a repeated key wins; text outside brackets after the last
    field is ignored. Linear in the text (``str.find`` only)."""
    fields: dict[str, str] = {}
    pos = 0
    while (opening := text.find("[", pos)) >= 0:
        closing = text.find("]", opening + 1)
        if closing < 0:
            break
        key = text[pos:opening].strip()
        if key and key not in fields:
            fields[key] = text[opening + 1 : closing].strip()
        pos = closing + 1
    return fields


def parse_mm(text: str) -> dict[str, str]:
    """The fields of one ``MM ID`` string, in either layout (the ``'STATS':{…}`` wrapper of
    the new layout removed)."""
    fields: dict[str, str] = {}
    for _, body in blocks(text):
        for key, value in parse_fields(body).items():
            fields.setdefault(key, value)
    return fields


def numbers(value: str | None) -> list[float | None]:
    """``"58  59 0%"`` → ``[58.0, 59.0, 0.0]`` (None for what is no number)."""
    return [as_float(part) for part in value.split()] if value else []


def temperature(value: Any) -> float | None:
    """A temperature, None for the no-sensor placeholders (0, -83, -273 …)."""
    number = as_float(value)
    if number is None or number == 0 or number <= _NO_SENSOR_BELOW:
        return None
    return number


def positive(value: Any) -> float | None:
    """A reading that is only meaningful above zero (power, expected hashrate, settings)."""
    number = as_float(value)
    return number if number is not None and number > 0 else None


def status_parts(value: str | None) -> dict[str, str]:
    """``SYSTEMSTATU[Work: In Idle, Hash Board: 1]`` → ``{"Work": "In Idle", "Hash Board": "1"}``."""
    parts: dict[str, str] = {}
    for item in (value or "").split(","):
        key, colon, rest = item.partition(":")
        if colon:
            parts[key.strip()] = rest.strip()
    return parts


def split_version(ver: str | None) -> tuple[str | None, str | None]:
    """``Ver[Q-25052801_14a19a2]`` → ``("Q", "25052801_14a19a2")``; ``15-194-24102401_…`` →
    ``("15-194", "24102401_…")``: the firmware starts at the ``-`` before ``YYMMDDNN_``."""
    if not ver:
        return None, None
    for index, char in enumerate(ver):
        date = ver[index + 1 : index + 9]
        if char == "-" and len(date) == 8 and date.isdigit() and ver[index + 9 : index + 10] == "_":
            return ver[:index] or None, ver[index + 1 :]
    return ver, None


@dataclass(frozen=True, slots=True)
class AvalonStats:
    """One stats reply read: the module's fields, each board's ``HBinfo`` fields (new layout)
    and cgminer's own ``Elapsed`` of that entry."""

    fields: dict[str, str] = field(default_factory=dict)
    boards: dict[int, dict[str, str]] = field(default_factory=dict)
    elapsed: int | None = None

    def get(self, key: str) -> str | None:
        """One field of the module."""
        return self.fields.get(key)

    def board_field(self, name: str, board: int) -> str | None:
        """``name<board>`` (``PVT_T0``, ``MW1``) from the board's ``HBinfo``, else from the
        module's string (classic layout)."""
        key = f"{name}{board}"
        return self.boards.get(board, {}).get(key) or self.fields.get(key)

    @property
    def idle(self) -> bool:
        """Soft-off (``SoftOFF`` above 0: standby): the chips are not hashing, so their
        temperatures are not readings."""
        soft_off = as_int(self.get("SoftOFF"))
        return soft_off is not None and soft_off > 0


def read_stats(reply: dict[str, Any] | None) -> AvalonStats | None:
    """The first ``STATS`` entry holding an ``MM ID`` string (``MM ID0`` or
    ``MM ID0:Summary``), with its ``HBinfo``; None when the reply has none. Further modules
    (``MM ID1``…, several modules behind one controller) are not read."""
    for entry in section(reply, "STATS"):
        text = next(
            (
                value
                for key, value in entry.items()
                if key.startswith("MM ID") and isinstance(value, str)
            ),
            None,
        )
        if text is None:
            continue
        boards: dict[int, dict[str, str]] = {}
        hb_info = entry.get("HBinfo")
        if isinstance(hb_info, str):
            for name, body in blocks(hb_info):
                for index in numbered((name or "",), "HB", MAX_BOARDS):
                    boards.setdefault(index, parse_fields(body))
        return AvalonStats(parse_mm(text), boards, as_int(entry.get("Elapsed")))
    return None


def board_count(stats: AvalonStats) -> int:
    """Boards the module reports: per-board lists (``MGHS``, ``MTmax``, ``MTavg``), boards in
    ``HBinfo`` or per-chip lists, else ``SYSTEMSTATU``'s ``Hash Board: N``; at most
    ``MAX_BOARDS``."""
    counts = [len(numbers(stats.get(key))) for key in ("MGHS", "MTmax", "MTavg")]
    counts.append(max(stats.boards, default=-1) + 1)
    counts.extend(
        number + 1
        for prefix in ("PVT_T", "MW")
        for number in numbered(stats.fields, prefix, MAX_BOARDS)
    )
    count = max(counts)
    if count == 0:
        count = as_int(status_parts(stats.get("SYSTEMSTATU")).get("Hash Board")) or 0
    return min(max(count, 0), MAX_BOARDS)


def _chips(stats: AvalonStats, board: int) -> tuple[int | None, int | None]:
    """(working, dead) chips of one board: a chip with no work counted (``MW<n>`` 0) has
    failed; without work counts, chips with a temperature are counted and none called dead."""
    work = numbers(stats.board_field("MW", board))
    if work:
        working = sum(1 for value in work if value)
        return working, len(work) - working
    temps = numbers(stats.board_field("PVT_T", board))
    if temps:
        return sum(1 for value in temps if value), None
    return None, None


def hash_boards(stats: AvalonStats, hashrate: float | None) -> list[HashBoard]:
    """The module's boards. Per-board rates exist only as averages (``MGHS`` equals
    ``GHSavg``), so a board's hashrate is the current total on a one-board unit and unknown on
    several; temperatures are ``MTavg``/``MTmax`` per board (``TAvg``/``TMax`` on a one-board
    unit), none while the unit is idle (soft-off)."""
    count = board_count(stats)
    single = count == 1
    averages = numbers(stats.get("MTavg"))
    maxima = numbers(stats.get("MTmax"))
    boards = []
    for index in range(count):
        average = averages[index] if index < len(averages) else None
        maximum = maxima[index] if index < len(maxima) else None
        if single:
            average = average if average is not None else as_float(stats.get("TAvg"))
            maximum = maximum if maximum is not None else as_float(stats.get("TMax"))
        if stats.idle:
            average = maximum = None
        chips, dead = _chips(stats, index)
        boards.append(
            HashBoard(
                index=index,
                hashrate=hashrate if single else None,
                temperature=temperature(average),
                chip_temperature=temperature(maximum),
                chips=chips,
                dead_chips=dead,
            )
        )
    return boards


def fans(stats: AvalonStats) -> list[Fan]:
    """``Fan1``…``FanN`` (rpm), each with the module's duty ``FanR[n%]``."""
    percent = as_int(stats.get("FanR"))
    return [
        Fan(index=slot - 1, rpm=as_int(stats.get(f"Fan{slot}")), percent=percent)
        for slot in numbered(stats.fields, "Fan", MAX_FANS + 1)
        if slot >= 1
    ]


def wall_power(stats: AvalonStats) -> float | None:
    """Measured power in W: ``WALLPOWER``; else the power supply's ``PS[…]``: element 6 of the
    7-element list (the wall power: it equals ``WALLPOWER`` where both are sent), element 4
    of the 6-element list of older firmware (Canaan's A10 API manual: the output power to
    the hash boards; there the last element is a voltage). Never ``MPO``, a setting."""
    wall = positive(stats.get("WALLPOWER"))
    if wall is not None:
        return wall
    supply = numbers(stats.get("PS"))
    if len(supply) >= 7:
        return positive(supply[6])
    if len(supply) == 6:
        return positive(supply[4])
    return None
