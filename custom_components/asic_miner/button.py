"""Buttons: reboot the miner, restart its mining software, make it show itself."""

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
from .coordinator import AsicMinerConfigEntry, AsicMinerCoordinator
from .entity import AsicMinerControlEntity, async_add_entities_when_reported, async_remove_entities
from .helpers import async_run_control

if TYPE_CHECKING:
    from .api.miner import Miner

PARALLEL_UPDATES = 1

#: Buttons of earlier versions, removed from the registry where no longer offered: Identify
#: switched the fault light on for two minutes, beside the fault light switch that does the
#: same (one concept). The key now belongs to firmwares whose identify is a momentary action
#: of its own (AxeOS), kept where it is offered.
RETIRED = ("identify",)


@dataclass(frozen=True, kw_only=True)
class AsicMinerButtonEntityDescription(ButtonEntityDescription):
    """A button backed by a capability."""

    capability: Capability
    press_fn: Callable[[Miner], Awaitable[None]]
    #: Whether the miner (or its mining software) restarts: polled closely until it is back
    #: (see ``async_run_control``).
    restarts: bool = True


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
        translation_key="reboot",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        capability=Capability.REBOOT,
        press_fn=lambda api: api.reboot(),
    ),
    # A momentary "here I am" that the device ends by itself (AxeOS shows "Hi!" for 30 s),
    # with no state to show: a button, not the fault light switch.
    AsicMinerButtonEntityDescription(
        key="identify",
        translation_key="identify",
        device_class=ButtonDeviceClass.IDENTIFY,
        entity_category=EntityCategory.CONFIG,
        capability=Capability.IDENTIFY,
        press_fn=lambda api: api.identify(),
        restarts=False,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AsicMinerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the buttons this firmware supports, also when it offers them only later."""
    coordinator = entry.runtime_data
    offered = {
        description.key
        for description in BUTTONS
        if description.capability in coordinator.api.capabilities
    }
    async_remove_entities(hass, entry, set(RETIRED) - offered)
    async_add_entities_when_reported(
        hass,
        entry,
        async_add_entities,
        BUTTONS,
        reported=lambda description, _: description.capability in coordinator.api.capabilities,
        create=lambda description: AsicMinerButtonEntity(coordinator, description),
    )


class AsicMinerButtonEntity(AsicMinerControlEntity, ButtonEntity):
    """One control button."""

    entity_description: AsicMinerButtonEntityDescription

    def __init__(
        self, coordinator: AsicMinerCoordinator, description: AsicMinerButtonEntityDescription
    ) -> None:
        """Attach to the miner's device."""
        super().__init__(coordinator, description, description.capability)

    @override
    async def async_press(self) -> None:
        """Send the command, then refresh (following a restart closely)."""
        await async_run_control(
            self.coordinator,
            lambda: self.entity_description.press_fn(self.coordinator.api),
            restarts=self.entity_description.restarts,
        )
