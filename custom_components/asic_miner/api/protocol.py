"""The JSON request/reply protocol of the miners' TCP APIs: what a request may contain and
what a reply's status says.

Two dialects share it: cgminer's ``{"command": …, "parameter": …}`` (every CGMiner-API
firmware) and btminer's ``{"cmd": …, "param": …}`` (Whatsminer's privileged API and API v3).
Requests are always built with ``json.dumps`` from validated values, never by formatting
strings, so no parameter can smuggle another command or field. Replies carry their verdict
either as cgminer's ``STATUS`` letter (``S``/``I`` success, ``W`` warning, ``E``/``F`` error) or
as API v3's ``code`` (0 success); a miner's "no" raises ``APIRefusalError`` with its message.
"""

from __future__ import annotations

from collections.abc import Mapping
import json
import re
from typing import Any, Final

from .decoding import as_int
from .errors import APIDecodeError, APIRefusalError

type Scalar = str | int | float | bool | None

_COMMAND_RE: Final = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]{0,63}")
_PARAM_FORBIDDEN: Final = re.compile(r"[\x00-\x1f\x7f]")
#: Both dialects' own keys: an extra field may never be one of them.
_RESERVED_KEYS: Final = frozenset({"command", "parameter", "cmd", "param"})
#: cgminer statuses that mean success.
OK_STATUSES: Final = frozenset({"S", "I"})
#: Whatsminer API v3's success code.
CODE_OK: Final = 0
#: cgminer's status code for a command it does not have (``MSG_INVCMD``, "Invalid command";
#: btminer writes "invalid cmd").
CODE_INVALID_COMMAND: Final = 14
_INVALID_MESSAGES: Final = ("invalid command", "invalid cmd")

CGMINER: Final = ("command", "parameter")
BTMINER: Final = ("cmd", "param")


def validate_command(command: Any) -> str:
    """A single command name: letters, digits, ``_ . -``; no ``+``, ``,`` or control chars."""
    if not isinstance(command, str) or not _COMMAND_RE.fullmatch(command):
        raise ValueError(f"invalid command name {command!r}")
    return command


def validate_parameter(parameter: Any) -> Scalar:
    """A parameter is one scalar; strings may not carry control characters."""
    if parameter is None or isinstance(parameter, (bool, int, float)):
        return parameter
    if isinstance(parameter, str):
        if _PARAM_FORBIDDEN.search(parameter):
            raise ValueError(f"invalid characters in parameter {parameter!r}")
        return parameter
    raise TypeError(f"parameter must be a string or a number, not {type(parameter).__name__}")


def validate_structured(value: Any) -> Any:
    """A scalar as ``validate_parameter``, or lists and objects of them (API v3's
    ``set.system.led`` takes a list of objects)."""
    if isinstance(value, list):
        return [validate_structured(item) for item in value]
    if isinstance(value, dict):
        return {str(key): validate_structured(item) for key, item in value.items()}
    return validate_parameter(value)


def request_body(
    command: str,
    parameter: Any = None,
    fields: Mapping[str, Any] | None = None,
    *,
    keys: tuple[str, str] = CGMINER,
    structured: bool = False,
    signed: Mapping[str, Scalar] | None = None,
) -> dict[str, Any]:
    """The request object: ``{keys[0]: command, keys[1]: parameter, **signed, **fields}``.

    In cgminer's dialect ``command`` may join several names with ``+`` (multicommand), each
    one valid; btminer's has no joins.
    ``signed`` are the members the client adds itself (btminer's ``token``, v3's ``ts``,
    ``token`` and ``account``); ``fields`` are the caller's extra scalar members, which may not
    reuse a protocol key nor one already in the object.
    """
    for name in command.split("+") if keys == CGMINER else (command,):
        validate_command(name)
    command_key, parameter_key = keys
    body: dict[str, Any] = {command_key: command, **(signed or {})}
    checked = validate_structured(parameter) if structured else validate_parameter(parameter)
    if checked is not None:
        body[parameter_key] = checked
    for key, value in (fields or {}).items():
        if key in body or key in _RESERVED_KEYS or not key.isidentifier():
            raise ValueError(f"invalid request field {key!r}")
        body[key] = validate_parameter(value)
    return body


def encode(body: Mapping[str, Any]) -> bytes:
    """The request bytes of a request object."""
    return json.dumps(body).encode()


def reply_status(reply: dict[str, Any]) -> tuple[str | None, str]:
    """(status letter, message) of a reply, for cgminer lists and Whatsminer strings alike."""
    status: Any = reply.get("STATUS")
    if isinstance(status, list):
        status = status[0] if status else None
    if isinstance(status, dict):
        message = status.get("Msg", status.get("msg", ""))
        letter = status.get("STATUS")
        return (letter if isinstance(letter, str) else None), str(message)
    if isinstance(status, str):
        return status, str(reply.get("Msg", reply.get("msg", "")))
    return None, ""


def invalid_command(reply: dict[str, Any]) -> bool:
    """Whether a refusal says the firmware does not have the command (code 14, "Invalid
    command"), rather than that it could not answer it now."""
    status, message = reply_status(reply)
    if status is None or status in OK_STATUSES:
        return False
    entry: Any = reply.get("STATUS")
    if isinstance(entry, list):
        entry = entry[0] if entry else None
    code = as_int((entry if isinstance(entry, dict) else reply).get("Code"))
    return code == CODE_INVALID_COMMAND or message.strip().lower() in _INVALID_MESSAGES


def check_status(place: str, command: str, reply: dict[str, Any], *, allow_warning: bool) -> None:
    """Raise ``APIRefusalError`` with the miner's message unless STATUS is S or I (or W when
    warnings are allowed); a reply without a status passes (some firmwares omit it)."""
    status, message = reply_status(reply)
    if status is None or status in OK_STATUSES:
        return
    if status == "W" and allow_warning:
        return
    raise APIRefusalError(f"{place}: {command}: {message or f'status {status}'}")


def check_code(place: str, command: str, reply: dict[str, Any]) -> None:
    """API v3: ``code`` 0 passes; another code raises ``APIRefusalError`` with ``msg``; no
    code at all is not an API v3 reply (``APIDecodeError``)."""
    code = as_int(reply.get("code"))
    if code is None:
        raise APIDecodeError(f"{place}: {command}: reply without a code")
    if code != CODE_OK:
        raise APIRefusalError(f"{place}: {command}: {reply.get('msg') or f'code {code}'}")
