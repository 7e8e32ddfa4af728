"""AxeOSAPI against the simulated AxeOS family over loopback HTTP: each release's readings,
one request per steady poll, the controls each release offers (and only those), NerdOS's OTP,
the network gate, restarts that answer and restarts that do not."""

from __future__ import annotations

import asyncio
from dataclasses import replace
import json
from typing import Any, ClassVar

from aiohttp import web
import pytest

from custom_components.asic_miner.api import (
    APIConnectionError,
    APIOTPRequiredError,
    APIRefusalError,
    APIUnsupportedError,
    AxeOSAPI,
    Capability,
    MinerIdentity,
)
from custom_components.asic_miner.api.axeos import (
    ASIC_REFRESH_SECONDS,
    BOARD_MODELS,
    Flavour,
    Memory,
    difficulty,
    features_of,
    flavour_of,
    identity_of,
    is_axeos,
    map_info,
    release_of,
)
from custom_components.asic_miner.api.redact import REDACTED
from simulator import Fault, MinerSimulator
from simulator.personalities.axeos import AxeOS, BitaxeGamma, NerdQAxePlus

from .conftest import SimulatorFactory

INFO = "GET /api/system/info"
ASIC = "GET /api/system/asic"


def axeos_api(sim: MinerSimulator, **kwargs: Any) -> AxeOSAPI:
    """The client of a simulated AxeOS device (nothing on the API port)."""
    assert sim.web_port is not None
    kwargs.setdefault("timeout", 2.0)
    return AxeOSAPI("127.0.0.1", 4028, web_port=sim.web_port, **kwargs)


def personality(sim: MinerSimulator) -> AxeOS:
    assert isinstance(sim.personality, AxeOS)
    return sim.personality


async def wait_until(condition: Any, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not reached")


class Gamma210(BitaxeGamma):
    """A Gamma on 2.10.0: ``fanspeed`` is the manual key, best difficulties are strings."""

    name: ClassVar[str] = "test-gamma-210"
    release: ClassVar[tuple[int, int, int]] = (2, 10, 0)
    version: ClassVar[str] = "v2.10.0"


class Gamma214(BitaxeGamma):
    """A Gamma on 2.14.0: compact JSON, JSON restart and identify replies, pause/resume."""

    name: ClassVar[str] = "test-gamma-214"
    release: ClassVar[tuple[int, int, int]] = (2, 14, 0)
    version: ClassVar[str] = "v2.14.0"


# --- readings ----------------------------------------------------------------------------------


async def test_gamma_212_poll(simulator: SimulatorFactory) -> None:
    """Every reading 2.12 reports, in MinerData's units; one request per steady poll."""
    sim = await simulator("bitaxe-gamma", jitter=False)
    api = axeos_api(sim)
    data = await api.get_data()
    assert sim.received == [INFO, ASIC]  # the identity read and the first poll share one
    info = await asyncio.to_thread(lambda: personality(sim).info())
    assert (data.make, data.model, data.firmware) == ("Bitaxe", "Gamma", "v2.12.2")
    assert (data.mac, data.hostname) == ("02:ae:00:02:12:02", "bitaxe")
    assert data.hashrate == round(info["hashRate"] / 1000, 3)
    assert data.expected_hashrate == round(info["expectedHashrate"] / 1000, 3)
    assert data.power == round(info["power"], 1)
    assert data.efficiency == round(info["power"] / (info["hashRate"] / 1000), 2)
    assert data.chip_temperature == round(info["temp"], 1)
    assert data.temperature is None  # no board sensor, and no board: the device is one
    assert data.boards == []
    assert data.vr_temperature == info["vrTemp"]
    assert data.input_voltage == round(info["voltage"] / 1000, 2)
    assert data.input_current == round(info["current"] / 1000, 2)
    assert (data.core_voltage, data.core_voltage_setting) == (1144.0, 1150)
    assert data.frequency == 525.0
    assert [(fan.index, fan.percent) for fan in data.fans] == [(0, round(info["fanspeed"]))]
    assert data.fans[0].rpm == info["fanrpm"]
    assert (data.fan_auto, data.target_temperature) == (True, 60.0)
    assert (data.shares_accepted, data.shares_rejected) == (3120, 9)
    assert data.best_difficulty == 4_290_000_000
    assert data.best_session_difficulty == 4_290_000_000 // 97
    assert (data.blocks_found, data.wifi_rssi) == (0, -52)
    assert [(pool.url, pool.active) for pool in data.pools] == [
        ("public-pool.example:21496", False),
        ("solo.example.org:3333", True),
    ]
    assert data.is_mining is True
    assert data.errors == []
    assert data.fault_light is None
    assert api.capabilities == {
        Capability.REBOOT,
        Capability.IDENTIFY,
        Capability.FAN_SPEED,
        Capability.TARGET_TEMPERATURE,
        Capability.FREQUENCY,
        Capability.CORE_VOLTAGE,
    }
    assert api.frequency_options == (400, 490, 525, 550, 600, 625)
    assert api.core_voltage_options == (1000, 1060, 1100, 1150, 1200, 1250)
    assert (api.fan_speed_bounds, api.target_temperature_bounds) == ((0, 100), (35, 66))
    sim.received.clear()
    await api.get_data()
    assert sim.received == [INFO]


async def test_options_are_read_rarely(simulator: SimulatorFactory) -> None:
    """/api/system/asic: again after ASIC_REFRESH_SECONDS, after a restart, for another MAC."""
    sim = await simulator("bitaxe-gamma", jitter=False)
    api = axeos_api(sim)
    await api.get_data()
    sim.received.clear()
    read_at = api.memory.asic.read_at
    assert read_at is not None
    aged = replace(api.memory.asic, read_at=read_at - ASIC_REFRESH_SECONDS)
    api.memory = replace(api.memory, asic=aged)
    await api.get_data()
    assert sim.received == [INFO, ASIC]
    sim.received.clear()
    later = replace(api.memory.asic, uptime=10**6)
    api.memory = replace(api.memory, asic=later)  # the uptime goes back: a restart
    await api.get_data()
    assert sim.received == [INFO, ASIC]  # the identity read again shares both replies
    sim.received.clear()
    sim.mac = "02:11:22:33:44:55"
    data = await api.get_data()
    assert ASIC in sim.received
    assert api.memory.mac == "02:11:22:33:44:55"
    api.forget_identity()
    assert (await api.get_data()).mac == "02:11:22:33:44:55"
    assert data.hashrate is not None


async def test_ultra_213_oldest_fields(simulator: SimulatorFactory) -> None:
    """2.1.3: fanSpeed is the rpm, the stored manual duty is not the live one; no options."""
    sim = await simulator("bitaxe-ultra", jitter=False)
    api = axeos_api(sim)
    data = await api.get_data()
    assert sim.received == [INFO]  # no /api/system/asic before 2.7
    assert (data.model, data.firmware, data.mac, data.hostname) == ("Ultra", "v2.1.3", None, None)
    assert data.fans[0].rpm is not None
    assert data.fans[0].percent is None  # automatic: fanspeed is the stored manual duty
    assert (data.vr_temperature, data.expected_hashrate, data.wifi_rssi) == (None, None, None)
    assert data.best_difficulty == 13_400_000
    assert data.best_session_difficulty is None
    assert api.capabilities == {Capability.REBOOT, Capability.FAN_SPEED}
    await api.set_fan_speed(70)
    manual = await api.get_data()
    assert (manual.fan_auto, manual.fans[0].percent) == (False, 70)  # manual: it is the duty


async def test_gt_two_fans_pause_and_json_replies(simulator: SimulatorFactory) -> None:
    """2.15: two ASICs, two fans, pause/resume, JSON replies to identify."""
    sim = await simulator("bitaxe-gt", jitter=False)
    api = axeos_api(sim)
    data = await api.get_data()
    assert (data.make, data.model) == ("Bitaxe", "GammaTurbo")
    assert [fan.index for fan in data.fans] == [0, 1]
    assert data.expected_hashrate == round(525 * 2040 * 2 / 1e6, 3)
    assert Capability.PAUSE_RESUME in api.capabilities
    await api.pause_mining()
    paused = await api.get_data()
    assert sim.state.paused
    assert (paused.is_mining, paused.hashrate) == (False, 0.0)
    await api.resume_mining()
    assert (await api.get_data()).is_mining is True
    await api.identify()
    assert sim.state.fault_light


async def test_a_fan_that_stops_still_shows(simulator: SimulatorFactory) -> None:
    """A second fan that spun and stopped is a failed fan at 0 rpm, not a missing one."""
    sim = await simulator("bitaxe-gt", jitter=False)
    api = axeos_api(sim)
    await api.get_data()
    original = personality(sim).info

    def second_fan_stopped() -> dict[str, Any]:
        return {**original(), "fan2rpm": 0}

    personality(sim).info = second_fan_stopped  # type: ignore[method-assign]
    data = await api.get_data()
    assert [(fan.index, fan.rpm) for fan in data.fans] == [(0, data.fans[0].rpm), (1, 0)]


async def test_tch_suprahex(simulator: SimulatorFactory) -> None:
    """The TCH build: 2.7 rules, no target temperature, no identify; chipSubmitStr ignored."""
    sim = await simulator("bitaxe-suprahex", jitter=False)
    api = axeos_api(sim)
    data = await api.get_data()
    assert (data.model, data.firmware, data.hostname) == (
        "SupraHex",
        "2.7.0-TCH-All-In-One",
        None,
    )
    assert data.expected_hashrate == round(490 * 1276 * 6 / 1e6, 3)
    assert data.target_temperature is None
    assert api.capabilities == {
        Capability.REBOOT,
        Capability.FAN_SPEED,
        Capability.FREQUENCY,
        Capability.CORE_VOLTAGE,
    }
    assert [pool.user for pool in data.pools] == [None, None]


async def test_luckyminer_lv07(simulator: SimulatorFactory) -> None:
    """LuckyMiner 1.1.0: voltagei, minerModel; its pool password never kept."""
    sim = await simulator("luckyminer-lv07", jitter=False)
    api = axeos_api(sim)
    data = await api.get_data()
    assert (data.make, data.model, data.firmware) == ("LuckyMiner", "LV07", "1.1.0")
    assert data.input_voltage is not None
    assert data.input_voltage > 11
    assert api.capabilities == {Capability.REBOOT, Capability.FAN_SPEED}
    info = api.last_replies["info"]
    assert info["stratumPassword"] == REDACTED
    assert info["stratumUser"] == REDACTED
    assert "bc1qlucky" not in json.dumps(api.last_replies)


async def test_nerdqaxe_readings_and_otp(simulator: SimulatorFactory) -> None:
    """NerdOS: its own fields; with OTP on, settings raise without a request (no bad code
    counted), the restart (not guarded in 1.0.36) works."""
    sim = await simulator("nerdqaxe-plus", jitter=False)
    sim.reboot_seconds = 0.2
    api = axeos_api(sim)
    data = await api.get_data()
    assert (data.make, data.model, data.firmware) == (None, "NerdQAxe+", "v1.0.36")
    assert data.target_temperature == 55.0  # pidTargetTemp, PID mode
    assert data.fan_auto is True
    assert data.expected_hashrate == round(490 * 1276 * 4 / 1e6, 3)  # the firmware's formula
    assert data.chip_temperature == round(max(api.last_replies["info"]["asicTemps"]), 1)
    assert api.target_temperature_bounds == (30, 80)
    assert Capability.IDENTIFY not in api.capabilities
    assert Capability.PAUSE_RESUME not in api.capabilities
    sim.received.clear()
    for control in (
        api.set_fan_speed(50),
        api.set_target_temperature(50),
        api.set_frequency(525),
        api.set_core_voltage(1200),
    ):
        with pytest.raises(APIOTPRequiredError, match="OTP"):
            await control
    assert sim.received == []
    nerd = sim.personality
    assert isinstance(nerd, NerdQAxePlus)
    assert nerd._failures == []
    await api.reboot()
    await wait_until(lambda: sim.offline)
    await wait_until(lambda: not sim.offline)
    assert (await api.get_data()).uptime is not None


async def test_nerdos_without_otp(simulator: SimulatorFactory) -> None:
    """NerdOS with OTP off: fan back to the PID mode it was in; frequency stored for the next
    restart (the info shows the setting at once)."""
    sim = await simulator("nerdqaxe-plus", jitter=False)
    nerd = sim.personality
    assert isinstance(nerd, NerdQAxePlus)
    nerd.otp_enabled = False
    api = axeos_api(sim)
    await api.get_data()
    await api.set_fan_speed(60)
    assert (sim.state.fan_mode, sim.state.fan_percent) == ("manual", 60)
    await api.get_data()
    await api.set_fan_speed(None)
    assert sim.state.fan_mode == "pid"
    await api.set_target_temperature(58)
    assert sim.state.target_temperature == 58
    await api.set_frequency(525)
    assert (await api.get_data()).frequency == 525.0
    assert sim.state.boards[0].frequency == 490


# --- controls ----------------------------------------------------------------------------------


async def test_gamma_212_controls(simulator: SimulatorFactory) -> None:
    """Fan (manualFanSpeed), target, frequency and voltage change the device at once."""
    sim = await simulator("bitaxe-gamma", jitter=False)
    api = axeos_api(sim)
    await api.get_data()
    await api.set_fan_speed(40)
    assert (sim.state.fan_mode, sim.state.fan_percent) == ("manual", 40)
    await api.set_fan_speed(None)
    assert sim.state.fan_mode == "auto"
    await api.set_target_temperature(55)
    assert sim.state.target_temperature == 55
    await api.set_frequency(550)
    await api.set_core_voltage(1200)
    assert (sim.state.boards[0].frequency, sim.state.boards[0].voltage) == (550, 1.2)
    data = await api.get_data()
    assert (data.frequency, data.core_voltage_setting) == (550.0, 1200)
    sim.received.clear()
    with pytest.raises(ValueError, match="400, 490, 525, 550, 600, 625"):
        await api.set_frequency(575)
    with pytest.raises(ValueError, match="core voltage"):
        await api.set_core_voltage(1300)
    with pytest.raises(ValueError, match="35-66"):
        await api.set_target_temperature(70)
    with pytest.raises(ValueError, match="0-100"):
        await api.set_fan_speed(101)
    assert sim.received == []  # refused before anything was sent
    with pytest.raises(APIUnsupportedError):
        await api.pause_mining()
    with pytest.raises(APIUnsupportedError):
        await api.resume_mining()


async def test_old_fan_key_on_210(simulator: SimulatorFactory) -> None:
    """<= 2.10 reads ``fanspeed``; >= 2.11 ignores that key with a 200 (the client must not
    send it there)."""
    sim = await simulator(Gamma210, jitter=False)  # type: ignore[arg-type]
    api = axeos_api(sim)
    data = await api.get_data()
    assert data.best_difficulty == 4_290_000_000  # "4.29G"
    await api.set_fan_speed(35)
    assert (sim.state.fan_mode, sim.state.fan_percent) == ("manual", 35)
    modern = await simulator("bitaxe-gamma", jitter=False)
    personality(modern).apply_validated({"fanspeed": 35})  # what the old key does on 2.12
    assert modern.state.fan_percent == 100


async def test_identify_toggles_to_on(simulator: SimulatorFactory) -> None:
    """Identify ends with "Hi!" showing even when one was already showing (toggled twice)."""
    sim = await simulator("bitaxe-gamma", jitter=False)
    api = axeos_api(sim)
    await api.get_data()
    await api.identify()
    assert sim.state.fault_light
    sim.received.clear()
    await api.identify()
    assert sim.received == ["POST /api/system/identify"] * 2
    assert sim.state.fault_light
    json_sim = await simulator(Gamma214, jitter=False)  # type: ignore[arg-type]
    json_api = axeos_api(json_sim)
    await json_api.identify()  # reads the info first: no poll has shown the release yet
    await json_api.identify()
    assert json_sim.state.fault_light


async def test_identify_unsupported_before_212(simulator: SimulatorFactory) -> None:
    sim = await simulator(Gamma210, jitter=False)  # type: ignore[arg-type]
    api = axeos_api(sim)
    with pytest.raises(APIUnsupportedError):
        await api.identify()


@pytest.mark.parametrize("name", ["bitaxe-ultra", "luckyminer-lv07", "bitaxe-gamma"])
async def test_restart(simulator: SimulatorFactory, name: str) -> None:
    """2.1.x and LuckyMiner drop the connection unanswered: that is the restart."""
    sim = await simulator(name, jitter=False)
    sim.reboot_seconds = 0.3
    api = axeos_api(sim)
    await api.get_data()
    await api.reboot()
    assert api.identity is None
    await wait_until(lambda: sim.offline)
    await wait_until(lambda: not sim.offline)
    assert (await api.get_data()).uptime is not None


async def test_restart_replies_as_json_from_213(simulator: SimulatorFactory) -> None:
    sim = await simulator(Gamma214, jitter=False)  # type: ignore[arg-type]
    sim.reboot_seconds = 0.3
    api = axeos_api(sim)
    await api.reboot()  # before any poll: the default expects a reply
    await wait_until(lambda: sim.offline)


async def test_silent_restart(simulator: SimulatorFactory) -> None:
    """A device that goes silent after a delivered restart request: the restart, where the
    release restarts without answering; a failure where it answers first."""
    old = await simulator("bitaxe-ultra", jitter=False)
    old.reboot_seconds = 0.1
    api = axeos_api(old, timeout=0.3)
    await api.get_data()
    old.set_fault(Fault.SILENT)
    await api.reboot()
    old.set_fault(Fault.NONE)
    await wait_until(lambda: not old.rebooting)
    new = await simulator("bitaxe-gamma", jitter=False)
    api = axeos_api(new, timeout=0.3)
    await api.get_data()
    new.reboot_seconds = 0.1
    new.set_fault(Fault.SILENT)
    with pytest.raises(APIConnectionError):
        await api.reboot()
    new.set_fault(Fault.NONE)  # the held request may still be answered: let it restart
    await asyncio.sleep(0.1)
    await wait_until(lambda: not new.rebooting)
    new.set_fault(Fault.REFUSE)
    with pytest.raises(APIConnectionError):
        await api.reboot()


class Refusing(BitaxeGamma):
    """A Gamma whose validation refuses every setting, and whose restart wants OTP."""

    name: ClassVar[str] = "test-refusing"

    def valid(self, settings: dict[str, Any]) -> bool:
        return False

    async def _restart(self, request: web.Request) -> web.Response:
        return self.http_error(401, "OTP/Session required")


async def test_refusals_carry_the_firmware_words(simulator: SimulatorFactory) -> None:
    sim = await simulator(Refusing, jitter=False)  # type: ignore[arg-type]
    api = axeos_api(sim)
    await api.get_data()
    with pytest.raises(APIRefusalError, match=r"HTTP 400\): Wrong API input"):
        await api.set_fan_speed(50)
    with pytest.raises(APIOTPRequiredError, match="OTP/Session required"):
        await api.reboot()
    sim.set_fault(Fault.HTTP_500)
    with pytest.raises(APIRefusalError, match="HTTP 500"):
        await api.set_target_temperature(50)


async def test_network_gate(simulator: SimulatorFactory) -> None:
    """401 Unauthorized: the device answers only private networks; a refusal saying so."""
    sim = await simulator("bitaxe-gamma", jitter=False)
    api = axeos_api(sim)
    sim.set_fault(Fault.HTTP_401)
    with pytest.raises(APIRefusalError, match="private networks"):
        await api.get_data()


async def test_reads_before_a_control_when_no_poll_ran(simulator: SimulatorFactory) -> None:
    sim = await simulator(Gamma214, jitter=False)  # type: ignore[arg-type]
    api = axeos_api(sim)
    assert api.capabilities == {Capability.REBOOT}
    assert api.fan_speed_bounds is None
    await api.pause_mining()
    assert sim.state.paused
    assert sim.received[:2] == [INFO, ASIC]


async def test_given_session_is_left_open(simulator: SimulatorFactory) -> None:
    import aiohttp

    sim = await simulator("bitaxe-gamma", jitter=False)
    async with aiohttp.ClientSession() as session:
        api = axeos_api(sim, web_session=session)
        await api.get_data()
        await api.identify()
        await api.close()
        assert not session.closed
    assert repr(api) == f"AxeOSAPI(127.0.0.1:{sim.web_port})"


# --- pure mapping --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("5.56G", 5.56e9),
        ("89.6M", 8.96e7),
        ("13M", 1.3e7),
        ("1.5k", 1500.0),
        ("2.1T", 2.1e12),
        ("999", 999.0),
        (49224525, 49224525.0),
        ("", None),
        ("n/a", None),
        (None, None),
    ],
)
def test_difficulty(value: Any, number: float | None) -> None:
    assert difficulty(value) == number


def test_release_and_flavour() -> None:
    assert release_of("v2.12.2") == (2, 12, 2)
    assert release_of("2.7.0-TCH-All-In-One") == (2, 7, 0)
    assert release_of("v2.10.0-1.9.1") == (2, 10, 0)
    assert release_of("dev") is None
    assert release_of("v" + "9" * 5000 + ".1.2") is None  # no release; never int's ValueError
    assert release_of(None) is None
    assert flavour_of({"minerModel": "LV08"}) is Flavour.LUCKYMINER
    assert flavour_of({"deviceModel": "NerdAxe"}) is Flavour.NERDOS
    assert flavour_of({"version": "2.7.0-TCH-All-In-One"}) is Flavour.TCH
    assert flavour_of({"version": "v2.15.0"}) is Flavour.AXEOS
    assert is_axeos({"ASICModel": "BM1370", "hashRate": 0})
    assert not is_axeos({"hashRate": 0})
    assert not is_axeos([1])


def test_features_by_release() -> None:
    nerd_old = features_of({"deviceModel": "NerdAxe", "version": "v1.0.31", "pidTargetTemp": -1})
    assert (nerd_old.asic_endpoint, nerd_old.target_key) == (False, None)
    nerd = features_of({"deviceModel": "NerdAxe", "version": "v1.0.36", "otp": False})
    assert (nerd.asic_endpoint, nerd.otp, nerd.restart_replies) == (True, False, True)
    early = features_of({"version": "v2.0.0"})
    assert (early.fan_key, early.restart_replies, early.asic_endpoint) == (None, False, False)
    lucky = features_of({"minerModel": "LV07", "version": "1.1.0", "autofanspeed": 1})
    assert (lucky.release, lucky.restart_replies, lucky.fan_key) == (None, False, None)


def test_identity_from_the_board_table() -> None:
    """No /api/system/asic (< 2.9, or refused): ESP-Miner's board table names the model."""
    assert identity_of({"boardVersion": "801"}, None).model == "GammaTurbo"
    assert identity_of({"boardVersion": "801"}, {"deviceModel": "GT"}).model == "GT"
    assert identity_of({"boardVersion": "999"}, None).model is None
    assert identity_of({"macAddr": ""}, None).mac is None
    assert set(BOARD_MODELS.values()) >= {"Max", "Ultra", "Supra", "Gamma", "Hex", "SupraHex"}


def test_placeholders_faults_and_old_keys() -> None:
    identity = MinerIdentity()
    info = {
        "ASICModel": "BM1366",
        "hashRate": 410.5,
        "power": 0,
        "temp": -1,
        "temp2": -1,
        "vrTemp": 0,
        "voltage": 0,
        "fanSpeedRpm": 4100,  # 2.1.4 - 2.1.8
        "autofanspeed": 0,
        "fanspeed": 65,
        "overheat_mode": 1,
        "power_fault": "Power controller error",
        "wifiRSSI": 0,
        "stratumURL": "",
        "bestDiff": "0",
    }
    data = map_info(info, identity, Memory())
    assert (data.power, data.chip_temperature, data.vr_temperature) == (None, None, None)
    assert (data.input_voltage, data.wifi_rssi) == (None, None)
    assert [(fan.rpm, fan.percent) for fan in data.fans] == [(4100, 65)]  # manual: the duty
    assert data.is_mining is False
    assert data.errors == [
        "Power controller error",
        "Overheat mode: mining halted until the device is restarted",
    ]
    assert data.pools == []
    assert data.best_difficulty == 0.0


def test_nerdos_mapping() -> None:
    """Two fans by fanCount, the 1-minute window on <= 1.0.32, pool stats, blocks."""
    info = {
        "deviceModel": "NerdQAxe++",
        "version": "v1.0.32",
        "hashRate": 4000.0,  # the 10-minute average on this release
        "hashRate_1m": 4800.0,
        "fanCount": 2,
        "fanrpm": 5000,
        "fanspeed": 80.0,
        "fanrpm2": 0,
        "fanspeed2": 80.0,
        "shutdown": True,
        "stratumURL": "pool.example",
        "stratumPort": 3333,
        "fallbackStratumURL": "backup.example",
        "stratumUser": "w.1",
        "stratum": {
            "usingFallback": True,
            "pools": [{"connected": False, "accepted": 5}, {"connected": True, "accepted": 7}],
        },
        "foundBlocks": 1,
        "totalFoundBlocks": 2,
        "pidTargetTemp": -1,
        "autofanspeed": 2,
    }
    data = map_info(info, MinerIdentity(model="NerdQAxe++"), Memory())
    assert data.hashrate == 4.8
    assert [(fan.index, fan.rpm) for fan in data.fans] == [(0, 5000), (1, 0)]
    assert data.is_mining is False  # shutdown
    assert [(p.url, p.active, p.alive, p.accepted) for p in data.pools] == [
        ("pool.example:3333", False, False, 5),
        ("backup.example", True, True, 7),
    ]
    assert data.blocks_found == 2
    assert (data.target_temperature, data.fan_auto) == (None, True)
