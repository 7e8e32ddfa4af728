"""``multicommand``: one joined request, dropping, retrying and splitting as firmwares need."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from custom_components.asic_miner.api import (
    APIConnectionError,
    APIError,
    APIWarning,
    BMMinerAPI,
    CGMinerAPI,
)
from custom_components.asic_miner.api.base import api_command
from simulator import Fault
from simulator.personalities import CGMinerForkPersonality
from simulator.personality import Reply

from .conftest import SimulatorFactory


class StrictJoin(CGMinerForkPersonality):
    """Refuses a whole joined request when one part is unknown, naming it."""

    name: ClassVar[str] = "test-strict-join"

    def handle_request(self, payload: dict[str, Any]) -> Reply:
        command = str(payload.get("command"))
        bad = [c for c in command.split("+") if not hasattr(self, f"cmd_{c}")]
        if "+" in command and bad:
            self.sim.received.append(command)
            return self.error(14, f"Invalid command {bad[0]}")
        return super().handle_request(payload)


class WithExtra(CGMinerAPI):
    """A client that believes the miner has ``notify`` (the simulator does not)."""

    @api_command
    async def notify(self) -> dict[str, Any]:
        return await self.send_command("notify")


class StatsAlone(CGMinerAPI):
    unbatchable_commands = frozenset({"stats"})


async def test_one_request(simulator: SimulatorFactory) -> None:
    sim = await simulator("cgminer-fork")
    api = CGMinerAPI("127.0.0.1", sim.port)
    result = await api.multicommand("summary", "pools", "summary")
    assert sim.requests == ["summary+pools"]
    assert set(result) == {"summary", "pools", "multicommand"}
    assert result["multicommand"] is True
    assert result["summary"][0]["SUMMARY"][0]["Elapsed"] >= 0
    assert result["pools"][0]["POOLS"][0]["User"] == "worker.fork"


async def test_single_command_not_joined(simulator: SimulatorFactory) -> None:
    sim = await simulator("cgminer-fork")
    result = await CGMinerAPI("127.0.0.1", sim.port).multicommand("summary")
    assert sim.requests == ["summary"]
    assert list(result) == ["summary", "multicommand"]


async def test_unsupported_dropped_with_warning(simulator: SimulatorFactory) -> None:
    sim = await simulator("cgminer-fork")
    api = CGMinerAPI("127.0.0.1", sim.port)
    with pytest.warns(APIWarning, match="CGMinerAPI does not support 'get_psu'; dropped"):
        result = await api.multicommand("summary", "get_psu", "pools")
    assert sim.requests == ["summary+pools"]
    assert "get_psu" not in result
    with pytest.raises(ValueError, match="invalid command name"):
        await api.multicommand("summary", "pools+devs")


async def test_nothing_left(simulator: SimulatorFactory) -> None:
    sim = await simulator("cgminer-fork")
    with pytest.warns(APIWarning):
        result = await CGMinerAPI("127.0.0.1", sim.port).multicommand("get_psu")
    assert result == {"multicommand": True}
    assert sim.requests == []


async def test_refused_part_dropped(simulator: SimulatorFactory) -> None:
    # cgminer answers each part of a join; the invalid one carries its own error STATUS.
    sim = await simulator("cgminer-fork")
    api = WithExtra("127.0.0.1", sim.port)
    with pytest.warns(APIWarning, match="miner refused notify"):
        result = await api.multicommand("summary", "notify", "pools")
    assert sim.requests == ["summary+notify+pools"]
    assert set(result) == {"summary", "pools", "multicommand"}


async def test_whole_join_refused_retried_without_named(simulator: SimulatorFactory) -> None:
    sim = await simulator(StrictJoin)
    api = WithExtra("127.0.0.1", sim.port)
    with pytest.warns(APIWarning, match="miner refused notify"):
        result = await api.multicommand("summary", "notify", "pools")
    assert sim.requests == ["summary+notify+pools", "summary+pools"]
    assert set(result) == {"summary", "pools", "multicommand"}


async def test_join_of_two_refused_falls_back_to_single(simulator: SimulatorFactory) -> None:
    sim = await simulator(StrictJoin)
    with pytest.warns(APIWarning, match="miner refused notify"):
        result = await WithExtra("127.0.0.1", sim.port).multicommand("summary", "notify")
    assert sim.requests == ["summary+notify", "summary"]
    assert set(result) == {"summary", "multicommand"}


async def test_firmware_that_cannot_batch_is_split(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19")
    api = BMMinerAPI("127.0.0.1", sim.port)
    result = await api.multicommand("summary", "pools", "stats")
    assert sim.requests[0] == "summary+pools+stats"
    assert sorted(sim.requests[1:]) == ["pools", "stats", "summary"]
    assert set(result) == {"summary", "pools", "stats", "multicommand"}
    # Learnt: the next call goes straight to concurrent single requests.
    sim.requests.clear()
    await api.multicommand("summary", "pools")
    assert sorted(sim.requests) == ["pools", "summary"]


async def test_unbatchable_sent_alone_concurrently(simulator: SimulatorFactory) -> None:
    sim = await simulator("cgminer-fork")
    result = await StatsAlone("127.0.0.1", sim.port).multicommand("summary", "stats", "pools")
    assert sorted(sim.requests) == ["stats", "summary+pools"]
    assert set(result) == {"summary", "stats", "pools", "multicommand"}


async def test_split_drops_refused_and_fails_when_all_refused(
    simulator: SimulatorFactory,
) -> None:
    sim = await simulator("antminer-s19")

    class S19Extra(BMMinerAPI):
        @api_command
        async def notify(self) -> dict[str, Any]:
            return await self.send_command("notify")

        @api_command
        async def lcd(self) -> dict[str, Any]:
            return await self.send_command("lcd")

    api = S19Extra("127.0.0.1", sim.port)
    with pytest.warns(APIWarning, match="refused notify"):
        result = await api.multicommand("summary", "notify")
    assert set(result) == {"summary", "multicommand"}
    with pytest.warns(APIWarning), pytest.raises(APIError, match="refused every command"):
        await api.multicommand("notify", "lcd")


async def test_connection_error_propagates(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19")
    api = BMMinerAPI("127.0.0.1", sim.port, timeout=0.3)
    await api.multicommand("summary", "pools")  # learns it must split
    sim.set_fault(Fault.SILENT)
    with pytest.raises(APIConnectionError):
        await api.multicommand("summary", "pools")


class DropsOne(CGMinerForkPersonality):
    """Answers a join but leaves ``pools`` out of it (answering it alone)."""

    name: ClassVar[str] = "test-drops-one"

    def handle_request(self, payload: dict[str, Any]) -> Reply:
        command = str(payload.get("command"))
        if "+" in command and "pools" in command.split("+"):
            rest = "+".join(c for c in command.split("+") if c != "pools")
            return super().handle_request({"command": rest + "+version"})
        return super().handle_request(payload)


async def test_command_missing_from_join_is_asked_alone(simulator: SimulatorFactory) -> None:
    sim = await simulator(DropsOne)
    result = await CGMinerAPI("127.0.0.1", sim.port).multicommand("summary", "pools", "devs")
    assert sim.requests == ["summary+pools+devs", "pools"]
    assert set(result) == {"summary", "pools", "devs", "multicommand"}
