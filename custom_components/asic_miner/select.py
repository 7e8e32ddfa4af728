"""Select: the work mode, where the firmware has modes."""

from __future__ import annotations

from typing import override

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Capability
from .coordinator import AsicMinerConfigEntry, AsicMinerCoordinator
from .entity import AsicMinerEntity
from .helpers import async_run_control

PARALLEL_UPDATES = 1

#: Work modes that are the mining switch's "off" (stock Antminer "sleep"): one concept, one
#: entity, so they are not offered where the miner has that switch.
PAUSE_MODES = frozenset({"sleep"})

WORK_MODE = SelectEntityDescription(
    key="work_mode",
    translation_key="work_mode",
    entity_category=EntityCategory.CONFIG,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AsicMinerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the work mode where the firmware has modes."""
    coordinator = entry.runtime_data
    api = coordinator.api
    if Capability.WORK_MODE in api.capabilities and api.work_modes:
        async_add_entities([AsicMinerWorkModeEntity(coordinator)])


class AsicMinerWorkModeEntity(AsicMinerEntity, SelectEntity):
    """The work mode reported by the miner."""

    def __init__(self, coordinator: AsicMinerCoordinator) -> None:
        """Offer the modes the client knows for this firmware, but pausing."""
        super().__init__(coordinator, WORK_MODE)
        api = coordinator.api
        pausing = PAUSE_MODES if Capability.PAUSE_RESUME in api.capabilities else frozenset()
        self._attr_options = [mode for mode in api.work_modes if mode not in pausing]

    @property
    @override
    def current_option(self) -> str | None:
        """As reported by the last poll; unknown for a mode outside the list (while asleep,
        the mining switch is off and the miner is in no work mode to show)."""
        mode = self.coordinator.data.work_mode
        return mode if mode in self._attr_options else None

    @override
    async def async_select_option(self, option: str) -> None:
        """Switch mode, then refresh."""
        await async_run_control(
            self.coordinator, lambda: self.coordinator.api.set_work_mode(option)
        )
