"""Numbers: the settings a firmware takes as a value (power limit, fan duty, target
temperature, ASIC frequency and core voltage), bounded by what the miner accepts.

Each value shown is the one the miner reports back, never the one last sent. Where a firmware
accepts only the values of its own list (AxeOS frequencies and core voltages), the number
spans that list and a value outside it is refused before anything is sent, naming the values
the miner offers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, override

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntity,
    NumberEntityDescription,
    NumberMode,
)
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    UnitOfElectricPotential,
    UnitOfFrequency,
    UnitOfPower,
    UnitOfTemperature,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Capability, MinerData
from .const import DOMAIN
from .coordinator import AsicMinerConfigEntry, AsicMinerCoordinator
from .entity import AsicMinerControlEntity, async_add_entities_when_reported
from .helpers import async_run_control, fan_duty, settable

if TYPE_CHECKING:
    from .api.miner import Miner

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class AsicMinerNumberEntityDescription(NumberEntityDescription):
    """A setting backed by a capability, with its range (or list of values) from the client."""

    capability: Capability
    value_fn: Callable[[MinerData], float | None]
    #: (min, max) the miner accepts; read again at each poll (some firmwares derive it from
    #: what they report, such as LuxOS's profiles).
    bounds_fn: Callable[[Miner], tuple[int, int] | None]
    #: The only values accepted, where the firmware lists them (the range then spans them).
    options_fn: Callable[[Miner], tuple[int, ...]] | None = None
    set_fn: Callable[[Miner, int], Awaitable[None]]


def _span(options: tuple[int, ...]) -> tuple[int, int] | None:
    return (min(options), max(options)) if options else None


NUMBERS: tuple[AsicMinerNumberEntityDescription, ...] = (
    AsicMinerNumberEntityDescription(
        key="power_limit",
        translation_key="power_limit",
        device_class=NumberDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        entity_category=EntityCategory.CONFIG,
        mode=NumberMode.BOX,
        native_step=1,
        capability=Capability.POWER_LIMIT,
        value_fn=lambda data: data.power_limit,
        bounds_fn=lambda api: api.power_limit_bounds,
        set_fn=lambda api, watts: api.set_power_limit(watts),
    ),
    # A duty set here is manual control; the fan mode select gives control back to the
    # firmware. While the firmware drives the fans, this shows the duty it chose.
    AsicMinerNumberEntityDescription(
        key="fan_duty",
        translation_key="fan_duty",
        native_unit_of_measurement=PERCENTAGE,
        entity_category=EntityCategory.CONFIG,
        mode=NumberMode.SLIDER,
        native_step=1,
        capability=Capability.FAN_SPEED,
        value_fn=fan_duty,
        bounds_fn=lambda api: api.fan_speed_bounds,
        set_fn=lambda api, percent: api.set_fan_speed(percent),
    ),
    AsicMinerNumberEntityDescription(
        key="target_temperature",
        translation_key="target_temperature",
        device_class=NumberDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        entity_category=EntityCategory.CONFIG,
        mode=NumberMode.SLIDER,
        native_step=1,
        capability=Capability.TARGET_TEMPERATURE,
        value_fn=lambda data: data.target_temperature,
        bounds_fn=lambda api: api.target_temperature_bounds,
        set_fn=lambda api, celsius: api.set_target_temperature(celsius),
    ),
    AsicMinerNumberEntityDescription(
        key="frequency",
        translation_key="frequency",
        device_class=NumberDeviceClass.FREQUENCY,
        native_unit_of_measurement=UnitOfFrequency.MEGAHERTZ,
        entity_category=EntityCategory.CONFIG,
        mode=NumberMode.BOX,
        native_step=1,
        capability=Capability.FREQUENCY,
        value_fn=lambda data: data.frequency,
        bounds_fn=lambda api: _span(api.frequency_options),
        options_fn=lambda api: api.frequency_options,
        set_fn=lambda api, mhz: api.set_frequency(mhz),
    ),
    AsicMinerNumberEntityDescription(
        key="core_voltage",
        translation_key="core_voltage",
        device_class=NumberDeviceClass.VOLTAGE,
        native_unit_of_measurement=UnitOfElectricPotential.MILLIVOLT,
        entity_category=EntityCategory.CONFIG,
        mode=NumberMode.BOX,
        native_step=1,
        capability=Capability.CORE_VOLTAGE,
        value_fn=lambda data: data.core_voltage_setting,
        bounds_fn=lambda api: _span(api.core_voltage_options),
        options_fn=lambda api: api.core_voltage_options,
        set_fn=lambda api, millivolts: api.set_core_voltage(millivolts),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AsicMinerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each setting the firmware can change, also when it offers it only later; its
    range may come later too (unavailable until then)."""
    coordinator = entry.runtime_data
    async_add_entities_when_reported(
        hass,
        entry,
        async_add_entities,
        NUMBERS,
        reported=lambda description, _: settable(coordinator, description.capability),
        create=lambda description: AsicMinerNumberEntity(coordinator, description),
    )


class AsicMinerNumberEntity(AsicMinerControlEntity, NumberEntity):
    """One setting; the value shown is the one the miner reports back."""

    entity_description: AsicMinerNumberEntityDescription

    def __init__(
        self, coordinator: AsicMinerCoordinator, description: AsicMinerNumberEntityDescription
    ) -> None:
        """Take the range from the client, where it knows it already."""
        super().__init__(coordinator, description, description.capability)
        self._bounds = description.bounds_fn(coordinator.api)

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Follow the range too; the last known one stays while the client has none."""
        self._bounds = self.entity_description.bounds_fn(self.coordinator.api) or self._bounds
        super()._handle_coordinator_update()

    @property
    @override
    def available(self) -> bool:
        """Also only once the range is known (LuxOS reads its profiles now and then)."""
        return super().available and self._bounds is not None

    @property
    @override
    def native_min_value(self) -> float:
        """The smallest value the miner accepts (Home Assistant's default while unknown)."""
        return super().native_min_value if self._bounds is None else self._bounds[0]

    @property
    @override
    def native_max_value(self) -> float:
        """The largest value the miner accepts (Home Assistant's default while unknown)."""
        return super().native_max_value if self._bounds is None else self._bounds[1]

    @property
    @override
    def native_value(self) -> float | None:
        """As reported by the last poll."""
        return self.entity_description.value_fn(self.coordinator.data)

    @override
    async def async_set_native_value(self, value: float) -> None:
        """Send the new value (one of the miner's own where it lists them), then refresh."""
        setting = round(value)
        options_fn = self.entity_description.options_fn
        if options_fn is not None and setting not in (options := options_fn(self.coordinator.api)):
            unit = self.native_unit_of_measurement
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="value_not_offered",
                translation_placeholders={
                    "name": self.coordinator.config_entry.title,
                    "setting": str(self.name),
                    "value": f"{setting} {unit}",
                    "allowed": f"{', '.join(str(option) for option in options)} {unit}",
                },
            )
        await async_run_control(
            self.coordinator,
            lambda: self.entity_description.set_fn(self.coordinator.api, setting),
        )
