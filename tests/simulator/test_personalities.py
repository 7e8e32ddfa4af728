"""Simulator personalities and state: controls change state, replies follow the state."""

from __future__ import annotations

import asyncio
import json
import struct
from typing import Any

import pytest

from simulator import PERSONALITIES, BoardState, Fault, MinerSimulator, MinerState
from simulator.personality import Personality

REAL = sorted(name for name in PERSONALITIES if not name.startswith("test-"))
#: Personalities with a TCP API on their API port (the others are HTTP only).
TCP = [name for name in REAL if PERSONALITIES[name].api_protocol == "tcp"]


async def ask(port: int, payload: dict[str, Any] | bytes, *, eof: bool = False) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(payload if isinstance(payload, bytes) else json.dumps(payload).encode())
        if eof:
            writer.write_eof()
        await writer.drain()
        async with asyncio.timeout(2):
            return await reader.read()
    finally:
        writer.close()
        await writer.wait_closed()


@pytest.mark.parametrize("name", TCP)
async def test_every_personality_serves_its_state(name: str) -> None:
    cls = PERSONALITIES[name]
    state = cls.initial_state()
    assert state.boards, name
    assert state.pools, name
    async with MinerSimulator(name, seed=1) as sim:
        if cls.family == "btminer-v3":  # length-prefixed JSON, not cgminer's framing
            body = json.dumps({"cmd": "get.miner.status", "param": "summary"}).encode()
            raw = await ask(sim.port, struct.pack("<I", len(body)) + body)
            assert json.loads(raw[4:])["msg"]["summary"]["elapsed"] >= 0
            assert sim.received[-1] == "get.miner.status"
            return
        raw = await ask(sim.port, {"command": "summary"})
        assert raw, name
        assert sim.received[-1] == "summary"


def test_state_power_and_hashrate() -> None:
    state = MinerState(
        nominal_power=1000,
        idle_power=10,
        jitter=False,
        boards=[BoardState(hashrate=5, temperature=60, chip_temperature=70, chips=10)] * 2,
        fans=[3000],
    )
    assert state.nominal_hashrate == 10
    assert state.current_hashrate() == 10
    assert state.current_power() == 1000
    state.power_limit = 500
    assert state.current_hashrate() == 5
    assert state.current_power() == 500
    state.work_mode = "low"
    assert state.current_power() == 500  # min(0.5, 0.7)
    state.power_limit = None
    assert state.current_power() == 700
    state.work_mode = "sleep"
    assert state.current_hashrate() == 0
    assert state.current_power() == 10
    assert state.board_temperature(state.boards[0]) == 30.0
    assert state.chip_temperature(state.boards[0]) == 32.0
    assert state.fan_rpm(0) == 1000
    state.work_mode = None
    state.paused = True
    assert not state.is_mining
    state.paused = False
    dead = BoardState(hashrate=5, temperature=60, chip_temperature=70, chips=10, alive=False)
    assert state.board_hashrate(dead) == 0
    assert state.board_temperature(state.boards[0]) == 60
    assert state.chip_temperature(state.boards[0]) == 70


def test_seeded_jitter_is_reproducible() -> None:
    one = MinerState(seed=7, boards=[BoardState(5, 60, 70, 10)])
    two = MinerState(seed=7, boards=[BoardState(5, 60, 70, 10)])
    assert one.current_hashrate() == two.current_hashrate()
    assert one.current_hashrate() != 5  # jitter on


def test_personality_request_handling() -> None:
    sim = MinerSimulator("cgminer-fork")
    personality = sim.personality
    missing = personality.handle_request({"parameter": 1})
    assert isinstance(missing, dict)
    assert missing["STATUS"][0]["Msg"] == "Missing JSON 'command'"
    bad = personality.handle("not an identifier!", None)
    assert isinstance(bad, dict)
    assert bad["STATUS"][0]["STATUS"] == "E"
    assert personality.encode({"a": 1}) == b'{"a": 1}\x00'
    assert personality.encode(b"raw") == b"raw\x00"
    assert isinstance(personality, Personality)


async def test_cannot_batch_personality() -> None:
    async with MinerSimulator("antminer-s19") as sim:
        reply = json.loads((await ask(sim.port, {"command": "summary+pools"})).rstrip(b"\0"))
        assert reply["STATUS"][0]["Msg"] == "Invalid command"
        assert sim.received == ["summary+pools"]


async def test_s9_stats_quirk_on_the_wire() -> None:
    async with MinerSimulator("antminer-s9") as sim:
        raw = await ask(sim.port, {"command": "stats"})
        assert b'"Type": "Antminer S9"}{"STATS": 0' in raw
        with pytest.raises(json.JSONDecodeError):
            json.loads(raw.rstrip(b"\0"))


async def test_bad_requests() -> None:
    async with MinerSimulator("cgminer-fork") as sim:
        assert b"Missing JSON" in await ask(sim.port, b'{"command": ', eof=True)
        assert b"Missing JSON" in await ask(sim.port, b'{"x": 1}')
        assert b"Missing JSON" in await ask(sim.port, b'{"x": [1, ', eof=True)
        assert b"Invalid command" in await ask(sim.port, b"nonsense|")
        reader, writer = await asyncio.open_connection("127.0.0.1", sim.port)
        writer.write_eof()
        assert await reader.read() == b""
        writer.close()


async def test_mac_swap_and_offline() -> None:
    async with MinerSimulator("avalon") as sim:
        assert not sim.offline
        sim.mac = "02:00:00:00:00:99"
        assert sim.state.mac == "02:00:00:00:00:99"
        assert sim.mac == "02:00:00:00:00:99"
        raw = await ask(sim.port, {"command": "version"})
        assert b'"MAC": "020000000099"' in raw
        sim.set_fault(Fault.REFUSE)
        assert sim.offline
        sim.set_fault("none")
        assert not sim.offline


async def test_reboot_fault_restarts_and_clears() -> None:
    async with MinerSimulator("cgminer-fork") as sim:
        sim.state.started_at -= 100
        sim.set_fault(Fault.REBOOT, seconds=0.2)
        await asyncio.sleep(0.05)
        with pytest.raises(ConnectionRefusedError):
            await asyncio.open_connection("127.0.0.1", sim.port)
        await asyncio.sleep(0.3)
        assert sim.fault is Fault.NONE
        assert sim.state.uptime() < 5
        assert await ask(sim.port, {"command": "summary"})


async def test_stop_during_reboot() -> None:
    sim = MinerSimulator("cgminer-fork")
    await sim.start()
    sim.set_fault(Fault.REBOOT, seconds=10)
    await asyncio.sleep(0.05)
    await asyncio.wait_for(sim.stop(), 2)


async def test_oversized_respects_limit() -> None:
    async with MinerSimulator("cgminer-fork") as sim:
        sim.set_fault(Fault.OVERSIZED, limit=200_000)
        raw = await ask(sim.port, {"command": "summary"})
        assert len(raw) > 200_000


async def test_web_reboot_restores_web_port() -> None:
    async with MinerSimulator("antminer-s19", web_port=0) as sim:
        web_port = sim.web_port
        sim.set_fault(Fault.REBOOT, seconds=0.2)
        await asyncio.sleep(0.1)
        assert sim.offline
        await asyncio.sleep(0.4)
        assert not sim.offline
        assert sim.web_port == web_port
        _reader, writer = await asyncio.open_connection("127.0.0.1", web_port)
        writer.close()
        await writer.wait_closed()


def test_unknown_personality() -> None:
    with pytest.raises(ValueError, match="known: "):
        MinerSimulator("antminer-s21")
