"""Buttons: restart the mining software, reboot, identify (fault light)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, override

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.components.button.const import ButtonDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Capability
from .coordinator import AsicMinerConfigEntry
from .entity import AsicMinerEntity, async_run_control

if TYPE_CHECKING:
    from .api.base import BaseMinerAPI

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class AsicMinerButtonEntityDescription(ButtonEntityDescription):
    """A button backed by a capability."""

    capability: Capability
    press_fn: Callable[[BaseMinerAPI], Awaitable[None]]


BUTTONS: tuple[AsicMinerButtonEntityDescription, ...] = (
    AsicMinerButtonEntityDescription(
        key="restart_backend",
        translation_key="restart_backend",
        entity_category=EntityCategory.CONFIG,
        capability=Capability.RESTART_BACKEND,
        press_fn=lambda api: api.restart_backend(),
    ),
    AsicMinerButtonEntityDescription(
        key="reboot",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        capability=Capability.REBOOT,
        press_fn=lambda api: api.reboot(),
    ),
    AsicMinerButtonEntityDescription(
        key="identify",
        device_class=ButtonDeviceClass.IDENTIFY,
        entity_category=EntityCategory.DIAGNOSTIC,
        capability=Capability.FAULT_LIGHT,
        press_fn=lambda api: api.set_fault_light(True),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AsicMinerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the buttons this firmware supports."""
    coordinator = entry.runtime_data
    async_add_entities(
        AsicMinerButtonEntity(coordinator, description)
        for description in BUTTONS
        if description.capability in coordinator.api.capabilities
    )


class AsicMinerButtonEntity(AsicMinerEntity, ButtonEntity):
    """One control button."""

    entity_description: AsicMinerButtonEntityDescription

    @override
    async def async_press(self) -> None:
        """Send the command, then refresh."""
        await async_run_control(
            self.coordinator, lambda: self.entity_description.press_fn(self.coordinator.api)
        )
