"""An unrecognised cgminer fork (``cgminer-fork``): detection must fall back to Unknown."""

from __future__ import annotations

from typing import ClassVar

from simulator.state import BoardState, MinerState, PoolState

from .cgminer import CGMinerPersonality


class CGMinerForkPersonality(CGMinerPersonality):
    """A cgminer fork with an unfamiliar software name: detection must fall back to Unknown."""

    name: ClassVar[str] = "cgminer-fork"
    family: ClassVar[str] = "unknown"
    software: ClassVar[str] = "SGMiner"
    software_version: ClassVar[str] = "5.6.1"
    api_version: ClassVar[str] = "4.0"
    description: ClassVar[str] = "sgminer 5.6.1"

    @classmethod
    def initial_state(cls) -> MinerState:
        """Three small boards, two fans the API never reports, one pool."""
        return MinerState(
            make="Unknown",
            model="Generic",
            firmware="5.6.1",
            mac="02:00:00:00:0f:01",
            hostname="fork-miner",
            nominal_power=1200.0,
            boards=[
                BoardState(hashrate=4.0, temperature=55.0, chip_temperature=62.0, chips=63)
                for _ in range(3)
            ],
            fans=[3000, 3000],
            pools=[
                PoolState(
                    url="stratum+tcp://pool.example.org:3333",
                    user="worker.fork",
                    active=True,
                    accepted=900,
                    rejected=3,
                )
            ],
        )
