"""VNish and other firmwares that keep Bitmain's driver, over their CGMiner API: detected by
what ``version`` says, read with the Antminer ``stats`` layout (``antminer_stats``)."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from custom_components.asic_miner.api import APIWarning, UnknownAPI, VNishAPI, detect_api
from simulator.personalities import AntminerS9
from simulator.personality import Reply
from simulator.state import PoolState

from .conftest import SimulatorFactory, closed_port


class VNishS9(AntminerS9):
    """An S9 on VNish 3.8.6 (as the real capture): ``CGMiner`` 4.11.1 in ``version``,
    ``Cgminer`` in the ``stats`` header, ``Type "Antminer S9 (vnish 3.8.6)"``, fans in slots 5
    and 6, VNish's own chain fields, a dev-fee pool."""

    name: ClassVar[str] = "test-vnish-s9"
    family: ClassVar[str] = "vnish"
    has_web: ClassVar[bool] = False
    software: ClassVar[str] = "CGMiner"
    stats_software: ClassVar[str | None] = "Cgminer"
    software_version: ClassVar[str] = "4.11.1"
    api_version: ClassVar[str] = "3.7"
    description: ClassVar[str] = "cgminer 4.11.1"
    miner_version: ClassVar[str] = "26.0.1.3"
    compile_time: ClassVar[str] = "Fri May  8 15:27:59 CST 2020"
    type_suffix: ClassVar[str] = " (vnish 3.8.6)"
    fan_slots: ClassVar[tuple[int, ...]] = (5, 6)

    def stats_extra(self) -> dict[str, Any]:
        extra: dict[str, Any] = {"manual_fan_mode": False, "build_version": "3.8.6"}
        for chain in self.chains:
            extra[f"chain_consumption{chain}"] = 495
            extra[f"chain_bchips{chain}"] = "Warm up"
        return extra

    def pool_fields(self, index: int, pool: PoolState) -> dict[str, Any]:
        return {**super().pool_fields(index, pool), "Boost": "Normal"}

    def cmd_pools(self, parameter: str | None) -> Reply:
        reply = super().cmd_pools(parameter)
        assert isinstance(reply, dict)
        devfee = {**reply["POOLS"][0], "POOL": len(reply["POOLS"]), "URL": "DevFee"}
        devfee.update({"User": "DevFee", "Priority": 993, "Stratum Active": False})
        reply["POOLS"].append(devfee)
        return reply


class SilentVersionVNish(VNishS9):
    """VNish 1.3 answers ``version`` with nothing."""

    name: ClassVar[str] = "test-vnish-13"

    def cmd_version(self, parameter: str | None) -> Reply:
        return b""


async def test_vnish_detected_and_read_with_the_antminer_layout(
    simulator: SimulatorFactory,
) -> None:
    sim = await simulator(VNishS9, jitter=False)  # type: ignore[arg-type]
    api = await detect_api("127.0.0.1", sim.port, timeout=2.0, web_port=closed_port())
    assert type(api) is VNishAPI
    data = await api.get_data()
    assert api.rest is False  # VNish 3.x has no REST API: read over cgminer's
    assert (data.make, data.model, data.firmware) == ("Antminer", "S9", "3.8.6")
    assert data.hashrate == pytest.approx(13.5)
    assert [board.index for board in data.boards] == [0, 1, 2]
    assert [fan.index for fan in data.fans] == [4, 5]
    assert data.power is None  # chain_consumption is not documented as measured watts
    assert [pool.url for pool in data.pools][-1] == "DevFee"
    assert [pool.active for pool in data.pools] == [True, False, False]
    assert api.capabilities == frozenset()
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == ["stats"]


async def test_vnish_whose_version_answers_nothing(simulator: SimulatorFactory) -> None:
    """Detection cannot tell (``version`` is empty): the generic reading finds the Antminer
    layout in ``stats`` and the model in its header; the poll never fails for it."""
    sim = await simulator(SilentVersionVNish, jitter=False)  # type: ignore[arg-type]
    api = await detect_api("127.0.0.1", sim.port, timeout=2.0, web_port=closed_port())
    assert type(api) is UnknownAPI
    data = await api.get_data()
    assert (data.make, data.model) == ("Antminer", "S9")
    assert data.firmware == "4.11.1"  # the header's software: all the generic reading knows
    assert [board.index for board in data.boards] == [0, 1, 2]
    assert data.expected_hashrate == pytest.approx(13.5)
    assert len(data.fans) == 2
    assert api.layout == "antminer"
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == ["stats"]


async def test_version_and_stats_refused_leave_the_identity_for_later(
    simulator: SimulatorFactory,
) -> None:
    class NoIdentity(SilentVersionVNish):
        name: ClassVar[str] = "test-no-identity"
        refuse_stats = True

        def cmd_stats(self, parameter: str | None) -> Reply:
            if self.refuse_stats:
                return self.error(14, "Invalid command")
            return super().cmd_stats(parameter)

    sim = await simulator(NoIdentity, jitter=False)  # type: ignore[arg-type]
    api = VNishAPI("127.0.0.1", sim.port, web_port=closed_port())
    with pytest.warns(APIWarning, match="refused stats"):
        data = await api.get_data()
    assert data.model is None
    assert data.hashrate == pytest.approx(13.5)  # from summary, the readings still come
    assert isinstance(sim.personality, NoIdentity)
    sim.personality.refuse_stats = False
    data = await api.get_data()
    assert data.model == "S9"  # read again at the next poll
