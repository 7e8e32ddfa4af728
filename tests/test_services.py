"""Actions: targeted by device or entity, validated before anything is sent."""

from pathlib import Path

from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.service import async_get_all_descriptions
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from custom_components.asic_miner.const import DOMAIN
from simulator import MinerSimulator

ROOT = Path(__file__).parent.parent
INTEGRATION = ROOT / "custom_components" / DOMAIN


@pytest.fixture
def personality() -> str:
    """A miner with every control."""
    return "whatsminer-m30s"


@pytest.fixture
def sim_password() -> str:
    """Its API password."""
    return "admin"


def _device_id(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, str(entry.unique_id)), entry.entry_id
    )
    assert device is not None
    return device.id


async def test_actions_registered_once(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The three actions exist as soon as the integration is set up."""
    for service in ("reboot", "restart_backend", "set_power_limit"):
        assert hass.services.has_service(DOMAIN, service)


async def test_set_power_limit_by_device(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """The limit reaches the miner and its number shows it after the refresh."""
    await hass.services.async_call(
        DOMAIN,
        "set_power_limit",
        {ATTR_DEVICE_ID: _device_id(hass, init_integration), "watts": 2500},
        blocking=True,
    )
    assert sim.state.power_limit == 2500
    assert hass.states.get("number.whatsminer_m30s_power_limit").state == "2500.0"


async def test_restart_backend_by_entity(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """Any entity of the miner targets it."""
    await hass.services.async_call(
        DOMAIN,
        "restart_backend",
        {ATTR_ENTITY_ID: "sensor.whatsminer_m30s_hashrate"},
        blocking=True,
    )
    assert "restart_btminer" in sim.received


async def test_reboot_by_device(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """Reboot reaches the miner."""
    sim.personality.reboot_seconds = 0.1
    await hass.services.async_call(
        DOMAIN, "reboot", {ATTR_DEVICE_ID: _device_id(hass, init_integration)}, blocking=True
    )
    assert "reboot" in sim.received


async def test_power_limit_out_of_range(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A limit outside the miner's bounds is refused before anything is sent."""
    sim.received.clear()
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "set_power_limit",
            {ATTR_DEVICE_ID: _device_id(hass, init_integration), "watts": 20000},
            blocking=True,
        )
    assert err.value.translation_key == "power_limit_out_of_range"
    assert err.value.translation_placeholders == {
        "name": "Whatsminer M30S",
        "watts": "20000",
        "min": "500",
        "max": "10000",
    }
    assert sim.received == []


@pytest.mark.parametrize(
    "target",
    [
        {ATTR_DEVICE_ID: "not-a-device"},
        {ATTR_ENTITY_ID: "sensor.does_not_exist"},
        {},
    ],
)
async def test_bad_target(
    hass: HomeAssistant, init_integration: MockConfigEntry, target: dict[str, str]
) -> None:
    """Targets that are not a loaded miner are the caller's mistake."""
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(DOMAIN, "reboot", target, blocking=True)
    assert err.value.translation_key == "no_target"


async def test_target_not_loaded(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """A miner whose entry is unloaded cannot be commanded."""
    device_id = _device_id(hass, init_integration)
    await hass.config_entries.async_unload(init_integration.entry_id)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(DOMAIN, "reboot", {ATTR_DEVICE_ID: device_id}, blocking=True)
    assert err.value.translation_key == "not_loaded"


async def test_refused_by_miner(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """The miner's refusal surfaces as a translated error."""
    sim.personality.write_enabled = False
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN,
            "restart_backend",
            {ATTR_DEVICE_ID: _device_id(hass, init_integration)},
            blocking=True,
        )
    assert err.value.translation_key == "control_api_locked"


@pytest.mark.parametrize(("personality", "sim_password"), [("cgminer-fork", None)])
async def test_unsupported(
    hass: HomeAssistant, init_integration: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A firmware without the control refuses the action without sending anything."""
    sim.received.clear()
    for service, data in (
        ("reboot", {}),
        ("restart_backend", {}),
        ("set_power_limit", {"watts": 1000}),
    ):
        with pytest.raises(ServiceValidationError) as err:
            await hass.services.async_call(
                DOMAIN,
                service,
                {ATTR_DEVICE_ID: _device_id(hass, init_integration), **data},
                blocking=True,
            )
        assert err.value.translation_key == "unsupported"
        # The action as the owner called it, not the capability behind it.
        assert err.value.translation_placeholders == {
            "name": "127.0.0.1",
            "action": f"{DOMAIN}.{service}",
        }
    assert sim.received == []


async def test_descriptions(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """services.yaml parses and targets miners; every action and field has translated text."""
    descriptions = (await async_get_all_descriptions(hass))[DOMAIN]
    assert set(descriptions) == {"reboot", "restart_backend", "set_power_limit"}
    for description in descriptions.values():
        assert description["target"]["device"] == [{"integration": DOMAIN}]
    assert descriptions["set_power_limit"]["fields"]["watts"]["required"] is True
    # Any whole number of watts: each miner's own bounds are checked by the action.
    assert descriptions["set_power_limit"]["fields"]["watts"]["selector"] == {
        "number": {"min": 1, "step": 1, "unit_of_measurement": "W", "mode": "box"}
    }

    texts = await async_get_translations(hass, "en", "services", [DOMAIN])
    prefix = f"component.{DOMAIN}.services"
    for service in descriptions:
        assert texts[f"{prefix}.{service}.name"]
        assert texts[f"{prefix}.{service}.description"]
    assert texts[f"{prefix}.set_power_limit.fields.watts.name"] == "Power limit"


def test_readme_documents_every_action_and_field() -> None:
    """docs-actions: each action of services.yaml, and each of its fields, is in the README."""
    services = yaml.safe_load((INTEGRATION / "services.yaml").read_text(encoding="utf-8"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert set(services) == {"reboot", "restart_backend", "set_power_limit"}
    for service, description in services.items():
        assert f"`{DOMAIN}.{service}`" in readme, service
        for field in description.get("fields", {}):
            assert f"`{field}`" in readme, (service, field)
