"""Antminer S19 XP on Braiins OS+ 25.07 (REST API 1.0.0), from asic-rs' test data.

No login was captured: ``EXTRA`` answers it with the OpenAPI's documented example. Nor was the
web interface's front page, which detection reads before it sends the password: ``EXTRA``
answers ``GET /`` with a page naming "Braiins OS" (the fingerprint pyasic and asic-rs identify
it by; the rest of that page is ours). Nor was ``configuration/constraints`` (404: no
power-target range, the poll goes on). The hashrate is
the freshest window (``last_5s``), the average ``since_restart``; efficiency is power over
that hashrate (the firmware's own 21.79 J/TH uses a longer window). ``miner/errors`` holds 8
log entries of two old pool DNS failures (some stamped 2015, before the clock was set), none
logged since bosminer started (69685 s before the last share, 2026-04-17 17:22 UTC): no
current error.
"""

FAMILY = "braiins-os"
PASSWORD = "root"
EXTRA = {
    "GET /": (200, "<!DOCTYPE html><html><head><title>Braiins OS</title></head></html>"),
    "POST /api/v1/auth/login": (200, {"token": "XEQclIUShm7QhQzz", "timeout_s": 3600}),
}

READS = {
    "make": "Antminer",
    "model": "S19 XP",
    "firmware": "2025-08-06-0-3881c51d-25.07-plus",
    "mac": "02:ee:da:a9:b6:4a",
    "hostname": "Antminer",
    "serial": None,
    "hashrate": 141.464,  # last_5s 141463.565 GH/s
    "average_hashrate": 138.207,  # since_restart
    "expected_hashrate": 142.877,  # nominal_hashrate (sticker 141000 GH/s)
    "power": 3137.0,  # approximated_consumption
    "efficiency": 22.18,
    "power_limit": 3031.0,  # tuner-state current power target
    "temperature": 55.5,
    "chip_temperature": 70.5,
    "inlet_temperature": 40.0,  # lowest of the boards' lowest_inlet_temp
    "outlet_temperature": 55.5,
    "boards": [
        {
            "index": 0,
            "hashrate": 50.138,
            "temperature": 55.5,
            "chip_temperature": 70.5,
            "chips": 110,
        },
        {
            "index": 1,
            "hashrate": 47.859,
            "temperature": 52.0,
            "chip_temperature": 67.0,
            "chips": 110,
        },
        {
            "index": 2,
            "hashrate": 50.363,
            "temperature": 54.0,
            "chip_temperature": 69.0,
            "chips": 110,
        },
    ],
    "fans": [
        {"index": 0, "rpm": 5904, "percent": 100},
        {"index": 1, "rpm": 5874, "percent": 100},
        {"index": 2, "rpm": 5874, "percent": 100},
        {"index": 3, "rpm": 5904, "percent": 100},
    ],
    "pools": [
        {
            "url": "stratum+tcp://example.pool.com:3333",
            "user": "asic_rs.test",
            "alive": True,
            "active": True,
            "accepted": 10460,
            "rejected": 18,
        },
        {
            "url": "stratum+tcp://example.pool2.com:3333",
            "user": "asic_rs.test",
            "alive": True,
            "active": False,
            "accepted": 4,
            "rejected": 0,
        },
    ],
    "shares_accepted": 10464,
    "shares_rejected": 18,
    "best_session_difficulty": 776342690.0,
    "blocks_found": 0,
    "uptime": 69685,  # bosminer_uptime_s
    "is_mining": True,  # status 2 NORMAL
    "fault_light": False,  # actions/locate: false
    "errors": [],
    "fan_auto": None,
    "power_preset": None,
}
