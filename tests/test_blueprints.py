"""The shipped automation blueprints, loaded by Home Assistant's own blueprint machinery.

Each blueprint is instantiated the way the UI does it (``use_blueprint`` with inputs) and acts
on a simulated miner through the real integration: the test reads what the miner was told
(``sim.state.paused``), not just what Home Assistant shows.
"""

import asyncio
from collections.abc import Callable
from pathlib import Path
import shutil
import time
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from simulator import MinerSimulator

REPO = Path(__file__).resolve().parents[1]
BLUEPRINTS = REPO / "blueprints" / "automation" / "asic_miner"


ENTITY = "whatsminer_m30s"
TEMPERATURE = f"sensor.{ENTITY}_hottest_board_temperature"
MINING = f"switch.{ENTITY}_mining"


@pytest.fixture
def personality() -> str:
    """A simulated Whatsminer: pausing and resuming go through its encrypted API."""
    return "whatsminer-m30s"


@pytest.fixture
def sim_password() -> str:
    """Whatsminer's default API password."""
    return "admin"


async def _until(predicate: Callable[[], bool], what: str, timeout: float = 10.0) -> float:
    """Run the event loop until ``predicate``; return the seconds it took.

    The clock is real and the durations short: the miner is reached over a real socket, and
    ``hass.async_block_till_done()`` would wait for the automation run itself, which sits in
    its delay. A frozen clock would also stop the client's own timeouts.
    """
    start = time.monotonic()
    try:
        async with asyncio.timeout(timeout):
            while not predicate():
                await asyncio.sleep(0.01)
    except TimeoutError:
        pytest.fail(f"timed out after {timeout} s waiting for {what}")
    return time.monotonic() - start


async def _quiet() -> None:
    """Give a command that must not come a fair chance to arrive, before checking it did not.

    Well below the automations' shortest wait (1 s) in these tests.
    """
    await asyncio.sleep(0.2)


async def _poll(entry: MockConfigEntry) -> None:
    """One poll of the miner now, as the coordinator's timer would do."""
    await entry.runtime_data.async_refresh()
    await asyncio.sleep(0)


async def _set_boards(sim: MinerSimulator, entry: MockConfigEntry, celsius: float) -> None:
    for board in sim.state.boards:
        board.temperature = celsius
    await _poll(entry)


async def _use_blueprint(
    hass: HomeAssistant, config_dir: Path, name: str, inputs: dict[str, Any]
) -> None:
    """Install the repository's blueprints in a config folder and instantiate one."""
    shutil.copytree(BLUEPRINTS, config_dir / "blueprints" / "automation" / "asic_miner")
    hass.config.config_dir = str(config_dir)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                {
                    "id": name.removesuffix(".yaml"),
                    "alias": name.removesuffix(".yaml"),
                    "use_blueprint": {"path": f"asic_miner/{name}", "input": inputs},
                }
            ]
        },
    )
    await hass.async_block_till_done()
    state = hass.states.get(f"automation.{name.removesuffix('.yaml')}")
    assert state is not None, "the blueprint did not load"
    assert state.state == "on", state


def test_blueprints_are_valid_yaml_with_the_expected_inputs() -> None:
    """Each file declares an automation blueprint whose inputs the README documents."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!input", lambda loader, node: loader.construct_scalar(node))
    found = {
        path.name: yaml.load(path.read_text(), Loader=Loader) for path in BLUEPRINTS.glob("*.yaml")
    }
    assert set(found) == {"pause_when_hot.yaml", "mine_on_solar_surplus.yaml"}
    for document in found.values():
        assert document["blueprint"]["domain"] == "automation"
        assert "mining_switch" in document["blueprint"]["input"]


async def test_pause_when_hot_pauses_and_resumes_after_the_minimum_pause(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator, tmp_path: Path
) -> None:
    """Above the limit: paused; cooled at once, yet resumed only after the minimum pause."""
    await _use_blueprint(
        hass,
        tmp_path,
        "pause_when_hot.yaml",
        {
            "temperature_sensor": TEMPERATURE,
            "mining_switch": MINING,
            "pause_above": 85,
            "resume_below": 70,
            "minimum_pause": {"seconds": 1.5},
        },
    )

    await _set_boards(sim, init_integration, 84)
    await _quiet()
    assert not sim.state.paused

    await _set_boards(sim, init_integration, 91)
    await _until(lambda: sim.state.paused, "the miner to be paused")
    await _until(lambda: hass.states.is_state(MINING, "off"), "the switch to show the pause")

    # A paused miner cools down at once (the simulator reports 30 °C when idle).
    await _poll(init_integration)
    assert float(hass.states.get(TEMPERATURE).state) < 70
    paused_for = await _until(lambda: not sim.state.paused, "the miner to resume")
    assert paused_for >= 1.0, "resumed before the minimum pause"
    await _until(lambda: hass.states.is_state(MINING, "on"), "the switch to show mining")


async def test_pause_when_hot_waits_for_the_lower_limit(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator, tmp_path: Path
) -> None:
    """After the minimum pause, a reading above the resume limit keeps the miner paused."""
    await _use_blueprint(
        hass,
        tmp_path,
        "pause_when_hot.yaml",
        {"temperature_sensor": TEMPERATURE, "mining_switch": MINING, "minimum_pause": 2},
    )
    await _set_boards(sim, init_integration, 90)
    await _until(lambda: sim.state.paused, "the miner to be paused")

    # A miner that stays warm while paused: once the poll after the pause has shown the idle
    # simulator's 30 °C, the sensor reads 75 °C (limits 85/70) for the rest of the pause.
    await _until(lambda: float(hass.states.get(TEMPERATURE).state) < 70, "the poll after pausing")
    attributes = hass.states.get(TEMPERATURE).attributes
    hass.states.async_set(TEMPERATURE, "75", attributes)
    await asyncio.sleep(2.3)
    assert sim.state.paused, "resumed above the resume limit"

    hass.states.async_set(TEMPERATURE, "65", attributes)
    await _until(lambda: not sim.state.paused, "the miner to resume")


async def test_pause_when_hot_leaves_a_manual_resume_alone(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator, tmp_path: Path
) -> None:
    """Mining resumed by hand during the pause stays on; the run ends, ready for the next time."""
    await _use_blueprint(
        hass,
        tmp_path,
        "pause_when_hot.yaml",
        {"temperature_sensor": TEMPERATURE, "mining_switch": MINING, "minimum_pause": 1},
    )
    await _set_boards(sim, init_integration, 95)
    await _until(lambda: sim.state.paused, "the miner to be paused")
    await hass.services.async_call("switch", "turn_on", {"entity_id": MINING}, blocking=True)
    assert not sim.state.paused
    sim.received.clear()

    automation = "automation.pause_when_hot"
    await _until(lambda: hass.states.get(automation).attributes["current"] == 0, "the run to end")
    assert not sim.state.paused
    assert "power_on" not in sim.received, sim.received
    assert "power_off" not in sim.received, sim.received

    # Free again: the next overheating pauses the miner again.
    await _set_boards(sim, init_integration, 80)
    await _set_boards(sim, init_integration, 92)
    await _until(lambda: sim.state.paused, "the miner to be paused again")


async def test_mine_on_solar_surplus_starts_and_stops(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator, tmp_path: Path
) -> None:
    """Export above the start level long enough: mining; importing long enough: paused."""
    export = "sensor.grid_export"
    attributes = {"unit_of_measurement": "W", "device_class": "power"}
    hass.states.async_set(export, "0", attributes)
    await hass.services.async_call("switch", "turn_off", {"entity_id": MINING}, blocking=True)
    assert sim.state.paused
    await _use_blueprint(
        hass,
        tmp_path,
        "mine_on_solar_surplus.yaml",
        {
            "surplus_sensor": export,
            "mining_switch": MINING,
            "start_above": 3500,
            "start_after": {"seconds": 1},
            "stop_below": 0,
            "stop_after": {"seconds": 1},
        },
    )

    hass.states.async_set(export, "4200", attributes)
    started_after = await _until(lambda: not sim.state.paused, "mining to start on the surplus")
    assert started_after >= 0.8, "started before the surplus lasted long enough"

    # A short import (a cloud) does not stop it; a lasting one does.
    hass.states.async_set(export, "-300", attributes)
    await _quiet()
    hass.states.async_set(export, "800", attributes)
    await asyncio.sleep(1.2)
    assert not sim.state.paused, "stopped on a short import"

    hass.states.async_set(export, "-300", attributes)
    stopped_after = await _until(lambda: sim.state.paused, "mining to stop on the import")
    assert stopped_after >= 0.8, "stopped before the import lasted long enough"
