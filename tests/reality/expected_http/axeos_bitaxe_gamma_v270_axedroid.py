"""Bitaxe Gamma (BM1370, board 601) on AxeOS v2.7.0, overclocked (AxeDroid's test reply).

``overclockEnabled`` 1: the frequency (850 MHz) and core voltage (1220 mV) are outside the
BM1370's options, and are read as they are. Best difficulties are SI strings (up to 2.10). No
``expectedHashrate`` before 2.8: the firmware's own formula, ``frequency x smallCoreCount x
asicCount / 1000`` GH/s. The publisher blanked the pools and the MAC (``""``): no pool, no MAC.
"""

FAMILY = "axeos"

READS = {
    "make": "Bitaxe",
    "model": "Gamma",
    "firmware": "v2.7.0",
    # macAddr "" (blanked)
    "mac": None,
    "hostname": "bitaxe",
    "hashrate": 1.671,
    # 850 MHz x 2040 small cores x 1 ASIC / 1000 = 1734 GH/s
    "expected_hashrate": 1.734,
    "power": 28.3,
    "efficiency": 16.97,
    "chip_temperature": 59.9,
    "vr_temperature": 63.0,
    # 5335.9375 mV, 19187.5 mA
    "input_voltage": 5.34,
    "input_current": 19.19,
    "core_voltage": 1201.0,
    "core_voltage_setting": 1220,
    "frequency": 850.0,
    "boards": [],
    "fans": [{"index": 0, "rpm": 1264, "percent": 29}],
    "fan_auto": True,
    "target_temperature": 60.0,
    "shares_accepted": 12136,
    "shares_rejected": 191,
    # "5.56G", "89.6M"
    "best_difficulty": 5.56e9,
    "best_session_difficulty": 8.96e7,
    # no blockFound before 2.11
    "blocks_found": None,
    "wifi_rssi": -69,
    "uptime": 79342,
    # stratumURL and fallbackStratumURL "" (blanked)
    "pools": [],
    "is_mining": True,
    "errors": [],
}
