"""Stock Antminer state that only the miner knows: the work mode and LED read from its web
interface (on the first poll, after a control, when the hashrate falls to 0 or comes back, and
every few minutes: not on every poll), and fans numbered by slot with a dead fan kept at 0
rpm. Real client, simulator over loopback (API and digest-authenticated web CGI)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from custom_components.asic_miner.api import (
    APIConnectionError,
    APIUnsupportedError,
    BMMinerAPI,
    Capability,
    Fan,
)
from custom_components.asic_miner.api.bmminer import BLINK, MINER_CONF
from simulator import Fault, MinerSimulator

from .conftest import SimulatorFactory, closed_port, open_fds

API_DIR = str(Path(__file__).resolve().parents[2] / "custom_components" / "asic_miner" / "api")


def client_tasks() -> list[asyncio.Task[Any]]:
    """Tasks other than this one still running client code (a web request left behind)."""
    current = asyncio.current_task()
    return [
        task
        for task in asyncio.all_tasks()
        if task is not current
        and (code := getattr(task.get_coro(), "cr_code", None)) is not None
        and code.co_filename.startswith(API_DIR)
    ]


def web_api(sim: MinerSimulator, *, timeout: float = 2.0) -> BMMinerAPI:
    assert sim.web_port is not None
    return BMMinerAPI(
        "127.0.0.1",
        sim.port,
        password="root",
        web_port=sim.web_port,
        connect_timeout=timeout,
        timeout=timeout,
    )


@pytest.fixture
async def mute_web_port() -> AsyncIterator[int]:
    """A loopback port that accepts connections and never answers (a hung web server)."""
    hold = asyncio.Event()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await hold.wait()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    hold.set()
    server.close()
    await server.wait_closed()


async def test_work_mode_is_the_miners_own(simulator: SimulatorFactory) -> None:
    """A fresh client (Home Assistant restarted) knows the mode; a change made on the miner's
    own web page shows when the web is read again: at once when the miner stops hashing
    (asleep), else within ``refresh.RARELY``."""
    sim = await simulator("antminer-s19", web_port=0, jitter=False)
    api = web_api(sim)
    data = await api.get_data()
    assert data.work_mode == "normal"
    assert data.is_mining is True
    assert "get_miner_conf.cgi" in sim.received
    sim.state.work_mode = "low"  # changed on the miner, not through this client
    sim.received.clear()
    assert (await api.get_data()).work_mode == "normal"  # not read on a steady poll
    assert sim.received == ["stats"]
    api.web_refresh = api.web_refresh.soon()  # five minutes later
    data = await api.get_data()
    assert data.work_mode == "low"
    assert data.is_mining is True
    sim.state.work_mode = "sleep"
    sim.received.clear()
    data = await api.get_data()  # the hashrate fell to 0: read at once
    assert "get_miner_conf.cgi" in sim.received
    assert data.work_mode == "sleep"
    assert data.is_mining is False
    assert data.hashrate == 0
    sim.received.clear()
    await api.get_data()
    assert sim.received == ["stats"]  # still asleep: nothing new to read
    sim.state.work_mode = "normal"  # woken on the miner's own page
    data = await api.get_data()
    assert "get_miner_conf.cgi" in sim.received  # hashing again: read at once
    assert (data.work_mode, data.is_mining) == ("normal", True)


async def test_web_read_again_after_a_restart(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19", web_port=0, jitter=False)
    api = web_api(sim)
    await api.get_data()
    sim.state.fault_light = True  # switched on from the miner's own page
    sim.state.started_at += 100  # restarted: the uptime went back
    sim.received.clear()
    data = await api.get_data()
    assert "get_blink_status.cgi" in sim.received
    assert data.fault_light is True


async def test_only_the_work_mode_is_kept_for_diagnostics(simulator: SimulatorFactory) -> None:
    """The miner configuration holds pool passwords: only the work mode goes in last_replies."""
    sim = await simulator("antminer-s19", web_port=0, jitter=False)
    api = web_api(sim)
    await api.get_data()
    assert api.last_replies[MINER_CONF] == {
        "bitmain-work-mode": "0",
        "bitmain-fan-ctrl": False,
        "bitmain-fan-pwm": "100",
        "set_miner_conf": "json",
    }
    assert api.last_replies[BLINK] == {"blink": False}
    data = await api.get_data()  # a steady poll asks nothing of the web, the mode stands
    assert MINER_CONF not in api.last_replies
    assert data.work_mode == "normal"


async def test_is_mining_follows_the_mode_while_boards_warm_up(
    simulator: SimulatorFactory,
) -> None:
    """After a wake-up the boards hash nothing for minutes: with the web reading the miner is
    mining (awake); without a password, only the hashrate can tell, and it says no."""
    sim = await simulator("antminer-s19", web_port=0, jitter=False)
    for board in sim.state.boards:
        board.hashrate = 0.0  # re-initialising: awake, no hashrate yet
    data = await web_api(sim).get_data()
    assert data.hashrate == 0
    assert data.work_mode == "normal"
    assert data.is_mining is True
    blind = await BMMinerAPI("127.0.0.1", sim.port, web_port=closed_port()).get_data()
    assert blind.work_mode is None
    assert blind.is_mining is False


async def test_resume_is_mining_at_once(simulator: SimulatorFactory) -> None:
    """The mining switch must not fall back to off on the poll after a resume."""
    sim = await simulator("antminer-s19", web_port=0, jitter=False)
    api = web_api(sim)
    await api.pause_mining()
    assert (await api.get_data()).is_mining is False
    for board in sim.state.boards:
        board.hashrate = 0.0  # the boards come back slowly
    await api.resume_mining()
    data = await api.get_data()
    assert (data.work_mode, data.is_mining, data.hashrate) == ("normal", True, 0)


async def test_web_refusing_does_not_fail_the_poll(simulator: SimulatorFactory) -> None:
    """A closed web port: the API data still counts, the mode is unknown, is_mining from the
    hashrate."""
    sim = await simulator("antminer-s19", web_port=0, jitter=False)
    gone = await simulator("antminer-s19", web_port=0)
    assert gone.web_port is not None
    refused_port = gone.web_port
    await gone.stop()
    api = web_api(sim, timeout=0.5)
    api.web_port = refused_port
    data = await api.get_data()
    assert data.hashrate == pytest.approx(95.01)
    assert data.work_mode is None
    assert data.fault_light is None
    assert data.is_mining is True
    assert api.last_replies[MINER_CONF] == {}
    assert api.last_replies[BLINK] == {}


async def test_web_wrong_password_does_not_fail_the_poll(simulator: SimulatorFactory) -> None:
    """A password changed on the miner: controls fail (APIAuthError, see test_bmminer), the
    poll goes on without the mode."""
    sim = await simulator("antminer-s19", web_port=0, jitter=False)
    api = web_api(sim)
    await api.get_identity()
    sim.set_fault(Fault.WRONG_PASSWORD)
    data = await api.get_data()
    assert data.hashrate == pytest.approx(95.01)
    assert data.work_mode is None
    sim.set_fault(Fault.NONE)
    assert (await api.get_data()).work_mode is None  # tried again later, not every poll
    api.web_refresh = api.web_refresh.soon()
    assert (await api.get_data()).work_mode == "normal"


async def test_hung_web_is_bounded_by_the_timeout(
    simulator: SimulatorFactory, mute_web_port: int
) -> None:
    """A web server that never answers costs the poll its timeout, not the poll itself."""
    sim = await simulator("antminer-s19", web_port=0, jitter=False)
    api = web_api(sim, timeout=0.3)
    await api.get_identity()
    api.web_port = mute_web_port
    data = await api.get_data()
    assert data.hashrate == pytest.approx(95.01)
    assert data.work_mode is None


async def test_failed_api_request_cancels_the_web_request(
    simulator: SimulatorFactory, mute_web_port: int
) -> None:
    """The API error itself comes up (not wrapped), and the web request still waiting is
    cancelled with it, its connection closed."""
    sim = await simulator("antminer-s19", web_port=0, jitter=False)
    api = web_api(sim, timeout=5.0)
    await api.get_data()
    web_port = api.web_port
    api.web_port = mute_web_port  # the web request will wait for its whole timeout
    fds = open_fds()
    sim.set_fault(Fault.REFUSE)  # the API fails at once
    with pytest.raises(APIConnectionError):
        await api.get_data()
    assert client_tasks() == []
    for _ in range(40):
        if open_fds() <= fds:
            break
        await asyncio.sleep(0.05)
    assert open_fds() <= fds
    sim.set_fault(Fault.NONE)
    api.web_port = web_port
    assert (await api.get_data()).work_mode == "normal"


@pytest.mark.parametrize("code", ["7", "", None, "sleep"])
async def test_unknown_mode_code(simulator: SimulatorFactory, code: str | None) -> None:
    """A code this client does not know is no mode: is_mining falls back to the hashrate."""
    sim = await simulator("antminer-s19", web_port=0, jitter=False)
    api = web_api(sim)
    await api.get_data()
    replies = dict(api.last_replies)
    replies[MINER_CONF] = {} if code is None else {"bitmain-work-mode": code}
    data = api._map(replies, await api.get_identity())
    assert data.work_mode is None
    assert data.is_mining is True


async def test_s9_dead_fan_keeps_its_number(simulator: SimulatorFactory) -> None:
    """The S9 lists eight fan slots for two fans: a fan that dies stays as itself at 0 rpm,
    and the other fan keeps its own number."""
    sim = await simulator("antminer-s9", jitter=False)
    api = BMMinerAPI("127.0.0.1", sim.port, web_port=closed_port())
    assert (await api.get_data()).fans == [Fan(2, 5880), Fan(5, 5760)]
    sim.state.fans[0] = 0  # the fan in slot 3 dies
    assert (await api.get_data()).fans == [Fan(2, 0), Fan(5, 5760)]
    sim.state.fans[0] = 5900  # replaced
    assert (await api.get_data()).fans == [Fan(2, 5900), Fan(5, 5760)]


async def test_s9_fan_dead_before_first_poll(simulator: SimulatorFactory) -> None:
    """A slot that never spun cannot be told from an empty one: it is left out, and the
    remaining fan still keeps its slot number."""
    sim = await simulator("antminer-s9", jitter=False)
    sim.state.fans[0] = 0
    api = BMMinerAPI("127.0.0.1", sim.port, web_port=closed_port())
    assert (await api.get_data()).fans == [Fan(5, 5760)]


async def test_dead_fan_stays_across_a_reboot(simulator: SimulatorFactory) -> None:
    """A miner rebooted with its fan still dead (identity re-read): the fan stays at 0 rpm."""
    sim = await simulator("antminer-s9", web_port=0, jitter=False)
    api = web_api(sim)
    await api.get_data()
    sim.state.fans[0] = 0
    api.forget_identity()  # what the integration does when the uptime goes backwards
    assert (await api.get_data()).fans == [Fan(2, 0), Fan(5, 5760)]


async def test_another_miner_forgets_the_fans(simulator: SimulatorFactory) -> None:
    """Fans seen belong to one miner: another MAC at the address starts afresh."""
    sim = await simulator("antminer-s9", web_port=0, jitter=False)
    api = web_api(sim)
    await api.get_data()
    sim.state.fans[0] = 0
    sim.mac = "02:11:22:33:44:55"
    api.forget_identity()
    data = await api.get_data()
    assert data.mac == "02:11:22:33:44:55"
    assert data.fans == [Fan(5, 5760)]


async def test_fan_duty_when_manual(simulator: SimulatorFactory) -> None:
    """``bitmain-fan-ctrl`` true: the fans run at ``bitmain-fan-pwm`` %, not automatically."""
    sim = await simulator("antminer-s19", web_port=0, jitter=False)
    api = web_api(sim)
    data = await api.get_data()
    assert data.fan_auto is True
    assert {fan.percent for fan in data.fans} == {None}
    replies = dict(api.last_replies)
    replies[MINER_CONF] = {
        "bitmain-work-mode": "0",
        "bitmain-fan-ctrl": True,
        "bitmain-fan-pwm": "70",
    }
    data = api._map(replies, await api.get_identity())
    assert data.fan_auto is False
    assert {fan.percent for fan in data.fans} == {70}


async def test_s19_fans_all_slots_in_use(simulator: SimulatorFactory) -> None:
    """fan_num equals the slots listed (S19): every slot counts, a dead one at 0 rpm."""
    sim = await simulator("antminer-s19", jitter=False)
    sim.state.fans[1] = 0
    api = BMMinerAPI("127.0.0.1", sim.port, web_port=closed_port())
    assert (await api.get_data()).fans == [Fan(0, 5520), Fan(1, 0), Fan(2, 5640), Fan(3, 5460)]


async def test_cancelled_web_calls_leave_nothing_behind(simulator: SimulatorFactory) -> None:
    """Cancellations landing anywhere in a web call, its closing included (what an unload
    does to a poll in flight): no task, no descriptor left behind."""
    sim = await simulator("antminer-s19", web_port=0, jitter=False)
    api = web_api(sim)
    await api.set_fault_light(True)
    fds = open_fds()
    for step in range(100):
        call = asyncio.create_task(api.set_fault_light(True))
        await asyncio.sleep(step / 10000)
        call.cancel()
        await asyncio.wait([call])
    assert client_tasks() == []
    for _ in range(40):
        if open_fds() <= fds:
            break
        await asyncio.sleep(0.05)
    assert open_fds() <= fds


async def test_old_web_configuration_is_never_written(simulator: SimulatorFactory) -> None:
    """The S9 generation's ``set_miner_conf.cgi`` reads ``_ant_*`` form fields by position
    (a JSON body would become its pools): once its configuration is read (no ``miner-mode``,
    no ``bitmain-pwth``), sleep and work modes are not offered, and asked anyway, nothing is
    posted; reboot and the LED stay. The S19 generation keeps them all."""
    sim = await simulator("antminer-s9", web_port=0, jitter=False)
    pools = list(sim.state.pools)
    api = web_api(sim)
    # Before any poll the client does not know the generation: the write checks it itself.
    with pytest.raises(APIUnsupportedError, match="old web configuration"):
        await api.pause_mining()
    assert "get_miner_conf.cgi" in sim.received
    assert Capability.PAUSE_RESUME not in api.capabilities
    data = await api.get_data()
    assert api.last_replies[MINER_CONF] == {"set_miner_conf": "form"}
    assert api.capabilities == {Capability.REBOOT, Capability.FAULT_LIGHT}
    assert api.work_modes == ()
    assert (data.work_mode, data.is_mining) == (None, True)
    for control in (api.pause_mining(), api.resume_mining(), api.set_work_mode("low")):
        with pytest.raises(APIUnsupportedError):
            await control
    assert "set_miner_conf.cgi" not in sim.received
    assert sim.state.pools == pools
    await api.set_fault_light(True)
    assert sim.state.fault_light is True

    s19 = await simulator("antminer-s19", web_port=0, jitter=False)
    modern = web_api(s19)
    await modern.get_data()
    assert {Capability.PAUSE_RESUME, Capability.WORK_MODE} <= modern.capabilities
    await modern.pause_mining()
    assert s19.state.paused
