"""Switches: mining on/off (pause/resume) and the fault light, as the miner reports them, or
as last set (an assumed state) while the firmware does not report it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, override

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Capability, MinerData
from .coordinator import AsicMinerConfigEntry
from .entity import AsicMinerEntity, async_add_entities_when_reported, async_run_control

if TYPE_CHECKING:
    from .api.base import BaseMinerAPI

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class AsicMinerSwitchEntityDescription(SwitchEntityDescription):
    """A switch backed by a capability; the state always comes from the last poll."""

    capability: Capability
    is_on_fn: Callable[[MinerData], bool | None]
    #: Whether the switch can be offered for this reply (the capability is checked first).
    exists_fn: Callable[[MinerData], bool]
    set_fn: Callable[[BaseMinerAPI, bool], Awaitable[None]]


async def _set_mining(api: BaseMinerAPI, on: bool) -> None:
    if on:
        await api.resume_mining()
    else:
        await api.pause_mining()


SWITCHES: tuple[AsicMinerSwitchEntityDescription, ...] = (
    AsicMinerSwitchEntityDescription(
        key="mining",
        translation_key="mining",
        capability=Capability.PAUSE_RESUME,
        is_on_fn=lambda data: data.is_mining,
        exists_fn=lambda data: data.is_mining is not None,
        set_fn=_set_mining,
    ),
    AsicMinerSwitchEntityDescription(
        key="fault_light",
        translation_key="fault_light",
        entity_category=EntityCategory.CONFIG,
        capability=Capability.FAULT_LIGHT,
        is_on_fn=lambda data: data.fault_light,
        # Several firmwares can set the light but never report it: the switch is still the
        # only way to turn it off again, with an assumed state.
        exists_fn=lambda _: True,
        set_fn=lambda api, on: api.set_fault_light(on),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AsicMinerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the switches this firmware supports and whose state it reports."""
    coordinator = entry.runtime_data
    async_add_entities_when_reported(
        hass,
        entry,
        async_add_entities,
        [
            description
            for description in SWITCHES
            if description.capability in coordinator.api.capabilities
        ],
        reported=lambda description, data: description.exists_fn(data),
        create=lambda description: AsicMinerSwitchEntity(coordinator, description),
    )


class AsicMinerSwitchEntity(AsicMinerEntity, SwitchEntity):
    """A switch showing what the miner reports; while it reports nothing (several firmwares
    can set the fault light but never report it), the value last set here, as an assumed
    state. A refresh after each command shows what the miner did."""

    entity_description: AsicMinerSwitchEntityDescription
    #: The value this entity last set successfully (shown only while none is reported).
    _last_set: bool | None = None

    @property
    def _reported(self) -> bool | None:
        return self.entity_description.is_on_fn(self.coordinator.data)

    @property
    @override
    def is_on(self) -> bool | None:
        """As reported by the last poll, else as last set."""
        reported = self._reported
        return self._last_set if reported is None else reported

    @property
    @override
    def assumed_state(self) -> bool:
        """Offer both on and off while the firmware does not report the state."""
        return self._reported is None

    async def _set(self, on: bool) -> None:
        async def control() -> None:
            await self.entity_description.set_fn(self.coordinator.api, on)
            self._last_set = on

        await async_run_control(self.coordinator, control)

    @override
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch on at the miner, then refresh."""
        await self._set(True)

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch off at the miner, then refresh."""
        await self._set(False)
