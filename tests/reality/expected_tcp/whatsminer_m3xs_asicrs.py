"""Whatsminer M30S class on firmware 20210322.22.REL speaking API 1.4.0 (``get_version``
``api_ver "whatsminer v1.4.0"``); the cgminer-style replies say ``cgminer 4.9.2``.

Captured: ``summary``, ``devs``, ``pools``, ``status``, ``get_version``, ``get_psu``; no
``devdetails``, ``get_miner_info`` nor ``get_error_code`` (refused here), so nothing names the
model, the host name, the serial or the LED. ``status`` says ``btmineroff "true"`` while the
boards hash at 67-70 TH/s: the hashrate wins (and status is not even read while the miner
hashes). The firmware's version is also in ``summary``'s ``Firmware Version``, written with
single quotes (``'20210322.22.REL'``). Pools are numbered from 1.
"""

FAMILY = "btminer"

READS = {
    "make": "Whatsminer",
    "model": None,
    "firmware": "20210322.22.REL",
    "mac": "c4:08:28:00:a4:19",
    "hostname": None,
    "serial": None,
    # summary MHS 5s, the freshest window (MHS 1m 67.439, HS RT 67.395, MHS av 67.753)
    "hashrate": 70.668,
    "average_hashrate": 67.753,
    # Factory GHS 68796
    "expected_hashrate": 68.796,
    # Power (Power_RT 3427 is a separate real-time sample)
    "power": 3417.0,
    "power_limit": 3500.0,
    "efficiency": 48.35,
    # Elapsed (Uptime 10792 is the system's)
    "uptime": 10154,
    "is_mining": True,
    "temperature": 71.5,
    "chip_temperature": 92.5,
    # no Env Temp in this summary
    "inlet_temperature": None,
    "outlet_temperature": None,
    "input_voltage": None,
    "input_current": None,
    "boards": [
        {
            "index": 0,
            "hashrate": 20.053,
            "temperature": 70.0,
            "chip_temperature": 90.0,
            "chips": 105,
        },
        {
            "index": 1,
            "hashrate": 25.567,
            "temperature": 69.5,
            "chip_temperature": 90.1,
            "chips": 105,
        },
        {
            "index": 2,
            "hashrate": 24.351,
            "temperature": 71.5,
            "chip_temperature": 92.5,
            "chips": 105,
        },
    ],
    # summary Fan Speed In/Out (the boards carry another sample, 6480/6510); the power
    # supply's own fan (Power Fanspeed 9060) is not a chassis fan
    "fans": [
        {"index": 0, "rpm": 6450, "percent": None},
        {"index": 1, "rpm": 6480, "percent": None},
    ],
    "pools": [
        {
            "url": "stratum+tcp://btc.example.pool:3333",
            "user": "asic-rs.test",
            "alive": True,
            "active": True,
            "accepted": 2338,
            "rejected": 0,
        },
        {
            "url": "stratum+tcp://btc2.example.pool:3333",
            "user": "asic-rs.test",
            "alive": True,
            "active": False,
            "accepted": 0,
            "rejected": 0,
        },
        {
            "url": "stratum+tcp://btc3.example.pool:3333",
            "user": "asic-rs.test",
            "alive": True,
            "active": False,
            "accepted": 0,
            "rejected": 0,
        },
    ],
    "shares_accepted": 2338,
    "shares_rejected": 0,
    "best_session_difficulty": 41127493.0,
    "best_difficulty": None,
    "blocks_found": 0,
    # Error Code Count 0
    "errors": [],
    # Power Mode "Normal"
    "work_mode": "normal",
    "fault_light": None,
}
