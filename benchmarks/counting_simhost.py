"""Simulated miners in a separate process that count the connections they accept.

``python -m benchmarks.counting_simhost PERSONALITY[,PERSONALITY…]`` starts one simulator per
personality (API port, web port where the firmware has one, password ``PASSWORD``), prints
``{"miners": {personality: {"port": …, "web_port": …}}}`` and then answers lines on its standard
input: ``counts`` prints ``{personality: {"connections": …, "api_requests": …,
"web_requests": …}}``, ``reset`` zeroes them (and prints ``{}``). It stops when its standard
input closes.

Connections are counted where the simulator accepts them (every listening socket's
``accept``), for the API and the web port alike, so a client's reused HTTP connections count
once and each new TCP connection counts, whatever the protocol.
"""

from __future__ import annotations

import asyncio
from collections import Counter
import json
import socket
import sys
from typing import Any

from .simhost import SimHost

PASSWORD = "benchpass"

accepted: Counter[int] = Counter()
_accept = socket.socket.accept


def _counting_accept(sock: socket.socket) -> Any:
    connection = _accept(sock)
    accepted[sock.getsockname()[1]] += 1
    return connection


def _counts(sims: dict[str, Any]) -> dict[str, dict[str, int]]:
    counts = {}
    for name, sim in sims.items():
        ports = [sim.port, sim.web_port]
        web = sum(1 for command in sim.received if command.endswith(".cgi"))
        counts[name] = {
            "connections": sum(accepted[port] for port in ports if port),
            "api_requests": len(sim.requests),
            "web_requests": web + sim.web_challenges,
        }
    return counts


async def _serve(personalities: list[str]) -> None:
    from simulator import MinerSimulator

    socket.socket.accept = _counting_accept  # type: ignore[method-assign]
    sims = {}
    for name in personalities:
        sim = MinerSimulator(name, port=0, password=PASSWORD, web_port=0, seed=1)
        await sim.start()
        sims[name] = sim
    miners = {name: {"port": sim.port, "web_port": sim.web_port} for name, sim in sims.items()}
    print(json.dumps({"miners": miners}), flush=True)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():
        command = line.strip()
        if command == b"counts":
            print(json.dumps(_counts(sims)), flush=True)
        elif command == b"reset":
            accepted.clear()
            for sim in sims.values():
                sim.received.clear()
                sim.requests.clear()
                sim.web_challenges = 0
            print("{}", flush=True)
    for sim in sims.values():
        await sim.stop()


class CountingSimHost(SimHost):
    """``with CountingSimHost(["antminer-s19"]) as host``: ``host.ports``, ``host.counts()``."""

    def __init__(self, personalities: list[str]) -> None:
        """Plan the miners (one of each personality); nothing starts before ``__enter__``."""
        super().__init__(personalities, len(personalities))
        self.ports: dict[str, dict[str, int | None]] = {}

    def _argv(self) -> list[str]:
        return [sys.executable, "-m", "benchmarks.counting_simhost", ",".join(self.personalities)]

    def _listening(self, reply: dict[str, Any]) -> None:
        self.ports = reply["miners"]

    def _ask(self, command: str) -> Any:
        process = self._process
        assert process is not None
        assert process.stdin is not None
        assert process.stdout is not None
        process.stdin.write(command.encode() + b"\n")
        process.stdin.flush()
        return json.loads(process.stdout.readline())

    def reset(self) -> None:
        """Zero every counter."""
        self._ask("reset")

    def counts(self) -> dict[str, dict[str, int]]:
        """Connections and requests per personality since the last reset."""
        return dict(self._ask("counts"))


def main() -> None:
    """Entry point of the simulator process."""
    asyncio.run(_serve(sys.argv[1].split(",")))


if __name__ == "__main__":
    main()
