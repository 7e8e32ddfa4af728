"""Switches: state read back from the miner after each command; refusals are translated."""

from typing import Any
from unittest.mock import patch

from aiohttp import web
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import (
    ATTR_ASSUMED_STATE,
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    Platform,
)
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)
from syrupy.assertion import SnapshotAssertion

from simulator import Fault, MinerSimulator
from simulator.personalities import AntminerS19
from tests.entities import snapshot_entities


class S19WithoutBlinkStatus(AntminerS19):
    """Stock firmware whose web interface does not report the LED (no
    ``get_blink_status.cgi``): it can blink, never says whether it does."""

    name = "test-s19-no-blink-status"

    def web_app(self) -> web.Application:
        """The stock CGI app, answering 404 for the LED status."""
        app = super().web_app()

        @web.middleware
        async def no_blink_status(request: web.Request, handler: Any) -> web.StreamResponse:
            if request.path.endswith("/get_blink_status.cgi"):
                return web.Response(status=404, text="404 Not Found")
            response: web.StreamResponse = await handler(request)
            return response

        app.middlewares.append(no_blink_status)
        return app


@pytest.fixture
def platforms() -> list[Platform]:
    """Only the switch platform."""
    return [Platform.SWITCH]


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    ("personality", "sim_password"),
    [
        ("antminer-s19", "root"),
        ("whatsminer-m30s", "admin"),
        ("avalon", None),
        ("braiins-os", None),
        ("luxos", None),
    ],
)
async def test_snapshot(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """The switches each firmware supports."""
    await snapshot_entities(hass, snapshot, init_integration)


async def _switch(hass: HomeAssistant, service: str, entity_id: str) -> None:
    await hass.services.async_call(
        SWITCH_DOMAIN, service, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )


@pytest.mark.parametrize(
    ("personality", "sim_password", "entity_id"),
    [
        ("antminer-s19", "root", "switch.antminer_s19_mining"),
        ("whatsminer-m30s", "admin", "switch.whatsminer_m30s_mining"),
        ("avalon", None, "switch.avalon_1246_mining"),
    ],
)
async def test_mining_pause_resume(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator, entity_id: str
) -> None:
    """Off pauses the miner and the switch shows what the miner then reports."""
    assert hass.states.get(entity_id).state == STATE_ON

    await _switch(hass, SERVICE_TURN_OFF, entity_id)
    assert not sim.state.is_mining
    assert hass.states.get(entity_id).state == STATE_OFF

    await _switch(hass, SERVICE_TURN_ON, entity_id)
    assert sim.state.is_mining
    assert hass.states.get(entity_id).state == STATE_ON


@pytest.mark.parametrize(
    ("personality", "sim_password", "entity_id"),
    [
        ("avalon-mini3", None, "switch.avalon_mini3_display"),
        ("avalon-q", None, "switch.avalon_q_display"),
    ],
)
async def test_display(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator, entity_id: str
) -> None:
    """The home unit's screen: switched off and on (``ascset lcd``), the state as the unit
    reports it (``LcdOnoff``), also when changed on the unit itself."""
    state = hass.states.get(entity_id)
    assert state.state == STATE_ON
    assert ATTR_ASSUMED_STATE not in state.attributes
    entry = er.async_get(hass).async_get(entity_id)
    assert (entry.translation_key, entry.entity_category) == ("display", "config")
    await _switch(hass, SERVICE_TURN_OFF, entity_id)
    assert sim.personality.lcd_on is False
    assert hass.states.get(entity_id).state == STATE_OFF
    await _switch(hass, SERVICE_TURN_ON, entity_id)
    assert sim.personality.lcd_on is True
    assert hass.states.get(entity_id).state == STATE_ON
    sim.personality.lcd_on = False
    await init_integration.runtime_data.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(entity_id).state == STATE_OFF


@pytest.mark.parametrize(("personality", "sim_password"), [("avalon-nano3s", None)])
async def test_no_display_without_the_command(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A unit with no public fact of a display control (Nano 3S) gets no display switch."""
    assert hass.states.get("switch.avalon_nano3s_display") is None
    assert hass.states.get("switch.avalon_nano3s_mining") is not None


@pytest.mark.parametrize(("personality", "sim_password"), [("avalon", None)])
async def test_fault_light(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """Where the firmware reports its LED, the fault light follows the miner's own report,
    also when the light is switched on the miner itself."""
    entity_id = "switch.avalon_1246_fault_light"
    assert hass.states.get(entity_id).state == STATE_OFF
    assert ATTR_ASSUMED_STATE not in hass.states.get(entity_id).attributes
    await _switch(hass, SERVICE_TURN_ON, entity_id)
    assert sim.state.fault_light is True
    assert hass.states.get(entity_id).state == STATE_ON
    await _switch(hass, SERVICE_TURN_OFF, entity_id)
    assert sim.state.fault_light is False
    assert hass.states.get(entity_id).state == STATE_OFF
    sim.state.fault_light = True
    await init_integration.runtime_data.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(entity_id).state == STATE_ON


@pytest.mark.parametrize("personality", [S19WithoutBlinkStatus])
async def test_fault_light_assumed_and_restored(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A firmware that can blink its LED but never reports it: the switch shows the last
    state set from Home Assistant, marked as assumed, and keeps it across restarts and
    reloads instead of turning unknown."""
    entity_id = "switch.antminer_s19_fault_light"
    # Home Assistant stopped while the miner was away: the state was "unavailable", what was
    # last set is kept apart.
    mock_restore_cache_with_extra_data(
        hass, [(State(entity_id, STATE_UNAVAILABLE), {"assumed": True})]
    )
    mock_config_entry.add_to_hass(hass)
    with patch("custom_components.asic_miner.PLATFORMS", [Platform.SWITCH]):
        assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
        state = hass.states.get(entity_id)
        assert state.state == STATE_ON
        assert state.attributes[ATTR_ASSUMED_STATE] is True

        await _switch(hass, SERVICE_TURN_OFF, entity_id)
        assert sim.state.fault_light is False
        assert hass.states.get(entity_id).state == STATE_OFF

        await _switch(hass, SERVICE_TURN_ON, entity_id)
        assert sim.state.fault_light is True
        assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
        await hass.async_block_till_done()
        assert hass.states.get(entity_id).state == STATE_ON


@pytest.mark.parametrize("personality", [S19WithoutBlinkStatus])
async def test_fault_light_unknown_without_history(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """Never set and never reported: unknown (not a guessed "off"), with both actions offered;
    a refused command changes nothing."""
    entity_id = "switch.antminer_s19_fault_light"
    state = hass.states.get(entity_id)
    assert state.state == STATE_UNKNOWN
    assert state.attributes[ATTR_ASSUMED_STATE] is True
    sim.set_fault(Fault.WRONG_PASSWORD)
    with pytest.raises(HomeAssistantError):
        await _switch(hass, SERVICE_TURN_ON, entity_id)
    assert hass.states.get(entity_id).state == STATE_UNKNOWN


async def test_fault_light_reported_by_stock_firmware(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """Stock firmware reports its LED (``get_blink_status.cgi``): the switch shows it, read
    again after each change, including one made on the miner itself once it is read again."""
    entity_id = "switch.antminer_s19_fault_light"
    state = hass.states.get(entity_id)
    assert state.state == STATE_OFF
    assert ATTR_ASSUMED_STATE not in state.attributes
    await _switch(hass, SERVICE_TURN_ON, entity_id)
    assert sim.state.fault_light is True
    assert hass.states.get(entity_id).state == STATE_ON
    assert init_integration.runtime_data.data.fault_light is True


async def test_wrong_password_starts_reauth(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A rejected password refuses the command with a translated error and asks for a new one."""
    sim.set_fault(Fault.WRONG_PASSWORD)
    with pytest.raises(HomeAssistantError) as err:
        await _switch(hass, SERVICE_TURN_OFF, "switch.antminer_s19_mining")
    assert err.value.translation_key == "control_invalid_auth"
    assert str(err.value) == "Antminer S19 rejected the password; re-enter it to use its controls"
    assert sim.state.is_mining
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_unreachable(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A command that cannot be delivered is an error, and the state does not flip."""
    sim.set_fault(Fault.REFUSE)
    with pytest.raises(HomeAssistantError) as err:
        await _switch(hass, SERVICE_TURN_OFF, "switch.whatsminer_m30s_mining")
    assert err.value.translation_key == "control_cannot_connect"
    assert hass.states.get("switch.whatsminer_m30s_mining").state == STATE_ON


async def test_unreadable_reply(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A command answered with garbage is an error of its own kind."""
    sim.set_fault(Fault.GARBAGE)
    with pytest.raises(HomeAssistantError) as err:
        await _switch(hass, SERVICE_TURN_OFF, "switch.antminer_s19_mining")
    assert err.value.translation_key == "control_invalid_reply"
