"""Antminer S9 on VNish 3.8.6 (``version``, ``stats``, ``pools``; no ``summary``).

Quirks: ``version`` key ``CGMiner`` 4.11.1 with ``Type "Antminer S9 (vnish 3.8.6)"`` (the
model before the note, the firmware in it); ``stats`` ``}{`` with ``Cgminer`` in its header;
chains 6-8 of sixteen; fans in slots 5 and 6; ``chain_consumption<N>`` (not read: no public
fact says it is measured power); pool 2 ``Dead``; pool 3 is VNish's dev fee (``DevFee``),
kept as listed. Without ``summary`` the share counters are the pools' sums.
"""

FAMILY = "vnish"

READS = {
    "make": "Antminer",
    "model": "S9",
    "firmware": "3.8.6",
    "mac": None,
    "hashrate": 12.795,  # stats GHS 5s "12795.48"
    "average_hashrate": 12.901,
    "expected_hashrate": 12.928,
    "power": None,
    "efficiency": None,
    "temperature": 65.0,
    "chip_temperature": 80.0,
    "boards": [
        {
            "index": 0,
            "hashrate": 4.264,
            "temperature": 65.0,
            "chip_temperature": 80.0,
            "chips": 63,
            "dead_chips": 0,
        },
        {
            "index": 1,
            "hashrate": 4.298,
            "temperature": 56.0,
            "chip_temperature": 71.0,
            "chips": 63,
            "dead_chips": 0,
        },
        {
            "index": 2,
            "hashrate": 4.233,
            "temperature": 63.0,
            "chip_temperature": 78.0,
            "chips": 63,
            "dead_chips": 0,
        },
    ],
    "fans": [
        {"index": 4, "rpm": 5400, "percent": None},
        {"index": 5, "rpm": 5880, "percent": None},
    ],
    "pools": [
        {
            "url": "stratum+tcp://solo.antpool.com:3333",
            "user": "antminer_1",
            "alive": True,
            "active": True,
            "accepted": 135,
            "rejected": 0,
        },
        {
            "url": "stratum+tcp://stratum.antpool.com:3333",
            "user": "antminer_1",
            "alive": True,
            "active": False,
            "accepted": 0,
            "rejected": 0,
        },
        {"url": "stratum+tcp://cn.ss.btc.com:3333", "alive": False, "active": False},
        {"url": "DevFee", "user": "DevFee", "alive": True, "active": False, "accepted": 166},
    ],
    "uptime": 3617,
    "is_mining": True,
    "errors": [],
    "work_mode": None,
    "fault_light": None,
    "shares_accepted": 301,  # the pools' sums (135 + 166)
    "shares_rejected": 0,
    "best_session_difficulty": None,
    "blocks_found": None,
}
