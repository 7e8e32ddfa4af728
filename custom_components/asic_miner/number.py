"""Number: the power limit, bounded by what the firmware accepts."""

from __future__ import annotations

from typing import override

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntity,
    NumberEntityDescription,
    NumberMode,
)
from homeassistant.const import EntityCategory, UnitOfPower
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import AsicMinerConfigEntry, AsicMinerCoordinator
from .entity import AsicMinerEntity
from .helpers import async_run_control, can_set_power_limit

PARALLEL_UPDATES = 1

POWER_LIMIT = NumberEntityDescription(
    key="power_limit",
    translation_key="power_limit",
    device_class=NumberDeviceClass.POWER,
    native_unit_of_measurement=UnitOfPower.WATT,
    entity_category=EntityCategory.CONFIG,
    mode=NumberMode.BOX,
    native_step=1,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AsicMinerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the power limit where the firmware has one with known bounds."""
    coordinator = entry.runtime_data
    if can_set_power_limit(coordinator):
        async_add_entities([AsicMinerPowerLimitEntity(coordinator)])


class AsicMinerPowerLimitEntity(AsicMinerEntity, NumberEntity):
    """The power limit; the value shown is the one the miner reports back."""

    def __init__(self, coordinator: AsicMinerCoordinator) -> None:
        """Take the bounds from the client (known: ``can_set_power_limit``)."""
        super().__init__(coordinator, POWER_LIMIT)
        bounds = coordinator.api.power_limit_bounds
        assert bounds is not None
        self._bounds = bounds

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Follow the bounds too: some firmwares derive them from what each poll lists (LuxOS
        profiles), so they may change after a re-tune."""
        self._bounds = self.coordinator.api.power_limit_bounds or self._bounds
        super()._handle_coordinator_update()

    @property
    @override
    def native_min_value(self) -> float:
        """The smallest limit the miner accepts."""
        return self._bounds[0]

    @property
    @override
    def native_max_value(self) -> float:
        """The largest limit the miner accepts."""
        return self._bounds[1]

    @property
    @override
    def native_value(self) -> float | None:
        """As reported by the last poll."""
        return self.coordinator.data.power_limit

    @override
    async def async_set_native_value(self, value: float) -> None:
        """Send the new limit, then refresh."""
        await async_run_control(
            self.coordinator, lambda: self.coordinator.api.set_power_limit(round(value))
        )
