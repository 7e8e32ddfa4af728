"""The fault matrix for the client: every personality against every simulator fault.

Each cell: an ``APIError`` of the expected kind that names the miner, within a bound, no
descriptor leak, no client task left running behind the failed poll, and a healthy poll once
the fault clears. Then the faults that strike in the middle of a poll: a reboot, a reset,
and another miner taking the address.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from custom_components.asic_miner.api import (
    APIConnectionError,
    APIDecodeError,
    APIRefusalError,
    Miner,
    api_class,
)
from custom_components.asic_miner.api.detect import FAMILIES
from simulator import PERSONALITIES, Fault, MinerSimulator
from tests.faults import (
    CLIENT_ERRORS,
    FAULTS,
    HTTP_CLIENT_ERRORS,
    HTTP_FAULTS,
    open_fds,
    settle_fds,
    tasks_running,
)

from .conftest import SimulatorFactory

API_DIR = str(Path(__file__).resolve().parents[2] / "custom_components" / "asic_miner" / "api")
BOUND = 0.2  # seconds: connect and exchange timeouts of the client under test
#: The personalities a client family reads (the HTTP firmwares wait for their clients).
PERSONALITY_NAMES = sorted(n for n, cls in PERSONALITIES.items() if cls.family in FAMILIES)
#: Personalities read over a REST API on the web port beside their cgminer API (VNish,
#: Braiins OS 25.07+ with root's password), which answers when the REST replies are refused.
REST_PERSONALITIES = [
    n for n in PERSONALITY_NAMES if PERSONALITIES[n].family in {"vnish", "braiins-os"}
]
#: Personalities polled over HTTP (nothing, or HTTP, on the API port; or a REST API).
HTTP_PERSONALITIES = [
    n
    for n in PERSONALITY_NAMES
    if PERSONALITIES[n].api_protocol != "tcp" or n in REST_PERSONALITIES
]
#: Personalities whose MAC the client can read (over the API or, Antminer, the web CGI; AxeOS
#: from 2.3).
MAC_REPORTERS = [
    name
    for name in PERSONALITY_NAMES
    if name
    not in {
        "braiins-os",
        "braiins-os-s9",
        "cgminer-fork",
        "goldshell",
        "bitaxe-ultra",
        "luckyminer-lv07",
    }
]


def polled_port(sim: MinerSimulator) -> int:
    """The port a poll asks: the API port, or the web port of a miner with nothing there or
    with a REST API."""
    rest = sim.personality_name in REST_PERSONALITIES
    port = sim.port if sim.port is not None and not rest else sim.web_port
    assert port is not None
    return port


async def start_miner(simulator: SimulatorFactory, personality: str) -> MinerSimulator:
    """The simulated miner; a REST firmware with its web port."""
    rest = personality in REST_PERSONALITIES
    return await simulator(personality, jitter=False, web_port=0 if rest else None)


def make_api(sim: MinerSimulator, *, bound: float = BOUND) -> Miner:
    """The client; a REST firmware's with the password its REST API needs."""
    rest = sim.personality_name in REST_PERSONALITIES
    return api_class(PERSONALITIES[sim.personality_name].family)(
        "127.0.0.1",
        sim.port or 4028,
        password=sim.state.password if rest else None,
        web_port=sim.web_port or 80,
        connect_timeout=bound,
        timeout=bound,
        max_reply_bytes=256 * 1024,
    )


def expected_error(personality: str, fault: Fault) -> type[Exception]:
    """What the client of ``personality`` raises for ``fault``."""
    if personality in HTTP_PERSONALITIES:
        if PERSONALITIES[personality].family == "axeos" and fault is Fault.HTTP_401:
            return APIRefusalError  # AxeOS's 401 is its network gate: no password to fix
        return HTTP_CLIENT_ERRORS[fault]
    if personality == "whatsminer-v3" and fault is Fault.TRUNCATED:
        # Length-prefixed frames: a cut reads as a short frame, refused before any JSON is
        # decoded. (GARBAGE is a well-framed frame of noise: a decode error, as elsewhere.)
        return APIConnectionError
    return CLIENT_ERRORS[fault]


def client_tasks() -> list[asyncio.Task[Any]]:
    """Tasks still running code of the client package (besides the test's own task)."""
    return tasks_running(API_DIR)


async def recovered(api: Miner) -> bool:
    api.connect_timeout = api.timeout = 5.0  # recovery is not about the bound
    return (await api.get_data()).hashrate is not None


CELLS = [
    *((personality, fault) for personality in PERSONALITY_NAMES for fault in FAULTS),
    *(
        (personality, fault)
        for personality in HTTP_PERSONALITIES
        for fault in HTTP_FAULTS
        # A REST firmware's HTTP 500 is answered by its cgminer API: no error (their tests).
        if not (personality in REST_PERSONALITIES and fault is Fault.HTTP_500)
    ),
]


@pytest.mark.parametrize(("personality", "fault"), CELLS, ids=str)
async def test_fault_matrix(simulator: SimulatorFactory, personality: str, fault: Fault) -> None:
    params, error = {**FAULTS, **HTTP_FAULTS}[fault], expected_error(personality, fault)
    sim = await start_miner(simulator, personality)
    api = make_api(sim)
    await api.get_data()  # healthy, identity cached, the loop's own fds opened
    fds = open_fds()
    sim.set_fault(fault, **params)
    loop = asyncio.get_running_loop()
    start = loop.time()
    with pytest.raises(error) as caught:
        await api.get_data()
    # Several requests of one poll run side by side, each bounded: far below 2 s.
    assert loop.time() - start < 2.0
    if error is APIConnectionError:  # a decode error quotes the reply; callers add the host
        assert f"127.0.0.1:{polled_port(sim)}" in str(caught.value)
    await asyncio.sleep(0)
    assert client_tasks() == []  # nothing of the failed poll keeps running
    assert await settle_fds(fds) <= fds
    sim.set_fault(Fault.NONE)
    assert await recovered(api)
    await api.close()


@pytest.mark.parametrize("personality", ["antminer-s19", "whatsminer-m30s", "braiins-os"])
async def test_reboot_in_the_middle_of_a_poll(
    simulator: SimulatorFactory, personality: str
) -> None:
    sim = await simulator(personality, jitter=False)
    api = make_api(sim, bound=1.0)
    await api.get_data()
    fds = open_fds()
    sim.set_fault(Fault.TRICKLE, interval=0.01)  # the reply is on its way, slowly
    poll = asyncio.create_task(api.get_data())
    await asyncio.sleep(0.1)
    sim.set_fault(Fault.REBOOT, seconds=0.3)  # the miner goes down mid-reply
    # The cut shows as a reset or as a reply cut short, depending on where it fell.
    with pytest.raises((APIConnectionError, APIDecodeError)):
        await poll
    assert client_tasks() == []
    assert await settle_fds(fds) <= fds
    await asyncio.sleep(0.4)
    sim.set_fault(Fault.NONE)
    assert await recovered(api)


@pytest.mark.parametrize("personality", ["antminer-s19", "whatsminer-m30s"])
async def test_cancelled_poll_leaves_nothing_running(
    simulator: SimulatorFactory, personality: str
) -> None:
    """What an unload does to a poll in flight: the socket closed, no task behind it."""
    sim = await simulator(personality, jitter=False)
    api = make_api(sim, bound=5.0)
    await api.get_data()
    fds = open_fds()
    sim.set_fault(Fault.SILENT)
    poll = asyncio.create_task(api.get_data())
    await asyncio.sleep(0.1)
    assert client_tasks()  # the helper sees a poll's requests while they run
    poll.cancel()
    with pytest.raises(asyncio.CancelledError):
        await poll
    assert client_tasks() == []
    assert await settle_fds(fds) <= fds


@pytest.mark.parametrize("personality", MAC_REPORTERS)
async def test_another_miner_at_the_address(simulator: SimulatorFactory, personality: str) -> None:
    """The client reports the MAC that answered once it re-reads the identity; the old
    identity is never mixed with the new miner's figures after ``forget_identity``."""
    sim = await simulator(personality, jitter=False, password="root", web_port=0)
    api = api_class(PERSONALITIES[personality].family)(
        "127.0.0.1", sim.port or 4028, password="root", web_port=sim.web_port or 80, timeout=2.0
    )
    before = await api.get_data()
    assert before.mac is not None
    assert before.mac.lower().replace("-", ":") != "02:11:22:33:44:55"
    sim.mac = "02:11:22:33:44:55"
    api.forget_identity()
    after = await api.get_data()
    assert after.mac is not None
    assert after.mac.lower().replace("-", ":") == "02:11:22:33:44:55"
    await api.close()


async def test_concurrent_polls_under_fault_share_nothing(simulator: SimulatorFactory) -> None:
    """Many polls of one miner at once, the miner resetting: each fails alone, fds return."""
    sim = await simulator("antminer-s19", jitter=False)
    api = make_api(sim, bound=0.5)
    await api.get_data()
    fds = open_fds()
    sim.set_fault(Fault.RESET, fraction=0.3)
    results = await asyncio.gather(*(api.get_data() for _ in range(20)), return_exceptions=True)
    assert all(isinstance(result, APIConnectionError) for result in results), results
    assert client_tasks() == []
    assert await settle_fds(fds) <= fds
    sim.set_fault(Fault.NONE)
    assert await recovered(api)
