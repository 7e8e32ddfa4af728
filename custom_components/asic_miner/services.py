"""Actions targeted at miners by device or entity: reboot, restart backend, power limit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.service import async_extract_config_entry_ids
import probatio

from .api import Capability
from .const import DOMAIN
from .coordinator import AsicMinerConfigEntry, AsicMinerCoordinator
from .helpers import async_run_control

SERVICE_REBOOT = "reboot"
SERVICE_RESTART_BACKEND = "restart_backend"
SERVICE_SET_POWER_LIMIT = "set_power_limit"
ATTR_WATTS = "watts"

TARGET_SCHEMA = probatio.Schema(cv.TARGET_SERVICE_FIELDS)
SET_POWER_LIMIT_SCHEMA = TARGET_SCHEMA.extend(
    {probatio.Required(ATTR_WATTS): probatio.All(probatio.Coerce(int), probatio.Range(min=1))}
)


async def _async_targets(call: ServiceCall) -> list[AsicMinerCoordinator]:
    """The loaded miners the call targets; anything else is the caller's mistake."""
    entries: list[AsicMinerConfigEntry] = [
        entry
        for entry_id in await async_extract_config_entry_ids(call)
        if (entry := call.hass.config_entries.async_get_entry(entry_id)) is not None
        and entry.domain == DOMAIN
    ]
    if not entries:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_target")
    for entry in entries:
        if entry.state is not ConfigEntryState.LOADED:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="not_loaded",
                translation_placeholders={"name": entry.title},
            )
    return [entry.runtime_data for entry in sorted(entries, key=lambda entry: entry.title)]


def _require(call: ServiceCall, coordinator: AsicMinerCoordinator, capability: Capability) -> None:
    """Refuse the call for a miner without ``capability``, naming the action as it was called
    (``asic_miner.set_power_limit``), not the capability behind it."""
    if capability not in coordinator.api.capabilities:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unsupported",
            translation_placeholders={
                "name": coordinator.config_entry.title,
                "action": f"{call.domain}.{call.service}",
            },
        )


async def _async_simple(
    capability: Capability,
    control: Callable[[AsicMinerCoordinator], Awaitable[None]],
    call: ServiceCall,
) -> None:
    """Check every target first, so a bad one refuses the call before anything is sent."""
    coordinators = await _async_targets(call)
    for coordinator in coordinators:
        _require(call, coordinator, capability)
    for coordinator in coordinators:
        await async_run_control(coordinator, partial(control, coordinator), restarts=True)


async def _async_set_power_limit(call: ServiceCall) -> None:
    watts: int = call.data[ATTR_WATTS]
    coordinators = await _async_targets(call)
    for coordinator in coordinators:
        _require(call, coordinator, Capability.POWER_LIMIT)
        bounds = coordinator.api.power_limit_bounds
        if bounds is not None and not bounds[0] <= watts <= bounds[1]:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="power_limit_out_of_range",
                translation_placeholders={
                    "name": coordinator.config_entry.title,
                    "watts": str(watts),
                    "min": str(bounds[0]),
                    "max": str(bounds[1]),
                },
            )
    for coordinator in coordinators:
        await async_run_control(coordinator, partial(coordinator.api.set_power_limit, watts))


async def _reboot(coordinator: AsicMinerCoordinator) -> None:
    await coordinator.api.reboot()


async def _restart_backend(coordinator: AsicMinerCoordinator) -> None:
    await coordinator.api.restart_backend()


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the actions (called once, from ``async_setup``)."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_REBOOT,
        partial(_async_simple, Capability.REBOOT, _reboot),
        schema=TARGET_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_RESTART_BACKEND,
        partial(_async_simple, Capability.RESTART_BACKEND, _restart_backend),
        schema=TARGET_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN, SERVICE_SET_POWER_LIMIT, _async_set_power_limit, schema=SET_POWER_LIMIT_SCHEMA
    )
