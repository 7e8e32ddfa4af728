"""LuxOSAPI against the simulated LuxOS miner over loopback sockets: stats mapping, power,
fans, profiles and settings read rarely, the session-protected controls; and its mapping of
replies shaped as real LUXminer writes them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from custom_components.asic_miner.api import Capability, MinerIdentity
from custom_components.asic_miner.api.errors import APIError, APIUnsupportedError
from custom_components.asic_miner.api.luxos import LuxOSAPI
from custom_components.asic_miner.api.refresh import REFRESHED
from simulator import MinerSimulator
from simulator.personalities.luxos import LuxOS

from .conftest import SimulatorFactory

STEADY = "summary+stats+power+fans"
REFRESHING = f"{STEADY}+config+profiles+pools+tempctrl+temps"


async def _luxos(simulator: SimulatorFactory) -> tuple[MinerSimulator, LuxOSAPI]:
    sim = await simulator("luxos", jitter=False)
    return sim, LuxOSAPI("127.0.0.1", sim.port, timeout=1.0)


def _personality(sim: MinerSimulator) -> LuxOS:
    personality = sim.personality
    assert isinstance(personality, LuxOS)
    return personality


class HydroLuxOS(LuxOS):
    """A hydro unit: water inlet and outlet sensors on each board, no fans."""

    name = "test-luxos-hydro"
    cooling = "Hydro"

    @classmethod
    def initial_state(cls) -> Any:
        """The S19j Pro's state without fans."""
        return replace(super().initial_state(), fans=[])

    def cmd_fans(self, parameter: str | None) -> Any:
        """Hydro machines have no FANS section."""
        return self.ok(202, "0 Fan(s)", "FANCTRL", [{"MinFans": 0, "PowerOffSpeed": 0}])


async def test_poll_maps_everything(simulator: SimulatorFactory) -> None:
    """Identity from version+config, boards from stats, power, fans with duty, profile limit,
    settings; no chip temperature (LuxOS shows board temperatures only)."""
    sim, api = await _luxos(simulator)
    assert api.power_limit_bounds is None  # no profiles seen yet
    data = await api.get_data()
    assert (data.make, data.model) == ("Antminer", "S19j Pro")
    assert data.firmware == "2024.5.1.155025"  # VERSION Miner
    assert (data.mac, data.hostname, data.serial) == (
        "02:1c:05:00:00:01",
        "luxos-miner",
        "LUXS19JPRO0001",
    )
    assert data.hashrate == pytest.approx(102.0)
    assert data.average_hashrate == pytest.approx(102.0)
    assert data.expected_hashrate == pytest.approx(102.0)
    assert data.power == 3250
    assert data.power_limit == 3250
    assert data.efficiency == round(3250 / 102.0, 2)
    assert [board.index for board in data.boards] == [0, 1, 2]  # the empty 4th chain is none
    assert [board.chips for board in data.boards] == [126, 126, 126]
    assert data.temperature == 60.0
    assert data.chip_temperature is None
    assert [(fan.index, fan.rpm, fan.percent) for fan in data.fans] == [
        (0, 4200, 45),
        (1, 4260, 45),
        (2, 4180, 45),
        (3, 4220, 45),
    ]
    assert data.pools[0].url == "stratum+tcp://btc.luxor.tech:700"
    assert (data.shares_accepted, data.shares_rejected, data.blocks_found) == (12345, 12, 0)
    assert data.best_session_difficulty == 123456789
    assert data.target_temperature == 70
    assert (data.inlet_temperature, data.outlet_temperature) == (None, None)
    assert data.fault_light is False  # RedLed "auto": the firmware's own signalling
    assert data.is_mining is True
    assert api.power_limit_bounds == (2600, 3800)
    assert api.capabilities == {
        Capability.REBOOT,
        Capability.RESTART_BACKEND,
        Capability.PAUSE_RESUME,
        Capability.POWER_LIMIT,
        Capability.FAULT_LIGHT,
        Capability.FAN_SPEED,
        Capability.TARGET_TEMPERATURE,
    }
    assert data.fan_auto is True
    assert api.work_modes == ()
    assert sim.requests == ["version+config", REFRESHING]
    sim.requests.clear()
    steady = await api.get_data()
    assert sim.requests == [STEADY]
    assert (steady.power_limit, steady.pools, steady.fault_light) == (3250, data.pools, False)


async def test_hydro_reads_the_water(simulator: SimulatorFactory) -> None:
    """Water inlet/outlet sensors (temps METADATA labels) → inlet/outlet temperature, read
    every poll once the labels show them; no fans is no fans."""
    sim = await simulator(HydroLuxOS, jitter=False)
    api = LuxOSAPI("127.0.0.1", sim.port, timeout=1.0)
    data = await api.get_data()
    assert (data.inlet_temperature, data.outlet_temperature) == (38.0, 47.0)
    assert data.fans == []
    sim.requests.clear()
    assert (await api.get_data()).inlet_temperature == 38.0
    assert sim.requests == [f"{STEADY}+temps"]


async def test_curtail_sleep_and_wakeup(simulator: SimulatorFactory) -> None:
    """curtail sleep stops hashing, wakeup resumes; each control opens and closes its
    session, so other tools can act between them."""
    sim, api = await _luxos(simulator)
    await api.pause_mining()
    assert sim.state.paused
    assert _personality(sim).session_id == ""
    data = await api.get_data()
    assert data.is_mining is False
    assert data.power == sim.state.idle_power
    await api.resume_mining()
    assert not sim.state.paused
    assert sim.received.count("logon") == 2
    assert sim.received.count("logoff") == 2
    assert sim.received.count("curtail") == 2


async def test_power_limit_picks_a_profile(simulator: SimulatorFactory) -> None:
    """The largest profile within the limit is chosen; power and hashrate follow."""
    sim, api = await _luxos(simulator)
    await api.set_power_limit(3000)
    assert _personality(sim).profile == "-1"
    data = await api.get_data()
    assert data.power_limit == 2900
    assert data.power == pytest.approx(2900)
    assert data.hashrate == round(102.0 * 2900 / 3250, 3)
    await api.set_power_limit(2600)
    assert _personality(sim).profile == "-2"
    with pytest.raises(ValueError, match="outside"):
        await api.set_power_limit(2000)


async def test_led_restart_reboot(simulator: SimulatorFactory) -> None:
    """ledset, resetminer and rebootdevice reach the miner; the next poll reads the LED."""
    sim, api = await _luxos(simulator)
    await api.get_data()
    await api.set_fault_light(True)
    assert sim.state.fault_light
    sim.requests.clear()
    assert (await api.get_data()).fault_light is True
    assert sim.requests == [REFRESHING]  # config read again after the control
    await api.set_fault_light(False)
    assert not sim.state.fault_light
    assert (await api.get_data()).fault_light is False  # RedLed "off"
    sim.state.started_at -= 500
    await api.restart_backend()
    assert sim.state.uptime() < 100
    _personality(sim).reboot_seconds = 0.2
    await api.reboot()
    assert "rebootdevice" in sim.received
    assert sim.received[-1] == "rebootdevice"  # no logoff after a reboot
    assert api._session_id is None


async def test_fan_speed_and_mode(simulator: SimulatorFactory) -> None:
    """fanset speed=<n> fixes the duty (tempctrl Mode Manual), speed=-1 hands the fans back
    to luxminer; the settings are read back with the rare reads that follow a control, and a
    steady poll stays one request."""
    sim, api = await _luxos(simulator)
    data = await api.get_data()
    assert data.fan_auto is True  # tempctrl Mode "Automatic"
    assert Capability.FAN_SPEED in api.capabilities
    assert api.fan_speed_bounds == (0, 100)
    await api.set_fan_speed(60)
    assert (sim.state.fan_mode, sim.state.fan_percent) == ("manual", 60)
    assert sim.received[-3:] == ["logon", "fanset", "logoff"]
    sim.requests.clear()
    data = await api.get_data()
    assert sim.requests == [REFRESHING]
    assert data.fan_auto is False
    assert [fan.percent for fan in data.fans] == [60, 60, 60, 60]
    await api.set_fan_speed(None)
    assert sim.state.fan_mode == "auto"
    assert (await api.get_data()).fan_auto is True
    sim.requests.clear()
    assert (await api.get_data()).fan_auto is True  # the last tempctrl stands in
    assert sim.requests == [STEADY]
    sim.received.clear()
    with pytest.raises(ValueError, match="outside 0-100"):
        await api.set_fan_speed(101)
    assert sim.received == []


async def test_target_temperature_up_to_hot(simulator: SimulatorFactory) -> None:
    """tempctrlset target_temp=<°C> within 0 and tempctrl's Hot (a target above the hot
    temperature is refused by LuxOS: refused here before anything is sent)."""
    sim, api = await _luxos(simulator)
    assert api.target_temperature_bounds is None  # tempctrl not read yet
    assert Capability.TARGET_TEMPERATURE in api.capabilities
    assert (await api.get_data()).target_temperature == 70
    assert api.target_temperature_bounds == (0, 80)
    await api.set_target_temperature(65)
    assert sim.state.target_temperature == 65
    assert _personality(sim).temperature_control == (65, 80, 90)  # hot, dangerous kept
    assert (await api.get_data()).target_temperature == 65
    sim.received.clear()
    with pytest.raises(ValueError, match="outside 0-80"):
        await api.set_target_temperature(81)
    assert sim.received == []
    # Hot lowered on the miner: the bound follows at the next read of the settings.
    _personality(sim).temperature_control = (65, 75, 90)
    api.refresh = api.refresh.soon()
    await api.get_data()
    assert api.target_temperature_bounds == (0, 75)


async def test_simulator_fanset_and_tempctrlset_rules(simulator: SimulatorFactory) -> None:
    """The simulated LuxOS takes the documented forms (key=value and legacy) and refuses
    what LuxOS refuses: a speed outside -1..100, thresholds out of order."""
    sim, api = await _luxos(simulator)
    await api.send_privileged_command("fanset", "55,3")  # legacy: speed, min_fans
    assert (sim.state.fan_mode, sim.state.fan_percent) == ("manual", 55)
    await api.send_privileged_command("fanset", "speed=-1,min_fans=2")
    assert sim.state.fan_mode == "auto"
    await api.send_privileged_command("fanset", "min_fans=2")  # the speed left as it is
    assert sim.state.fan_mode == "auto"
    for bad in ("speed=150", "speed=fast", "spin=50"):
        with pytest.raises(APIError, match="Invalid fan control"):
            await api.send_privileged_command("fanset", bad)
    reply = await api.send_privileged_command("tempctrlset", "60,70,80")  # legacy order
    assert reply["TEMPCTRL"][0]["Target"] == 60
    for bad in ("target_temp=75", "target_temp=warm", "fan_temp=50", ""):  # 75: above hot 70
        with pytest.raises(APIError, match="Invalid temperature control"):
            await api.send_privileged_command("tempctrlset", bad)
    assert _personality(sim).temperature_control == (60, 70, 80)


async def test_no_fan_control_without_fans(simulator: SimulatorFactory) -> None:
    """A hydro unit lists no fans and refuses fanset: no fan control is offered and nothing
    is sent; its target temperature is still a control."""
    sim = await simulator(HydroLuxOS, jitter=False)
    api = LuxOSAPI("127.0.0.1", sim.port, timeout=1.0)
    await api.get_data()
    assert Capability.FAN_SPEED not in api.capabilities
    assert Capability.TARGET_TEMPERATURE in api.capabilities
    assert api.fan_speed_bounds is None
    sim.received.clear()
    with pytest.raises(APIUnsupportedError):
        await api.set_fan_speed(50)
    assert sim.received == []
    with pytest.raises(APIError, match="does not have fans"):
        await api.send_privileged_command("fanset", "speed=50")


async def test_fan_mode_unknown_without_mode(simulator: SimulatorFactory) -> None:
    """A tempctrl reply without Mode (Luxor's examples show none) leaves the fan mode
    unknown, never a guess; the target and its bound still come."""

    class NoModeLuxOS(LuxOS):
        name = "test-luxos-no-mode"

        def tempctrl_item(self) -> dict[str, Any]:
            item = super().tempctrl_item()
            del item["Mode"]
            return item

    sim = await simulator(NoModeLuxOS, jitter=False)
    api = LuxOSAPI("127.0.0.1", sim.port, timeout=1.0)
    data = await api.get_data()
    assert (data.fan_auto, data.target_temperature) == (None, 70)
    assert api.target_temperature_bounds == (0, 80)


async def test_existing_session_is_reused(simulator: SimulatorFactory) -> None:
    """A session opened elsewhere (session shows it) is used instead of a refused logon, and
    left open for its owner."""
    sim, api = await _luxos(simulator)
    other = LuxOSAPI("127.0.0.1", sim.port, timeout=1.0)
    theirs = (await other.logon())["SESSION"][0]["SessionID"]
    await api.set_fault_light(True)
    assert sim.received.count("logon") == 1
    assert _personality(sim).session_id == theirs
    assert "logoff" not in sim.received


async def test_expired_session_is_renewed_once(simulator: SimulatorFactory) -> None:
    """The session expired under the client: it opens a new one and retries."""
    sim, api = await _luxos(simulator)
    personality = _personality(sim)
    personality.session_id, personality.session_used = "stale", 0.0
    api._session_id = "stale"
    await api.resume_mining()
    assert not sim.state.paused
    assert sim.received.count("logon") == 1
    assert sim.received.count("curtail") == 2


async def test_refusals(simulator: SimulatorFactory) -> None:
    """Refused arguments raise APIError; no work modes; no session at all is an error."""
    sim, api = await _luxos(simulator)
    with pytest.raises(APIError, match="Invalid curtail mode"):
        await api.send_privileged_command("curtail", "nap")
    with pytest.raises(APIError, match="Invalid profile"):
        await api.send_privileged_command("profileset", "turbo")
    with pytest.raises(APIError, match="Invalid LED"):
        await api.send_privileged_command("ledset", "green,on")
    with pytest.raises(APIUnsupportedError):
        await api.set_work_mode("low")
    personality = _personality(sim)
    personality.cmd_logon = lambda parameter: personality.ok(305, "ok", "SESSION", [{}])  # type: ignore[method-assign]
    fresh = LuxOSAPI("127.0.0.1", sim.port, timeout=1.0)
    personality.session_id = ""
    with pytest.raises(APIError, match="did not open a session"):
        await fresh.pause_mining()


async def test_invalid_session_twice_raises(simulator: SimulatorFactory) -> None:
    """A session that is refused even when fresh is an error, not a loop."""
    sim, api = await _luxos(simulator)
    personality = _personality(sim)
    personality.cmd_curtail = lambda parameter: personality.error(306, "Invalid session id")  # type: ignore[method-assign]
    with pytest.raises(APIError, match="Invalid session"):
        await api.pause_mining()
    assert sim.received.count("curtail") == 2


async def test_logoff_failure_does_not_fail_the_control(simulator: SimulatorFactory) -> None:
    """The session expires by itself: a logoff the miner refuses is no failed control."""
    sim, api = await _luxos(simulator)
    personality = _personality(sim)
    personality.cmd_logoff = lambda parameter: personality.error(306, "Invalid session id")  # type: ignore[method-assign]
    await api.pause_mining()
    assert sim.state.paused


async def test_no_profiles(simulator: SimulatorFactory) -> None:
    """Without usable profiles there is no power limit to read or set."""
    sim, api = await _luxos(simulator)
    personality = _personality(sim)
    personality.cmd_profiles = lambda parameter: personality.ok(  # type: ignore[method-assign]
        301, "Profiles", "PROFILES", [{"Profile Name": "broken"}, {"Watts": 3000}]
    )
    data = await api.get_data()
    assert data.power_limit is None
    with pytest.raises(APIError, match="no profiles"):
        await api.set_power_limit(3000)


async def test_identity_without_make_prefix(simulator: SimulatorFactory) -> None:
    """A Type without a known make stays the model; missing config fields are None; without
    Type the config's Model; without Miner the LUXminer version."""
    sim, api = await _luxos(simulator)
    personality = _personality(sim)
    sim.state.make = "Custom"
    personality.cmd_config = lambda parameter: personality.ok(33, "cfg", "CONFIG", [{}])  # type: ignore[method-assign]
    identity = await api.get_identity()
    assert identity.make is None
    assert identity.model == "Custom S19j Pro"
    assert identity.mac is None
    personality.version_fields = lambda: {"API": "3.7", "LUXminer": "2024.5.1-f5"}  # type: ignore[method-assign]
    personality.cmd_config = lambda parameter: personality.ok(  # type: ignore[method-assign]
        33, "cfg", "CONFIG", [{"Model": "Antminer S21"}]
    )
    api.forget_identity()
    identity = await api.get_identity()
    assert (identity.model, identity.firmware) == ("S21", "2024.5.1-f5")


async def test_identity_refused_is_retried_after_a_refresh(simulator: SimulatorFactory) -> None:
    """version and config refused: the readings still come; identity None, read again at the
    poll after the next refresh (alone when joins fail)."""
    sim, api = await _luxos(simulator)
    personality = _personality(sim)
    alone = LuxOSAPI("127.0.0.1", sim.port, timeout=1.0)
    alone.batching.joins_work = False
    for command in ("version", "config"):
        setattr(personality, f"cmd_{command}", lambda _p: personality.error(14, "Invalid command"))
    data = await api.get_data()
    assert (data.firmware, data.model, data.power_limit) == (None, None, None)
    assert data.hashrate == pytest.approx(102.0)
    sim.requests.clear()
    await api.get_data()
    await api.get_data()
    assert sim.requests == ["version+config", STEADY, STEADY]
    assert (await alone.get_data()).firmware is None


async def test_command_methods(simulator: SimulatorFactory) -> None:
    """The read commands of this family answer as LuxOS writes them."""
    _sim, api = await _luxos(simulator)
    expected = {"power", "profiles", "fans", "temps", "tempctrl", "groups", "atm"}
    assert expected | {"session", "logon"} <= set(api.commands)
    assert (await api.power())["POWER"][0]["Watts"] == 3250
    assert [fan["FAN"] for fan in (await api.fans())["FANS"]] == ["FAN4", "FAN2", "FAN1", "FAN3"]
    temps = await api.temps()
    assert [entry["ID"] for entry in temps["TEMPS"]] == [1, 2, 0]  # out of order
    assert temps["METADATA"][0]["TopLeft"]["Label"] == "Board Exhaust (top)"
    assert (await api.groups())["GROUPS"][0]["Name"] == "Default"
    assert (await api.atm())["ATM"][0]["Enabled"] is False
    assert [entry["ASC"] for entry in (await api.devs())["DEVS"]] == [2, 0, 1]  # out of order
    assert (await api.devdetails())["DEVDETAILS"][0]["Chips"] == 126
    assert (await api.tempctrl())["TEMPCTRL"][0]["Target"] == 70
    version = (await api.version())["VERSION"][0]
    assert (version["Miner"], version["CompileTime"]) == (
        "2024.5.1.155025",
        "Wed May  1 15:50:25 UTC 2024",
    )


async def test_simulator_session_rules(simulator: SimulatorFactory) -> None:
    """logoff needs the right id; a second logon is refused; sessions expire."""
    sim, api = await _luxos(simulator)
    personality = _personality(sim)
    first = (await api.logon())["SESSION"][0]["SessionID"]
    with pytest.raises(APIError, match="Another session"):
        await api.logon()
    with pytest.raises(APIError, match="Invalid session"):
        await api.send_command("logoff", "wrong")
    await api.send_command("logoff", first)
    assert personality.session_id == ""
    await api.logon()
    personality.session_timeout = 0.0
    assert (await api.session())["SESSION"][0]["SessionID"] == ""
    for command in ("rebootdevice", "resetminer", "ledset", "profileset", "fanset", "tempctrlset"):
        with pytest.raises(APIError, match="Invalid session"):
            await api.send_command(command, "nope")


async def test_detect_api_finds_luxos(simulator: SimulatorFactory) -> None:
    """detect_api returns LuxOSAPI for the simulated LuxOS miner."""
    from custom_components.asic_miner.api import detect_api

    sim = await simulator("luxos")
    assert isinstance(await detect_api("127.0.0.1", sim.port, timeout=2.0), LuxOSAPI)


async def test_power_limit_bounds_follow_the_profiles(simulator: SimulatorFactory) -> None:
    """Bounds are the whole watts inside the profiles the last read listed (profiles are
    read again with the settings: at the refresh, after a control)."""
    sim, api = await _luxos(simulator)
    assert api.power_limit_bounds is None
    await api.get_data()
    assert api.power_limit_bounds == (2600, 3800)
    _personality(sim).profiles = {"eco": 2450.4, "default": 3250, "turbo": 3999.6}
    api.refresh = api.refresh.soon()
    await api.get_data()
    assert api.power_limit_bounds == (2451, 3999)
    await api.set_power_limit(2451)
    assert _personality(sim).profile == "eco"
    with pytest.raises(ValueError, match="outside"):
        await api.set_power_limit(2450)


async def test_password_makes_no_stock_web_request(simulator: SimulatorFactory) -> None:
    """LuxOS is not stock Antminer firmware: with a password configured, its polls and
    controls never knock on the stock web interface (the trap below counts connections; a
    stock-Antminer client on the same settings does reach it)."""
    import asyncio

    from custom_components.asic_miner.api import BMMinerAPI

    knocks: list[int] = []

    async def trap(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        knocks.append(1)
        writer.close()

    server = await asyncio.start_server(trap, "127.0.0.1", 0)
    web_port = server.sockets[0].getsockname()[1]
    try:
        sim = await simulator("luxos", jitter=False)
        api = LuxOSAPI("127.0.0.1", sim.port, password="root", web_port=web_port, timeout=1.0)
        await api.get_data()
        await api.get_data()
        await api.set_fault_light(True)
        await api.check_password()
        assert knocks == []
        stock = BMMinerAPI("127.0.0.1", sim.port, password="root", web_port=web_port, timeout=1.0)
        await stock.get_data()
        assert knocks
    finally:
        server.close()
        await server.wait_closed()


async def test_red_led_is_read_from_config(simulator: SimulatorFactory) -> None:
    """The fault light is what LuxOS reports (config RedLed), also when set elsewhere (seen
    at the next read of the settings), never the value this client last set."""
    sim, api = await _luxos(simulator)
    assert (await api.get_data()).fault_light is False
    sim.state.fault_light = True  # switched on by another tool
    api.refresh = replace(api.refresh, interval=0.0)  # the settings are read again
    assert (await api.get_data()).fault_light is True
    await api.set_fault_light(False)
    sim.state.fault_light = True  # and on again behind this client's back
    assert (await api.get_data()).fault_light is True


# --- replies shaped as real LUXminer writes them (own values) ---------------------------------


def _reply(section: str, *entries: dict[str, Any], **extra: Any) -> list[dict[str, Any]]:
    return [{"STATUS": [{"STATUS": "S", "Code": 1, "Msg": ""}], section: list(entries), **extra}]


def _map(api: LuxOSAPI, **replies: list[dict[str, Any]]) -> Any:
    polled: dict[str, Any] = {**replies, REFRESHED: [], "multicommand": True}
    api._remember(polled, MinerIdentity())
    return api._map(polled, MinerIdentity())


@pytest.mark.parametrize(
    ("red_led", "lit"),
    [("auto", False), ("off", False), ("on", True), ("blink", True), ("flash", None)],
)
def test_red_led_values(red_led: str, lit: bool | None) -> None:
    """auto is the firmware's normal signalling, not a lit fault light; unknown: None."""
    data = _map(LuxOSAPI("127.0.0.1"), config=_reply("CONFIG", {"RedLed": red_led}))
    assert data.fault_light is lit


def test_stats_as_luxos_writes_them() -> None:
    """Rate "0" with 0 chips is an empty connector; temp_chip repeating temp_pcb is no chip
    reading; a distinct temp_chip is one."""
    stats = {
        "STATS": 0,
        "GHS 5s": 20000.0,
        "rate_unit": "GH",
        "chain_acn1": 77,
        "chain_rate1": "10000.00",
        "temp_pcb1": "47-34-34-47",
        "temp_chip1": "47-34-34-47",
        "chain_acn2": 77,
        "chain_rate2": "10000.00",
        "temp_pcb2": "50-40-40-50",
        "temp_chip2": "65-60-60-65",
        "chain_acn3": 0,
        "chain_rate3": "0",
        "temp_pcb3": "0-0-0-0",
        "temp_chip3": "0-0-0-0",
    }
    version_object = {"CompileTime": "x", "Miner": "2025.1.1", "Type": "Antminer S19k Pro"}
    data = _map(LuxOSAPI("127.0.0.1"), stats=_reply("STATS", version_object, stats))
    assert [(b.index, b.temperature, b.chip_temperature) for b in data.boards] == [
        (0, 47.0, None),
        (1, 50.0, 65.0),
    ]
    assert (data.temperature, data.chip_temperature) == (50.0, 65.0)


def test_fans_and_water() -> None:
    """FAN labels as strings, IDs as numbers; a dead listed fan stays at 0 rpm; water labels
    in METADATA give the inlet/outlet temperature (0 readings ignored)."""
    fans = _reply(
        "FANS",
        {"FAN": "FAN4", "ID": 1, "RPM": 0, "Speed": 30},
        {"FAN": "FAN1", "ID": 0, "RPM": 900},
    )
    metadata = {"BottomRight": {"Label": "Water Inlet"}, "TopRight": {"Label": "Water Outlet"}}
    temps = _reply(
        "TEMPS",
        {"ID": 1, "BottomRight": 40.0, "TopRight": 50.0},
        {"ID": 0, "BottomRight": 0, "TopRight": 48.0},
        METADATA=[metadata],
    )
    data = _map(LuxOSAPI("127.0.0.1"), fans=fans, temps=temps)
    assert [(f.index, f.rpm, f.percent) for f in data.fans] == [(0, 900, None), (1, 0, 30)]
    assert (data.inlet_temperature, data.outlet_temperature) == (40.0, 49.0)


@pytest.mark.parametrize(
    ("empty", "first"),
    [
        (range(1, 6), 6),  # S9 generation: boards on chains 6-8, empty connectors 1-5 listed
        (range(1, 2), 2),  # an empty first connector before boards on chains 2-3
        (range(0), 2),  # boards on chains 2-3, no chain 1 listed at all
    ],
)
def test_chip_temperatures_of_the_right_chain(empty: range, first: int) -> None:
    """Each board's chip reading is judged on its own chain's sensors, whatever empty
    connectors come before the boards: board 0 repeats its pcb sensors (no chip reading),
    board 1 has a chip reading of its own."""
    stats: dict[str, Any] = {"STATS": 0, "GHS 5s": 20000.0, "rate_unit": "GH"}
    for chain in empty:
        stats |= {f"chain_acn{chain}": 0, f"chain_rate{chain}": "0", f"temp_chip{chain}": "0"}
        stats[f"temp_pcb{chain}"] = "0"
    stats |= {
        f"chain_acn{first}": 63,
        f"chain_rate{first}": "10000.00",
        f"temp_pcb{first}": "55",
        f"temp_chip{first}": "55",
        f"chain_acn{first + 1}": 63,
        f"chain_rate{first + 1}": "10000.00",
        f"temp_pcb{first + 1}": "52",
        f"temp_chip{first + 1}": "71",
    }
    version_object = {"CompileTime": "x", "Miner": "2025.1.1", "Type": "Antminer S9"}
    data = _map(LuxOSAPI("127.0.0.1"), stats=_reply("STATS", version_object, stats))
    chips = [(b.temperature, b.chip_temperature) for b in data.boards]
    assert chips == [(55.0, None), (52.0, 71.0)]
