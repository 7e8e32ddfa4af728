"""Antminer S9, stock bmminer of 2017 (``version``, ``summary``, ``stats``; no ``pools``).

Quirks: ``stats`` writes ``}{`` between its two objects; ``GHS 5s`` is a quoted string; all
sixteen chain slots are listed with the boards on chains 6-8 (board 0 is chain 6); eight fan
slots for two fans (3 and 6: by slot, indexes 2 and 5); ``total_rateideal`` has no
``rate_unit`` (GH/s). ``summary`` and ``stats`` were captured 17 hours apart (``Elapsed``
40206 vs 100986): the client reads the hashrate, its average and the uptime from ``stats``
(each poll's one request), the share counters and best share from ``summary``.
"""

FAMILY = "bmminer"

READS = {
    "make": "Antminer",
    "model": "S9",
    "firmware": "Fri Nov 17 17:57:49 CST 2017",  # CompileTime; bmminer 2.0.0 is on every S9
    "mac": None,
    "hostname": None,
    "serial": None,
    "hashrate": 13.631,  # stats GHS 5s "13630.55"
    "average_hashrate": 13.569,  # stats GHS av
    "expected_hashrate": 13.501,  # total_rateideal 13501.38 GH/s
    "power": None,
    "power_limit": None,
    "efficiency": None,
    "temperature": 56.0,
    "chip_temperature": 71.0,
    "boards": [
        {
            "index": 0,
            "hashrate": 4.536,
            "temperature": 56.0,
            "chip_temperature": 71.0,
            "chips": 63,
            "dead_chips": 0,
        },
        {
            "index": 1,
            "hashrate": 4.546,
            "temperature": 52.0,
            "chip_temperature": 67.0,
            "chips": 63,
            "dead_chips": 0,
        },
        {
            "index": 2,
            "hashrate": 4.549,
            "temperature": 56.0,
            "chip_temperature": 71.0,
            "chips": 63,
            "dead_chips": 0,
        },
    ],
    "fans": [
        {"index": 2, "rpm": 4080, "percent": None},
        {"index": 5, "rpm": 4080, "percent": None},
    ],
    "pools": [],
    "uptime": 100986,
    "is_mining": True,
    "errors": [],
    "work_mode": None,
    "fault_light": None,
    "shares_accepted": 7629,
    "shares_rejected": 2,
    "best_session_difficulty": 99242396.0,
    "blocks_found": 0,
    "inlet_temperature": None,
    "outlet_temperature": None,
}
