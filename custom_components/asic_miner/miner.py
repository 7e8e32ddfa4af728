"""The miner behind a config entry: how it is reached and how it is recognised.

Shared by the config flow, the network scan and setup: the address check, detection, the entry
data, the client factory, and the identity rules (unique id, name).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
import ipaddress
import re
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.device_registry import format_mac
from homeassistant.util.ulid import ulid_now

from .api import APIConnectionError, APIPrivilegeDisabledError, MinerIdentity, VNishAPI
from .api.detect import api_class, detect_api
from .api.miner import Miner
from .const import (
    CONF_ADVANCED,
    CONF_FAMILY,
    CONF_WEB_PORT,
    DEFAULT_PORT,
    DEFAULT_WEB_PORT,
    DETECT_TIMEOUT,
    DOMAIN,
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


#: Families reached on the web port alone (nothing listens on their API port): their address
#: is ``host:web_port``.
WEB_ONLY_FAMILIES: Final = frozenset({"axeos"})


@dataclass(frozen=True, slots=True)
class PasswordUse:
    """What a family's password is for, as the form that asks for it says.

    ``step`` is the form (each wording its own: ``web_password`` — left empty, the miner is
    read-only; ``api_password`` — left empty, the controls use the factory password;
    ``root_password`` — Braiins OS's REST API), ``default`` the factory password it names.
    """

    step: str
    default: str = ""
    #: The family whose client checks the password where the detected one does not use it.
    checked_by: str | None = None
    #: Whether the client uses the factory password when none is stored (its controls stay);
    #: otherwise the controls the password brings go with it.
    factory_fallback: bool = False


#: Families whose controls need a password, asked after detection; the others have controls
#: without one (LuxOS, Avalon, AxeOS, old Braiins OS's pause) or none at all.
PASSWORDS: Final[Mapping[str, PasswordUse]] = {
    "bmminer": PasswordUse("web_password", "root"),
    "vnish": PasswordUse("web_password", "admin"),
    "btminer": PasswordUse("api_password", "admin", factory_fallback=True),
    "btminer-v3": PasswordUse("api_password", "super", factory_fallback=True),
    "epic": PasswordUse("api_password", "letmein", factory_fallback=True),
    # Detected without a password, Braiins OS is its CGMiner API (bosminer): only root's
    # password tells whether a REST API (25.07+) is there. No public source names its default.
    "bosminer": PasswordUse("root_password", checked_by="braiins-os"),
    "braiins-os": PasswordUse("root_password"),
}


@dataclass(frozen=True, slots=True)
class FoundMiner:
    """A miner that answered: where (the API port that answered, the web port), which
    family, who it is."""

    host: str
    port: int
    family: str
    identity: MinerIdentity
    web_port: int = DEFAULT_WEB_PORT
    #: The family's password has no use on this miner (``password_unused``).
    password_unused: bool = False

    @property
    def address(self) -> tuple[str, int]:
        """Where it is reached: the API port, or the web port of a web-only family."""
        return address_of(self.host, self.port, self.web_port, self.family)

    @property
    def password_use(self) -> PasswordUse | None:
        """What a password is for on this miner; None where it has no use for one."""
        return None if self.password_unused else PASSWORDS.get(self.family)


def password_unused(api: Miner) -> bool:
    """Whether the family's password has no use on the miner ``api`` read: VNish's web
    password unlocks its REST API, and a VNish that answered only on CGMiner's API (VNish 3.x
    has no REST API) has nothing to use it with, or to check it."""
    return isinstance(api, VNishAPI) and api.rest is False


def address_of(host: str, port: int, web_port: int, family: str | None) -> tuple[str, int]:
    """(host, port) a miner is reached at: its API port, or the web port of a web-only
    family (every AxeOS device "has" API port 4028, where nothing listens)."""
    return (host, web_port if family in WEB_ONLY_FAMILIES else port)


def entry_address(data: Mapping[str, Any]) -> tuple[str, int]:
    """(host, port) of a config entry's miner, as ``address_of``."""
    return address_of(
        str(data.get(CONF_HOST)),
        int(data.get(CONF_PORT) or DEFAULT_PORT),
        int(data.get(CONF_WEB_PORT) or DEFAULT_WEB_PORT),
        data.get(CONF_FAMILY),
    )


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
    try:
        identity = await api.get_identity()
        try:
            await api.check_password()
        except APIPrivilegeDisabledError as err:
            LOGGER.debug("The privileged API of %s:%s is switched off: %s", host, port, err)
        use = PASSWORDS.get(api.family)
        if password is not None and use is not None and use.checked_by is not None:
            await _async_check_with(api, use.checked_by, password)
    finally:
        await api.close()
    return FoundMiner(host, api.port, api.family, identity, web_port, password_unused(api))


async def _async_check_with(api: Miner, family: str, password: str) -> None:
    """Check ``password`` with the client of ``family``, where the family detected does not
    use it: root's password of a Braiins OS found as bosminer was either refused by its REST
    API (``APIAuthError``: a typo, said in the form rather than stored unused) or there is no
    REST API (older Braiins OS, or no web interface reachable: nothing to check)."""
    checker = api_class(family)(
        api.host,
        api.port,
        password=password,
        web_port=api.web_port,
        web_session=api.web_session,
    )
    try:
        await checker.check_password()
    except APIConnectionError as err:
        LOGGER.debug("No %s web interface at %s to check the password: %s", family, api.host, err)
    finally:
        await checker.close()


def controls_need_password(data: Mapping[str, Any]) -> bool:
    """Whether the entry's miner lacks controls because it has no password stored: its family's
    controls need one (no factory password stands in), and none is stored. What such a client
    does not offer is then the configuration's doing, not something it will find out later."""
    use = PASSWORDS.get(str(data.get(CONF_FAMILY)))
    return use is not None and not use.factory_fallback and not data.get(CONF_PASSWORD)


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
    """The serial number (or the firmware's own id), or None when the firmware reports an
    empty or placeholder one ("N/A", "0000000000", "FFFFFFFF")."""
    if serial is None:
        return None
    value = serial.strip()
    if value.lower() in _PLACEHOLDER_SERIALS or set(value.lower()) in ({"0"}, {"f"}):
        return None
    return value


# --- identity: the entry's unique id ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IdentityKind:
    """One kind of identity a miner may show; the entry's unique id is ``prefix + value``."""

    prefix: str
    read: Callable[[MinerIdentity], str | None]
    #: What the value is, in a message ("MAC 02:…", "serial number …").
    label: str = "id"


#: The identities a miner may show, strongest first; the first one it shows keys the entry.
#: The MAC has no prefix (entries keyed by it since the first version); the firmware's own id
#: of the unit (stock Antminer ``miner_id``, ePIC's control board ``cpuSerial``, Braiins OS
#: ``uid``) comes after the serial number: one line each here, and flows and setup follow.
IDENTITY_KINDS: Final[tuple[IdentityKind, ...]] = (
    IdentityKind("", lambda identity: valid_mac(identity.mac), "MAC"),
    IdentityKind("serial:", lambda identity: valid_serial(identity.serial), "serial number"),
    IdentityKind("miner_id:", lambda identity: valid_serial(identity.miner_id), "miner id"),
)

#: The last resort, for a miner that shows none of ``IDENTITY_KINDS`` (and was not found by
#: DHCP discovery, whose MAC would key it): an id generated once when the owner adds it and
#: confirms that nothing else can tell it apart. This is Home Assistant's "config entry ID as
#: a unique id of last resort", carried as the entry's unique id so that device and entities
#: hang on one key whichever kind it is. It survives address changes (Reconfigure moves it),
#: but cannot recognise the miner by itself: such miners are told apart by their address
#: (``address_taken``), and the entry adopts a real identity as soon as the miner shows one
#: (``async_adopt_identity``).
GENERATED_PREFIX: Final = "generated:"
#: How entries of earlier versions were keyed when the miner showed no identity: its
#: address and API port. Never a unique id now; migrated to a generated id
#: (``async_migrate_entry``) or to the real identity the miner shows.
LEGACY_ADDRESS_PREFIX: Final = "host:"


def miner_unique_id(identity: MinerIdentity) -> str | None:
    """The strongest identity the miner shows (``IDENTITY_KINDS``) as a unique id; None when
    it shows none."""
    for kind in IDENTITY_KINDS:
        if (value := kind.read(identity)) is not None:
            return f"{kind.prefix}{value}"
    return None


def generated_unique_id() -> str:
    """A new last-resort unique id (``GENERATED_PREFIX``)."""
    return f"{GENERATED_PREFIX}{ulid_now().lower()}"


def identity_kind(unique_id: str) -> IdentityKind | None:
    """The kind of identity an entry is keyed by; None when keyed by none (a generated id, or
    an address from an earlier version)."""
    if unique_id.startswith((GENERATED_PREFIX, LEGACY_ADDRESS_PREFIX)):
        return None
    prefixed = [kind for kind in IDENTITY_KINDS if kind.prefix]
    for kind in prefixed:
        if unique_id.startswith(kind.prefix):
            return kind
    return next(kind for kind in IDENTITY_KINDS if not kind.prefix)


def shown_identity(unique_id: str, identity: MinerIdentity) -> str | None:
    """The identity of the entry's kind that ``identity`` shows, as a unique id; None when the
    miner does not show that kind now, or the entry is keyed by no identity (then nothing can
    tell whether it is the same miner)."""
    kind = identity_kind(unique_id)
    if kind is None or (value := kind.read(identity)) is None:
        return None
    return f"{kind.prefix}{value}"


def describe_identity(unique_id: str) -> str:
    """An identity unique id in words, for a message ("MAC 02:…", "serial number …")."""
    kind = identity_kind(unique_id)
    if kind is None:
        return unique_id
    return f"{kind.label} {unique_id.removeprefix(kind.prefix)}"


@callback
def async_rekey(hass: HomeAssistant, entry: ConfigEntry, unique_id: str) -> None:
    """Key ``entry``, its device and its entities by ``unique_id`` instead of their old key.

    Entity ids, names, history and the owner's settings stay: only the registries' unique ids
    and the device's identifier change.
    """
    old = str(entry.unique_id)
    entities = er.async_get(hass)
    for registered in er.async_entries_for_config_entry(entities, entry.entry_id):
        if registered.unique_id.startswith(f"{old}_"):
            entities.async_update_entity(
                registered.entity_id,
                new_unique_id=f"{unique_id}{registered.unique_id.removeprefix(old)}",
            )
    devices = dr.async_get(hass)
    if device := devices.async_get_device_by_identifier((DOMAIN, old), entry.entry_id):
        devices.async_update_device(device.id, new_identifiers={(DOMAIN, unique_id)})
    hass.config_entries.async_update_entry(entry, unique_id=unique_id)
    LOGGER.debug("%s is now recognised by %s instead of %s", entry.title, unique_id, old)


@callback
def async_adopt_identity(hass: HomeAssistant, entry: ConfigEntry, identity: MinerIdentity) -> None:
    """An entry keyed by no identity takes the one its miner shows now (a firmware upgrade, a
    password that shows the MAC, a client that learned to read one), unless another entry
    already has it (the same miner added twice: both stay as they are)."""
    unique_id = str(entry.unique_id)
    if identity_kind(unique_id) is not None or (shown := miner_unique_id(identity)) is None:
        return
    if hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, shown) is not None:
        LOGGER.debug("%s shows %s, which another entry already has", entry.title, shown)
        return
    async_rekey(hass, entry, shown)


def address_taken(entries: Iterable[ConfigEntry], found: FoundMiner) -> ConfigEntry | None:
    """The entry that reaches its miner where ``found`` answered, if any.

    For a miner that shows no identity this is the only way to tell that it is configured
    already; it is never its unique id.
    """
    return next((entry for entry in entries if entry_address(entry.data) == found.address), None)


# --- names ---------------------------------------------------------------------------------

#: Each family's firmware in words, for the scan's pick list ("Antminer stock firmware 1.0.0")
#: and the name of a miner that reports neither make nor model ("CGMiner-compatible miner").
FIRMWARE_NAMES: Final[Mapping[str, str]] = {
    "bmminer": "Antminer stock",
    "vnish": "VNish",
    "btminer": "Whatsminer",
    "btminer-v3": "Whatsminer API v3",
    "bosminer": "Braiins OS",
    "braiins-os": "Braiins OS",
    "epic": "ePIC",
    "axeos": "AxeOS",
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
        "epic",
        "espressif",
        "goldshell",
        "localhost",
        "luckyminer",
        "luxos",
        "miner",
        "nerdaxe",
        "nerdqaxe",
        "vnish",
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
            which = f"{which}:{found.address[1]}"
    return f"{what} ({which})"


def pick_label(found: FoundMiner) -> str:
    """A miner in the scan's pick list: what it is, its own name, firmware and address."""
    parts = [model_name(found.identity) or "Unknown model"]
    if hostname := own_hostname(found.identity, found.family):
        parts.append(hostname)
    firmware = f"{firmware_name(found.family)} firmware {found.identity.firmware or ''}"
    host, port = found.address
    parts.extend((firmware.strip(), f"{host}:{port}"))
    return " — ".join(parts)


def describe_miner(found: FoundMiner) -> str:
    """Which miner answered, for a message: model and the identities it shows."""
    parts = [model_name(found.identity) or f"{firmware_name(found.family)} miner"]
    if mac := valid_mac(found.identity.mac):
        parts.append(f"MAC {mac}")
    if serial := valid_serial(found.identity.serial):
        parts.append(f"serial number {serial}")
    return ", ".join(parts)
