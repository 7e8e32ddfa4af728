"""Switches: mining on/off (pause/resume), the fault light and the unit's display.

The fault light is the miner's locate LED, and its one entity: a switch, so that it stays on
while someone walks to the rack and can be turned off again. Where the firmware reports the
LED, the switch shows that; where it never does, the switch shows the last state set from Home
Assistant as an assumed state, restored after a restart rather than unknown.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, override

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoredExtraData, RestoreEntity

from .api import Capability, MinerData
from .coordinator import AsicMinerConfigEntry, AsicMinerCoordinator
from .entity import AsicMinerControlEntity, async_add_entities_when_reported
from .helpers import async_run_control

if TYPE_CHECKING:
    from .api.miner import Miner

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class AsicMinerSwitchEntityDescription(SwitchEntityDescription):
    """A switch backed by a capability."""

    capability: Capability
    is_on_fn: Callable[[MinerData], bool | None]
    #: Whether the switch can be offered for this reply (the capability is checked first).
    exists_fn: Callable[[MinerData], bool]
    set_fn: Callable[[Miner, bool], Awaitable[None]]
    #: Whether the last state set is shown (assumed, and restored) while the firmware does
    #: not report it; otherwise the state is unknown then.
    assumable: bool = False


async def _set_mining(api: Miner, on: bool) -> None:
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
        # only way to turn it off again.
        exists_fn=lambda _: True,
        set_fn=lambda api, on: api.set_fault_light(on),
        assumable=True,
    ),
    # The unit's own screen (Avalon Mini 3 and Q), as the firmware reports it.
    AsicMinerSwitchEntityDescription(
        key="display",
        translation_key="display",
        entity_category=EntityCategory.CONFIG,
        capability=Capability.DISPLAY,
        is_on_fn=lambda data: data.display_on,
        exists_fn=lambda data: data.display_on is not None,
        set_fn=lambda api, on: api.set_display(on),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AsicMinerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the switches this firmware supports and whose state it reports, also when it
    offers them only later (``async_add_entities_when_reported``)."""
    coordinator = entry.runtime_data
    async_add_entities_when_reported(
        hass,
        entry,
        async_add_entities,
        SWITCHES,
        reported=lambda description, data: (
            description.capability in coordinator.api.capabilities and description.exists_fn(data)
        ),
        create=lambda description: (
            AsicMinerAssumableSwitchEntity(coordinator, description)
            if description.assumable
            else AsicMinerSwitchEntity(coordinator, description)
        ),
    )


class AsicMinerSwitchEntity(AsicMinerControlEntity, SwitchEntity):
    """A switch; no optimistic state: a refresh after the command shows what the miner did."""

    entity_description: AsicMinerSwitchEntityDescription

    def __init__(
        self, coordinator: AsicMinerCoordinator, description: AsicMinerSwitchEntityDescription
    ) -> None:
        """Attach to the miner's device."""
        super().__init__(coordinator, description, description.capability)

    @property
    @override
    def is_on(self) -> bool | None:
        """As reported by the last poll."""
        return self.entity_description.is_on_fn(self.coordinator.data)

    @property
    @override
    def assumed_state(self) -> bool:
        """Offer both on and off while the firmware does not report the state."""
        return self.entity_description.is_on_fn(self.coordinator.data) is None

    @override
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch on at the miner, then refresh."""
        await async_run_control(self.coordinator, lambda: self._async_set(True))

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch off at the miner, then refresh."""
        await async_run_control(self.coordinator, lambda: self._async_set(False))

    async def _async_set(self, on: bool) -> None:
        await self.entity_description.set_fn(self.coordinator.api, on)


class AsicMinerAssumableSwitchEntity(AsicMinerSwitchEntity, RestoreEntity):
    """A switch whose state some firmwares never report: there it shows the last state set
    from Home Assistant, marked as assumed, and keeps it across restarts."""

    def __init__(
        self, coordinator: AsicMinerCoordinator, description: AsicMinerSwitchEntityDescription
    ) -> None:
        """Nothing assumed until restored or set."""
        super().__init__(coordinator, description)
        self._assumed: bool | None = None

    @override
    async def async_added_to_hass(self) -> None:
        """Take the last state set back from before the restart (kept apart from the state,
        which may have been "unavailable" when Home Assistant stopped)."""
        await super().async_added_to_hass()
        if (last := await self.async_get_last_extra_data()) is not None and isinstance(
            assumed := last.as_dict().get("assumed"), bool
        ):
            self._assumed = assumed

    @property
    @override
    def extra_restore_state_data(self) -> RestoredExtraData:
        """What to restore: the last state set from Home Assistant."""
        return RestoredExtraData({"assumed": self._assumed})

    @property
    @override
    def is_on(self) -> bool | None:
        """As reported by the last poll, else as last set."""
        reported = super().is_on
        return self._assumed if reported is None else reported

    @override
    async def _async_set(self, on: bool) -> None:
        await super()._async_set(on)
        self._assumed = on
