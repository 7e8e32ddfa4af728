"""What the entities and the actions share: running a control on a miner, and what it offers.

As in Home Assistant's model integrations (Peblar, WLED), the one place that turns a
client failure into a translated error, with the side effects a failure calls for.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final

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
    MinerData,
)
from .const import DOMAIN
from .coordinator import AsicMinerConfigEntry, AsicMinerCoordinator

#: The fan modes, as the fan mode select offers them and its read-only sensor shows them.
FAN_AUTO: Final = "auto"
FAN_MANUAL: Final = "manual"
FAN_MODES: Final = (FAN_AUTO, FAN_MANUAL)


def fan_mode(data: MinerData) -> str | None:
    """Automatic or manual fan control, as the miner reports it."""
    if data.fan_auto is None:
        return None
    return FAN_AUTO if data.fan_auto else FAN_MANUAL


def fan_duty(data: MinerData) -> int | None:
    """The duty the fans run at (%): the highest any fan reports (one setting drives them
    all; a fan reporting less is slowing down or failing)."""
    return max((fan.percent for fan in data.fans if fan.percent is not None), default=None)


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


def settable(coordinator: AsicMinerCoordinator, capability: Capability) -> bool:
    """Whether the miner can set this (a control entity), or only reports it (at most a
    read-only sensor): the capability the client offers. The range or choices a control
    needs (LuxOS's profiles, a power limit's bounds) do not decide it: read now and then, they
    may be missing at one start and there at the next, and the entity would change kind with
    them. A control whose range is not known yet is unavailable until it is."""
    return capability in coordinator.api.capabilities
