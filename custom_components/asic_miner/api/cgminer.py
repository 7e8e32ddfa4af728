"""Stock cgminer (API 3.x), the family the other cgminer-derived firmwares extend.

One poll is ``summary+devs+pools+stats`` in one request. Mapping:

- ``summary``: total hashrate (``MHS 1m``/``5s``/``av``, or the ``GHS``/``THS``/``KHS`` forms
  firmwares use instead), ``Elapsed`` → uptime;
- ``devs``: one hash board per ASC/PGA entry (rate, ``Temperature``);
- ``pools``: URL, User, Status (``Alive``), ``Stratum Active`` (else the first alive pool by
  priority), Accepted, Rejected;
- ``version``: firmware (the miner software's version) and the model when the fork names it;
- power, fans, chips, MAC, hostname and serial are not in stock cgminer's API: ``None``/empty.
"""

from __future__ import annotations

from typing import Any, ClassVar

from .base import BaseMinerAPI, api_command
from .decoding import as_float, as_int
from .mapping import (
    build_data,
    first,
    map_pools,
    rate_ths,
    section,
    summary_of,
    total_hashrate,
    unwrap,
)
from .models import HashBoard, MinerData, MinerIdentity


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
        summary = summary_of(replies)
        boards = self._boards(unwrap(replies, "devs"))
        return build_data(
            identity,
            hashrate=total_hashrate(summary, boards),
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
