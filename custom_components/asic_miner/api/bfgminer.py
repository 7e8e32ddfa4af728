"""BFGMiner-based firmware (Goldshell).

One poll is ``summary+devs+pools+stats``. Mapping as cgminer, with BFGMiner's differences:
rates use the ``MHS 20s``/``MHS rolling``/``MHS av`` windows; devices are ``PGA`` entries;
``stats`` entries (one per device) carry ``fan1``/``fan2``, ``chip_temp`` and ``chips``;
``devdetails`` names the model. No power reading and no controls over the API.
"""

from __future__ import annotations

from typing import Any, ClassVar, Final

from .base import Command
from .cgminer import CGMinerAPI
from .decoding import as_float, as_int
from .mapping import (
    build_data,
    dev_boards,
    first,
    map_pools,
    section,
    summary_of,
    total_hashrate,
    unwrap,
)
from .models import Fan, MinerData, MinerIdentity

_WINDOWS: Final = ("20s", "rolling", "5s", "1m", "av")


class BFGMinerAPI(CGMinerAPI):
    """BFGMiner / Goldshell."""

    family = "bfgminer"
    make: ClassVar[str | None] = "Goldshell"

    procs = Command("BFGMiner's per-processor list.")

    async def _fetch_identity(self) -> MinerIdentity:
        version = await self.send_command("version")
        details = await self.send_command("devdetails", ignore_errors=True)
        model = first(details, "DEVDETAILS").get("Model")
        firmware = first(version, "VERSION").get("BFGMiner")
        return MinerIdentity(
            make=self.make,
            model=str(model).removeprefix("Goldshell ") if model else None,
            firmware=str(firmware) if firmware else None,
        )

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        summary = summary_of(replies)
        stats = section(unwrap(replies, "stats"), "STATS")

        def extra(position: int, _entry: dict[str, Any]) -> dict[str, Any]:
            """The device's own ``stats`` entry: chip temperature and chips."""
            own = stats[position] if position < len(stats) else {}
            return {
                "chip_temperature": as_float(own.get("chip_temp")),
                "chips": as_int(own.get("chips")),
            }

        boards = dev_boards(unwrap(replies, "devs"), ("PGA", "ASC", "ID"), _WINDOWS, extra)
        fans: list[Fan] = []
        if stats:
            for slot in range(1, 9):
                if f"fan{slot}" in stats[0]:
                    fans.append(Fan(index=len(fans), rpm=as_int(stats[0][f"fan{slot}"])))
        return build_data(
            identity,
            hashrate=total_hashrate(summary, boards, _WINDOWS),
            boards=boards,
            fans=fans,
            pools=map_pools(unwrap(replies, "pools")),
            uptime=as_int(summary.get("Elapsed")),
        )
