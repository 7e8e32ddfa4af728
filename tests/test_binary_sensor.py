"""Binary sensors: mining and problem, from the miner's own reports."""

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, Platform
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from syrupy.assertion import SnapshotAssertion

from simulator import MinerSimulator
from tests.entities import snapshot_entities


@pytest.fixture
def platforms() -> list[Platform]:
    """Only the binary sensor platform."""
    return [Platform.BINARY_SENSOR]


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    ("personality", "sim_password"),
    [("antminer-s19", "root"), ("whatsminer-m30s", "admin"), ("cgminer-fork", None)],
)
async def test_snapshot(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Mining and problem sensors."""
    await snapshot_entities(hass, snapshot, init_integration)


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_mining_and_problem_follow_the_miner(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
) -> None:
    """Pausing turns mining off; reported error codes turn problem on, with the messages."""
    assert hass.states.get("binary_sensor.whatsminer_m30s_mining").state == STATE_ON
    assert hass.states.get("binary_sensor.whatsminer_m30s_problem").state == STATE_OFF

    sim.state.paused = True
    sim.personality.error_codes["110"] = "2026-11-24 11:59:00"
    freezer.tick(timedelta(seconds=30))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)

    assert hass.states.get("binary_sensor.whatsminer_m30s_mining").state == STATE_OFF
    problem = hass.states.get("binary_sensor.whatsminer_m30s_problem")
    assert problem.state == STATE_ON
    assert problem.attributes["errors"]
    assert any("110" in error for error in problem.attributes["errors"])
