"""Controls that restart a TCP miner (Whatsminer API 2 and 3, LuxOS: a reboot, a restart of
the mining software) over real loopback sockets: firmware may go down before its answer is
out, resetting the connection or answering with nothing. A request that went out and was
dropped counts as accepted (``errors.accept_dropped``, the same rule as the REST firmwares);
a connection refused, a step before the control dropped (token, salt, session), or another
control dropped does not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pytest

from custom_components.asic_miner.api import APIConnectionError, LuxOSAPI, Miner
from custom_components.asic_miner.api.btminer import BTMinerAPI
from custom_components.asic_miner.api.errors import RequestDroppedError
from custom_components.asic_miner.api.whatsminer_v3 import WhatsminerV3API
from simulator import MinerSimulator

from .conftest import SimulatorFactory


@dataclass(frozen=True)
class Case:
    """A TCP firmware: its simulator, client and password, and its restart and reboot
    commands as ``sim.received`` names them."""

    personality: str
    cls: type[Miner]
    password: str | None
    restart: str
    reboot: str


CASES = [
    Case("whatsminer-m30s", BTMinerAPI, "admin", "restart_btminer", "reboot"),
    Case("whatsminer-v3", WhatsminerV3API, "super", "set.miner.service", "set.system.reboot"),
    Case("luxos", LuxOSAPI, None, "resetminer", "rebootdevice"),
]


@pytest.fixture(params=CASES, ids=[case.personality for case in CASES])
def case(request: pytest.FixtureRequest) -> Case:
    """Each TCP firmware whose restarts may lose their answer."""
    result: Case = request.param
    return result


async def started(simulator: SimulatorFactory, case: Case) -> tuple[MinerSimulator, Miner]:
    sim = await simulator(case.personality, jitter=False)
    sim.reboot_seconds = 0.2
    assert sim.port is not None
    api = case.cls("127.0.0.1", sim.port, password=case.password, timeout=2.0)
    await api.get_data()
    return sim, api


@pytest.mark.parametrize("reply", ["drop", "empty"])
async def test_a_restart_dropped_once_sent_is_accepted(
    simulator: SimulatorFactory, case: Case, reply: Literal["drop", "empty"]
) -> None:
    """Reset unanswered, or answered with the wire's empty message: done, no error."""
    sim, api = await started(simulator, case)
    sim.restart_reply = reply
    sim.received.clear()
    uptime = sim.state.uptime()
    await api.restart_backend()
    assert case.restart in sim.received  # delivered: the mining software restarted
    assert sim.state.uptime() <= uptime
    await api.reboot()
    assert case.reboot in sim.received
    assert sim.rebooting
    assert api.identity is None  # read again when the miner is back


async def test_a_restart_closed_without_a_byte_is_accepted(
    simulator: SimulatorFactory, case: Case
) -> None:
    """The connection closed without a byte once the command went out (the token or salt
    already at hand from a first control): accepted. LuxOS asks for its session first."""
    sim, api = await started(simulator, case)
    await api.set_fault_light(True)  # token / salt cached; LuxOS opens a session each time
    sim.set_fault("truncated", fraction=0.0)
    sim.received.clear()
    if case.personality == "luxos":
        with pytest.raises(APIConnectionError) as caught:  # its session step, not the reboot
            await api.reboot()
        assert not isinstance(caught.value, RequestDroppedError)
        assert case.reboot not in sim.received
        return
    await api.reboot()
    assert sim.received == [case.reboot]


async def test_a_step_before_the_control_dropped_is_an_error(
    simulator: SimulatorFactory, case: Case
) -> None:
    """The token, salt or session request dropped: the reboot never went out; an error."""
    sim, api = await started(simulator, case)
    sim.set_fault("truncated", fraction=0.0)
    sim.received.clear()
    with pytest.raises(APIConnectionError) as caught:
        await api.reboot()
    assert not isinstance(caught.value, RequestDroppedError)
    assert case.reboot not in sim.received
    assert case.restart not in sim.received


async def test_a_refused_connection_is_an_error(simulator: SimulatorFactory, case: Case) -> None:
    """Nothing listens: the restart and the reboot were never sent."""
    sim, api = await started(simulator, case)
    sim.set_fault("refuse")
    for control in (api.restart_backend, api.reboot):
        with pytest.raises(APIConnectionError) as caught:
            await control()
        assert not isinstance(caught.value, RequestDroppedError)


async def test_another_control_dropped_is_not_accepted(
    simulator: SimulatorFactory, case: Case
) -> None:
    """Only a restart may lose its answer: a pause dropped once sent is a failure."""
    sim, api = await started(simulator, case)
    await api.set_fault_light(True)
    sim.set_fault("reset", fraction=0.0)
    with pytest.raises(APIConnectionError):
        await api.pause_mining()
