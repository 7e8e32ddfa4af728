"""The "scan my network" step: which addresses it may touch, and finding a simulated miner.

Every scan here is confined to 127.0.0.1: Home Assistant's adapter list is replaced by a single
loopback adapter (and pytest-socket refuses any other address besides).
"""

from collections.abc import Generator
import ipaddress
import time
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.asic_miner.const import (
    CONF_ADVANCED,
    CONF_FAMILY,
    CONF_MINER,
    CONF_WEB_PORT,
    DOMAIN,
)
from custom_components.asic_miner.scan import async_get_scan_networks, async_scan, scan_hosts
from simulator import Fault, MinerSimulator

from .conftest import entry_data


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
            ipaddress.IPv4Network("192.0.2.0/24"),
            ipaddress.IPv4Network("192.0.2.0/30"),
            ipaddress.IPv4Network("127.0.0.1/32"),
        ]
    )
    assert len(hosts) == 254 + 1
    assert hosts[0] == "192.0.2.1"
    assert "192.0.2.0" not in hosts
    assert "192.0.2.255" not in hosts
    assert hosts[-1] == "127.0.0.1"


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


@pytest.mark.usefixtures("loopback_only")
async def test_flow_scan_pick_and_add(hass: HomeAssistant, sim: MinerSimulator) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "scan"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "scan"
    assert result["description_placeholders"] == {"networks": "127.0.0.1/32"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PORT: sim.port}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pick"
    key = f"127.0.0.1:{sim.port}"
    options = result["data_schema"].schema[CONF_MINER].config["options"]
    assert options == [{"value": key, "label": f"Antminer S19 ({key})"}]

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_MINER: key, CONF_PASSWORD: "wrong", CONF_ADVANCED: {CONF_WEB_PORT: sim.web_port}},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_MINER: key, CONF_PASSWORD: "root", CONF_ADVANCED: {CONF_WEB_PORT: sim.web_port}},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_HOST] == "127.0.0.1"
    assert result["data"][CONF_PORT] == sim.port
    assert result["data"][CONF_FAMILY] == "bmminer"
    assert result["data"][CONF_WEB_PORT] == sim.web_port
    assert result["result"].unique_id == "02:3a:19:00:00:19"


@pytest.mark.usefixtures("loopback_only")
async def test_flow_scan_finds_nothing_new(hass: HomeAssistant, sim: MinerSimulator) -> None:
    """Configured miners are not offered again; with nothing else the form says so."""
    MockConfigEntry(
        domain=DOMAIN,
        unique_id=f"host:127.0.0.1:{sim.port}",
        data=entry_data(sim, None),
    ).add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "scan"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PORT: sim.port}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "scan"
    assert result["errors"] == {"base": "no_miners_found"}
