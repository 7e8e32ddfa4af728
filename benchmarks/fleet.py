"""A fleet polled concurrently: wall time per round, open sockets bounded, memory flat."""

from __future__ import annotations

import asyncio
import gc
import os
import time
import tracemalloc
from typing import Any

from custom_components.asic_miner.api import APIError, Miner, api_class
from custom_components.asic_miner.api.detect import FAMILIES
from simulator import PERSONALITIES

from .machine import percentile, process_cpu_seconds, raise_fd_limit, rss_bytes
from .simhost import SimHost

#: At most this many sockets open at once on the client side.
CONCURRENCY = 128
TARGET_ROUND_S = 1.0  # issue 11: 1000 miners per round in at most one second on 2 cores
#: Client families that read the miner's web port (REST): the fleet serves API ports only.
WEB_FAMILIES = frozenset({"vnish", "braiins-os"})
#: The personalities a client family reads over the API port.
FLEET_PERSONALITIES = sorted(
    n
    for n, cls in PERSONALITIES.items()
    if cls.family in FAMILIES and cls.family not in WEB_FAMILIES
)


#: A count of open file descriptors is taken once it held this long (seconds) ...
SETTLE_S = 0.5
#: ... or after this long at most.
SETTLE_MAX_S = 5.0


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def _settled_fds() -> int:
    """The open file descriptors once those being closed are closed: aiohttp's DNS resolver
    (c-ares, through aiodns) outlives the last session closed, destroyed on pycares's own
    thread a moment later with its event thread's epoll and pipe, so a count taken right
    after a round may hold three descriptors that are already on their way out."""
    gc.collect()
    count = _open_fds()
    held = 0.0
    deadline = time.monotonic() + SETTLE_MAX_S
    while held < SETTLE_S and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        gc.collect()
        now = _open_fds()
        held = held + 0.1 if now == count else 0.0
        count = now
    return count


class _Gauge:
    """Counts polls in flight (each holds one socket at most) and remembers the peak."""

    def __init__(self) -> None:
        self.now = 0
        self.peak = 0


async def _poll_round(
    apis: list[Miner], limit: asyncio.Semaphore, gauge: _Gauge
) -> tuple[int, list[str]]:
    async def one(api: Miner) -> str | None:
        async with limit:
            gauge.now += 1
            gauge.peak = max(gauge.peak, gauge.now)
            try:
                await api.get_data()
            except APIError as err:
                return f"{api!r}: {err}"
            finally:
                gauge.now -= 1
        return None

    results = await asyncio.gather(*(one(api) for api in apis))
    errors = [result for result in results if result is not None]
    return len(apis) - len(errors), errors


async def run(*, quick: bool) -> dict[str, Any]:
    """Poll ``miners`` simulators (all personalities, round-robin) for ``rounds`` rounds."""
    miners, rounds = (100, 5) if quick else (1000, 50)
    fd_limit = raise_fd_limit(miners * 2 + 1024)
    with SimHost(FLEET_PERSONALITIES, miners) as host:
        apis = [
            api_class(PERSONALITIES[name].family)(
                "127.0.0.1", port, web_port=web_port, timeout=10.0
            )
            for name, port, web_port in host.miners
        ]
        limit = asyncio.Semaphore(CONCURRENCY)
        gauge = _Gauge()
        fds_before = await _settled_fds()
        start = time.perf_counter()
        _, errors = await _poll_round(apis, limit, gauge)  # first round: identities too
        first_round = time.perf_counter() - start
        host.clear_logs()
        gc.collect()
        walls: list[float] = []
        rss: list[int] = []
        failures = len(errors)
        cpu = time.process_time()
        sim_cpu = process_cpu_seconds(host.pid)
        for index in range(rounds):
            start = time.perf_counter()
            _, errors = await _poll_round(apis, limit, gauge)
            walls.append(time.perf_counter() - start)
            failures += len(errors)
            if index % 10 == 9:
                host.clear_logs()
            rss.append(rss_bytes())
        cpu = time.process_time() - cpu
        sim_cpu = process_cpu_seconds(host.pid) - sim_cpu
        # A few more rounds under tracemalloc: Python-level allocations that survive a round.
        traced_rounds = 2 if quick else 4
        tracemalloc.start()
        await _poll_round(apis, limit, gauge)
        gc.collect()
        traced_start = tracemalloc.get_traced_memory()[0]
        for _ in range(traced_rounds):
            await _poll_round(apis, limit, gauge)
        gc.collect()
        traced_growth = tracemalloc.get_traced_memory()[0] - traced_start
        tracemalloc.stop()
        fds_after = await _settled_fds()
    settle = min(10, len(rss) - 1)
    return {
        "miners": miners,
        "personalities": len(FLEET_PERSONALITIES),
        "rounds": rounds,
        "concurrency_limit": CONCURRENCY,
        "peak_polls_in_flight": gauge.peak,
        "fd_limit": fd_limit,
        "fds_leaked": fds_after - fds_before,
        "failed_polls": failures,
        "first_error": errors[0] if errors else None,
        "first_round_s": round(first_round, 3),
        "round_p50_s": round(percentile(walls, 0.5), 3),
        "round_p90_s": round(percentile(walls, 0.9), 3),
        "round_max_s": round(max(walls), 3),
        "slowest_round": walls.index(max(walls)) + 2,
        "client_cpu_s_per_round": round(cpu / rounds, 3),
        "simulator_cpu_s_per_round": round(sim_cpu / rounds, 3),
        "rss_mib_after_round": {
            "1": round(rss[0] / 2**20, 1),
            str(settle + 1): round(rss[settle] / 2**20, 1),
            str(rounds): round(rss[-1] / 2**20, 1),
        },
        "rss_growth_kib_after_warmup": round((rss[-1] - rss[settle]) / 1024),
        "traced_growth_kib_over_rounds": {
            "rounds": traced_rounds,
            "kib": round(traced_growth / 1024, 1),
        },
        "target_round_s": TARGET_ROUND_S,
        "meets_target": failures == 0 and max(walls) <= TARGET_ROUND_S,
    }
