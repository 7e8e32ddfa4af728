"""The "scan my network" step: which addresses it may touch, and finding a simulated miner.

Every scan here is confined to 127.0.0.1: Home Assistant's adapter list is replaced by a single
loopback adapter (and pytest-socket refuses any other address besides).
"""

import asyncio
from collections.abc import Generator
import ipaddress
import time
from typing import Any
from unittest.mock import patch

from aiohttp import web
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import pytest_socket

from custom_components.asic_miner import scan as scan_module
from custom_components.asic_miner.api import Miner, MinerIdentity
from custom_components.asic_miner.const import (
    CONF_FAMILY,
    CONF_MINER,
    CONF_NETWORKS,
    CONF_WEB_PORT,
    DOMAIN,
)
from custom_components.asic_miner.scan import (
    MAX_RANGE_HOSTS,
    MAX_SCAN_HOSTS,
    ScanRange,
    ScanRangeError,
    async_get_scan_networks,
    async_scan,
    parse_scan_ranges,
    scan_hosts,
)
from simulator import Fault, MinerSimulator

from .conftest import entry_data
from .faults import tasks_running
from .flow_helpers import closed_port, suggested, translated


def _adapter(address: str, prefix: int, *, enabled: bool = True) -> dict:
    return {
        "name": "eth0",
        "index": 1,
        "enabled": enabled,
        "auto": True,
        "default": True,
        "ipv4": [{"address": address, "network_prefix": prefix}],
        "ipv6": [],
    }


@pytest.fixture
def loopback_only() -> Generator[None]:
    """Home Assistant sees one adapter: 127.0.0.1/32."""
    with patch(
        "custom_components.asic_miner.scan.network.async_get_adapters",
        return_value=[_adapter("127.0.0.1", 32)],
    ):
        yield


async def test_networks_are_the_enabled_adapters_narrowed_to_a_24(hass: HomeAssistant) -> None:
    """A /16 becomes the /24 around the address; disabled adapters and repeats are skipped."""
    adapters = [
        _adapter("10.1.2.3", 16),
        _adapter("10.1.2.4", 24),
        _adapter("192.168.7.9", 28),
        _adapter("172.16.0.1", 24, enabled=False),
    ]
    with patch(
        "custom_components.asic_miner.scan.network.async_get_adapters", return_value=adapters
    ):
        networks = await async_get_scan_networks(hass)
    assert networks == [
        ipaddress.IPv4Network("10.1.2.0/24"),
        ipaddress.IPv4Network("192.168.7.0/28"),
    ]


def test_scan_hosts() -> None:
    """Host addresses only (no network or broadcast address), each once; a /32 is its address."""
    hosts = scan_hosts(
        [
            ScanRange.of_network(ipaddress.IPv4Network("192.0.2.0/24")),
            ScanRange.of_network(ipaddress.IPv4Network("192.0.2.0/30")),
            ScanRange.of_network(ipaddress.IPv4Network("127.0.0.1/32")),
        ]
    )
    assert len(hosts) == 254 + 1
    assert hosts[0] == "192.0.2.1"
    assert "192.0.2.0" not in hosts
    assert "192.0.2.255" not in hosts
    assert hosts[-1] == "127.0.0.1"


@pytest.mark.parametrize(
    ("text", "expected", "count", "first", "last"),
    [
        ("192.168.10.0/24", ["192.168.10.0/24"], 254, "192.168.10.1", "192.168.10.254"),
        ("192.168.10.77/24", ["192.168.10.0/24"], 254, "192.168.10.1", "192.168.10.254"),
        ("10.0.0.10-10.0.0.50", ["10.0.0.10-10.0.0.50"], 41, "10.0.0.10", "10.0.0.50"),
        ("10.0.0.10-50", ["10.0.0.10-50"], 41, "10.0.0.10", "10.0.0.50"),
        ("127.0.0.1", ["127.0.0.1"], 1, "127.0.0.1", "127.0.0.1"),
        ("10.0.0.0/31", ["10.0.0.0/31"], 2, "10.0.0.0", "10.0.0.1"),
        ("10.0.0.255-10.0.1.4", ["10.0.0.255-10.0.1.4"], 6, "10.0.0.255", "10.0.1.4"),
        (
            " 10.0.0.1, 10.0.0.0/30;10.0.0.9\n10.0.0.1 ",
            ["10.0.0.1", "10.0.0.0/30", "10.0.0.9", "10.0.0.1"],
            3,
            "10.0.0.1",
            "10.0.0.9",
        ),
        (
            "10.0.0.0/24, 10.0.1.0/24, 10.0.2.0/24, 10.0.3.0/24",
            ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"],
            4 * 254,
            "10.0.0.1",
            "10.0.3.254",
        ),
    ],
)
def test_parse_scan_ranges(
    text: str, expected: list[str], count: int, first: str, last: str
) -> None:
    """Networks, ranges (also with only the last part of the end) and addresses, in the order
    given, each address scanned once."""
    ranges = parse_scan_ranges(text)
    assert [scan_range.text for scan_range in ranges] == expected
    hosts = scan_hosts(ranges)
    assert len(hosts) == count
    assert (hosts[0], hosts[-1]) == (first, last) or (min(hosts), max(hosts)) == (first, last)


@pytest.mark.parametrize(
    ("text", "key", "entry"),
    [
        ("", "scan_empty", ""),
        (" , ", "scan_empty", ""),
        ("10.0.0.0/23", "scan_range_too_large", "10.0.0.0/23"),
        ("10.0.0.0/8", "scan_range_too_large", "10.0.0.0/8"),
        ("10.0.0.1-10.0.1.1", "scan_range_too_large", "10.0.0.1-10.0.1.1"),
        ("10.0.0.50-10.0.0.10", "scan_invalid", "10.0.0.50-10.0.0.10"),
        ("10.0.0.1-", "scan_invalid", "10.0.0.1-"),
        ("10.0.0.1-300", "scan_invalid", "10.0.0.1-300"),
        ("fe80::1", "scan_invalid", "fe80::1"),
        ("fe80::/120", "scan_invalid", "fe80::/120"),
        ("miner.lan", "scan_invalid", "miner.lan"),
        ("10.0.0.0/33", "scan_invalid", "10.0.0.0/33"),
        ("224.0.0.1", "scan_invalid", "224.0.0.1"),
        ("0.0.0.0/24", "scan_invalid", "0.0.0.0/24"),
        ("240.0.0.0/24", "scan_invalid", "240.0.0.0/24"),
        ("127.0.0.1, miner.lan", "scan_invalid", "miner.lan"),
        (
            "10.0.0.0/24 10.0.1.0/24 10.0.2.0/24 10.0.3.0/24 10.0.4.0/28",
            "scan_too_many",
            "10.0.0.0/24 10.0.1.0/24 10.0.2.0/24 10.0.3.0/24 10.0.4.0/28",
        ),
    ],
)
def test_parse_scan_ranges_refuses(text: str, key: str, entry: str) -> None:
    """Anything but IPv4 networks, ranges and addresses, or more than a /24 per entry, or more
    than four /24s in all, is refused before any address is asked."""
    with pytest.raises(ScanRangeError) as err:
        parse_scan_ranges(text)
    assert (err.value.key, err.value.entry) == (key, entry)
    assert MAX_RANGE_HOSTS == 256
    assert MAX_SCAN_HOSTS == 4 * 256


async def test_scan_finds_the_miner(sim: MinerSimulator) -> None:
    found = await async_scan(["127.0.0.1"], sim.port)
    assert [(miner.host, miner.port, miner.family) for miner in found] == [
        ("127.0.0.1", sim.port, "bmminer")
    ]
    assert found[0].identity.model == "S19"


async def test_scan_skips_closed_ports_and_non_miners(sim: MinerSimulator) -> None:
    """A closed port costs one refused connection; a garbage-speaking service is no miner."""
    sim.set_fault(Fault.REFUSE)
    assert await async_scan(["127.0.0.1"], sim.port) == []
    sim.set_fault(Fault.GARBAGE)
    assert await async_scan(["127.0.0.1"], sim.port, detect_timeout=1.0) == []


async def test_scan_stops_at_its_deadline(sim: MinerSimulator) -> None:
    """A host that accepts and never answers cannot hold the scan past its deadline."""
    sim.set_fault(Fault.SILENT)
    started = time.monotonic()
    assert await async_scan(["127.0.0.1"], sim.port, detect_timeout=30, deadline=0.5) == []
    assert time.monotonic() - started < 10


async def _scan_form(hass: HomeAssistant) -> FlowResult:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "scan"}
    )


async def _scan(hass: HomeAssistant, flow_id: str, user_input: dict[str, Any]) -> FlowResult:
    """Submit the scan form and, while it shows its progress, wait for the scan: the step
    that follows (the pick list, or the form again)."""
    result = await hass.config_entries.flow.async_configure(flow_id, user_input)
    if result["type"] is FlowResultType.SHOW_PROGRESS:
        assert result["progress_action"] == "scanning"
        await hass.async_block_till_done(wait_background_tasks=True)
        result = await hass.config_entries.flow.async_configure(flow_id)
    return result


@pytest.mark.usefixtures("loopback_only")
async def test_flow_scan_pick_and_add(hass: HomeAssistant, sim: MinerSimulator) -> None:
    """Home Assistant's own networks are offered; the pick list shows model, firmware and
    address; the miner picked is asked its password like one added by address, and is added
    under its model and address."""
    result = await _scan_form(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "scan"
    assert result["description_placeholders"]["networks"] == "127.0.0.1/32"
    assert suggested(result, CONF_NETWORKS) is None
    networks = next(key for key in result["data_schema"].schema if key == CONF_NETWORKS)
    assert networks.default() == "127.0.0.1/32"

    result = await _scan(
        hass,
        result["flow_id"],
        {CONF_NETWORKS: "127.0.0.1/32", CONF_PORT: sim.port, CONF_WEB_PORT: sim.web_port},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pick"
    key = f"127.0.0.1:{sim.port}"
    options = result["data_schema"].schema[CONF_MINER].config["options"]
    # The firmware build from the web interface, read with the factory password (the scan
    # reaches the web port it is given), not the API's CompileTime.
    assert options == [
        {
            "value": key,
            "label": f"Antminer S19 — Antminer stock firmware Antminer-S19-20210325 — {key}",
        }
    ]
    assert {str(field) for field in result["data_schema"].schema} == {CONF_MINER}

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_MINER: key})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "web_password"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    assert suggested(result, CONF_PASSWORD) is None  # the typed password is not sent back

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "root"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Antminer S19 (127.0.0.1)"
    assert result["data"][CONF_HOST] == "127.0.0.1"
    assert result["data"][CONF_PORT] == sim.port
    assert result["data"][CONF_FAMILY] == "bmminer"
    assert result["data"][CONF_WEB_PORT] == sim.web_port
    assert result["result"].unique_id == "02:3a:19:00:00:19"


@pytest.mark.usefixtures("loopback_only")
@pytest.mark.parametrize(("personality", "sim_password"), [("bitaxe-gt", None)])
async def test_flow_scan_finds_a_miner_with_only_a_web_interface(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """A Bitaxe has nothing on the API port: the scan finds it on the web port, listed at
    that port, and it is added with nothing more to ask."""
    closed = closed_port()
    result = await _scan_form(hass)
    result = await _scan(
        hass,
        result["flow_id"],
        {CONF_NETWORKS: "127.0.0.1", CONF_PORT: closed, CONF_WEB_PORT: sim.web_port},
    )
    assert result["step_id"] == "pick"
    key = f"127.0.0.1:{sim.web_port}"
    options = result["data_schema"].schema[CONF_MINER].config["options"]
    assert options == [
        {
            "value": key,
            "label": f"Bitaxe GammaTurbo — bitaxe-f00d — AxeOS firmware v2.15.0 — {key}",
        }
    ]
    # Detection is one request; the identity the list shows is read after it, one at a time.
    assert sim.received[0] == "GET /api/system/info"
    assert set(sim.received) == {"GET /api/system/info", "GET /api/system/asic"}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_MINER: key})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Bitaxe GammaTurbo (bitaxe-f00d)"
    assert result["data"] == {
        CONF_HOST: "127.0.0.1",
        CONF_PORT: closed,
        CONF_WEB_PORT: sim.web_port,
        CONF_FAMILY: "axeos",
    }
    assert result["result"].unique_id == "02:ae:00:02:15:00"
    assert await hass.config_entries.async_unload(result["result"].entry_id)


async def test_scan_asks_a_web_port_that_accepts(socket_enabled: None) -> None:
    """A host whose API port refuses but whose web port accepts (a printer, a router) is
    asked there, gently: the AxeOS probe first, one request at a time, and it is no miner. A
    host refusing both is asked nothing."""
    paths: list[str] = []
    in_flight = 0

    async def not_found(request: web.Request) -> web.Response:
        nonlocal in_flight
        in_flight += 1
        assert in_flight == 1, "two requests at once"
        paths.append(request.path)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return web.Response(status=404, text="<html>router</html>")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", not_found)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    web_port = runner.addresses[0][1]
    closed = closed_port()
    try:
        assert await async_scan(["127.0.0.1"], closed, closed) == []
        assert paths == []
        assert await async_scan(["127.0.0.1"], closed, web_port, detect_timeout=2.0) == []
    finally:
        await runner.cleanup()
    assert paths[0] == "/api/system/info"
    assert 1 <= len(paths) <= 3  # one probe per web firmware at most


@pytest.mark.usefixtures("loopback_only")
@pytest.mark.parametrize(("personality", "sim_password"), [("luxos", None)])
async def test_flow_scan_pick_list_shows_own_hostname(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """A miner's own host name is in the pick list (a LuxOS miner reports it without a
    password); a factory host name is not."""
    sim.state.hostname = "rack3-07"
    result = await _scan_form(hass)
    result = await _scan(hass, result["flow_id"], {CONF_NETWORKS: "127.0.0.1", CONF_PORT: sim.port})
    options = result["data_schema"].schema[CONF_MINER].config["options"]
    firmware = "LuxOS firmware 2024.5.1.155025"
    assert [option["label"] for option in options] == [
        f"Antminer S19j Pro — rack3-07 — {firmware} — 127.0.0.1:{sim.port}"
    ]


@pytest.mark.usefixtures("loopback_only")
@pytest.mark.parametrize("keyed_by", ["address", "mac"])
async def test_flow_scan_finds_nothing_new(
    hass: HomeAssistant, sim: MinerSimulator, keyed_by: str
) -> None:
    """Configured miners are not offered again, whether keyed by address or by the MAC that
    only their password shows; with nothing else the form says so, naming what was scanned,
    and keeps what was typed."""
    MockConfigEntry(
        domain=DOMAIN,
        unique_id=f"host:127.0.0.1:{sim.port}" if keyed_by == "address" else "02:3a:19:00:00:19",
        data=entry_data(sim, None if keyed_by == "address" else "root"),
    ).add_to_hass(hass)
    result = await _scan_form(hass)
    result = await _scan(hass, result["flow_id"], {CONF_NETWORKS: "127.0.0.1", CONF_PORT: sim.port})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "scan"
    assert result["errors"] == {"base": "no_miners_found"}
    assert (await translated(hass, result))["base"].startswith(
        "No new miner answered on 127.0.0.1. "
    )
    assert suggested(result, CONF_NETWORKS) == "127.0.0.1"


@pytest.mark.usefixtures("loopback_only")
@pytest.mark.parametrize(
    ("typed", "key", "text"),
    [
        ("192.168.0.0/16", "scan_range_too_large", "192.168.0.0/16 has more than 256 addresses"),
        ("miner.lan", "scan_invalid", "miner.lan is not an IPv4 network, range or address"),
        ("", "scan_empty", "Enter at least one network, range or address."),
    ],
)
async def test_flow_scan_refuses_what_it_may_not_scan(
    hass: HomeAssistant, sim: MinerSimulator, typed: str, key: str, text: str
) -> None:
    """A network too large or not an address is a field error naming it; nothing is asked."""
    sim.received.clear()
    result = await _scan_form(hass)
    result = await _scan(hass, result["flow_id"], {CONF_NETWORKS: typed, CONF_PORT: sim.port})
    assert result["errors"] == {CONF_NETWORKS: key}
    assert (await translated(hass, result))[CONF_NETWORKS].startswith(text)
    assert sim.received == []


async def test_flow_scan_without_own_networks(hass: HomeAssistant) -> None:
    """Without an IPv4 adapter nothing is filled in; the user types what to scan."""
    with patch("custom_components.asic_miner.scan.network.async_get_adapters", return_value=[]):
        result = await _scan_form(hass)
    assert result["description_placeholders"]["networks"] == "-"


@pytest.fixture
def second_loopback_address() -> str:
    """127.0.0.2 (loopback too) reachable besides 127.0.0.1, for a scan over two hosts."""
    pytest_socket.socket_allow_hosts(["127.0.0.1", "127.0.0.2"])
    return "127.0.0.2"


@pytest.mark.usefixtures("loopback_only")
async def test_flow_scan_survives_one_host_the_client_cannot_handle(
    hass: HomeAssistant,
    sim: MinerSimulator,
    second_loopback_address: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A host whose reply makes the client fail unexpectedly (a bug, not a refusal) is
    logged and skipped: the miners the other probes found are still offered, and no probe is
    left running."""
    real_detect = scan_module.detect_api

    async def detect(host: str, *args: Any, **kwargs: Any) -> Miner:
        api = await real_detect(host, *args, **kwargs)
        if host == second_loopback_address:

            async def broken() -> MinerIdentity:
                raise RuntimeError("a reply the client did not expect")

            api.get_identity = broken  # type: ignore[method-assign]
        return api

    async with MinerSimulator(
        "antminer-s9",
        host=second_loopback_address,
        port=sim.port,
        password="root",
        web_port=0,
        seed=1,
    ):
        with patch.object(scan_module, "detect_api", detect):
            result = await _scan_form(hass)
            result = await _scan(
                hass, result["flow_id"], {CONF_NETWORKS: "127.0.0.1-2", CONF_PORT: sim.port}
            )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pick"
    options = result["data_schema"].schema[CONF_MINER].config["options"]
    assert [option["value"] for option in options] == [f"127.0.0.1:{sim.port}"]
    assert "Unexpected error while asking 127.0.0.2 for its firmware" in caplog.text
    assert "a reply the client did not expect" in caplog.text
    assert not tasks_running(scan_module.__file__)


@pytest.mark.usefixtures("loopback_only")
async def test_flow_scan_uses_the_shared_http_session(
    hass: HomeAssistant, socket_enabled: None
) -> None:
    """The probes of a web port go through Home Assistant's shared HTTP session (its
    User-Agent), not one private session per probe."""
    agents: list[str] = []

    async def not_found(request: web.Request) -> web.Response:
        agents.append(request.headers.get("User-Agent", ""))
        return web.Response(status=404, text="<html>router</html>")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", not_found)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        result = await _scan_form(hass)
        result = await _scan(
            hass,
            result["flow_id"],
            {
                CONF_NETWORKS: "127.0.0.1",
                CONF_PORT: closed_port(),
                CONF_WEB_PORT: runner.addresses[0][1],
            },
        )
    finally:
        await runner.cleanup()
    assert result["errors"] == {"base": "no_miners_found"}
    assert agents
    assert all(agent.startswith("HomeAssistant/") for agent in agents), agents


@pytest.mark.usefixtures("loopback_only")
async def test_flow_scan_shows_its_progress(hass: HomeAssistant, sim: MinerSimulator) -> None:
    """While the scan runs (up to 30 s), the form says what it is doing instead of hanging;
    leaving the flow meanwhile stops the scan."""
    result = await _scan_form(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NETWORKS: "127.0.0.1", CONF_PORT: sim.port}
    )
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    assert result["step_id"] == "scan"
    texts = await async_get_translations(hass, "en", "config", [DOMAIN])
    text = texts[f"component.{DOMAIN}.config.progress.{result['progress_action']}"]
    assert text.format(**result["description_placeholders"]) == (
        "Asking every address of 127.0.0.1 whether a miner answers; this takes at most 30 seconds."
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    assert result["step_id"] == "pick"

    result = await _scan_form(hass)
    sim.set_fault(Fault.SILENT)  # a host that accepts and never answers: the scan waits
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NETWORKS: "127.0.0.1", CONF_PORT: sim.port}
    )
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    hass.config_entries.flow.async_abort(result["flow_id"])
    async with asyncio.timeout(5):
        while tasks_running(scan_module.__file__):
            await asyncio.sleep(0.01)
