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
    PERCENTAGE,
    REVOLUTIONS_PER_MINUTE,
    SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
    EntityCategory,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfFrequency,
    UnitOfPower,
    UnitOfTemperature,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .api import Capability, Fan, HashBoard, MinerData, Pool
from .const import UPTIME_TOLERANCE
from .controls import async_controlled
from .coordinator import AsicMinerConfigEntry, AsicMinerCoordinator
from .entity import (
    AsicMinerEntity,
    async_add_entities_when_reported,
    async_remove_entities,
    registered_keys,
)
from .helpers import FAN_MODES, fan_mode, settable

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


def _shares(data: MinerData, total: int | None, field: str) -> int | None:
    """The firmware's own total where it keeps one, else the pools' counts summed; None (not
    0) when neither is reported."""
    if total is not None:
        return total
    counts = [getattr(pool, field) for pool in data.pools]
    reported = [count for count in counts if count is not None]
    return sum(reported) if reported else None


def _accepted(data: MinerData) -> int | None:
    return _shares(data, data.shares_accepted, "accepted")


def _rejected(data: MinerData) -> int | None:
    return _shares(data, data.shares_rejected, "rejected")


@dataclass(frozen=True, kw_only=True)
class AsicMinerSensorEntityDescription(SensorEntityDescription):
    """A miner-wide sensor, added once ``exists_fn`` says the firmware reports it (by
    default: once ``value_fn`` gives a value)."""

    value_fn: Callable[[MinerData], StateType]
    exists_fn: Callable[[MinerData], bool] | None = None
    attributes_fn: Callable[[MinerData], dict[str, Any] | None] | None = None
    #: A setting the miner reports: only where it cannot be set (else the control shows it:
    #: one entity per concept).
    unless_settable: Capability | None = None

    def reported(self, data: MinerData) -> bool:
        """Whether this poll reports the value (the entity is added then)."""
        if self.exists_fn is not None:
            return self.exists_fn(data)
        return self.value_fn(data) is not None


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
    #: Added for a part only once it reports the value (the first readings of each part are
    #: added with the part, even while a reading is missing).
    only_reported: bool = False
    #: As for miner-wide sensors: only where the miner cannot set it.
    unless_settable: Capability | None = None


def _hashrate_description(
    key: str, value_fn: Callable[[MinerData], StateType], **kwargs: Any
) -> AsicMinerSensorEntityDescription:
    return AsicMinerSensorEntityDescription(
        key=key,
        translation_key=key,
        native_unit_of_measurement=UNIT_HASHRATE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        value_fn=value_fn,
        **kwargs,
    )


def _temperature_description(
    key: str, value_fn: Callable[[MinerData], StateType], **kwargs: Any
) -> AsicMinerSensorEntityDescription:
    return AsicMinerSensorEntityDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=value_fn,
        **{"suggested_display_precision": 1, **kwargs},
    )


def _counter_description(
    key: str, value_fn: Callable[[MinerData], StateType], **kwargs: Any
) -> AsicMinerSensorEntityDescription:
    """A count kept by the mining software (shares, blocks). It only grows while the software
    runs and starts again from 0 when it restarts: ``total_increasing``, whose statistics take a
    drop as a new meter cycle, not as negative shares."""
    return AsicMinerSensorEntityDescription(
        key=key,
        translation_key=key,
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=value_fn,
        **kwargs,
    )


def _difficulty_description(
    key: str, value_fn: Callable[[MinerData], StateType]
) -> AsicMinerSensorEntityDescription:
    """The best share's difficulty: a record, not an amount (no unit). Not a total: summing
    records over time means nothing, and the session's best falls back when the mining software
    restarts. ``measurement`` keeps its history as a graph with the highest value of each
    period in the statistics."""
    return AsicMinerSensorEntityDescription(
        key=key,
        translation_key=key,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=value_fn,
    )


SENSORS: tuple[AsicMinerSensorEntityDescription, ...] = (
    # Added at once: every firmware has a hashrate (unknown rather than missing when a reply
    # lacks it).
    _hashrate_description("hashrate", lambda data: data.hashrate, exists_fn=lambda _: True),
    _hashrate_description(
        "expected_hashrate",
        lambda data: data.expected_hashrate,
        entity_category=EntityCategory.DIAGNOSTIC,
    ),
    # The firmware's average over a longer window (cgminer ``MHS av``, AxeOS ``hashRate_1m``),
    # beside the freshest reading above.
    _hashrate_description(
        "average_hashrate",
        lambda data: data.average_hashrate,
        entity_category=EntityCategory.DIAGNOSTIC,
    ),
    AsicMinerSensorEntityDescription(
        key="power",
        translation_key="power",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda data: data.power,
    ),
    AsicMinerSensorEntityDescription(
        key="power_limit",
        translation_key="power_limit",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.power_limit,
        unless_settable=Capability.POWER_LIMIT,
    ),
    AsicMinerSensorEntityDescription(
        key="efficiency",
        translation_key="efficiency",
        native_unit_of_measurement=UNIT_EFFICIENCY,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda data: data.efficiency,
    ),
    _temperature_description("temperature", lambda data: data.temperature),
    _temperature_description("chip_temperature", lambda data: data.chip_temperature),
    # The power stage of one-board miners (AxeOS): it overheats before the ASIC does.
    _temperature_description("vr_temperature", lambda data: data.vr_temperature),
    # Water on hydro models, air where the firmware measures it.
    _temperature_description("inlet_temperature", lambda data: data.inlet_temperature),
    _temperature_description("outlet_temperature", lambda data: data.outlet_temperature),
    _temperature_description(
        "target_temperature",
        lambda data: data.target_temperature,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        unless_settable=Capability.TARGET_TEMPERATURE,
    ),
    AsicMinerSensorEntityDescription(
        key="input_voltage",
        translation_key="input_voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        state_class=SensorStateClass.MEASUREMENT,
        # A 5 V supply sagging by 0.05 V is what makes a small miner restart.
        suggested_display_precision=2,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.input_voltage,
    ),
    AsicMinerSensorEntityDescription(
        key="input_current",
        translation_key="input_current",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.input_current,
    ),
    # What the ASIC gets, beside the voltage asked for (the core voltage setting).
    AsicMinerSensorEntityDescription(
        key="measured_core_voltage",
        translation_key="measured_core_voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        native_unit_of_measurement=UnitOfElectricPotential.MILLIVOLT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.core_voltage,
    ),
    AsicMinerSensorEntityDescription(
        key="core_voltage",
        translation_key="core_voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        native_unit_of_measurement=UnitOfElectricPotential.MILLIVOLT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.core_voltage_setting,
        unless_settable=Capability.CORE_VOLTAGE,
    ),
    AsicMinerSensorEntityDescription(
        key="frequency",
        translation_key="frequency",
        device_class=SensorDeviceClass.FREQUENCY,
        native_unit_of_measurement=UnitOfFrequency.MEGAHERTZ,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.frequency,
        unless_settable=Capability.FREQUENCY,
    ),
    AsicMinerSensorEntityDescription(
        key="fan_mode",
        translation_key="fan_mode",
        device_class=SensorDeviceClass.ENUM,
        options=list(FAN_MODES),
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=fan_mode,
        unless_settable=Capability.FAN_SPEED,
    ),
    # Preset names are the firmware's own ("3250", "disabled"): shown as given.
    AsicMinerSensorEntityDescription(
        key="power_preset",
        translation_key="power_preset",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.power_preset,
        unless_settable=Capability.POWER_PRESET,
    ),
    _counter_description(
        "accepted_shares",
        _accepted,
        entity_registry_enabled_default=False,
    ),
    _counter_description(
        "rejected_shares",
        _rejected,
        entity_registry_enabled_default=False,
    ),
    _difficulty_description("best_difficulty", lambda data: data.best_difficulty),
    _difficulty_description("best_session_difficulty", lambda data: data.best_session_difficulty),
    _counter_description("blocks_found", lambda data: data.blocks_found),
    # Disabled until wanted, as Home Assistant's Wi-Fi devices do (it changes at every poll).
    AsicMinerSensorEntityDescription(
        key="wifi_rssi",
        translation_key="wifi_rssi",
        device_class=SensorDeviceClass.SIGNAL_STRENGTH,
        native_unit_of_measurement=SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda data: data.wifi_rssi,
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
#: summed up by the hottest chip: disabled until wanted. Chip counts and fan duty are added
#: only where the firmware reports them.
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
    # Working chips: a count that drops when chips fail.
    AsicMinerPartSensorEntityDescription[HashBoard](
        parts_fn=lambda data: data.boards,
        placeholder="board",
        key="board_chips",
        translation_key="board_chips",
        entity_category=EntityCategory.DIAGNOSTIC,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda board: board.chips,
        only_reported=True,
    ),
    AsicMinerPartSensorEntityDescription[HashBoard](
        parts_fn=lambda data: data.boards,
        placeholder="board",
        key="board_dead_chips",
        translation_key="board_dead_chips",
        entity_category=EntityCategory.DIAGNOSTIC,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda board: board.dead_chips,
        only_reported=True,
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
    # The duty the fan is driven at; where it can be set, the fan duty number shows it.
    AsicMinerPartSensorEntityDescription[Fan](
        parts_fn=lambda data: data.fans,
        placeholder="fan",
        key="fan_duty",
        translation_key="fan_duty",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda fan: fan.percent,
        only_reported=True,
        unless_settable=Capability.FAN_SPEED,
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
    registered = registered_keys(hass, entry)
    # A read-only twin only where no control shows the setting; one the registry knows stays
    # while its control is missing for a reason of the moment.
    controlled = async_controlled(hass, entry)
    offered = [
        description
        for description in SENSORS
        if description.unless_settable is None
        or description.unless_settable not in controlled
        or (
            description.key in registered and not settable(coordinator, description.unless_settable)
        )
    ]
    part_sensors: list[AsicMinerPartSensorEntityDescription[Any]] = [
        description
        for description in PART_SENSORS
        if description.unless_settable is None or description.unless_settable not in controlled
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
        reported=lambda description, data: description.reported(data),
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

    known_parts: set[str] = set()

    @callback
    def _add_new_parts() -> None:
        if not coordinator.last_update_success:
            return
        new: list[SensorEntity] = []
        for description in part_sensors:
            for part in description.parts_fn(coordinator.data):
                key = f"{description.key}_{part.index}"
                if key in known_parts or (
                    description.only_reported
                    and key not in registered
                    and description.value_fn(part) is None
                ):
                    continue
                known_parts.add(key)
                new.append(AsicMinerPartSensorEntity(coordinator, description, part.index))
        if new:
            async_add_entities(new)

    _add_new_parts()
    entry.async_on_unload(coordinator.async_add_listener(_add_new_parts))


class AsicMinerSensorEntity(AsicMinerEntity, SensorEntity):
    """A miner-wide reading."""

    entity_description: AsicMinerSensorEntityDescription

    @override
    def _shown_by_control(self) -> Capability | None:
        return self.entity_description.unless_settable

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

    @override
    def _shown_by_control(self) -> Capability | None:
        return self.entity_description.unless_settable

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
