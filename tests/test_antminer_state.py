"""Stock Antminer state that only the miner knows, through Home Assistant: the work mode is
read from the miner (at setup, after a control, when the miner stops or starts hashing, and
every few minutes: a change made on its own web page shows then), and the mining switch
follows the mode, not the hashrate of boards still warming up."""

from homeassistant.components.select import (
    ATTR_OPTION,
    DOMAIN as SELECT_DOMAIN,
    SERVICE_SELECT_OPTION,
)
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNKNOWN,
    Platform,
)
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import MinerSimulator

WORK_MODE = "select.antminer_s19_work_mode"
MINING = "switch.antminer_s19_mining"


@pytest.fixture
def platforms() -> list[Platform]:
    """The work mode select and the mining switch."""
    return [Platform.SELECT, Platform.SWITCH]


async def _refresh(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await entry.runtime_data.async_refresh()
    await hass.async_block_till_done()


async def test_mode_known_after_setup_and_changed_on_the_miner(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A fresh setup (as after a restart) shows the miner's mode; a change made on the miner
    itself shows once the mode is read again (every few minutes; at once when the miner stops
    hashing)."""
    assert hass.states.get(WORK_MODE).state == "normal"
    sim.state.work_mode = "low"
    await _refresh(hass, init_integration)
    assert hass.states.get(WORK_MODE).state == "normal"  # read every few minutes, not each poll
    api = init_integration.runtime_data.api
    api.web_refresh = api.web_refresh.soon()  # a few minutes later
    await _refresh(hass, init_integration)
    assert hass.states.get(WORK_MODE).state == "low"
    assert hass.states.get(MINING).state == STATE_ON
    sim.state.work_mode = "sleep"
    await _refresh(hass, init_integration)
    # Sleep is the mining switch's "off", not a work mode to choose (one entity per concept).
    assert hass.states.get(WORK_MODE).state == STATE_UNKNOWN
    assert hass.states.get(MINING).state == STATE_OFF
    await hass.services.async_call(
        SELECT_DOMAIN,
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: WORK_MODE, ATTR_OPTION: "normal"},
        blocking=True,
    )
    assert sim.state.work_mode == "normal"
    assert hass.states.get(WORK_MODE).state == "normal"


async def test_mining_switch_stays_on_while_boards_warm_up(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """After a resume the boards hash nothing for minutes: the switch stays on meanwhile."""
    for service in (SERVICE_TURN_OFF, SERVICE_TURN_ON):
        await hass.services.async_call(
            SWITCH_DOMAIN, service, {ATTR_ENTITY_ID: MINING}, blocking=True
        )
        if service == SERVICE_TURN_OFF:
            assert hass.states.get(MINING).state == STATE_OFF
            for board in sim.state.boards:
                board.hashrate = 0.0  # the boards will come back slowly
    assert hass.states.get(MINING).state == STATE_ON
    await _refresh(hass, init_integration)
    assert hass.states.get(MINING).state == STATE_ON
    assert init_integration.runtime_data.data.hashrate == 0


@pytest.mark.parametrize("sim_password", [None])
async def test_without_password_no_mode(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """No web password: no mode to read and no controls, so neither select nor switch."""
    assert init_integration.runtime_data.data.work_mode is None
    assert hass.states.get(WORK_MODE) is None
    assert hass.states.get(MINING) is None
