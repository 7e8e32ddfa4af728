"""Miner simulator: speaks each firmware's API, quirks included, and injects faults."""

from .faults import Fault
from .personalities import PERSONALITIES
from .personality import Personality
from .server import MinerSimulator
from .state import BoardState, MinerState, PoolState

__all__ = [
    "PERSONALITIES",
    "BoardState",
    "Fault",
    "MinerSimulator",
    "MinerState",
    "Personality",
    "PoolState",
]
