"""Each firmware quirk ``decode_reply`` repairs, from captured-style replies."""

from __future__ import annotations

import json

import pytest

from custom_components.asic_miner.api import APIDecodeError
from custom_components.asic_miner.api.decoding import as_float, as_int, decode_reply, excerpt


def test_valid_reply_fast_path() -> None:
    raw = b'{"STATUS":[{"STATUS":"S","Code":11,"Msg":"Summary"}],"SUMMARY":[{"MHS 5s":1.5}],"id":1}'
    assert decode_reply(raw)["SUMMARY"][0]["MHS 5s"] == 1.5


def test_trailing_nul() -> None:
    assert decode_reply(b'{"STATUS":[{"STATUS":"S"}],"id":1}\x00') == {
        "STATUS": [{"STATUS": "S"}],
        "id": 1,
    }


def test_comma_before_closing_brace() -> None:
    # Whatsminer devs: {"... ","Upfreq Complete":1,}
    raw = b'{"STATUS":[{"STATUS":"S"}],"DEVS":[{"ASC":0,"Slot":0,},{"ASC":1,"Slot":1,},],"id":1}'
    assert decode_reply(raw)["DEVS"] == [{"ASC": 0, "Slot": 0}, {"ASC": 1, "Slot": 1}]


def test_raw_newline_in_string() -> None:
    raw = b'{"STATUS":"S","Msg":{"error":"line one\nline two"}}'
    assert decode_reply(raw)["Msg"]["error"] == "line one\nline two"


def test_raw_newline_and_comma_together() -> None:
    raw = b'{"STATUS":"S","Msg":{"a":"x\ny",}}'
    assert decode_reply(raw)["Msg"] == {"a": "x\ny"}


def test_missing_comma_between_objects() -> None:
    # Antminer stats: the BMMiner object and the STATS:0 object with no comma between them.
    raw = (
        b'{"STATUS":[{"STATUS":"S","Msg":"CGMiner stats"}],"STATS":[{"BMMiner":"1.0.0",'
        b'"Type":"Antminer S9"}{"STATS":0,"ID":"BC50","temp2_1":62}],"id":1}\x00'
    )
    stats = decode_reply(raw)["STATS"]
    assert stats[0]["Type"] == "Antminer S9"
    assert stats[1]["temp2_1"] == 62


def test_leading_comma_in_list() -> None:
    raw = b'{"STATUS":[{"STATUS":"S"}],"STATS":[,{"STATS":0,"ID":"BC50"}],"id":1}'
    assert decode_reply(raw)["STATS"] == [{"STATS": 0, "ID": "BC50"}]


def test_missing_comma_before_temp0() -> None:
    # Whatsminer 2023-01 devs: "..."  directly followed by the next key.
    raw = b'{"STATUS":[{"STATUS":"S"}],"DEVS":[{"Chip Data":"K7-1-a""temp0":65.0,"temp1":66.0}]}'
    dev = decode_reply(raw)["DEVS"][0]
    assert dev == {"Chip Data": "K7-1-a", "temp0": 65.0, "temp1": 66.0}


@pytest.mark.parametrize(
    ("token", "expected"), [("inf", None), ("-inf", None), ("nan", None), ("NaN", None)]
)
def test_bare_inf_nan(token: str, expected: None) -> None:
    raw = f'{{"STATUS":[{{"STATUS":"S"}}],"STATS":[{{"Temp":{token},"Fan1":3300}}]}}'.encode()
    assert decode_reply(raw)["STATS"][0] == {"Temp": expected, "Fan1": 3300}


def test_quoted_inf_nan_read_as_missing() -> None:
    raw = b'{"STATS":[{"TAvg":"inf","TMax":"nan","TMin":"-inf"}]}'
    stats = decode_reply(raw)["STATS"][0]
    assert [as_float(stats[k]) for k in ("TAvg", "TMax", "TMin")] == [None, None, None]


def test_inf_nan_repair_keeps_words() -> None:
    # Forces the repair path (bare nan) and checks words containing inf/nan survive.
    raw = (
        b'{"STATUS":[{"STATUS":"S","Msg":"info"}],"VERSION":[{"PROD":"AvalonNano 3",'
        b'"URL":"stratum+tcp://btc.binance.com:443","T":nan,"Info":"infinite nanny"}]}'
    )
    version = decode_reply(raw)["VERSION"][0]
    assert version["PROD"] == "AvalonNano 3"
    assert version["URL"] == "stratum+tcp://btc.binance.com:443"
    assert version["Info"] == "infinite nanny"
    assert version["T"] is None
    assert decode_reply(raw)["STATUS"][0]["Msg"] == "info"


def test_json_constants_become_none() -> None:
    assert decode_reply(b'{"a":NaN,"b":Infinity,"c":-Infinity}') == {
        "a": None,
        "b": None,
        "c": None,
    }


def test_leading_comma_id() -> None:
    assert decode_reply(b',"id":1}') == {"id": 1}


def test_truncated_by_full_buffer() -> None:
    # Complete values kept (also those of the cut entry), the cut number dropped, open
    # containers closed; an entry cut before its first value is dropped.
    raw = (
        b'{"STATUS":[{"STATUS":"S","Msg":"2 ASC(s)"}],"DEVS":[{"ASC":0,"MHS 5s":1.0},'
        b'{"ASC":1,"MHS 5s":2.\x00'
    )
    assert decode_reply(raw)["DEVS"] == [{"ASC": 0, "MHS 5s": 1.0}, {"ASC": 1}]
    cut = raw[: raw.index(b'{"ASC":1') + 4] + b"\x00"
    assert decode_reply(cut)["DEVS"] == [{"ASC": 0, "MHS 5s": 1.0}]


def test_truncated_inside_string_and_key() -> None:
    assert decode_reply(b'{"STATUS":"S","Msg":{"a":1,"desc":"trunc\x00') == {
        "STATUS": "S",
        "Msg": {"a": 1},
    }
    assert decode_reply(b'{"STATUS":"S","Msg":{"a":1,"b"\x00') == {"STATUS": "S", "Msg": {"a": 1}}
    assert decode_reply(b'{"STATUS":"S","Msg":[\x00') == {"STATUS": "S", "Msg": []}


def test_cut_connection_is_not_repaired() -> None:
    with pytest.raises(APIDecodeError, match="cut short"):
        decode_reply(b'{"STATUS":[{"STATUS":"S"}],"DEVS":[{"ASC":0')


def test_error_code_list_written_as_dict() -> None:
    # Whatsminer 2.0.4 get_error_code
    raw = (
        b'{"STATUS":"S","When":1700000000,"Code":133,"Msg":{"error_code":'
        b'["111":"2023-06-01 10:00:00","2010":"2023-06-01 10:00:05"]},"Description":""}'
    )
    assert decode_reply(raw)["Msg"]["error_code"] == {
        "111": "2023-06-01 10:00:00",
        "2010": "2023-06-01 10:00:05",
    }


def test_invalid_utf8() -> None:
    raw = b'{"STATUS":[{"STATUS":"S"}],"POOLS":[{"User":"w\xff\xfeorker"}]}\x00'
    assert decode_reply(raw)["POOLS"][0]["User"] == "w\ufffd\ufffdorker"


def test_trailing_content_after_object_ignored() -> None:
    assert decode_reply(b'{"a":1}{"b":2}') == {"a": 1}


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00",
        b"HTTP/1.1 400 Bad Request\r\n\r\n",
        b"\x8f\x91\xfe garbage",
        b"[1,2,3]",
        b'{"a" 1}',
        b'{"a":}',
        b"{1:2}",
        b'{"a":1 :}',
        b'{"a":tru}',
        b"}",
        b",",
        b'{"a":1},',
        b'"text"',
        b"nan",
        b"5 6",
    ],
)
def test_unreadable_raises_with_excerpt(raw: bytes) -> None:
    with pytest.raises(APIDecodeError):
        decode_reply(raw)


def test_error_quotes_excerpt() -> None:
    with pytest.raises(APIDecodeError, match="Bad Request"):
        decode_reply(b"HTTP/1.1 400 Bad Request\r\n" + b"x" * 500)
    assert excerpt(b"a" * 100).endswith("…")
    assert excerpt("short") == "'short'"


def test_large_reply_linear() -> None:
    # 8 MB through the repair path (a bare nan forces it): completes (no backtracking blow-up
    # would let it finish within the suite's timeout). Speed itself is for the benchmarks.
    item = '{"ASC":1,"Name":"BTM","Temp":nan,"MHS 5s":12.5,"Info":"inf nan infinite"},'
    body = item * (8 * 1024 * 1024 // len(item))
    raw = ('{"STATUS":[{"STATUS":"S"}],"DEVS":[' + body + "]}").encode()
    devs = decode_reply(raw)["DEVS"]
    assert len(devs) == 8 * 1024 * 1024 // len(item)
    assert devs[0]["Temp"] is None
    assert devs[-1]["Info"] == "inf nan infinite"


@pytest.mark.parametrize(
    "raw",
    [b'"' + b"a" * 8_000_000, b'{"a":"' + b"\\" * 8_000_001, b"{" + b" " * 8_000_000 + b"x"],
    ids=["open-string", "backslashes", "whitespace-then-junk"],
)
def test_pathological_inputs_fail_fast(raw: bytes) -> None:
    with pytest.raises(APIDecodeError):
        decode_reply(raw)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (True, None),
        (3, 3.0),
        (2.5, 2.5),
        ("4.25", 4.25),
        (" 87 % ", 87.0),
        ("", None),
        ("abc", None),
        ("inf", None),
        (float("nan"), None),
        ([1], None),
        # too large for a float: no reading, not an OverflowError
        pytest.param(10**400, None, id="10**400"),
        pytest.param(-(10**400), None, id="-10**400"),
        ("1e999", None),
    ],
)
def test_as_float(value: object, expected: float | None) -> None:
    assert as_float(value) == expected


def test_as_int() -> None:
    assert as_int("12.7") == 12
    assert as_int(None) is None
    assert as_int(10**400) is None


def test_roundtrip_of_valid_json_is_unchanged() -> None:
    data = {"STATUS": [{"STATUS": "S"}], "x": [1, 2.5, "s", None, True, {"y": []}]}
    assert decode_reply(json.dumps(data).encode()) == data


def test_bad_number_and_capitalised_literals() -> None:
    with pytest.raises(APIDecodeError, match="bad number"):
        decode_reply(b'{"a":2.,"b":1}')
    assert decode_reply(b'{"a":True,"b":NULL,"c":nan}') == {"a": True, "b": None, "c": None}


def test_single_quote_escape() -> None:
    # A fork escaping ' as cgminer never does: the backslash goes, the reply stays readable.
    raw = b'{"STATUS":[{"STATUS":"S","Msg":"it\\\'s fine"}],"POOLS":[{"User":"a\\\\\'b"}]}\x00'
    reply = decode_reply(raw)
    assert reply["STATUS"][0]["Msg"] == "it's fine"
    assert reply["POOLS"][0]["User"] == "a\\'b"  # an escaped backslash stays one


def test_other_unknown_escapes_read_as_their_character() -> None:
    assert decode_reply(b'{"a":"\\d\\q","b":"\\n\\u0041"}')["a"] == "dq"
    assert decode_reply(b'{"a":"\\d","b":"\\n\\u0041"}')["b"] == "\nA"


def test_unknown_escape_in_a_key() -> None:
    assert decode_reply(b'{"it\\\'s":1}') == {"it's": 1}


def test_duplicate_keys_keep_every_value() -> None:
    # Hammer D10 stats: "temp1" once per sensor of chain 1.
    raw = b'{"STATS":[{"temp1":21,"temp1":42,"temp1":21,"temp1":45,"temp2":40,"fan1":4650}]}\x00'
    stats = decode_reply(raw)["STATS"][0]
    assert stats == {"temp1": [21, 42, 21, 45], "temp2": 40, "fan1": 4650}
    assert as_float(stats["temp1"]) is None  # no single value: readers choose


def test_duplicate_keys_in_a_repaired_reply() -> None:
    raw = b'{"STATS":[{"Type":"Hammer D10"}{"temp1":21,"temp1":45,}]}\x00'
    assert decode_reply(raw)["STATS"][1] == {"temp1": [21, 45]}


def test_model_with_a_raw_newline() -> None:
    raw = b'{"VERSION":[{"BMMiner":"2.0.0","Type":"Antminer S9\nV1.3.58"}]}\x00'
    assert decode_reply(raw)["VERSION"][0]["Type"] == "Antminer S9\nV1.3.58"
