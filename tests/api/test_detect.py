"""``detect_api`` against every simulator personality, and its failure modes."""

from __future__ import annotations

import asyncio
import socket
from typing import Any, ClassVar

import pytest

from custom_components.asic_miner.api import (
    APIAuthError,
    APIConnectionError,
    APIDecodeError,
    APIError,
    APIRefusalError,
    AvalonAPI,
    AxeOSAPI,
    BFGMinerAPI,
    BMMinerAPI,
    BOSMinerAPI,
    BTMinerAPI,
    CGMinerAPI,
    EPicAPI,
    HTTPClient,
    LuxOSAPI,
    Miner,
    UnknownAPI,
    VNishAPI,
    api_class,
    detect_api,
    identify_family,
)
from custom_components.asic_miner.api.detect import FAMILIES, HTTPProbe
from simulator import PERSONALITIES, Fault
from simulator.personalities.epic import EPicUMC

from .conftest import SimulatorFactory

#: The personalities a client family reads (the HTTP firmwares wait for their clients).
REAL_PERSONALITIES = sorted(n for n, cls in PERSONALITIES.items() if cls.family in FAMILIES)


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.parametrize("personality", REAL_PERSONALITIES)
async def test_every_personality(simulator: SimulatorFactory, personality: str) -> None:
    """Each firmware is found where it answers: the API port, or the web port alone (the API
    port closed); a REST firmware (VNish, Braiins OS with root's password) on its web port."""
    sim = await simulator(personality, password="pw", web_port=0)
    port = sim.port or closed_port()
    web_port = sim.web_port or closed_port()
    api = await detect_api("127.0.0.1", port, timeout=2.0, password="pw", web_port=web_port)
    assert type(api) is api_class(PERSONALITIES[personality].family)
    assert api.port == port
    assert api.password == "pw"
    assert api.web_port == web_port


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
    with pytest.raises(APIConnectionError, match="no miner API answered"):
        await detect_api("127.0.0.1", closed_port(), timeout=1.0, web_port=closed_port())


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


# --- the web port and HTTP on the API port ------------------------------------------------------

#: The AxeOS family's personalities (web port only).
AXEOS_PERSONALITIES = sorted(n for n, cls in PERSONALITIES.items() if cls.family == "axeos")


@pytest.mark.parametrize("personality", AXEOS_PERSONALITIES)
async def test_axeos_costs_one_request(simulator: SimulatorFactory, personality: str) -> None:
    """The API port closed: an ESP32 sees one request, ``GET /api/system/info``."""
    sim = await simulator(personality)
    api = await detect_api("127.0.0.1", closed_port(), timeout=2.0, web_port=sim.web_port)
    assert isinstance(api, AxeOSAPI)
    assert sim.received == ["GET /api/system/info"]


async def test_epic_http_on_the_api_port(simulator: SimulatorFactory) -> None:
    """The cgminer probes are answered in HTTP: the port is asked ``GET /summary`` once."""
    sim = await simulator("epic-s19jpro")
    api = await detect_api("127.0.0.1", sim.port, timeout=2.0, web_port=closed_port())
    assert isinstance(api, EPicAPI)
    assert api.port == sim.port
    assert sim.received == ["GET /summary"]


class NoStatusUMC(EPicUMC):
    """An HTTP API port whose summary is JSON but no ePIC's."""

    name: ClassVar[str] = "test-no-status"

    def summary(self) -> dict[str, Any]:
        return {"Software": "something else"}


@pytest.mark.parametrize("personality", ["garbage", "no-status"])
async def test_http_api_port_that_is_no_epic(simulator: SimulatorFactory, personality: str) -> None:
    sim = await simulator("epic-s19jpro" if personality == "garbage" else NoStatusUMC)
    if personality == "garbage":
        sim.set_fault(Fault.GARBAGE)
    with pytest.raises(APIConnectionError, match="no miner API answered"):
        await detect_api("127.0.0.1", sim.port, timeout=2.0, web_port=closed_port())


async def test_no_http_to_a_cgminer_port(simulator: SimulatorFactory) -> None:
    """A port that answered cgminer JSON is never sent HTTP; a web server that is no HTTP
    family's (the stock Antminer CGI: a digest 401) leaves the cgminer family."""
    sim = await simulator("antminer-s19", web_port=0, password="root")
    api = await detect_api("127.0.0.1", sim.port, timeout=2.0, web_port=sim.web_port)
    assert isinstance(api, BMMinerAPI)
    assert not [request for request in sim.requests if request.startswith(("GET", "POST"))]
    assert sim.web_challenges >= 1  # the AxeOS probe was answered by the CGI's challenge


async def test_http_api_port_of_no_known_firmware(simulator: SimulatorFactory) -> None:
    """An HTTP server on the API port that is no ePIC: nothing recognised."""
    sim = await simulator("bitaxe-gamma")
    with pytest.raises(APIConnectionError, match="no miner API answered"):
        await detect_api("127.0.0.1", sim.web_port, timeout=2.0, web_port=closed_port())
    assert sim.received == ["GET /summary"]  # 2.12's JSON 404 under /api/ only; here a 302


async def test_axeos_gate(simulator: SimulatorFactory) -> None:
    """An AxeOS device refusing this address says so (not "no miner")."""
    sim = await simulator("bitaxe-gamma")
    sim.set_fault(Fault.HTTP_401)
    with pytest.raises(APIRefusalError, match="private networks"):
        await detect_api("127.0.0.1", closed_port(), timeout=2.0, web_port=sim.web_port)


@pytest.mark.parametrize("fault", [Fault.GARBAGE, Fault.HTTP_500, Fault.OVERSIZED])
async def test_web_port_of_no_known_firmware(simulator: SimulatorFactory, fault: Fault) -> None:
    sim = await simulator("bitaxe-gamma")
    sim.set_fault(fault)
    with pytest.raises(APIConnectionError, match="no miner API answered"):
        await detect_api("127.0.0.1", closed_port(), timeout=2.0, web_port=sim.web_port)


#: JSON nested deeper than any parser recurses, well within the size bounds.
DEEP = b"[" * 200_000


async def test_deep_nesting_is_no_miner(simulator: SimulatorFactory) -> None:
    """A web port and an API port answering nesting past the parser's recursion: detection
    finds no miner (a decode error inside each probe), never a ``RecursionError``."""
    web = await simulator("bitaxe-gamma")
    web.set_fault(Fault.GARBAGE, body=DEEP)
    api = await simulator("antminer-s19")
    api.set_fault(Fault.GARBAGE, body=DEEP + b"\x00")
    with pytest.raises(APIConnectionError, match="no miner API answered"):
        await detect_api("127.0.0.1", api.port, timeout=2.0, web_port=web.web_port)
    axeos = AxeOSAPI("127.0.0.1", web_port=web.web_port)
    with pytest.raises(APIDecodeError, match="nested too deeply"):
        await axeos.get_data()


async def test_silent_web_port_is_bounded(simulator: SimulatorFactory) -> None:
    sim = await simulator("bitaxe-gamma")
    sim.set_fault(Fault.SILENT)
    loop = asyncio.get_running_loop()
    start = loop.time()
    with pytest.raises(APIConnectionError, match="no answer within"):
        await detect_api("127.0.0.1", closed_port(), timeout=0.5, web_port=sim.web_port)
    assert loop.time() - start < 3


def _probe(result: type[Miner] | APIError | None, asked: list[str]) -> HTTPProbe:
    async def probe(http: HTTPClient, password: str | None) -> type[Miner] | None:
        asked.append(f"{password}@{http.port}")
        if isinstance(result, APIError):
            raise result
        return result

    return probe


async def test_web_probes_in_order(
    simulator: SimulatorFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each probe in turn until one knows its firmware, which wins over the cgminer family;
    a wrong password a probe is sure of is raised; a dead port stops the probes."""
    sim = await simulator("antminer-s19")
    asked: list[str] = []
    web = closed_port()
    monkeypatch.setattr(
        "custom_components.asic_miner.api.detect.WEB_PROBES",
        (_probe(None, asked), _probe(APIRefusalError("no"), asked), _probe(EPicAPI, asked)),
    )
    api = await detect_api("127.0.0.1", sim.port, timeout=2.0, password="pw", web_port=web)
    assert isinstance(api, EPicAPI)
    assert asked == [f"pw@{web}"] * 3
    monkeypatch.setattr(
        "custom_components.asic_miner.api.detect.WEB_PROBES",
        (_probe(APIAuthError("wrong"), asked),),
    )
    with pytest.raises(APIAuthError):
        await detect_api("127.0.0.1", sim.port, timeout=2.0, web_port=web)
    asked.clear()
    monkeypatch.setattr(
        "custom_components.asic_miner.api.detect.WEB_PROBES",
        (_probe(APIConnectionError("down"), asked), _probe(EPicAPI, asked)),
    )
    assert isinstance(await detect_api("127.0.0.1", sim.port, timeout=2.0), BMMinerAPI)
    assert len(asked) == 1
