"""Antminer S19 Pro, stock firmware of December 2022 ("cgminer 1.0.0", key ``BMMiner``).

Quirks: ``stats`` ``ID "BTM_SOC0"``, an empty fourth chain (``"0-0-0-0"``, rate ``""``, 0
chips: no board), ``"total rate"`` with a space, ``temp_max`` 0 while the boards read 73 °C,
``Mode`` 2; ``devs`` is one useless ``BTM_SOC`` entry (rates 0, ``Tenperature``: never a
board); pools carry ``Pool Stale%%``. Stock S19 firmware refuses joined commands.
"""

FAMILY = "bmminer"
JOINS = False

READS = {
    "make": "Antminer",
    "model": "S19 Pro",
    "firmware": "Tue Dec  6 16:12:30 CST 2022",  # CompileTime
    "mac": None,
    "hostname": None,
    "serial": None,
    "hashrate": 110.567,  # GHS 5s
    "average_hashrate": 111.835,  # stats GHS av 111834.63
    "expected_hashrate": 110.0,
    "power": None,
    "power_limit": None,
    "efficiency": None,
    "temperature": 73.0,  # the hottest board, not temp_max 0
    "chip_temperature": 78.0,
    "boards": [
        {
            "index": 0,
            "hashrate": 37.603,
            "temperature": 73.0,
            "chip_temperature": 78.0,
            "chips": 114,
            "dead_chips": 0,
        },
        {
            "index": 1,
            "hashrate": 35.536,
            "temperature": 66.0,
            "chip_temperature": 71.0,
            "chips": 114,
            "dead_chips": 0,
        },
        {
            "index": 2,
            "hashrate": 37.427,
            "temperature": 64.0,
            "chip_temperature": 69.0,
            "chips": 114,
            "dead_chips": 0,
        },
    ],
    "fans": [
        {"index": 0, "rpm": 6000, "percent": None},
        {"index": 1, "rpm": 5880, "percent": None},
        {"index": 2, "rpm": 5040, "percent": None},
        {"index": 3, "rpm": 5040, "percent": None},
    ],
    "pools": [
        {
            "url": "stratum+tcp://btc.global.luxor.tech:700",
            "user": "satokierepair.H04YK",
            "alive": True,
            "active": True,
            "accepted": 4057,
            "rejected": 11,
        },
        {
            "url": "stratum+tcp://btc.global.luxor.tech:700",
            "user": "satokierepair.H04YK",
            "alive": True,
            "active": False,
            "accepted": 0,
            "rejected": 0,
        },
        {
            "url": "stratum+tcp://btc.global.luxor.tech:700",
            "user": "satokierepair.H04YK",
            "alive": True,
            "active": False,
            "accepted": 0,
            "rejected": 0,
        },
    ],
    "uptime": 50474,
    "is_mining": True,
    "errors": [],
    "work_mode": None,  # web only
    "fault_light": None,  # web only
    "shares_accepted": 4057,
    "shares_rejected": 11,
    "best_session_difficulty": 12904207043.0,
    "blocks_found": 0,
    "inlet_temperature": None,
    "outlet_temperature": None,
}
