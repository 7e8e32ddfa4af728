"""LuxOSAPI against the simulated LuxOS miner over loopback sockets: stats mapping, power and
profiles, and the session-protected controls."""

from __future__ import annotations

import pytest

from custom_components.asic_miner.api import Capability
from custom_components.asic_miner.api.errors import APIError, APIUnsupportedError
from custom_components.asic_miner.api.luxos import LuxOSAPI
from simulator import MinerSimulator
from simulator.personalities.luxos import LuxOS

from .conftest import SimulatorFactory


async def _luxos(simulator: SimulatorFactory) -> tuple[MinerSimulator, LuxOSAPI]:
    sim = await simulator("luxos", jitter=False)
    return sim, LuxOSAPI("127.0.0.1", sim.port, timeout=1.0)


def _personality(sim: MinerSimulator) -> LuxOS:
    personality = sim.personality
    assert isinstance(personality, LuxOS)
    return personality


async def test_poll_maps_everything(simulator: SimulatorFactory) -> None:
    """Identity from version+config, boards from stats, power and profile limit."""
    sim, api = await _luxos(simulator)
    assert api.power_limit_bounds is None  # no profiles seen yet
    data = await api.get_data()
    assert data.make == "Antminer"
    assert data.model == "S19j Pro"
    assert data.firmware == "2024.5.1.155025-f5e4c9ee"
    assert data.mac == "02:1c:05:00:00:01"
    assert data.hostname == "luxos-miner"
    assert data.serial == "LUXS19JPRO0001"
    assert data.hashrate == pytest.approx(102.0)
    assert data.expected_hashrate == pytest.approx(102.0)
    assert data.power == 3250
    assert data.power_limit == 3250
    assert data.efficiency == round(3250 / 102.0, 2)
    assert [board.chips for board in data.boards] == [126, 126, 126]
    assert data.temperature == 60.0
    assert data.chip_temperature == 72.0
    assert len(data.fans) == 4
    assert data.pools[0].url == "stratum+tcp://btc.luxor.tech:700"
    assert data.is_mining is True
    assert api.power_limit_bounds == (2600, 3800)
    assert api.capabilities == {
        Capability.REBOOT,
        Capability.RESTART_BACKEND,
        Capability.PAUSE_RESUME,
        Capability.POWER_LIMIT,
        Capability.FAULT_LIGHT,
    }
    assert api.work_modes == ()
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == ["summary+pools+stats+power+config+profiles"]


async def test_curtail_sleep_and_wakeup(simulator: SimulatorFactory) -> None:
    """curtail sleep stops hashing, wakeup resumes; one logon serves both."""
    sim, api = await _luxos(simulator)
    await api.pause_mining()
    assert sim.state.paused
    data = await api.get_data()
    assert data.is_mining is False
    assert data.power == sim.state.idle_power
    await api.resume_mining()
    assert not sim.state.paused
    assert sim.received.count("logon") == 1
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
    """ledset, resetminer and rebootdevice reach the miner."""
    sim, api = await _luxos(simulator)
    await api.set_fault_light(True)
    assert sim.state.fault_light
    assert (await api.get_data()).fault_light is True
    await api.set_fault_light(False)
    assert not sim.state.fault_light
    sim.state.started_at -= 500
    await api.restart_backend()
    assert sim.state.uptime() < 100
    _personality(sim).reboot_seconds = 0.2
    await api.reboot()
    assert "rebootdevice" in sim.received
    assert api._session_id is None


async def test_existing_session_is_reused(simulator: SimulatorFactory) -> None:
    """A session opened elsewhere (session shows it) is used instead of a refused logon."""
    sim, api = await _luxos(simulator)
    other = LuxOSAPI("127.0.0.1", sim.port, timeout=1.0)
    await other.set_fault_light(True)
    await api.set_fault_light(False)
    assert sim.received.count("logon") == 1


async def test_expired_session_is_renewed_once(simulator: SimulatorFactory) -> None:
    """The miner dropped the session: the client opens a new one and retries."""
    sim, api = await _luxos(simulator)
    await api.pause_mining()
    _personality(sim).session_id = ""
    await api.resume_mining()
    assert not sim.state.paused
    assert sim.received.count("logon") == 2


async def test_refusals(simulator: SimulatorFactory) -> None:
    """Refused arguments raise APIError; no work modes; no session at all is an error."""
    sim, api = await _luxos(simulator)
    with pytest.raises(APIError, match="Invalid curtail mode"):
        await api.send_privileged_command("curtail", "nap")
    with pytest.raises(APIError, match="Invalid profile"):
        await api.send_privileged_command("profileset", "turbo")
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
    """A Type without a known make stays the model; missing config fields are None."""
    sim, api = await _luxos(simulator)
    personality = _personality(sim)
    sim.state.make = "Custom"
    personality.cmd_config = lambda parameter: personality.ok(33, "cfg", "CONFIG", [{}])  # type: ignore[method-assign]
    identity = await api.get_identity()
    assert identity.make is None
    assert identity.model == "Custom S19j Pro"
    assert identity.mac is None
    personality.version_fields = lambda: {"API": "3.7"}  # type: ignore[method-assign]
    api.forget_identity()
    assert (await api.get_identity()).model is None


async def test_command_methods(simulator: SimulatorFactory) -> None:
    """power/fans are commands of this family."""
    _sim, api = await _luxos(simulator)
    assert {"power", "profiles", "fans", "session", "logon"} <= set(api.commands)
    assert (await api.power())["POWER"][0]["Watts"] == 3250
    assert len((await api.fans())["FANS"]) == 4


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
    for command in ("rebootdevice", "resetminer", "ledset", "profileset"):
        with pytest.raises(APIError, match="Invalid session"):
            await api.send_command(command, "nope")


async def test_detect_api_finds_luxos(simulator: SimulatorFactory) -> None:
    """detect_api returns LuxOSAPI for the simulated LuxOS miner."""
    from custom_components.asic_miner.api import detect_api

    sim = await simulator("luxos")
    assert isinstance(await detect_api("127.0.0.1", sim.port, timeout=2.0), LuxOSAPI)


async def test_power_limit_bounds_follow_the_profiles(simulator: SimulatorFactory) -> None:
    """Bounds are the whole watts inside the profiles the last poll listed."""
    sim, api = await _luxos(simulator)
    assert api.power_limit_bounds is None
    await api.get_data()
    assert api.power_limit_bounds == (2600, 3800)
    _personality(sim).profiles = {"eco": 2450.4, "default": 3250, "turbo": 3999.6}
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
    """The fault light is what LuxOS reports (config RedLed), also when set elsewhere, never
    the value this client last set."""
    sim, api = await _luxos(simulator)
    assert (await api.get_data()).fault_light is False
    sim.state.fault_light = True  # switched on by another tool
    assert (await api.get_data()).fault_light is True
    await api.set_fault_light(False)
    sim.state.fault_light = True  # and on again behind this client's back
    assert (await api.get_data()).fault_light is True
