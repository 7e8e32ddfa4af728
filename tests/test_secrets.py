"""The miner's password never leaves the entry: not in logs (debug included), diagnostics,
exception messages or reprs, through setup, polls, controls, a rejected password and reauth.

For Whatsminer the password-derived hash (``md5_crypt`` of the password, which signs every
privileged command) is a secret too and is checked alike.
"""

import asyncio
import json
import logging

from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import ATTR_ENTITY_ID, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.asic_miner.api import APIAuthError, APIError, Miner, api_class
from custom_components.asic_miner.api.whatsminer_crypto import derive_key
from simulator import Fault, MinerSimulator

from .conftest import FAMILIES

PASSWORD = "Zq7-Secret-Pw"
NEW_PASSWORD = "Zq7-New-Secret"


def secrets_of(password: str) -> list[str]:
    """The password and what is as good as the password (Whatsminer's key material)."""
    found = [password]
    for salt in ("BQ5hoXV9", "abcd1234"):
        pwd_hash, _ = derive_key(password, salt)
        found.append(pwd_hash)
    return found


def assert_clean(text: str, where: str) -> None:
    for secret in (*secrets_of(PASSWORD), NEW_PASSWORD):
        assert secret not in text, f"secret found in {where}"


async def wait_online(sim: MinerSimulator, api: Miner) -> None:
    """Until the reboots the buttons started are over and the miner answers again.

    A miner answers a reboot command before it goes down, so an answer right after a pressed
    Reboot does not mean that it is back: the reauthentication below would then race the
    miner going down and find nobody there.
    """
    for _ in range(100):
        if not sim.rebooting:
            try:
                await api.get_data()
            except APIAuthError:
                return  # it answered (the password changed meanwhile)
            except APIError:
                pass
            else:
                return
        await asyncio.sleep(0.05)
    pytest.fail("the miner did not come back from its reboot")


@pytest.fixture
def sim_password() -> str:
    """A password no firmware text contains by chance."""
    return PASSWORD


@pytest.mark.parametrize(
    "personality",
    ["whatsminer-m30s", "antminer-s19", "braiins-os", "luxos", "vnish-s19", "braiins-os-s19xp"],
)
async def test_password_never_leaks(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
    mock_config_entry: MockConfigEntry,
    sim: MinerSimulator,
) -> None:
    caplog.set_level(logging.DEBUG)
    sim.reboot_seconds = 0.05
    messages: list[str] = []

    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    coordinator = mock_config_entry.runtime_data

    # Every button, with the right password and then a wrong one.
    buttons = hass.states.async_entity_ids(BUTTON_DOMAIN)
    for fault in (Fault.NONE, Fault.WRONG_PASSWORD):
        sim.set_fault(fault)
        for entity_id in buttons:
            try:
                await hass.services.async_call(
                    BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: entity_id}, blocking=True
                )
            except HomeAssistantError as err:
                messages.extend((str(err), repr(err), repr(err.__cause__)))
            await hass.async_block_till_done()
        await coordinator.async_refresh()
        await hass.async_block_till_done()
        if coordinator.last_exception is not None:
            messages.append(repr(coordinator.last_exception))

    # The client itself, refused: message and repr.
    api = api_class(FAMILIES[sim.personality_name])(
        "127.0.0.1", sim.port, password=PASSWORD, web_port=sim.web_port or 80, timeout=2.0
    )
    messages.append(repr(api))
    for call in (api.check_password(), api.set_fault_light(True), api.pause_mining()):
        try:
            await call
        except APIError as err:
            messages.extend((str(err), repr(err)))

    # Reauth with a new password, as the user would answer the form.
    sim.set_fault(Fault.NONE)
    sim.state.password = NEW_PASSWORD
    await wait_online(sim, api)
    await api.close()
    flow = await mock_config_entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {CONF_PASSWORD: NEW_PASSWORD}
    )
    messages.append(json.dumps(result, default=str))
    await hass.async_block_till_done()
    assert mock_config_entry.data[CONF_PASSWORD] == NEW_PASSWORD
    assert not [
        f
        for f in hass.config_entries.flow.async_progress()
        if f["context"]["source"] == SOURCE_REAUTH
    ]

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, mock_config_entry)
    assert_clean(json.dumps(diagnostics), "diagnostics")
    assert_clean("\n".join(messages), "exception messages")
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert any(r.levelno == logging.DEBUG for r in caplog.records)  # debug really captured
    assert_clean(caplog.text, "logs")
