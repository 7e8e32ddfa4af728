"""Canaan Avalon through ``AvalonAPI`` against the simulated A-series, Q, Nano 3S and Mini 3:
one request per steady poll, current readings (not averages), no placeholders, the fallbacks
real firmware needs, and each model's own controls."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any, ClassVar
import warnings

import pytest

from custom_components.asic_miner.api import (
    APIConnectionError,
    APIError,
    APIRefusalError,
    APIUnsupportedError,
    Capability,
    Fan,
    MinerIdentity,
    detect_api,
    identify_family,
)
from custom_components.asic_miner.api.avalon import (
    AvalonAPI,
    _display_on,
    _format_mac,
    _serial,
    avalon_model,
)
from custom_components.asic_miner.api.refresh import REFRESH_SECONDS
from simulator.personalities.avalon import Avalon, AvalonNano3S, AvalonQ
from simulator.personality import Reply

from .conftest import SimulatorFactory


@pytest.fixture(autouse=True)
def _quiet_refusals() -> None:
    """A refused read inside a join is dropped with an APIWarning: expected here."""
    warnings.simplefilter("ignore")


async def test_a_series_poll(simulator: SimulatorFactory) -> None:
    sim = await simulator("avalon", jitter=False)
    api = AvalonAPI("127.0.0.1", sim.port)
    data = await api.get_data()
    assert sim.requests == ["version", "summary+estats+pools"]
    assert (data.make, data.model, data.firmware) == ("Avalon", "1246", "21042001_4ec6bb0_61407fa")
    assert data.mac == "b4:a2:eb:3c:0b:9d"
    assert data.serial == "020100008c4e7c2f"  # DNA
    assert data.hashrate == 90.0  # GHSspd
    assert data.average_hashrate == 89.1  # MHS av
    assert data.expected_hashrate == 90.0
    assert data.power == 3420.0  # WALLPOWER
    assert data.power_limit == 3420.0  # MPO: the mode's nominal power
    assert data.efficiency == 38.0
    # MGHS is an average: no per-board rate on a three-board unit
    assert [b.hashrate for b in data.boards] == [None, None, None]
    assert [b.temperature for b in data.boards] == [68.0, 68.0, 68.0]  # MTavg
    assert [b.chip_temperature for b in data.boards] == [88.0, 88.0, 88.0]  # MTmax
    assert [(b.chips, b.dead_chips) for b in data.boards] == [(120, 0)] * 3
    assert data.fans == [Fan(0, 7440, 86), Fan(1, 7380, 86), Fan(2, 7500, 86), Fan(3, 7420, 86)]
    assert data.inlet_temperature == 25.0  # Temp
    assert data.is_mining is True
    assert data.fault_light is False
    assert data.work_mode == "normal"
    assert data.shares_accepted == 12345
    assert data.best_session_difficulty == 354914572.0
    assert data.blocks_found == 0
    assert data.pools[0].url == "stratum+tcp://btc.viabtc.io:3333"
    assert api.capabilities == {
        Capability.PAUSE_RESUME,
        Capability.REBOOT,
        Capability.RESTART_BACKEND,
        Capability.FAULT_LIGHT,
        Capability.WORK_MODE,
    }
    assert api.work_modes == ("normal", "high")
    assert api.work_levels == ()
    assert api.fan_speed_bounds is None
    assert api.target_temperature_bounds is None


async def test_one_request_per_steady_poll(simulator: SimulatorFactory) -> None:
    """``summary+estats`` each poll; the pools join it when due, still one request."""
    sim = await simulator("avalon-q", jitter=False)
    sim.state.started_at -= 1000
    api = AvalonAPI("127.0.0.1", sim.port)
    await api.get_data()
    sim.requests.clear()
    for _ in range(3):
        data = await api.get_data()
        assert data.pools[0].user == "worker1"  # kept from the last read
    assert sim.requests == ["summary+estats"] * 3
    assert "pools" not in api.last_replies

    assert api.refresh.read_at is not None
    api.refresh = replace(api.refresh, read_at=api.refresh.read_at - REFRESH_SECONDS)  # 5 min later
    await api.get_data()
    assert sim.requests[-1] == "summary+estats+pools"
    await api.get_data()
    assert sim.requests[-1] == "summary+estats"

    sim.state.reset_uptime()  # a restart: the identity again, the pools at the next poll
    await api.get_data()
    assert sim.requests[-2:] == ["summary+estats", "version"]
    await api.get_data()
    assert sim.requests[-1] == "summary+estats+pools"


async def test_another_miner_reads_the_pools_again(simulator: SimulatorFactory) -> None:
    sim = await simulator("avalon", jitter=False)
    api = AvalonAPI("127.0.0.1", sim.port)
    await api.get_data()
    sim.mac = "02:11:22:33:44:55"
    sim.state.started_at -= 100_000
    await api.get_data()
    sim.requests.clear()
    await api.get_data()
    assert sim.requests[0] == "summary+estats+pools"


async def test_q_reads_the_new_layout(simulator: SimulatorFactory) -> None:
    sim = await simulator("avalon-q", jitter=False)
    api = AvalonAPI("127.0.0.1", sim.port)
    data = await api.get_data()
    assert (data.model, data.firmware, data.mac) == ("Q", "25052801_14a19a2", "e0:e1:a9:52:7c:11")
    assert data.work_mode == "standard"
    assert data.target_temperature == 80.0
    assert data.inlet_temperature == 26.0  # ITemp
    assert data.outlet_temperature == 48.0  # HBOTemp
    assert data.wifi_rssi is None  # wired: RSSI[0]
    assert len(data.boards) == 1
    board = data.boards[0]
    assert board.hashrate == data.hashrate  # the only board: the unit's current rate
    assert (board.chips, board.dead_chips) == (160, 0)  # HBinfo MW0
    assert len(data.fans) == 4
    assert data.power == data.power_limit == 1339.0  # the 7th PS element; MPO
    assert api.capabilities == {
        Capability.PAUSE_RESUME,
        Capability.REBOOT,
        Capability.WORK_MODE,
        Capability.FAN_SPEED,
        Capability.DISPLAY,
    }
    assert data.display_on is True  # LcdOnoff[1]
    assert api.work_modes == ("eco", "standard", "super")
    assert api.fan_speed_bounds == (25, 100)


#: ``MM ID`` fields naming boards and fans no unit has (a number past any slot, or with more
#: digits than ``int`` reads from text).
HOSTILE_FIELDS = [
    ("PVT_T99999999", "60 61"),
    ("MW12345678", "1 0"),
    ("PVT_T" + "9" * 5000, "60"),
    ("Fan" + "9" * 5000, "1200"),
    ("Fan99999999", "1200"),
]


@pytest.mark.parametrize("personality", ["avalon", "avalon-q"])
async def test_numbers_no_unit_has_are_no_boards_or_fans(
    simulator: SimulatorFactory, monkeypatch: pytest.MonkeyPatch, personality: str
) -> None:
    """Board and fan numbers past any unit's (``PVT_T99999999``, ``'HB99999999'`` in
    ``HBinfo``, ``Fan`` with 5000 digits): no board or fan for them, read at once, never one
    empty board per number up to them."""
    sim = await simulator(personality, jitter=False)
    api = AvalonAPI("127.0.0.1", sim.port)
    expected = await api.get_data()
    unit = sim.personality
    assert isinstance(unit, Avalon | AvalonQ)
    fields, hb_text = unit.mm_fields, unit.hb_text
    monkeypatch.setattr(unit, "mm_fields", lambda: [*fields(), *HOSTILE_FIELDS])
    monkeypatch.setattr(unit, "hb_text", lambda: hb_text() + " 'HB99999999':{PVT_T99999999[1 2]}")
    data = await api.get_data()
    assert len(data.boards) == len(expected.boards)
    assert [fan.index for fan in data.fans] == [fan.index for fan in expected.fans]


async def test_idle_unit_reports_no_chip_temperature_and_no_average(
    simulator: SimulatorFactory,
) -> None:
    """Soft-off: hashrate 0 although ``MHS av`` stays up, no chip temperature (``TMax[0]``),
    the fans stand still, the wall power is the idle draw."""
    sim = await simulator("avalon-q", jitter=False)
    api = AvalonAPI("127.0.0.1", sim.port)
    await api.pause_mining()
    assert sim.state.paused
    data = await api.get_data()
    assert data.is_mining is False
    assert data.hashrate == 0.0
    assert data.average_hashrate == pytest.approx(71.28)
    assert data.chip_temperature is None
    assert data.temperature is None
    assert data.boards[0].chip_temperature is None
    assert data.power == 146.0
    assert data.efficiency is None
    assert [fan.rpm for fan in data.fans] == [0, 0, 0, 0]
    await api.resume_mining()
    assert (await api.get_data()).is_mining is True


async def test_soft_off_on_send_the_timestamp_form(simulator: SimulatorFactory) -> None:
    sim = await simulator("avalon-nano3s")
    api = AvalonAPI("127.0.0.1", sim.port)
    await api.get_identity()
    await api.pause_mining()
    await api.resume_mining()
    personality = sim.personality
    assert isinstance(personality, AvalonNano3S)
    assert personality.soft_off_time > 1_700_000_000
    assert personality.soft_on_time >= personality.soft_off_time


class _SilentSoftOn(AvalonQ):
    """A Q that closes the connection without a reply to ``softon`` (as asic-rs saw)."""

    name: ClassVar[str] = "test-avalon-q-silent"
    softon_closes: ClassVar[bool] = True


async def test_softon_closing_without_reply_is_accepted(simulator: SimulatorFactory) -> None:
    sim = await simulator(_SilentSoftOn)
    api = AvalonAPI("127.0.0.1", sim.port)
    await api.get_identity()
    await api.pause_mining()
    await api.resume_mining()
    assert not sim.state.paused
    sim.set_fault("refuse")  # a miner that is gone is not "accepted"
    with pytest.raises(APIConnectionError):
        await api.resume_mining()


async def test_q_controls(simulator: SimulatorFactory) -> None:
    sim = await simulator("avalon-q", jitter=False)
    api = AvalonAPI("127.0.0.1", sim.port)
    await api.get_identity()
    await api.set_work_mode("super")
    data = await api.get_data()
    assert data.work_mode == "super"
    assert data.target_temperature == 85.0  # the mode's default target
    assert data.hashrate == 90.0
    await api.set_fan_speed(60)
    data = await api.get_data()
    assert [fan.percent for fan in data.fans] == [60] * 4
    assert [fan.rpm for fan in data.fans] == [2400] * 4
    await api.set_fan_speed(None)
    assert (await api.get_data()).fans[0].percent == 50
    with pytest.raises(ValueError, match="fan speed 10 % outside 25-100 %"):
        await api.set_fan_speed(10)
    with pytest.raises(ValueError, match="unknown work mode 'heating'"):
        await api.set_work_mode("heating")
    for control in (
        api.set_target_temperature(70),
        api.set_fault_light(True),
        api.set_work_level("eco"),
        api.restart_backend(),
    ):
        with pytest.raises(APIUnsupportedError):
            await control
    assert [c for c in sim.received if c == "ascset"] == ["ascset"] * 3


async def test_nano3s_controls(simulator: SimulatorFactory) -> None:
    sim = await simulator("avalon-nano3s", jitter=False)
    api = AvalonAPI("127.0.0.1", sim.port)
    data = await api.get_data()
    assert (data.model, data.work_mode, data.target_temperature) == ("Nano3s", "high", 90.0)
    assert data.inlet_temperature is None  # ITemp[-273]: no such sensor
    assert data.outlet_temperature == 65.0  # OTemp
    assert data.power == data.power_limit == 140.0
    assert data.fans == [Fan(0, 1520, 33)]
    assert data.fault_light is None  # its LED is a colour light, not a locate LED
    assert api.target_temperature_bounds == (50, 90)
    await api.set_target_temperature(70)
    assert (await api.get_data()).target_temperature == 70.0
    await api.set_work_mode("low")
    data = await api.get_data()
    assert data.work_mode == "low"
    assert data.target_temperature == 80.0  # back to the mode's default
    assert data.hashrate == 3.3
    with pytest.raises(ValueError, match="target temperature 95 °C outside 50-90 °C"):
        await api.set_target_temperature(95)
    with pytest.raises(APIUnsupportedError):
        await api.set_fault_light(True)


async def test_mini3_work_levels(simulator: SimulatorFactory) -> None:
    sim = await simulator("avalon-mini3", jitter=False)
    api = AvalonAPI("127.0.0.1", sim.port)
    data = await api.get_data()
    assert (data.work_mode, data.work_level) == ("heating", "super")
    assert data.wifi_rssi == -58
    assert api.work_modes == ("heating", "mining", "night")
    assert api.work_levels == ("super", "eco")
    await api.set_work_level("eco")
    await api.set_work_mode("night")
    data = await api.get_data()
    assert (data.work_mode, data.work_level) == ("night", "eco")
    assert data.power == 360.0
    with pytest.raises(ValueError, match="unknown work level 'turbo'"):
        await api.set_work_level("turbo")
    with pytest.raises(APIUnsupportedError):
        await api.set_fan_speed(50)


@pytest.mark.parametrize("personality", ["avalon-mini3", "avalon-q"])
async def test_display_on_and_off(simulator: SimulatorFactory, personality: str) -> None:
    """Mini 3 and Q: ``ascset|0,lcd,0:<1|0>`` switches the screen, ``LcdOnoff`` reports it;
    the steady poll stays one request."""
    sim = await simulator(personality, jitter=False)
    api = AvalonAPI("127.0.0.1", sim.port)
    data = await api.get_data()
    assert Capability.DISPLAY in api.capabilities
    assert data.display_on is True
    await api.set_display(False)
    assert sim.personality.lcd_on is False
    assert sim.received[-1] == "ascset"
    sim.requests.clear()
    assert (await api.get_data()).display_on is False
    assert len(sim.requests) == 1
    await api.set_display(True)
    assert (await api.get_data()).display_on is True


@pytest.mark.parametrize("personality", ["avalon", "avalon-nano3s"])
async def test_no_display_without_a_public_fact(
    simulator: SimulatorFactory, personality: str
) -> None:
    """The A-series and the Nano 3S: no public source shows an ``lcd`` control working, so
    none is offered and nothing is sent."""
    sim = await simulator(personality, jitter=False)
    api = AvalonAPI("127.0.0.1", sim.port)
    await api.get_data()
    assert Capability.DISPLAY not in api.capabilities
    sim.received.clear()
    with pytest.raises(APIUnsupportedError):
        await api.set_display(False)
    assert sim.received == []


async def test_display_refused(simulator: SimulatorFactory) -> None:
    """A refused ``lcd`` is an error naming the firmware's words; the state stays."""
    sim = await simulator("avalon-mini3", jitter=False)
    api = AvalonAPI("127.0.0.1", sim.port)
    await api.get_data()
    personality = sim.personality
    personality.ascset_lcd = lambda value: personality.set_failed("lcd busy")  # type: ignore[attr-defined,method-assign]
    with pytest.raises(APIRefusalError, match="lcd busy"):
        await api.set_display(False)
    assert (await api.get_data()).display_on is True


@pytest.mark.parametrize(
    ("value", "on"), [("1", True), ("0", False), ("2", None), ("", None), (None, None)]
)
def test_display_state_values(value: str | None, on: bool | None) -> None:
    """``LcdOnoff``: 1 on, 0 off, anything else unknown (never a guess)."""
    assert _display_on(value) is on


async def test_a_series_controls(simulator: SimulatorFactory) -> None:
    sim = await simulator("avalon", jitter=False)
    api = AvalonAPI("127.0.0.1", sim.port)
    await api.get_identity()
    await api.set_work_mode("high")
    data = await api.get_data()
    assert (data.work_mode, data.hashrate, data.power) == ("high", 100.0, 3800.0)
    await api.set_fault_light(True)
    assert (await api.get_data()).fault_light is True
    await api.set_fault_light(False)
    assert sim.state.fault_light is False
    await api.pause_mining()
    paused = await api.get_data()
    assert (paused.is_mining, paused.hashrate, paused.power) == (False, 0.0, 120.0)
    assert paused.chip_temperature is None
    await api.resume_mining()
    assert sim.state.is_mining
    with pytest.raises(APIUnsupportedError):
        await api.set_fan_speed(None)


async def test_refused_ascset(simulator: SimulatorFactory) -> None:
    sim = await simulator("avalon")
    api = AvalonAPI("127.0.0.1", sim.port)
    with pytest.raises(APIRefusalError, match=r"ascset 0,bogus: ASC 0 set failed: Unknown option"):
        await api._ascset("0,bogus")
    with pytest.raises(APIRefusalError, match="Invalid ASC id 1"):
        await api._ascset("1,led,1-1")
    with pytest.raises(APIRefusalError, match="Missing option"):
        await api._ascset("0")
    with pytest.raises(APIRefusalError, match="invalid workmode 7"):
        await api._ascset("0,workmode,7")


async def test_restart_and_reboot(simulator: SimulatorFactory) -> None:
    sim = await simulator("avalon")
    sim.reboot_seconds = 0.2
    api = AvalonAPI("127.0.0.1", sim.port, connect_timeout=0.5, timeout=1.0)
    await api.get_identity()
    await api.restart_backend()
    assert "restart" in sim.received
    await api.reboot()
    assert api.identity is None
    await asyncio.sleep(0.1)
    assert sim.offline
    await asyncio.sleep(0.3)
    assert (await api.get_data()).mac == "b4:a2:eb:3c:0b:9d"


async def test_home_units_have_no_restart(simulator: SimulatorFactory) -> None:
    sim = await simulator("avalon-mini3")
    api = AvalonAPI("127.0.0.1", sim.port)
    await api.get_identity()
    with pytest.raises(APIUnsupportedError):
        await api.restart_backend()
    assert (await api.restart())["STATUS"][0]["Msg"] == "Invalid command"


async def test_restart_refused(simulator: SimulatorFactory) -> None:
    """An A-series whose cgminer lacks ``restart`` says so."""
    sim = await simulator("cgminer-fork")  # has no restart command
    api = AvalonAPI("127.0.0.1", sim.port)
    api._identity = MinerIdentity(make="Avalon", model="1246")
    with pytest.raises(APIError, match="restart: Invalid command"):
        await api.restart_backend()


class _NoEstats(Avalon):
    """An A-series whose firmware answers ``stats`` but refuses ``estats``."""

    name: ClassVar[str] = "test-avalon-no-estats"

    def cmd_estats(self, parameter: str | None) -> Reply:
        return self.error(14, "Invalid command")


class _LiteOnly(AvalonQ):
    """A Q answering only ``litestats`` for its ``MM ID`` text."""

    name: ClassVar[str] = "test-avalon-q-lite"

    def cmd_estats(self, parameter: str | None) -> Reply:
        return self.error(14, "Invalid command")

    def cmd_stats(self, parameter: str | None) -> Reply:
        return self.error(14, "Invalid command")


async def test_stats_instead_of_estats(simulator: SimulatorFactory) -> None:
    """The same ``MM ID`` text from ``stats``: learned once (``estats`` asked alone to hear
    that the firmware does not have it), then one request per poll."""
    sim = await simulator(_NoEstats, jitter=False)
    api = AvalonAPI("127.0.0.1", sim.port)
    data = await api.get_data()
    assert sim.requests == ["version", "summary+estats+pools", "estats", "stats"]
    assert data.hashrate == 90.0
    assert data.power == 3420.0
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == ["summary+stats"]


async def test_litestats_last(simulator: SimulatorFactory) -> None:
    sim = await simulator(_LiteOnly, jitter=False)
    api = AvalonAPI("127.0.0.1", sim.port)
    data = await api.get_data()
    assert sim.requests == ["version", "summary+estats+pools", "estats", "stats", "litestats"]
    assert data.work_mode == "standard"
    assert data.boards[0].chips is None  # litestats has no HBinfo
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == ["summary+litestats"]


class _Upgradable(Avalon):
    """An A-series whose firmware lacks ``estats`` until ``upgraded``, and refuses it for
    another reason (busy) while ``busy``."""

    name: ClassVar[str] = "test-avalon-upgradable"
    upgraded = False
    busy = False
    garbled = False

    def cmd_estats(self, parameter: str | None) -> Reply:
        if self.garbled:
            return b"\x8f\x90 not json"
        if self.busy:
            return self.error(45, "Access denied to 'estats' command")
        if not self.upgraded:
            return self.error(14, "Invalid command")
        return super().cmd_estats(parameter)


async def _upgradable(simulator: SimulatorFactory) -> tuple[Any, _Upgradable, AvalonAPI]:
    sim = await simulator(_Upgradable, jitter=False)
    sim.state.started_at -= 1000
    personality = sim.personality
    assert isinstance(personality, _Upgradable)
    return sim, personality, AvalonAPI("127.0.0.1", sim.port, timeout=1.0)


async def test_estats_refused_otherwise_is_not_given_up(simulator: SimulatorFactory) -> None:
    """A refusal that is not "Invalid command" (busy, denied) leaves ``estats`` the command
    of the next polls; that poll goes without the ``MM ID`` text."""
    sim, personality, api = await _upgradable(simulator)
    personality.upgraded = True
    personality.busy = True
    data = await api.get_data()
    assert sim.requests == ["version", "summary+estats+pools", "estats"]
    assert data.power is None  # no MM ID text this poll
    assert data.hashrate is not None  # the summary's
    personality.busy = False
    sim.requests.clear()
    data = await api.get_data()
    assert sim.requests == ["summary+estats"]
    assert data.power == 3420.0


async def test_estats_tried_again_after_a_restart(simulator: SimulatorFactory) -> None:
    """``stats`` stands in while the firmware lacks ``estats``; after a restart (a firmware
    upgrade) ``estats`` is tried again, and kept once it answers."""
    sim, personality, api = await _upgradable(simulator)
    await api.get_data()
    assert api.stats_command.name == "stats"
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == ["summary+stats"]  # not tried again at every poll

    personality.upgraded = True
    sim.state.reset_uptime()
    await api.get_data()  # notices the restart
    sim.requests.clear()
    data = await api.get_data()
    assert sim.requests == ["summary+stats+pools", "estats"]  # pools: due after a restart
    assert data.power == 3420.0
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == ["summary+estats"]


@pytest.mark.parametrize("garbled", [False, True])
async def test_estats_tried_again_every_few_minutes(
    simulator: SimulatorFactory, garbled: bool
) -> None:
    """Without a restart, ``estats`` is tried again every ``REFRESH_SECONDS``; still
    invalid (or answered with garbage: the poll keeps what ``summary+stats`` read), ``stats``
    stays, and the next try waits as long again (no extra request at every poll)."""
    sim, personality, api = await _upgradable(simulator)
    await api.get_data()
    retry = api.stats_command.retry
    assert retry.read_at is not None
    api.stats_command.retry = replace(retry, read_at=retry.read_at - REFRESH_SECONDS)
    personality.garbled = garbled
    sim.requests.clear()
    data = await api.get_data()
    assert sim.requests == ["summary+stats", "estats"]
    assert data.power == 3420.0  # from stats
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == ["summary+stats"]
    assert api.stats_command.name == "stats"


class _NoVersion(AvalonQ):
    """A unit refusing ``version``."""

    name: ClassVar[str] = "test-avalon-q-no-version"

    def cmd_version(self, parameter: str | None) -> Reply:
        return self.error(14, "Invalid command")


async def test_refused_version_does_not_fail_the_poll(simulator: SimulatorFactory) -> None:
    """Model and firmware from the ``MM ID`` text; ``version`` asked again only now and
    then, not at every poll."""
    sim = await simulator(_NoVersion, jitter=False)
    api = AvalonAPI("127.0.0.1", sim.port)
    data = await api.get_data()
    assert (data.model, data.firmware, data.mac) == ("Q", "25052801_14a19a2", None)
    assert data.work_mode == "standard"  # the Q's names, from Ver[Q-…]
    assert Capability.FAN_SPEED in api.capabilities
    sim.requests.clear()
    await api.get_data()
    await api.get_data()
    assert sim.requests == ["summary+estats"] * 2
    assert api.identity_retry.read_at is not None
    retried = api.identity_retry.read_at - REFRESH_SECONDS
    api.identity_retry = replace(api.identity_retry, read_at=retried)
    await api.get_data()  # the retry is due: this poll forgets the identity
    await api.get_data()
    assert sim.requests[-2:] == ["version", "summary+estats"]


class _Mute(AvalonQ):
    """Answers ``version`` and nothing else."""

    name: ClassVar[str] = "test-avalon-q-mute"

    def handle(self, command: str, parameter: str | None) -> Reply:
        if command == "version":
            return super().handle(command, parameter)
        return self.error(14, "Invalid command")


class _MuteNoJoins(_Mute):
    """The same, refusing joins as a whole too."""

    name: ClassVar[str] = "test-avalon-q-mute-no-joins"
    supports_multicommand: ClassVar[bool] = False


@pytest.mark.parametrize("personality", [_Mute, _MuteNoJoins])
async def test_a_miner_refusing_every_read_fails_the_poll(
    simulator: SimulatorFactory, personality: type[AvalonQ]
) -> None:
    sim = await simulator(personality)
    api = AvalonAPI("127.0.0.1", sim.port)
    with pytest.raises(APIRefusalError, match="refused every command"):
        await api.get_data()
    api._remember({}, MinerIdentity())  # nothing read: nothing remembered
    assert api.refresh.uptime is None


def test_mapping_without_the_mm_text() -> None:
    """Summary alone: the freshest window (the A-series' 30 s), never ``MHS av``."""
    api = AvalonAPI("127.0.0.1")
    summary: dict[str, Any] = {
        "Elapsed": 975,
        "MHS av": 184007000.0,
        "MHS 30s": 199241070.0,
        "MHS 1m": 197266944.0,
    }
    data = api._map({"summary": [{"SUMMARY": [summary]}]}, MinerIdentity(make="Avalon"))
    assert data.hashrate == pytest.approx(199.24107)
    assert data.average_hashrate == pytest.approx(184.007)
    assert data.uptime == 975
    assert data.is_mining is True
    assert data.boards == []
    empty = api._map({}, MinerIdentity())
    assert (empty.hashrate, empty.is_mining, empty.uptime) == (None, None, None)


def test_mapping_work_state_and_module_maximum() -> None:
    api = AvalonAPI("127.0.0.1")
    text = "Ver[1246-21042001_x] SYSTEMSTATU[Work: In Idle, Hash Board: 2] TMax[91] GHSavg[5000]"
    stats = {"estats": [{"STATS": [{"Elapsed": 12, "MM ID0": text}]}]}
    data = api._map(stats, MinerIdentity(make="Avalon"))
    assert data.is_mining is False
    assert data.uptime == 12
    assert data.average_hashrate == 5.0
    assert len(data.boards) == 2
    assert data.chip_temperature == 91.0  # no per-board maxima: the module's TMax
    assert data.model == "1246"
    busy = "SYSTEMSTATU[Work: In Init, Hash Board: 1] WORKMODE[7] WORKLEVEL[3] Elapsed[30]"
    data = api._map({"stats": [{"STATS": [{"MM ID0": busy}]}]}, MinerIdentity())
    assert (data.is_mining, data.work_mode, data.work_level, data.uptime) == (
        None,
        None,
        None,
        30,
    )


def test_models_and_identity_values() -> None:
    assert avalon_model("Q").work_modes == ("eco", "standard", "super")
    assert avalon_model("Avalon Nano3s").target_temperature == (50, 90)
    assert avalon_model("Nano3").controls == {Capability.PAUSE_RESUME, Capability.REBOOT}
    assert avalon_model("Avalon Mini3").work_levels == (("super", 0), ("eco", -1))
    assert avalon_model("AvalonMiner 1566").work_modes == ("normal", "high")
    assert avalon_model(None).controls == {Capability.PAUSE_RESUME, Capability.REBOOT}
    assert _format_mac("b4a2eb3c0b9d") == "b4:a2:eb:3c:0b:9d"
    assert _format_mac("AA:BB:CC:DD:EE:FF") == "aa:bb:cc:dd:ee:ff"
    assert _format_mac("zz") is None
    assert _format_mac(None) is None
    assert _serial("020100003CBE4D15") == "020100003cbe4d15"
    assert _serial("0000000000000000") is None  # the manual's placeholder
    assert _serial("<DELETED>") is None
    assert _serial(None) is None


def test_identity_from_version_shapes() -> None:
    api = AvalonAPI("127.0.0.1")
    home = api._identity_from_version(
        {"CGMiner": "4.11.1", "PROD": "Avalon Nano3s", "LVERSION": "25021401_56abae7"}
    )
    assert (home.model, home.firmware) == ("Nano3s", "25021401_56abae7")
    bare = api._identity_from_version({"CGMiner": "4.11.1"})
    assert (bare.model, bare.firmware) == (None, None)  # never cgminer's version


async def test_command_methods(simulator: SimulatorFactory) -> None:
    sim = await simulator("avalon-q")
    api = AvalonAPI("127.0.0.1", sim.port)
    assert "MM ID0:Summary" in (await api.estats())["STATS"][0]
    assert set((await api.litestats())["STATS"][0]) == {"MM ID0:Summary"}
    assert "fan-spd|" in (await api.ascset("0,help"))["STATUS"][0]["Msg"]
    with pytest.raises(APIError, match="Unknown option: led"):
        await api.ascset("0,led,1-1")


async def test_detected_when_version_is_refused(simulator: SimulatorFactory) -> None:
    """Canaan's ``devdetails`` (driver ``avalon``) tells the family when ``version`` is
    refused."""
    sim = await simulator(_NoVersion)
    api = await detect_api("127.0.0.1", sim.port, timeout=2.0)
    assert isinstance(api, AvalonAPI)
    await api.close()
    other = {"devdetails": {"DEVDETAILS": [{"Driver": "bitmain"}]}}
    assert identify_family(other) == "unknown"
