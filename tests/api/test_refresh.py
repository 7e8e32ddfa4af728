"""``refresh.Refresh``, the one scheduler of rare reads: when it asks, what it keeps, and what
makes it ask again (the families' own tests count the requests against the simulator)."""

from __future__ import annotations

from custom_components.asic_miner.api.refresh import REFRESH_SECONDS, REFRESHED, Refresh


def test_first_poll_interval_and_control() -> None:
    refresh = Refresh()
    assert refresh.wanted(0.0)  # first poll
    refresh = refresh.after({"pools": ["p"], REFRESHED: ["pools"]}, uptime=100, now=10.0)
    assert (refresh.read_at, refresh.just_read, refresh.due) == (10.0, True, False)
    assert not refresh.wanted(10.0 + REFRESH_SECONDS - 1)
    assert refresh.wanted(10.0 + REFRESH_SECONDS)
    assert refresh.soon().wanted(11.0)  # after a control
    hourly = Refresh(interval=3600.0).after({REFRESHED: ["x"]}, uptime=None, now=0.0)
    assert not hourly.wanted(REFRESH_SECONDS)  # a reading with its own interval


def test_restart_and_another_machine_make_it_due() -> None:
    refresh = Refresh().after({REFRESHED: ["pools"]}, uptime=500, now=0.0, mac="aa")
    assert not refresh.after({}, uptime=510, now=1.0, mac="aa").due
    assert refresh.after({}, uptime=5, now=1.0, mac="aa").due  # the uptime went back
    assert refresh.after({}, uptime=510, now=1.0, mac="bb").due  # another MAC
    assert not refresh.after({}, uptime=510, now=1.0, mac=None).due  # a MAC not told
    # A poll that read them after the restart needs no second read.
    assert not refresh.after({REFRESHED: ["pools"]}, uptime=5, now=1.0).due
    # Known before the rare read (a reply that comes first): counts at once.
    assert refresh.wanted(1.0, uptime=5)
    assert refresh.wanted(1.0, mac="bb")
    assert not refresh.wanted(1.0, uptime=510, mac="aa")


def test_a_poll_without_an_uptime_keeps_the_last() -> None:
    refresh = Refresh().after({REFRESHED: ["pools"]}, uptime=500, now=0.0)
    refresh = refresh.after({}, uptime=None, now=1.0)
    assert refresh.uptime == 500
    assert refresh.after({}, uptime=3, now=2.0).due


def test_refused_replies_forgotten_unless_kept() -> None:
    first = {"pools": ["p"], "led": ["on"], REFRESHED: ["pools", "led"]}
    refused = {REFRESHED: ["pools", "led"]}
    forgetting = Refresh().after(first, uptime=None, now=0.0).after(refused, uptime=None, now=1.0)
    assert forgetting.replies == {}
    keeping = Refresh(kept_when_refused=frozenset({"pools"}))
    keeping = keeping.after(first, uptime=None, now=0.0).after(refused, uptime=None, now=1.0)
    assert keeping.replies == {"pools": ["p"]}
    assert keeping.read_at == 1.0  # asked: the clock starts again all the same


def test_merged_read_and_seen() -> None:
    refresh = Refresh().after({"pools": ["old"], REFRESHED: ["pools"]}, uptime=None, now=0.0)
    assert refresh.merged({"summary": 1}) == {"pools": ["old"], "summary": 1}
    assert refresh.merged({"pools": ["new"]})["pools"] == ["new"]
    seen = refresh.seen({"pools": ["newer"]})
    assert (seen.replies, seen.read_at) == ({"pools": ["newer"]}, 0.0)  # the clock stands
    retry = Refresh(interval=60.0)
    assert retry.wanted(0.0)
    retry = retry.read(5.0)  # read outside a poll (an identity)
    assert not retry.wanted(64.0)
    assert retry.wanted(65.0)
