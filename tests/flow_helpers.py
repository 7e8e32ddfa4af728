"""What a person sees of a flow step: its messages as translated, and what a form shows."""

from collections.abc import Mapping
import socket
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations

from custom_components.asic_miner.const import DOMAIN


async def translated(
    hass: HomeAssistant, result: Mapping[str, Any], category: str = "config"
) -> dict[str, str]:
    """The form's errors as the user reads them: each key has a text in translations/en.json
    and every placeholder of that text is filled."""
    texts = await async_get_translations(hass, "en", category, [DOMAIN])
    placeholders = result.get("description_placeholders") or {}
    shown = {}
    for field, key in result["errors"].items():
        text = texts.get(f"component.{DOMAIN}.{category}.error.{key}")
        assert text, f"no translation for {category}.error.{key}"
        shown[field] = text.format(**placeholders)
    return shown


async def abort_text(hass: HomeAssistant, result: Mapping[str, Any]) -> str:
    """The abort message as the user reads it, placeholders filled."""
    texts = await async_get_translations(hass, "en", "config", [DOMAIN])
    text = texts.get(f"component.{DOMAIN}.config.abort.{result['reason']}")
    assert text, f"no translation for config.abort.{result['reason']}"
    return text.format(**(result.get("description_placeholders") or {}))


def suggested(result: Mapping[str, Any], field: str, section: str | None = None) -> Any:
    """The value a form shows pre-filled in ``field`` (None when empty)."""
    schema = result["data_schema"].schema
    if section is not None:
        schema = next(key for key in schema if key == section)
        schema = result["data_schema"].schema[schema].schema.schema
    for key in schema:
        if key == field:
            return (key.description or {}).get("suggested_value")
    raise KeyError(field)


def closed_port() -> int:
    """A loopback port with nothing behind it (an AxeOS device's API port, a dead port)."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        return int(closed.getsockname()[1])
