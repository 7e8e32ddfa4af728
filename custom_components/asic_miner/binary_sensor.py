"""Binary sensors: whether the miner answers, whether it reports errors, and whether it hashes
(where no mining switch shows that)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import override

from homeassistant.components.binary_sensor import BinarySensorEntity, BinarySensorEntityDescription
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Capability, MinerData
from .controls import async_controlled
from .coordinator import AsicMinerConfigEntry
from .entity import (
    AsicMinerEntity,
    async_add_entities_when_reported,
    async_remove_entities,
    registered_keys,
)

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class AsicMinerBinarySensorEntityDescription(BinarySensorEntityDescription):
    """A binary sensor, added once ``exists_fn`` says the firmware reports it."""

    is_on_fn: Callable[[MinerData], bool | None]
    exists_fn: Callable[[MinerData], bool] = lambda _: True
    #: Only for firmwares with an error source (``reports_errors``): elsewhere "no problem"
    #: would be a fake all-clear.
    requires_error_source: bool = False
    #: Not where the miner can do this (its switch then shows the state: one entity per
    #: concept).
    unless_capability: Capability | None = None


BINARY_SENSORS: tuple[AsicMinerBinarySensorEntityDescription, ...] = (
    AsicMinerBinarySensorEntityDescription(
        key="mining",
        translation_key="mining",
        device_class=BinarySensorDeviceClass.RUNNING,
        is_on_fn=lambda data: data.is_mining,
        exists_fn=lambda data: data.is_mining is not None,
        unless_capability=Capability.PAUSE_RESUME,
    ),
    AsicMinerBinarySensorEntityDescription(
        # The key of the first versions ("problem"), kept so that the entity keeps its id.
        key="problem",
        translation_key="reported_errors",
        device_class=BinarySensorDeviceClass.PROBLEM,
        entity_category=EntityCategory.DIAGNOSTIC,
        is_on_fn=lambda data: None if data.errors is None else bool(data.errors),
        requires_error_source=True,
    ),
)


CONNECTIVITY = BinarySensorEntityDescription(
    key="connectivity",
    translation_key="connectivity",
    device_class=BinarySensorDeviceClass.CONNECTIVITY,
    entity_category=EntityCategory.DIAGNOSTIC,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AsicMinerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors the miner reports."""
    coordinator = entry.runtime_data
    api = coordinator.api
    async_add_entities([AsicMinerConnectivityEntity(coordinator, CONNECTIVITY)])
    registered = registered_keys(hass, entry)
    # The mining twin only where no switch shows it; one the registry knows stays while the
    # switch is missing for a reason of the moment.
    controlled = async_controlled(hass, entry)
    offered = [
        description
        for description in BINARY_SENSORS
        if (api.reports_errors or not description.requires_error_source)
        and (
            description.unless_capability not in controlled
            or (
                description.key in registered
                and description.unless_capability not in api.capabilities
            )
        )
    ]
    async_remove_entities(
        hass,
        entry,
        [description.key for description in BINARY_SENSORS if description not in offered],
    )
    async_add_entities_when_reported(
        hass,
        entry,
        async_add_entities,
        offered,
        reported=lambda description, data: description.exists_fn(data),
        create=lambda description: AsicMinerBinarySensorEntity(coordinator, description),
    )


class AsicMinerBinarySensorEntity(AsicMinerEntity, BinarySensorEntity):
    """One binary sensor of a miner."""

    entity_description: AsicMinerBinarySensorEntityDescription
    # The messages change with the miner's clock and counters: kept in the state, not in the
    # recorder's history of every change.
    _unrecorded_attributes = frozenset({"errors"})

    @override
    def _shown_by_control(self) -> Capability | None:
        return self.entity_description.unless_capability

    @property
    @override
    def is_on(self) -> bool | None:
        """The state of the last successful poll."""
        return self.entity_description.is_on_fn(self.coordinator.data)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, list[str]] | None:
        """The miner's own error messages, on the reported errors sensor (none while they
        could not be read)."""
        errors = self.coordinator.data.errors
        if self.entity_description.key != "problem" or errors is None:
            return None
        return {"errors": list(errors)}


class AsicMinerConnectivityEntity(AsicMinerEntity, BinarySensorEntity):
    """Whether the miner answered the last poll: the one entity that stays available when the
    miner stops answering, so that "tell me when a miner goes offline" has a state to watch."""

    @property
    @override
    def available(self) -> bool:
        """Always: being unreachable is this entity's "off", not its absence."""
        return True

    @property
    @override
    def is_on(self) -> bool:
        """On while the polls succeed."""
        return self.coordinator.last_update_success
