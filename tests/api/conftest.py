"""Fixtures for client tests: real simulators on loopback ports, real sockets."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
import contextlib
from datetime import timedelta
from typing import Any

from aiohttp import web
from hypothesis import HealthCheck, settings
import pytest

from simulator import MinerSimulator
from tests.faults import open_fds

__all__ = ["SimulatorFactory", "closed_port", "open_fds", "serving"]

type SimulatorFactory = Callable[..., Awaitable[MinerSimulator]]


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Allow socket creation (pytest-socket still restricts connections to 127.0.0.1)."""


@pytest.fixture
async def simulator() -> AsyncIterator[SimulatorFactory]:
    """Start simulators on ephemeral ports: ``sim = await simulator("antminer-s19")``."""
    started: list[MinerSimulator] = []

    async def factory(personality: str, **kwargs: Any) -> MinerSimulator:
        kwargs.setdefault("seed", 1)
        sim = MinerSimulator(personality, **kwargs)
        await sim.start()
        started.append(sim)
        return sim

    yield factory
    for sim in started:
        await sim.stop()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released): a web interface that is not
    there, refused at once."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@contextlib.asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[int]:
    """Serve ``app`` on a loopback port (another web server than a miner's) until the end."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield runner.addresses[0][1]
    finally:
        await runner.cleanup()


def bounded(examples: int) -> settings:
    """Hypothesis settings of the property tests: ``examples`` per test, each within a second,
    the same examples on every run (a failure found once is found again), nothing stored."""
    return settings(
        max_examples=examples,
        deadline=timedelta(seconds=1),
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
