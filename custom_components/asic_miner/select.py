"""Selects: the settings a firmware takes as one of a list (work mode, work level, power
preset, fan mode), with the choices the client knows for this miner.

Work modes and levels are states of this integration, translated; power presets are the
firmware's own names (VNish: ``"3250"``, ``"disabled"``), shown as given.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, override

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Capability, MinerData
from .coordinator import AsicMinerConfigEntry, AsicMinerCoordinator
from .entity import AsicMinerControlEntity, async_add_entities_when_reported
from .helpers import FAN_AUTO, FAN_MODES, async_run_control, fan_duty, fan_mode, settable

if TYPE_CHECKING:
    from .api.miner import Miner

PARALLEL_UPDATES = 1

#: Work modes that are the mining switch's "off" (stock Antminer "sleep"): one concept, one
#: entity, so they are not offered where the miner has that switch.
PAUSE_MODES = frozenset({"sleep"})


@dataclass(frozen=True, kw_only=True)
class AsicMinerSelectEntityDescription(SelectEntityDescription):
    """A choice backed by a capability."""

    capability: Capability
    options_fn: Callable[[Miner], Sequence[str]]
    current_fn: Callable[[MinerData], str | None]
    select_fn: Callable[[AsicMinerCoordinator, str], Awaitable[None]]


def _work_modes(api: Miner) -> list[str]:
    pausing = PAUSE_MODES if Capability.PAUSE_RESUME in api.capabilities else frozenset()
    return [mode for mode in api.work_modes if mode not in pausing]


async def _set_fan_mode(coordinator: AsicMinerCoordinator, mode: str) -> None:
    """Automatic: the firmware's control. Manual: the fans stay at the duty they run at now
    (within the manual range); when they stand still or report nothing (an idle unit), at the
    top of the range, the one duty that cannot overheat the miner once it hashes again."""
    api = coordinator.api
    if mode == FAN_AUTO:
        await api.set_fan_speed(None)
        return
    low, high = api.fan_speed_bounds or (0, 100)
    duty = fan_duty(coordinator.data)
    await api.set_fan_speed(min(max(duty, low), high) if duty else high)


SELECTS: tuple[AsicMinerSelectEntityDescription, ...] = (
    AsicMinerSelectEntityDescription(
        key="work_mode",
        translation_key="work_mode",
        entity_category=EntityCategory.CONFIG,
        capability=Capability.WORK_MODE,
        options_fn=_work_modes,
        current_fn=lambda data: data.work_mode,
        select_fn=lambda coordinator, mode: coordinator.api.set_work_mode(mode),
    ),
    # Avalon Mini 3: a level within the work mode.
    AsicMinerSelectEntityDescription(
        key="work_level",
        translation_key="work_level",
        entity_category=EntityCategory.CONFIG,
        capability=Capability.WORK_LEVEL,
        options_fn=lambda api: api.work_levels,
        current_fn=lambda data: data.work_level,
        select_fn=lambda coordinator, level: coordinator.api.set_work_level(level),
    ),
    AsicMinerSelectEntityDescription(
        key="power_preset",
        translation_key="power_preset",
        entity_category=EntityCategory.CONFIG,
        capability=Capability.POWER_PRESET,
        options_fn=lambda api: api.power_presets,
        current_fn=lambda data: data.power_preset,
        select_fn=lambda coordinator, preset: coordinator.api.set_power_preset(preset),
    ),
    AsicMinerSelectEntityDescription(
        key="fan_mode",
        translation_key="fan_mode",
        entity_category=EntityCategory.CONFIG,
        capability=Capability.FAN_SPEED,
        options_fn=lambda _: FAN_MODES,
        current_fn=fan_mode,
        select_fn=_set_fan_mode,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AsicMinerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each choice the firmware offers, also when it offers it only later; its choices
    may come later too (unavailable until then)."""
    coordinator = entry.runtime_data
    async_add_entities_when_reported(
        hass,
        entry,
        async_add_entities,
        SELECTS,
        reported=lambda description, _: settable(coordinator, description.capability),
        create=lambda description: AsicMinerSelectEntity(coordinator, description),
    )


class AsicMinerSelectEntity(AsicMinerControlEntity, SelectEntity):
    """One choice; the option shown is the one the miner reports."""

    entity_description: AsicMinerSelectEntityDescription

    def __init__(
        self, coordinator: AsicMinerCoordinator, description: AsicMinerSelectEntityDescription
    ) -> None:
        """Attach to the miner's device."""
        super().__init__(coordinator, description, description.capability)

    @property
    @override
    def available(self) -> bool:
        """Also only once the choices are known (VNish reads its presets now and then)."""
        return super().available and bool(self.entity_description.options_fn(self.coordinator.api))

    @property
    @override
    def options(self) -> list[str]:
        """The choices the client knows now (VNish re-reads its presets now and then)."""
        return list(self.entity_description.options_fn(self.coordinator.api))

    @property
    @override
    def current_option(self) -> str | None:
        """As reported by the last poll; unknown for a value outside the choices (while
        asleep, the mining switch is off and the miner is in no work mode to show)."""
        current = self.entity_description.current_fn(self.coordinator.data)
        return current if current in self.options else None

    @override
    async def async_select_option(self, option: str) -> None:
        """Send the choice, then refresh."""
        await async_run_control(
            self.coordinator, lambda: self.entity_description.select_fn(self.coordinator, option)
        )
