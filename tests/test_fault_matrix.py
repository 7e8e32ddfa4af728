"""The fault matrix for the integration: every simulator fault during a poll, per family.

Each cell: the poll fails within a bound, every entity of the miner becomes unavailable,
the config entry stays loaded and unchanged, everything is back at the next good poll, and
an unload afterwards leaves no client task and no socket behind.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.asic_miner.const import DOMAIN
from simulator import Fault, MinerSimulator
from tests.faults import FAULTS, tasks_running

API_DIR = str(Path(__file__).resolve().parents[1] / "custom_components" / "asic_miner")
BOUND = 0.3


def integration_tasks() -> list[asyncio.Task[Any]]:
    """Tasks still running code of the integration or its client (not the test's own)."""
    return tasks_running(API_DIR)


def states_of(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, str]:
    """States of the miner's entities but the connectivity sensor (never unavailable: off)."""
    registry = er.async_get(hass)
    return {
        item.entity_id: hass.states.get(item.entity_id).state
        for item in er.async_entries_for_config_entry(registry, entry.entry_id)
        if hass.states.get(item.entity_id) is not None
        and item.original_device_class != "connectivity"
    }


async def set_up(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    api = entry.runtime_data.api
    api.connect_timeout = api.timeout = BOUND  # a short bound keeps the suite fast
    api.max_reply_bytes = 256 * 1024


def api_sockets(port: int) -> int:
    """Open TCP connections to or from the miner's API port (its listener excluded).

    Counted in /proc/net/tcp rather than as fds: Home Assistant's shared aiohttp session
    rightly keeps keep-alive connections to the Antminer web port after an unload.
    """
    count = 0
    with open("/proc/net/tcp", encoding="ascii") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            local, remote, state = fields[1], fields[2], fields[3]
            if state in ("0A", "06", "07"):  # LISTEN, TIME_WAIT, CLOSE: no descriptor
                continue
            if port in (int(local.split(":")[1], 16), int(remote.split(":")[1], 16)):
                count += 1
    return count


async def unload_leaves_nothing(hass: HomeAssistant, entry: MockConfigEntry, port: int) -> None:
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert integration_tasks() == []
    for _ in range(40):  # the in-process simulator closes its side a moment later
        if api_sockets(port) == 0:
            break
        await asyncio.sleep(0.05)
    assert api_sockets(port) == 0


@pytest.mark.parametrize("fault", list(FAULTS), ids=str)
@pytest.mark.parametrize(
    ("personality", "sim_password"),
    [("antminer-s19", "root"), ("whatsminer-m30s", "admin"), ("braiins-os", "root")],
)
async def test_fault_matrix(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: MinerSimulator, fault: Fault
) -> None:
    await set_up(hass, mock_config_entry)
    coordinator = mock_config_entry.runtime_data
    data_before = dict(mock_config_entry.data)
    healthy = states_of(hass, mock_config_entry)
    assert healthy
    assert STATE_UNAVAILABLE not in healthy.values()

    sim.set_fault(fault, **FAULTS[fault])
    loop = asyncio.get_running_loop()
    start = loop.time()
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert loop.time() - start < 3.0  # each request bounded by BOUND; wide margin
    assert not coordinator.last_update_success
    assert "127.0.0.1" in str(coordinator.last_exception)
    assert set(states_of(hass, mock_config_entry).values()) == {STATE_UNAVAILABLE}
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert dict(mock_config_entry.data) == data_before

    sim.set_fault(Fault.NONE)
    coordinator.api.connect_timeout = coordinator.api.timeout = 5.0  # recovery: no load flakes
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert coordinator.last_update_success
    back = states_of(hass, mock_config_entry)
    assert back.keys() == healthy.keys()
    assert STATE_UNAVAILABLE not in back.values()
    await unload_leaves_nothing(hass, mock_config_entry, sim.port)


@pytest.mark.parametrize(
    ("personality", "sim_password"),
    [("antminer-s19", "root"), ("whatsminer-m30s", "admin"), ("avalon", "root")],
)
async def test_replaced_miner_is_not_mixed_in(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: MinerSimulator
) -> None:
    """Another miner at the address: unavailable, a repair issue, the old device untouched."""
    await set_up(hass, mock_config_entry)
    coordinator = mock_config_entry.runtime_data
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, str(mock_config_entry.unique_id)), mock_config_entry.entry_id
    )
    assert device is not None
    before = (device.connections, device.serial_number, device.model, device.sw_version)
    data_before = dict(mock_config_entry.data)

    await asyncio.sleep(1.1)  # up for a second or more
    await coordinator.async_refresh()
    assert coordinator.last_update_success
    sim.mac = "02:aa:bb:cc:dd:ee"
    sim.state.reset_uptime()  # another miner, just started
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert not coordinator.last_update_success
    assert set(states_of(hass, mock_config_entry).values()) == {STATE_UNAVAILABLE}
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"another_miner_{mock_config_entry.entry_id}"
    )
    assert issue is not None
    device = dr.async_get(hass).async_get(device.id)
    assert (device.connections, device.serial_number, device.model, device.sw_version) == before
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert dict(mock_config_entry.data) == data_before
    assert "02:aa:bb:cc:dd:ee" not in str(coordinator.data)  # the stranger's data is not kept
    await unload_leaves_nothing(hass, mock_config_entry, sim.port)
