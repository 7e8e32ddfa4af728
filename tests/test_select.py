"""Select: work modes where the firmware has them, current mode read back from the miner."""

from homeassistant.components.select import (
    ATTR_OPTION,
    ATTR_OPTIONS,
    DOMAIN as SELECT_DOMAIN,
    SERVICE_SELECT_OPTION,
)
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from simulator import Fault, MinerSimulator
from tests.entities import snapshot_entities


@pytest.fixture
def platforms() -> list[Platform]:
    """Only the select platform."""
    return [Platform.SELECT]


async def _select(hass: HomeAssistant, entity_id: str, option: str) -> None:
    await hass.services.async_call(
        SELECT_DOMAIN,
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: entity_id, ATTR_OPTION: option},
        blocking=True,
    )


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    ("personality", "sim_password"),
    [("whatsminer-m30s", "admin"), ("avalon", None), ("antminer-s19", "root")],
)
async def test_snapshot(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """The work modes each firmware offers."""
    await snapshot_entities(hass, snapshot, init_integration)


@pytest.mark.parametrize(
    ("personality", "sim_password", "entity_id", "options", "initial", "chosen"),
    [
        (
            "whatsminer-m30s",
            "admin",
            "select.whatsminer_m30s_work_mode",
            ["low", "normal", "high"],
            "normal",
            "low",
        ),
        # The A-series' two modes (Canaan's A10 API manual: normal, high performance)
        ("avalon", None, "select.avalon_1246_work_mode", ["normal", "high"], "normal", "high"),
        (
            "avalon-q",
            None,
            "select.avalon_q_work_mode",
            ["eco", "standard", "super"],
            "standard",
            "eco",
        ),
        (
            "avalon-mini3",
            None,
            "select.avalon_mini3_work_mode",
            ["heating", "mining", "night"],
            "heating",
            "night",
        ),
    ],
)
async def test_select_mode(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    entity_id: str,
    options: list[str],
    initial: str,
    chosen: str,
) -> None:
    """The chosen mode is sent, and shown once the miner reports it."""
    state = hass.states.get(entity_id)
    assert state.state == initial
    assert state.attributes[ATTR_OPTIONS] == options
    await _select(hass, entity_id, chosen)
    assert sim.state.work_mode == chosen
    assert hass.states.get(entity_id).state == chosen


async def test_mode_read_from_the_miner(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """Stock Antminer reports its mode through its web configuration: known from setup."""
    assert hass.states.get("select.antminer_s19_work_mode").state == "normal"
    await _select(hass, "select.antminer_s19_work_mode", "low")
    assert sim.state.work_mode == "low"
    assert hass.states.get("select.antminer_s19_work_mode").state == "low"


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_refused(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A miner that drops the connection mid-command: translated error, mode unchanged."""
    sim.set_fault(Fault.RESET)
    with pytest.raises(HomeAssistantError) as err:
        await _select(hass, "select.whatsminer_m30s_work_mode", "high")
    assert err.value.translation_key == "control_cannot_connect"
    assert sim.state.work_mode == "normal"


@pytest.mark.parametrize(("personality", "sim_password"), [("braiins-os", None), ("luxos", None)])
async def test_no_work_mode_without_modes(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Firmwares without work modes (Braiins OS; LuxOS, whose profiles are the power limit)
    get no select."""
    assert hass.states.async_entity_ids(SELECT_DOMAIN) == []
