"""``CGMinerAPI`` and the shared cgminer mapping helpers."""

from __future__ import annotations

import pytest

from custom_components.asic_miner.api import (
    APIWarning,
    CGMinerAPI,
    Fan,
    HashBoard,
    MinerIdentity,
    Pool,
    detect_api,
)
from custom_components.asic_miner.api.mapping import (
    average_ths,
    build_data,
    dev_boards,
    efficiency,
    first,
    flag,
    map_pools,
    max_of,
    rate_ths,
    section,
    sum_of,
    summary_counters,
    summary_fans,
    temperature,
    unwrap,
)
from simulator.personalities import AntminerS9, CGMinerForkPersonality
from simulator.personality import Reply

from .conftest import SimulatorFactory


async def test_poll_is_one_request(simulator: SimulatorFactory) -> None:
    """A plain cgminer: the first poll asks everything and learns the layout; a steady poll
    is summary+devs (the pools of the first poll stand until they are due again)."""
    sim = await simulator("cgminer-fork", jitter=False)
    api = CGMinerAPI("127.0.0.1", sim.port)
    data = await api.get_data()
    steady = await api.get_data()
    assert sim.requests == ["version+stats", "summary+devs+pools+stats", "summary+devs"]
    assert api.layout == "cgminer"
    assert steady.pools == data.pools
    api.refresh = api.refresh.soon()  # five minutes later
    await api.get_data()
    assert sim.requests[-1] == "summary+devs+pools"
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
        ({"THS av": 100}, None),  # a lifetime average is never the hashrate
        ({"KHS 5s": 1e9}, 1.0),
        ({"MHS 5s": "nan"}, None),
        ({"MHS av": 5e6, "MHS 1m": 3e6, "MHS 5s": 4e6}, 4.0),  # freshest first
        ({"MHS 20s": 7e6, "MHS 1m": 3e6}, 7.0),  # Goldshell
        ({}, None),
    ],
)
def test_rate_ths(entry: dict[str, object], expected: float | None) -> None:
    assert rate_ths(entry) == (pytest.approx(expected) if expected is not None else None)


def test_overheated_s19_reads_its_5s_window_not_its_average() -> None:
    """A real overheated S19 (foreman "Antminer S19 (overheating)"): GHS av 93 TH/s while
    GHS 5s is 0: the miner hashes nothing now."""
    summary = {"Elapsed": 321734, "GHS 5s": 0.0, "GHS av": 93556.98}
    assert rate_ths(summary) == 0.0
    assert average_ths(summary) == pytest.approx(93.55698)


@pytest.mark.parametrize(
    ("uptime", "expected"),
    [(None, 3.0), (30, 4.0), (60, 3.0), (3600, 3.0), (-5, 4.0)],
)
def test_window_not_full_after_a_restart(uptime: int | None, expected: float) -> None:
    """A firmware whose preferred window is 1 m: right after a restart (uptime shorter than
    the window) the shortest window it has is taken instead."""
    entry = {"MHS 5s": 4e6, "MHS 1m": 3e6, "MHS 15m": 1e6}
    assert rate_ths(entry, ("1m", "5s", "15m"), uptime=uptime) == pytest.approx(expected)
    assert rate_ths({"MHS 15m": 1e6}, uptime=10) == pytest.approx(1.0)  # the only one


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


def test_pools_quirks() -> None:
    """Pools numbered from 1 (Whatsminer), a dead one (VNish "Dead"), two claiming to be active
    (the best priority is), the S19's ``Pool Stale%%`` key (ignored)."""
    reply = {
        "POOLS": [
            {
                "POOL": 1,
                "URL": "stratum+tcp://a:1",
                "Status": "Alive",
                "Priority": 1,
                "Stratum Active": True,
                "Pool Stale%%": 0.0,
            },
            {
                "POOL": 2,
                "URL": "stratum+tcp://b:2",
                "Status": "Dead",
                "Priority": 2,
                "Stratum Active": False,
            },
            {
                "POOL": 3,
                "URL": "stratum+tcp://c:3",
                "Status": "Alive",
                "Priority": 0,
                "Stratum Active": "true",
            },
        ]
    }
    pools = map_pools(reply)
    assert [(p.url[-3:], p.alive, p.active) for p in pools] == [
        ("a:1", True, False),
        ("b:2", False, False),
        ("c:3", True, True),
    ]
    assert map_pools({"POOLS": [{"URL": "u", "Stratum Active": False}]})[0].active is False
    assert map_pools({"POOLS": [{"URL": "u", "Status": "Deed"}]})[0].alive is False


def test_flag() -> None:
    assert [flag(v) for v in (True, "true", "Y", 1, 0, "false", "N", "maybe", None)] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
        None,
        None,
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (55, 55.0),
        ("61.5", 61.5),
        (0, None),
        (0.0, None),
        (-83, None),
        (-273, None),
        ("-5", -5.0),
        (900, None),
        (None, None),
        ("nan", None),
    ],
)
def test_temperature_placeholders(value: object, expected: float | None) -> None:
    assert temperature(value) == expected
    if expected is not None and expected > 0:
        assert temperature(value, positive=True) == expected


@pytest.mark.parametrize("value", [0, -1, "-5", -0.5])
def test_temperature_of_sensors_that_write_zero_or_below_for_none(value: object) -> None:
    """Board and chip sensors of Braiins OS, LuxOS and Goldshell: 0 or below is no reading."""
    assert temperature(value, positive=True) is None


def test_summary_counters_and_fans() -> None:
    summary = {
        "GHS 5s": 96000,
        "GHS av": "95000",
        "Accepted": 4057,
        "Rejected": "11",
        "Best Share": 12904207043,
        "Found Blocks": 0,
        "Fan Num": 2,
        "Fan1": 7800,
        "Fan2": "7700",
        "Fan3": 0,
    }
    assert summary_counters(summary) == {
        "average_hashrate": 95.0,  # the lifetime average, never the 5 s rate
        "shares_accepted": 4057,
        "shares_rejected": 11,
        "best_session_difficulty": 12904207043.0,
        "blocks_found": 0,
    }
    assert summary_fans(summary) == [Fan(0, 7800), Fan(1, 7700)]  # StrongU
    assert summary_fans({"Fan1": 100}) == [Fan(0, 100)]
    assert summary_fans({}) == []


def test_devs_out_of_order_and_the_antminer_soc_entry() -> None:
    devs = {
        "DEVS": [
            {"ASC": 2, "MHS 5s": 3e6, "Temperature": 61},
            {"ASC": 0, "Name": "BTM_SOC", "MHS 5s": 0, "Tenperature": 0.0},
            {"ASC": 1, "MHS 5s": 2e6, "Temperature": 0},
        ]
    }
    boards = dev_boards(devs)
    assert [(b.index, b.hashrate, b.temperature) for b in boards] == [
        (1, 2.0, None),
        (2, 3.0, 61.0),
    ]


def test_build_data_readings_and_module_temperatures() -> None:
    data = build_data(
        MinerIdentity(),
        hashrate=1.0,
        temperature=40.0,
        chip_temperature=50.0,
        average_hashrate=2.0,
        blocks_found=1,
    )
    assert (data.temperature, data.chip_temperature) == (40.0, 50.0)
    assert (data.average_hashrate, data.blocks_found) == (2.0, 1)
    boards = [HashBoard(0, temperature=60.0, chip_temperature=None)]
    data = build_data(
        MinerIdentity(), hashrate=1.0, boards=boards, temperature=40.0, chip_temperature=50.0
    )
    assert (data.temperature, data.chip_temperature) == (60.0, 50.0)


class _StatsRefused(CGMinerForkPersonality):
    """A fork whose access list refuses ``stats`` (while ``refuse_stats``)."""

    name = "test-stats-refused"
    refuse_stats = True

    def cmd_stats(self, parameter: str | None) -> Reply:
        if self.refuse_stats:
            return self.error(45, "Access denied")
        return super().cmd_stats(parameter)


async def test_a_refused_stats_is_no_lost_poll(simulator: SimulatorFactory) -> None:
    """``stats`` refused on the first poll: the layout is cgminer's, the poll goes on."""
    sim = await simulator(_StatsRefused, jitter=False)  # type: ignore[arg-type]
    api = CGMinerAPI("127.0.0.1", sim.port)
    with pytest.warns(APIWarning, match="stats"):
        data = await api.get_data()
    assert api.layout == "cgminer"
    assert data.hashrate == pytest.approx(12.0)


class _AntminerClone(AntminerS9):
    """An Antminer clone (``CGMiner`` key, ``Type "Blackminer F1"``) whose firmware update
    stops answering ``stats`` (while ``refuse_stats``)."""

    name = "test-antminer-clone"
    family = "cgminer"
    has_web = False
    software = "CGMiner"
    refuse_stats = False

    def type_name(self) -> str:
        return "Blackminer F1"

    def cmd_stats(self, parameter: str | None) -> Reply:
        if self.refuse_stats:
            return self.error(14, "Invalid command")
        return super().cmd_stats(parameter)


async def test_antminer_clone_read_with_the_antminer_layout(simulator: SimulatorFactory) -> None:
    sim = await simulator(_AntminerClone, jitter=False)  # type: ignore[arg-type]
    api = await detect_api("127.0.0.1", sim.port, timeout=2.0)
    assert type(api) is CGMinerAPI
    data = await api.get_data()
    assert (data.make, data.model) == (None, "Blackminer F1")
    assert [board.index for board in data.boards] == [0, 1, 2]
    assert len(data.fans) == 2
    assert data.expected_hashrate == pytest.approx(13.5)
    assert api.layout == "antminer"
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == ["stats"]
    assert isinstance(sim.personality, _AntminerClone)
    sim.personality.refuse_stats = True  # the layout's own command refused: ask everything
    sim.requests.clear()
    with pytest.warns(APIWarning):
        data = await api.get_data()
    assert data.hashrate == pytest.approx(13.5)  # from summary
    assert sim.requests[-1] == "summary+devs+pools+stats"


def test_strongu_fans_in_summary() -> None:
    """A StrongU STU-U6 (cgminer 4.11.1): fans ``Fan1``/``Fan2`` in ``SUMMARY``, boards in
    ``devs`` (foreman's StrongU test data)."""
    replies = {
        "summary": [
            {
                "SUMMARY": [
                    {
                        "Elapsed": 100,
                        "MHS 5s": 3e6,
                        "MHS av": 2.9e6,
                        "Fan Num": 2,
                        "Fan1": 7800,
                        "Fan2": 7800,
                        "Accepted": 5,
                        "Rejected": 0,
                    }
                ]
            }
        ],
        "devs": [
            {
                "DEVS": [
                    {"ASC": 0, "MHS 5s": 1.5e6, "Temperature": 54.56, "ChipNum": 70},
                    {"ASC": 1, "MHS 5s": 1.5e6, "Temperature": 55.0, "ChipNum": 70},
                ]
            }
        ],
    }
    data = CGMinerAPI("h")._map(replies, MinerIdentity())
    assert data.fans == [Fan(0, 7800), Fan(1, 7800)]
    assert data.hashrate == pytest.approx(3.0)
    assert data.average_hashrate == pytest.approx(2.9)
    assert data.temperature == 55.0
    assert (data.shares_accepted, data.shares_rejected) == (5, 0)
