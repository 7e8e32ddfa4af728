"""Build the API client of a config entry, and the identity rules shared by flow and setup."""

from __future__ import annotations

from collections.abc import Mapping
import re
from typing import Any

from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.device_registry import format_mac

from .api import MinerIdentity
from .api.base import BaseMinerAPI
from .api.detect import api_class, detect_api
from .const import CONF_FAMILY, CONF_WEB_PORT, DEFAULT_PORT, DEFAULT_WEB_PORT, DETECT_TIMEOUT

#: The family of a miner whose firmware was not recognised (re-detected at each start).
UNKNOWN_FAMILY = "unknown"
#: MACs firmwares report when they do not know their own (never an identity).
_PLACEHOLDER_MACS = frozenset({"00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"})
_MAC = re.compile(r"[0-9a-f]{2}(:[0-9a-f]{2}){5}")
_PLACEHOLDER_SERIALS = frozenset({"", "0", "none", "null", "unknown", "n/a", "na"})


async def async_create_api(hass: HomeAssistant, data: Mapping[str, Any]) -> BaseMinerAPI:
    """The client for stored entry data: built from the known family, detected only if unknown.

    Re-detecting on every start would cost several round trips and could pick another family
    while a miner is half-booted; the family only changes when the owner reflashes. Only an
    "unknown" family is detected again, so a firmware supported by a later version of this
    integration is picked up.
    """
    host: str = data[CONF_HOST]
    port: int = data.get(CONF_PORT, DEFAULT_PORT)
    password: str | None = data.get(CONF_PASSWORD) or None
    web_port: int = data.get(CONF_WEB_PORT, DEFAULT_WEB_PORT)
    family = data.get(CONF_FAMILY)
    web_session = async_get_clientsession(hass)
    if family and family != UNKNOWN_FAMILY:
        return api_class(family)(
            host, port, password=password, web_port=web_port, web_session=web_session
        )
    return await detect_api(
        host,
        port,
        timeout=DETECT_TIMEOUT,
        password=password,
        web_port=web_port,
        web_session=web_session,
    )


def valid_mac(mac: str | None) -> str | None:
    """The HA-formatted MAC, or None when it is missing, malformed or a placeholder."""
    if not mac:
        return None
    formatted = format_mac(mac.strip())
    if not _MAC.fullmatch(formatted) or formatted in _PLACEHOLDER_MACS:
        return None
    return formatted


def valid_serial(serial: str | None) -> str | None:
    """The serial number, or None when the firmware reports an empty or placeholder one."""
    if serial is None or serial.strip().lower() in _PLACEHOLDER_SERIALS:
        return None
    return serial.strip()


def miner_unique_id(identity: MinerIdentity, host: str, port: int) -> str:
    """MAC, else serial, else address: the most stable identity this firmware exposes."""
    if mac := valid_mac(identity.mac):
        return mac
    if serial := valid_serial(identity.serial):
        return f"serial:{serial}"
    return f"host:{host}:{port}"


def miner_title(identity: MinerIdentity, host: str) -> str:
    """Detected make and model, the default name of the entry and device."""
    parts = [part for part in (identity.make, identity.model) if part]
    if len(parts) == 2 and parts[1].lower().startswith(parts[0].lower()):
        parts = parts[1:]
    return " ".join(parts) or host
