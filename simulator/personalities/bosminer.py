"""Braiins OS+ (BOSer) on an Antminer S19j Pro: the bosminer cgminer-compatible API.

Beyond stock cgminer it answers ``fans``, ``temps`` and ``tunerstatus`` (power limit and the
autotuner's power estimate) and ``pause``/``resume``. It reports no MAC, hostname or serial
over this API (those are in its gRPC/GraphQL APIs). Joined ``+`` commands work.
"""

from __future__ import annotations

from typing import Any, ClassVar

from simulator.personality import Reply
from simulator.state import BoardState, MinerState, PoolState

from .cgminer import CGMinerPersonality


class BraiinsOS(CGMinerPersonality):
    """Braiins OS+ 23.x (BOSer) with the autotuner at a 3100 W power target."""

    name: ClassVar[str] = "braiins-os"
    family: ClassVar[str] = "bosminer"
    software: ClassVar[str] = "BOSer"
    software_version: ClassVar[str] = "boser-buildroot 0.1.0-26ba61b9"
    api_version: ClassVar[str] = "3.7"
    description: ClassVar[str] = "BOSer boser-buildroot 0.1.0-26ba61b9"
    driver: ClassVar[str] = ""

    @classmethod
    def initial_state(cls) -> MinerState:
        """Three S19j Pro boards (126 chips), four fans, autotuned to 3100 W."""
        return MinerState(
            make="Antminer",
            model="S19j Pro",
            firmware=cls.software_version,
            mac="02:b0:05:00:00:01",
            hostname="braiins-os",
            nominal_power=3300.0,
            power_limit=3100,
            boards=[
                BoardState(hashrate=34.0, temperature=58.0, chip_temperature=71.0, chips=126)
                for _ in range(3)
            ],
            fans=[3600, 3620, 3580, 3610],
            pools=[
                PoolState(
                    url="stratum+tcp://stratum.braiins.com:3333",
                    user="braiins.worker1",
                    active=True,
                    accepted=5000,
                    rejected=6,
                )
            ],
        )

    def dev_fields(self, index: int, board: BoardState) -> dict[str, Any]:
        """bosminer's DEVS entry adds the board's nominal rate."""
        fields = super().dev_fields(index, board)
        fields["Nominal MHS"] = board.hashrate * 1_000_000
        return fields

    def cmd_devdetails(self, parameter: str | None) -> Reply:
        """Board model, chip count, frequency and voltage."""
        items = [
            {
                "DEVDETAILS": index,
                "Name": "",
                "ID": index,
                "Driver": "",
                "Kernel": "",
                "Model": f"{self.state.make} {self.state.model}",
                "Chips": board.chips,
                "Cores": board.chips * 4,
                "Frequency": board.frequency,
                "Voltage": board.voltage,
            }
            for index, board in enumerate(self.state.boards)
        ]
        return self.ok(69, "Device Details", "DEVDETAILS", items)

    def cmd_temps(self, parameter: str | None) -> Reply:
        """Board (PCB) and hottest-chip temperature per hash board."""
        items = [
            {
                "TEMP": index,
                "ID": index,
                "Board": self.state.board_temperature(board),
                "Chip": self.state.chip_temperature(board),
            }
            for index, board in enumerate(self.state.boards)
        ]
        return self.ok(201, f"{len(items)} Temp(s)", "TEMPS", items)

    def cmd_fans(self, parameter: str | None) -> Reply:
        """Fan speeds."""
        items = [
            {"FAN": index, "ID": index, "RPM": self.state.fan_rpm(index), "Speed": 40}
            for index in range(len(self.state.fans))
        ]
        return self.ok(202, f"{len(items)} Fan(s)", "FANS", items)

    def cmd_tunerstatus(self, parameter: str | None) -> Reply:
        """The autotuner: power target and estimated consumption, miner and per chain."""
        state = self.state
        power = round(state.current_power())
        boards = max(len(state.boards), 1)
        chains = [
            {
                "HashchainIndex": index,
                "Iteration": 3,
                "LoadedProfile": True,
                "PowerLimitWatt": (state.power_limit or 0) // boards,
                "ApproximatePowerConsumptionWatt": round(power * 0.93 / boards),
                "StageElapsed": state.uptime(),
                "Status": "Stable" if state.is_mining else "Paused",
            }
            for index, _ in enumerate(state.boards)
        ]
        item = {
            "PowerLimit": state.power_limit,
            "DynamicPowerScaling": "Disabled",
            "ApproximateChainPowerConsumption": round(power * 0.93),
            "ApproximateMinerPowerConsumption": power,
            "TunerChainStatus": chains,
            "TunerRunning": state.is_mining,
        }
        return self.ok(203, "Tuner Status", "TUNERSTATUS", [item])

    def cmd_pause(self, parameter: str | None) -> Reply:
        """Stop hashing; the API keeps answering."""
        self.state.paused = True
        return self.ok(204, "Pause", "PAUSE", [{"Paused": True}])

    def cmd_resume(self, parameter: str | None) -> Reply:
        """Resume hashing."""
        self.state.paused = False
        return self.ok(205, "Resume", "RESUME", [{"Resumed": True}])
