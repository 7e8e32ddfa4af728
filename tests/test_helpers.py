"""Controls' error handling shared by entities and actions: every client failure becomes its
translated message (rendered from en.json), with the side effect it calls for."""

import json
from pathlib import Path

from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.asic_miner.api import (
    APIAuthError,
    APIConnectionError,
    APIDecodeError,
    APIError,
    APIPrivilegeDisabledError,
    APIUnsupportedError,
)
from custom_components.asic_miner.const import DOMAIN
from custom_components.asic_miner.helpers import (
    api_locked_issue_id,
    async_run_control,
    control_error,
)
from simulator import MinerSimulator

EXCEPTIONS = json.loads(
    (
        Path(__file__).parent.parent / "custom_components" / DOMAIN / "translations" / "en.json"
    ).read_text(encoding="utf-8")
)["exceptions"]


@pytest.mark.parametrize(
    ("error", "key"),
    [
        (APIAuthError("wrong password"), "control_invalid_auth"),
        (APIPrivilegeDisabledError("write access off"), "control_api_locked"),
        (APIUnsupportedError("no such control"), "control_unsupported"),
        (APIConnectionError("timed out"), "control_cannot_connect"),
        (APIDecodeError("not JSON"), "control_invalid_reply"),
        (APIError("busy"), "control_refused"),
        (APIError(), "control_refused"),
    ],
)
async def test_control_error(
    hass: HomeAssistant, init_integration: MockConfigEntry, error: APIError, key: str
) -> None:
    """Each failure has its own message, naming the miner and saying what went wrong."""
    err = control_error(hass, init_integration, error)
    assert err.translation_key == key
    assert err.translation_placeholders["name"] == init_integration.title
    message = EXCEPTIONS[key]["message"].format(**err.translation_placeholders)
    assert init_integration.title in message
    assert (str(error) or type(error).__name__) in message or key == "control_invalid_auth"
    await hass.async_block_till_done()
    issue = ir.async_get(hass).async_get_issue(DOMAIN, api_locked_issue_id(init_integration))
    assert (issue is not None) == (key == "control_api_locked")
    reauth = [
        flow
        for flow in hass.config_entries.flow.async_progress()
        if flow["context"]["source"] == SOURCE_REAUTH
    ]
    assert bool(reauth) == (key == "control_invalid_auth")


async def test_a_value_the_miner_cannot_take(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A value the client refuses before sending is the caller's mistake: a validation error
    with the client's reason, and nothing is sent."""
    coordinator = init_integration.runtime_data
    sim.received.clear()
    with pytest.raises(ServiceValidationError) as err:
        await async_run_control(coordinator, lambda: coordinator.api.set_work_mode("turbo"))
    assert err.value.translation_key == "invalid_value"
    assert "turbo" in str(err.value)
    assert sim.received == []


async def test_failure_does_not_refresh(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A refused control raises and leaves the polling alone (no extra request)."""
    coordinator = init_integration.runtime_data

    async def refused() -> None:
        raise APIError("busy")

    sim.received.clear()
    with pytest.raises(HomeAssistantError):
        await async_run_control(coordinator, refused, restarts=True)
    assert sim.received == []
    assert coordinator.update_interval != coordinator.restart_poll_interval
