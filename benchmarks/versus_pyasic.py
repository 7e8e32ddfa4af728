"""Our ``get_data()`` against pyasic 0.79's, side by side, in one run.

The same simulated miners (stock Antminer S19 with its web interface, Whatsminer M30S; one
simulator process, ``counting_simhost``), the same number of polls after the same warm-up, each
client in a process of its own: ours in this one, pyasic in a subprocess of its own environment
(``pyasic_env``; pyasic's miner classes constructed directly, no detection). Both get the
password, so both read what the firmware offers with it; ours gets one HTTP session for its
life, as Home Assistant gives it. Reported per client and miner: the
median and p90 latency of one poll, CPU per poll in the client's process, and connections and
requests per poll counted by the simulator. ``--quick`` measures only our side and never
installs pyasic.
"""

from __future__ import annotations

import json
from pathlib import Path
import statistics
import subprocess
import time
from typing import Any

import aiohttp

from custom_components.asic_miner.api import BaseMinerAPI, api_class
from simulator import PERSONALITIES

from .counting_simhost import PASSWORD, CountingSimHost
from .machine import percentile
from .pyasic_env import PYASIC_VERSION, ensure_pyasic

#: The miners compared, with the pyasic class a user of pyasic would pick for each.
PYASIC_CLASSES = {
    "antminer-s19": "pyasic.miners.antminer.bmminer.X19.S19:BMMinerS19",
    "whatsminer-m30s": "pyasic.miners.whatsminer.btminer.M3X.M30S:BTMinerM30SV10",
}
POLL_SCRIPT = Path(__file__).with_name("pyasic_poll.py")


def _figures(latencies: list[float], cpu_s: float, counts: dict[str, int]) -> dict[str, Any]:
    polls = len(latencies)
    return {
        "polls": polls,
        "median_ms": round(statistics.median(latencies) * 1000, 3),
        "p90_ms": round(percentile(latencies, 0.9) * 1000, 3),
        "cpu_ms_per_poll": round(cpu_s / polls * 1000, 3),
        "connections_per_poll": round(counts["connections"] / polls, 2),
        "requests_per_poll": round((counts["api_requests"] + counts["web_requests"]) / polls, 2),
        "web_requests_per_poll": round(counts["web_requests"] / polls, 2),
    }


async def _ours(host: CountingSimHost, name: str, warmup: int, polls: int) -> dict[str, Any]:
    ports = host.ports[name]
    # As in Home Assistant: the client is given one HTTP session for its whole life.
    async with aiohttp.ClientSession() as session:
        api: BaseMinerAPI = api_class(PERSONALITIES[name].family)(
            "127.0.0.1",
            int(ports["port"] or 0),
            password=PASSWORD,
            web_port=ports["web_port"] or 80,
            web_session=session,
        )
        for _ in range(warmup):
            data = await api.get_data()
        host.reset()
        latencies = []
        cpu = time.process_time()
        for _ in range(polls):
            start = time.perf_counter()
            data = await api.get_data()
            latencies.append(time.perf_counter() - start)
        cpu = time.process_time() - cpu
    figures = _figures(latencies, cpu, host.counts()[name])
    figures["hashrate_th"] = data.hashrate
    return figures


def _pyasic(
    python: Path, host: CountingSimHost, name: str, warmup: int, polls: int
) -> dict[str, Any]:
    ports = host.ports[name]
    spec = {
        "miner_class": PYASIC_CLASSES[name],
        "port": ports["port"],
        "web_port": ports["web_port"],
        "password": PASSWORD,
        "warmup": warmup,
        "polls": polls,
    }
    with subprocess.Popen(
        [str(python), str(POLL_SCRIPT), json.dumps(spec)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdin is not None
        assert process.stdout is not None
        assert process.stderr is not None
        ready = process.stdout.readline()
        if not ready:
            raise RuntimeError(f"pyasic exited during warm-up: {process.stderr.read()[-500:]}")
        host.reset()
        process.stdin.write("go\n")
        process.stdin.flush()
        result = process.stdout.readline()
        process.stdin.close()
        stderr = process.stderr.read()
        if process.wait(timeout=120) != 0 or not result:
            raise RuntimeError(f"pyasic failed: {stderr[-500:]}")
    measured = json.loads(result)
    figures = _figures(measured["latencies_s"], measured["cpu_s"], host.counts()[name])
    figures["hashrate_th"] = measured["hashrate"]
    return figures


def _ratios(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    def ratio(key: str) -> float | None:
        return round(theirs[key] / ours[key], 2) if ours[key] else None

    return {
        "median_latency": ratio("median_ms"),
        "cpu_per_poll": ratio("cpu_ms_per_poll"),
        "connections_per_poll": ratio("connections_per_poll"),
    }


async def run(*, quick: bool) -> dict[str, Any]:
    """Both clients on both miners (only ours in quick mode)."""
    warmup, polls = (5, 20) if quick else (20, 300)
    python: Path | str = (
        f"--quick measures only this client; a full run installs pyasic {PYASIC_VERSION}"
    )
    if not quick:
        python = ensure_pyasic()
    figures: dict[str, Any] = {"pyasic_version": PYASIC_VERSION, "warmup_polls": warmup}
    if isinstance(python, str):
        figures["pyasic_skipped"] = python
    with CountingSimHost(list(PYASIC_CLASSES)) as host:
        for name in PYASIC_CLASSES:
            side: dict[str, Any] = {"ours": await _ours(host, name, warmup, polls)}
            if not isinstance(python, str):
                side["pyasic"] = _pyasic(python, host, name, warmup, polls)
                # How many times pyasic's figure is ours: > 1 means ours is faster / leaner.
                side["pyasic_over_ours"] = _ratios(side["ours"], side["pyasic"])
            figures[name] = side
    return figures
