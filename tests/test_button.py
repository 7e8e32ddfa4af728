"""Buttons: commands reach the miner; refusals are translated, a locked API raises a repair."""

import asyncio
from collections.abc import Callable
from datetime import timedelta
import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID, CONF_SCAN_INTERVAL, STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from syrupy.assertion import SnapshotAssertion

from custom_components.asic_miner.const import DOMAIN
from simulator import Fault, MinerSimulator
from tests.entities import snapshot_entities

RESTART_BACKEND = "button.whatsminer_m30s_restart_mining_software"
REBOOT = "button.whatsminer_m30s_reboot"


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


async def _tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta) -> None:
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def _tick_until(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, condition: Callable[[], bool]
) -> None:
    """Let the frozen clock run in small steps (the simulated reboot follows it) until
    ``condition``; never as far as the next poll."""
    for _ in range(40):
        if condition():
            return
        await _tick(hass, freezer, timedelta(seconds=0.1))
    pytest.fail("the simulated miner did not get there")


async def _press(hass: HomeAssistant, entity_id: str) -> None:
    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    ("personality", "sim_password"),
    [("whatsminer-m30s", "admin"), ("luxos", None), ("bitaxe-gamma", None)],
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
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
) -> None:
    """The reboot reaches the miner and shows at once: polls every few seconds while the miner
    is away (its entities unavailable), back to the normal interval once it answers again."""
    coordinator = init_integration.runtime_data
    normal = coordinator.update_interval
    sim.personality.reboot_seconds = 6  # on the frozen clock: one failed poll, then back
    await _press(hass, REBOOT)
    assert "reboot" in sim.received
    assert coordinator.update_interval == coordinator.restart_poll_interval < normal
    await _tick_until(hass, freezer, lambda: sim.offline)

    await _tick(hass, freezer, coordinator.restart_poll_interval)
    assert not coordinator.last_update_success
    assert hass.states.get(REBOOT).state == STATE_UNAVAILABLE
    assert coordinator.update_interval == coordinator.restart_poll_interval

    await _tick_until(hass, freezer, lambda: not sim.offline)
    await _tick(hass, freezer, coordinator.restart_poll_interval)
    assert coordinator.last_update_success
    assert hass.states.get(REBOOT).state != STATE_UNAVAILABLE
    assert coordinator.update_interval == normal


async def test_expected_reboot_logs_no_error(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A reboot asked for is no error: the polls that find the miner away are a debug line,
    and its return no warning either."""
    caplog.set_level(logging.DEBUG, logger="custom_components.asic_miner")
    coordinator = init_integration.runtime_data
    sim.personality.reboot_seconds = 6
    await _press(hass, REBOOT)
    await _tick_until(hass, freezer, lambda: sim.offline)
    await _tick(hass, freezer, coordinator.restart_poll_interval)
    assert not coordinator.last_update_success
    await _tick_until(hass, freezer, lambda: not sim.offline)
    await _tick(hass, freezer, coordinator.restart_poll_interval)
    assert coordinator.last_update_success
    ours = [r for r in caplog.records if r.name.startswith("custom_components.asic_miner")]
    assert [r.getMessage() for r in ours if r.levelno >= logging.WARNING] == []
    assert any(
        r.levelno == logging.DEBUG
        and r.getMessage().startswith("Whatsminer M30S is not answering while it restarts: ")
        for r in ours
    )

    # Outside a watch, the same failure is an error again.
    sim.set_fault(Fault.REFUSE)
    await _tick(hass, freezer, coordinator.update_interval)
    assert "Error fetching Whatsminer M30S data" in caplog.text


async def test_restart_seen_by_uptime(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
) -> None:
    """A restart quick enough to miss no poll still ends the short cadence: the uptime went
    backwards."""
    coordinator = init_integration.runtime_data
    normal = coordinator.update_interval
    await _tick(hass, freezer, normal)  # some uptime to go back from
    coordinator.async_expect_restart()
    await _tick(hass, freezer, coordinator.restart_poll_interval)
    assert coordinator.update_interval == coordinator.restart_poll_interval
    sim.state.reset_uptime()
    await _tick(hass, freezer, coordinator.restart_poll_interval)
    assert coordinator.update_interval == normal


async def test_reboot_watch_gives_up(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A miner that never comes back is not polled every few seconds forever; pressing again
    starts a new watch, and unloading ends it."""
    coordinator = init_integration.runtime_data
    normal = coordinator.update_interval
    sim.personality.reboot_seconds = 0.3
    await _press(hass, REBOOT)
    await _press(hass, REBOOT)  # a second press: one watch, not two
    sim.set_fault(Fault.REFUSE)
    await _tick(hass, freezer, coordinator.restart_poll_interval)
    await _tick(hass, freezer, coordinator.restart_watch_limit)
    assert not coordinator.last_update_success
    assert coordinator.update_interval == normal
    # Not logged while it was expected to be away; logged once the watch gives up.
    assert "Error fetching" not in caplog.text
    assert "Whatsminer M30S did not come back within 10 minutes of its restart" in caplog.text

    sim.set_fault(Fault.NONE)
    await _tick(hass, freezer, normal)
    coordinator.async_expect_restart()
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    assert coordinator.update_interval == normal


async def test_restart_watches_add_no_unload_callbacks(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """Every press starts a new watch, but the entry keeps one way to end them: a miner
    rebooted every night for a year does not pile up callbacks until it is unloaded."""
    coordinator = init_integration.runtime_data
    sim.personality.reboot_seconds = 0.05
    coordinator.async_expect_restart()
    callbacks = len(init_integration._on_unload or [])
    for _ in range(3):
        await _press(hass, REBOOT)
    assert len(init_integration._on_unload or []) == callbacks
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    assert coordinator._end_restart_watch is None  # the last watch ended with the entry


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


async def test_reboot_action_follows_the_restart_too(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """The ``asic_miner.reboot`` action shows the reboot as closely as the button does."""
    coordinator = init_integration.runtime_data
    await hass.services.async_call(DOMAIN, "reboot", {ATTR_ENTITY_ID: REBOOT}, blocking=True)
    assert "reboot" in sim.received
    assert coordinator.update_interval == coordinator.restart_poll_interval


async def test_new_polling_interval_during_a_reboot_is_kept(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
) -> None:
    """An interval chosen in the options while a reboot is followed is the one kept after."""
    coordinator = init_integration.runtime_data
    sim.personality.reboot_seconds = 6
    await _press(hass, REBOOT)
    flow = await hass.config_entries.options.async_init(init_integration.entry_id)
    await hass.config_entries.options.async_configure(flow["flow_id"], {CONF_SCAN_INTERVAL: 120})
    await hass.async_block_till_done()
    await _tick(hass, freezer, coordinator.restart_watch_limit)
    assert coordinator.update_interval == timedelta(seconds=120)


@pytest.mark.parametrize(("personality", "sim_password"), [("bitaxe-gamma", None)])
async def test_identify(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    sim: MinerSimulator,
    entity_registry: er.EntityRegistry,
) -> None:
    """AxeOS's identify shows "Hi!" for a while and ends by itself: a button, which keeps the
    key an earlier version retired elsewhere, and no restart to follow."""
    mock_config_entry.add_to_hass(hass)
    entity_registry.async_get_or_create(
        "button",
        DOMAIN,
        f"{mock_config_entry.unique_id}_identify",
        config_entry=mock_config_entry,
        suggested_object_id="bitaxe_gamma_identify",
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    coordinator = mock_config_entry.runtime_data
    assert entity_registry.async_get("button.bitaxe_gamma_identify") is not None
    await _press(hass, "button.bitaxe_gamma_identify")
    assert "POST /api/system/identify" in sim.received
    assert sim.state.fault_light is True
    assert coordinator.update_interval != coordinator.restart_poll_interval
