"""``detect_api`` against every simulator personality, and its failure modes."""

from __future__ import annotations

import asyncio
import socket

import pytest

from custom_components.asic_miner.api import (
    APIConnectionError,
    APIError,
    AvalonAPI,
    BFGMinerAPI,
    BMMinerAPI,
    BOSMinerAPI,
    BTMinerAPI,
    CGMinerAPI,
    LuxOSAPI,
    UnknownAPI,
    VNishAPI,
    api_class,
    detect_api,
    identify_family,
)
from custom_components.asic_miner.api.detect import FAMILIES
from simulator import PERSONALITIES, Fault

from .conftest import SimulatorFactory

#: The personalities a client family reads (the HTTP firmwares wait for their clients).
REAL_PERSONALITIES = sorted(n for n, cls in PERSONALITIES.items() if cls.family in FAMILIES)


@pytest.mark.parametrize("personality", REAL_PERSONALITIES)
async def test_every_personality(simulator: SimulatorFactory, personality: str) -> None:
    sim = await simulator(personality)
    api = await detect_api("127.0.0.1", sim.port, timeout=2.0, password="pw", web_port=8080)
    assert type(api) is api_class(PERSONALITIES[personality].family)
    assert api.port == sim.port
    assert api.password == "pw"
    assert api.web_port == 8080


@pytest.mark.parametrize(
    ("personality", "cls"),
    [
        ("antminer-s19", BMMinerAPI),
        ("antminer-s9", BMMinerAPI),
        ("avalon", AvalonAPI),
        ("goldshell", BFGMinerAPI),
        ("cgminer-fork", UnknownAPI),
        ("whatsminer-m30s", BTMinerAPI),
        ("braiins-os", BOSMinerAPI),
        ("luxos", LuxOSAPI),
    ],
)
async def test_known_classes(simulator: SimulatorFactory, personality: str, cls: type) -> None:
    sim = await simulator(personality)
    assert type(await detect_api("127.0.0.1", sim.port, timeout=2.0)) is cls


async def test_nothing_listening() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(APIConnectionError, match="no miner API answered"):
        await detect_api("127.0.0.1", port, timeout=1.0)


@pytest.mark.parametrize("fault", [Fault.SILENT, Fault.TRICKLE])
async def test_bounded_when_miner_hangs(simulator: SimulatorFactory, fault: Fault) -> None:
    sim = await simulator("antminer-s19")
    sim.set_fault(fault, interval=0.2)
    loop = asyncio.get_running_loop()
    start = loop.time()
    with pytest.raises(APIError):
        await detect_api("127.0.0.1", sim.port, timeout=0.5)
    assert loop.time() - start < 3  # bound honoured (generous margin, not a benchmark)


async def test_garbage_is_nothing(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19")
    sim.set_fault(Fault.GARBAGE)
    with pytest.raises(APIConnectionError, match="no miner API answered"):
        await detect_api("127.0.0.1", sim.port, timeout=1.0)


def _version(description: str = "", **fields: str) -> dict[str, object]:
    return {
        "version": {"STATUS": [{"STATUS": "S", "Description": description}], "VERSION": [fields]}
    }


@pytest.mark.parametrize(
    ("replies", "family"),
    [
        (_version(BMMiner="1.0.0", Type="Antminer S19"), "bmminer"),
        (_version(BMMiner="2.0.0"), "bmminer"),  # no Type: the key says it
        # stock firmware of 2022+: "cgminer 1.0.0", a CGMiner key (foreman's L3+, S9k…)
        (_version("cgminer 1.0.0", CGMiner="1.0.0", Type="Antminer S19 Pro"), "bmminer"),
        (_version("cgminer 4.9.0", CGMiner="4.9.0", Type="Antminer L3+"), "bmminer"),
        (_version("cminer 1.0.0", BMMiner="1.0.0", Type="Antminer S23 Hyd."), "bmminer"),
        (_version("bmminer 1.0.0", BMMiner="2.0.0", Type="Antminer S9\nV1.3.58"), "bmminer"),
        (_version("cgminer 4.11.1", CGMiner="4.11.1", Type="Antminer S9 (vnish 3.8.6)"), "vnish"),
        (_version("VNish 1.2.6", BMMiner="1.0.0", Type="Antminer S19"), "vnish"),
        (_version(CGMiner="4.9.0", Type="Antminer S9 Hiveon"), "unknown"),
        (_version(CGMiner="1.0.0", Type="Antminer S19 (hiveon 1.2)"), "unknown"),
        (_version("ccminer 2.3.3", CGMiner="2.3.3", Type="Hammer D10"), "cgminer"),
        (_version(CGMiner="2.3.3", Type="Blackminer F1"), "cgminer"),
        (_version(LUXminer="2024.1.1", Type="Antminer S19"), "luxos"),
        (_version(BOSminer="0.2.0", API="3.7"), "bosminer"),
        (
            {"version": {"STATUS": [{"STATUS": "S", "Description": "BOSer boser-buildroot"}]}},
            "bosminer",
        ),
        (_version(BFGMiner="5.5.0"), "bfgminer"),
        (_version(CGMiner="4.11.1", PROD="AvalonMiner 1246"), "avalon"),
        (_version(CGMiner="4.11.1", HWTYPE="MM3v2_X3"), "avalon"),
        (_version(CGMiner="4.11.1"), "cgminer"),
        (_version(SGMiner="5.6.1"), "unknown"),
        (_version(BTMiner="2.0.4"), "btminer"),
        (
            {"devdetails": {"DEVDETAILS": [{"Driver": "bitmicro", "Model": "M30S+V40"}]}},
            "btminer",
        ),
        (
            {"get_version": {"STATUS": "S", "Msg": {"api_ver": "2.0.4", "fw_ver": "20220913"}}},
            "btminer",
        ),
        ({"get_version": {"STATUS": "E", "Msg": "invalid cmd"}}, "unknown"),
        ({}, "unknown"),
    ],
)
def test_identify_family(replies: dict[str, dict[str, object]], family: str) -> None:
    assert identify_family(replies) == family  # type: ignore[arg-type]


def test_api_class() -> None:
    assert api_class("bmminer") is BMMinerAPI
    assert api_class("cgminer") is CGMinerAPI
    assert api_class("avalon") is AvalonAPI
    assert api_class("bfgminer") is BFGMinerAPI
    assert api_class("btminer") is BTMinerAPI
    assert api_class("bosminer") is BOSMinerAPI
    assert api_class("luxos") is LuxOSAPI
    assert api_class("unknown") is UnknownAPI
    assert api_class("vnish") is VNishAPI
    assert api_class("no-such-family") is UnknownAPI
