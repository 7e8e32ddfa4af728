"""Bitaxe SupraHex (6x BM1368, board 702) on the TCH build of ESP-Miner 2.7.0
(``2.7.0-TCH-All-In-One``, from ESP-Miner issue #1119).

AxeOS 2.7's fields plus ``chipSubmitStr`` (a string holding a JSON array of per-chip counts,
ignored), ``invertfanpolarity``, no ``temptarget``; ``hostname`` is empty. The expected hashrate
is the firmware's formula (no ``expectedHashrate`` before 2.8). The pool users were blanked.
"""

FAMILY = "axeos"

READS = {
    "make": "Bitaxe",
    # boardVersion 702 -> SupraHex
    "model": "SupraHex",
    "firmware": "2.7.0-TCH-All-In-One",
    "mac": "94:a9:90:07:f4:d8",
    # hostname ""
    "hostname": None,
    "hashrate": 3.545,
    # 490 MHz x 1276 x 6 / 1000 = 3751.44 GH/s
    "expected_hashrate": 3.751,
    "power": 60.4,
    "efficiency": 17.03,
    "chip_temperature": 37.6,
    "vr_temperature": 60.0,
    # 12062.5 mV, 15890.625 mA
    "input_voltage": 12.06,
    "input_current": 15.89,
    "core_voltage": 1162.0,
    "core_voltage_setting": 1166,
    "frequency": 490.0,
    "boards": [],
    "fans": [{"index": 0, "rpm": 2536, "percent": 38}],
    "fan_auto": True,
    # no temptarget in the TCH build
    "target_temperature": None,
    "shares_accepted": 291,
    "shares_rejected": 0,
    # "193G", "9.54M"
    "best_difficulty": 1.93e11,
    "best_session_difficulty": 9.54e6,
    "wifi_rssi": -56,
    "uptime": 45689,
    "pools": [
        {"url": "192.168.111.130:23334", "user": None, "active": True},
        {"url": "mine.ocean.xyz:3334", "user": None, "active": False},
    ],
    "is_mining": True,
    "errors": [],
}
