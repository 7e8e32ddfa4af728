"""Selects: work mode, work level, power preset and fan mode where the firmware has them, the
current choice read back from the miner."""

import json
from pathlib import Path

from homeassistant.components.select import (
    ATTR_OPTION,
    ATTR_OPTIONS,
    DOMAIN as SELECT_DOMAIN,
    SERVICE_SELECT_OPTION,
)
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.asic_miner.const import DOMAIN
from simulator import PERSONALITIES, Fault, MinerSimulator
from tests.entities import snapshot_entities

ENTITY_TRANSLATIONS = json.loads(
    (
        Path(__file__).parent.parent / "custom_components" / DOMAIN / "translations" / "en.json"
    ).read_text(encoding="utf-8")
)["entity"]


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
    [
        ("whatsminer-m30s", "admin"),
        ("avalon", None),
        ("avalon-mini3", None),
        ("avalon-nano3s", None),
        ("antminer-s19", "root"),
        ("bitaxe-gamma", None),
        ("vnish-s19", "admin"),
    ],
)
async def test_snapshot(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """The choices each firmware offers."""
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


@pytest.mark.parametrize(
    ("personality", "sim_password", "selects"),
    [("braiins-os", None, []), ("luxos", None, ["select.antminer_s19j_pro_fan_mode"])],
)
async def test_no_work_mode_without_modes(
    hass: HomeAssistant, init_integration: MockConfigEntry, selects: list[str]
) -> None:
    """Firmwares without work modes (Braiins OS; LuxOS, whose profiles are the power limit)
    get no work mode select (LuxOS has its fan mode)."""
    assert hass.states.async_entity_ids(SELECT_DOMAIN) == selects


@pytest.mark.parametrize(("personality", "sim_password"), [("avalon-mini3", None)])
async def test_work_level(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """The Mini 3's level within its work mode, set and read back."""
    entity_id = "select.avalon_mini3_work_level"
    state = hass.states.get(entity_id)
    assert state.state == "super"
    assert state.attributes[ATTR_OPTIONS] == ["super", "eco"]
    await _select(hass, entity_id, "eco")
    assert sim.personality.level == "eco"
    assert hass.states.get(entity_id).state == "eco"


@pytest.mark.parametrize(("personality", "sim_password"), [("avalon-nano3s", None)])
async def test_fan_mode(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """Manual keeps the fans at the duty they run at; automatic hands them back to the
    firmware. The Avalon does not report which one it is in: unknown, never a guess."""
    entity_id = "select.avalon_nano3s_fan_mode"
    state = hass.states.get(entity_id)
    assert state.state == "unknown"
    assert state.attributes[ATTR_OPTIONS] == ["auto", "manual"]
    await _select(hass, entity_id, "manual")
    assert (sim.state.fan_mode, sim.state.fan_percent) == ("manual", sim.personality.auto_duty)
    await _select(hass, entity_id, "auto")
    assert sim.state.fan_mode == "auto"


@pytest.mark.parametrize(("personality", "sim_password"), [("avalon-nano3s", None)])
async def test_manual_fan_without_a_duty_runs_at_full_speed(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """With no duty reported (an idle unit's fans stand still), manual starts at the top of
    the range: never slower than the firmware would run them."""
    sim.state.paused = True
    await init_integration.runtime_data.async_refresh()
    await _select(hass, "select.avalon_nano3s_fan_mode", "manual")
    assert (sim.state.fan_mode, sim.state.fan_percent) == ("manual", 100)


@pytest.mark.parametrize(
    ("personality", "sim_password"),
    [
        (name, "admin" if name.startswith("whatsminer") else "root")
        for name, personality in PERSONALITIES.items()
        if personality.family in {"avalon", "bmminer", "btminer", "btminer-v3"}
    ],
)
async def test_every_choice_is_translated(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Each work mode, level and fan mode a firmware offers has an English name; power
    presets are the firmware's own names and have none."""
    registry = er.async_get(hass)
    for entry in er.async_entries_for_config_entry(registry, init_integration.entry_id):
        translation = ENTITY_TRANSLATIONS["select"][entry.translation_key]
        options = hass.states.get(entry.entity_id).attributes[ATTR_OPTIONS]
        assert set(options) <= set(translation["state"]), entry.entity_id


@pytest.mark.parametrize("platforms", [[Platform.SELECT, Platform.NUMBER]])
@pytest.mark.parametrize(("personality", "sim_password"), [("bitaxe-gamma", None)])
async def test_fan_mode_reported(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """AxeOS reports its fan mode: the select shows it, manual holds the current duty, a duty
    set on the number is manual too, and automatic returns the fans to the firmware."""
    entity_id, duty = "select.bitaxe_gamma_fan_mode", "number.bitaxe_gamma_fan_duty"
    assert hass.states.get(entity_id).state == "auto"
    running = sim.personality.readings().duty
    await _select(hass, entity_id, "manual")
    assert hass.states.get(entity_id).state == "manual"
    assert (sim.state.fan_mode, sim.state.fan_percent) == ("manual", round(running))
    await hass.services.async_call(
        "number", "set_value", {ATTR_ENTITY_ID: duty, "value": 80}, blocking=True
    )
    assert hass.states.get(duty).state == "80"
    await _select(hass, entity_id, "auto")
    assert sim.state.fan_mode == "auto"
    assert hass.states.get(entity_id).state == "auto"


@pytest.mark.parametrize("platforms", [[Platform.SELECT, Platform.NUMBER]])
@pytest.mark.parametrize(("personality", "sim_password"), [("luxos", None)])
async def test_luxos_fan_mode(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """LuxOS reports its fan mode (tempctrl Mode): manual holds the duty luxminer runs the
    fans at (fanset speed=<duty>), automatic hands them back (speed=-1)."""
    entity_id = "select.antminer_s19j_pro_fan_mode"
    assert hass.states.get(entity_id).state == "auto"
    await _select(hass, entity_id, "manual")
    assert hass.states.get(entity_id).state == "manual"
    assert (sim.state.fan_mode, sim.state.fan_percent) == ("manual", sim.personality.fan_duty)
    await _select(hass, entity_id, "auto")
    assert sim.state.fan_mode == "auto"
    assert hass.states.get(entity_id).state == "auto"


@pytest.mark.parametrize(("personality", "sim_password"), [("vnish-s19", "admin")])
async def test_power_preset(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """VNish's autotune presets, by the firmware's own names, chosen and read back."""
    entity_id = "select.antminer_s19_power_preset"
    state = hass.states.get(entity_id)
    assert state.state == "disabled"
    assert state.attributes[ATTR_OPTIONS] == [
        "disabled",
        "2400",
        "2600",
        "2800",
        "3000",
        "3250",
        "3500",
    ]
    await _select(hass, entity_id, "3250")
    assert hass.states.get(entity_id).state == "3250"
    assert "state" not in ENTITY_TRANSLATIONS["select"]["power_preset"]
