"""The base entity: one device per miner, unique ids from the config entry's unique id."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import override

from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_platform, entity_registry as er
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity
from yarl import URL

from .api import Capability, MinerData
from .const import CONF_WEB_PORT, DEFAULT_WEB_PORT, DOMAIN
from .coordinator import AsicMinerConfigEntry, AsicMinerCoordinator
from .helpers import settable
from .miner import valid_mac, valid_serial


def configuration_url(host: str, web_port: int) -> str:
    """The miner's own web page (IPv6 literals bracketed)."""
    return str(URL.build(scheme="http", host=host, port=web_port, path="/"))


def device_info(coordinator: AsicMinerCoordinator) -> DeviceInfo:
    """Device registry facts from the identity fetched at setup."""
    entry = coordinator.config_entry
    identity = coordinator.identity
    info = DeviceInfo(
        identifiers={(DOMAIN, str(entry.unique_id))},
        name=entry.title,
        manufacturer=identity.make,
        model=identity.model,
        sw_version=identity.firmware,
        serial_number=valid_serial(identity.serial),
        configuration_url=configuration_url(
            entry.data[CONF_HOST], entry.data.get(CONF_WEB_PORT, DEFAULT_WEB_PORT)
        ),
    )
    if mac := valid_mac(identity.mac):
        info["connections"] = {(dr.CONNECTION_NETWORK_MAC, mac)}
    return info


class AsicMinerEntity(CoordinatorEntity[AsicMinerCoordinator]):
    """Any entity of one miner."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: AsicMinerCoordinator,
        description: EntityDescription,
        unique_key: str | None = None,
    ) -> None:
        """Attach to the miner's device; the unique id is the entry's plus the description's key
        (or ``unique_key`` for entities that share a description, such as one per board)."""
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_unique_id = (
            f"{coordinator.config_entry.unique_id}_{unique_key or description.key}"
        )
        self._attr_device_info = device_info(coordinator)

    def _shown_by_control(self) -> Capability | None:
        """For a read-only twin (the mining binary sensor, the power limit sensor, …): the
        capability whose control shows the same setting. None for every other entity."""
        return None

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """A read-only twin whose control came after setup (a web interface back, a setting
        offered later) leaves the registry, as it would at the next start: one entity per
        concept, not two until then."""
        capability = self._shown_by_control()
        if capability is not None and settable(self.coordinator, capability):
            er.async_get(self.hass).async_remove(self.entity_id)
            return
        super()._handle_coordinator_update()


class AsicMinerControlEntity(AsicMinerEntity):
    """An entity that sets something on the miner (switch, button, number, select).

    It is available only while the client offers its capability: a control the registry knows
    is restored at setup even while its capability is missing for a reason of the moment (a web
    interface down at startup), and shows "unavailable" until it is back, instead of being
    left behind or deleted.
    """

    def __init__(
        self,
        coordinator: AsicMinerCoordinator,
        description: EntityDescription,
        capability: Capability,
    ) -> None:
        """Attach to the miner's device; ``capability`` is what this control sets."""
        super().__init__(coordinator, description)
        self._capability = capability

    @property
    @override
    def available(self) -> bool:
        """While the miner answers and the client offers the control."""
        return super().available and self._capability in self.coordinator.api.capabilities


@callback
def registered_keys(hass: HomeAssistant, entry: AsicMinerConfigEntry) -> set[str]:
    """The keys (unique ids without the entry's prefix) of this miner's entities that the
    registry knows on the calling platform: a unique id is unique per platform, and the power
    limit number says nothing about a power limit sensor."""
    domain = entity_platform.async_get_current_platform().domain
    prefix = f"{entry.unique_id}_"
    return {
        registry_entry.unique_id.removeprefix(prefix)
        for registry_entry in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if registry_entry.domain == domain
    }


@callback
def async_add_entities_when_reported[DescriptionT: EntityDescription](
    hass: HomeAssistant,
    entry: AsicMinerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    descriptions: Sequence[DescriptionT],
    *,
    reported: Callable[[DescriptionT, MinerData], bool],
    create: Callable[[DescriptionT], Entity],
) -> None:
    """Add each entity once the miner reports its value, or at once if it was added before.

    Deciding from the first poll alone would lose sensors for good whenever Home Assistant
    starts while a miner is paused or curtailed (many firmwares then omit power, efficiency or
    temperatures): they are added when the values come back, and an entity the registry
    already knows is restored straight away, showing "unknown" until its value returns
    (``registered_keys``).
    """
    coordinator = entry.runtime_data
    registered = registered_keys(hass, entry)
    pending = list(descriptions)

    @callback
    def _add_reported() -> None:
        if not coordinator.last_update_success:
            return
        ready = [
            description
            for description in pending
            if description.key in registered or reported(description, coordinator.data)
        ]
        if ready:
            for description in ready:
                pending.remove(description)
            async_add_entities(create(description) for description in ready)

    _add_reported()
    entry.async_on_unload(coordinator.async_add_listener(_add_reported))


@callback
def async_remove_entities(
    hass: HomeAssistant, entry: AsicMinerConfigEntry, keys: Iterable[str]
) -> None:
    """Remove this miner's entities of the calling platform that are no longer offered.

    One concept, one entity: where a control shows a state (the mining switch, the power limit
    number), the read-only twin that earlier versions also created goes, rather than staying
    behind as an orphan that Home Assistant calls "no longer provided".
    """
    domain = entity_platform.async_get_current_platform().domain
    registry = er.async_get(hass)
    for key in keys:
        unique_id = f"{entry.unique_id}_{key}"
        if entity_id := registry.async_get_entity_id(domain, DOMAIN, unique_id):
            registry.async_remove(entity_id)
