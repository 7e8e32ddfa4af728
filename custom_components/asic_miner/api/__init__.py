"""Asyncio client for the CGMiner-family miner API (JSON over TCP, port 4028).

No Home Assistant import may appear under this package: it must stay extractable as a library.
"""

from .errors import (
    APIAuthError,
    APIConnectionError,
    APIDecodeError,
    APIError,
    APIPrivilegeDisabledError,
    APIUnsupportedError,
    APIWarning,
)
from .models import Capability, Fan, HashBoard, MinerData, MinerIdentity, Pool

__all__ = [
    "APIAuthError",
    "APIConnectionError",
    "APIDecodeError",
    "APIError",
    "APIPrivilegeDisabledError",
    "APIUnsupportedError",
    "APIWarning",
    "Capability",
    "Fan",
    "HashBoard",
    "MinerData",
    "MinerIdentity",
    "Pool",
]
