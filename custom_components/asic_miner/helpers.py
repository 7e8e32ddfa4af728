"""What the entities and the actions share: running a control on a miner, and what it offers.

As in Home Assistant's model integrations (Peblar, WLED), the one place that turns a
client failure into a translated error, with the side effects a failure calls for.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir

from .api import (
    APIAuthError,
    APIConnectionError,
    APIDecodeError,
    APIError,
    APIPrivilegeDisabledError,
    APIUnsupportedError,
    Capability,
)
from .const import DOMAIN
from .coordinator import AsicMinerConfigEntry, AsicMinerCoordinator


def api_locked_issue_id(entry: AsicMinerConfigEntry) -> str:
    """The repair issue raised while the miner's privileged API refuses controls."""
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
            api_locked_issue_id(entry),
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
    coordinator: AsicMinerCoordinator,
    control: Callable[[], Awaitable[None]],
    *,
    restarts: bool = False,
) -> None:
    """Run one control, translate failures, clear the lock-out issue and refresh on success.

    The refresh is immediate rather than debounced: a second command within the debounce
    cooldown would otherwise leave the entity showing the state before it. A control that
    ``restarts`` the miner (or its mining software) has the coordinator poll on a short
    cadence until the miner is back, so the restart shows at once.
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
    ir.async_delete_issue(coordinator.hass, DOMAIN, api_locked_issue_id(entry))
    if restarts:
        coordinator.async_expect_restart()
    await coordinator.async_refresh()


def can_set_power_limit(coordinator: AsicMinerCoordinator) -> bool:
    """Whether the power limit is a number to set (else, where reported, a sensor to read)."""
    api = coordinator.api
    return Capability.POWER_LIMIT in api.capabilities and api.power_limit_bounds is not None
