"""Whatsminer M31S on firmware 20201202.22.REL: ``edevs`` and no ``devs``; every reply says
``btminer``.

Captured: ``summary``, ``edevs``, ``pools`` only (everything else refused here: ``version``,
``devs``, ``devdetails``, ``get_version``, ``get_miner_info``, ``get_error_code``, ``status``).
Detection finds Whatsminer in ``summary``; the firmware (``'20201202.22.REL'``, quoted) and
the MAC come from ``summary``; nothing names the model, host name, serial or LED. ``edevs`` is
learned at the first poll. ``summary`` lists three current error codes beside two of the
factory's (``Factory Error Code 0/1`` 208 and 2310, not current errors). ``Fan Speed Out 0``
beside a 5700 rpm intake is read as written, a fan at 0 rpm: the errors agree (MicroBT's error
list: 110 "Fanin detect speed error", 111 "Fanout detect speed error", 131 "Fanout speed
error"). The 5 s window (92.77 TH/s) is
the freshest; the boards' 5 s rates add up to 77 TH/s.
"""

FAMILY = "btminer"

READS = {
    "make": "Whatsminer",
    "model": None,
    "firmware": "20201202.22.REL",
    "mac": "c6:06:12:00:2d:63",
    "hostname": None,
    "serial": None,
    # summary MHS 5s (MHS 1m 77.909, HS RT 76.691, MHS av 76.719)
    "hashrate": 92.768,
    "average_hashrate": 76.719,
    "expected_hashrate": 75.697,
    "power": 3553.0,
    "power_limit": 3600.0,
    "efficiency": 38.3,
    # Elapsed (Uptime 1405529 is the system's)
    "uptime": 33102,
    "is_mining": True,
    "temperature": 72.0,
    "chip_temperature": 93.0,
    # Env Temp
    "inlet_temperature": 7.0,
    "outlet_temperature": None,
    # Power Voltage Input / Power Current Input
    "input_voltage": 229.5,
    "input_current": 15.58,
    "boards": [
        {
            "index": 0,
            "hashrate": 25.013,
            "temperature": 57.5,
            "chip_temperature": 77.4,
            "chips": 105,
        },
        {
            "index": 1,
            "hashrate": 26.032,
            "temperature": 72.0,
            "chip_temperature": 93.0,
            "chips": 105,
        },
        {
            "index": 2,
            "hashrate": 25.945,
            "temperature": 68.0,
            "chip_temperature": 89.2,
            "chips": 105,
        },
    ],
    # Fan Speed In 5700, Fan Speed Out 0; the supply's fan (Power Fanspeed 7608) is not listed
    "fans": [
        {"index": 0, "rpm": 5700, "percent": None},
        {"index": 1, "rpm": 0, "percent": None},
    ],
    "pools": [
        {
            "url": "stratum+tcp://btc.ss.poolin.com:443",
            "user": "x.12x22",
            "alive": True,
            "active": True,
            "accepted": 2296,
            "rejected": 1,
        },
        {
            "url": "stratum+tcp://btc.ss.poolin.com:1883",
            "user": "x.12x22",
            "alive": True,
            "active": False,
            "accepted": 0,
            "rejected": 0,
        },
        {
            "url": "stratum+tcp://btc.ss.poolin.com:25",
            "user": "x.12x22",
            "alive": True,
            "active": False,
            "accepted": 0,
            "rejected": 0,
        },
    ],
    "shares_accepted": 2296,
    "shares_rejected": 1,
    "best_session_difficulty": 1320888597.0,
    "best_difficulty": None,
    "blocks_found": 0,
    # Error Code 0..2 (Error Code Count 3); Error N Time is "" on this firmware
    "errors": ["error 110", "error 111", "error 131"],
    # Power Mode "High"
    "work_mode": "high",
    "fault_light": None,
}
