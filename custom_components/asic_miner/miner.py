"""The miner behind a config entry: how it is reached and how it is recognised.

Shared by the config flow, the network scan and setup: the address check, detection, the entry
data, the client factory, and the identity rules (unique id, name).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import ipaddress
import re
from typing import Any

from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.device_registry import format_mac

from .api import APIPrivilegeDisabledError, MinerIdentity
from .api.base import BaseMinerAPI
from .api.detect import api_class, detect_api
from .const import (
    CONF_ADVANCED,
    CONF_FAMILY,
    CONF_WEB_PORT,
    DEFAULT_PORT,
    DEFAULT_WEB_PORT,
    DETECT_TIMEOUT,
    LOGGER,
)

#: The family of a miner whose firmware was not recognised (re-detected at each start).
UNKNOWN_FAMILY = "unknown"
#: MACs firmwares report when they do not know their own (never an identity).
_PLACEHOLDER_MACS = frozenset({"00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"})
_MAC = re.compile(r"[0-9a-f]{2}(:[0-9a-f]{2}){5}")
_PLACEHOLDER_SERIALS = frozenset({"", "0", "none", "null", "unknown", "n/a", "na"})
#: One DNS label of a host name.
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


@dataclass(frozen=True, slots=True)
class FoundMiner:
    """A miner that answered: where (the port that answered), which family, who it is."""

    host: str
    port: int
    family: str
    identity: MinerIdentity


def host_error(host: str) -> str | None:
    """Why ``host`` is not a bare IP address or host name (URLs and ``host:port`` are not)."""
    if not host:
        return "host_empty"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return None
    if "://" in host or "/" in host:
        return "host_is_url"
    if ":" in host:
        return "host_has_port"
    name = host.removesuffix(".")
    if len(name) > 253 or not all(_LABEL.fullmatch(label) for label in name.split(".")):
        return "invalid_host"
    return None


def parse_miner_form(user_input: Mapping[str, Any]) -> tuple[str, int, str | None, int]:
    """(host, port, password, web_port) from a miner form; selectors give floats."""
    advanced = user_input.get(CONF_ADVANCED, {})
    return (
        str(user_input[CONF_HOST]).strip(),
        int(advanced.get(CONF_PORT, DEFAULT_PORT)),
        user_input.get(CONF_PASSWORD) or None,
        int(advanced.get(CONF_WEB_PORT, DEFAULT_WEB_PORT)),
    )


async def async_detect(
    hass: HomeAssistant, host: str, port: int, password: str | None, web_port: int
) -> FoundMiner:
    """Connect, detect the family and read the identity; raises the client's ``APIError``s.

    The port found may differ from the one given: a Whatsminer with API v3 is asked on 4433
    when 4028 was entered, and the entry must then store 4433.

    A given password is checked here (``APIAuthError`` when wrong), so a typo is caught in the
    form rather than at the first control. A miner whose privileged API is switched off is
    still added: monitoring works without it, and its controls raise a repair issue later.
    """
    api = await detect_api(
        host,
        port,
        timeout=DETECT_TIMEOUT,
        password=password,
        web_port=web_port,
        web_session=async_get_clientsession(hass),
    )
    identity = await api.get_identity()
    try:
        await api.check_password()
    except APIPrivilegeDisabledError as err:
        LOGGER.debug("The privileged API of %s:%s is switched off: %s", host, port, err)
    return FoundMiner(host, api.port, api.family, identity)


def entry_data(found: FoundMiner, password: str | None, web_port: int) -> dict[str, Any]:
    """The config entry data of a miner that answered."""
    data: dict[str, Any] = {
        CONF_HOST: found.host,
        CONF_PORT: found.port,
        CONF_WEB_PORT: web_port,
        CONF_FAMILY: found.family,
    }
    if password:
        data[CONF_PASSWORD] = password
    return data


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
