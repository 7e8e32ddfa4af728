"""Every simulator fault against the real client: an ``APIError`` within the bound, no fd leak."""

from __future__ import annotations

import asyncio

import pytest

from custom_components.asic_miner.api import (
    APIAuthError,
    APIConnectionError,
    BMMinerAPI,
    CGMinerAPI,
)
from simulator import Fault
from tests.faults import CLIENT_ERRORS, FAULTS, open_fds, settle_fds

from .conftest import SimulatorFactory

#: fault -> the message fragment that says what happened
MESSAGES: dict[Fault, str] = {
    Fault.REFUSE: "cannot connect",
    Fault.SILENT: "no complete reply within 0.3 s",
    Fault.TRICKLE: "no complete reply within 0.3 s",
    Fault.RESET: "connection failed after",
    Fault.GARBAGE: "unreadable reply",
    Fault.TRUNCATED: "cut short",
    Fault.OVERSIZED: "larger than 262144 bytes",
    Fault.REBOOT: "cannot connect",
}


def make_api(port: int) -> CGMinerAPI:
    return CGMinerAPI(
        "127.0.0.1", port, connect_timeout=0.3, timeout=0.3, max_reply_bytes=256 * 1024
    )


@pytest.mark.parametrize("fault", list(FAULTS), ids=str)
async def test_fault_ends_in_api_error(simulator: SimulatorFactory, fault: Fault) -> None:
    params, error, fragment = FAULTS[fault], CLIENT_ERRORS[fault], MESSAGES[fault]
    sim = await simulator("cgminer-fork")
    api = make_api(sim.port)
    await api.get_data()  # healthy first; also warms up the loop's own descriptors
    before = open_fds()
    sim.set_fault(fault, **params)
    loop = asyncio.get_running_loop()
    for _ in range(3):
        start = loop.time()
        with pytest.raises(error, match=fragment):
            await api.get_data()
        assert loop.time() - start < 2.0  # within the bound, with a wide margin
    assert await settle_fds(before) <= before
    sim.set_fault(Fault.NONE)
    api.connect_timeout = api.timeout = 5.0  # recovery is not about the bound: no load flakes
    assert (await api.get_data()).hashrate is not None  # recovers once the fault clears


async def test_fault_none_is_healthy(simulator: SimulatorFactory) -> None:
    sim = await simulator("cgminer-fork")
    sim.set_fault(Fault.NONE)
    assert (await make_api(sim.port).get_data()).is_mining


async def test_trickle_within_bound_succeeds(simulator: SimulatorFactory) -> None:
    sim = await simulator("cgminer-fork")
    api = CGMinerAPI("127.0.0.1", sim.port, timeout=5.0)
    sim.set_fault(Fault.TRICKLE, interval=0.001)
    reply = await api.send_command("version")
    assert reply["VERSION"][0]["SGMiner"] == "5.6.1"


async def test_reboot_comes_back_with_uptime_reset(simulator: SimulatorFactory) -> None:
    sim = await simulator("cgminer-fork")
    sim.state.started_at -= 1000
    api = make_api(sim.port)
    assert (await api.get_data()).uptime >= 1000  # type: ignore[operator]
    sim.set_fault(Fault.REBOOT, seconds=0.3)
    with pytest.raises(APIConnectionError):
        await api.get_data()
    await asyncio.sleep(0.4)
    assert sim.fault is Fault.NONE
    data = await api.get_data()
    assert data.uptime is not None
    assert data.uptime < 5


async def test_wrong_password_web(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19", web_port=0)
    assert sim.web_port is not None
    api = BMMinerAPI("127.0.0.1", sim.port, password="root", web_port=sim.web_port, timeout=1.0)
    sim.set_fault(Fault.WRONG_PASSWORD)
    with pytest.raises(APIAuthError):
        await api.pause_mining()
    assert not sim.state.paused
    data = await CGMinerAPI("127.0.0.1", sim.port).send_command("summary")
    assert data["SUMMARY"]  # the read-only API is unaffected


async def test_cancelled_poll_leaves_no_socket(simulator: SimulatorFactory) -> None:
    sim = await simulator("cgminer-fork")
    api = CGMinerAPI("127.0.0.1", sim.port, timeout=30)
    await api.get_data()
    before = open_fds()
    sim.set_fault(Fault.SILENT)
    task = asyncio.ensure_future(api.get_data())
    await asyncio.sleep(0.1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await settle_fds(before) <= before
