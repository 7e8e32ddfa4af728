"""Plain cgminer replies (API 3.7): the base of every CGMiner-API personality.

``CGMinerPersonality`` renders the stock cgminer commands from ``MinerState``; the Antminer,
Avalon, Goldshell and other personalities extend it with their firmware's own fields.
"""

from __future__ import annotations

from typing import Any, ClassVar

from simulator.personality import Personality, Reply
from simulator.state import BoardState, PoolState


class CGMinerPersonality(Personality):
    """Stock cgminer command set; subclasses override the parts their firmware changes."""

    family: ClassVar[str] = "cgminer"
    #: The key naming the miner software in ``version`` ("CGMiner", "BMMiner", "BFGMiner").
    software: ClassVar[str] = "CGMiner"
    software_version: ClassVar[str] = "4.11.1"
    api_version: ClassVar[str] = "3.7"
    device_kind: ClassVar[str] = "ASC"
    driver: ClassVar[str] = "cgm"

    # --- pieces ------------------------------------------------------------------------------

    def version_fields(self) -> dict[str, Any]:
        """The single VERSION object."""
        return {self.software: self.software_version, "API": self.api_version}

    def summary_fields(self) -> dict[str, Any]:
        """The single SUMMARY object (hashrates in MH/s as cgminer reports them)."""
        state = self.state
        mhs = state.current_hashrate() * 1_000_000
        elapsed = state.uptime()
        return {
            "Elapsed": elapsed,
            "MHS av": round(mhs, 2),
            "MHS 5s": round(mhs, 2),
            "MHS 1m": round(mhs, 2),
            "MHS 5m": round(mhs, 2),
            "MHS 15m": round(mhs, 2),
            "Found Blocks": 0,
            "Getworks": 2345,
            "Accepted": state.accepted,
            "Rejected": state.rejected,
            "Hardware Errors": state.hardware_errors,
            "Utility": 12.34,
            "Discarded": 4567,
            "Stale": 0,
            "Get Failures": 0,
            "Local Work": 123456,
            "Remote Failures": 0,
            "Network Blocks": 42,
            "Total MH": round(mhs * max(elapsed, 1), 1),
            "Work Utility": 1234567.89,
            "Difficulty Accepted": 98765432.0,
            "Difficulty Rejected": 12345.0,
            "Difficulty Stale": 0.0,
            "Best Share": 123456789,
            "Device Hardware%": 0.0001,
            "Device Rejected%": 0.0125,
            "Pool Rejected%": 0.0125,
            "Pool Stale%": 0.0,
            "Last getwork": 0,
        }

    def dev_fields(self, index: int, board: BoardState) -> dict[str, Any]:
        """One DEVS entry."""
        mhs = self.state.board_hashrate(board) * 1_000_000
        return {
            self.device_kind: index,
            "Name": self.driver,
            "ID": index,
            "Enabled": "Y",
            "Status": "Alive" if board.alive else "Dead",
            "Temperature": self.state.board_temperature(board),
            "MHS av": round(mhs, 2),
            "MHS 5s": round(mhs, 2),
            "MHS 1m": round(mhs, 2),
            "MHS 5m": round(mhs, 2),
            "MHS 15m": round(mhs, 2),
            "Accepted": self.state.accepted // max(len(self.state.boards), 1),
            "Rejected": self.state.rejected // max(len(self.state.boards), 1),
            "Hardware Errors": 0,
            "Utility": 4.11,
            "Last Share Pool": 0,
            "Last Share Time": 0,
            "Total MH": 0.0,
            "Diff1 Work": 0,
            "Difficulty Accepted": 0.0,
            "Difficulty Rejected": 0.0,
            "Last Share Difficulty": 0.0,
            "Last Valid Work": 0,
            "Device Hardware%": 0.0,
            "Device Rejected%": 0.0,
            "Device Elapsed": self.state.uptime(),
        }

    def pool_fields(self, index: int, pool: PoolState) -> dict[str, Any]:
        """One POOLS entry."""
        return {
            "POOL": index,
            "URL": pool.url,
            "Status": "Alive" if pool.alive else "Dead",
            "Priority": pool.priority,
            "Quota": 1,
            "Long Poll": "N",
            "Getworks": 1234,
            "Accepted": pool.accepted,
            "Rejected": pool.rejected,
            "Works": 0,
            "Discarded": 0,
            "Stale": pool.stale,
            "Get Failures": 0,
            "Remote Failures": 0,
            "User": pool.user,
            "Last Share Time": 0,
            "Diff1 Shares": 0,
            "Proxy Type": "",
            "Proxy": "",
            "Difficulty Accepted": float(pool.accepted * 65536),
            "Difficulty Rejected": float(pool.rejected * 65536),
            "Difficulty Stale": 0.0,
            "Last Share Difficulty": 65536.0,
            "Work Difficulty": 65536.0,
            "Has Stratum": True,
            "Stratum Active": pool.active,
            "Stratum URL": pool.url.removeprefix("stratum+tcp://").split(":")[0],
            "Stratum Difficulty": 65536.0,
            "Has Vmask": True,
            "Has GBT": False,
            "Best Share": 0,
            "Pool Rejected%": 0.0,
            "Pool Stale%%": 0.0,
            "Bad Work": 0,
            "Current Block Height": 870000,
            "Current Block Version": 536870912,
        }

    def stats_entries(self) -> list[dict[str, Any]]:
        """The STATS list; stock cgminer has one entry per device plus pool entries."""
        return [
            {
                "STATS": index,
                "ID": f"{self.driver.upper()}{index}",
                "Elapsed": self.state.uptime(),
                "Calls": 0,
                "Wait": 0.0,
                "Max": 0.0,
                "Min": 99999999.0,
            }
            for index, _ in enumerate(self.state.boards)
        ]

    # --- commands ----------------------------------------------------------------------------

    def cmd_version(self, parameter: str | None) -> Reply:
        """``version``."""
        return self.ok(22, f"{self.software} versions", "VERSION", [self.version_fields()])

    def cmd_summary(self, parameter: str | None) -> Reply:
        """``summary``."""
        return self.ok(11, "Summary", "SUMMARY", [self.summary_fields()])

    def cmd_devs(self, parameter: str | None) -> Reply:
        """``devs``."""
        boards = self.state.boards
        items = [self.dev_fields(index, board) for index, board in enumerate(boards)]
        return self.ok(9, f"{len(boards)} {self.device_kind}(s)", "DEVS", items)

    def cmd_pools(self, parameter: str | None) -> Reply:
        """``pools``."""
        pools = self.state.pools
        items = [self.pool_fields(index, pool) for index, pool in enumerate(pools)]
        return self.ok(7, f"{len(pools)} Pool(s)", "POOLS", items)

    def cmd_stats(self, parameter: str | None) -> Reply:
        """``stats``."""
        return self.ok(70, f"{self.software} stats", "STATS", self.stats_entries())

    def cmd_devdetails(self, parameter: str | None) -> Reply:
        """``devdetails``."""
        items = [
            {
                "DEVDETAILS": index,
                "Name": self.driver,
                "ID": index,
                "Driver": self.driver,
                "Kernel": "",
                "Model": self.state.model,
                "Device Path": "",
            }
            for index, _ in enumerate(self.state.boards)
        ]
        return self.ok(69, "Device Details", "DEVDETAILS", items)

    def cmd_config(self, parameter: str | None) -> Reply:
        """``config``."""
        count = len(self.state.boards)
        return self.ok(
            33,
            f"{self.software} config",
            "CONFIG",
            [
                {
                    f"{self.device_kind} Count": count,
                    "PGA Count": 0,
                    "Pool Count": len(self.state.pools),
                    "Strategy": "Failover",
                    "Log Interval": 5,
                    "Device Code": self.driver.upper(),
                    "OS": "Linux",
                    "Hotplug": "None",
                }
            ],
        )

    def cmd_coin(self, parameter: str | None) -> Reply:
        """``coin``."""
        return self.ok(
            78,
            f"{self.software} coin",
            "COIN",
            [
                {
                    "Hash Method": "sha256",
                    "Current Block Time": 1700000000.123,
                    "Current Block Hash": "00000000000000000001a2b3c4d5e6f7",
                    "LP": True,
                    "Network Difficulty": 95672703408223.94,
                }
            ],
        )
