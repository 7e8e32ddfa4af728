"""The ASIC Miner integration: Bitcoin ASIC miners over the CGMiner-family API."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.const import CONF_HOST, CONF_SCAN_INTERVAL, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv, issue_registry as ir
from homeassistant.helpers.typing import ConfigType

from .const import CONF_FAMILY, DEFAULT_SCAN_INTERVAL, DOMAIN, LOGGER
from .controls import async_remove_unconfigured_controls
from .coordinator import AsicMinerConfigEntry, AsicMinerCoordinator, translated_api_errors
from .miner import (
    LEGACY_ADDRESS_PREFIX,
    async_adopt_identity,
    async_create_api,
    async_rekey,
    generated_unique_id,
)
from .services import async_setup_services

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions once, whatever the number of miners."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: AsicMinerConfigEntry) -> bool:
    """Set up one miner: build its client, fetch identity and a first poll, add entities."""
    with translated_api_errors(entry.data[CONF_HOST], ConfigEntryNotReady):
        api = await async_create_api(hass, entry.data)
    # Whatever the client holds open is released when the entry unloads, and when this setup
    # fails (Home Assistant runs these callbacks then too).
    entry.async_on_unload(api.close)
    if entry.data.get(CONF_FAMILY) != api.family:
        hass.config_entries.async_update_entry(entry, data={**entry.data, CONF_FAMILY: api.family})

    coordinator = AsicMinerCoordinator(
        hass,
        entry,
        api,
        timedelta(seconds=entry.options.get(CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL)),
    )
    await coordinator.async_config_entry_first_refresh()
    # Before the entities are made: an entry keyed by no identity takes the one its miner
    # shows now (the registries follow, entity ids stay).
    async_adopt_identity(hass, entry, coordinator.identity)
    # No update listener: reauth and reconfigure reload the entry themselves
    # (``async_update_reload_and_abort``), and the options flow applies a new interval to the
    # running coordinator (``AsicMinerOptionsFlow``). Home Assistant refuses an update listener
    # combined with those reloads from 2026.12 on.
    entry.runtime_data = coordinator
    async_remove_unconfigured_controls(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_migrate_entry(hass: HomeAssistant, entry: AsicMinerConfigEntry) -> bool:
    """1.1 → 1.2: an entry keyed by its address (``host:<host>:<port>``, earlier versions)
    gets a generated id instead, with its device and entities; an IP address is no unique id.
    Setup then keys it by the miner's own identity as soon as the miner shows one."""
    # Home Assistant refuses an entry of a later major version by itself; a later minor one
    # (after a downgrade) is left as it is.
    if entry.minor_version < 2:
        if str(entry.unique_id).startswith(LEGACY_ADDRESS_PREFIX):
            async_rekey(hass, entry, generated_unique_id())
        hass.config_entries.async_update_entry(entry, minor_version=2)
        LOGGER.debug("Migrated %s to version 1.2", entry.title)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: AsicMinerConfigEntry) -> bool:
    """Unload one miner."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: AsicMinerConfigEntry) -> None:
    """Drop the miner's repair issues with the miner."""
    ir.async_delete_issue(hass, DOMAIN, f"api_locked_{entry.entry_id}")
    ir.async_delete_issue(hass, DOMAIN, f"another_miner_{entry.entry_id}")
