"""The Avalon ``MM ID`` text: both layouts, placeholders and the power supply's list, on replies
written here after real firmware (an idle Avalon Q, a Nano 3S, an A10, an A15)."""

from __future__ import annotations

import pytest

from custom_components.asic_miner.api.avalon_stats import (
    MAX_BOARDS,
    AvalonStats,
    blocks,
    board_count,
    fans,
    hash_boards,
    numbers,
    parse_fields,
    parse_mm,
    positive,
    read_stats,
    split_version,
    status_parts,
    temperature,
    wall_power,
)
from custom_components.asic_miner.api.models import Fan, HashBoard

#: An idle Q's text (new layout): wrapper, colon key, a key with a space, values with ``:``/``,``.
Q_TEXT = (
    "'STATS':{Ver[Q-25060101_0ab12cd] LVer[25060101_0ab12cd] DNA[0201000011223344] STATE[2] "
    "SSID[] RSSI[0] SYSTEMSTATU[Work: In Idle, Hash Board: 1] Elapsed[4321] ITemp[24] "
    "HBITemp[25] HBOTemp[26] TMax[0] TAvg[0] TarT[65] Fan1[0] Fan2[0] Fan3[0] Fan4[0] FanR[0%] "
    "PS[0 1220 4 0 0 2240 139] GHSspd[0.00] GHSmm[54000.00] GHSavg[43000.50] MGHS[43000.50] "
    "SoftOFF[4] WORKMODE[0] WORKLEVEL[0] MPO[800] Nonce Mask[25]}"
)
#: Its per-chip lists in ``HBinfo`` (two boards here, to read more than one block).
HB_TEXT = "'HB0':{PVT_T0[ 60  61  0] MW0[500 0 610]} 'HB1':{PVT_T1[ 62  63] MW1[530 540]}"


def test_parse_fields_reads_the_real_shapes() -> None:
    fields = parse_fields("Ver[1066-19101244_fe411a8] SYSTEMSTATU[Work: In Work, Hash Board: 3 ]")
    assert fields == {"Ver": "1066-19101244_fe411a8", "SYSTEMSTATU": "Work: In Work, Hash Board: 3"}
    assert parse_fields("Nonce Mask[25] SSID[] PS[0  1 2]") == {
        "Nonce Mask": "25",
        "SSID": "",
        "PS": "0  1 2",
    }
    assert parse_fields("[x] A[1] A[2] tail") == {"A": "1"}  # first one wins
    assert parse_fields("A[1] B[unclosed") == {"A": "1"}
    assert parse_fields("") == {}


def test_parse_fields_is_linear_on_hostile_input() -> None:
    assert parse_fields("[" * 2_000_000) == {}
    assert len(parse_fields("K[v] " * 200_000)) == 1
    assert blocks("'" * 2_000_000) == []


def test_blocks_and_the_new_layout_wrapper() -> None:
    assert blocks("Ver[1] A[2]") == [(None, "Ver[1] A[2]")]
    assert blocks(HB_TEXT) == [
        ("HB0", "PVT_T0[ 60  61  0] MW0[500 0 610]"),
        ("HB1", "PVT_T1[ 62  63] MW1[530 540]"),
    ]
    assert blocks("'HB0':{A[1]") == [("HB0", "A[1]")]  # cut short: what is there
    assert blocks("'HB0' A[1]") == []  # no ':{' after the name
    fields = parse_mm(Q_TEXT)
    assert fields["Ver"] == "Q-25060101_0ab12cd"
    assert fields["Nonce Mask"] == "25"
    assert fields["SYSTEMSTATU"] == "Work: In Idle, Hash Board: 1"
    assert "'STATS':{Ver" not in fields


def test_values() -> None:
    assert numbers(" 58  59 0% x") == [58.0, 59.0, 0.0, None]
    assert numbers(None) == []
    for placeholder in (0, "0", 0.0, -273, "-273", -83, None, "", "n/a"):
        assert temperature(placeholder) is None, placeholder
    assert temperature("26") == 26.0
    assert temperature(-5) == -5.0  # a cold inlet is a reading
    assert positive("800") == 800.0
    assert positive("0") is None
    assert positive(None) is None
    assert status_parts("Work: In Idle, Hash Board: 1") == {"Work": "In Idle", "Hash Board": "1"}
    assert status_parts(None) == {}


@pytest.mark.parametrize(
    ("ver", "model", "firmware"),
    [
        ("Q-25052801_14a19a2", "Q", "25052801_14a19a2"),
        ("Nano3s-25021401_56abae7", "Nano3s", "25021401_56abae7"),
        ("15-194-24102401_25462b2_9ddf522", "15-194", "24102401_25462b2_9ddf522"),
        ("1066-19101244_fe411a8_71edeca", "1066", "19101244_fe411a8_71edeca"),
        ("Q", "Q", None),
        ("-25052801_14a19a2", None, "25052801_14a19a2"),
        (None, None, None),
    ],
)
def test_split_version(ver: str | None, model: str | None, firmware: str | None) -> None:
    assert split_version(ver) == (model, firmware)


def test_read_stats_new_layout_with_hbinfo() -> None:
    reply = {
        "STATS": [
            {
                "STATS": 0,
                "ID": "AVALON0",
                "Elapsed": 4300,
                "MM ID0:Summary": Q_TEXT,
                "HBinfo": HB_TEXT + " 'XB9':{A[1]}",
            },
            {"STATS": 1, "ID": "POOL0", "Elapsed": 4300},
        ]
    }
    stats = read_stats(reply)
    assert stats is not None
    assert stats.elapsed == 4300
    assert stats.get("GHSmm") == "54000.00"
    assert stats.board_field("MW", 1) == "530 540"
    assert sorted(stats.boards) == [0, 1]
    assert stats.idle


def test_read_stats_classic_layout_and_absence() -> None:
    classic = {"STATS": [{"ID": "AVA100", "MM ID0": "Ver[1066-x] PVT_T0[60 61] Led[0]"}]}
    stats = read_stats(classic)
    assert stats is not None
    assert stats.board_field("PVT_T", 0) == "60 61"
    assert stats.boards == {}
    assert stats.elapsed is None
    assert not stats.idle
    assert read_stats({"STATS": [{"ID": "POOL0"}, {"MM ID0": 7}]}) is None
    assert read_stats(None) is None


def test_board_count() -> None:
    assert board_count(AvalonStats({"MGHS": "1 2 3"})) == 3
    assert board_count(AvalonStats({"PVT_T1": "60"})) == 2
    assert board_count(AvalonStats({}, {0: {}})) == 1
    assert board_count(AvalonStats({"SYSTEMSTATU": "Work: In Work, Hash Board: 2 "})) == 2
    assert board_count(AvalonStats({"SYSTEMSTATU": "Work: In Init"})) == 0
    # numbers no unit has: at most MAX_BOARDS, whatever the text says
    assert board_count(AvalonStats({"SYSTEMSTATU": "Hash Board: 100000000"})) == MAX_BOARDS
    assert board_count(AvalonStats({"PVT_T99999999": "60", "MW1": "3"})) == 2
    assert board_count(AvalonStats({"PVT_T²": "60", "MW٣": "3"})) == 0  # no ASCII digits
    count = AvalonStats({"SYSTEMSTATU": f"Hash Board: {10**18}"})
    assert len(hash_boards(count, None)) == MAX_BOARDS
    hb = read_stats({"STATS": [{"MM ID0": "Ver[Q-x]", "HBinfo": "'HB99999999':{MW0[1]}"}]})
    assert hb is not None
    assert hb.boards == {}


def test_boards_of_an_a_series_unit() -> None:
    """Three boards: per-board temperatures, no per-board rate (MGHS is an average)."""
    stats = AvalonStats(
        {
            "MGHS": "59459.52 61407.83 63139.66",
            "MTmax": "77 78 -273",
            "MTavg": "69 70 0",
            "TMax": "78",
            "PVT_T0": "66 65 0",
            "MW0": "238 0 240",
            "SoftOFF": "0",
        }
    )
    assert hash_boards(stats, 199.2) == [
        HashBoard(0, None, 69.0, 77.0, chips=2, dead_chips=1),
        HashBoard(1, None, 70.0, 78.0),
        HashBoard(2, None, None, None),
    ]


def test_boards_of_a_one_board_unit() -> None:
    working = AvalonStats({"MGHS": "6695.18", "TMax": "95", "TAvg": "90", "PVT_T0": "85 0 91"})
    assert hash_boards(working, 6.6) == [HashBoard(0, 6.6, 90.0, 95.0, chips=2)]
    idle = read_stats({"STATS": [{"MM ID0:Summary": Q_TEXT, "HBinfo": HB_TEXT}]})
    assert idle is not None
    boards = hash_boards(idle, 0.0)
    assert boards[0] == HashBoard(0, None, None, None, chips=2, dead_chips=1)
    # a stale idle reading of a chip is no temperature either
    stale = AvalonStats({"MGHS": "1", "MTmax": "70", "MTavg": "60", "SoftOFF": "4"})
    assert hash_boards(stale, 0.0) == [HashBoard(0, 0.0, None, None)]


def test_fans() -> None:
    stats = AvalonStats({"Fan1": "4275", "Fan2": "4282", "Fan0": "9", "FanR": "49%", "FanErr": "0"})
    assert fans(stats) == [Fan(0, 4275, 49), Fan(1, 4282, 49)]
    assert fans(AvalonStats({"Fan1": "1520"})) == [Fan(0, 1520, None)]
    hostile = {"Fan2": "1500", "Fan99999999": "1", "Fan" + "9" * 5000: "1", "Fan²": "1"}
    assert fans(AvalonStats(hostile)) == [Fan(1, 1500, None)]


@pytest.mark.parametrize(
    ("fields", "watts"),
    [
        ({"WALLPOWER": "3731", "PS": "0 1209 1187 297 3526 1188 3731"}, 3731.0),
        ({"PS": "0 0 27541 4 0 3756 133", "MPO": "133"}, 133.0),  # Nano 3S: the 7th element
        ({"PS": "0 1222 4 0 0 2245 146", "MPO": "800"}, 146.0),  # idle Q: never MPO
        ({"PS": "0 1217 1279 221 2834 1280"}, 2834.0),  # A10: output power, not the voltage
        ({"PS": "0 1 2 3 4 5 140 1100 1300"}, 140.0),  # min/max voltages after the power
        ({"WALLPOWER": "0", "PS": "0 0 0 0 0 0 0"}, None),  # all zero: no reading
        ({"PS": "0 1 2"}, None),
        ({"MPO": "800"}, None),
    ],
)
def test_wall_power(fields: dict[str, str], watts: float | None) -> None:
    assert wall_power(AvalonStats(fields)) == watts
