"""Diagnostics: the entry, the identity, the last poll and the raw replies, secrets redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_PASSWORD
from homeassistant.core import HomeAssistant

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
    # AxeOS / NerdOS / LuckyMiner (the client already drops pool workers and passwords)
    "macAddr",
    "stratumUser",
    "fallbackStratumUser",
    "stratumPassword",
    "fallbackStratumPassword",
    "wifiPass",
    "ssid",
    # ePIC (the client already drops StratumConfigs logins and passwords)
    "login",
    "Current User",
    "Miner Serial Number",
    "Board Serial Numbers",
    "cpuSerial",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: AsicMinerConfigEntry
) -> dict[str, Any]:
    """What a maintainer needs to map a firmware's replies, without the owner's secrets."""
    coordinator = entry.runtime_data
    return {
        "entry": {
            "data": async_redact_data(dict(entry.data), TO_REDACT),
            "options": dict(entry.options),
        },
        "family": coordinator.api.family,
        "capabilities": sorted(coordinator.api.capabilities),
        "work_modes": list(coordinator.api.work_modes),
        "power_limit_bounds": coordinator.api.power_limit_bounds,
        "identity": async_redact_data(asdict(coordinator.identity), TO_REDACT),
        "last_update_success": coordinator.last_update_success,
        "data": async_redact_data(asdict(coordinator.data), TO_REDACT)
        if coordinator.data is not None
        else None,
        "last_replies": async_redact_data(coordinator.api.last_replies, TO_REDACT),
    }
