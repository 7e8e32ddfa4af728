"""Switches: mining on/off (pause/resume) and the fault light, as the miner reports them."""

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
from .entity import AsicMinerEntity, async_add_entities_when_reported
from .helpers import async_run_control

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
    """A switch; no optimistic state: a refresh after the command shows what the miner did."""

    entity_description: AsicMinerSwitchEntityDescription

    @property
    @override
    def is_on(self) -> bool | None:
        """As reported by the last poll."""
        return self.entity_description.is_on_fn(self.coordinator.data)

    @property
    @override
    def assumed_state(self) -> bool:
        """Offer both on and off while the firmware does not report the state."""
        return self.is_on is None

    @override
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch on at the miner, then refresh."""
        await async_run_control(
            self.coordinator, lambda: self.entity_description.set_fn(self.coordinator.api, True)
        )

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch off at the miner, then refresh."""
        await async_run_control(
            self.coordinator, lambda: self.entity_description.set_fn(self.coordinator.api, False)
        )
