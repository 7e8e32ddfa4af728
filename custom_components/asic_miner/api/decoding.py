"""Turn the bytes a miner wrote into a dict, repairing the JSON mistakes real firmwares make.

Valid JSON takes the fast path (``json.loads``). Anything else goes through one linear pass
over JSON tokens (possessive regexes, no backtracking) that rewrites only the structure
between tokens and never the inside of a string, so words such as "info", "AvalonNano" or
"binance" survive. Repairs, each seen in the field:

- trailing NUL and whitespace (cgminer terminates every reply with ``\\0``);
- raw control characters (newlines) inside strings (Whatsminer);
- an escape JSON does not have inside a string (``\\'``): the backslash is dropped, as
  JavaScript reads it (cgminer escapes only ``"`` and ``\\``; forks write more);
- a key written twice in one object (Hammer's ``stats`` writes ``temp1`` once per sensor):
  every value is kept, as a list in the order written, so no reading is lost to the last one
  (readers such as ``antminer_stats.hottest`` take the hottest; ``as_float`` reads a list as
  no single value);
- a comma before ``}``/``]`` (``,}``), a stray comma after ``[``/``{`` (``[,{``, Antminer);
- a missing comma between values, keys or objects (``}{`` in Antminer ``stats``,
  ``""temp0`` in Whatsminer 2023 ``devs``);
- bare ``inf``, ``-inf``, ``nan`` (Avalon) become ``null``; quoted ones stay strings and
  ``as_float`` reads them as ``None``;
- a reply starting with ``,`` (Avalon's ``,"id":1}``) gets its missing ``{``;
- an object written with list brackets (Whatsminer 2.0.4 ``get_error_code``:
  ``"error_code":["110":"…"]``) becomes an object;
- a reply cut by a full firmware buffer (content incomplete but NUL-terminated, so the miner
  finished sending) is closed after its last complete value. Without the NUL the connection
  was cut and the reply is refused, so a dropped connection never passes for data;
- invalid UTF-8 is replaced by U+FFFD.

Anything still unreadable raises ``APIDecodeError`` quoting a short excerpt.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Final

from .errors import APIDecodeError, EmptyReplyError

_EXCERPT: Final = 60
_NON_FINITE: Final = frozenset({"inf", "-inf", "+inf", "nan", "-nan", "infinity", "-infinity"})

_TOKEN: Final = re.compile(
    r"""[ \t\r\n\f\v]*+
    (?:
      (?P<string>"(?:[^"\\]++|\\.)*+")
    | (?P<open_string>"(?:[^"\\]++|\\.)*+\\?+\Z)
    | (?P<number>-?+(?:\d++(?:\.\d*+)?+|\.\d++)(?:[eE][-+]?+\d*+)?+)
    | (?P<word>[-+]?+[A-Za-z_]++)
    | (?P<punct>[{}\[\],:])
    | (?P<end>\Z)
    | (?P<other>.)
    )""",
    re.DOTALL | re.VERBOSE,
)

# Phases of a container (or of the top level) while scanning.
_KEY: Final = 0  # object: expecting a key
_COLON: Final = 1  # object: got a key, expecting ":"
_VALUE: Final = 2  # expecting a value
_AFTER: Final = 3  # a value just ended: expecting "," or the closer


def excerpt(text: str | bytes) -> str:
    """A short, printable quote of a reply for error messages."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    short = text[:_EXCERPT]
    return repr(short) + ("…" if len(text) > _EXCERPT else "")


def _null(_constant: str) -> None:
    """``NaN``/``Infinity`` constants read by ``json.loads`` become missing values."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object; a key written more than once keeps all its values, as a list."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: dict[str, list[Any]] = {}
        for key, value in pairs:
            seen.setdefault(key, []).append(value)
        result = {key: values[0] if len(values) == 1 else values for key, values in seen.items()}
    return result


#: One decoder for every reply (building one per call costs as much as a small reply).
_DECODER: Final = json.JSONDecoder(strict=False, parse_constant=_null, object_pairs_hook=_object)


def decode_reply(raw: bytes) -> dict[str, Any]:
    """Decode one reply into a dict, repairing known firmware quirks.

    Valid JSON (most replies) is read by ``json`` alone; only what it refuses goes through the
    repair pass.
    """
    terminated = raw.rstrip(b" \t\r\n").endswith(b"\x00")
    text = raw.decode("utf-8", "replace").strip(" \t\r\n\x00")
    if not text:
        raise EmptyReplyError("empty reply")
    try:
        try:
            result = _DECODER.decode(text)
        except ValueError:
            # _repair raises APIDecodeError itself when it knows the text is beyond repair;
            # what it lets through can still be invalid (a bad \u escape kept as it was).
            result = _DECODER.decode(_repair(text, terminated))
    except ValueError as err:
        raise APIDecodeError(f"unreadable reply ({err}): {excerpt(text)}") from None
    except RecursionError:
        raise APIDecodeError(f"reply nested too deeply: {excerpt(text)}") from None
    if not isinstance(result, dict):
        raise APIDecodeError(f"reply is not a JSON object: {excerpt(text)}")
    return result


class _Frame:
    """One open container; ``start`` is its opener's index in the output."""

    __slots__ = ("kind", "phase", "start")

    def __init__(self, kind: str, start: int, phase: int) -> None:
        self.kind = kind
        self.start = start
        self.phase = phase


def _repair(text: str, terminated: bool) -> str:
    """Rewrite ``text`` into valid JSON or raise ``APIDecodeError``."""
    out: list[str] = []
    stack: list[_Frame] = []
    top = _VALUE  # phase of the top level
    pending_comma = False
    safe_len = 0  # len(out) after the last complete value or opener
    safe_depth = 0
    pos = 0

    def fail(reason: str) -> APIDecodeError:
        return APIDecodeError(f"unreadable reply ({reason} at {pos}): {excerpt(text)}")

    while True:
        match = _TOKEN.match(text, pos)
        assert match is not None  # the pattern always matches (``other`` or ``end``)
        kind = match.lastgroup
        lexeme = match.group(kind) if kind else ""
        pos = match.end()
        frame = stack[-1] if stack else None
        phase = frame.phase if frame else top

        if kind in {"end", "open_string"}:
            break
        if kind == "other":
            raise fail(f"unexpected {lexeme!r}")

        if kind == "punct" and lexeme == ",":
            if frame is None:
                if top == _VALUE and not out:  # Avalon: reply starts with ',"id":1}'
                    out.append("{")
                    stack.append(_Frame("{", 0, _KEY))
                    safe_len, safe_depth = 1, 1
                    continue
                raise fail("comma outside any object")
            if phase == _AFTER:
                pending_comma = True
                frame.phase = _KEY if frame.kind == "{" else _VALUE
            continue  # a stray comma ('[,{', ',,') is dropped

        if kind == "punct" and lexeme == ":":
            if frame is not None and phase == _COLON:
                out.append(":")
                frame.phase = _VALUE
                continue
            if frame is not None and frame.kind == "[" and phase == _AFTER:
                # Whatsminer 2.0.4: an object written as ["k":"v",...]
                out[frame.start] = "{"
                frame.kind = "{"
                out.append(":")
                frame.phase = _VALUE
                continue
            raise fail("unexpected ':'")

        if kind == "punct" and lexeme in "}]":
            if frame is None or (frame.kind == "{" and phase in (_COLON, _VALUE)):
                raise fail(f"unexpected {lexeme!r}")
            stack.pop()
            pending_comma = False
            out.append("}" if frame.kind == "{" else "]")
            if stack:
                stack[-1].phase = _AFTER
            else:
                top = _AFTER
            safe_len, safe_depth = len(out), len(stack)
            continue

        # A value, a key or an opener.
        if phase == _AFTER:
            if frame is None:
                break  # trailing content after a complete top-level value
            # Missing comma ('}{', '""temp0'): the next item starts right away.
            pending_comma = True
            frame.phase = phase = _KEY if frame.kind == "{" else _VALUE
        if phase == _COLON:
            raise fail("missing ':'")
        if pending_comma:
            out.append(",")
            pending_comma = False

        if phase == _KEY:
            if kind != "string":
                raise fail("expected a key")
            out.append(_escapes(lexeme))
            assert frame is not None
            frame.phase = _COLON
            continue

        if kind == "punct":  # "{" or "["
            out.append(lexeme)
            stack.append(_Frame(lexeme, len(out) - 1, _KEY if lexeme == "{" else _VALUE))
            if frame is None or frame.kind == "{":
                # A truncated list element is dropped whole; a truncated section stays, empty.
                safe_len, safe_depth = len(out), len(stack)
            continue

        if pos == len(text) and stack:
            break  # a scalar touching the end may itself be cut ("2." of "2.5", "tr")
        if kind == "string":
            lexeme = _escapes(lexeme)
        elif kind == "number" and lexeme[-1] in ".eE+-":
            raise fail(f"bad number {lexeme!r}")
        if kind == "word":
            lowered = lexeme.lower()
            if lowered in _NON_FINITE:
                lexeme = "null"
            elif lowered not in ("true", "false", "null"):
                raise fail(f"unexpected {lexeme!r}")
            else:
                lexeme = lowered
        out.append(lexeme)
        if frame is None:
            top = _AFTER
        else:
            frame.phase = _AFTER
        safe_len, safe_depth = len(out), len(stack)

    if stack:
        if not terminated:
            raise fail("reply cut short")
        # Cut by a full buffer: keep what was complete and close what was open then.
        del out[safe_len:]
        out.extend("}" if frame.kind == "{" else "]" for frame in reversed(stack[:safe_depth]))
    if not out:
        raise fail("no JSON object")
    return "".join(out)


_ESCAPE: Final = re.compile(r"\\(.)", re.DOTALL)
#: What may follow a backslash in JSON (``u`` starts a code point).
_JSON_ESCAPES: Final = frozenset('"\\/bfnrtu')


def _escape(match: re.Match[str]) -> str:
    char = match.group(1)
    return match.group(0) if char in _JSON_ESCAPES else char


def _escapes(lexeme: str) -> str:
    """A string token with the escapes JSON does not have (``\\'``) read as their character."""
    return _ESCAPE.sub(_escape, lexeme) if "\\" in lexeme else lexeme


# --- reading values out of decoded replies --------------------------------------------------


def as_float(value: Any) -> float | None:
    """A finite float, or None for missing, empty, non-numeric, inf and nan values (and an
    integer too large for a float: ``10**400`` is no reading)."""
    kind = type(value)
    if kind is float:
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, (int, float)):
            number = float(value)
        elif isinstance(value, str):
            cleaned = value.strip().rstrip("%").strip()
            if not cleaned or cleaned.lower() in _NON_FINITE:
                return None
            number = float(cleaned)
        else:
            return None
    except ValueError, OverflowError:
        return None
    return number if math.isfinite(number) else None


def as_int(value: Any) -> int | None:
    """An int, or None when missing or not numeric."""
    number = as_float(value)
    return None if number is None else int(number)
