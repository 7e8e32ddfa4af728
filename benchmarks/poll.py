"""One poll of one Antminer S19 (3 boards): latency percentiles and CPU per poll."""

from __future__ import annotations

import time
from typing import Any

from custom_components.asic_miner.api import BMMinerAPI

from .machine import percentile, process_cpu_seconds
from .simhost import SimHost

TARGET_P50_MS = 2.0
TARGET_P99_MS = 10.0


async def run(*, quick: bool) -> dict[str, Any]:
    """Poll one simulated S19 (in another process) many times in a row."""
    polls = 50 if quick else 2000
    with SimHost(["antminer-s19"], 1) as host:
        _, port, _ = host.miners[0]
        api = BMMinerAPI("127.0.0.1", port, timeout=5.0)
        data = await api.get_data()  # identity fetched here, once, as in real use
        boards = len(data.boards)
        for _ in range(20):
            await api.get_data()
        host.clear_logs()
        latencies: list[float] = []
        sim_cpu = process_cpu_seconds(host.pid)
        cpu = time.process_time()
        for _ in range(polls):
            start = time.perf_counter()
            await api.get_data()
            latencies.append(time.perf_counter() - start)
        cpu = time.process_time() - cpu
        sim_cpu = process_cpu_seconds(host.pid) - sim_cpu
    return {
        "personality": "antminer-s19",
        "boards": boards,
        "polls": polls,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 3),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 3),
        "max_ms": round(max(latencies) * 1000, 3),
        "client_cpu_ms_per_poll": round(cpu / polls * 1000, 3),
        "simulator_cpu_ms_per_poll": round(sim_cpu / polls * 1000, 3),
        "target_p50_ms": TARGET_P50_MS,
        "target_p99_ms": TARGET_P99_MS,
        "meets_target": percentile(latencies, 0.50) * 1000 <= TARGET_P50_MS
        and percentile(latencies, 0.99) * 1000 <= TARGET_P99_MS,
    }
