"""``check_password``: the config flow's way to verify a password before saving it, over real
loopback sockets against the simulator (Whatsminer's encrypted API, the Antminer web CGI)."""

from __future__ import annotations

import pytest

from custom_components.asic_miner.api import (
    APIAuthError,
    APIConnectionError,
    APIPrivilegeDisabledError,
    BaseMinerAPI,
    BMMinerAPI,
    BTMinerAPI,
    CGMinerAPI,
    LuxOSAPI,
)
from simulator import Fault
from simulator.personalities import WhatsminerM30S

from .conftest import SimulatorFactory


async def test_btminer_right_password(simulator: SimulatorFactory) -> None:
    """A fresh token and one encrypted request the miner could decrypt."""
    sim = await simulator("whatsminer-m30s", password="s3cret")
    api = BTMinerAPI("127.0.0.1", sim.port, password="s3cret", timeout=1.0)
    assert await api.check_password() is None
    assert sim.received == ["get_token", "get_version"]
    # A cached token is not trusted: the check always asks for a new one.
    await api.check_password()
    assert sim.received.count("get_token") == 2


async def test_btminer_wrong_password(simulator: SimulatorFactory) -> None:
    """The miner cannot decrypt the request: APIAuthError."""
    sim = await simulator("whatsminer-m30s", password="s3cret")
    api = BTMinerAPI("127.0.0.1", sim.port, password="admin", timeout=1.0)
    with pytest.raises(APIAuthError):
        await api.check_password()


async def test_btminer_password_changed_on_the_miner(simulator: SimulatorFactory) -> None:
    """WRONG_PASSWORD fault (the owner changed it): APIAuthError."""
    sim = await simulator("whatsminer-m30s")
    api = BTMinerAPI("127.0.0.1", sim.port, password="admin", timeout=1.0)
    await api.check_password()
    sim.set_fault(Fault.WRONG_PASSWORD)
    with pytest.raises(APIAuthError):
        await api.check_password()


async def test_btminer_write_api_disabled(simulator: SimulatorFactory) -> None:
    """Write API off in WhatsminerTool: APIPrivilegeDisabledError, not an auth error."""
    sim = await simulator("whatsminer-m30s")
    personality = sim.personality
    assert isinstance(personality, WhatsminerM30S)
    personality.write_enabled = False
    api = BTMinerAPI("127.0.0.1", sim.port, password="admin", timeout=1.0)
    with pytest.raises(APIPrivilegeDisabledError):
        await api.check_password()


async def test_btminer_unreachable(simulator: SimulatorFactory) -> None:
    """Nothing listening: APIConnectionError."""
    sim = await simulator("whatsminer-m30s")
    api = BTMinerAPI("127.0.0.1", sim.port, password="admin", connect_timeout=0.5, timeout=0.5)
    sim.set_fault(Fault.REFUSE)
    with pytest.raises(APIConnectionError):
        await api.check_password()


async def test_bmminer_web_password(simulator: SimulatorFactory) -> None:
    """Digest-authenticated ``get_system_info.cgi``: right, then wrong password."""
    sim = await simulator("antminer-s19", web_port=0)
    assert sim.web_port is not None
    api = BMMinerAPI("127.0.0.1", sim.port, password="root", web_port=sim.web_port, timeout=1.0)
    await api.check_password()
    assert sim.received == ["get_system_info.cgi"]
    wrong = BMMinerAPI("127.0.0.1", sim.port, password="nope", web_port=sim.web_port, timeout=1.0)
    with pytest.raises(APIAuthError):
        await wrong.check_password()


async def test_bmminer_web_unreachable(simulator: SimulatorFactory) -> None:
    """The web port answers nothing (the API port is not HTTP): APIConnectionError."""
    sim = await simulator("antminer-s19", web_port=0)
    await sim.stop()
    api = BMMinerAPI("127.0.0.1", sim.port, password="root", web_port=sim.port, timeout=0.5)
    with pytest.raises(APIConnectionError):
        await api.check_password()


@pytest.mark.parametrize(
    ("cls", "personality", "password"),
    [
        (BTMinerAPI, "whatsminer-m30s", None),
        (BMMinerAPI, "antminer-s19", None),
        (LuxOSAPI, "luxos", "anything"),
        (CGMinerAPI, "cgminer-fork", "anything"),
    ],
)
async def test_nothing_to_check_sends_nothing(
    simulator: SimulatorFactory,
    cls: type[BaseMinerAPI],
    personality: str,
    password: str | None,
) -> None:
    """No password configured, or a family without one: a no-op that sends nothing."""
    sim = await simulator(personality)
    api = cls("127.0.0.1", sim.port, password=password, web_port=sim.port, timeout=0.5)
    assert await api.check_password() is None
    assert sim.received == []
