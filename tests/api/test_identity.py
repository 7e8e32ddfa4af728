"""The client owns its identity: read once, cached, and read again by the client itself when
the uptime shows a restart or another miner (no caller clears it). Simulator over loopback,
plus the continuity rule on its own."""

from __future__ import annotations

import pytest

from custom_components.asic_miner.api import AvalonAPI, MinerIdentity
from custom_components.asic_miner.api.identity import UPTIME_SLACK, UptimeWatch, another_machine

from .conftest import SimulatorFactory

OTHER_MAC = "02:11:22:33:44:55"


async def test_restart_rereads_the_identity(simulator: SimulatorFactory) -> None:
    """Cached while the miner runs on; a restart (uptime backwards) shows the new firmware."""
    sim = await simulator("avalon", jitter=False)
    sim.state.started_at -= 1000  # up for a while
    api = AvalonAPI("127.0.0.1", sim.port, timeout=1.0)
    before = await api.get_data()
    sim.state.firmware = "22010101_new"
    assert (await api.get_data()).firmware == before.firmware  # no restart: cached
    assert sim.received.count("version") == 1

    sim.state.reset_uptime()  # restarted (after a firmware upgrade)
    data = await api.get_data()
    assert data.firmware == "22010101_new"
    assert sim.received.count("version") == 2
    await api.get_data()
    assert sim.received.count("version") == 2  # same machine: nothing more to confirm


async def test_another_miner_is_noticed_by_its_uptime(simulator: SimulatorFactory) -> None:
    """Another miner at the address, up for much longer than the time since the last poll:
    its own MAC is reported, confirmed once, and the right miner coming back is noticed even
    though nothing in the uptime tells."""
    sim = await simulator("avalon", jitter=False)
    api = AvalonAPI("127.0.0.1", sim.port, timeout=1.0)
    original = (await api.get_data()).mac
    assert original is not None
    assert original != OTHER_MAC

    sim.mac = OTHER_MAC
    sim.state.started_at -= 100_000  # the other miner has run for a day
    assert (await api.get_data()).mac == OTHER_MAC
    assert sim.received.count("version") == 2

    sim.mac = original  # swapped back; the uptime runs on as before
    assert (await api.get_data()).mac == original
    assert (await api.get_data()).mac == original
    versions = sim.received.count("version")
    await api.get_data()
    assert sim.received.count("version") == versions  # settled: cached again


async def test_identity_read_at_the_poll_is_not_read_twice(simulator: SimulatorFactory) -> None:
    """A poll that had to read the identity anyway does not read it again for its uptime."""
    sim = await simulator("avalon", jitter=False)
    api = AvalonAPI("127.0.0.1", sim.port, timeout=1.0)
    sim.state.started_at -= 1000
    await api.get_data()
    sim.state.reset_uptime()
    api.forget_identity()
    await api.get_data()
    assert sim.received.count("version") == 2


def test_uptime_continuity() -> None:
    """Same run: the uptime advanced as the clock did, give or take the slack."""
    watch = UptimeWatch()
    assert watch.same_run(1000, now=0.0)  # nothing to compare with yet
    assert watch.same_run(1030, now=30.0)
    assert watch.same_run(1060 + int(UPTIME_SLACK) - 1, now=60.0)  # a late counter
    assert not watch.same_run(5000, now=90.0)  # far ahead: another miner
    assert watch.same_run(5030, now=120.0)  # that one runs on
    assert not watch.same_run(20, now=150.0)  # backwards: restarted
    assert watch.same_run(None, now=180.0)  # no uptime says nothing ...
    assert watch.same_run(80, now=210.0)  # ... and the last record still counts


@pytest.mark.parametrize(
    ("uptime", "same"),
    [
        (1000 + 86_400, True),  # a day without polls, still the same run
        (1000 + 86_400 + 3_000, True),  # within 5 % of the gap
        (1000 + 86_400 - 10_000, False),  # restarted during the gap
        (1000 + 2 * 86_400, False),  # another, older miner
    ],
)
def test_long_gap_between_polls(uptime: int, same: bool) -> None:
    """Over a long gap the slack grows with the time that passed (clock drift, a counter
    that lags); a restart within the gap still shows."""
    watch = UptimeWatch()
    watch.same_run(1000, now=0.0)
    assert watch.same_run(uptime, now=86_400.0) is same


def test_another_machine() -> None:
    """Only a MAC or serial that differs (both known) is another machine."""
    base = MinerIdentity(mac="aa:bb:cc:dd:ee:ff", serial="S1", model=None)
    assert not another_machine(None, base)
    assert not another_machine(base, MinerIdentity(mac="AA:BB:CC:DD:EE:FF", model="M30S"))
    assert not another_machine(base, MinerIdentity())
    assert another_machine(base, MinerIdentity(mac="aa:bb:cc:dd:ee:00", serial="S1"))
    assert another_machine(base, MinerIdentity(serial="S2"))
