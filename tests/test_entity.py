"""The base entity and its helpers: when entities are added, and the snapshot format itself."""

from datetime import timedelta
import json
from pathlib import Path
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity import EntityDescription
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.asic_miner import binary_sensor, button, number, select, sensor, switch
from custom_components.asic_miner.const import DOMAIN
from simulator import MinerSimulator
from tests.entities import describe_entities

INTEGRATION = Path(__file__).parent.parent / "custom_components" / DOMAIN


@pytest.fixture
def platforms() -> list[Platform]:
    """Only the sensor platform."""
    return [Platform.SENSOR]


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_snapshot_shows_every_field_off_its_default(
    hass: HomeAssistant, init_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """The compact snapshot leaves out only fields at their default: a user's change to any
    other field (here hiding, an icon and a name) appears in the entity's block."""
    entity_id = "sensor.antminer_s19_hashrate"
    before = describe_entities(hass, init_integration)
    assert "hidden_by" not in before
    entity_registry.async_update_entity(
        entity_id,
        hidden_by=er.RegistryEntryHider.USER,
        icon="mdi:pickaxe",
        name="Hash",
        labels={"b", "a"},
    )
    await hass.async_block_till_done()
    block = describe_entities(hass, init_integration).split(f"{entity_id} = ")[1]
    entry_line = block.splitlines()[1]
    for shown in ("hidden_by='user'", "icon='mdi:pickaxe'", "name='Hash'", "labels={'a', 'b'}"):
        assert shown in entry_line


@pytest.mark.parametrize(("personality", "sim_password"), [("braiins-os", None)])
async def test_registered_is_per_platform(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    sim: MinerSimulator,
    entity_registry: er.EntityRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An entity of another platform with the same key (a power limit number) does not make
    the power limit sensor "known": it waits until the miner reports a limit."""
    mock_config_entry.add_to_hass(hass)
    entity_registry.async_get_or_create(
        "number",
        DOMAIN,
        f"{mock_config_entry.unique_id}_power_limit",
        config_entry=mock_config_entry,
    )
    sim.state.power_limit = None
    with patch("custom_components.asic_miner.PLATFORMS", [Platform.SENSOR]):
        assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
    sensor = entity_registry.async_get_entity_id(
        "sensor", DOMAIN, f"{mock_config_entry.unique_id}_power_limit"
    )
    assert sensor is None

    sim.state.power_limit = 3000
    freezer.tick(timedelta(seconds=30))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    sensor = entity_registry.async_get_entity_id(
        "sensor", DOMAIN, f"{mock_config_entry.unique_id}_power_limit"
    )
    assert sensor is not None
    assert hass.states.get(sensor).state == "3000.0"


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_twins_of_earlier_versions_removed(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """One entity per concept: the read-only mining and power limit twins of the switch and
    the number, the error count beside the errors binary sensor and the Identify button beside
    the fault light switch, left by earlier versions, leave the registry; the rest stays."""
    mock_config_entry.add_to_hass(hass)
    uid = mock_config_entry.unique_id
    retired = [
        ("binary_sensor", "mining"),
        ("sensor", "power_limit"),
        ("sensor", "error_count"),
        ("button", "identify"),
    ]
    kept = [("switch", "mining"), ("number", "power_limit"), ("sensor", "hashrate")]
    for domain, key in retired + kept:
        entity_registry.async_get_or_create(
            domain, DOMAIN, f"{uid}_{key}", config_entry=mock_config_entry
        )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    for domain, key in retired:
        assert entity_registry.async_get_entity_id(domain, DOMAIN, f"{uid}_{key}") is None
    for domain, key in kept:
        entity_id = entity_registry.async_get_entity_id(domain, DOMAIN, f"{uid}_{key}")
        assert entity_id is not None
        assert hass.states.get(entity_id) is not None


def _descriptions() -> dict[str, list[EntityDescription]]:
    """Every entity description, per platform."""
    return {
        "sensor": [*sensor.SENSORS, *sensor.PART_SENSORS, sensor.LAST_START, sensor.ENERGY],
        "binary_sensor": [*binary_sensor.BINARY_SENSORS, binary_sensor.CONNECTIVITY],
        "switch": list(switch.SWITCHES),
        "button": list(button.BUTTONS),
        "number": list(number.NUMBERS),
        "select": list(select.SELECTS),
    }


def test_entity_names_and_icons_match_the_descriptions() -> None:
    """Every entity has a translated name, no translation or icon is left for an entity that
    no longer exists, and the English translation is the source strings (a custom
    integration ships both)."""
    strings = json.loads((INTEGRATION / "strings.json").read_text(encoding="utf-8"))
    english = json.loads((INTEGRATION / "translations" / "en.json").read_text(encoding="utf-8"))
    icons = json.loads((INTEGRATION / "icons.json").read_text(encoding="utf-8"))
    assert strings["entity"] == english["entity"]
    used: dict[str, set[str]] = {}
    for platform, descriptions in _descriptions().items():
        keys = used.setdefault(platform, set())
        for description in descriptions:
            assert description.translation_key, f"{platform}.{description.key} has no name"
            assert description.translation_key in strings["entity"][platform], description.key
            keys.add(description.translation_key)
    named = {platform: set(names) for platform, names in strings["entity"].items()}
    assert named == used
    for platform, entities in icons["entity"].items():
        assert set(entities) <= used[platform], platform
