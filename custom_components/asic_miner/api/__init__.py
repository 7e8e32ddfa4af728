"""Asyncio client for the CGMiner-family miner API (JSON over TCP, port 4028).

No Home Assistant import may appear under this package: it must stay extractable as a library.
"""

from .avalon import AvalonAPI
from .base import BaseMinerAPI
from .bfgminer import BFGMinerAPI
from .bmminer import BMMinerAPI
from .bosminer import BOSMinerAPI
from .btminer import BTMinerAPI
from .cgminer import CGMinerAPI
from .detect import api_class, detect_api, identify_family
from .errors import (
    APIAuthError,
    APIConnectionError,
    APIDecodeError,
    APIError,
    APIPrivilegeDisabledError,
    APIUnsupportedError,
    APIWarning,
)
from .luxos import LuxOSAPI
from .models import Capability, Fan, HashBoard, MinerData, MinerIdentity, Pool
from .unknown import UnknownAPI
from .whatsminer_v3 import WhatsminerV3API

__all__ = [
    "APIAuthError",
    "APIConnectionError",
    "APIDecodeError",
    "APIError",
    "APIPrivilegeDisabledError",
    "APIUnsupportedError",
    "APIWarning",
    "AvalonAPI",
    "BFGMinerAPI",
    "BMMinerAPI",
    "BOSMinerAPI",
    "BTMinerAPI",
    "BaseMinerAPI",
    "CGMinerAPI",
    "Capability",
    "Fan",
    "HashBoard",
    "LuxOSAPI",
    "MinerData",
    "MinerIdentity",
    "Pool",
    "UnknownAPI",
    "WhatsminerV3API",
    "api_class",
    "detect_api",
    "identify_family",
]
