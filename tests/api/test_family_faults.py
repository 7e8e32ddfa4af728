"""Every simulator fault against the Whatsminer, Braiins OS and LuxOS clients (polls and,
for Whatsminer, the encrypted privileged API): an ``APIError`` of the right kind within the
bound, no descriptor leak, and recovery once the fault clears."""

from __future__ import annotations

import asyncio

import pytest

from custom_components.asic_miner.api.base import BaseMinerAPI
from custom_components.asic_miner.api.bosminer import BOSMinerAPI
from custom_components.asic_miner.api.btminer import BTMinerAPI
from custom_components.asic_miner.api.errors import APIAuthError
from custom_components.asic_miner.api.luxos import LuxOSAPI
from simulator import Fault
from tests.faults import CLIENT_ERRORS, FAULTS, open_fds, settle_fds

from .conftest import SimulatorFactory

FAMILIES: dict[str, type[BaseMinerAPI]] = {
    "whatsminer-m30s": BTMinerAPI,
    "whatsminer-m50s": BTMinerAPI,
    "braiins-os": BOSMinerAPI,
    "luxos": LuxOSAPI,
}


def _api(cls: type[BaseMinerAPI], port: int) -> BaseMinerAPI:
    return cls("127.0.0.1", port, connect_timeout=0.3, timeout=0.3, max_reply_bytes=256 * 1024)


@pytest.mark.parametrize("fault", list(FAULTS), ids=str)
@pytest.mark.parametrize("personality", list(FAMILIES))
async def test_poll_fault(simulator: SimulatorFactory, personality: str, fault: Fault) -> None:
    """A faulty miner ends each poll in the expected APIError, quickly and without leaks."""
    params, error = FAULTS[fault], CLIENT_ERRORS[fault]
    sim = await simulator(personality)
    api = _api(FAMILIES[personality], sim.port)
    assert (await api.get_data()).hashrate
    before = open_fds()
    sim.set_fault(fault, **params)
    await asyncio.sleep(0)
    loop = asyncio.get_running_loop()
    for _ in range(2):
        start = loop.time()
        with pytest.raises(error):
            await api.get_data()
        assert loop.time() - start < 2.0
    assert await settle_fds(before) <= before
    sim.set_fault(Fault.NONE)
    assert (await api.get_data()).hashrate


@pytest.mark.parametrize("fault", list(FAULTS), ids=str)
async def test_privileged_fault(simulator: SimulatorFactory, fault: Fault) -> None:
    """The encrypted API under every fault: an APIError, never a hang or a crash."""
    params, error = FAULTS[fault], CLIENT_ERRORS[fault]
    sim = await simulator("whatsminer-m30s")
    api = _api(BTMinerAPI, sim.port)
    before = open_fds()
    sim.set_fault(fault, **params)
    await asyncio.sleep(0)
    with pytest.raises(error):
        await api.set_fault_light(True)
    assert await settle_fds(before) <= before
    sim.set_fault(Fault.NONE)
    await api.set_fault_light(True)
    assert sim.state.fault_light


async def test_wrong_password_fault_does_not_touch_reads(simulator: SimulatorFactory) -> None:
    """WRONG_PASSWORD: controls fail with APIAuthError, polling goes on."""
    sim = await simulator("whatsminer-m30s")
    api = _api(BTMinerAPI, sim.port)
    sim.set_fault(Fault.WRONG_PASSWORD)
    with pytest.raises(APIAuthError):
        await api.pause_mining()
    assert not sim.state.paused
    assert (await api.get_data()).is_mining
