"""Stock cgminer (API 3.x) and the reply mapping every cgminer-derived family reuses.

One poll is ``summary+devs+pools+stats`` in one request. Mapping:

- ``summary``: total hashrate (``MHS 1m``/``5s``/``av``, or the ``GHS``/``THS``/``KHS`` forms
  firmwares use instead), ``Elapsed`` → uptime;
- ``devs``: one hash board per ASC/PGA entry (rate, ``Temperature``);
- ``pools``: URL, User, Status (``Alive``), ``Stratum Active`` (else the first alive pool by
  priority), Accepted, Rejected;
- ``version``: firmware (the miner software's version) and the model when the fork names it;
- power, fans, chips, MAC, hostname and serial are not in stock cgminer's API: ``None``/empty.

The module-level helpers (``rate_ths``, ``map_pools``, ``section`` …) are the shared toolkit
of the other families.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Final

from .base import BaseMinerAPI, api_command
from .decoding import as_float, as_int
from .models import Fan, HashBoard, MinerData, MinerIdentity, Pool

#: Hashrate key prefixes and their factor to TH/s.
_UNITS: Final = (("THS", 1.0), ("GHS", 1e-3), ("MHS", 1e-6), ("KHS", 1e-9))
#: Averaging windows, most useful first.
RATE_WINDOWS: Final = ("1m", "5s", "av", "5m", "15m", "30m", "20s")


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


def sum_of(values: Iterable[float | None]) -> float | None:
    """The sum of known values, None when none is known."""
    known = [value for value in values if value is not None]
    return sum(known) if known else None


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
    """``MinerData`` with the derived fields (hottest temperatures, efficiency, is_mining)."""
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


class CGMinerAPI(BaseMinerAPI):
    """Stock cgminer; the base of the cgminer-derived families."""

    family = "cgminer"
    poll_commands: ClassVar[tuple[str, ...]] = ("summary", "devs", "pools", "stats")

    # --- commands (cgminer API-README) -------------------------------------------------------

    @api_command
    async def version(self) -> dict[str, Any]:
        """Miner software and API versions."""
        return await self.send_command("version")

    @api_command
    async def config(self) -> dict[str, Any]:
        """Device counts, strategy, OS."""
        return await self.send_command("config")

    @api_command
    async def summary(self) -> dict[str, Any]:
        """Totals: hashrate, shares, uptime."""
        return await self.send_command("summary")

    @api_command
    async def pools(self) -> dict[str, Any]:
        """Configured pools and their share counts."""
        return await self.send_command("pools")

    @api_command
    async def devs(self) -> dict[str, Any]:
        """Per-device (hash board) status."""
        return await self.send_command("devs")

    @api_command
    async def devdetails(self) -> dict[str, Any]:
        """Per-device driver and model."""
        return await self.send_command("devdetails")

    @api_command
    async def stats(self) -> dict[str, Any]:
        """Driver statistics (where most firmwares put fans and temperatures)."""
        return await self.send_command("stats")

    @api_command
    async def coin(self) -> dict[str, Any]:
        """Coin and network difficulty."""
        return await self.send_command("coin")

    # --- polling -----------------------------------------------------------------------------

    async def _fetch_identity(self) -> MinerIdentity:
        reply = await self.send_command("version")
        return self._identity_from_version(first(reply, "VERSION"))

    def _identity_from_version(self, version: dict[str, Any]) -> MinerIdentity:
        firmware = next(
            (
                str(version[key])
                for key in ("CGMiner", "BMMiner", "BFGMiner", "SGMiner", "LUXminer", "BOSminer")
                if key in version
            ),
            None,
        )
        model = version.get("Type") or version.get("PROD") or version.get("Model")
        return MinerIdentity(
            make=self.make,
            model=str(model) if model else None,
            firmware=firmware,
        )

    async def _poll(self) -> dict[str, Any]:
        return await self.multicommand(*self.poll_commands)

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        summary = first(unwrap(replies, "summary"), "SUMMARY")
        boards = self._boards(unwrap(replies, "devs"))
        hashrate = rate_ths(summary)
        if hashrate is None:
            hashrate = sum_of(board.hashrate for board in boards)
        return build_data(
            identity,
            hashrate=hashrate,
            boards=boards,
            pools=map_pools(unwrap(replies, "pools")),
            uptime=as_int(summary.get("Elapsed")),
        )

    def _boards(self, devs: dict[str, Any] | None) -> list[HashBoard]:
        boards = []
        for position, entry in enumerate(section(devs, "DEVS")):
            index = as_int(entry.get("ASC", entry.get("PGA", entry.get("ID"))))
            boards.append(
                HashBoard(
                    index=position if index is None else index,
                    hashrate=rate_ths(entry),
                    temperature=as_float(entry.get("Temperature")),
                )
            )
        return boards
