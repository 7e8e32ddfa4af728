"""The README's "know when a miner goes offline" automation, run as written against a real
entry: it must fire whether the miner stops answering while Home Assistant runs (Connectivity
off), the entry is reloaded while the miner is down, or Home Assistant starts while it is down
(setup waits for the miner: Connectivity unavailable like every entity)."""

from collections.abc import AsyncGenerator
from datetime import timedelta
from pathlib import Path
import textwrap
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import CoreState, HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)
import yaml

from simulator import Fault, MinerSimulator

README = Path(__file__).resolve().parents[1] / "README.md"
MARKER = "<!-- offline-automation:"
EXAMPLE_ENTITY = "binary_sensor.antminer_s19_rack3_07_connectivity"
CONNECTIVITY = "binary_sensor.antminer_s19_connectivity"


def readme_automation() -> dict[str, Any]:
    """The example as the README shows it, aimed at the test's miner."""
    text = README.read_text(encoding="utf-8")
    block = text[text.index(MARKER) :].split("```yaml\n", 1)[1].split("```", 1)[0]
    assert EXAMPLE_ENTITY in block
    example = yaml.safe_load(textwrap.dedent(block).replace(EXAMPLE_ENTITY, CONNECTIVITY))
    assert isinstance(example, dict)
    return {"id": "miner_offline", "alias": "Miner offline", **example}


async def _arm(hass: HomeAssistant) -> list[ServiceCall]:
    calls = async_mock_service(hass, "notify", "notify")
    assert await async_setup_component(hass, "automation", {"automation": [readme_automation()]})
    await hass.async_block_till_done()
    return calls


@pytest.fixture(autouse=True)
async def disarm(hass: HomeAssistant) -> AsyncGenerator[None]:
    """Turn the automation off before the entry unloads at teardown (its sensor going
    unavailable would start a five-minute wait that outlives the test)."""
    yield
    if hass.states.get("automation.miner_offline") is not None:
        await hass.services.async_call(
            "automation", "turn_off", {"entity_id": "automation.miner_offline"}, blocking=True
        )


async def _tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float) -> None:
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_stops_answering(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
) -> None:
    """Off for five minutes: one notification; a short blip: none."""
    calls = await _arm(hass)
    sim.set_fault(Fault.REFUSE)
    await _tick(hass, freezer, 30)
    assert hass.states.get(CONNECTIVITY).state == "off"
    await _tick(hass, freezer, 60)
    assert calls == []
    await _tick(hass, freezer, 5 * 60)
    assert len(calls) == 1
    assert calls[0].data["message"] == "Antminer S19 (rack3-07) is not answering"


async def test_reloaded_while_down(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
) -> None:
    """The entry reloaded (or Home Assistant's configuration reloaded) while the miner is down:
    setup waits for the miner, Connectivity is unavailable, and that counts as offline."""
    calls = await _arm(hass)
    sim.set_fault(Fault.REFUSE)
    await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.SETUP_RETRY
    assert hass.states.get(CONNECTIVITY).state == "unavailable"
    await _tick(hass, freezer, 5 * 60 + 1)
    assert len(calls) == 1


@pytest.mark.parametrize("down", [True, False])
async def test_home_assistant_starts_while_down(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator, down: bool
) -> None:
    """Home Assistant starts while the miner is down: the sensor starts out unavailable, no
    state change to trigger on, and the start trigger tells; a miner that answers: nothing."""
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    hass.states.async_remove(CONNECTIVITY)  # a new start: no state yet
    hass.set_state(CoreState.not_running)
    calls = await _arm(hass)
    if down:
        sim.set_fault(Fault.REFUSE)
    await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    await hass.async_start()  # START (unavailable states written), startup jobs, STARTED
    await hass.async_block_till_done()
    assert hass.states.get(CONNECTIVITY).state == ("unavailable" if down else "on")
    assert len(calls) == (1 if down else 0)
