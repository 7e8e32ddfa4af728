"""The base entity and its helpers: when entities are added, and the snapshot format itself."""

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.entities import describe_entities


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
