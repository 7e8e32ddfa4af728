"""Polling: one failure makes the miner unavailable (logged once), recovery is logged once,
faults never show stale or zero values; against the simulator's fault modes."""

import asyncio
from datetime import timedelta
import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.asic_miner.const import DOMAIN
from simulator import Fault, MinerSimulator

HASHRATE = "sensor.antminer_s19_hashrate"
POLL = timedelta(seconds=30)


async def _poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    freezer.tick(POLL)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def _poll_real_time(hass: HomeAssistant) -> None:
    """Trigger a poll without freezing time: timeouts and the simulator's sleeps must run."""
    async_fire_time_changed(hass, dt_util.utcnow() + POLL)
    await hass.async_block_till_done(wait_background_tasks=True)


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (Fault.REFUSE, "Could not communicate with the miner at 127.0.0.1"),
        (Fault.RESET, "Could not communicate with the miner at 127.0.0.1"),
        (Fault.GARBAGE, "sent a reply that could not be read"),
        (Fault.TRUNCATED, "127.0.0.1"),
    ],
)
async def test_unavailable_then_available_logged_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    fault: Fault,
    message: str,
) -> None:
    """Down is logged once however many polls fail; the return is logged once."""
    caplog.set_level(logging.INFO)
    assert hass.states.get(HASHRATE).state == "95.01"

    sim.set_fault(fault)
    for _ in range(3):
        await _poll(hass, freezer)
        assert hass.states.get(HASHRATE).state == STATE_UNAVAILABLE
    failures = [r for r in caplog.records if "Error fetching Antminer S19 data" in r.message]
    assert len(failures) == 1
    assert message in failures[0].message

    sim.set_fault(Fault.NONE)
    await _poll(hass, freezer)
    await _poll(hass, freezer)
    assert hass.states.get(HASHRATE).state == "95.01"
    recoveries = [r for r in caplog.records if "Fetching Antminer S19 data recovered" in r.message]
    assert len(recoveries) == 1


async def test_silent_miner_times_out(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
) -> None:
    """A miner that accepts the connection but never answers becomes unavailable."""
    api = init_integration.runtime_data.api
    api.timeout = api.connect_timeout = 0.3
    sim.set_fault(Fault.SILENT)
    await _poll_real_time(hass)
    assert hass.states.get(HASHRATE).state == STATE_UNAVAILABLE


async def test_reboot_fault(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
) -> None:
    """A rebooting miner is unavailable, then comes back with its values."""
    sim.set_fault(Fault.REBOOT, seconds=0.2)
    await asyncio.sleep(0)  # let the simulator go offline
    await _poll_real_time(hass)
    assert hass.states.get(HASHRATE).state == STATE_UNAVAILABLE
    async with asyncio.timeout(5):
        while sim.offline:
            await asyncio.sleep(0.05)
    await _poll_real_time(hass)
    assert hass.states.get(HASHRATE).state == "95.01"


async def test_wrong_password_during_poll_starts_reauth(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """When the identity must be re-read (after a reboot) and the password fails: reauth."""
    init_integration.runtime_data.api.forget_identity()
    sim.set_fault(Fault.WRONG_PASSWORD)
    await _poll(hass, freezer)
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_firmware_upgrade_updates_device(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A restart (uptime going backwards) re-reads the identity: a new firmware shows."""
    await _poll(hass, freezer)
    await _poll(hass, freezer)
    sim.state.firmware = "Antminer-S19-20240101"
    await _poll(hass, freezer)
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, str(init_integration.unique_id)), init_integration.entry_id
    )
    assert device is not None
    assert device.sw_version == "Antminer-S19-20210325"  # no restart: identity is cached

    sim.state.reset_uptime()
    await _poll(hass, freezer)
    device = device_registry.async_get(device.id)
    assert device.sw_version == "Antminer-S19-20240101"
    assert hass.states.get(HASHRATE).state == "95.01"


@pytest.mark.parametrize("personality", ["whatsminer-m30s"])
async def test_another_miner_at_the_address(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A different MAC at the address is not this miner's data: unavailable, with a reason."""
    await _poll(hass, freezer)
    await _poll(hass, freezer)  # up for a minute
    assert hass.states.get("sensor.whatsminer_m30s_hashrate").state != STATE_UNAVAILABLE
    sim.mac = "c4:08:28:00:99:99"
    sim.state.reset_uptime()  # another miner, up for 30 s at the next poll
    await _poll(hass, freezer)
    assert hass.states.get("sensor.whatsminer_m30s_hashrate").state == STATE_UNAVAILABLE
    assert "A different miner (MAC c4:08:28:00:99:99) now answers at 127.0.0.1" in caplog.text
    issue_id = f"another_miner_{init_integration.entry_id}"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders["identity"] == "MAC c4:08:28:00:99:99"

    # The right miner is back (the owner moved the other one): data and no issue.
    sim.mac = sim.personality.initial_state().mac
    await _poll(hass, freezer)
    assert hass.states.get("sensor.whatsminer_m30s_hashrate").state != STATE_UNAVAILABLE
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


@pytest.mark.parametrize(
    ("personality", "sim_password", "kind"),
    [("antminer-s19", "root", "serial"), ("antminer-s9", None, "miner_id")],
)
async def test_another_miner_by_the_identity_the_entry_is_keyed_by(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    sim: MinerSimulator,
    kind: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An entry keyed by serial number (a miner that reports no MAC) or by the firmware's own
    id (a stock Antminer whose owner changed the web password, so no MAC or serial is read) is
    compared by that: another miner's readings never land in this miner's history."""
    if kind == "serial":
        sim.mac = "00:00:00:00:00:00"  # no MAC: the serial number keys the entry
        unique_id = f"serial:{sim.state.serial}"
    else:
        sim.state.password = "changed-by-the-owner"  # nothing but stats' miner_id is read
        unique_id = f"miner_id:{sim.personality.miner_id}"  # type: ignore[attr-defined]
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(mock_config_entry, unique_id=unique_id)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    hashrate = "sensor.antminer_s9_hashrate" if kind == "miner_id" else HASHRATE
    await _poll(hass, freezer)
    await _poll(hass, freezer)  # up for a minute
    assert hass.states.get(hashrate).state != STATE_UNAVAILABLE
    assert mock_config_entry.unique_id == unique_id

    if kind == "serial":
        sim.state.serial = "ANOTHER-SERIAL-0001"
        described = "serial number ANOTHER-SERIAL-0001"
    else:
        sim.personality.miner_id = "0badc0ffee000001"  # type: ignore[attr-defined]
        described = "miner id 0badc0ffee000001"
    sim.state.reset_uptime()  # another miner, up for 30 s at the next poll
    await _poll(hass, freezer)
    assert hass.states.get(hashrate).state == STATE_UNAVAILABLE
    assert f"A different miner ({described}) now answers at 127.0.0.1" in caplog.text
    issue_id = f"another_miner_{mock_config_entry.entry_id}"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders["identity"] == described
