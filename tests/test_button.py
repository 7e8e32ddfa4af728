"""Buttons: commands reach the miner; refusals are translated, a locked API raises a repair."""

import asyncio

from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.asic_miner.const import DOMAIN
from simulator import MinerSimulator
from tests.entities import snapshot_entities

RESTART_BACKEND = "button.whatsminer_m30s_restart_mining_software"


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
    """Reboot and restart the mining software, in their entity categories."""
    await snapshot_entities(hass, snapshot, init_integration)


async def test_restart_backend(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """Restarting the mining software restarts its uptime; the miner stays reachable."""
    started = sim.state.started_at
    await asyncio.sleep(0.01)
    await _press(hass, RESTART_BACKEND)
    assert sim.state.started_at > started
    assert not sim.offline


async def test_reboot(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """The reboot command reaches the miner, which then goes offline for a while."""
    sim.personality.reboot_seconds = 0.2
    await _press(hass, "button.whatsminer_m30s_reboot")
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
    started = sim.state.started_at
    sim.personality.write_enabled = False
    with pytest.raises(HomeAssistantError) as err:
        await _press(hass, RESTART_BACKEND)
    assert err.value.translation_key == "control_api_locked"
    assert sim.state.started_at == started
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "api_locked"
    assert issue.translation_placeholders == {"name": "Whatsminer M30S"}

    sim.personality.write_enabled = True
    await asyncio.sleep(0.01)
    await _press(hass, RESTART_BACKEND)
    assert sim.state.started_at > started
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
        await _press(hass, RESTART_BACKEND)
    assert issue_registry.async_get_issue(DOMAIN, f"api_locked_{init_integration.entry_id}")
    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, f"api_locked_{init_integration.entry_id}") is None
