"""Buttons: commands reach the miner; refusals are translated, a locked API raises a repair."""

import asyncio
from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from syrupy.assertion import SnapshotAssertion

from custom_components.asic_miner.button import IDENTIFY_DURATION
from custom_components.asic_miner.const import DOMAIN
from simulator import Fault, MinerSimulator
from tests.entities import snapshot_entities


@pytest.fixture
def personality() -> str:
    """A miner with every button."""
    return "whatsminer-m30s"


@pytest.fixture
def sim_password() -> str:
    """Its API password."""
    return "admin"


@pytest.fixture
def platforms() -> list[Platform]:
    """Only the button platform."""
    return [Platform.BUTTON]


async def _press(hass: HomeAssistant, entity_id: str) -> None:
    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    ("personality", "sim_password"), [("whatsminer-m30s", "admin"), ("luxos", None)]
)
async def test_snapshot(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Restart, reboot and identify, in their entity categories."""
    await snapshot_entities(hass, snapshot, init_integration)


async def test_identify(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Identify switches the miner's fault light on, and off again after a while (no firmware
    does that by itself); pressing again restarts the while."""
    assert not sim.state.fault_light
    await _press(hass, "button.whatsminer_m30s_identify")
    assert sim.state.fault_light

    freezer.tick(IDENTIFY_DURATION - timedelta(seconds=10))
    await _press(hass, "button.whatsminer_m30s_identify")
    freezer.tick(timedelta(seconds=20))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert sim.state.fault_light

    freezer.tick(IDENTIFY_DURATION)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert not sim.state.fault_light


async def test_identify_undo_failure_is_only_logged(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A miner gone when the light should go off costs a warning, not an error storm."""
    await _press(hass, "button.whatsminer_m30s_identify")
    sim.set_fault(Fault.REFUSE)
    freezer.tick(IDENTIFY_DURATION)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert "could not switch the fault light off" in caplog.text
    assert sim.state.fault_light


async def test_identify_undo_cancelled_on_unload(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Unloading the miner drops the pending undo: nothing runs against an unloaded entry."""
    await _press(hass, "button.whatsminer_m30s_identify")
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    sim.received.clear()
    freezer.tick(IDENTIFY_DURATION)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert sim.received == []


async def test_restart_backend(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """Restarting the mining software restarts its uptime; the miner stays reachable."""
    started = sim.state.started_at
    await asyncio.sleep(0.01)
    await _press(hass, "button.whatsminer_m30s_restart_mining_software")
    assert sim.state.started_at > started
    assert not sim.offline


async def test_reboot(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """The reboot command reaches the miner, which then goes offline for a while."""
    sim.personality.reboot_seconds = 0.2
    await _press(hass, "button.whatsminer_m30s_restart")
    assert "reboot" in sim.received
    async with asyncio.timeout(2):
        while not sim.offline:
            await asyncio.sleep(0.01)


async def test_locked_api_raises_repair_issue(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A miner whose write API is off refuses controls; a repair explains how to enable it,
    and goes away with the first control that works."""
    issue_id = f"api_locked_{init_integration.entry_id}"
    sim.personality.write_enabled = False
    with pytest.raises(HomeAssistantError) as err:
        await _press(hass, "button.whatsminer_m30s_identify")
    assert err.value.translation_key == "control_api_locked"
    assert not sim.state.fault_light
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "api_locked"
    assert issue.translation_placeholders == {"name": "Whatsminer M30S"}

    sim.personality.write_enabled = True
    await _press(hass, "button.whatsminer_m30s_identify")
    assert sim.state.fault_light
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_issue_removed_with_entry(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Removing the miner removes its repair issue."""
    sim.personality.write_enabled = False
    with pytest.raises(HomeAssistantError):
        await _press(hass, "button.whatsminer_m30s_identify")
    assert issue_registry.async_get_issue(DOMAIN, f"api_locked_{init_integration.entry_id}")
    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, f"api_locked_{init_integration.entry_id}") is None
