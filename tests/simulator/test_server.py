"""The simulator over real loopback sockets, spoken to with plain asyncio streams."""

from __future__ import annotations

import asyncio
import json
import struct

import pytest

from simulator import PERSONALITIES, Fault, MinerSimulator


async def _raw(port: int, payload: bytes, timeout: float = 2.0) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(payload)
        await writer.drain()
        async with asyncio.timeout(timeout):
            return await reader.read()
    finally:
        writer.close()
        await writer.wait_closed()


async def _ask(port: int, command: str) -> dict:
    raw = await _raw(port, json.dumps({"command": command}).encode())
    assert raw.endswith(b"\x00")
    return json.loads(raw.rstrip(b"\x00"))


async def test_summary_and_received() -> None:
    async with MinerSimulator("cgminer-fork", jitter=False) as sim:
        reply = await _ask(sim.port, "summary")
        assert reply["STATUS"][0]["STATUS"] == "S"
        assert reply["SUMMARY"][0]["MHS 5s"] == pytest.approx(12_000_000)
        assert sim.received == ["summary"]


async def test_invalid_command() -> None:
    async with MinerSimulator("cgminer-fork") as sim:
        reply = await _ask(sim.port, "nonsense")
        assert reply["STATUS"][0]["STATUS"] == "E"
        assert reply["STATUS"][0]["Msg"] == "Invalid command"


async def test_multicommand_merges() -> None:
    async with MinerSimulator("cgminer-fork") as sim:
        reply = await _ask(sim.port, "summary+pools")
        assert set(reply) == {"summary", "pools", "id"}
        assert reply["pools"][0]["POOLS"][0]["User"] == "worker.fork"


async def test_plain_text_request() -> None:
    async with MinerSimulator("cgminer-fork") as sim:
        raw = await _raw(sim.port, b"version|")
        assert b"SGMiner" in raw


async def test_refuse_then_back() -> None:
    async with MinerSimulator("cgminer-fork") as sim:
        sim.set_fault(Fault.REFUSE)
        with pytest.raises(ConnectionRefusedError):
            await asyncio.open_connection("127.0.0.1", sim.port)
        sim.set_fault(Fault.NONE)
        assert (await _ask(sim.port, "version"))["VERSION"]


async def test_rebooting_from_the_command_until_back() -> None:
    """A reboot command is answered first: the miner still answers for a moment, and only
    ``rebooting`` says that it is about to go down; it holds until the miner is back."""
    async with MinerSimulator("cgminer-fork") as sim:
        assert not sim.rebooting
        sim.reboot(0.2)  # what a personality's reboot command does after answering
        assert sim.rebooting
        assert not sim.offline
        assert (await _ask(sim.port, "version"))["VERSION"]  # not down yet
        async with asyncio.timeout(2):
            while not sim.offline:
                await asyncio.sleep(0.01)
            assert sim.rebooting
            while sim.rebooting:
                await asyncio.sleep(0.01)
        assert not sim.offline
        assert (await _ask(sim.port, "version"))["VERSION"]

        sim.set_fault(Fault.REBOOT, seconds=0.1)
        assert sim.rebooting
        assert sim.offline
        async with asyncio.timeout(2):
            while sim.rebooting:
                await asyncio.sleep(0.01)
        assert not sim.offline


async def test_paused_state_drops_hashrate() -> None:
    async with MinerSimulator("cgminer-fork", seed=1) as sim:
        sim.state.paused = True
        reply = await _ask(sim.port, "summary")
        assert reply["SUMMARY"][0]["MHS 5s"] == 0
        assert sim.state.current_power() == sim.state.idle_power


def test_registry() -> None:
    assert "cgminer-fork" in PERSONALITIES
    with pytest.raises(ValueError, match="unknown personality"):
        MinerSimulator("nope")


async def test_v3_faults_keep_the_frame() -> None:
    """Whatsminer API v3's own fault bytes: GARBAGE is a well-framed frame of noise, OVERSIZED
    a header announcing the whole size; TRUNCATED cuts the frame."""
    async with MinerSimulator("whatsminer-v3") as sim:
        body = json.dumps({"cmd": "get.device.info"}).encode()
        request = struct.pack("<I", len(body)) + body
        sim.set_fault(Fault.GARBAGE, size=64)
        raw = await _raw(sim.port, request)
        assert struct.unpack("<I", raw[:4])[0] == len(raw) - 4 == 65
        with pytest.raises(UnicodeDecodeError):
            json.loads(raw[4:])
        sim.set_fault(Fault.OVERSIZED, limit=200_000)
        raw = await _raw(sim.port, request)
        assert struct.unpack("<I", raw[:4])[0] == 200_000
        assert raw[4:].startswith(b'{"code":0,"msg":"AAAA')
        assert sim.received == []
        sim.set_fault(Fault.TRUNCATED, fraction=0.5)
        raw = await _raw(sim.port, request)
        assert struct.unpack("<I", raw[:4])[0] > len(raw) - 4 > 0
        assert sim.received == ["get.device.info"]
        assert sim.requests == ["get.device.info"]


def test_table_holds_only_real_personalities() -> None:
    """The table is explicit; a test's own personality is served from its class."""
    assert all(not name.startswith("test-") for name in PERSONALITIES)
    assert all(cls.name == name for name, cls in PERSONALITIES.items())


async def test_v3_frame_without_json() -> None:
    """A well-framed request that is not JSON is answered as an unknown command."""
    async with MinerSimulator("whatsminer-v3") as sim:
        raw = await _raw(sim.port, struct.pack("<I", 4) + b"{bad")
        assert json.loads(raw[4:])["code"] == -2
