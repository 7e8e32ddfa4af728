"""Stock Antminer (S19, S9) through ``BMMinerAPI``, API and web interface."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any, ClassVar, Literal

import pytest

from custom_components.asic_miner.api import (
    APIAuthError,
    APIConnectionError,
    APIRefusalError,
    APIUnsupportedError,
    BMMinerAPI,
    Capability,
    Fan,
    HashBoard,
)
from custom_components.asic_miner.api.bmminer import conf_with_mode, mode_name, takes_json
from custom_components.asic_miner.api.refresh import REFRESH_SECONDS
from simulator import Fault, MinerSimulator
from simulator.personalities import AntminerS19

from .conftest import SimulatorFactory, closed_port


def s19_api(sim: MinerSimulator, password: str | None = "root") -> BMMinerAPI:
    assert sim.web_port is not None
    return BMMinerAPI("127.0.0.1", sim.port, password=password, web_port=sim.web_port, timeout=2.0)


async def test_s19_poll(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19", web_port=0, jitter=False)
    api = s19_api(sim)
    data = await api.get_data()
    assert data.make == "Antminer"
    assert data.model == "S19"
    assert data.firmware == "Antminer-S19-20210325"
    assert data.mac == "02:3a:19:00:00:19"
    assert data.hostname == "Antminer"
    assert data.serial == "JYZZA3BBCJDBF0123"
    assert api.identity is not None
    assert api.identity.miner_id == "8144d5ca79101919"
    assert data.hashrate == pytest.approx(95.01)
    assert data.average_hashrate == pytest.approx(95.01)
    assert data.expected_hashrate == pytest.approx(95.01)
    assert data.power is None
    assert data.efficiency is None
    assert data.is_mining is True
    assert data.boards == [
        HashBoard(
            index=i,
            hashrate=pytest.approx(31.67),
            temperature=62.0,
            chip_temperature=77.0,
            chips=76,
            dead_chips=0,
        )
        for i in range(3)
    ]
    assert data.temperature == 62.0
    assert data.chip_temperature == 77.0
    assert data.fans == [Fan(0, 5520), Fan(1, 5580), Fan(2, 5640), Fan(3, 5460)]
    assert [pool.active for pool in data.pools] == [True, False]
    assert data.pools[0].user == "homeminer.001"
    assert (data.shares_accepted, data.shares_rejected) == (12345, 12)
    assert (data.best_session_difficulty, data.blocks_found) == (123456789.0, 0)
    assert data.errors == []
    assert data.uptime is not None
    assert (data.work_mode, data.fault_light, data.fan_auto) == ("normal", False, True)


async def test_s19_one_request_per_steady_poll(simulator: SimulatorFactory) -> None:
    """After the first poll (identity, learning that the S19 cannot join, pools, summary and
    the web readings), a poll is ``stats`` alone: no web request, the rest as last read."""
    sim = await simulator("antminer-s19", web_port=0, jitter=False)
    api = s19_api(sim)
    first = await api.get_data()
    assert sim.requests == ["version+stats", "version", "stats", "stats", "summary", "pools"]
    assert [r for r in sim.received if r.endswith(".cgi")] == [
        "get_system_info.cgi",
        "get_miner_conf.cgi",
        "get_blink_status.cgi",
    ]
    sim.requests.clear()
    sim.received.clear()
    steady = await api.get_data()
    assert sim.requests == ["stats"]
    assert sim.received == ["stats"]
    assert steady.pools == first.pools
    assert steady.shares_accepted == first.shares_accepted
    assert (steady.work_mode, steady.fault_light) == ("normal", False)
    assert set(api.last_replies) == {"stats", "multicommand", "refreshed"}


async def test_s9_poll_without_web(simulator: SimulatorFactory) -> None:
    """The S9 joins commands: its first poll is one request, its steady poll ``stats``."""
    sim = await simulator("antminer-s9", jitter=False)
    api = BMMinerAPI("127.0.0.1", sim.port, web_port=closed_port())
    data = await api.get_data()
    assert sim.requests == ["version+stats", "stats+summary+pools"]
    assert data.model == "S9"
    assert data.firmware == "Fri Nov 17 17:57:49 CST 2017"  # the build, not bmminer 2.0.0
    assert data.mac is None
    assert data.serial is None
    assert api.identity is not None
    assert api.identity.miner_id == "80749dc610350909"
    assert data.hashrate == pytest.approx(13.5)  # "GHS 5s" quoted as a string
    assert [board.index for board in data.boards] == [0, 1, 2]  # chains 6-8 of 16
    assert [board.chips for board in data.boards] == [63, 63, 63]
    assert [board.chip_temperature for board in data.boards] == [75.0, 75.0, 75.0]
    assert data.fans == [Fan(2, 5880), Fan(5, 5760)]  # slots 3 and 6
    assert data.work_mode is None
    assert data.fault_light is None
    assert api.capabilities == frozenset()
    assert api.work_modes == ()
    with pytest.raises(APIUnsupportedError, match="without the web password"):
        await api.reboot()
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == ["stats"]


async def test_pools_read_again_when_due_and_after_a_restart(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s9", jitter=False)
    api = BMMinerAPI("127.0.0.1", sim.port, web_port=closed_port())
    await api.get_data()
    api.refresh = api.refresh.soon()  # five minutes later
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == ["stats+summary+pools"]
    sim.state.pools[0].url = "stratum+tcp://other.example:3333"
    sim.state.started_at += 500  # the miner restarted: its uptime went back
    await api.get_data()
    sim.requests.clear()
    data = await api.get_data()  # the poll after a restart reads them again
    assert sim.requests == ["stats+summary+pools"]
    assert data.pools[0].url == "stratum+tcp://other.example:3333"


async def test_dead_chips_reported(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s9")
    api = BMMinerAPI("127.0.0.1", sim.port, web_port=closed_port())
    await api.get_data()
    stats = api.last_replies["stats"][0]["STATS"][1]
    stats["chain_acs7"] = "oooxoooo ooooxxoo"
    data = api._map(api.last_replies, await api.get_identity())
    assert data.errors == ["hash board 1: 3 chip(s) not responding"]
    assert [board.dead_chips for board in data.boards] == [0, 3, 0]


async def test_controls_change_the_miner(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19", web_port=0)
    api = s19_api(sim)
    assert api.capabilities == {
        Capability.REBOOT,
        Capability.PAUSE_RESUME,
        Capability.FAULT_LIGHT,
        Capability.WORK_MODE,
    }
    assert api.work_modes == ("normal", "sleep", "low")
    await api.pause_mining()
    assert sim.state.paused is True
    paused = await api.get_data()
    assert paused.hashrate == 0
    assert paused.is_mining is False
    assert paused.work_mode == "sleep"
    assert paused.boards == []  # asleep, every chain reads empty
    await api.resume_mining()
    assert sim.state.paused is False
    assert (await api.get_data()).hashrate > 90
    await api.set_work_mode("low")
    assert sim.state.work_mode == "low"
    assert (await api.get_data()).work_mode == "low"  # read again after the control
    with pytest.raises(ValueError, match="unknown work mode"):
        await api.set_work_mode("turbo")
    await api.set_fault_light(True)
    assert sim.state.fault_light is True
    assert (await api.get_data()).fault_light is True
    await api.set_fault_light(False)
    assert sim.state.fault_light is False
    assert "set_miner_conf.cgi" in sim.received
    with pytest.raises(APIUnsupportedError):
        await api.set_power_limit(2000)


async def test_wake_restores_the_mode_before_sleep(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19", web_port=0)
    api = s19_api(sim)
    await api.set_work_mode("low")
    await api.pause_mining()
    assert sim.state.work_mode == "sleep"
    await api.resume_mining()
    assert sim.state.work_mode == "low"
    sim.state.work_mode = "sleep"  # put to sleep on its own web page, mode unknown here
    fresh = s19_api(sim)
    await fresh.resume_mining()
    assert sim.state.work_mode == "normal"


async def test_high_mode_offered_once_seen(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19", web_port=0, jitter=False)
    sim.state.work_mode = "high"
    api = s19_api(sim)
    assert "high" not in api.work_modes
    assert (await api.get_data()).work_mode == "high"
    assert api.work_modes == ("normal", "sleep", "low", "high")
    await api.set_work_mode("normal")
    await api.set_work_mode("high")
    assert sim.state.work_mode == "high"


async def test_slow_set_miner_conf_is_not_a_failure(simulator: SimulatorFactory) -> None:
    """``set_miner_conf.cgi`` answers only after it wrote the configuration (~20-30 s on
    real units): it gets its own bound, far beyond the client's usual timeout."""
    sim = await simulator("antminer-s19", web_port=0)
    sim.set_conf_seconds = 0.6  # type: ignore[attr-defined]
    api = s19_api(sim)
    api.timeout = 0.3
    await api.set_work_mode("low")
    assert sim.state.work_mode == "low"


class StatsWithoutRates(AntminerS19):
    """A firmware keeping Bitmain's driver whose ``stats`` lacks ``GHS 5s``, ``GHS av``,
    ``rate_30m`` and ``Elapsed``: only ``summary`` has them, and it is read rarely."""

    name: ClassVar[str] = "test-stats-without-rates"

    def stats_entries(self) -> list[dict[str, Any]]:
        header, miner = super().stats_entries()
        for key in ("GHS 5s", "GHS av", "rate_30m", "Elapsed"):
            miner.pop(key, None)
        return [header, miner]


async def test_summary_stands_in_only_in_the_poll_that_read_it(
    simulator: SimulatorFactory,
) -> None:
    """Where ``stats`` lacks the hashrate and uptime, the summary read in the same poll
    gives them; on the polls between two reads of the summary, the chains' own rates do,
    never the summary read minutes ago (its share counters still stand)."""
    sim = await simulator(StatsWithoutRates, jitter=False)
    api = BMMinerAPI("127.0.0.1", sim.port, web_port=closed_port(), timeout=2.0)
    first = await api.get_data()
    assert "summary" in sim.received
    assert first.hashrate == pytest.approx(sim.state.current_hashrate(), rel=0.01)
    assert first.uptime is not None
    for board in sim.state.boards:
        board.hashrate /= 2
    sim.received.clear()
    steady = await api.get_data()
    assert sim.received == ["stats"]  # no summary in this poll
    assert steady.hashrate == pytest.approx(sim.state.current_hashrate(), rel=0.01)
    assert steady.hashrate < first.hashrate * 0.75
    assert steady.uptime is None  # not the summary's of minutes ago
    assert steady.shares_accepted == first.shares_accepted  # counters: the last read stands


def test_conf_payload_as_the_firmware_page_posts_it() -> None:
    conf = {
        "pools": [{"url": "stratum+tcp://a:1", "user": "w", "pass": "x"}],
        "bitmain-fan-ctrl": True,
        "bitmain-fan-pwm": "70",
        "bitmain-work-mode": "0",
        "bitmain-freq-level": "100",
        "api-listen": True,
    }
    assert conf_with_mode(conf, "sleep") == {
        "pools": conf["pools"],
        "bitmain-fan-ctrl": True,
        "bitmain-fan-pwm": "70",
        "freq-level": "100",
        "miner-mode": 1,
        "bitmain-work-mode": 1,
    }
    with pytest.raises(APIRefusalError, match="no work mode"):
        conf_with_mode({"pools": []}, "low")
    assert mode_name({"miner-mode": 3, "bitmain-work-mode": "0"}) == "low"  # newer key first
    assert mode_name({"bitmain-work-mode": "2"}) == "high"
    assert mode_name({"miner-mode": 254}) is None
    assert mode_name({}) is None


def test_only_the_s19_generation_takes_a_json_conf() -> None:
    """``miner-mode`` or ``bitmain-pwth`` mark the configuration of firmware taking JSON; one
    with only ``bitmain-work-mode`` (T17/S17 generation) or none (S9) takes the old form."""
    assert takes_json({"bitmain-pwth": "0", "bitmain-work-mode": "0"})
    assert takes_json({"miner-mode": 0})
    assert not takes_json({"bitmain-work-mode": "0", "bitmain-freq": "675"})
    assert not takes_json({"pools": [], "bitmain-freq": "650", "bitmain-voltage": "0706"})


async def test_reboot_takes_miner_offline(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19", web_port=0)
    sim.reboot_seconds = 0.3
    sim.web_reboot_seconds = 0.3  # type: ignore[attr-defined]
    api = s19_api(sim)
    api.connect_timeout = 0.5
    await api.get_identity()
    await api.reboot()
    assert api._identity is None  # re-read after a reboot
    await asyncio.sleep(0.15)
    assert sim.offline
    for _ in range(50):
        if not sim.offline:
            break
        await asyncio.sleep(0.05)
    data = await api.get_data()
    assert data.uptime is not None
    assert data.uptime <= 1


@pytest.mark.parametrize("reply", ["drop", "empty", "text"])
async def test_reboot_dropped_or_not_json_once_sent_is_accepted(
    simulator: SimulatorFactory, reply: Literal["drop", "empty", "text"]
) -> None:
    """A miner going down as it answers ``reboot.cgi`` (the connection dropped, nothing, or a
    200 that is no JSON, as older firmware answers) has taken the reboot; a reboot that never
    went out has not."""
    sim = await simulator("antminer-s19", web_port=0, jitter=False)
    sim.web_reboot_seconds = 0.2  # type: ignore[attr-defined]
    sim.restart_reply = reply
    api = s19_api(sim)
    await api.get_data()
    await api.reboot()
    assert "reboot.cgi" in sim.received
    assert sim.rebooting
    assert api.identity is None  # read again when the miner is back
    down = BMMinerAPI("127.0.0.1", sim.port, password="root", web_port=closed_port(), timeout=1)
    with pytest.raises(APIConnectionError):
        await down.reboot()


async def test_wrong_password(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19", web_port=0)
    api = s19_api(sim, password="not-root")
    with pytest.raises(APIAuthError):
        await api.get_identity()
    with pytest.raises(APIAuthError):
        await api.pause_mining()
    assert sim.state.paused is False


async def test_web_unreachable_keeps_api_identity(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19")
    api = BMMinerAPI("127.0.0.1", sim.port, password="root", web_port=closed_port(), timeout=1)
    identity = await api.get_identity()
    assert identity.model == "S19"
    assert identity.firmware == "Tue Dec  6 16:12:30 CST 2022"  # CompileTime
    assert identity.mac is None
    assert identity.miner_id == "8144d5ca79101919"


async def test_factory_password_reads_the_identity_only(simulator: SimulatorFactory) -> None:
    """No password configured: the MAC, serial and hostname come from the web interface with
    the factory password (root), read-only: no controls, no web readings in the poll."""
    sim = await simulator("antminer-s19", web_port=0, jitter=False)
    api = s19_api(sim, password=None)
    data = await api.get_data()
    assert data.mac == "02:3a:19:00:00:19"
    assert data.serial == "JYZZA3BBCJDBF0123"
    assert data.firmware == "Antminer-S19-20210325"
    assert [r for r in sim.received if r.endswith(".cgi")] == ["get_system_info.cgi"]
    assert data.work_mode is None
    assert api.capabilities == frozenset()
    with pytest.raises(APIUnsupportedError):
        await api.pause_mining()


async def test_identity_without_a_mac_is_read_again_when_due(
    simulator: SimulatorFactory,
) -> None:
    """The web interface failed when the identity was read (no MAC): it is read again once
    ``REFRESH_SECONDS`` have passed, not at every poll, and no more once the MAC is known."""
    sim = await simulator("antminer-s19", web_port=0, jitter=False)
    api = s19_api(sim, password=None)
    sim.set_fault(Fault.HTTP_500)  # the web interface answers, but not the identity
    assert (await api.get_data()).mac is None
    sim.set_fault(Fault.NONE)
    sim.received.clear()
    for _ in range(3):
        assert (await api.get_data()).mac is None
    assert sim.received == ["stats"] * 3  # not every poll

    def later() -> None:  # REFRESH_SECONDS later
        assert api.identity_retry.read_at is not None
        read_at = api.identity_retry.read_at - REFRESH_SECONDS
        api.identity_retry = replace(api.identity_retry, read_at=read_at)

    later()
    await api.get_data()
    assert (await api.get_data()).mac == "02:3a:19:00:00:19"
    assert sim.received.count("get_system_info.cgi") == 1
    later()
    sim.received.clear()
    await api.get_data()
    await api.get_data()
    assert "get_system_info.cgi" not in sim.received  # the MAC is known: never again


async def test_factory_password_refused_leaves_the_api_identity(
    simulator: SimulatorFactory,
) -> None:
    """The owner changed the password: the factory one is refused quietly, the API identity
    stays, the poll goes on."""
    sim = await simulator("antminer-s19", web_port=0, password="changed", jitter=False)
    api = s19_api(sim, password=None)
    data = await api.get_data()
    assert data.mac is None
    assert data.model == "S19"
    assert sim.web_challenges >= 1
    assert [r for r in sim.received if r.endswith(".cgi")] == []


async def test_wrong_password_fault(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19", web_port=0)
    api = s19_api(sim)
    sim.set_fault(Fault.WRONG_PASSWORD)
    with pytest.raises(APIAuthError):
        await api.set_fault_light(True)
    sim.set_fault(Fault.NONE)
    await api.set_fault_light(True)
    assert sim.state.fault_light


async def test_fans_without_fan_num_and_rate_units(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19")
    api = BMMinerAPI("127.0.0.1", sim.port, web_port=closed_port())
    identity = await api.get_identity()
    replies = {
        "summary": [{"SUMMARY": [{"Elapsed": 5}]}],
        "stats": [
            {
                "STATS": [
                    {"BMMiner": "1.0.0"},
                    {
                        "STATS": 0,
                        "fan1": 3000,
                        "fan2": 0,
                        "chain_rate1": "12.5",
                        "chain_acn1": 0,
                        "rate_unit": "TH",
                        "total_rateideal": 13,
                    },
                ]
            }
        ],
    }
    data = api._map(replies, identity)
    assert data.fans == [Fan(0, 3000), Fan(1, 0)]
    assert data.hashrate == 12.5  # no rate in stats or summary: sum of boards
    assert data.expected_hashrate == 13
    assert data.boards[0].chips == 0
    assert data.uptime == 5
    assert api._map({}, identity).boards == []
