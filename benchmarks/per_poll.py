"""Requests per poll for each personality, counted by the simulator (the goal is one).

The first ``get_data`` also reads the identity (cached afterwards), so it is counted apart.
Requests on the API port are counted; a miner with nothing there (AxeOS), or read over a REST
API on its web port (VNish, Braiins OS 25.07+), has every request it received counted.
"""

from __future__ import annotations

from typing import Any

from custom_components.asic_miner.api import api_class
from custom_components.asic_miner.api.detect import FAMILIES
from simulator import PERSONALITIES, MinerSimulator

_PASSWORD = "benchpass"
_BTMINER = (
    "one request (summary+devs) a steady poll; at the rare reads (first poll, every 5 min, "
    "after a control) pools join it and get_miner_info follows, get_error_code when new codes "
    "appear, status while nothing hashes: btminer answers get_* and status only alone, one "
    "after another"
)

#: Why a personality needs more than one request per poll (sent one after another, never
#: two at once to one miner).
WHY = {
    "antminer-s19": (
        "S19 firmware (2022+) answers a '+'-joined command as one invalid command; the "
        "client learns this on the first poll and sends the three commands side by side"
    ),
    "whatsminer-m30s": _BTMINER,
    "whatsminer-m31s": _BTMINER,
    "whatsminer-m50s": _BTMINER,
    "whatsminer-v3": (
        "API v3 has no joined commands: get.device.info follows get.miner.status, one after "
        "the other, at the rare reads and while nothing hashes"
    ),
    "braiins-os-s19xp": (
        "Braiins OS's REST API has no endpoint holding more: miner/details (state, uptime), "
        "miner/stats (hashrate, power), miner/hw/hashboards (boards) and cooling/state (fans), "
        "one after another; what rarely changes is read every 5 minutes"
    ),
}
#: Families read over a REST API on the web port, beside their cgminer API.
_REST_FAMILIES = frozenset({"vnish", "braiins-os"})


async def _personality(name: str) -> dict[str, Any]:
    async with MinerSimulator(
        name, port=0, password=_PASSWORD, web_port=0, seed=1, jitter=False
    ) as sim:
        api = api_class(PERSONALITIES[name].family)(
            "127.0.0.1", sim.port, password=_PASSWORD, web_port=sim.web_port or 80
        )
        web = sim.port is None or PERSONALITIES[name].family in _REST_FAMILIES
        requests = sim.received if web else sim.requests
        await api.get_data()
        first = len(requests)
        sim.requests.clear()
        sim.received.clear()
        await api.get_data()
        await api.close()
        return {
            "family": api.family,
            "first_poll": first,
            "steady_poll": len(requests),
            "requests": list(requests),
            "why": WHY.get(name, "") if len(requests) > 1 else "",
        }


async def run(*, quick: bool) -> dict[str, Any]:
    """One entry per personality (quick mode counts the same: it is cheap)."""
    figures: dict[str, Any] = {}
    for name in sorted(n for n, cls in PERSONALITIES.items() if cls.family in FAMILIES):
        figures[name] = await _personality(name)
    return figures
