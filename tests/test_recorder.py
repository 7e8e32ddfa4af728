"""What the recorder keeps of the miner's entities: a real recorder, on a real database."""

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder.history import get_significant_states
from homeassistant.const import STATE_ON, Platform
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from simulator import MinerSimulator


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: object, enable_custom_integrations: None
) -> None:
    """The recorder must start before Home Assistant does (this replaces conftest's fixture)."""


@pytest.fixture
def platforms() -> list[Platform]:
    """Only the binary sensor platform."""
    return [Platform.BINARY_SENSOR]


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_error_messages_not_recorded(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
) -> None:
    """The errors attribute changes with every new message: it is in the state, but the
    recorder's history keeps only the on/off."""
    entity_id = "binary_sensor.whatsminer_m30s_reported_errors"
    start = dt_util.utcnow()
    sim.personality.error_codes["110"] = "2026-11-24 11:59:00"
    freezer.tick(timedelta(seconds=30))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(entity_id).attributes["errors"]
    await async_wait_recording_done(hass)

    history = await hass.async_add_executor_job(
        get_significant_states, hass, start, None, [entity_id]
    )
    recorded = history[entity_id]
    assert [state.state for state in recorded][-1] == STATE_ON
    assert all("errors" not in state.attributes for state in recorded)
