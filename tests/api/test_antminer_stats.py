"""``antminer_stats`` on replies of our own that reproduce what real Antminer-layout firmware
writes (the quirks of the real captures and of public test data, each named where it is
built), decoded by ``decode_reply`` as the client does."""

from __future__ import annotations

import json
from typing import Any

import pytest

from custom_components.asic_miner.api import Fan, MinerIdentity
from custom_components.asic_miner.api.antminer_stats import (
    FanMemory,
    chain_offset,
    has_chains,
    hottest,
    map_antminer,
    read_stats,
    remember_fans,
    split_type,
    stats_header,
)
from custom_components.asic_miner.api.decoding import decode_reply


def _stats(header: dict[str, Any], miner: dict[str, Any], *, split: bool = False) -> bytes:
    """A ``stats`` reply; ``split`` writes the two objects as ``}{`` (S9, VNish)."""
    glue = "" if split else ","
    return (
        b'{"STATUS":[{"STATUS":"S","When":1700000000,"Code":70,"Msg":"CGMiner stats",'
        b'"Description":"cgminer 1.0.0"}],"STATS":['
        + json.dumps(header).encode()
        + glue.encode()
        + json.dumps(miner).encode()
        + b'],"id":1}\x00'
    )


def _s9_chains(populated: dict[int, tuple[int, str, int, int]]) -> dict[str, Any]:
    """All sixteen chain slots of an S9, ``populated``: chain -> (chips, rate, temp, temp2)."""
    fields: dict[str, Any] = {}
    for chain in range(1, 17):
        fields[f"temp{chain}"] = populated.get(chain, (0, "", 0, 0))[2]
    for chain in range(1, 17):
        fields[f"temp2_{chain}"] = populated.get(chain, (0, "", 0, 0))[3]
    for chain in range(1, 17):
        fields[f"temp3_{chain}"] = 0
    for chain in range(1, 17):
        chips, rate, _, _ = populated.get(chain, (0, "", 0, 0))
        fields[f"chain_acn{chain}"] = chips
        fields[f"chain_acs{chain}"] = " oooooooo" * (chips // 8) if chips else ""
        fields[f"chain_rate{chain}"] = rate
    return fields


#: An S9 on stock bmminer (2017): ``}{``, GHS 5s quoted, boards on chains 6-8 of sixteen
#: listed, eight fan slots for two fans (3 and 6), ``total_rateideal`` without ``rate_unit``.
S9 = _stats(
    {
        "BMMiner": "2.0.0",
        "Miner": "16.8.1.3",
        "CompileTime": "Fri Nov 17 2017",
        "Type": "Antminer S9",
    },
    {
        "STATS": 0,
        "ID": "BC50",
        "Elapsed": 1000,
        "GHS 5s": "13600.10",
        "GHS av": 13500.20,
        "fan_num": 2,
        **{f"fan{slot}": {3: 4080, 6: 4200}.get(slot, 0) for slot in range(1, 9)},
        **_s9_chains(
            {
                6: (63, "4500.10", 57, 70),
                7: (63, "4550.00", 53, 68),
                8: (63, "4550.00", 55, 72),
            }
        ),
        "total_rateideal": 13500.0,
        "total_rate": 13600.10,
        "temp_max": 57,
        "miner_id": "80749dc6aaaa0001",
    },
    split=True,
)


def _s19_miner(**extra: Any) -> dict[str, Any]:
    """An S19 Pro of 2022 firmware: valid JSON, ``BTM_SOC0``, four chains listed with the
    fourth empty (``"0-0-0-0"``), ``total rate`` with a space, ``temp_max`` 0."""
    miner: dict[str, Any] = {
        "STATS": 0,
        "ID": "BTM_SOC0",
        "Elapsed": 50000,
        "GHS 5s": 110500.0,
        "GHS av": 111800.0,
        "rate_30m": 111850.0,
        "Mode": 2,
        "fan_num": 4,
        "fan1": 6000,
        "fan2": 5880,
        "fan3": 5040,
        "fan4": 5000,
        "temp1": 73,
        "temp2": 66,
        "temp3": 64,
        "temp4": 0,
        "temp2_1": 78,
        "temp2_2": 71,
        "temp2_3": 69,
        "temp2_4": 0,
        "temp_pcb1": "73-45-64-65",
        "temp_pcb2": "47-50-66-65",
        "temp_pcb3": "46-44-64-63",
        "temp_pcb4": "0-0-0-0",
        "temp_chip1": "78-50-69-70",
        "temp_chip2": "52-55-71-70",
        "temp_chip3": "51-49-69-68",
        "temp_chip4": "0-0-0-0",
        "total_rateideal": 110000.0,
        "rate_unit": "GH",
        "total rate": 111800.0,
        "temp_max": 0,
        "chain_acn1": 114,
        "chain_acn2": 114,
        "chain_acn3": 114,
        "chain_acn4": 0,
        "chain_acs1": " oooooooo" * 14 + " oo",
        "chain_acs2": " oooooooo" * 14 + " oo",
        "chain_acs3": " oooooooo" * 14 + " oo",
        "chain_acs4": "",
        "chain_rate1": "37600.00",
        "chain_rate2": "35500.00",
        "chain_rate3": "37400.00",
        "chain_rate4": "",
        "miner_id": "8144d5ca0000aaaa",
    }
    miner.update(extra)
    return miner


S19_HEADER = {
    "BMMiner": "1.0.0",
    "Miner": "49.0.1.3",
    "CompileTime": "Tue Dec  6 16:12:30 CST 2022",
    "Type": "Antminer S19 Pro",
}


def _sleeping_t17() -> dict[str, Any]:
    """A sleeping T17+ (2020): ``Mode`` 254, ``GHS 5s`` "0.00", every chain empty,
    ``"0-0-0-0"`` sensors, ``fan_num`` 0 and every fan 0, ``total_rateideal`` 0.00."""
    miner: dict[str, Any] = {
        "STATS": 0,
        "ID": "BTM_SOC0",
        "Elapsed": 8000,
        "GHS 5s": "0.00",
        "GHS av": 0.00,
        "Mode": 254,
        "fan_num": 0,
        "total_rateideal": 0.00,
        "rate_unit": "GH",
        "total_rate": 0.00,
    }
    for chain in range(1, 17):
        miner.update(
            {
                f"fan{chain}": 0,
                f"temp{chain}": 0,
                f"temp2_{chain}": 0,
                f"temp_pcb{chain}": "0-0-0-0",
                f"temp_chip{chain}": "0-0-0-0",
                f"chain_acn{chain}": 0,
                f"chain_acs{chain}": "",
                f"chain_rate{chain}": "",
            }
        )
    return miner


def test_s9_boards_are_numbered_from_chain_6() -> None:
    stats = read_stats(decode_reply(S9), FanMemory())
    assert [board.index for board in stats.boards] == [0, 1, 2]
    assert [board.hashrate for board in stats.boards] == pytest.approx([4.5001, 4.55, 4.55])
    assert [board.temperature for board in stats.boards] == [57, 53, 55]
    assert [board.chip_temperature for board in stats.boards] == [70, 68, 72]
    assert [board.chips for board in stats.boards] == [63, 63, 63]
    assert [board.dead_chips for board in stats.boards] == [0, 0, 0]
    assert stats.fans == [Fan(2, 4080), Fan(5, 4200)]  # by slot; the empty slots left out
    assert stats.hashrate == pytest.approx(13.6001)  # GHS 5s, quoted
    assert stats.average_hashrate == pytest.approx(13.5002)
    assert stats.expected_hashrate == pytest.approx(13.5)  # GH without rate_unit
    assert stats.uptime == 1000
    assert stats.sleeping is None
    header = stats_header(decode_reply(S9))
    assert (header.make, header.model, header.build) == ("Antminer", "S9", "Fri Nov 17 2017")
    assert header.software == ("BMMiner", "2.0.0")
    assert header.miner_id == "80749dc6aaaa0001"


def test_s9_board_unplugged_keeps_the_others_numbers() -> None:
    reply = decode_reply(S9)
    miner = reply["STATS"][1]
    miner.update({"chain_acn6": 0, "chain_rate6": "", "temp6": 0, "temp2_6": 0})
    assert [board.index for board in read_stats(reply, FanMemory()).boards] == [1, 2]


def test_s19_fourth_chain_and_placeholders() -> None:
    stats = read_stats(decode_reply(_stats(S19_HEADER, _s19_miner())), FanMemory())
    assert [board.index for board in stats.boards] == [0, 1, 2]  # chain 4 is no board
    assert [board.temperature for board in stats.boards] == [73, 66, 64]
    assert [board.chip_temperature for board in stats.boards] == [78, 71, 69]
    assert [board.hashrate for board in stats.boards] == pytest.approx([37.6, 35.5, 37.4])
    assert stats.hashrate == pytest.approx(110.5)
    assert stats.average_hashrate == pytest.approx(111.8)  # not "total rate", the same here
    assert stats.expected_hashrate == pytest.approx(110.0)
    assert stats.fans == [Fan(0, 6000), Fan(1, 5880), Fan(2, 5040), Fan(3, 5000)]
    assert stats.inlet_temperature is None  # not a hydro model


def test_sleeping_t17_has_no_board_no_fan_no_expected_rate() -> None:
    header = {"BMMiner": "1.0.0", "CompileTime": "Tue Jun  2 2020", "Type": "Antminer T17+"}
    reply = decode_reply(_stats(header, _sleeping_t17()))
    stats = read_stats(reply, FanMemory())
    assert stats.boards == []
    assert stats.fans == []
    assert stats.expected_hashrate is None  # 0.00 is a placeholder, never a fake 0
    assert stats.hashrate == 0.0
    assert stats.sleeping is True
    data = map_antminer({"stats": [reply]}, MinerIdentity(), FanMemory())
    assert (data.hashrate, data.is_mining, data.temperature, data.chip_temperature) == (
        0.0,
        False,
        None,
        None,
    )


def test_dead_chips_from_the_chip_map() -> None:
    miner = _s19_miner(chain_acs2=" oooxoooo ooooxxoo oooooooo")
    stats = read_stats(decode_reply(_stats(S19_HEADER, miner)), FanMemory())
    assert [board.dead_chips for board in stats.boards] == [0, 3, 0]
    assert stats.errors == ["hash board 1: 3 chip(s) not responding"]
    healthy = read_stats(decode_reply(_stats(S19_HEADER, _s19_miner())), FanMemory())
    assert healthy.errors == []
    # no stats reply (refused, or missing from the poll): the chips were not read
    assert read_stats(None, FanMemory()).errors is None


def test_hydro_model_reads_water_temperatures_and_no_fans() -> None:
    """An S21 XP Hyd. writes four fan slots at 0 with ``fan_num`` 4 (no fans), and
    ``temp_pcb<N>`` "inlet-x-outlet-y" (asic-rs, pyasic: sensor 0 inlet, sensor 2 outlet)."""
    header = {**S19_HEADER, "Type": "Antminer S21 XP Hyd."}
    miner = _s19_miner(
        fan1=0,
        fan2=0,
        fan3=0,
        fan4=0,
        temp_pcb1="38-48-47-52",
        temp_pcb2="38-48-47-51",
        temp_pcb3="37-48-46-51",
    )
    stats = read_stats(decode_reply(_stats(header, miner)), FanMemory())
    assert stats.fans == []
    assert stats.inlet_temperature == pytest.approx((38 + 38 + 37) / 3)
    assert stats.outlet_temperature == pytest.approx((47 + 47 + 46) / 3)
    assert [board.temperature for board in stats.boards] == [52, 51, 51]


def test_hammer_clone_duplicate_keys_and_mh_units() -> None:
    """Hammer D10 (ccminer 2.3.3): ``MHS 5s`` (its chain rates are MH/s, no ``rate_unit``), and
    ``temp<N>`` written once per sensor (pyasic's Hammer test data): the hottest counts."""
    raw = (
        b'{"STATUS":[{"STATUS":"S","Description":"ccminer 2.3.3"}],"STATS":[{"CGMiner":"2.3.3",'
        b'"CompileTime":"2023-05-28 17-20-35 CST","Type":"Hammer D10"},{"STATS":0,"ID":"A30",'
        b'"Elapsed":119161,"MHS 5s":"4686.4886","MHS av":"4872.8713","fan_num":4,"fan1":4650,'
        b'"fan2":4500,"fan3":3870,"fan4":3930,"temp1":21,"temp1":42,"temp1":21,"temp1":45,'
        b'"temp2":21,"temp2":40,"temp4":0,"temp4":0,"chain_acn1":108,"chain_acn2":108,'
        b'"chain_acn4":0,"chain_acs1":" oooo","chain_acs2":" oooo","chain_rate1":"1578.2742",'
        b'"chain_rate2":"1594.3646","chain_rate4":""}],"id":1}\x00'
    )
    stats = read_stats(decode_reply(raw), FanMemory())
    assert [board.temperature for board in stats.boards] == [45, 40]
    assert [board.hashrate for board in stats.boards] == pytest.approx([0.0015782742, 0.0015943646])
    assert stats.hashrate == pytest.approx(0.0046864886)
    assert len(stats.fans) == 4
    assert stats_header(decode_reply(raw)).model == "Hammer D10"


def test_vnish_stats_header() -> None:
    header = {
        "Cgminer": "4.11.1",
        "Miner": "26.0.1.3",
        "CompileTime": "Fri May  8 15:27:59 CST 2020",
        "Type": "Antminer S9 (vnish 3.8.6)",
    }
    parsed = stats_header(decode_reply(_stats(header, {"STATS": 0, "chain_acn6": 63})))
    assert (parsed.make, parsed.model, parsed.note) == ("Antminer", "S9", "vnish 3.8.6")
    assert parsed.software == ("Cgminer", "4.11.1")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Antminer S19 Pro", ("Antminer", "S19 Pro", None)),
        ("Antminer S9 (vnish 3.8.6)", ("Antminer", "S9", "vnish 3.8.6")),
        ("Antminer S9\nV1.3.58", ("Antminer", "S9", None)),
        ("Antminer S19 (88) (Vnish 1.2.6)", ("Antminer", "S19 (88)", "Vnish 1.2.6")),
        ("Antminer S21 XP Hyd.", ("Antminer", "S21 XP Hyd.", None)),
        ("Hammer D10", (None, "Hammer D10", None)),
        ("", (None, None, None)),
        (None, (None, None, None)),
        ("\n", (None, None, None)),
    ],
)
def test_split_type(value: str | None, expected: tuple[str | None, ...]) -> None:
    assert split_type(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("60-59-62-61", 62.0),
        (55, 55.0),
        ("57", 57.0),
        ("-", None),
        (None, None),
        ("0-0-x-0", None),
        ("0-0-0-0", None),
        ("0-48-0-52", 52.0),
        ([21, 42, 21, 45], 45.0),
        ([0, 0], None),
        (-273, None),
    ],
)
def test_hottest(value: object, expected: float | None) -> None:
    assert hottest(value) == expected


def test_chain_offset_and_layout() -> None:
    assert chain_offset([6, 7, 8]) == 6
    assert chain_offset([7, 8]) == 6
    assert chain_offset([1, 2, 3]) == 1
    assert chain_offset([6, 7, 8, 9]) == 1
    assert chain_offset([]) == 1
    assert has_chains({"chain_rate3": ""})
    assert not has_chains({"STATS": 0, "ID": "CGM0"})


def test_fan_memory_keeps_a_dead_fan_of_this_miner() -> None:
    reply = decode_reply(S9)
    identity = MinerIdentity(mac="02:00:00:00:00:09")
    memory = remember_fans(FanMemory(), reply, identity)
    reply["STATS"][1]["fan3"] = 0
    assert read_stats(reply, memory).fans == [Fan(2, 0), Fan(5, 4200)]
    other = remember_fans(memory, reply, MinerIdentity(mac="02:00:00:00:00:10"))
    assert read_stats(reply, other).fans == [Fan(5, 4200)]


def test_summary_fills_what_stats_lacks() -> None:
    """No ``GHS 5s`` or ``Elapsed`` in ``stats`` (a fork): the summary's; its counters too."""
    miner = _s19_miner()
    for key in ("GHS 5s", "GHS av", "Elapsed"):
        del miner[key]
    replies = {
        "stats": [decode_reply(_stats(S19_HEADER, miner))],
        "summary": [
            {
                "SUMMARY": [
                    {
                        "Elapsed": 77,
                        "GHS 5s": 100000.0,
                        "GHS av": 90000.0,
                        "Accepted": 10,
                        "Rejected": 1,
                        "Best Share": 12345,
                        "Found Blocks": 0,
                    }
                ]
            }
        ],
    }
    data = map_antminer(replies, MinerIdentity(), FanMemory())
    assert (data.hashrate, data.average_hashrate, data.uptime) == (100.0, 90.0, 77)
    assert (data.shares_accepted, data.shares_rejected) == (10, 1)
    assert (data.best_session_difficulty, data.blocks_found) == (12345.0, 0)
    del miner["chain_rate1"], miner["chain_rate2"], miner["chain_rate3"]
    bare = {"stats": [decode_reply(_stats(S19_HEADER, miner))]}
    assert map_antminer(bare, MinerIdentity(), FanMemory()).hashrate is None


def test_overheated_s19_hashes_nothing_whatever_its_average() -> None:
    """foreman's "Antminer S19 (overheating)": ``GHS 5s`` 0 with ``GHS av`` 93556.98 after
    321734 s. The hashrate is 0 and the miner not mining; the average is its own reading."""
    miner = _s19_miner(**{"GHS 5s": 0.0, "GHS av": 93556.98, "Elapsed": 321734})
    for chain in (1, 2, 3):
        miner[f"chain_rate{chain}"] = "0.00"
    replies = {"stats": [decode_reply(_stats(S19_HEADER, miner))]}
    data = map_antminer(replies, MinerIdentity(), FanMemory())
    assert data.hashrate == 0.0
    assert data.average_hashrate == pytest.approx(93.55698)
    assert data.is_mining is False
    assert [board.hashrate for board in data.boards] == [0.0, 0.0, 0.0]  # chips still listed
