"""Requests per poll for each personality, counted by the simulator (the goal is one).

The first ``get_data`` also reads the identity (cached afterwards), so it is counted apart.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from custom_components.asic_miner.api import api_class
from custom_components.asic_miner.api.detect import FAMILIES
from simulator import PERSONALITIES, MinerSimulator

_PASSWORD = "benchpass"

#: Why a personality needs more than one request per poll (sent concurrently, not in turn).
WHY = {
    "antminer-s19": (
        "S19 firmware (2022+) answers a '+'-joined command as one invalid command; the "
        "client learns this on the first poll and sends the three commands side by side"
    ),
    "whatsminer-m30s": (
        "btminer answers get_error_code and status only alone, never inside a joined "
        "request; the rest is one joined request, all three in parallel"
    ),
    "whatsminer-m50s": (
        "btminer answers get_error_code and status only alone, never inside a joined "
        "request; the rest is one joined request, all three in parallel"
    ),
    "whatsminer-v3": (
        "API v3 has no joined commands: get.miner.status and get.device.info in parallel"
    ),
    "braiins-os-s19xp": (
        "Braiins OS's REST API spreads a poll over miner/details (state, uptime), miner/stats "
        "(hashrate, power), miner/hw/hashboards (boards) and cooling/state (fans), asked one "
        "after another; what rarely changes is read every 5 minutes"
    ),
}
#: Methods that name an HTTP request in ``sim.received`` ("GET /api/v1/summary").
_HTTP_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})


def _web_requests(received: list[str]) -> list[str]:
    """The REST requests among what the simulator received (web port and API port alike)."""
    return [name for name in received if name.split(" ", 1)[0] in _HTTP_METHODS]


async def _personality(name: str) -> dict[str, Any]:
    async with MinerSimulator(
        name, port=0, password=_PASSWORD, web_port=0, seed=1, jitter=False
    ) as sim:
        api = api_class(PERSONALITIES[name].family)(
            "127.0.0.1", sim.port, password=_PASSWORD, web_port=sim.web_port or 80
        )
        await api.get_data()
        first = _count(sim.requests, sim.received)
        sim.requests.clear()
        sim.received.clear()
        await api.get_data()
        await api.close()
        requests = _merged(sim.requests, sim.received)
        return {
            "family": api.family,
            "first_poll": first,
            "steady_poll": len(requests),
            "requests": requests,
            "why": WHY.get(name, "") if len(requests) > 1 else "",
        }


def _merged(api_requests: list[str], received: list[str]) -> list[str]:
    """API-port requests, and REST requests on the web port (the API port's are in both)."""
    on_api = Counter(_web_requests(api_requests))
    web = []
    for name in _web_requests(received):
        if on_api[name]:
            on_api[name] -= 1
        else:
            web.append(name)
    return [*api_requests, *web]


def _count(api_requests: list[str], received: list[str]) -> int:
    return len(_merged(api_requests, received))


async def run(*, quick: bool) -> dict[str, Any]:
    """One entry per personality (quick mode counts the same: it is cheap)."""
    figures: dict[str, Any] = {}
    for name in sorted(n for n, cls in PERSONALITIES.items() if cls.family in FAMILIES):
        figures[name] = await _personality(name)
    return figures
