"""Numbers: power limit, fan duty, target temperature (and AxeOS frequency and core voltage),
bounded by the firmware, each value read back from the miner."""

import math

from homeassistant.components.number import (
    ATTR_MAX,
    ATTR_MIN,
    ATTR_VALUE,
    DOMAIN as NUMBER_DOMAIN,
    SERVICE_SET_VALUE,
)
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.asic_miner.const import DOMAIN
from custom_components.asic_miner.helpers import api_locked_issue_id
from simulator import Fault, MinerSimulator
from tests.entities import snapshot_entities

ENTITY_ID = "number.whatsminer_m30s_power_limit"


@pytest.fixture
def platforms() -> list[Platform]:
    """Only the number platform."""
    return [Platform.NUMBER]


async def _set(hass: HomeAssistant, value: float, entity_id: str = ENTITY_ID) -> None:
    await hass.services.async_call(
        NUMBER_DOMAIN,
        SERVICE_SET_VALUE,
        {ATTR_ENTITY_ID: entity_id, ATTR_VALUE: value},
        blocking=True,
    )


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    ("personality", "sim_password"),
    [
        ("whatsminer-m30s", "admin"),
        ("avalon-nano3s", None),
        ("avalon-q", None),
        ("bitaxe-gamma", None),
    ],
)
async def test_snapshot(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Each setting with the firmware's bounds."""
    await snapshot_entities(hass, snapshot, init_integration)


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_set_power_limit(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """The new limit is sent and the state is what the miner reports afterwards."""
    state = hass.states.get(ENTITY_ID)
    assert state.state == "3600.0"
    assert state.attributes[ATTR_MIN] == 500
    assert state.attributes[ATTR_MAX] == 10000
    await _set(hass, 3000)
    assert sim.state.power_limit == 3000
    assert hass.states.get(ENTITY_ID).state == "3000.0"


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_out_of_bounds_is_refused_before_sending(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """Values outside the firmware's range never reach the miner."""
    sim.received.clear()
    with pytest.raises(ServiceValidationError):
        await _set(hass, 20000)
    assert sim.received == []


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_wrong_password(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """The Whatsminer answers reads without a password but refuses writes with a wrong one."""
    sim.set_fault(Fault.WRONG_PASSWORD)
    with pytest.raises(HomeAssistantError) as err:
        await _set(hass, 3000)
    assert err.value.translation_key == "control_invalid_auth"
    assert sim.state.power_limit != 3000


@pytest.mark.parametrize(("personality", "sim_password"), [("antminer-s19", "root")])
async def test_no_power_limit_on_stock_antminer(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Firmwares without a power limit get no number entity."""
    assert hass.states.async_entity_ids(NUMBER_DOMAIN) == []


@pytest.mark.parametrize(("personality", "sim_password"), [("luxos", None)])
async def test_bounds_from_the_miner(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """The range is what this miner accepts (LuxOS: its profiles), not one range for every
    model, and follows the miner when it is re-tuned (seen when the settings are read)."""
    entity_id = "number.antminer_s19j_pro_power_limit"
    profiles = sim.personality.profiles
    state = hass.states.get(entity_id)
    assert state.attributes[ATTR_MIN] == math.ceil(min(profiles.values()))
    assert state.attributes[ATTR_MAX] == math.floor(max(profiles.values()))

    profiles["+3"] = max(profiles.values()) + 250
    # Profiles are settings, read again every few minutes (not each poll): that time has come.
    api = init_integration.runtime_data.api
    api.refresh = api.refresh.soon()
    await init_integration.runtime_data.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(entity_id).attributes[ATTR_MAX] == math.floor(profiles["+3"])


@pytest.mark.parametrize(("personality", "sim_password"), [("avalon-nano3s", None)])
async def test_fan_duty(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """The duty the firmware chose is shown; setting one puts the fans under manual control
    at that duty, within the model's range (Nano 3S: 25-100 %)."""
    entity_id = "number.avalon_nano3s_fan_duty"
    state = hass.states.get(entity_id)
    assert state.state == str(sim.personality.auto_duty)
    assert (state.attributes[ATTR_MIN], state.attributes[ATTR_MAX]) == (25, 100)
    assert state.attributes["unit_of_measurement"] == "%"
    await _set(hass, 60, entity_id)
    assert (sim.state.fan_mode, sim.state.fan_percent) == ("manual", 60)
    assert hass.states.get(entity_id).state == "60"

    sim.received.clear()
    with pytest.raises(ServiceValidationError):
        await _set(hass, 10, entity_id)
    assert sim.received == []


@pytest.mark.parametrize(("personality", "sim_password"), [("avalon-nano3s", None)])
async def test_target_temperature(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """The temperature the firmware aims at, set within its range and read back."""
    entity_id = "number.avalon_nano3s_target_temperature"
    state = hass.states.get(entity_id)
    assert state.state == "90.0"
    assert (state.attributes[ATTR_MIN], state.attributes[ATTR_MAX]) == (50, 90)
    assert state.attributes["device_class"] == "temperature"
    await _set(hass, 70, entity_id)
    assert sim.state.target_temperature == 70
    assert hass.states.get(entity_id).state == "70.0"


@pytest.mark.parametrize(("personality", "sim_password"), [("luxos", None)])
async def test_luxos_target_temperature_and_fan_duty(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """LuxOS: the target temperature goes up to the miner's hot temperature (tempctrl), set
    with tempctrlset; a duty set with fanset puts its fans under manual control; both read
    back from the miner."""
    target, duty = (
        "number.antminer_s19j_pro_target_temperature",
        "number.antminer_s19j_pro_fan_duty",
    )
    state = hass.states.get(target)
    assert state.state == "70.0"
    assert (state.attributes[ATTR_MIN], state.attributes[ATTR_MAX]) == (0, 80)
    await _set(hass, 66, target)
    assert sim.state.target_temperature == 66
    assert hass.states.get(target).state == "66.0"
    sim.received.clear()
    with pytest.raises(ServiceValidationError):
        await _set(hass, 85, target)
    assert sim.received == []

    state = hass.states.get(duty)
    assert state.state == str(sim.personality.fan_duty)  # the duty luxminer chose
    assert (state.attributes[ATTR_MIN], state.attributes[ATTR_MAX]) == (0, 100)
    await _set(hass, 70, duty)
    assert (sim.state.fan_mode, sim.state.fan_percent) == ("manual", 70)
    assert hass.states.get(duty).state == "70"


@pytest.mark.parametrize(
    ("personality", "sim_password", "numbers"),
    [
        ("avalon-q", None, {"number.avalon_q_fan_duty"}),
        ("avalon-mini3", None, set()),
        ("braiins-os", None, set()),
        (
            "luxos",
            None,
            {
                "number.antminer_s19j_pro_power_limit",
                "number.antminer_s19j_pro_fan_duty",
                "number.antminer_s19j_pro_target_temperature",
            },
        ),
    ],
)
async def test_only_what_the_firmware_sets(
    hass: HomeAssistant, init_integration: MockConfigEntry, numbers: set[str]
) -> None:
    """A setting the firmware only reports (the Q's and Braiins OS's target temperature, the
    Mini 3's fan) is a sensor, not a number."""
    assert set(hass.states.async_entity_ids(NUMBER_DOMAIN)) == numbers


@pytest.mark.parametrize(("personality", "sim_password"), [("bitaxe-gamma", None)])
async def test_frequency_and_core_voltage(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """AxeOS takes only the frequencies and core voltages its board lists: the numbers span
    that list, and a value between two of them is refused before anything is sent, naming
    the values the miner accepts."""
    frequency, voltage = "number.bitaxe_gamma_frequency", "number.bitaxe_gamma_core_voltage"
    state = hass.states.get(frequency)
    assert state.state == "525.0"
    assert (state.attributes[ATTR_MIN], state.attributes[ATTR_MAX]) == (400, 625)
    assert state.attributes["unit_of_measurement"] == "MHz"
    await _set(hass, 550, frequency)
    assert hass.states.get(frequency).state == "550.0"
    await _set(hass, 1200, voltage)
    assert hass.states.get(voltage).state == "1200"
    assert hass.states.get(voltage).attributes["unit_of_measurement"] == "mV"

    sim.received.clear()
    with pytest.raises(ServiceValidationError) as err:
        await _set(hass, 510, frequency)
    assert err.value.translation_key == "value_not_offered"
    assert str(err.value) == (
        "Frequency of Bitaxe Gamma cannot be set to 510 MHz; it accepts only "
        "400, 490, 525, 550, 600, 625 MHz"
    )
    assert sim.received == []


@pytest.mark.parametrize(("personality", "sim_password"), [("nerdqaxe-plus", None)])
async def test_controls_behind_a_one_time_code(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """NerdOS with OTP on wants a code from the owner's authenticator for every setting: a
    translated error saying the miner refuses commands, the setting stays, and a repair issue
    tells the owner what to switch off."""
    with pytest.raises(HomeAssistantError) as err:
        await _set(hass, 500, "number.nerdqaxe_frequency")
    assert err.value.translation_key == "control_api_locked"
    assert hass.states.get("number.nerdqaxe_frequency").state == "490.0"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, api_locked_issue_id(init_integration))
    assert issue is not None
    assert issue.translation_key == "api_locked"


@pytest.mark.parametrize(("personality", "sim_password"), [("luxos", None)])
async def test_range_that_comes_late(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    sim: MinerSimulator,
    entity_registry: er.EntityRegistry,
) -> None:
    """The capability decides control or sensor, not its range: a start that reads no LuxOS
    profile (the range of its power limit) still gets the number, unavailable until the
    profiles are read, and no read-only twin; a later start without them again removes and
    adds nothing."""
    entity_id = "number.antminer_s19j_pro_power_limit"
    twin = f"{mock_config_entry.unique_id}_power_limit"
    profiles = dict(sim.personality.profiles)
    sim.personality.profiles = {}
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(entity_id).state == STATE_UNAVAILABLE
    assert entity_registry.async_get_entity_id("sensor", DOMAIN, twin) is None

    # The profiles are read again (every few minutes, or after a control): the range is known.
    sim.personality.profiles = profiles
    coordinator = mock_config_entry.runtime_data
    coordinator.api.refresh = coordinator.api.refresh.soon()
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    state = hass.states.get(entity_id)
    assert state.state != STATE_UNAVAILABLE
    assert state.attributes[ATTR_MIN] == math.ceil(min(profiles.values()))
    assert state.attributes[ATTR_MAX] == math.floor(max(profiles.values()))
    assert entity_registry.async_get_entity_id("sensor", DOMAIN, twin) is None

    entity_registry.async_update_entity(entity_id, name="Rack 3 power limit")
    sim.personality.profiles = {}
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(entity_id).state == STATE_UNAVAILABLE
    assert entity_registry.async_get(entity_id).name == "Rack 3 power limit"
    assert entity_registry.async_get_entity_id("sensor", DOMAIN, twin) is None
