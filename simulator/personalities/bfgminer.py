"""Goldshell on its stock firmware: a BFGMiner-based API, e.g. a Goldshell KD5.

What BFGMiner's own source writes (``api.c``): ``version`` as ``{"Miner": "bfgminer 5.5.0",
"CGMiner": "5.5.0", "API": "3.1"}``; rates in ``MHS av`` and ``MHS <log interval>s`` (20 s on
Goldshell) plus ``MHS rolling`` per device; ``+`` joins. What Goldshell adds, as independent
clients read it (asic-rs from live SC5Pro/ARI31 units, pyasic): per-board rows in ``devs``
with the PCB temperature ``tstemp-2``, two chip channels ``tstemp-0``/``tstemp-1``, the
board's ``clock`` and ``voltage``, and the machine's fans ``fan0``.. repeated on every row;
``devdetails`` with the chip count ``chips-nr`` (written under ``DEVS``, which is how pyasic
reads it). The model and firmware version are on the web interface only; the API has no
controls. ``stats`` keeps BFGMiner's per-device entries (no readings: the real units' stats
are not even valid JSON, so no client asks for it).
"""

from __future__ import annotations

from typing import Any, ClassVar

from simulator.personality import Reply
from simulator.state import BoardState, MinerState, PoolState

from .cgminer import CGMinerPersonality


class Goldshell(CGMinerPersonality):
    """Goldshell KD5 (Kadena, reported in MH/s like every cgminer-family API)."""

    name: ClassVar[str] = "goldshell"
    family: ClassVar[str] = "bfgminer"
    software: ClassVar[str] = "CGMiner"
    software_version: ClassVar[str] = "5.5.0"
    api_version: ClassVar[str] = "3.1"
    description: ClassVar[str] = "bfgminer 5.5.0"
    device_kind: ClassVar[str] = "PGA"
    driver: ClassVar[str] = "GSD"

    @classmethod
    def initial_state(cls) -> MinerState:
        """Four boards, two fans, 2250 W."""
        return MinerState(
            make="Goldshell",
            model="KD5",
            firmware="2.2.1",
            mac="02:47:53:00:00:05",
            hostname="goldshell",
            nominal_power=2250.0,
            idle_power=25.0,
            boards=[
                BoardState(
                    hashrate=4.5,
                    temperature=58.0,
                    chip_temperature=71.0,
                    chips=60,
                    frequency=840,
                    voltage=12.09,
                )
                for _ in range(4)
            ],
            fans=[4380, 4410],
            pools=[
                PoolState(
                    url="stratum+tcp://kda.f2pool.com:5400",
                    user="goldshell.kd5",
                    active=True,
                    accepted=777,
                    rejected=2,
                )
            ],
        )

    def version_fields(self) -> dict[str, Any]:
        """BFGMiner names itself in ``Miner`` and its version under ``CGMiner``."""
        return {
            "Miner": f"bfgminer {self.software_version}",
            "CGMiner": self.software_version,
            "API": self.api_version,
        }

    def summary_fields(self) -> dict[str, Any]:
        """BFGMiner reports ``MHS 20s`` (the log interval) beside ``MHS av``."""
        fields = super().summary_fields()
        fields["MHS 20s"] = fields.pop("MHS 5s")
        for key in ("MHS 1m", "MHS 5m", "MHS 15m"):
            fields.pop(key)
        return fields

    def dev_fields(self, index: int, board: BoardState) -> dict[str, Any]:
        """A PGA row with BFGMiner's windows and Goldshell's sensors, clock, voltage and the
        machine's fans."""
        fields = super().dev_fields(index, board)
        fields["MHS 20s"] = fields.pop("MHS 5s")
        fields["MHS rolling"] = fields["MHS 20s"]
        for key in ("MHS 1m", "MHS 5m", "MHS 15m", "Temperature"):
            fields.pop(key)
        chip = self.state.chip_temperature(board)
        fields |= {
            "clock": float(board.frequency),
            "voltage": round(board.voltage * 1000, 1),
            "tstemp-0": chip,
            "tstemp-1": round(chip - 1, 1),
            "tstemp-2": self.state.board_temperature(board),
        }
        fields |= {f"fan{slot}": self.state.fan_rpm(slot) for slot in range(len(self.state.fans))}
        return fields

    def cmd_devdetails(self, parameter: str | None) -> Reply:
        """BFGMiner's details per board with Goldshell's ``chips-nr``, under ``DEVS``."""
        items = [
            {
                "DEVDETAILS": index,
                "Name": self.driver,
                "ID": index,
                "ProcID": 0,
                "Processors": 1,
                "Driver": "goldshell",
                "Model": f"Goldshell {self.state.model}",
                "Target Temperature": 0,
                "Cutoff Temperature": 0,
                "chips-nr": board.chips,
            }
            for index, board in enumerate(self.state.boards)
        ]
        return self.ok(69, "Device Details", "DEVS", items)
