"""Bitaxe Ultra (BM1366, board 0.11) on AxeOS v2.1.3, 13 s after boot (ESP-Miner issue #169).

The oldest field set: the fan's rpm is ``fanSpeed`` (capital S, until 2.1.3) and ``fanspeed``
100 is the stored manual duty, not the live one, while ``autofanspeed`` is 1 (the duty is not
reported then). No MAC, host name, regulator temperature, Wi-Fi signal, session best, fallback
pool or expected hashrate yet. Just booted: nothing hashed yet (0 GH/s), mining all the same.
"""

FAMILY = "axeos"

READS = {
    "make": "Bitaxe",
    # boardVersion "0.11" -> Ultra
    "model": "Ultra",
    "firmware": "v2.1.3",
    "mac": None,
    "hostname": None,
    "hashrate": 0.0,
    "expected_hashrate": None,
    "power": 2.8,
    # no efficiency without a hashrate
    "efficiency": None,
    "chip_temperature": 48.0,
    "vr_temperature": None,
    "input_voltage": 5.28,
    "input_current": 0.53,
    "core_voltage": 1306.0,
    "core_voltage_setting": 1250,
    "frequency": 575.0,
    "boards": [],
    "fans": [{"index": 0, "rpm": 5320, "percent": None}],
    "fan_auto": True,
    "target_temperature": None,
    "shares_accepted": 2,
    "shares_rejected": 0,
    # "13M"
    "best_difficulty": 1.3e7,
    "best_session_difficulty": None,
    "blocks_found": None,
    "wifi_rssi": None,
    "uptime": 13,
    "pools": [
        {
            "url": "sha256-eu.unmineable.com:3333",
            "user": "BTC:bc1xxxxx.bitaxe01#kc3w-drzs",
            "active": True,
        }
    ],
    "is_mining": True,
    "errors": [],
}
