"""Diagnostics: the entry, the identity, the last poll and the raw replies, secrets redacted."""

from __future__ import annotations

from dataclasses import asdict
import re
from typing import Any, Final

from homeassistant.components.diagnostics import REDACTED, async_redact_data
from homeassistant.const import CONF_PASSWORD
from homeassistant.core import HomeAssistant

from .api.redact import without_url_credentials
from .coordinator import AsicMinerConfigEntry

#: Keys as firmwares spell them: passwords, pool workers (often wallet addresses), MACs,
#: serial numbers and Whatsminer session material.
TO_REDACT = {
    CONF_PASSWORD,
    "Password",
    "pass",
    "Pass",
    "passwd",
    "user",
    "User",
    "worker",
    "Worker",
    "account",
    "mac",
    "MAC",
    "Mac",
    "macaddr",
    "MACAddr",
    "mac_address",
    "MacAddress",
    "serial",
    "Serial",
    "SerialNo",
    "SerialNumber",
    "serinum",
    "minersn",
    "miner-sn",
    "serial_no",
    "miner_id",
    "sn",
    "SN",
    "token",
    "Token",
    "salt",
    "newsalt",
    "sign",
    "enc",
    "unique_id",
    # Whatsminer devs/edevs: each hash board's serial number (v3: ``_NUMBERED``)
    "PCB SN",
    # AxeOS / NerdOS / LuckyMiner (the client already drops pool workers and passwords)
    "macAddr",
    "stratumUser",
    "fallbackStratumUser",
    "stratumPassword",
    "fallbackStratumPassword",
    "wifiPass",
    "ssid",
    "ipv6",  # the link-local address, made from the MAC
    # ePIC (the client already drops StratumConfigs logins and passwords)
    "login",
    "Current User",
    "Miner Serial Number",
    "Board Serial Numbers",
    "cpuSerial",
    # VNish (the unlock body's password, its token) and Braiins OS REST (login, unit id)
    "pw",
    "password",
    "access_token",
    "serial_number",
    "uid",
    # Avalon VERSION (Canaan's unique number of the unit) and Wi-Fi of the home units
    "DNA",
    "SSID",
}

#: Secrets inside one string: Avalon's ``MM ID`` text is ``Key[value]`` pairs, among them
#: ``DNA[…]`` (the unit's unique number, its serial), ``SSID[…]`` (the owner's Wi-Fi) and, on
#: some firmware, ``MAC[…]``. Their values are replaced; an empty one is kept (it shows the
#: field is unset).
_EMBEDDED: Final = re.compile(r"\b(DNA|SSID|MAC)\[([^\]]+)\]")
#: Keys numbered per hash board: Whatsminer API v3 ``pcbsn0``, ``pcbsn1``… (each board's
#: serial number).
_NUMBERED: Final = re.compile(r"pcbsn\d+")


def _scrubbed(value: Any) -> Any:
    """``value`` with every secret embedded in a string replaced (``_EMBEDDED``, the
    ``user[:password]@`` of a URL: ``redact.without_url_credentials``) and the values of
    numbered keys (``_NUMBERED``)."""
    if isinstance(value, str):
        value = _EMBEDDED.sub(lambda match: f"{match[1]}[{REDACTED}]", value)
        return without_url_credentials(value)
    if isinstance(value, dict):
        return {
            key: REDACTED
            if isinstance(key, str) and _NUMBERED.fullmatch(key) and item not in (None, "")
            else _scrubbed(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_scrubbed(item) for item in value]
    return value


def _redacted(value: Any) -> Any:
    """Secrets removed: by key (``TO_REDACT``), then by numbered key and inside strings
    (``_scrubbed``)."""
    return _scrubbed(async_redact_data(value, TO_REDACT))


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: AsicMinerConfigEntry
) -> dict[str, Any]:
    """What a maintainer needs to map a firmware's replies, without the owner's secrets."""
    coordinator = entry.runtime_data
    return {
        "entry": {
            "data": _redacted(dict(entry.data)),
            "options": dict(entry.options),
        },
        "family": coordinator.api.family,
        "capabilities": sorted(coordinator.api.capabilities),
        "work_modes": list(coordinator.api.work_modes),
        "power_limit_bounds": coordinator.api.power_limit_bounds,
        "identity": _redacted(asdict(coordinator.identity)),
        "last_update_success": coordinator.last_update_success,
        "data": _redacted(asdict(coordinator.data)) if coordinator.data is not None else None,
        "last_replies": _redacted(coordinator.api.last_replies),
    }
