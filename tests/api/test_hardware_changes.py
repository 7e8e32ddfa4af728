"""Polls stay correct when the hardware changes under the client: a hash board unplugged
(its chain reported empty) or a fan gone, over real loopback sockets."""

from __future__ import annotations

import pytest

from custom_components.asic_miner.api.bmminer import BMMinerAPI
from custom_components.asic_miner.api.btminer import BTMinerAPI
from simulator import BoardState
from simulator.personalities import AntminerS19

from .conftest import SimulatorFactory


class _S19MiddleChainEmpty(AntminerS19):
    """An S19 whose second chain is unplugged (the firmware lists it with nothing on it)."""

    def chain_slots(self) -> list[tuple[int, BoardState | None]]:
        return [(chain, None if chain == 2 else board) for chain, board in super().chain_slots()]


@pytest.mark.parametrize("personality", ["antminer-s19", "antminer-s9"])
async def test_last_board_removed_is_missing(simulator: SimulatorFactory, personality: str) -> None:
    """The last board taken out: two boards remain and the total drops by a third."""
    sim = await simulator(personality, jitter=False)
    api = BMMinerAPI("127.0.0.1", sim.port, timeout=1.0)
    before = await api.get_data()
    assert [board.index for board in before.boards] == [0, 1, 2]
    sim.state.boards.pop()
    data = await api.get_data()
    assert [board.index for board in data.boards] == [0, 1]
    assert before.hashrate is not None
    assert data.hashrate == pytest.approx(before.hashrate * 2 / 3, rel=1e-3)


async def test_middle_board_missing_keeps_the_others_indices(
    simulator: SimulatorFactory,
) -> None:
    """Chain 2 empty: boards 0 and 2 remain; board 2 is not renumbered to 1."""
    sim = await simulator("antminer-s19", jitter=False)
    sim.personality = _S19MiddleChainEmpty(sim, sim.state)
    api = BMMinerAPI("127.0.0.1", sim.port, timeout=1.0)
    data = await api.get_data()
    assert [board.index for board in data.boards] == [0, 2]
    assert [board.chips for board in data.boards] == [76, 76]


async def test_board_added_appears(simulator: SimulatorFactory) -> None:
    """A board added to the miner shows up as the next index."""
    sim = await simulator("antminer-s19", jitter=False)
    api = BMMinerAPI("127.0.0.1", sim.port, timeout=1.0)
    sim.state.boards.append(sim.state.boards[0])
    data = await api.get_data()
    assert [board.index for board in data.boards] == [0, 1, 2, 3]


async def test_whatsminer_fan_removed_reads_zero(simulator: SimulatorFactory) -> None:
    """A Whatsminer with its exhaust fan gone still polls; that fan reads 0 rpm."""
    sim = await simulator("whatsminer-m30s", jitter=False)
    api = BTMinerAPI("127.0.0.1", sim.port, timeout=1.0)
    sim.state.fans.pop()
    data = await api.get_data()
    assert [fan.rpm for fan in data.fans] == [5400, 0]
