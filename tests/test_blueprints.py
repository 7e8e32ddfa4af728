"""The shipped automation blueprints, loaded by Home Assistant's own blueprint machinery.

Each blueprint is instantiated the way the UI does it (``use_blueprint`` with inputs) and must
act on a miner: pause it when hot and resume it after the minimum pause once cool; start it on
solar surplus and pause it on grid import.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import async_fire_time_changed
import yaml

REPO = Path(__file__).resolve().parents[1]
BLUEPRINTS = REPO / "blueprints" / "automation" / "asic_miner"


@dataclass
class Miner:
    """What a blueprint touches on a miner, and how the test reads and moves it."""

    temperature_sensor: str
    mining_switch: str
    set_board_temperature: Callable[[float], Awaitable[None]]
    is_paused: Callable[[], bool]


async def _stand_in_miner(hass: HomeAssistant) -> Miner:
    """A template switch and sensor with the miner's entity shapes."""
    assert await async_setup_component(
        hass,
        "input_number",
        {"input_number": {"board_temp": {"min": 0, "max": 150, "step": 0.1, "initial": 60}}},
    )
    assert await async_setup_component(
        hass, "input_boolean", {"input_boolean": {"paused": {"initial": False}}}
    )
    assert await async_setup_component(
        hass,
        "template",
        {
            "template": [
                {
                    "sensor": [
                        {
                            "name": "Miner Hottest board temperature",
                            "state": "{{ states('input_number.board_temp') }}",
                            "unit_of_measurement": "°C",
                            "device_class": "temperature",
                        }
                    ],
                    "switch": [
                        {
                            "name": "Miner Mining",
                            "state": "{{ is_state('input_boolean.paused', 'off') }}",
                            "turn_on": {
                                "action": "input_boolean.turn_off",
                                "target": {"entity_id": "input_boolean.paused"},
                            },
                            "turn_off": {
                                "action": "input_boolean.turn_on",
                                "target": {"entity_id": "input_boolean.paused"},
                            },
                        }
                    ],
                }
            ]
        },
    )
    await hass.async_block_till_done()

    async def set_board_temperature(value: float) -> None:
        await hass.services.async_call(
            "input_number",
            "set_value",
            {"entity_id": "input_number.board_temp", "value": value},
            blocking=True,
        )
        await _settle()

    return Miner(
        temperature_sensor="sensor.miner_hottest_board_temperature",
        mining_switch="switch.miner_mining",
        set_board_temperature=set_board_temperature,
        is_paused=lambda: hass.states.is_state("input_boolean.paused", "on"),
    )


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


async def _settle() -> None:
    """Let the automation's steps run.

    ``hass.async_block_till_done()`` would wait for the automation run itself, which sits in
    its delay or wait until time is moved on; Home Assistant's own blueprint tests spin the
    event loop a few times instead.
    """
    for _ in range(20):
        await asyncio.sleep(0)


async def _advance(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float) -> None:
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await _settle()


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
    hass: HomeAssistant, tmp_path: Path, freezer: FrozenDateTimeFactory
) -> None:
    """Above the limit: paused; cool but within the minimum pause: still paused; then resumed."""
    miner = await _stand_in_miner(hass)
    await _use_blueprint(
        hass,
        tmp_path,
        "pause_when_hot.yaml",
        {
            "temperature_sensor": miner.temperature_sensor,
            "mining_switch": miner.mining_switch,
            "pause_above": 85,
            "resume_below": 70,
            "minimum_pause": {"minutes": 10},
        },
    )

    await miner.set_board_temperature(84)
    assert not miner.is_paused()

    await miner.set_board_temperature(91)
    assert miner.is_paused()

    await miner.set_board_temperature(60)
    await _advance(hass, freezer, 9 * 60)
    assert miner.is_paused(), "resumed before the minimum pause"

    await _advance(hass, freezer, 2 * 60)
    assert not miner.is_paused()


async def test_pause_when_hot_waits_for_the_lower_limit(
    hass: HomeAssistant, tmp_path: Path, freezer: FrozenDateTimeFactory
) -> None:
    """Cooler than the pause limit but not below the resume limit: stays paused."""
    miner = await _stand_in_miner(hass)
    await _use_blueprint(
        hass,
        tmp_path,
        "pause_when_hot.yaml",
        {
            "temperature_sensor": miner.temperature_sensor,
            "mining_switch": miner.mining_switch,
            "minimum_pause": {"seconds": 30},
        },
    )
    await miner.set_board_temperature(90)
    assert miner.is_paused()

    await miner.set_board_temperature(75)
    await _advance(hass, freezer, 60)
    assert miner.is_paused(), "resumed above the resume limit"

    await miner.set_board_temperature(65)
    assert not miner.is_paused()


async def test_mine_on_solar_surplus_starts_and_stops(
    hass: HomeAssistant, tmp_path: Path, freezer: FrozenDateTimeFactory
) -> None:
    """Export above the start level long enough: mining; importing long enough: paused."""
    miner = await _stand_in_miner(hass)
    export = "sensor.grid_export"
    attributes = {"unit_of_measurement": "W", "device_class": "power"}
    hass.states.async_set(export, "0", attributes)
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": miner.mining_switch}, blocking=True
    )
    await _use_blueprint(
        hass,
        tmp_path,
        "mine_on_solar_surplus.yaml",
        {
            "surplus_sensor": export,
            "mining_switch": miner.mining_switch,
            "start_above": 3500,
            "start_after": {"minutes": 5},
            "stop_below": 0,
            "stop_after": {"minutes": 2},
        },
    )
    assert miner.is_paused()

    hass.states.async_set(export, "4200", attributes)
    await _advance(hass, freezer, 4 * 60)
    assert miner.is_paused(), "started before the surplus lasted long enough"
    await _advance(hass, freezer, 2 * 60)
    assert not miner.is_paused()

    # A short import (a cloud) does not stop it; a lasting one does.
    hass.states.async_set(export, "-300", attributes)
    await _settle()
    await _advance(hass, freezer, 60)
    hass.states.async_set(export, "800", attributes)
    await _settle()
    await _advance(hass, freezer, 3 * 60)
    assert not miner.is_paused(), "stopped on a short import"

    hass.states.async_set(export, "-300", attributes)
    await _settle()
    await _advance(hass, freezer, 3 * 60)
    assert miner.is_paused()
