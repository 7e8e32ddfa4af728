"""Antminer S9 on Braiins OS+ (BOSminer+ 0.2.0): version, summary, pools, fans, temps.

No devs, devdetails, tunerstatus or tempctrl were captured (refused here): no model, expected
hashrate, board rates, chips, power or settings. The temps list chains 6-8 (boards 0-2) with
``Chip 0.0`` (no chip sensor); two of the four fan connectors read 0 rpm (the S9 has two fans).
"""

FAMILY = "bosminer"

READS = {
    "make": None,
    "model": None,
    "firmware": "0.2.0-36c56a9363",
    "mac": None,
    "hostname": None,
    "serial": None,
    # summary MHS 5s (not 1m 13.967, nor 24h 0.562 after 3680 s)
    "hashrate": 15.741,
    "average_hashrate": 11.988,
    "expected_hashrate": None,
    "power": None,
    "power_limit": None,
    "efficiency": None,
    "uptime": 3680,
    "is_mining": True,
    "temperature": 75.0,
    "chip_temperature": None,
    "boards": [
        {
            "index": 0,
            "hashrate": None,
            "temperature": 75.0,
            "chip_temperature": None,
            "chips": None,
        },
        {
            "index": 1,
            "hashrate": None,
            "temperature": 63.0,
            "chip_temperature": None,
            "chips": None,
        },
        {
            "index": 2,
            "hashrate": None,
            "temperature": 70.0,
            "chip_temperature": None,
            "chips": None,
        },
    ],
    "fans": [
        {"index": 0, "rpm": 2820, "percent": 40},
        {"index": 1, "rpm": 3780, "percent": 40},
    ],
    "pools": [
        {
            "url": "stratum+tcp://stratum.antpool.com:3333",
            "user": "antminer_1",
            "alive": True,
            "active": True,
            "accepted": 152,
            "rejected": 0,
        },
        {
            "url": "stratum+tcp://stratum.antpool.com:443",
            "user": "antminer_1",
            "alive": True,
            "active": False,
            "accepted": 0,
            "rejected": 0,
        },
        {
            "url": "stratum+tcp://stratum.antpool.com:25",
            "user": "antminer_1",
            "alive": True,
            "active": False,
            "accepted": 0,
            "rejected": 0,
        },
    ],
    "shares_accepted": 153,
    "shares_rejected": 0,
    "best_session_difficulty": 65536.0,
    "best_difficulty": None,
    "blocks_found": 0,
    "inlet_temperature": None,
    "outlet_temperature": None,
    "target_temperature": None,
    "fan_auto": None,
    "fault_light": None,
    "work_mode": None,
    "errors": None,  # the firmware has no error source the client reads: unknown, not "none"
}
