"""The miner behind a config entry: how it is reached and how it is recognised.

Shared by the config flow, the network scan and setup: the address check, detection, the entry
data, the client factory, and the identity rules (unique id, name).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
import ipaddress
import re
from typing import Any, Final

from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.device_registry import format_mac

from .api import APIPrivilegeDisabledError, MinerIdentity
from .api.detect import api_class, detect_api
from .api.miner import Miner
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
#: Families whose client uses a password it cannot check without running a control; a flow
#: stores such a password saying so. None today: Whatsminer API v3, which signs only ``set.*``
#: commands, checks it with one that changes nothing (the LED set to the state it reports).
UNCHECKED_PASSWORD_FAMILIES: Final[frozenset[str]] = frozenset()
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


async def async_create_api(hass: HomeAssistant, data: Mapping[str, Any]) -> Miner:
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


# --- identity: the entry's unique id ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IdentityKind:
    """One kind of identity a miner may show; the entry's unique id is ``prefix + value``."""

    prefix: str
    read: Callable[[MinerIdentity], str | None]


#: The identities a miner may show, strongest first; the first one it shows keys the entry.
#: The MAC has no prefix (entries keyed by it since the first version). A further kind (the
#: stock Antminer's own ``miner_id``, once the client reads it) goes after the serial: one line
#: here, and flow and setup follow.
IDENTITY_KINDS: Final[tuple[IdentityKind, ...]] = (
    IdentityKind("", lambda identity: valid_mac(identity.mac)),
    IdentityKind("serial:", lambda identity: valid_serial(identity.serial)),
)

#: The last resort, for a miner that shows none of ``IDENTITY_KINDS``: its address. It is no
#: identity at all: the entry cannot recognise its miner at another address (moving it needs
#: Reconfigure, which cannot check that the miner there is the same one), and another miner
#: put at the address is taken for it. Nothing better is invented in its place.
ADDRESS_PREFIX: Final = "host:"


def miner_unique_id(identity: MinerIdentity, host: str, port: int) -> str:
    """The strongest identity the miner shows (``IDENTITY_KINDS``), else its address."""
    for kind in IDENTITY_KINDS:
        if (value := kind.read(identity)) is not None:
            return f"{kind.prefix}{value}"
    return f"{ADDRESS_PREFIX}{host}:{port}"


def identity_kind(unique_id: str) -> IdentityKind | None:
    """The kind of identity an entry is keyed by; None when keyed by its address."""
    if unique_id.startswith(ADDRESS_PREFIX):
        return None
    prefixed = [kind for kind in IDENTITY_KINDS if kind.prefix]
    for kind in prefixed:
        if unique_id.startswith(kind.prefix):
            return kind
    return next(kind for kind in IDENTITY_KINDS if not kind.prefix)


def shown_identity(unique_id: str, identity: MinerIdentity) -> str | None:
    """The identity of the entry's kind that ``identity`` shows, as a unique id; None when the
    miner does not show that kind now, or the entry is keyed by its address (then nothing can
    tell whether it is the same miner)."""
    kind = identity_kind(unique_id)
    if kind is None or (value := kind.read(identity)) is None:
        return None
    return f"{kind.prefix}{value}"


# --- names ---------------------------------------------------------------------------------

#: Each family's firmware in words, for the scan's pick list ("Antminer stock firmware 1.0.0")
#: and the name of a miner that reports neither make nor model ("CGMiner-compatible miner").
FIRMWARE_NAMES: Final[Mapping[str, str]] = {
    "bmminer": "Antminer stock",
    "btminer": "Whatsminer",
    "btminer-v3": "Whatsminer API v3",
    "bosminer": "Braiins OS",
    "luxos": "LuxOS",
    "avalon": "Avalon",
    "bfgminer": "BFGMiner",
    "cgminer": "CGMiner",
    UNKNOWN_FAMILY: "CGMiner-compatible",
}


def firmware_name(family: str) -> str:
    """The family's firmware in words; the family itself when it has none."""
    return FIRMWARE_NAMES.get(family, family)


#: Words of the host names miners ship with ("Antminer", "WhatsMiner-M60S", "bitaxe",
#: "luxos-miner"): a host name made only of these, the make, the model and the family is the
#: factory's, shared by every unit, and tells nothing apart.
_FACTORY_HOSTNAME_WORDS: Final = frozenset(
    {
        "antminer",
        "asic",
        "avalon",
        "avalonminer",
        "bitaxe",
        "bitmain",
        "braiins",
        "bos",
        "canaan",
        "goldshell",
        "localhost",
        "luxos",
        "miner",
        "whatsminer",
    }
)
_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str | None) -> set[str]:
    return set(_WORD.findall(text.lower())) if text else set()


def model_name(identity: MinerIdentity) -> str | None:
    """Make and model ("Antminer S19"), without repeating the make; None when neither is known."""
    parts = [part for part in (identity.make, identity.model) if part]
    if len(parts) == 2 and parts[1].lower().startswith(parts[0].lower()):
        parts = parts[1:]
    return " ".join(parts) or None


def own_hostname(identity: MinerIdentity, family: str) -> str | None:
    """The host name the owner gave the miner; None when it has none, or the factory's."""
    hostname = (identity.hostname or "").strip().removesuffix(".")
    if not hostname:
        return None
    try:
        ipaddress.ip_address(hostname)
    except ValueError:
        pass
    else:
        return None
    generic = (
        _FACTORY_HOSTNAME_WORDS | _words(identity.make) | _words(identity.model) | _words(family)
    )
    return None if _words(hostname) <= generic else hostname


def miner_title(found: FoundMiner, *, with_port: bool = False) -> str:
    """The name of a new entry and its device: what the miner is, and which one.

    "Antminer S19 (rack3-07)" with the host name the owner gave it, else with its address
    ("Antminer S19 (192.168.1.20)"), so that two miners of one model differ. The port is added
    when another entry shares the address (``with_port``: miners behind one forwarded
    address). A miner that reports neither make nor model is named after its firmware
    ("CGMiner-compatible miner (192.168.1.20)") — never a bare address.
    """
    what = model_name(found.identity) or f"{firmware_name(found.family)} miner"
    which = own_hostname(found.identity, found.family)
    if which is None:
        which = f"[{found.host}]" if ":" in found.host else found.host
        if with_port:
            which = f"{which}:{found.port}"
    return f"{what} ({which})"


def pick_label(found: FoundMiner) -> str:
    """A miner in the scan's pick list: what it is, its own name, firmware and address."""
    parts = [model_name(found.identity) or "Unknown model"]
    if hostname := own_hostname(found.identity, found.family):
        parts.append(hostname)
    firmware = f"{firmware_name(found.family)} firmware {found.identity.firmware or ''}"
    parts.extend((firmware.strip(), f"{found.host}:{found.port}"))
    return " — ".join(parts)


def describe_miner(found: FoundMiner) -> str:
    """Which miner answered, for a message: model and the identities it shows."""
    parts = [model_name(found.identity) or f"{firmware_name(found.family)} miner"]
    if mac := valid_mac(found.identity.mac):
        parts.append(f"MAC {mac}")
    if serial := valid_serial(found.identity.serial):
        parts.append(f"serial number {serial}")
    return ", ".join(parts)
