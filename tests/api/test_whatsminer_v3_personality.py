"""Whatsminer API v3 served by ``MinerSimulator`` (the ``whatsminer-v3`` personality through
the framing hook) and found by ``detect_api``: the v3 probe, its port rules and its bound."""

from __future__ import annotations

import asyncio
import json
import socket

import pytest

from custom_components.asic_miner.api import (
    APIAuthError,
    APIConnectionError,
    BMMinerAPI,
    WhatsminerV3API,
    api_class,
    detect as detect_module,
    detect_api,
)
from simulator import Fault, MinerSimulator

from .conftest import SimulatorFactory


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _api(sim: MinerSimulator, **kwargs: object) -> WhatsminerV3API:
    return WhatsminerV3API(
        "127.0.0.1",
        sim.port,
        timeout=1.0,
        connect_timeout=0.5,
        **kwargs,  # type: ignore[arg-type]
    )


async def test_family_is_known() -> None:
    """``btminer-v3`` is a stored family like the others."""
    assert api_class("btminer-v3") is WhatsminerV3API


async def test_personality_polls_and_controls(simulator: SimulatorFactory) -> None:
    """The personality serves the v3 client: poll, signed pause and resume, reboot."""
    sim = await simulator("whatsminer-v3", jitter=False)
    sim.reboot_seconds = 0.3
    api = _api(sim)
    data = await api.get_data()
    assert data.model == "M60S"
    assert data.hashrate == pytest.approx(186.0)
    assert data.is_mining is True
    await api.pause_mining()
    assert sim.state.paused
    assert (await api.get_data()).hashrate == 0
    await api.resume_mining()
    assert not sim.state.paused
    await api.reboot()
    for _ in range(40):  # offline once the reply is out
        if sim.offline:
            break
        await asyncio.sleep(0.02)
    with pytest.raises(APIConnectionError):
        await api.get_device_info()
    for _ in range(40):  # back after reboot_seconds
        await asyncio.sleep(0.05)
        if not sim.offline:
            break
    assert (await api.get_data()).uptime == 0
    assert "set.system.reboot" in sim.received


async def test_personality_wrong_password(simulator: SimulatorFactory) -> None:
    """The server's WRONG_PASSWORD fault rejects the signature: APIAuthError."""
    sim = await simulator("whatsminer-v3")
    sim.set_fault(Fault.WRONG_PASSWORD)
    with pytest.raises(APIAuthError):
        await _api(sim).pause_mining()
    assert not sim.state.paused


async def test_unframed_request_is_closed_unanswered(simulator: SimulatorFactory) -> None:
    """A cgminer request reads as an absurd frame length: closed without a reply."""
    sim = await simulator("whatsminer-v3")
    reader, writer = await asyncio.open_connection("127.0.0.1", sim.port)
    writer.write(json.dumps({"command": "version"}).encode())
    await writer.drain()
    async with asyncio.timeout(2):
        assert await reader.read() == b""
    writer.close()
    await writer.wait_closed()
    assert sim.received == []


async def test_detect_on_the_given_port(simulator: SimulatorFactory) -> None:
    """A v3 miner on a non-default port is found there; password and web port carried."""
    sim = await simulator("whatsminer-v3")
    api = await detect_api("127.0.0.1", sim.port, timeout=2.0, password="pw", web_port=81)
    assert type(api) is WhatsminerV3API
    assert (api.port, api.password, api.web_port) == (sim.port, "pw", 81)


async def test_detect_default_port_falls_back_to_v3_port(
    simulator: SimulatorFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given the cgminer port with no miner behind it, the v3 port answers: its client."""
    v3 = await simulator("whatsminer-v3")
    cgminer_port = _free_port()
    monkeypatch.setattr(detect_module, "CGMINER_PORT", cgminer_port)
    monkeypatch.setattr(detect_module, "V3_PORT", v3.port)
    api = await detect_api("127.0.0.1", cgminer_port, timeout=2.0)
    assert type(api) is WhatsminerV3API
    assert api.port == v3.port
    assert v3.received == ["get.device.info"]


async def test_detect_unknown_cgminer_waits_for_v3(
    simulator: SimulatorFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unidentified cgminer-like answer loses to a v3 answer on the v3 port."""
    fork = await simulator("cgminer-fork")
    v3 = await simulator("whatsminer-v3")
    monkeypatch.setattr(detect_module, "CGMINER_PORT", fork.port)
    monkeypatch.setattr(detect_module, "V3_PORT", v3.port)
    api = await detect_api("127.0.0.1", fork.port, timeout=2.0)
    assert type(api) is WhatsminerV3API
    assert api.port == v3.port


async def test_detect_known_cgminer_family_wins(
    simulator: SimulatorFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An identified family on the cgminer port is kept even when v3 also answers."""
    antminer = await simulator("antminer-s19")
    v3 = await simulator("whatsminer-v3")
    monkeypatch.setattr(detect_module, "CGMINER_PORT", antminer.port)
    monkeypatch.setattr(detect_module, "V3_PORT", v3.port)
    api = await detect_api("127.0.0.1", antminer.port, timeout=2.0)
    assert type(api) is BMMinerAPI
    assert api.port == antminer.port


async def test_detect_v3_port_skips_cgminer_probes(
    simulator: SimulatorFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given the v3 port itself, only the framed probe is sent."""
    v3 = await simulator("whatsminer-v3")
    monkeypatch.setattr(detect_module, "V3_PORT", v3.port)
    api = await detect_api("127.0.0.1", v3.port, timeout=2.0)
    assert type(api) is WhatsminerV3API
    assert v3.requests == ["get.device.info"]


async def test_detect_silent_v3_is_bounded(
    simulator: SimulatorFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing on the cgminer port and a v3 port that never answers: APIConnectionError."""
    v3 = await simulator("whatsminer-v3")
    v3.set_fault(Fault.SILENT)
    cgminer_port = _free_port()
    monkeypatch.setattr(detect_module, "CGMINER_PORT", cgminer_port)
    monkeypatch.setattr(detect_module, "V3_PORT", v3.port)
    with pytest.raises(APIConnectionError, match="no answer within"):
        await detect_api("127.0.0.1", cgminer_port, timeout=0.5)
