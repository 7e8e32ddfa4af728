"""The packaging metadata HACS and hassfest read, and that the integration loads at all."""

import json
from pathlib import Path

from awesomeversion import AwesomeVersion
from homeassistant.const import __version__ as ha_version
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component

from custom_components.asic_miner.const import DOMAIN

ROOT = Path(__file__).parent.parent
INTEGRATION = ROOT / "custom_components" / DOMAIN


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_manifest_has_every_key_hassfest_and_hacs_require() -> None:
    manifest = _json(INTEGRATION / "manifest.json")
    for key in (
        "domain",
        "name",
        "codeowners",
        "config_flow",
        "documentation",
        "integration_type",
        "iot_class",
        "issue_tracker",
        "requirements",
        "version",
    ):
        assert key in manifest, key
    assert manifest["domain"] == DOMAIN
    assert manifest["name"] == "ASIC Miner"
    assert manifest["config_flow"] is True
    assert manifest["integration_type"] == "device"
    assert manifest["iot_class"] == "local_polling"
    assert manifest["requirements"] == []
    assert manifest["documentation"].startswith("https://")
    assert manifest["issue_tracker"].startswith("https://")
    assert manifest["codeowners"]
    assert all(owner.startswith("@") for owner in manifest["codeowners"])


def test_manifest_version_parses() -> None:
    version = AwesomeVersion(_json(INTEGRATION / "manifest.json")["version"])
    assert version.valid
    assert version.strategy != "unknown"


def test_hacs_json_requires_no_newer_home_assistant_than_tested() -> None:
    hacs = _json(ROOT / "hacs.json")
    assert hacs["name"] == "ASIC Miner"
    assert AwesomeVersion(hacs["hacs"]).valid
    assert AwesomeVersion(hacs["homeassistant"]) <= AwesomeVersion(ha_version)


def test_brand_icon_is_a_png() -> None:
    icon = (INTEGRATION / "brand" / "icon.png").read_bytes()
    assert icon.startswith(b"\x89PNG\r\n\x1a\n")


def test_no_homeassistant_import_under_api() -> None:
    """api/ must stay extractable as a library."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (INTEGRATION / "api").rglob("*.py")
        if "homeassistant" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


async def test_integration_loads(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()
    assert DOMAIN in hass.config.components
