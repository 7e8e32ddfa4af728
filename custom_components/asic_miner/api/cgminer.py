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

from .base import BaseMinerAPI, Command
from .decoding import as_int
from .mapping import build_data, dev_boards, first, map_pools, summary_of, total_hashrate, unwrap
from .models import MinerData, MinerIdentity


class CGMinerAPI(BaseMinerAPI):
    """Stock cgminer; the base of the cgminer-derived families."""

    family = "cgminer"
    poll_commands: ClassVar[tuple[str, ...]] = ("summary", "devs", "pools", "stats")

    # --- commands (cgminer API-README) -------------------------------------------------------

    version = Command("Miner software and API versions.")
    config = Command("Device counts, strategy, OS.")
    summary = Command("Totals: hashrate, shares, uptime.")
    pools = Command("Configured pools and their share counts.")
    devs = Command("Per-device (hash board) status.")
    devdetails = Command("Per-device driver and model.")
    stats = Command("Driver statistics (where most firmwares put fans and temperatures).")
    coin = Command("Coin and network difficulty.")

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
        boards = dev_boards(unwrap(replies, "devs"))
        return build_data(
            identity,
            hashrate=total_hashrate(summary, boards),
            boards=boards,
            pools=map_pools(unwrap(replies, "pools")),
            uptime=as_int(summary.get("Elapsed")),
        )
