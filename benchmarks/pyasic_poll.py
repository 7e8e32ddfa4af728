"""Poll one miner with pyasic's ``get_data()``; run by pyasic's own interpreter, not ours.

``python benchmarks/pyasic_poll.py '{"miner_class": "module:Class", "port": …, "web_port": …,
"password": …, "warmup": N, "polls": N}'``. The miner class is constructed directly (no
detection) and pointed at the simulator's ports. After the warm-up polls it prints one JSON line
``{"warm": true}`` and waits for a line on its standard input (the benchmark resets the
simulator's counters meanwhile), then polls and prints ``{"latencies_s": […], "cpu_s": …,
"hashrate": …}``. Only the standard library and pyasic are imported here.
"""

import asyncio
import importlib
import json
import sys
import time
from typing import Any


def _miner(spec: dict[str, Any]) -> Any:
    module, _, name = spec["miner_class"].partition(":")
    miner = getattr(importlib.import_module(module), name)("127.0.0.1")
    miner.rpc.port = spec["port"]
    miner.rpc.pwd = spec["password"]  # Whatsminer's API password
    if getattr(miner, "web", None) is not None and spec.get("web_port"):
        miner.web.port = spec["web_port"]
        miner.web.pwd = spec["password"]  # the Antminer web interface's
    return miner


async def _run(spec: dict[str, Any]) -> dict[str, Any]:
    miner = _miner(spec)
    data = None
    for _ in range(spec["warmup"]):
        data = await miner.get_data()
    print(json.dumps({"warm": True}), flush=True)
    sys.stdin.readline()
    latencies = []
    cpu = time.process_time()
    for _ in range(spec["polls"]):
        start = time.perf_counter()
        data = await miner.get_data()
        latencies.append(time.perf_counter() - start)
    cpu = time.process_time() - cpu
    hashrate = getattr(data, "hashrate", None)
    return {
        "latencies_s": latencies,
        "cpu_s": cpu,
        "hashrate": None if hashrate is None else float(hashrate),
    }


def main() -> None:
    """Entry point."""
    print(json.dumps(asyncio.run(_run(json.loads(sys.argv[1])))), flush=True)


if __name__ == "__main__":
    main()
