"""Gentle with miners: one client never has two connections open to one miner at a time, API
and web interface together, whatever runs at once (polls, controls, the per-command fallback of
a firmware that refuses joined commands, digest auth).

A counting proxy sits in front of the simulator's API port and web port: it counts the
connections open at once across both, and holds each request a little (a slow miner), so that
two exchanges started together would overlap for certain. Before counting a new connection it
lets the event loop notice the connections the client has already closed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
import contextlib
from typing import Any

import aiohttp
import pytest

from custom_components.asic_miner.api import (
    BMMinerAPI,
    BraiinsOSAPI,
    BTMinerAPI,
    LuxOSAPI,
    Miner,
    VNishAPI,
    WhatsminerV3API,
)
from simulator import Fault

from .conftest import SimulatorFactory

#: How long the proxy holds each request before passing it on (a slow miner).
HOLD = 0.05
#: How long it waits before counting a new connection (closes already made get noticed).
GRACE = 0.01


class Meter:
    """Connections open at once at one miner, across its ports."""

    def __init__(self) -> None:
        self.open = 0
        self.peak = 0
        self.total = 0


@contextlib.asynccontextmanager
async def counting_proxy(meter: Meter, target: int) -> AsyncIterator[int]:
    """A loopback TCP proxy to ``target``; yields its port."""
    tasks: set[asyncio.Task[Any]] = set()

    async def pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter, hold: float) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await src.read(65536):
                await asyncio.sleep(hold)
                dst.write(data)
                await dst.drain()
        with contextlib.suppress(OSError):
            dst.write_eof()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        tasks.add(task)
        await asyncio.sleep(GRACE)
        meter.open += 1
        meter.total += 1
        meter.peak = max(meter.peak, meter.open)
        upstream_writer: asyncio.StreamWriter | None = None
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", target)
            await asyncio.gather(
                pump(reader, upstream_writer, HOLD), pump(upstream_reader, writer, 0.0)
            )
        except OSError, asyncio.CancelledError:
            pass
        finally:
            meter.open -= 1
            writer.close()
            if upstream_writer is not None:
                upstream_writer.close()
            tasks.discard(task)

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        for task in list(tasks):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()


type Scenario = Callable[[Miner], Awaitable[object]]


async def _busy(api: Miner, *extra: Awaitable[object]) -> None:
    """Polls and controls at once, as Home Assistant may run them."""
    await asyncio.gather(api.get_data(), api.get_data(), *extra)


@pytest.mark.parametrize(
    ("personality", "password"),
    [
        ("antminer-s19", "root"),  # refuses joins: the per-command fallback, plus the web read
        ("whatsminer-m30s", "admin"),  # commands asked alone, encrypted controls
        ("luxos", None),  # session logon before controls
        ("whatsminer-v3", "super"),  # length-prefixed framing
    ],
)
async def test_one_connection_at_a_time(
    simulator: SimulatorFactory, personality: str, password: str | None
) -> None:
    sim = await simulator(personality, jitter=False, password=password, web_port=0)
    meter = Meter()
    async with contextlib.AsyncExitStack() as stack:
        api_port = await stack.enter_async_context(counting_proxy(meter, sim.port))
        web_port = 80
        if sim.web_port is not None:
            web_port = await stack.enter_async_context(counting_proxy(meter, sim.web_port))
        cls = {
            "antminer-s19": BMMinerAPI,
            "whatsminer-m30s": BTMinerAPI,
            "luxos": LuxOSAPI,
            "whatsminer-v3": WhatsminerV3API,
        }[personality]
        api = cls("127.0.0.1", api_port, password=password, web_port=web_port, timeout=5.0)
        await _busy(api, api.set_fault_light(True), api.check_password())
        await _busy(api, api.set_fault_light(False), api.pause_mining(), api.resume_mining())
    assert meter.total >= 4
    assert meter.peak == 1


async def test_one_connection_with_a_shared_session(simulator: SimulatorFactory) -> None:
    """Home Assistant's shared session keeps connections alive between requests; the client
    closes each one before the next exchange, so none waits idle while the API is asked."""
    sim = await simulator("antminer-s19", jitter=False, password="root", web_port=0)
    assert sim.web_port is not None
    meter = Meter()
    async with (
        counting_proxy(meter, sim.port) as api_port,
        counting_proxy(meter, sim.web_port) as web_port,
        aiohttp.ClientSession() as session,
    ):
        api = BMMinerAPI(
            "127.0.0.1",
            api_port,
            password="root",
            web_port=web_port,
            web_session=session,
            timeout=5.0,
        )
        for _ in range(3):
            await _busy(api, api.set_work_mode("low"))
    assert meter.total >= 6
    assert meter.peak == 1


@pytest.mark.parametrize(
    ("personality", "password", "cls"),
    [("vnish-s19", "admin", VNishAPI), ("braiins-os-s19xp", "root", BraiinsOSAPI)],
)
async def test_one_connection_rest_and_tcp(
    simulator: SimulatorFactory, personality: str, password: str, cls: type[Miner]
) -> None:
    """A REST firmware's client and the CGMiner client it composes share one lock: the REST
    requests, and the TCP API when the REST replies are refused, never overlap."""
    sim = await simulator(personality, jitter=False, password=password, web_port=0)
    assert sim.web_port is not None
    meter = Meter()
    async with (
        counting_proxy(meter, sim.port) as api_port,
        counting_proxy(meter, sim.web_port) as web_port,
    ):
        api = cls("127.0.0.1", api_port, password=password, web_port=web_port, timeout=5.0)
        await _busy(api, api.set_fault_light(True), api.check_password())
        sim.set_fault(Fault.HTTP_500)  # the REST API fails: the TCP API answers the polls
        await _busy(api)
        assert sim.requests
        sim.set_fault(Fault.NONE)
        await _busy(api, api.pause_mining(), api.resume_mining(), api.set_fault_light(False))
        await api.close()
    assert meter.total >= 6
    assert meter.peak == 1
