"""Goldshell (BFGMiner-style API), e.g. a Goldshell KD5 on its stock firmware.

BFGMiner differences reproduced here: ``version`` names ``BFGMiner``; devices are ``PGA``
entries whose rates use the ``MHS 20s``/``MHS av`` windows; ``devdetails`` names the
``Model``; per-device fan speeds and chip temperatures come in ``stats`` (``fan1``,
``fan2``, ``chip_temp``); the API has no controls.
"""

from __future__ import annotations

from typing import Any, ClassVar

from simulator.state import BoardState, MinerState, PoolState

from .cgminer import CGMinerPersonality


class Goldshell(CGMinerPersonality):
    """Goldshell KD5 (Kadena, reported in MH/s like every cgminer-family API)."""

    name: ClassVar[str] = "goldshell"
    family: ClassVar[str] = "bfgminer"
    software: ClassVar[str] = "BFGMiner"
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
                BoardState(hashrate=4.5, temperature=58.0, chip_temperature=71.0, chips=60)
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
        """BFGMiner's VERSION object."""
        return {"BFGMiner": self.software_version, "API": self.api_version}

    def summary_fields(self) -> dict[str, Any]:
        """BFGMiner reports ``MHS 20s`` instead of ``MHS 5s``."""
        fields = super().summary_fields()
        fields["MHS 20s"] = fields.pop("MHS 5s")
        for key in ("MHS 1m", "MHS 5m", "MHS 15m"):
            fields.pop(key)
        return fields

    def dev_fields(self, index: int, board: BoardState) -> dict[str, Any]:
        """PGA entries with ``MHS 20s`` and ``MHS rolling``."""
        fields = super().dev_fields(index, board)
        fields["MHS 20s"] = fields.pop("MHS 5s")
        fields["MHS rolling"] = fields["MHS 20s"]
        for key in ("MHS 1m", "MHS 5m", "MHS 15m"):
            fields.pop(key)
        return fields

    def stats_entries(self) -> list[dict[str, Any]]:
        """Per device: fans and the hottest chip."""
        state = self.state
        return [
            {
                "STATS": index,
                "ID": f"GSD{index}",
                "Elapsed": state.uptime(),
                "fan1": state.fan_rpm(0),
                "fan2": state.fan_rpm(1),
                "chip_temp": state.chip_temperature(board),
                "chips": board.chips,
            }
            for index, board in enumerate(state.boards)
        ]

    def cmd_devdetails(self, parameter: str | None) -> dict[str, Any]:
        """BFGMiner names the model per device."""
        reply = super().cmd_devdetails(parameter)
        assert isinstance(reply, dict)
        for item in reply["DEVDETAILS"]:
            item["Model"] = f"Goldshell {self.state.model}"
        return reply
