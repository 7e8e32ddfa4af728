"""``CGMinerAPI`` and the shared cgminer mapping helpers."""

from __future__ import annotations

import pytest

from custom_components.asic_miner.api import CGMinerAPI, MinerIdentity, Pool
from custom_components.asic_miner.api.mapping import (
    build_data,
    efficiency,
    first,
    map_pools,
    max_of,
    rate_ths,
    section,
    sum_of,
    unwrap,
)

from .conftest import SimulatorFactory


async def test_poll_is_one_request(simulator: SimulatorFactory) -> None:
    sim = await simulator("cgminer-fork", jitter=False)
    api = CGMinerAPI("127.0.0.1", sim.port)
    data = await api.get_data()
    await api.get_data()
    assert sim.requests == ["version", "summary+devs+pools+stats", "summary+devs+pools+stats"]
    assert data.hashrate == pytest.approx(12.0)
    assert [b.index for b in data.boards] == [0, 1, 2]
    assert [b.hashrate for b in data.boards] == pytest.approx([4.0, 4.0, 4.0])
    assert data.temperature == 55.0
    assert data.chip_temperature is None
    assert data.is_mining is True
    assert data.pools == [
        Pool(
            url="stratum+tcp://pool.example.org:3333",
            user="worker.fork",
            alive=True,
            active=True,
            accepted=900,
            rejected=3,
        )
    ]


async def test_paused_miner_reports_zero_not_none(simulator: SimulatorFactory) -> None:
    sim = await simulator("cgminer-fork")
    sim.state.paused = True
    data = await CGMinerAPI("127.0.0.1", sim.port).get_data()
    assert data.hashrate == 0
    assert data.is_mining is False
    assert data.efficiency is None


def test_identity_from_version() -> None:
    api = CGMinerAPI("h")
    assert api._identity_from_version({"CGMiner": "4.11.1", "Type": "X"}) == MinerIdentity(
        model="X", firmware="4.11.1"
    )
    assert api._identity_from_version({}) == MinerIdentity()


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"MHS 1m": 2_000_000}, 2.0),
        ({"GHS 5s": "13500.5"}, 13.5005),
        ({"THS av": 100}, 100.0),
        ({"KHS 5s": 1e9}, 1.0),
        ({"MHS 5s": "nan"}, None),
        ({}, None),
    ],
)
def test_rate_ths(entry: dict[str, object], expected: float | None) -> None:
    assert rate_ths(entry) == (pytest.approx(expected) if expected is not None else None)


def test_section_helpers() -> None:
    assert section(None, "X") == []
    assert section({"X": {"a": 1}}, "X") == [{"a": 1}]
    assert section({"X": "text"}, "X") == []
    assert section({"X": [{"a": 1}, 3]}, "X") == [{"a": 1}]
    assert first({"X": []}, "X") == {}
    assert unwrap({"a": [{"x": 1}]}, "a") == {"x": 1}
    assert unwrap({"a": {"x": 1}}, "a") == {"x": 1}
    assert unwrap({"a": []}, "a") is None
    assert max_of([None, 2, 5.5]) == 5.5
    assert max_of([None]) is None
    assert sum_of([1, None, 2]) == 3
    assert sum_of([]) is None
    assert efficiency(3000, 100) == 30
    assert efficiency(3000, 0) is None
    assert efficiency(None, 100) is None


def test_map_pools_without_stratum_active() -> None:
    reply = {
        "POOLS": [
            {"URL": "stratum+tcp://a:1", "Status": "Dead", "Priority": 0, "User": ""},
            {"URL": "stratum+tcp://b:2", "Status": "Alive", "Priority": 2, "Accepted": "5"},
            {"URL": "stratum+tcp://c:3", "Status": "Alive", "Priority": 1},
            {"URL": "", "Status": "Alive"},
            {"Status": "Alive"},
        ]
    }
    pools = map_pools(reply)
    assert [(p.url, p.alive, p.active) for p in pools] == [
        ("stratum+tcp://a:1", False, False),
        ("stratum+tcp://b:2", True, False),
        ("stratum+tcp://c:3", True, True),
    ]
    assert pools[0].user is None
    assert pools[1].accepted == 5
    assert map_pools({"POOLS": [{"URL": "u"}]}) == [
        Pool(url="u", user=None, alive=None, active=False)
    ]


def test_build_data_derives() -> None:
    data = build_data(MinerIdentity(model="m"), hashrate=None, power=100.0)
    assert data.is_mining is None
    assert data.efficiency is None
    assert data.temperature is None
    assert data.model == "m"
    assert data.boards == []


def test_hashrate_from_boards_when_summary_lacks_it() -> None:
    replies = {"devs": [{"DEVS": [{"ASC": 0, "MHS 5s": 1e6}, {"ASC": 1, "MHS 5s": 2e6}]}]}
    data = CGMinerAPI("h")._map(replies, MinerIdentity())
    assert data.hashrate == pytest.approx(3.0)
    assert CGMinerAPI("h")._map({}, MinerIdentity()).hashrate is None
