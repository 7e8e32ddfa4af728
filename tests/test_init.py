"""Setup, unload and reload of one miner, and setup failures, against the simulator."""

import asyncio
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.asic_miner.api import Miner, api_class
from custom_components.asic_miner.const import (
    CONF_ADVANCED,
    CONF_FAMILY,
    CONF_REMOVE_PASSWORD,
    CONF_WEB_PORT,
    DOMAIN,
)
from custom_components.asic_miner.miner import GENERATED_PREFIX
from simulator import Fault, MinerSimulator

from .conftest import FAMILIES, entry_data
from .flow_helpers import closed_port


async def test_setup_unload_reload(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A loaded entry polls the miner; unload stops it; reload brings it back."""
    entry = init_integration
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.identity.model == "S19"
    assert hass.states.get("sensor.antminer_s19_hashrate").state == "95.01"
    # The stock Antminer web interface goes through Home Assistant's shared HTTP session.
    assert entry.runtime_data.api.web_session is async_get_clientsession(hass)

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert hass.states.get("sensor.antminer_s19_hashrate").state == "unavailable"

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.antminer_s19_hashrate").state == "95.01"


async def test_device(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    device_registry: dr.DeviceRegistry,
) -> None:
    """One device per miner, with the identity read from the miner."""
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, "02:3a:19:00:00:19"), init_integration.entry_id
    )
    assert device is not None
    assert device.manufacturer == "Antminer"
    assert device.model == "S19"
    assert device.sw_version == "Antminer-S19-20210325"
    assert device.serial_number == "JYZZA3BBCJDBF0123"
    assert device.connections == {(dr.CONNECTION_NETWORK_MAC, "02:3a:19:00:00:19")}
    assert device.configuration_url == f"http://127.0.0.1:{sim.web_port}/"
    assert device.name == "Antminer S19"


async def test_setup_offline_retries(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A miner that does not answer at startup makes HA retry later, with nothing created."""
    sim.set_fault(Fault.REFUSE)
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY
    assert hass.states.async_entity_ids() == []


async def test_client_closed_on_unload_and_on_failed_setup(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: MinerSimulator
) -> None:
    """Whatever the client holds open is released: when its setup fails (the miner is down)
    and when the entry unloads, one close per client."""
    family = api_class(FAMILIES[sim.personality_name])
    real_close = family.close
    closed: list[Miner] = []

    async def close(api: Miner) -> None:
        closed.append(api)
        await real_close(api)

    with patch.object(family, "close", close):
        sim.set_fault(Fault.REFUSE)
        mock_config_entry.add_to_hass(hass)
        await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
        assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY
        assert len(closed) == 1

        sim.set_fault(Fault.NONE)
        assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
        await hass.async_block_till_done()
        assert mock_config_entry.state is ConfigEntryState.LOADED
        api = mock_config_entry.runtime_data.api
        assert len(closed) == 1

        assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
        await hass.async_block_till_done()
        assert closed[1:] == [api]


async def test_setup_wrong_password_starts_reauth(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A rejected password at setup is an auth failure: HA asks the user for a new one."""
    sim.set_fault(Fault.WRONG_PASSWORD)
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert flows[0]["context"]["entry_id"] == mock_config_entry.entry_id


async def test_setup_detects_missing_family(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: MinerSimulator
) -> None:
    """An entry without a stored family is detected once and the family is stored."""
    data = dict(mock_config_entry.data)
    del data[CONF_FAMILY]
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(mock_config_entry, data=data)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert mock_config_entry.data[CONF_FAMILY] == "bmminer"


async def test_setup_detect_fails_retries(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: MinerSimulator
) -> None:
    """Without a stored family and without an answer, setup is retried."""
    data = dict(mock_config_entry.data)
    del data[CONF_FAMILY]
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(mock_config_entry, data=data)
    sim.set_fault(Fault.REFUSE)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY


@pytest.mark.parametrize("sim_password", [None])
async def test_setup_without_password(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """Without the web password a stock Antminer is monitored but offers no controls; its MAC
    is read with the factory password (read-only), so it is known by it."""
    assert init_integration.state is ConfigEntryState.LOADED
    assert init_integration.unique_id == "02:3a:19:00:00:19"
    assert hass.states.get("sensor.antminer_s19_hashrate").state == "95.01"
    assert hass.states.async_entity_ids("button") == []
    assert hass.states.async_entity_ids("switch") == []


async def test_stored_family_skips_detection(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """With the family stored, a restart does not probe the miner's firmware again."""
    assert init_integration.state is ConfigEntryState.LOADED
    assert "get_version" not in sim.received  # detection's Whatsminer probe
    assert "devdetails" not in sim.received


@pytest.mark.parametrize(("personality", "sim_password"), [("cgminer-fork", None)])
async def test_unknown_family_is_detected_again(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """An unrecognised firmware is probed at each start, in case a later version knows it."""
    assert init_integration.data[CONF_FAMILY] == "unknown"
    assert "devdetails" in sim.received  # a detection probe
    assert init_integration.state is ConfigEntryState.LOADED


async def test_miner_refusing_everything_is_retried(
    hass: HomeAssistant, socket_enabled: None
) -> None:
    """A miner that answers but refuses every command: setup is retried, with its message.

    A real loopback server stands in for a firmware whose API access list excludes Home
    Assistant (cgminer's ``api-allow``), which answers each command with an error status.
    """

    async def refuse(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(4096)
        writer.write(b'{"STATUS":[{"STATUS":"E","Code":45,"Msg":"Access denied"}],"id":1}\x00')
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(refuse, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=f"host:127.0.0.1:{port}",
        data={CONF_HOST: "127.0.0.1", CONF_PORT: port, CONF_FAMILY: "cgminer"},
    )
    entry.add_to_hass(hass)
    async with server:
        await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert entry.reason is not None
    assert "refused to report its status" in entry.reason
    assert "Access denied" in entry.reason


def _legacy_entry(
    hass: HomeAssistant, sim: MinerSimulator, password: str | None, unique_id: str
) -> MockConfigEntry:
    """An entry as an earlier version left it (1.1), with a device and two entities keyed by
    ``unique_id``, one of them renamed by the owner."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Rack 3",
        unique_id=unique_id,
        data=entry_data(sim, password),
        version=1,
        minor_version=1,
    )
    entry.add_to_hass(hass)
    dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={(DOMAIN, unique_id)}, name="Rack 3"
    )
    registry = er.async_get(hass)
    registry.async_get_or_create(
        "sensor",
        DOMAIN,
        f"{unique_id}_hashrate",
        config_entry=entry,
        suggested_object_id="rack_3_hashrate",
    )
    switch = registry.async_get_or_create(
        "binary_sensor",
        DOMAIN,
        f"{unique_id}_connectivity",
        config_entry=entry,
        suggested_object_id="rack_3_connectivity",
    )
    registry.async_update_entity(switch.entity_id, name="Garage miner online")
    # Not keyed by the entry (nothing of this integration does that): left as it is.
    registry.async_get_or_create("sensor", DOMAIN, "foreign", config_entry=entry)
    return entry


def _keys(hass: HomeAssistant, entry: MockConfigEntry) -> tuple[set[str], set[str]]:
    """The entry's device identifiers and its entities' unique ids."""
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    return (
        {identifier for device in devices for _, identifier in device.identifiers},
        {entity.unique_id for entity in entities},
    )


@pytest.mark.parametrize(("personality", "sim_password"), [("goldshell", None)])
async def test_address_keyed_entry_gets_a_generated_id(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """An entry keyed by its address by an earlier version (a firmware that shows no MAC,
    serial or id of its own) is keyed by a generated id at its next start: the IP address is
    no unique id. Device, entity ids, the owner's names and the miner's values stay."""
    legacy = f"host:127.0.0.1:{sim.port}"
    entry = _legacy_entry(hass, sim, None, legacy)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert (entry.version, entry.minor_version) == (1, 2)
    new = str(entry.unique_id)
    assert new.startswith(GENERATED_PREFIX)
    assert "127.0.0.1" not in new
    devices, entities = _keys(hass, entry)
    assert devices == {new}
    assert {f"{new}_hashrate", f"{new}_connectivity"} <= entities
    assert not any(unique_id.startswith("host:") for unique_id in entities)
    assert "foreign" in entities
    assert hass.states.get("sensor.rack_3_hashrate").state == "18.0"
    connectivity = hass.states.get("binary_sensor.rack_3_connectivity")
    assert connectivity.attributes["friendly_name"] == "Garage miner online"
    assert len(dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)) == 1


@pytest.mark.parametrize("password", ["root", None])
async def test_address_keyed_entry_takes_the_identity_the_miner_shows(
    hass: HomeAssistant, sim: MinerSimulator, password: str | None
) -> None:
    """Once the miner shows an identity (here its MAC, read from the web interface with the
    web password, or the factory one where none is stored: earlier versions keyed a stock
    Antminer without its password by its address), the entry, its device and its entities are
    keyed by it; the device gets the MAC as its connection."""
    entry = _legacy_entry(hass, sim, password, f"host:127.0.0.1:{sim.port}")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.unique_id == "02:3a:19:00:00:19"
    devices, entities = _keys(hass, entry)
    assert devices == {"02:3a:19:00:00:19"}
    assert {"02:3a:19:00:00:19_hashrate", "02:3a:19:00:00:19_connectivity"} <= entities
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, "02:3a:19:00:00:19"), entry.entry_id
    )
    assert device.connections == {(dr.CONNECTION_NETWORK_MAC, "02:3a:19:00:00:19")}
    assert hass.states.get("sensor.rack_3_hashrate").state == "95.01"


async def test_generated_id_gives_way_to_the_identity_once_shown(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """An entry added without identity adopts the one the miner shows later, at its next
    start; another entry holding that identity already (the miner added twice) keeps it."""
    entry = _legacy_entry(hass, sim, "root", f"{GENERATED_PREFIX}abc")
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(entry, minor_version=2)
    twin = MockConfigEntry(
        domain=DOMAIN, unique_id="02:3a:19:00:00:19", data={**entry_data(sim, "root")}
    )
    twin.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.unique_id == f"{GENERATED_PREFIX}abc"  # the other entry has the MAC
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.config_entries.async_remove(twin.entry_id)

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.unique_id == "02:3a:19:00:00:19"
    assert _keys(hass, entry)[0] == {"02:3a:19:00:00:19"}


async def test_entry_of_a_newer_version_is_not_set_up(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """A downgrade leaves an entry of a later major version alone."""
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id="x", data=dict(mock_config_entry.data), version=2
    )
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.MIGRATION_ERROR
    assert entry.data[CONF_WEB_PORT] == mock_config_entry.data[CONF_WEB_PORT]


async def test_entry_of_a_later_minor_version_is_left_alone(
    hass: HomeAssistant, sim: MinerSimulator, mock_config_entry: MockConfigEntry
) -> None:
    """After a downgrade, an entry a later version wrote (1.3) is set up as it is."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id="02:3a:19:00:00:19",
        data=dict(mock_config_entry.data),
        minor_version=3,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert entry.minor_version == 3


def _controls(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    """The entity ids of the entry's switches, buttons, numbers and selects in the registry."""
    return {
        registered.entity_id
        for registered in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if registered.domain in {"switch", "button", "number", "select"}
    }


async def test_removing_the_password_removes_the_controls_it_gave(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """Reconfigure → "Remove the stored password" on a stock Antminer: it is read-only now,
    so its controls leave the registry (not "unavailable" forever), and the read-only mining
    binary sensor takes the switch's place."""
    assert _controls(hass, init_integration) == {
        "switch.antminer_s19_mining",
        "switch.antminer_s19_fault_light",
        "button.antminer_s19_reboot",
        "select.antminer_s19_work_mode",
    }
    result = await init_integration.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_HOST: "127.0.0.1",
            CONF_REMOVE_PASSWORD: True,
            CONF_ADVANCED: {CONF_PORT: sim.port, CONF_WEB_PORT: sim.web_port},
        },
    )
    await hass.async_block_till_done()
    assert result["reason"] == "reconfigure_successful"
    assert init_integration.state is ConfigEntryState.LOADED
    assert _controls(hass, init_integration) == set()
    assert hass.states.get("binary_sensor.antminer_s19_mining").state == "on"
    assert hass.states.get("sensor.antminer_s19_hashrate").state == "95.01"


@pytest.mark.parametrize(("personality", "sim_password"), [("vnish-s19", "admin")])
async def test_controls_missing_for_a_while_stay(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A control the client does not offer for a reason of the moment (VNish's web interface
    out of reach at startup: its CGMiner API reads the miner meanwhile) is neither removed nor
    left behind: the password is still there, so the control is restored, unavailable, without
    a read-only twin beside it, and works again with the web interface."""
    controls = _controls(hass, init_integration)
    assert "switch.antminer_s19_mining" in controls
    assert "button.antminer_s19_reboot" in controls
    web_port = init_integration.data[CONF_WEB_PORT]

    hass.config_entries.async_update_entry(
        init_integration, data={**init_integration.data, CONF_WEB_PORT: closed_port()}
    )
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.LOADED
    assert not init_integration.runtime_data.api.capabilities
    assert _controls(hass, init_integration) == controls
    for entity_id in controls:
        state = hass.states.get(entity_id)
        assert state.state == "unavailable"
        assert not state.attributes.get("restored")  # an entity, not a leftover
    assert hass.states.get("binary_sensor.antminer_s19_mining") is None
    assert hass.states.get("sensor.antminer_s19_hashrate").state != "unavailable"

    hass.config_entries.async_update_entry(
        init_integration, data={**init_integration.data, CONF_WEB_PORT: web_port}
    )
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("switch.antminer_s19_mining").state == "on"
    assert hass.states.get("button.antminer_s19_reboot").state != "unavailable"


@pytest.mark.parametrize(("personality", "sim_password"), [("antminer-s9", "root")])
async def test_controls_an_old_firmware_never_has_are_removed(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A stock Antminer S9 (the old generation's web configuration) whose entry kept the
    mining switch and work mode select of an earlier version: they leave the registry at the
    next start instead of staying unavailable for good, and the read-only mining binary
    sensor shows the state again."""
    registry = er.async_get(hass)
    for domain, key in (("switch", "mining"), ("select", "work_mode")):
        registry.async_get_or_create(
            domain, DOMAIN, f"{init_integration.unique_id}_{key}", config_entry=init_integration
        )
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.LOADED
    controls = _controls(hass, init_integration)
    assert not any(
        entity_id.startswith(("switch.", "select.")) and "fault" not in entity_id
        for entity_id in controls
    ), controls
    mining = [
        entity_id
        for entity_id in hass.states.async_entity_ids("binary_sensor")
        if entity_id.endswith("_mining")
    ]
    assert len(mining) == 1
    assert hass.states.get(mining[0]).state == "on"
