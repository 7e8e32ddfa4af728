"""The base entity: one device per miner, unique ids from the config entry's unique id."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er, issue_registry as ir
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity
from yarl import URL

from .api import (
    APIAuthError,
    APIConnectionError,
    APIDecodeError,
    APIError,
    APIPrivilegeDisabledError,
    APIUnsupportedError,
    MinerData,
)
from .const import CONF_WEB_PORT, DEFAULT_WEB_PORT, DOMAIN
from .coordinator import AsicMinerConfigEntry, AsicMinerCoordinator
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
    already knows is restored straight away, showing "unknown" until its value returns.
    """
    coordinator = entry.runtime_data
    prefix = f"{entry.unique_id}_"
    registered = {
        registry_entry.unique_id.removeprefix(prefix)
        for registry_entry in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }
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


def _issue_id(entry: AsicMinerConfigEntry) -> str:
    return f"api_locked_{entry.entry_id}"


def control_error(
    hass: HomeAssistant, entry: AsicMinerConfigEntry, err: APIError
) -> HomeAssistantError:
    """The translated error a refused control raises; side effects for auth and lock-outs.

    A wrong password starts reauthentication; a locked privileged API raises a repair issue,
    since only the owner can unlock it on the miner.
    """
    placeholders = {"name": entry.title, "error": str(err) or type(err).__name__}
    if isinstance(err, APIAuthError):
        entry.async_start_reauth(hass)
        key = "control_invalid_auth"
    elif isinstance(err, APIPrivilegeDisabledError):
        ir.async_create_issue(
            hass,
            DOMAIN,
            _issue_id(entry),
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="api_locked",
            translation_placeholders={"name": entry.title},
        )
        key = "control_api_locked"
    elif isinstance(err, APIUnsupportedError):
        key = "control_unsupported"
    elif isinstance(err, APIConnectionError):
        key = "control_cannot_connect"
    elif isinstance(err, APIDecodeError):
        key = "control_invalid_reply"
    else:
        key = "control_refused"
    return HomeAssistantError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


async def async_run_control(
    coordinator: AsicMinerCoordinator, control: Callable[[], Awaitable[None]]
) -> None:
    """Run one control, translate failures, clear the lock-out issue and refresh on success.

    The refresh is immediate rather than debounced: a second command within the debounce
    cooldown would otherwise leave the entity showing the state before it.
    """
    entry = coordinator.config_entry
    try:
        await control()
    except APIError as err:
        raise control_error(coordinator.hass, entry, err) from err
    except ValueError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_value",
            translation_placeholders={"name": entry.title, "error": str(err)},
        ) from err
    ir.async_delete_issue(coordinator.hass, DOMAIN, _issue_id(entry))
    await coordinator.async_refresh()
