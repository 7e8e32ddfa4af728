"""Switches: state read back from the miner after each command; refusals are translated."""

from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from simulator import Fault, MinerSimulator
from tests.entities import snapshot_entities


@pytest.fixture
def platforms() -> list[Platform]:
    """Only the switch platform."""
    return [Platform.SWITCH]


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    ("personality", "sim_password"),
    [
        ("antminer-s19", "root"),
        ("whatsminer-m30s", "admin"),
        ("avalon", None),
        ("braiins-os", None),
        ("luxos", None),
    ],
)
async def test_snapshot(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """The switches each firmware supports."""
    await snapshot_entities(hass, snapshot, init_integration)


async def _switch(hass: HomeAssistant, service: str, entity_id: str) -> None:
    await hass.services.async_call(
        SWITCH_DOMAIN, service, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )


@pytest.mark.parametrize(
    ("personality", "sim_password", "entity_id"),
    [
        ("antminer-s19", "root", "switch.antminer_s19_mining"),
        ("whatsminer-m30s", "admin", "switch.whatsminer_m30s_mining"),
        ("avalon", None, "switch.avalon_1246_mining"),
    ],
)
async def test_mining_pause_resume(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator, entity_id: str
) -> None:
    """Off pauses the miner and the switch shows what the miner then reports."""
    assert hass.states.get(entity_id).state == STATE_ON

    await _switch(hass, SERVICE_TURN_OFF, entity_id)
    assert not sim.state.is_mining
    assert hass.states.get(entity_id).state == STATE_OFF

    await _switch(hass, SERVICE_TURN_ON, entity_id)
    assert sim.state.is_mining
    assert hass.states.get(entity_id).state == STATE_ON


@pytest.mark.parametrize(("personality", "sim_password"), [("avalon", None)])
async def test_fault_light(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """The fault light follows the miner's own report."""
    entity_id = "switch.avalon_1246_fault_light"
    assert hass.states.get(entity_id).state == STATE_OFF
    await _switch(hass, SERVICE_TURN_ON, entity_id)
    assert sim.state.fault_light is True
    assert hass.states.get(entity_id).state == STATE_ON
    await _switch(hass, SERVICE_TURN_OFF, entity_id)
    assert sim.state.fault_light is False
    assert hass.states.get(entity_id).state == STATE_OFF


async def test_wrong_password_starts_reauth(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A rejected password refuses the command with a translated error and asks for a new one."""
    sim.set_fault(Fault.WRONG_PASSWORD)
    with pytest.raises(HomeAssistantError) as err:
        await _switch(hass, SERVICE_TURN_OFF, "switch.antminer_s19_mining")
    assert err.value.translation_key == "control_invalid_auth"
    assert str(err.value) == "Antminer S19 rejected the password; re-enter it to use its controls"
    assert sim.state.is_mining
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_unreachable(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A command that cannot be delivered is an error, and the state does not flip."""
    sim.set_fault(Fault.REFUSE)
    with pytest.raises(HomeAssistantError) as err:
        await _switch(hass, SERVICE_TURN_OFF, "switch.whatsminer_m30s_mining")
    assert err.value.translation_key == "control_cannot_connect"
    assert hass.states.get("switch.whatsminer_m30s_mining").state == STATE_ON


async def test_unreadable_reply(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A command answered with garbage is an error of its own kind."""
    sim.set_fault(Fault.GARBAGE)
    with pytest.raises(HomeAssistantError) as err:
        await _switch(hass, SERVICE_TURN_OFF, "switch.antminer_s19_mining")
    assert err.value.translation_key == "control_invalid_reply"
