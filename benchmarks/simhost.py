"""Simulated miners served from a separate process, so the client's CPU figures are its own.

``python -m benchmarks.simhost PERSONALITY[,PERSONALITY…] COUNT`` starts COUNT simulators on
ephemeral loopback ports (personalities taken round-robin), prints one JSON line
``{"miners": [[personality, port], …]}`` and serves until its standard input closes.
"""

from __future__ import annotations

import asyncio
from contextlib import AbstractContextManager
import json
import subprocess
import sys
from types import TracebackType
from typing import Any, Self

from .machine import raise_fd_limit

PASSWORD = "benchpass"


async def _serve(personalities: list[str], count: int) -> None:
    from simulator import MinerSimulator

    raise_fd_limit(count * 4 + 256)
    sims = []
    for index in range(count):
        name = personalities[index % len(personalities)]
        sim = MinerSimulator(name, port=0, password=PASSWORD, seed=index, jitter=True)
        await sim.start()
        sims.append(sim)
    # Forget what the simulators log about requests, so a long run keeps flat memory.
    miners = [[s.personality_name, s.port, s.web_port] for s in sims]
    print(json.dumps({"miners": miners}), flush=True)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():
        if line.strip() == b"clear":
            for sim in sims:
                sim.received.clear()
                sim.requests.clear()
    for sim in sims:
        await sim.stop()


class SimHost(AbstractContextManager["SimHost"]):
    """``with SimHost(["antminer-s19"], 1000) as host: host.miners`` → [(personality, port,
    web port)]; a miner with nothing on its API port (AxeOS) has its web port in both."""

    def __init__(self, personalities: list[str], count: int) -> None:
        """Plan the fleet; nothing starts before ``__enter__``."""
        self.personalities = personalities
        self.count = count
        self.miners: list[tuple[str, int, int]] = []
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        """The simulator process, for its CPU figures."""
        assert self._process is not None
        return self._process.pid

    def clear_logs(self) -> None:
        """Drop the simulators' request logs (they grow with every request)."""
        assert self._process is not None
        assert self._process.stdin is not None
        self._process.stdin.write(b"clear\n")
        self._process.stdin.flush()

    def _argv(self) -> list[str]:
        """The simulator process's command line."""
        return [
            sys.executable,
            "-m",
            "benchmarks.simhost",
            ",".join(self.personalities),
            str(self.count),
        ]

    def _listening(self, reply: dict[str, Any]) -> None:
        """Take the process's first line: where its simulators listen."""
        self.miners = [
            (name, int(port or web_port), int(web_port or 80))
            for name, port, web_port in reply["miners"]
        ]

    def __enter__(self) -> Self:
        """Start the process and wait until every simulator listens."""
        self._process = subprocess.Popen(
            self._argv(), stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            self._process.wait()
            raise RuntimeError("the simulator host exited before listening")
        self._listening(json.loads(line))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close its standard input (its signal to stop) and wait for it."""
        if self._process is None:
            return
        assert self._process.stdin is not None
        self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def main() -> None:
    """Entry point of the simulator process."""
    personalities = sys.argv[1].split(",")
    count = int(sys.argv[2])
    asyncio.run(_serve(personalities, count))


if __name__ == "__main__":
    main()
