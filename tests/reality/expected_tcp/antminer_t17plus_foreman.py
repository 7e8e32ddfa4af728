"""Antminer T17+ asleep (``version`` and ``stats`` only).

Quirks: ``Mode`` 254 (sleep, as foreman reads it); every chain empty (0 chips, rate ``""``,
``"0-0-0-0"`` sensors: no board), ``fan_num`` 0 with every fan at 0 (no fan),
``total_rateideal`` 0.00 (a placeholder: no expected hashrate, never a fake 0), ``GHS 5s``
"0.00" quoted; no ``summary``: the hashrate and uptime come from ``stats``.
"""

FAMILY = "bmminer"

READS = {
    "make": "Antminer",
    "model": "T17+",
    "firmware": "Tue Jun  2 10:11:10 CST 2020",
    "mac": None,
    "serial": None,
    "hashrate": 0.0,
    "average_hashrate": 0.0,  # GHS av 0.00: asleep since it started
    "expected_hashrate": None,
    "power": None,
    "efficiency": None,
    "temperature": None,
    "chip_temperature": None,
    "boards": [],
    "fans": [],
    "pools": [],
    "uptime": 8105,
    "is_mining": False,
    "work_mode": "sleep",
    "errors": [],
    "fault_light": None,
    "shares_accepted": None,
    "shares_rejected": None,
    "best_session_difficulty": None,
    "blocks_found": None,
}
