"""Property tests: whatever bytes a miner writes, decoding gives a dict or an ``APIError``.

Never another exception (no ``IndexError``/``RecursionError`` escaping the repair pass), and
never slow: the deadline bounds each example, so a backtracking regex would show up here.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import example, given, strategies as st
import pytest

from custom_components.asic_miner.api.decoding import decode_reply
from custom_components.asic_miner.api.errors import APIDecodeError, APIError

from .conftest import bounded

BOUND = bounded(300)

#: Tokens real replies are made of, quirks included, to build near-JSON text.
TOKENS = st.sampled_from(
    [
        "{", "}", "[", "]", ",", ":", '"STATUS"', '"S"', '"Msg"', '"temp0"', '""',
        '"a\nb"', "1", "-2.5", "1e3", "2.", "inf", "-inf", "nan", "true", "false", "null",
        "\x00", " ", "\n", '"\\n', '"\\', '"\\u00', "\ufffd", "NaN", "Infinity", ",}", "}{",
    ]
)  # fmt: skip

REAL_REPLY = (
    b'{"STATUS":[{"STATUS":"S","When":1,"Code":11,"Msg":"Summary"}],'
    b'"SUMMARY":[{"Elapsed":5,"GHS 5s":"101.2","Temperature":inf}],"id":1}\x00'
)


def check(raw: bytes) -> None:
    """The property: a plain-JSON dict, or an ``APIDecodeError`` with a short message."""
    error: APIError | None = None
    result: Any = None
    try:
        result = decode_reply(raw)
    except APIError as err:
        error = err
    if error is not None:
        assert isinstance(error, APIDecodeError)
        assert len(str(error)) < 300  # the excerpt is short, whatever the size of the reply
        return
    assert isinstance(result, dict)
    json.dumps(result)  # plain JSON values only: what a diagnostics dump needs


@BOUND
@given(st.binary(max_size=4096))
@example(b"")
@example(b"\x00")
@example(b"[" * 5000)
@example(b"{" * 5000 + b"\x00")
@example(b'{"a":' * 3000 + b"\x00")
def test_any_bytes(raw: bytes) -> None:
    check(raw)


@BOUND
@given(st.lists(TOKENS, max_size=200).map("".join), st.booleans())
def test_near_json(text: str, terminated: bool) -> None:
    check(text.encode() + (b"\x00" if terminated else b""))


@BOUND
@given(st.data())
def test_mutated_real_reply(data: st.DataObject) -> None:
    raw = bytearray(REAL_REPLY)
    for _ in range(data.draw(st.integers(1, 5))):
        position = data.draw(st.integers(0, len(raw)))
        action = data.draw(st.sampled_from(["insert", "delete", "cut"]))
        if action == "insert":
            raw[position:position] = data.draw(st.binary(min_size=1, max_size=4))
        elif action == "delete":
            del raw[position : position + data.draw(st.integers(1, 8))]
        else:
            del raw[position:]
    check(bytes(raw))


@BOUND
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=5)
            | st.dictionaries(st.text(max_size=10), children, max_size=5)
        ),
        max_leaves=40,
    )
)
def test_valid_json_objects_round_trip(value: Any) -> None:
    raw = json.dumps({"X": value}).encode() + b"\x00"
    result = decode_reply(raw)
    assert set(result) == {"X"}


@pytest.mark.parametrize(
    "raw",
    [
        b'"\\q"',
        b'{"a":"\\u12"}\x00',
        b'"\\u00"STATUS"',
        b'{"STATUS":[{"STATUS":"S","Msg":"Summary"],"SUMMARY":[{"Elapsed":5}],"id":1}\x00',
    ],
    ids=["escape", "unicode-escape-in-object", "short-unicode-escape", "list-closing-an-object"],
)
def test_repaired_but_invalid_is_a_decode_error(raw: bytes) -> None:
    with pytest.raises(APIDecodeError):
        decode_reply(raw)


@pytest.mark.parametrize(
    "raw",
    [b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}", b'{"a":' + b"[" * 100_000 + b"\x00"],
    ids=["valid", "cut"],
)
def test_deep_nesting_is_a_decode_error(raw: bytes) -> None:
    with pytest.raises(APIDecodeError):
        decode_reply(raw)
