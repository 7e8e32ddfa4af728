"""Avalon Q (firmware 25052801_14a19a2), idle in soft-off: the new ``MM ID0:Summary`` layout
(``'STATS':{…}`` wrapper, ``Nonce Mask[25]``) with a separate ``HBinfo``; no ``estats``
captured (refused here: ``stats`` holds the same text).

An idle unit: ``SoftOFF[4]``, ``SYSTEMSTATU[Work: In Idle, …]``, ``GHSspd[0.00]`` and the
summary's 5 s / 1 min windows at 0, while ``MHS av`` still shows 44.54 TH/s (an average);
``TMax[0] TAvg[0]`` are no chip temperatures (``HBinfo``'s per-chip temperatures are stale);
the fans stand still. Power is the power supply's 7th ``PS`` element (146 W; no
``WALLPOWER``), never ``MPO[800]``, the work mode's nominal power (the power limit).
"""

FAMILY = "avalon"

READS = {
    "make": "Avalon",
    "model": "Q",
    # LVERSION (CGVERSION, BVERSION, Ver[Q-…] agree), not cgminer's 4.11.1
    "firmware": "25052801_14a19a2",
    "mac": "aa:bb:cc:dd:ee:ff",
    "hostname": None,
    # DNA (anonymised by the publisher): Canaan's "global unique number"
    "serial": "01234567890123456789012345678901",
    # GHSspd 0.00 (summary MHS 5s/1m 0.00), never MHS av 44539601.86
    "hashrate": 0.0,
    "average_hashrate": 44.54,
    "expected_hashrate": 55.033,
    "power": 146.0,
    "power_limit": 800.0,
    "efficiency": None,
    # summary Elapsed (stats and the MM text were sampled a little later)
    "uptime": 37714,
    "is_mining": False,
    "temperature": None,
    "chip_temperature": None,
    "inlet_temperature": 26.0,
    "outlet_temperature": 27.0,
    "vr_temperature": None,
    "boards": [
        {
            "index": 0,
            # the only board: the unit's current rate (MGHS 44499.41 is GHSavg's average)
            "hashrate": 0.0,
            "temperature": None,
            "chip_temperature": None,
            # HBinfo MW0: 160 chips, each with work counted
            "chips": 160,
            "dead_chips": 0,
        }
    ],
    "fans": [
        {"index": 0, "rpm": 0, "percent": 0},
        {"index": 1, "rpm": 0, "percent": 0},
        {"index": 2, "rpm": 0, "percent": 0},
        {"index": 3, "rpm": 0, "percent": 0},
    ],
    "pools": [
        {
            "url": "stratum+tcp://pool.example.com:4444",
            "user": "worker1",
            "alive": True,
            "active": True,
            "accepted": 890,
            "rejected": 2,
        }
    ],
    "frequency": 282.9,
    "shares_accepted": 890,
    "shares_rejected": 2,
    "best_session_difficulty": 354914572.0,
    "best_difficulty": None,
    "blocks_found": 0,
    # TarT[65]: the Eco mode's default target
    "target_temperature": 65.0,
    # WORKMODE[0]: Eco on the Q (Eco/Standard/Super)
    "work_mode": "eco",
    # WORKLEVEL[0]: no public fact names the Q's work levels
    "work_level": None,
    "fault_light": None,
    "fan_auto": None,
    # RSSI[0] with NetDevType[0]: wired, no Wi-Fi signal
    "wifi_rssi": None,
    "input_voltage": None,
    "input_current": None,
    "errors": None,  # the firmware has no error source the client reads: unknown, not "none"
}
