"""BOSMinerAPI (Braiins OS) against the simulated BOSer miner over loopback sockets."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.asic_miner.api import Capability
from custom_components.asic_miner.api.bosminer import BOSMinerAPI
from custom_components.asic_miner.api.errors import APIUnsupportedError
from simulator import MinerSimulator
from simulator.personalities import BraiinsOS

from .conftest import SimulatorFactory


async def _braiins(simulator: SimulatorFactory) -> tuple[MinerSimulator, BOSMinerAPI]:
    sim = await simulator("braiins-os", jitter=False)
    return sim, BOSMinerAPI("127.0.0.1", sim.port, timeout=1.0)


def _personality(sim: MinerSimulator) -> BraiinsOS:
    personality = sim.personality
    assert isinstance(personality, BraiinsOS)
    return personality


async def test_poll_maps_everything(simulator: SimulatorFactory) -> None:
    """Hashrate, nominal rate, tuner power and limit, temps by board, fans, pools."""
    _sim, api = await _braiins(simulator)
    data = await api.get_data()
    assert data.make == "Antminer"
    assert data.model == "S19j Pro"
    assert data.firmware == "boser-buildroot 0.1.0-26ba61b9"
    assert data.mac is None
    assert data.hostname is None
    assert data.serial is None
    assert data.hashrate == round(102 * 3100 / 3300, 3)
    assert data.expected_hashrate == pytest.approx(102.0)
    assert data.power == 3100
    assert data.power_limit == 3100
    assert data.efficiency == round(3100 / (102 * 3100 / 3300), 2)
    assert [board.index for board in data.boards] == [0, 1, 2]
    assert [board.chips for board in data.boards] == [126, 126, 126]
    assert data.temperature == 58.0
    assert data.chip_temperature == 71.0
    assert [fan.rpm for fan in data.fans] == [3600, 3620, 3580, 3610]
    assert data.pools[0].user == "braiins.worker1"
    assert data.is_mining is True
    assert data.uptime is not None
    assert api.capabilities == {Capability.PAUSE_RESUME}
    assert api.power_limit_bounds is None


async def test_poll_is_one_request(simulator: SimulatorFactory) -> None:
    """Everything of a poll travels in one joined request."""
    sim, api = await _braiins(simulator)
    await api.get_data()
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == ["summary+devs+devdetails+temps+fans+tunerstatus+pools"]


async def test_pause_and_resume(simulator: SimulatorFactory) -> None:
    """pause drops the hashrate to 0 and the power to idle; resume brings them back."""
    sim, api = await _braiins(simulator)
    await api.pause_mining()
    assert sim.state.paused
    data = await api.get_data()
    assert data.is_mining is False
    assert data.hashrate == 0
    assert data.power == sim.state.idle_power
    await api.resume_mining()
    assert (await api.get_data()).is_mining is True
    assert sim.received[-1] != "pause"
    assert "resume" in sim.received


async def test_unsupported_controls(simulator: SimulatorFactory) -> None:
    """No power limit, reboot or LED over this API: reported, never faked."""
    _sim, api = await _braiins(simulator)
    for control in (
        api.set_power_limit(3000),
        api.reboot(),
        api.set_fault_light(True),
        api.restart_backend(),
    ):
        with pytest.raises(APIUnsupportedError):
            await control


async def test_fallbacks(simulator: SimulatorFactory) -> None:
    """No temps, no nominal rate, no tuner, no summary rate: None or the next best source."""
    sim, api = await _braiins(simulator)
    personality = _personality(sim)
    personality.cmd_temps = lambda parameter: personality.ok(201, "0 Temp(s)", "TEMPS", [])  # type: ignore[method-assign]
    personality.cmd_tunerstatus = lambda parameter: personality.ok(  # type: ignore[method-assign]
        203, "Tuner Status", "TUNERSTATUS", [{"PowerLimit": 0}]
    )
    personality.cmd_summary = lambda parameter: personality.ok(11, "Summary", "SUMMARY", [{}])  # type: ignore[method-assign]
    base_dev = personality.dev_fields

    def dev_fields(index: int, board: Any) -> dict[str, Any]:
        fields = base_dev(index, board)
        del fields["Nominal MHS"]
        del fields["ID"]
        return fields

    personality.dev_fields = dev_fields  # type: ignore[method-assign]
    data = await api.get_data()
    assert data.temperature == 58.0  # from devs' Temperature
    assert data.chip_temperature is None
    assert data.expected_hashrate is None
    assert data.power is None
    assert data.power_limit is None
    assert data.hashrate == round(102 * 3100 / 3300, 3)  # sum of the boards


async def test_identity_variants(simulator: SimulatorFactory) -> None:
    """Older bosminer names itself BOSminer+; a model without a known make stays whole."""
    sim, api = await _braiins(simulator)
    personality = _personality(sim)
    personality.version_fields = lambda: {"BOSminer+": "0.9.0-d8d0ffb5f", "API": "3.7"}  # type: ignore[method-assign]
    sim.state.make = "Custom"
    identity = await api.get_identity()
    assert identity.firmware == "0.9.0-d8d0ffb5f"
    assert identity.make is None
    assert identity.model == "Custom S19j Pro"

    personality.cmd_devdetails = lambda parameter: personality.ok(69, "Details", "DEVDETAILS", [])  # type: ignore[method-assign]
    personality.version_fields = lambda: {"API": "3.7"}  # type: ignore[method-assign]
    api.forget_identity()
    identity = await api.get_identity()
    assert identity.model is None
    assert identity.firmware is None


async def test_detect_api_finds_braiins(simulator: SimulatorFactory) -> None:
    """detect_api returns BOSMinerAPI for the simulated Braiins OS miner."""
    from custom_components.asic_miner.api import detect_api

    sim = await simulator("braiins-os")
    assert isinstance(await detect_api("127.0.0.1", sim.port, timeout=2.0), BOSMinerAPI)


async def test_command_methods(simulator: SimulatorFactory) -> None:
    """fans/temps/tunerstatus are commands of this family and return the miner's sections."""
    _sim, api = await _braiins(simulator)
    assert {"fans", "temps", "tunerstatus", "pause", "resume"} <= set(api.commands)
    assert len((await api.fans())["FANS"]) == 4
    assert len((await api.temps())["TEMPS"]) == 3
    assert (await api.tunerstatus())["TUNERSTATUS"][0]["PowerLimit"] == 3100
