"""DHCP discovery: a miner that asks for an address is proposed, or followed to it.

The harness's ``DhcpServiceInfo`` (MAC in lower case without colons, as Home Assistant's DHCP
watcher builds it) starts each flow, for simulated miners on 127.0.0.1; the flow's probe ports
(the factory 4028 and 80) are pointed at the simulator's ephemeral ones.
"""

import json
from pathlib import Path
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_DHCP, ConfigEntryState, ConfigFlowResult
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.asic_miner import config_flow as config_flow_module
from custom_components.asic_miner.const import CONF_FAMILY, CONF_WEB_PORT, DOMAIN
from custom_components.asic_miner.miner import GENERATED_PREFIX
from simulator import Fault, MinerSimulator

from .conftest import entry_data
from .flow_helpers import abort_text, closed_port

ROOT = Path(__file__).parent.parent
GT_MAC = "02:ae:00:02:15:00"


def dhcp(mac: str, hostname: str = "bitaxe", ip: str = "127.0.0.1") -> DhcpServiceInfo:
    """What Home Assistant's DHCP watcher hands the flow: the MAC in lower case, no colons."""
    return DhcpServiceInfo(ip=ip, hostname=hostname, macaddress=mac.replace(":", "").lower())


@pytest.fixture(autouse=True)
def probe_the_simulator(sim: MinerSimulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """The discovered address is asked on the simulator's ports; no waiting between tries."""
    monkeypatch.setattr(config_flow_module, "DHCP_PORT", sim.port or closed_port())
    monkeypatch.setattr(config_flow_module, "DHCP_WEB_PORT", sim.web_port or 80)
    monkeypatch.setattr(config_flow_module, "DHCP_RETRY_SECONDS", 0.0)


async def _discover(hass: HomeAssistant, info: DhcpServiceInfo) -> ConfigFlowResult:
    return await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=info
    )


def test_manifest_matchers_claim_only_miners() -> None:
    """Host names miners ship with, and the MACs of our own devices; never an Espressif OUI
    or the ESP-IDF default host name, which every unnamed ESP32 gadget sends."""
    manifest = json.loads(
        (ROOT / "custom_components" / DOMAIN / "manifest.json").read_text(encoding="utf-8")
    )
    matchers = manifest["dhcp"]
    assert {"hostname": "bitaxe*"} in matchers
    assert {"registered_devices": True} in matchers
    for matcher in matchers:
        assert "macaddress" not in matcher
        hostname = matcher.get("hostname", "x")
        # Home Assistant lower-cases host names and indexes patterns by their first letter.
        assert hostname == hostname.lower()
        assert hostname[0].isalpha()
        assert not hostname.startswith("esp")


@pytest.mark.parametrize(("personality", "sim_password"), [("bitaxe-gt", None)])
async def test_new_bitaxe_is_proposed_and_added(hass: HomeAssistant, sim: MinerSimulator) -> None:
    """A Bitaxe is proposed with its name, model and address, added once confirmed, keyed by
    its MAC (which its firmware reports too)."""
    result = await _discover(hass, dhcp(GT_MAC, "bitaxe-f00d"))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "discovery_confirm"
    placeholders = result["description_placeholders"]
    assert placeholders["name"] == "Bitaxe GammaTurbo (bitaxe-f00d)"
    assert placeholders["host"] == f"127.0.0.1:{sim.web_port}"
    texts = await async_get_translations(hass, "en", "config", [DOMAIN])
    assert texts[f"component.{DOMAIN}.config.step.discovery_confirm.description"].format(
        **placeholders
    ) == (
        f"Home Assistant found Bitaxe GammaTurbo (firmware v2.15.0) at 127.0.0.1:{sim.web_port}."
        " Add it?"
    )
    flows = hass.config_entries.flow.async_progress()
    assert flows[0]["context"]["title_placeholders"] == {"name": "Bitaxe GammaTurbo (bitaxe-f00d)"}
    assert hass.config_entries.async_entries(DOMAIN) == []

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == GT_MAC
    assert result["data"][CONF_FAMILY] == "axeos"
    assert result["data"][CONF_WEB_PORT] == sim.web_port
    assert CONF_PASSWORD not in result["data"]
    assert result["result"].state is ConfigEntryState.LOADED
    assert await hass.config_entries.async_unload(result["result"].entry_id)


@pytest.mark.parametrize(("personality", "sim_password"), [("bitaxe-ultra", None)])
async def test_mac_from_dhcp_keys_a_miner_whose_firmware_reports_none(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """AxeOS 2.1 reports no MAC: the one DHCP saw keys the entry, and its device gets it as
    its network connection, by which Home Assistant follows it to its next address."""
    result = await _discover(hass, dhcp("02:ae:00:02:01:03"))
    assert result["step_id"] == "discovery_confirm"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    await hass.async_block_till_done()
    entry = result["result"]
    assert entry.unique_id == "02:ae:00:02:01:03"
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, entry.unique_id), entry.entry_id
    )
    assert device.connections == {(dr.CONNECTION_NETWORK_MAC, "02:ae:00:02:01:03")}
    assert await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.parametrize(("personality", "sim_password"), [("bitaxe-gt", None)])
async def test_known_miner_follows_its_new_address_silently(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """A configured miner asking for another address: its entry is updated without a word
    and without a request to the miner; the same address again changes nothing."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Desk Bitaxe",
        unique_id=GT_MAC,
        data={**entry_data(sim, None), CONF_HOST: "192.0.2.7"},
        minor_version=2,
    )
    entry.add_to_hass(hass)
    result = await _discover(hass, dhcp(GT_MAC, "bitaxe-f00d"))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert result["description_placeholders"] == {"name": "Desk Bitaxe"}  # the text names it
    assert entry.data[CONF_HOST] == "127.0.0.1"
    assert entry.data[CONF_WEB_PORT] == sim.web_port
    assert sim.received == []
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


def _keyed_by_serial(hass: HomeAssistant, sim: MinerSimulator, host: str) -> MockConfigEntry:
    """The S19's entry at ``host``, keyed by its serial, its device having its MAC."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id="serial:JYZZA3BBCJDBF0123",
        data={**entry_data(sim, "root"), CONF_HOST: host},
        minor_version=2,
    )
    entry.add_to_hass(hass)
    dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, "serial:JYZZA3BBCJDBF0123")},
        connections={(dr.CONNECTION_NETWORK_MAC, "02:3a:19:00:00:19")},
    )
    return entry


async def test_miner_keyed_by_serial_follows_its_mac(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """A miner keyed by another identity (its serial) whose device has the MAC (the
    ``registered_devices`` matcher): followed to the new address and reloaded, unasked."""
    entry = _keyed_by_serial(hass, sim, "192.0.2.7")
    result = await _discover(hass, dhcp("02:3a:19:00:00:19", "antminer"))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    await hass.async_block_till_done()
    assert entry.data[CONF_HOST] == "127.0.0.1"
    assert entry.state is ConfigEntryState.LOADED  # reloaded at its new address
    assert await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.parametrize(("personality", "sim_password"), [("bitaxe-ultra", None)])
async def test_entry_without_identity_adopts_the_dhcp_mac(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """An entry that showed no identity, reaching its miner at the discovered address, is
    keyed by the MAC DHCP saw (device and entities follow); nothing new is proposed."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=f"{GENERATED_PREFIX}abc",
        data=entry_data(sim, None),
        minor_version=2,
    )
    entry.add_to_hass(hass)
    er.async_get(hass).async_get_or_create(
        "sensor", DOMAIN, f"{GENERATED_PREFIX}abc_hashrate", config_entry=entry
    )
    result = await _discover(hass, dhcp("02:ae:00:02:01:03"))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.unique_id == "02:ae:00:02:01:03"
    assert er.async_get(hass).async_get_entity_id("sensor", DOMAIN, "02:ae:00:02:01:03_hashrate")


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_discovered_miner_with_a_password_asks_it(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """A family whose controls need a password: its password form (naming the miner and its
    address) is the confirmation; the password is checked."""
    result = await _discover(hass, dhcp("c4:08:28:00:30:01", "whatsminer"))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "api_password"
    assert result["description_placeholders"]["host"] == f"127.0.0.1:{sim.port}"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "admin"}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_PASSWORD] == "admin"
    assert result["data"][CONF_PORT] == sim.port
    assert await hass.config_entries.async_unload(result["result"].entry_id)


@pytest.mark.parametrize(("personality", "sim_password"), [("bitaxe-gt", None)])
async def test_one_flow_per_miner(hass: HomeAssistant, sim: MinerSimulator) -> None:
    """Repeated DHCP packets of one miner while it is being proposed start no second flow."""
    first = await _discover(hass, dhcp(GT_MAC))
    assert first["type"] is FlowResultType.FORM
    second = await _discover(hass, dhcp(GT_MAC))
    assert second["type"] is FlowResultType.ABORT
    assert second["reason"] == "already_in_progress"


@pytest.mark.parametrize(("personality", "sim_password"), [("bitaxe-gt", None)])
async def test_nothing_that_answers_is_not_proposed(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """A device named like a miner that answers as none (or not at all) is tried a few
    times, then dropped; nothing is shown."""
    sim.set_fault(Fault.REFUSE)
    result = await _discover(hass, dhcp(GT_MAC))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "not_supported"
    assert await abort_text(hass, result) == "No supported miner answered at 127.0.0.1."
    assert hass.config_entries.async_entries(DOMAIN) == []


@pytest.mark.parametrize(("personality", "sim_password"), [("bitaxe-gt", None)])
async def test_miner_still_booting_is_asked_again(
    hass: HomeAssistant, sim: MinerSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A miner asks for its address while it boots, before its API listens: it is asked
    again a little later."""
    monkeypatch.setattr(config_flow_module, "DHCP_RETRY_SECONDS", 1.0)
    sim.set_fault(Fault.REBOOT, seconds=0.5)
    result = await _discover(hass, dhcp(GT_MAC))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "discovery_confirm"


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_miner_known_by_what_its_firmware_says(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """A DHCP MAC the entry does not know (another interface of the miner) but a firmware
    identity it does: the entry follows to the new address."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Rack 3 Whatsminer",
        unique_id="c4:08:28:00:30:01",
        data={**entry_data(sim, "admin"), CONF_HOST: "192.0.2.7"},
        minor_version=2,
    )
    entry.add_to_hass(hass)
    result = await _discover(hass, dhcp("02:00:00:00:00:99", "whatsminer"))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert result["description_placeholders"] == {"name": "Rack 3 Whatsminer"}
    assert entry.data[CONF_HOST] == "127.0.0.1"


@pytest.mark.parametrize(("personality", "sim_password"), [("bitaxe-gt", None)])
async def test_device_of_another_integration_is_not_ours(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """The MAC is a device of another integration (a router's tracker, say): that entry is
    left alone and the miner is proposed."""
    other = MockConfigEntry(domain="other", data={CONF_HOST: "192.0.2.7"})
    other.add_to_hass(hass)
    dr.async_get(hass).async_get_or_create(
        config_entry_id=other.entry_id, connections={(dr.CONNECTION_NETWORK_MAC, GT_MAC)}
    )
    result = await _discover(hass, dhcp(GT_MAC))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "discovery_confirm"
    assert other.data[CONF_HOST] == "192.0.2.7"


async def test_miner_at_the_same_address_is_left_alone(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """A renewal of the same address: nothing changes, nothing is reloaded or asked."""
    entry = _keyed_by_serial(hass, sim, "127.0.0.1")
    result = await _discover(hass, dhcp("02:3a:19:00:00:19", "antminer"))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert sim.received == []


@pytest.mark.parametrize(("personality", "sim_password"), [("bitaxe-gt", None)])
async def test_a_bug_while_probing_is_not_retried(
    hass: HomeAssistant, sim: MinerSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    """An unexpected error is logged once and ends the flow (no retries of a bug)."""
    with patch(
        "custom_components.asic_miner.miner.detect_api", side_effect=RuntimeError("bug")
    ) as detect:
        result = await _discover(hass, dhcp(GT_MAC))
    assert result["reason"] == "not_supported"
    assert detect.call_count == 1
    assert "Unexpected error while detecting the miner at 127.0.0.1" in caplog.text
