"""Buttons: restart the mining software, reboot, identify (fault light)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, override

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.components.button.const import ButtonDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later

from .api import APIError, Capability
from .const import LOGGER
from .coordinator import AsicMinerConfigEntry
from .entity import AsicMinerEntity
from .helpers import async_run_control

if TYPE_CHECKING:
    from .api.base import BaseMinerAPI

PARALLEL_UPDATES = 1

#: How long Identify keeps the fault light on: long enough to walk to the rack.
IDENTIFY_DURATION = timedelta(minutes=2)


@dataclass(frozen=True, kw_only=True)
class AsicMinerButtonEntityDescription(ButtonEntityDescription):
    """A button backed by a capability."""

    capability: Capability
    press_fn: Callable[[BaseMinerAPI], Awaitable[None]]
    #: What undoes the press after ``IDENTIFY_DURATION`` (the fault light, which no firmware
    #: switches off by itself).
    undo_fn: Callable[[BaseMinerAPI], Awaitable[None]] | None = None


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
        undo_fn=lambda api: api.set_fault_light(False),
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
    _cancel_undo: CALLBACK_TYPE | None = None

    @override
    async def async_press(self) -> None:
        """Send the command, then refresh; schedule the undo where there is one."""
        await async_run_control(
            self.coordinator, lambda: self.entity_description.press_fn(self.coordinator.api)
        )
        if self.entity_description.undo_fn is not None:
            if self._cancel_undo is not None:
                self._cancel_undo()
            self._cancel_undo = async_call_later(self.hass, IDENTIFY_DURATION, self._undo)

    @callback
    def _undo(self, _now: datetime) -> None:
        self._cancel_undo = None
        self.hass.async_create_background_task(
            self._async_undo(), f"{self.entity_id} undo", eager_start=True
        )

    async def _async_undo(self) -> None:
        undo_fn = self.entity_description.undo_fn
        assert undo_fn is not None
        try:
            await undo_fn(self.coordinator.api)
        except APIError as err:
            # Nobody is waiting for this; the fault-light switch can still turn it off.
            LOGGER.warning("%s: could not switch the fault light off: %s", self.entity_id, err)
            return
        await self.coordinator.async_request_refresh()

    @override
    async def async_will_remove_from_hass(self) -> None:
        """A pending undo dies with the entity."""
        if self._cancel_undo is not None:
            self._cancel_undo()
            self._cancel_undo = None
        await super().async_will_remove_from_hass()
