"""Controls while a poll is in flight, two controls at once, unload during a poll.

The miner is slowed down (trickled replies) so the overlap is real, not hoped for. Checked:
no crash, the miner ends in the state the last command asked for, Home Assistant shows that
state after the next poll, and an unload in the middle leaves no task behind.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

from homeassistant.components.number import DOMAIN as NUMBER_DOMAIN, SERVICE_SET_VALUE
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
)
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from simulator import Fault, MinerSimulator

PACKAGE = str(Path(__file__).resolve().parents[1] / "custom_components" / "asic_miner")
MINING = "switch.whatsminer_m30s_mining"
LIGHT = "switch.whatsminer_m30s_fault_light"
POWER = "number.whatsminer_m30s_power_limit"


@pytest.fixture
def personality() -> str:
    """A miner with switches, a number and buttons."""
    return "whatsminer-m30s"


@pytest.fixture
def sim_password() -> str:
    """Its API password."""
    return "admin"


def _runs_package_code(task: asyncio.Task[Any]) -> bool:
    """Whether the task is inside this package's code, at any depth of its await chain (a
    poll runs in Home Assistant's task and awaits the client without tasks of its own)."""
    awaited: Any = task.get_coro()
    while awaited is not None:
        code = getattr(awaited, "cr_code", None)
        if code is not None and code.co_filename.startswith(PACKAGE):
            return True
        awaited = getattr(awaited, "cr_await", None)
    return False


def package_tasks() -> list[asyncio.Task[Any]]:
    current = asyncio.current_task()
    return [
        task for task in asyncio.all_tasks() if task is not current and _runs_package_code(task)
    ]


async def call(hass: HomeAssistant, domain: str, service: str, entity_id: str, **data: Any) -> None:
    await hass.services.async_call(
        domain, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
    )


async def slow_poll(hass: HomeAssistant, entry: MockConfigEntry) -> asyncio.Task[None]:
    """A refresh that is still reading when this returns."""
    task = hass.async_create_task(entry.runtime_data.async_refresh())
    await asyncio.sleep(0.05)
    assert not task.done()
    return task


async def test_control_during_poll(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    sim.set_fault(Fault.TRICKLE, interval=0.0001)
    poll = await slow_poll(hass, init_integration)
    sim.set_fault(Fault.NONE)  # the poll's connections keep trickling; the control's do not
    await call(hass, SWITCH_DOMAIN, SERVICE_TURN_OFF, MINING)
    await poll
    assert sim.state.paused
    await init_integration.runtime_data.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(MINING).state == STATE_OFF
    assert init_integration.state is ConfigEntryState.LOADED


async def test_two_controls_at_once(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    await asyncio.gather(
        call(hass, SWITCH_DOMAIN, SERVICE_TURN_ON, LIGHT),
        call(hass, NUMBER_DOMAIN, SERVICE_SET_VALUE, POWER, value=3000),
    )
    assert sim.state.fault_light
    assert sim.state.power_limit == 3000
    await init_integration.runtime_data.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(LIGHT).state == STATE_ON
    assert float(hass.states.get(POWER).state) == 3000


async def test_same_control_twice_last_one_wins(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    await asyncio.gather(
        call(hass, SWITCH_DOMAIN, SERVICE_TURN_OFF, MINING),
        call(hass, SWITCH_DOMAIN, SERVICE_TURN_ON, MINING),
    )
    await init_integration.runtime_data.async_refresh()
    await hass.async_block_till_done()
    # Both reached the miner; whichever it applied last is what Home Assistant shows.
    assert hass.states.get(MINING).state == (STATE_OFF if sim.state.paused else STATE_ON)


async def test_unload_during_poll(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """The scheduled poll is cut short by the unload, not left to run into its timeout."""
    coordinator = init_integration.runtime_data
    coordinator.api.timeout = 30.0  # so a poll left running would still be running below
    sim.set_fault(Fault.SILENT)
    async_fire_time_changed(
        hass, dt_util.utcnow() + coordinator.update_interval + timedelta(seconds=1)
    )
    for _ in range(100):
        if package_tasks():
            break
        await asyncio.sleep(0.01)
    assert package_tasks()  # the scheduled poll is waiting for the silent miner
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    await asyncio.sleep(0)
    assert init_integration.state is ConfigEntryState.NOT_LOADED
    assert package_tasks() == []
    sim.set_fault(Fault.NONE)
    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(MINING).state == STATE_ON
