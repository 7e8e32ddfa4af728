"""The simulator keeps answering when a test changes the hardware under it: boards and fans
removed or added, and a frozen clock (freezegun) for uptime."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest

from simulator import BoardState, MinerSimulator, MinerState
from simulator.personalities import AntminerS9, AntminerS19


async def _ask(sim: MinerSimulator, command: str) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", sim.port)
    writer.write(json.dumps({"command": command}).encode())
    await writer.drain()
    raw = await reader.read()
    writer.close()
    await writer.wait_closed()
    return raw.rstrip(b"\x00")


def _miner_stats(raw: bytes) -> dict[str, Any]:
    """The second STATS object (the firmware writes ``}{`` between the two)."""
    text = raw.decode().replace("}{", "},{")
    stats: list[dict[str, Any]] = json.loads(text)["STATS"]
    return stats[1]


def test_uptime_follows_a_frozen_clock(freezer: FrozenDateTimeFactory) -> None:
    """``started_at`` is read from the patched clock, so uptime advances with ``tick``."""
    state = MinerState()
    assert state.uptime() == 0
    freezer.tick(90)
    assert state.uptime() == 90
    state.reset_uptime()
    assert state.uptime() == 0


@pytest.mark.parametrize(
    ("personality", "chains"), [("antminer-s19", (1, 2, 3)), ("antminer-s9", (6, 7, 8))]
)
async def test_antminer_board_removed_is_an_empty_chain(
    personality: str, chains: tuple[int, int, int]
) -> None:
    """A board taken out leaves its chain listed with no chips and no rate."""
    async with MinerSimulator(personality, jitter=False) as sim:
        removed = sim.state.boards.pop()
        stats = _miner_stats(await _ask(sim, "stats"))
        assert stats[f"chain_acn{chains[0]}"] == removed.chips
        assert stats[f"chain_acn{chains[2]}"] == 0
        assert stats[f"chain_rate{chains[2]}"] == ""
        assert stats["miner_count"] == 2
        sim.state.boards.clear()
        stats = _miner_stats(await _ask(sim, "stats"))
        assert [stats[f"chain_acn{chain}"] for chain in chains] == [0, 0, 0]
        assert stats["total_acn"] == 0


@pytest.mark.parametrize("cls", [AntminerS19, AntminerS9])
async def test_antminer_extra_board_gets_the_next_chain(
    cls: type[AntminerS19 | AntminerS9],
) -> None:
    """A fourth board is reported on the chain after the model's last one."""
    async with MinerSimulator(cls.name, jitter=False) as sim:
        sim.state.boards.append(
            BoardState(hashrate=10.0, temperature=50.0, chip_temperature=60.0, chips=40)
        )
        stats = _miner_stats(await _ask(sim, "stats"))
        assert stats[f"chain_acn{cls.chains[-1] + 1}"] == 40
        assert float(stats[f"chain_rate{cls.chains[-1] + 1}"]) == 10000.0


@pytest.mark.parametrize("personality", ["whatsminer-m30s", "antminer-s19", "goldshell"])
async def test_fan_removed_reads_zero(personality: str) -> None:
    """A fan slot without a fan reads 0 rpm instead of failing the reply."""
    async with MinerSimulator(personality, jitter=False) as sim:
        sim.state.fans.clear()
        raw = await _ask(sim, "stats" if personality == "antminer-s19" else "summary")
        assert b'"STATUS"' in raw
        if personality == "whatsminer-m30s":
            summary = json.loads(raw)["SUMMARY"][0]
            assert summary["Fan Speed In"] == 0
            assert summary["Fan Speed Out"] == 0
