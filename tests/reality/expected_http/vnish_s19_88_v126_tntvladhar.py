"""Antminer S19 (88), immersion-cooled, on VNish 1.2.6 (tntvlad/hass-miner's HAR).

Its summary was captured cut at 3000 characters (not valid JSON) and is not served: the summary
request is refused (404), cgminer's API port is closed here, so the poll falls back to
``/status`` (mining, 61 s in that state) and reads nothing that only the summary holds. The
identity comes from ``/info``, the preset from ``/perf-summary``, the LED from ``/status``
(``find_miner`` false). The web password unlocks with the captured token reply; the preset
list (``/autotune/presets``) was not captured (404): no presets, the poll goes on.
"""

FAMILY = "vnish"
PASSWORD = "admin"

READS = {
    "make": "Antminer",
    "model": "S19 (88)",
    "firmware": "Vnish 1.2.6",
    "mac": "02:7a:a5:46:dd:4f",
    "hostname": "Antminer",
    "serial": None,  # "N/A"
    "is_mining": True,  # status.miner_state "mining"
    "uptime": 61,  # miner_state_time while mining
    "errors": [],
    "fault_light": False,  # status.find_miner
    "power_preset": "disabled",  # perf-summary.current_preset.name
    # Only in the (cut) summary:
    "hashrate": None,
    "average_hashrate": None,
    "expected_hashrate": None,
    "power": None,
    "efficiency": None,
    "temperature": None,
    "chip_temperature": None,
    "boards": [],
    "fans": [],
    "pools": [],
    "fan_auto": None,
    "blocks_found": None,
    "best_session_difficulty": None,
    "power_limit": None,
}
