"""Antminer S19 on VNish 1.2.6 in its failure state ("Failed to parse miner configuration",
code 1002), from a published VNish API documentation page.

Every reading of the summary is a placeholder of the failure: 0 hashrate (real: not hashing),
0 nominal and stock hashrate, 0 W (no PSU reading), temperatures {0, 0} without chains, no
fans, and only VNish's DevFee pseudo-pool. Identity from ``/info`` ("N/A" serial), the LED
from ``/status``, the preset from ``/perf-summary``.
"""

FAMILY = "vnish"
PASSWORD = "admin"

READS = {
    "make": "Antminer",
    "model": "S19",
    "firmware": "Vnish 1.2.6",
    "mac": "fe:07:26:3c:be:1b",
    "hostname": "antminer",
    "serial": None,
    "is_mining": False,  # miner_state "failure"
    "errors": ["Failed to parse miner configuration"],
    "hashrate": 0.0,  # hr_realtime 0.0: not hashing
    "average_hashrate": 0.0,
    "expected_hashrate": None,  # hr_nominal and hr_stock 0.0
    "power": None,  # power_consumption 0
    "efficiency": None,
    "temperature": None,  # pcb_temp {0, 0} without chains
    "chip_temperature": None,
    "inlet_temperature": None,
    "outlet_temperature": None,
    "boards": [],
    "fans": [],  # fan_num 0
    "fan_auto": True,  # cooling mode "auto"
    "pools": [],  # only the DevFee pseudo-pool
    "uptime": None,  # miner_state_time counts the mining state only
    "blocks_found": 0,
    "best_session_difficulty": None,  # best_share 0
    "shares_accepted": None,
    "fault_light": False,  # status.find_miner before any find-miner toggle
    "power_preset": "disabled",
    "power_limit": None,
}
