"""Bitaxe Gamma (BM1370, board 601) on AxeOS v2.12.2, the osmu-wiki's documented reply.

One file: ``/api/system/info`` (tab-formatted, as cJSON prints it up to 2.13). Best
difficulties are numbers (>= 2.11); ``temp2`` -1 means no second ASIC; ``fan2rpm`` 0 no second
fan; ``isUsingFallbackStratum`` 1: the miner is on its fallback pool. ``/api/system/asic`` was
not captured (the replay answers 404), so the model comes from ``boardVersion`` and the
frequency / voltage options are not known; ``expectedHashrate`` (>= 2.8) is the firmware's.
"""

FAMILY = "axeos"

READS = {
    "make": "Bitaxe",
    # boardVersion 601 -> Gamma (ESP-Miner's device_config.h)
    "model": "Gamma",
    "firmware": "v2.12.2",
    "mac": "10:f5:12:33:bb:f0",
    "hostname": "bitaxe",
    "serial": None,
    # hashRate 1072.2407227 GH/s (the current measurement; hashRate_1m 1088.9)
    "hashrate": 1.072,
    "average_hashrate": None,
    # expectedHashrate 1071 GH/s
    "expected_hashrate": 1.071,
    "power": 18.8,
    # 18.7522583 W / 1.0722407 TH/s
    "efficiency": 17.49,
    # temp 60.125; temp2 -1 is no second ASIC
    "chip_temperature": 60.1,
    "temperature": None,
    "vr_temperature": 62.0,
    # voltage 5093.75 mV, current 12015.625 mA
    "input_voltage": 5.09,
    "input_current": 12.02,
    "core_voltage": 1144.0,
    "core_voltage_setting": 1150,
    "frequency": 525.0,
    "boards": [],
    # fanrpm 3915, fanspeed 48.42 % (the live duty from 2.1.9); fan2rpm 0: one fan
    "fans": [{"index": 0, "rpm": 3915, "percent": 48}],
    "fan_auto": True,
    "target_temperature": 60.0,
    "shares_accepted": 4768,
    "shares_rejected": 13,
    "best_difficulty": 49224525.0,
    "best_session_difficulty": 2038368.0,
    "blocks_found": 0,
    "wifi_rssi": -44,
    "uptime": 18574,
    "pools": [
        {
            "url": "public-pool.io:21496",
            "user": "bc1qnp980s5fpp8l94p5cvttmtdqy8rvrq74qly2yrfmzkdsntqzlc5qkc4rkq.bitaxe",
            "active": False,
        },
        {
            "url": "solo.ckpool.org:3333",
            "user": "bc1qnp980s5fpp8l94p5cvttmtdqy8rvrq74qly2yrfmzkdsntqzlc5qkc4rkq.bitaxe",
            "active": True,
        },
    ],
    # no miningPaused before 2.14; overheat_mode 0
    "is_mining": True,
    "errors": [],
    # identify (>= 2.12) toggles a "Hi!" on the display; nothing reports it
    "fault_light": None,
    "power_limit": None,
}
