"""Asyncio client for Bitcoin miners: the CGMiner-family API (JSON over TCP, port 4028), their
web interfaces through ``HTTPClient``, and the HTTP-only firmwares (AxeOS, ePIC). Every client
is a ``Miner``.

No Home Assistant import may appear under this package: it must stay extractable as a library.
"""

from .avalon import AvalonAPI
from .axeos import AxeOSAPI
from .base import BaseMinerAPI
from .bfgminer import BFGMinerAPI
from .bmminer import BMMinerAPI
from .bosminer import BOSMinerAPI
from .braiins_os import BraiinsOSAPI
from .btminer import BTMinerAPI
from .cgminer import CGMinerAPI
from .detect import api_class, detect_api, identify_family
from .epic import EPicAPI
from .errors import (
    APIAuthError,
    APIConnectionError,
    APIDecodeError,
    APIError,
    APIOTPRequiredError,
    APIPrivilegeDisabledError,
    APIRefusalError,
    APIUnsupportedError,
    APIWarning,
)
from .http import HTTPClient, HTTPReply, TokenAuth
from .limits import Limits
from .luxos import LuxOSAPI
from .miner import Miner
from .models import Capability, Fan, HashBoard, MinerData, MinerIdentity, Pool
from .unknown import UnknownAPI
from .vnish import VNishAPI
from .whatsminer_v3 import WhatsminerV3API

__all__ = [
    "APIAuthError",
    "APIConnectionError",
    "APIDecodeError",
    "APIError",
    "APIOTPRequiredError",
    "APIPrivilegeDisabledError",
    "APIRefusalError",
    "APIUnsupportedError",
    "APIWarning",
    "AvalonAPI",
    "AxeOSAPI",
    "BFGMinerAPI",
    "BMMinerAPI",
    "BOSMinerAPI",
    "BTMinerAPI",
    "BaseMinerAPI",
    "BraiinsOSAPI",
    "CGMinerAPI",
    "Capability",
    "EPicAPI",
    "Fan",
    "HTTPClient",
    "HTTPReply",
    "HashBoard",
    "Limits",
    "LuxOSAPI",
    "Miner",
    "MinerData",
    "MinerIdentity",
    "Pool",
    "TokenAuth",
    "UnknownAPI",
    "VNishAPI",
    "WhatsminerV3API",
    "api_class",
    "detect_api",
    "identify_family",
]
