"""The table of simulator personalities: name -> class, like the client's ``FAMILIES``.

Modules are named after the client's family modules (``api/bmminer.py`` ↔
``personalities/bmminer.py``); a personality's ``name`` is the model it simulates and its
``family`` the client family that reads it. A test's own personality is not added here: pass
its class to ``MinerSimulator`` instead of a name.
"""

from __future__ import annotations

from simulator.personality import Personality

from .avalon import Avalon, AvalonMini3, AvalonNano3S, AvalonQ
from .axeos import (
    AxeOS,
    BitaxeGamma,
    BitaxeGT,
    BitaxeSupraHexTCH,
    BitaxeUltra,
    LuckyMiner,
    NerdQAxePlus,
)
from .bfgminer import Goldshell
from .bmminer import AntminerS9, AntminerS19
from .bosminer import BraiinsOS, BraiinsOSS9
from .braiins_os import BraiinsOSRest
from .btminer import WhatsminerM30S, WhatsminerM31S, WhatsminerM50S
from .cgminer import CGMinerPersonality
from .epic import EPicUMC
from .luxos import LuxOS
from .unknown import CGMinerForkPersonality
from .vnish import VNishS19
from .whatsminer_v3 import WhatsminerV3

PERSONALITIES: dict[str, type[Personality]] = {
    cls.name: cls
    for cls in (
        AntminerS19,
        AntminerS9,
        Avalon,
        AvalonMini3,
        AvalonNano3S,
        AvalonQ,
        BitaxeGT,
        BitaxeGamma,
        BitaxeSupraHexTCH,
        BitaxeUltra,
        BraiinsOS,
        BraiinsOSRest,
        BraiinsOSS9,
        CGMinerForkPersonality,
        EPicUMC,
        Goldshell,
        LuckyMiner,
        LuxOS,
        NerdQAxePlus,
        VNishS19,
        WhatsminerM30S,
        WhatsminerM31S,
        WhatsminerM50S,
        WhatsminerV3,
    )
}

__all__ = [
    "PERSONALITIES",
    "AntminerS9",
    "AntminerS19",
    "Avalon",
    "AvalonMini3",
    "AvalonNano3S",
    "AvalonQ",
    "AxeOS",
    "BitaxeGT",
    "BitaxeGamma",
    "BitaxeSupraHexTCH",
    "BitaxeUltra",
    "BraiinsOS",
    "BraiinsOSRest",
    "BraiinsOSS9",
    "CGMinerForkPersonality",
    "CGMinerPersonality",
    "EPicUMC",
    "Goldshell",
    "LuckyMiner",
    "LuxOS",
    "NerdQAxePlus",
    "Personality",
    "VNishS19",
    "WhatsminerM30S",
    "WhatsminerM31S",
    "WhatsminerM50S",
    "WhatsminerV3",
]
