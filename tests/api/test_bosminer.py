"""BOSMinerAPI (Braiins OS) against the simulated BOSer S19j Pro and BOSminer+ S9 over loopback
sockets, and its mapping of replies shaped as real bosminer writes them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from custom_components.asic_miner.api import Capability, MinerIdentity, detect_api
from custom_components.asic_miner.api.bosminer import BOSMinerAPI
from custom_components.asic_miner.api.errors import APIUnsupportedError
from custom_components.asic_miner.api.refresh import REFRESH_SECONDS, REFRESHED
from simulator import MinerSimulator
from simulator.personalities import BraiinsOS

from .conftest import SimulatorFactory

STEADY = "summary+devs+temps+fans+tunerstatus"
REFRESHING = f"{STEADY}+devdetails+pools+tempctrl"


async def _braiins(
    simulator: SimulatorFactory, name: str = "braiins-os"
) -> tuple[MinerSimulator, BOSMinerAPI]:
    sim = await simulator(name, jitter=False)
    return sim, BOSMinerAPI("127.0.0.1", sim.port, timeout=1.0)


def _personality(sim: MinerSimulator) -> BraiinsOS:
    personality = sim.personality
    assert isinstance(personality, BraiinsOS)
    return personality


def _refuse(sim: MinerSimulator, *commands: str) -> None:
    """The simulated firmware answers ``commands`` as cgminer does a command it lacks."""
    personality = _personality(sim)
    for command in commands:
        setattr(personality, f"cmd_{command}", lambda _p: personality.error(14, "Invalid command"))


async def test_boser_poll_maps_everything(simulator: SimulatorFactory) -> None:
    """BOSer on an S19j Pro (chains 1-3): every reading its socket API gives."""
    _sim, api = await _braiins(simulator)
    data = await api.get_data()
    assert (data.make, data.model) == ("Antminer", "S19j Pro")
    assert data.firmware == "boser-buildroot 0.1.0-26ba61b9"
    assert (data.mac, data.hostname, data.serial) == (None, None, None)
    assert data.hashrate == round(102 * 3100 / 3300, 3)
    assert data.average_hashrate == data.hashrate
    assert data.expected_hashrate == pytest.approx(102.0)
    assert data.power == 3100
    assert data.power_limit == 3100
    assert data.efficiency == round(3100 / (102 * 3100 / 3300), 2)
    assert [board.index for board in data.boards] == [0, 1, 2]
    assert [board.chips for board in data.boards] == [126, 126, 126]
    assert data.temperature == 58.0
    assert data.chip_temperature == 71.0
    assert [(fan.index, fan.rpm, fan.percent) for fan in data.fans] == [
        (0, 3600, 40),
        (1, 3620, 40),
        (2, 3580, 40),
        (3, 3610, 40),
    ]
    assert data.pools[0].user == "braiins.worker1"
    assert (data.shares_accepted, data.shares_rejected) == (12345, 12)
    assert data.best_session_difficulty == 123456789
    assert data.blocks_found == 0
    assert data.target_temperature == 75
    assert data.fan_auto is True
    assert data.is_mining is True
    assert data.uptime is not None
    assert api.capabilities == {Capability.PAUSE_RESUME}
    assert api.power_limit_bounds is None


async def test_s9_chains_six_to_eight_without_chip_sensor(simulator: SimulatorFactory) -> None:
    """BOSminer+ 0.2.0 on an S9: chains 6-8 are boards 0-2; Chip 0.0 and devs' Temperature
    0.0 are no sensor (None, never 0 °C); two fans on four connectors."""
    _sim, api = await _braiins(simulator, "braiins-os-s9")
    data = await api.get_data()
    assert (data.make, data.model, data.firmware) == ("Antminer", "S9", "0.2.0-36c56a9363")
    assert [board.index for board in data.boards] == [0, 1, 2]
    assert [board.temperature for board in data.boards] == [70.0, 70.0, 70.0]
    assert [board.chip_temperature for board in data.boards] == [None, None, None]
    assert data.chip_temperature is None
    assert [board.chips for board in data.boards] == [63, 63, 63]
    assert [(fan.index, fan.rpm) for fan in data.fans] == [(0, 2820), (1, 3780)]
    assert data.target_temperature == 89


async def test_steady_poll_is_one_request(simulator: SimulatorFactory) -> None:
    """The first poll reads identity, then everything in one joined request; a steady poll
    asks only for what changes, in one request."""
    sim, api = await _braiins(simulator)
    first = await api.get_data()
    assert sim.requests == ["version+devdetails", REFRESHING]
    sim.requests.clear()
    steady = await api.get_data()
    assert sim.requests == [STEADY]
    # What the steady poll did not ask for is still known.
    assert steady.pools == first.pools
    assert [board.chips for board in steady.boards] == [126, 126, 126]
    assert steady.target_temperature == 75


async def test_rare_reads_come_back(simulator: SimulatorFactory) -> None:
    """Pools, chips and settings are read again when the interval has passed, after a
    control, and after the mining software restarted (its uptime went back)."""
    sim, api = await _braiins(simulator)
    sim.state.started_at -= 1000
    await api.get_data()
    sim.requests.clear()

    api.refresh = replace(api.refresh, interval=0.0)  # the interval has passed
    await api.get_data()
    assert sim.requests == [REFRESHING]
    api.refresh = replace(api.refresh, interval=REFRESH_SECONDS)

    sim.requests.clear()
    await api.pause_mining()
    await api.get_data()
    assert sim.requests == ["pause", REFRESHING]

    sim.requests.clear()
    sim.state.reset_uptime()
    await api.get_data()
    await api.get_data()
    assert sim.requests[0] == STEADY
    assert sim.requests[-1] == REFRESHING


async def test_refused_commands_never_fail_the_poll(simulator: SimulatorFactory) -> None:
    """No devs: boards from temps (as the S9 capture); no temps: devs' Temperature; no
    tunerstatus, devdetails or tempctrl: None."""
    sim, api = await _braiins(simulator)
    _refuse(sim, "devs", "tunerstatus", "tempctrl", "devdetails")
    data = await api.get_data()
    assert [board.index for board in data.boards] == [0, 1, 2]
    assert [board.temperature for board in data.boards] == [58.0] * 3
    assert [board.hashrate for board in data.boards] == [None] * 3
    assert data.hashrate == round(102 * 3100 / 3300, 3)  # summary
    assert (data.expected_hashrate, data.power, data.power_limit) == (None, None, None)
    assert (data.model, data.target_temperature, data.fan_auto) == (None, None, None)
    assert data.firmware == "boser-buildroot 0.1.0-26ba61b9"

    sim, api = await _braiins(simulator)
    _refuse(sim, "temps")
    personality = _personality(sim)
    base = personality.dev_fields
    personality.dev_fields = lambda index, board: {**base(index, board), "Temperature": 57.5}  # type: ignore[method-assign]
    data = await api.get_data()
    assert [board.temperature for board in data.boards] == [57.5] * 3
    assert data.chip_temperature is None


async def test_identity_unreadable_is_retried_with_the_refresh(
    simulator: SimulatorFactory,
) -> None:
    """version and devdetails refused: readings still come, model and firmware None; read
    again at the poll after each refresh of the rare commands, not every poll."""
    sim, api = await _braiins(simulator)
    _refuse(sim, "version", "devdetails")
    data = await api.get_data()
    assert (data.firmware, data.model) == (None, None)
    assert data.hashrate is not None
    sim.requests.clear()
    await api.get_data()
    await api.get_data()
    assert sim.requests == ["version+devdetails", STEADY, STEADY]
    personality = _personality(sim)
    del personality.cmd_version  # answered again
    api.refresh = api.refresh.soon()
    await api.get_data()
    assert (await api.get_data()).firmware == "boser-buildroot 0.1.0-26ba61b9"


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


async def test_detect_api_finds_both_generations(simulator: SimulatorFactory) -> None:
    """BOSer and BOSminer+ are both Braiins OS."""
    for name in ("braiins-os", "braiins-os-s9"):
        sim = await simulator(name)
        assert isinstance(await detect_api("127.0.0.1", sim.port, timeout=2.0), BOSMinerAPI)


async def test_command_methods(simulator: SimulatorFactory) -> None:
    """fans/temps/tempctrl/tunerstatus are commands of this family."""
    _sim, api = await _braiins(simulator)
    assert {"fans", "temps", "tempctrl", "tunerstatus", "pause", "resume"} <= set(api.commands)
    assert len((await api.fans())["FANS"]) == 4
    assert [entry["ID"] for entry in (await api.temps())["TEMPS"]] == [1, 2, 3]
    assert (await api.tunerstatus())["TUNERSTATUS"][0]["PowerLimit"] == 3100
    assert (await api.tempctrl())["TEMPCTRL"][0]["Mode"] == "Automatic"


# --- replies shaped as real bosminer writes them (own values) ---------------------------------


def _reply(section: str, *entries: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"STATUS": [{"STATUS": "S", "Code": 1, "Msg": ""}], section: list(entries)}]


def _map(api: BOSMinerAPI, **replies: list[dict[str, Any]]) -> Any:
    polled: dict[str, Any] = {**replies, REFRESHED: [], "multicommand": True}
    api._remember(polled, MinerIdentity())
    return api._map(polled, MinerIdentity())


def test_freshest_window_wins() -> None:
    """MHS 5s is the hashrate; never 24h (a day's average, tiny after a restart) nor av;
    without 5s the next freshest; the lifetime average goes to average_hashrate."""
    api = BOSMinerAPI("127.0.0.1")
    summary = {"MHS 5s": 14_000_000.0, "MHS 1m": 13_000_000.0, "MHS 24h": 600_000.0}
    data = _map(api, summary=_reply("SUMMARY", {**summary, "MHS av": 12_000_000.0}))
    assert (data.hashrate, data.average_hashrate) == (14.0, 12.0)
    del summary["MHS 5s"]
    assert _map(api, summary=_reply("SUMMARY", summary)).hashrate == 13.0
    only_averages = {"MHS 24h": 600_000.0, "MHS av": 12_000_000.0}
    assert _map(api, summary=_reply("SUMMARY", only_averages)).hashrate is None


def test_chains_keep_their_numbers() -> None:
    """A missing S9 chain leaves a gap; chains from 1 start at board 0; a firmware counting
    from 0 keeps its numbers; temps out of order are sorted."""
    api = BOSMinerAPI("127.0.0.1")
    temps = _reply("TEMPS", {"ID": 8, "Board": 60.0, "Chip": 0.0}, {"ID": 6, "Board": 58.0})
    assert [b.index for b in _map(api, temps=temps).boards] == [0, 2]
    from_one = _reply("DEVS", {"ID": 2, "MHS 5s": 1e6}, {"ID": 3, "MHS 5s": 1e6})
    assert [b.index for b in _map(api, devs=from_one).boards] == [1, 2]
    from_zero = _reply("DEVDETAILS", {"ID": 0, "Chips": 5}, {"ID": 1, "Chips": 5})
    assert [b.index for b in _map(api, devdetails=from_zero).boards] == [0, 1]
    assert _map(api, devs=_reply("DEVS", {"MHS 5s": 1e6})).boards == []


def test_placeholders_are_not_readings() -> None:
    """temps Board/Chip 0.0 and devs Temperature 0.0: None; devs' Temperature does not
    replace a temps entry that has no reading."""
    api = BOSMinerAPI("127.0.0.1")
    data = _map(
        api,
        temps=_reply("TEMPS", {"ID": 6, "Board": 0.0, "Chip": 0.0}),
        devs=_reply("DEVS", {"ID": 6, "Temperature": 65.0}, {"ID": 7, "Temperature": 0.0}),
    )
    assert [(b.temperature, b.chip_temperature) for b in data.boards] == [(None, None)] * 2
    assert data.temperature is None


def test_fan_connectors() -> None:
    """Connectors at 0 rpm that never spun are no fans; a fan that spun and stopped stays,
    at 0 rpm; a FANS list without IDs is numbered by position."""
    api = BOSMinerAPI("127.0.0.1")
    fans = [{"FAN": 0, "ID": 0, "RPM": 3000, "Speed": 50}, {"FAN": 1, "ID": 1, "RPM": 0}]
    assert [(f.index, f.rpm) for f in _map(api, fans=_reply("FANS", *fans)).fans] == [(0, 3000)]
    fans = [{"FAN": 0, "ID": 0, "RPM": 0, "Speed": 50}, {"FAN": 1, "ID": 1, "RPM": 0}]
    assert [(f.index, f.rpm) for f in _map(api, fans=_reply("FANS", *fans)).fans] == [(0, 0)]
    positional = _reply("FANS", {"RPM": 100}, {"RPM": 200})
    assert [f.index for f in _map(BOSMinerAPI("127.0.0.1"), fans=positional).fans] == [0, 1]


def test_settings() -> None:
    """tempctrl Mode: Automatic → automatic fans, Manual → manual, anything else unknown."""
    api = BOSMinerAPI("127.0.0.1")
    manual = _reply("TEMPCTRL", {"Mode": "Manual", "Target": 80})
    assert (_map(api, tempctrl=manual).fan_auto, _map(api, tempctrl=manual).target_temperature) == (
        False,
        80,
    )
    assert _map(api, tempctrl=_reply("TEMPCTRL", {"Mode": "Disabled"})).fan_auto is None


async def test_model_names(simulator: SimulatorFactory) -> None:
    """``Bitmain Antminer S9`` → Antminer / S9; a model without a known make stays whole."""
    sim, api = await _braiins(simulator)
    sim.state.make = "Custom"
    identity = await api.get_identity()
    assert (identity.make, identity.model) == (None, "Custom S19j Pro")


async def test_manual_fans_and_target(simulator: SimulatorFactory) -> None:
    """Fans set to a fixed duty read as manual, with that duty; the target as set."""
    sim, api = await _braiins(simulator)
    sim.state.fan_mode, sim.state.fan_percent, sim.state.target_temperature = "manual", 70, 68.0
    data = await api.get_data()
    assert data.fan_auto is False
    assert {fan.percent for fan in data.fans} == {70}
    assert data.target_temperature == 68


async def test_extra_board_and_no_joins(simulator: SimulatorFactory) -> None:
    """A board beyond the model's chains takes the next number; a firmware refusing joins
    and the identity commands is asked one command at a time and still read."""
    sim, api = await _braiins(simulator, "braiins-os-s9")
    sim.state.boards.append(sim.state.boards[0])
    _personality(sim).supports_multicommand = False  # type: ignore[misc]
    _refuse(sim, "version", "devdetails")
    data = await api.get_data()
    assert [board.index for board in data.boards] == [0, 1, 2, 3]
    assert (data.firmware, data.model) == (None, None)
    assert sim.requests[:3] == ["version+devdetails", "version", "devdetails"]  # then alone
