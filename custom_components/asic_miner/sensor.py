"""Sensors: miner-wide readings, one set per hash board and fan, uptime and energy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol, override
from urllib.parse import urlsplit, urlunsplit

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    REVOLUTIONS_PER_MINUTE,
    EntityCategory,
    UnitOfEnergy,
    UnitOfPower,
    UnitOfTemperature,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .api import Fan, HashBoard, MinerData, Pool
from .const import UPTIME_TOLERANCE
from .coordinator import AsicMinerConfigEntry, AsicMinerCoordinator
from .entity import AsicMinerEntity, async_add_entities_when_reported, async_remove_entities
from .helpers import can_set_power_limit

PARALLEL_UPDATES = 0

#: Sensors of earlier versions, removed from the registry: the error count told no more than
#: the errors binary sensor.
RETIRED = ("error_count",)

UNIT_HASHRATE = "TH/s"
UNIT_EFFICIENCY = "J/TH"


def active_pool(data: MinerData) -> Pool | None:
    """The pool the miner hashes on: the one flagged active, else the first alive one."""
    for pool in data.pools:
        if pool.active:
            return pool
    for pool in data.pools:
        if pool.alive:
            return pool
    return None


def pool_address(url: str) -> str:
    """The pool's ``host:port``, short enough for a row: the scheme, the path (a Stratum V2
    key), any credentials and query go, and ``url`` comes back as is when it has no host."""
    parts = urlsplit(url if "://" in url else f"//{url}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:  # a port that is no number
        host, port = parts.hostname, None
    if not host:
        return url
    if ":" in host:
        host = f"[{host}]"
    return host if port is None else f"{host}:{port}"


def pool_url(url: str) -> str:
    """The pool's URL without credentials or query (``user:password@`` appears in some
    configurations, and a miner's pool password must not end up in a state attribute)."""
    parts = urlsplit(url if "://" in url else f"//{url}")
    if not parts.hostname:
        return url.rsplit("@", 1)[-1]
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, parts.path, "", parts.fragment)).removeprefix("//")


def _active_pool_attributes(data: MinerData) -> dict[str, Any] | None:
    pool = active_pool(data)
    return None if pool is None else {"url": pool_url(pool.url)}


def _share_total(data: MinerData, field: str) -> int | None:
    """Shares summed over pools; None (not 0) when no pool reports them."""
    counts = [getattr(pool, field) for pool in data.pools]
    reported = [count for count in counts if count is not None]
    return sum(reported) if reported else None


@dataclass(frozen=True, kw_only=True)
class AsicMinerSensorEntityDescription(SensorEntityDescription):
    """A miner-wide sensor, added once ``exists_fn`` says the firmware reports it."""

    value_fn: Callable[[MinerData], StateType]
    exists_fn: Callable[[MinerData], bool] | None = None
    attributes_fn: Callable[[MinerData], dict[str, Any] | None] | None = None
    #: Only where the value cannot be set (the power limit: else the number shows it).
    unless_settable: bool = False


class _Part(Protocol):
    """A hash board or a fan: something the miner lists by index."""

    @property
    def index(self) -> int:
        """Position in the miner's list (0-based)."""
        ...


@dataclass(frozen=True, kw_only=True)
class AsicMinerPartSensorEntityDescription[PartT: _Part](SensorEntityDescription):
    """A sensor of one hash board or fan: one entity per part the miner lists."""

    parts_fn: Callable[[MinerData], list[PartT]]
    #: The translation placeholder that numbers the part in the name ("board", "fan").
    placeholder: str
    value_fn: Callable[[PartT], StateType]


def _hashrate_description(
    key: str, value_fn: Callable[[MinerData], StateType]
) -> AsicMinerSensorEntityDescription:
    return AsicMinerSensorEntityDescription(
        key=key,
        translation_key=key,
        native_unit_of_measurement=UNIT_HASHRATE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        value_fn=value_fn,
    )


SENSORS: tuple[AsicMinerSensorEntityDescription, ...] = (
    _hashrate_description("hashrate", lambda data: data.hashrate),
    AsicMinerSensorEntityDescription(
        key="expected_hashrate",
        translation_key="expected_hashrate",
        native_unit_of_measurement=UNIT_HASHRATE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.expected_hashrate,
        exists_fn=lambda data: data.expected_hashrate is not None,
    ),
    AsicMinerSensorEntityDescription(
        key="power",
        translation_key="power",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda data: data.power,
        exists_fn=lambda data: data.power is not None,
    ),
    AsicMinerSensorEntityDescription(
        key="power_limit",
        translation_key="power_limit",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.power_limit,
        exists_fn=lambda data: data.power_limit is not None,
        unless_settable=True,
    ),
    AsicMinerSensorEntityDescription(
        key="efficiency",
        translation_key="efficiency",
        native_unit_of_measurement=UNIT_EFFICIENCY,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda data: data.efficiency,
        exists_fn=lambda data: data.efficiency is not None,
    ),
    AsicMinerSensorEntityDescription(
        key="temperature",
        translation_key="temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda data: data.temperature,
        exists_fn=lambda data: data.temperature is not None,
    ),
    AsicMinerSensorEntityDescription(
        key="chip_temperature",
        translation_key="chip_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda data: data.chip_temperature,
        exists_fn=lambda data: data.chip_temperature is not None,
    ),
    AsicMinerSensorEntityDescription(
        key="accepted_shares",
        translation_key="accepted_shares",
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda data: _share_total(data, "accepted"),
        exists_fn=lambda data: _share_total(data, "accepted") is not None,
    ),
    AsicMinerSensorEntityDescription(
        key="rejected_shares",
        translation_key="rejected_shares",
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda data: _share_total(data, "rejected"),
        exists_fn=lambda data: _share_total(data, "rejected") is not None,
    ),
    AsicMinerSensorEntityDescription(
        key="active_pool",
        translation_key="active_pool",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: pool_address(pool.url) if (pool := active_pool(data)) else None,
        exists_fn=lambda data: bool(data.pools),
        attributes_fn=_active_pool_attributes,
    ),
)

#: Per board and per fan: diagnostic (listed apart on the device page, below the main
#: readings, and left out of generated dashboards) but enabled, since automations do watch a
#: board's temperature or a fan that stops. Chip temperatures per board are many, noisy and
#: summed up by the hottest chip: disabled until wanted.
PART_SENSORS: tuple[
    AsicMinerPartSensorEntityDescription[HashBoard] | AsicMinerPartSensorEntityDescription[Fan],
    ...,
] = (
    AsicMinerPartSensorEntityDescription[HashBoard](
        parts_fn=lambda data: data.boards,
        placeholder="board",
        key="board_hashrate",
        translation_key="board_hashrate",
        entity_category=EntityCategory.DIAGNOSTIC,
        native_unit_of_measurement=UNIT_HASHRATE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        value_fn=lambda board: board.hashrate,
    ),
    AsicMinerPartSensorEntityDescription[HashBoard](
        parts_fn=lambda data: data.boards,
        placeholder="board",
        key="board_temperature",
        translation_key="board_temperature",
        entity_category=EntityCategory.DIAGNOSTIC,
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda board: board.temperature,
    ),
    AsicMinerPartSensorEntityDescription[HashBoard](
        parts_fn=lambda data: data.boards,
        placeholder="board",
        key="board_chip_temperature",
        translation_key="board_chip_temperature",
        entity_category=EntityCategory.DIAGNOSTIC,
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        value_fn=lambda board: board.chip_temperature,
    ),
    AsicMinerPartSensorEntityDescription[Fan](
        parts_fn=lambda data: data.fans,
        placeholder="fan",
        key="fan_speed",
        translation_key="fan_speed",
        native_unit_of_measurement=REVOLUTIONS_PER_MINUTE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda fan: fan.rpm,
    ),
)

LAST_START = SensorEntityDescription(
    key="last_start",
    translation_key="last_start",
    device_class=SensorDeviceClass.TIMESTAMP,
    entity_category=EntityCategory.DIAGNOSTIC,
)

ENERGY = SensorEntityDescription(
    key="energy",
    translation_key="energy",
    device_class=SensorDeviceClass.ENERGY,
    state_class=SensorStateClass.TOTAL_INCREASING,
    native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
    suggested_display_precision=3,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AsicMinerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors the miner reports; boards and fans also when they appear later."""
    coordinator = entry.runtime_data
    async_add_entities([AsicMinerUptimeSensorEntity(coordinator)])
    offered = [
        description
        for description in SENSORS
        if not (description.unless_settable and can_set_power_limit(coordinator))
    ]
    async_remove_entities(
        hass,
        entry,
        [
            *RETIRED,
            *(description.key for description in SENSORS if description not in offered),
        ],
    )
    async_add_entities_when_reported(
        hass,
        entry,
        async_add_entities,
        offered,
        reported=lambda description, data: (
            description.exists_fn is None or description.exists_fn(data)
        ),
        create=lambda description: AsicMinerSensorEntity(coordinator, description),
    )
    async_add_entities_when_reported(
        hass,
        entry,
        async_add_entities,
        [ENERGY],
        reported=lambda _, data: data.power is not None,
        create=lambda _: AsicMinerEnergySensorEntity(coordinator),
    )

    known_parts: set[tuple[str, int]] = set()

    @callback
    def _add_new_parts() -> None:
        if not coordinator.last_update_success:
            return
        new: list[SensorEntity] = []
        for description in PART_SENSORS:
            for part in description.parts_fn(coordinator.data):
                if (description.key, part.index) not in known_parts:
                    known_parts.add((description.key, part.index))
                    new.append(AsicMinerPartSensorEntity(coordinator, description, part.index))
        if new:
            async_add_entities(new)

    _add_new_parts()
    entry.async_on_unload(coordinator.async_add_listener(_add_new_parts))


class AsicMinerSensorEntity(AsicMinerEntity, SensorEntity):
    """A miner-wide reading."""

    entity_description: AsicMinerSensorEntityDescription

    @property
    @override
    def native_value(self) -> StateType:
        """The reading of the last successful poll."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Details that would not fit the state (the active pool's full URL)."""
        attributes_fn = self.entity_description.attributes_fn
        return None if attributes_fn is None else attributes_fn(self.coordinator.data)


class AsicMinerPartSensorEntity(AsicMinerEntity, SensorEntity):
    """A reading of one hash board or fan; unavailable while the part is missing from the reply."""

    entity_description: AsicMinerPartSensorEntityDescription[Any]

    def __init__(
        self,
        coordinator: AsicMinerCoordinator,
        description: AsicMinerPartSensorEntityDescription[Any],
        index: int,
    ) -> None:
        """Bind the description to part ``index`` (shown 1-based, as on the miner's label)."""
        super().__init__(coordinator, description, f"{description.key}_{index}")
        self._index = index
        self._attr_translation_placeholders = {description.placeholder: str(index + 1)}

    def _part(self) -> _Part | None:
        parts = self.entity_description.parts_fn(self.coordinator.data)
        return next((part for part in parts if part.index == self._index), None)

    @property
    @override
    def available(self) -> bool:
        """Only while the last poll listed this part."""
        return super().available and self._part() is not None

    @property
    @override
    def native_value(self) -> StateType:
        """The part's reading."""
        part = self._part()
        return None if part is None else self.entity_description.value_fn(part)


class AsicMinerUptimeSensorEntity(AsicMinerEntity, SensorEntity):
    """When the miner last started, derived from its uptime counter.

    A timestamp instead of a growing number of seconds keeps the recorder quiet: the state
    only changes when the miner restarts, not on every poll.
    """

    def __init__(self, coordinator: AsicMinerCoordinator) -> None:
        """Derive the first value from the setup poll."""
        super().__init__(coordinator, LAST_START)
        self._started: datetime | None = None
        self._update_started()

    def _update_started(self) -> None:
        uptime = self.coordinator.data.uptime
        if uptime is None:
            self._started = None
            return
        started = dt_util.utcnow().replace(microsecond=0) - timedelta(seconds=uptime)
        if self._started is None or abs(started - self._started) > UPTIME_TOLERANCE:
            self._started = started

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        if self.coordinator.last_update_success:
            self._update_started()
        super()._handle_coordinator_update()

    @property
    @override
    def native_value(self) -> datetime | None:
        """The start time; unknown when the firmware reports no uptime."""
        return self._started


class AsicMinerEnergySensorEntity(AsicMinerEntity, RestoreSensor):
    """Energy used, integrated from the power readings (miners do not report energy).

    Each pair of consecutive successful polls adds the trapezoid between them. A failed poll
    breaks the chain: the next reading starts a new one, so an outage never counts as if the
    last power had continued.
    """

    def __init__(self, coordinator: AsicMinerCoordinator) -> None:
        """Start from zero until the restored state arrives."""
        super().__init__(coordinator, ENERGY)
        self._energy = Decimal(0)
        self._last: tuple[datetime, float] | None = None

    @override
    async def async_added_to_hass(self) -> None:
        """Continue from the last stored total."""
        await super().async_added_to_hass()
        if (last := await self.async_get_last_sensor_data()) is not None and isinstance(
            last.native_value, (int, float, Decimal)
        ):
            self._energy = Decimal(str(last.native_value))
        self._sample()

    def _sample(self) -> None:
        power = self.coordinator.data.power if self.coordinator.last_update_success else None
        if power is None:
            self._last = None
            return
        now = dt_util.utcnow()
        if self._last is not None:
            previous_at, previous_power = self._last
            hours = (now - previous_at).total_seconds() / 3600
            if hours > 0 and self._gap_is_poll(now - previous_at):
                kwh = (previous_power + power) / 2 * hours / 1000
                self._energy += Decimal(str(round(kwh, 9)))
        self._last = (now, power)

    def _gap_is_poll(self, gap: timedelta) -> bool:
        """A gap far longer than the interval means polls were missed (HA stopped or hung)."""
        interval = self.coordinator.update_interval or timedelta(0)
        return gap <= interval * 3

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        self._sample()
        super()._handle_coordinator_update()

    @property
    @override
    def native_value(self) -> Decimal:
        """Total kWh since this sensor was created."""
        return round(self._energy, 6)
