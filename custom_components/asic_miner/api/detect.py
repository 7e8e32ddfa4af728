"""``detect_api``: which firmware family answers at an address.

``version`` and ``devdetails`` are asked concurrently (plus Whatsminer's ``get_version``,
which only btminer answers) within one overall bound. The family is read from the replies:

- ``VERSION`` key ``BMMiner`` → stock Antminer; ``LUXminer`` → LuxOS; ``BOSminer``/``BOSer``
  (or a Braiins description) → Braiins OS; ``BFGMiner`` → BFGMiner (Goldshell);
- ``CGMiner`` with an Avalon ``PROD``/``MODEL``/``HWTYPE`` → Avalon; plain ``CGMiner`` → cgminer;
- ``BTMiner`` anywhere, a ``bitmicro`` driver in ``devdetails``, or a ``get_version`` reply
  carrying ``api_ver``/``fw_ver`` → Whatsminer;
- anything else that answered → ``UnknownAPI``; nothing answered → ``APIConnectionError``.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Final

from .avalon import AvalonAPI
from .base import BaseMinerAPI
from .bfgminer import BFGMinerAPI
from .bmminer import BMMinerAPI
from .bosminer import BOSMinerAPI
from .btminer import BTMinerAPI
from .cgminer import CGMinerAPI, first
from .decoding import decode_reply
from .errors import APIConnectionError, APIError
from .luxos import LuxOSAPI
from .transport import exchange
from .unknown import UnknownAPI

#: family name (as stored in a config entry) -> client class.
FAMILIES: Final[dict[str, type[BaseMinerAPI]]] = {
    cls.family: cls
    for cls in (
        AvalonAPI,
        BFGMinerAPI,
        BMMinerAPI,
        BOSMinerAPI,
        BTMinerAPI,
        CGMinerAPI,
        LuxOSAPI,
        UnknownAPI,
    )
}
_PROBES: Final = (
    ("version", json.dumps({"command": "version"}).encode()),
    ("devdetails", json.dumps({"command": "devdetails"}).encode()),
    ("get_version", json.dumps({"cmd": "get_version"}).encode()),
)


def api_class(family: str) -> type[BaseMinerAPI]:
    """The client class of a family name (``UnknownAPI`` for a name it does not know)."""
    return FAMILIES.get(family, UnknownAPI)


def identify_family(replies: dict[str, dict[str, Any]]) -> str:
    """The family name from the probes' decoded replies (``"unknown"`` when unsure)."""
    text = json.dumps(replies).lower()
    version = first(replies.get("version"), "VERSION")
    keys = {key.lower() for key in version}
    description = ""
    status = (replies.get("version") or {}).get("STATUS")
    if isinstance(status, list) and status and isinstance(status[0], dict):
        description = str(status[0].get("Description", "")).lower()

    get_version = replies.get("get_version") or {}
    message = get_version.get("Msg")
    if (
        "btminer" in keys
        or "btminer" in text
        or "bitmicro" in text
        or (isinstance(message, dict) and ("api_ver" in message or "fw_ver" in message))
    ):
        return "btminer"
    if "luxminer" in keys or "luxminer" in description:
        return "luxos"
    if keys & {"bosminer", "boser"} or "bosminer" in description or "boser" in description:
        return "bosminer"
    if "bmminer" in keys:
        return "bmminer"
    if "bfgminer" in keys:
        return "bfgminer"
    if "cgminer" in keys:
        product = " ".join(
            str(version.get(key, "")) for key in ("PROD", "MODEL", "HWTYPE", "Type")
        ).lower()
        if "avalon" in product or "hwtype" in keys:
            return "avalon"
        return "cgminer"
    return "unknown"


async def _probe(
    host: str, port: int, request: bytes, connect_timeout: float, reply_timeout: float
) -> dict[str, Any] | APIError:
    try:
        raw = await exchange(
            host,
            port,
            request,
            connect_timeout=connect_timeout,
            timeout=reply_timeout,
            max_bytes=1024 * 1024,
        )
        return decode_reply(raw)
    except APIError as err:
        return err


async def detect_api(
    host: str,
    port: int = 4028,
    timeout: float = 5.0,  # noqa: ASYNC109  # one bound for the whole detection
    *,
    password: str | None = None,
    web_port: int = 80,
) -> BaseMinerAPI:
    """The right client for the miner at ``host:port``; ``APIError`` when nothing answers."""
    connect_timeout = min(3.0, timeout)
    try:
        async with asyncio.timeout(timeout):
            results = await asyncio.gather(
                *(_probe(host, port, request, connect_timeout, timeout) for _, request in _PROBES)
            )
    except TimeoutError:
        raise APIConnectionError(f"{host}:{port}: no answer within {timeout:g} s") from None
    replies = {
        name: result
        for (name, _), result in zip(_PROBES, results, strict=True)
        if isinstance(result, dict)
    }
    if not replies:
        errors = [result for result in results if isinstance(result, APIError)]
        raise APIConnectionError(f"{host}:{port}: no miner API answered ({errors[0]})")
    cls = api_class(identify_family(replies))
    return cls(host, port, password=password, web_port=web_port)
