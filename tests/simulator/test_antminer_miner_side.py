"""Changes made "on the miner" in a test, as a stock Antminer reports them: the work mode set
on its own web page (``sim.state.work_mode``) and a fan that dies (``sim.state.fans[i] = 0``).
Read back over loopback: the cgminer API and the digest-protected web CGI."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest

from simulator import MinerSimulator


async def _stats(sim: MinerSimulator) -> dict[str, Any]:
    """The miner object of ``stats`` (the S9 writes ``}{`` between the two)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", sim.port)
    writer.write(b'{"command":"stats"}')
    await writer.drain()
    raw = (await reader.read()).rstrip(b"\x00")
    writer.close()
    await writer.wait_closed()
    entries: list[dict[str, Any]] = json.loads(raw.decode().replace("}{", "},{"))["STATS"]
    return entries[1]


async def _work_mode_code(sim: MinerSimulator) -> str | None:
    url = f"http://127.0.0.1:{sim.web_port}/cgi-bin/get_miner_conf.cgi"
    auth = aiohttp.DigestAuthMiddleware("root", "root")
    async with aiohttp.ClientSession() as session, session.get(url, middlewares=(auth,)) as reply:
        assert reply.status == 200
        conf: dict[str, Any] = json.loads(await reply.text())
    mode = conf.get("bitmain-work-mode")
    return None if mode is None else str(mode)


@pytest.mark.parametrize(
    ("personality", "modern"), [("antminer-s19", True), ("antminer-s9", False)]
)
async def test_work_mode_changed_on_the_miner(personality: str, modern: bool) -> None:
    """The web configuration reports ``state.work_mode`` (the S9 generation's has no work
    mode); asleep, the boards stop hashing and ``stats`` reads as a sleeping T17+ does
    (``Mode`` 254, every chain and fan empty)."""
    async with MinerSimulator(personality, web_port=0, jitter=False) as sim:

        async def code(expected: str) -> None:
            assert await _work_mode_code(sim) == (expected if modern else None)

        await code("0")
        sim.state.work_mode = "low"
        await code("3")
        assert float((await _stats(sim))["GHS 5s"]) > 0
        sim.state.work_mode = "high"
        await code("2")
        sim.state.work_mode = "sleep"
        await code("1")
        stats = await _stats(sim)
        assert float(stats["GHS 5s"]) == 0
        assert stats["Mode"] == 254
        assert stats["fan_num"] == 0
        assert stats["total_rateideal"] == 0
        assert not any(stats[f"chain_acn{chain}"] for chain in range(1, 5))
        assert not any(v for k, v in stats.items() if k.startswith("fan") and k != "fan_num")
        sim.state.work_mode = "normal"
        await code("0")


async def test_s9_dead_fan_reads_zero_in_its_slot() -> None:
    """The S9 lists eight slots for its two fans (3 and 6): a dead fan reads 0 in its own
    slot, the other fan stays in its slot, ``fan_num`` is unchanged."""
    async with MinerSimulator("antminer-s9", jitter=False) as sim:
        stats = await _stats(sim)
        assert [stats[f"fan{slot}"] for slot in range(1, 9)] == [0, 0, 5880, 0, 0, 5760, 0, 0]
        sim.state.fans[0] = 0
        stats = await _stats(sim)
        assert [stats[f"fan{slot}"] for slot in range(1, 9)] == [0, 0, 0, 0, 0, 5760, 0, 0]
        assert stats["fan_num"] == 2


async def test_s19_dead_fan_reads_zero() -> None:
    """The S19 lists exactly its four slots: a dead one reads 0 among them."""
    async with MinerSimulator("antminer-s19", jitter=False) as sim:
        sim.state.fans[1] = 0
        stats = await _stats(sim)
        assert [stats[f"fan{slot}"] for slot in range(1, 5)] == [5520, 0, 5640, 5460]
        assert "fan5" not in stats
        assert stats["fan_num"] == 4
