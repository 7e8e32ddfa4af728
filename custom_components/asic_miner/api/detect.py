"""``detect_api``: which firmware family answers at an address.

``version``, ``devdetails`` and ``summary`` are asked concurrently (plus Whatsminer's
``get_version``, which only btminer answers) within one overall bound: detection is a one-time, bounded burst of
probes, the one place where a client opens several connections to one address at once; the
client it returns then keeps to one at a time. The family is read from the replies:

- ``LUXminer`` → LuxOS; ``BOSminer``/``BOSer`` (or a Braiins description) → Braiins OS;
- ``Type`` naming VNish (``"Antminer S9 (vnish 3.8.6)"``, key ``CGMiner``) → VNish (``vnish``);
- ``Type "Antminer …"`` with the ``BMMiner`` or ``CGMiner`` key (stock firmware of 2022+
  answers "cgminer 1.0.0" with a ``CGMiner`` or ``BMMiner`` key) → stock Antminer, unless the
  version names another firmware (a ``Type`` note such as ``(hiveon …)``, or a known name):
  that is read generically (``unknown``); a ``BMMiner`` key alone → stock Antminer;
- ``BFGMiner``, or bfgminer/Goldshell/KDAMiner named anywhere (BFGMiner's ``version`` says
  ``CGMiner`` with ``Miner: bfgminer …``) → BFGMiner;
- ``CGMiner`` with an Avalon ``PROD``/``MODEL``/``HWTYPE`` → Avalon; other ``CGMiner`` → cgminer
  (Antminer clones such as Hammer or VolcMiner among them: the generic reading takes their
  Antminer-style ``stats``);
- ``BTMiner`` anywhere, a ``bitmicro`` driver in ``devdetails``, a ``get_version`` reply
  carrying ``api_ver``/``fw_ver``, or a ``summary`` with Whatsminer's own ``Fan Speed In`` and
  ``Factory GHS`` → Whatsminer (old firmware answers only ``summary``, ``edevs``, ``pools``);
- anything else that answered → ``UnknownAPI``; nothing answered → ``APIConnectionError``.

Whatsminer API v3 (``btminer-v3``) is not the cgminer protocol: a length-prefixed
``get.device.info`` is sent, concurrently and within the same bound, to port 4433 when the
default 4028 was given, else to the given port (a v3 miner behind another port, or 4433
itself, where the unframed probes are skipped). A family identified on the cgminer port wins
without waiting for that probe; the v3 client returned has the port that answered.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any, Final

from .antminer_stats import split_type
from .avalon import AvalonAPI
from .base import CGMINER_PORT, BaseMinerAPI
from .bfgminer import BFGMinerAPI
from .bmminer import BMMinerAPI
from .bosminer import BOSMinerAPI
from .btminer import BTMinerAPI
from .cgminer import CGMinerAPI
from .decoding import decode_reply
from .errors import APIConnectionError, APIDecodeError, APIError
from .limits import Limits
from .luxos import LuxOSAPI
from .mapping import first
from .transport import exchange
from .unknown import UnknownAPI
from .vnish import VNishAPI
from .whatsminer_v3 import DEFAULT_PORT as V3_PORT, WhatsminerV3API

if TYPE_CHECKING:
    import aiohttp

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
        VNishAPI,
        WhatsminerV3API,
    )
}
#: Firmwares that run on Antminer hardware and write its ``Type``, without a family here.
_OTHER_FIRMWARES: Final = ("hiveon", "braiins", "asicseer", "mskminer", "kaonsu", "marathon")
#: A probe's reply is small; a larger one is not a miner answering ``version``.
_PROBE_BYTES: Final = 1024 * 1024
_PROBES: Final = (
    ("version", json.dumps({"command": "version"}).encode()),
    ("devdetails", json.dumps({"command": "devdetails"}).encode()),
    ("get_version", json.dumps({"cmd": "get_version"}).encode()),
    ("summary", json.dumps({"command": "summary"}).encode()),
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
    summary = first(replies.get("summary"), "SUMMARY")
    if (
        "btminer" in keys
        or "btminer" in text
        or "bitmicro" in text
        or (isinstance(message, dict) and ("api_ver" in message or "fw_ver" in message))
        or {"Fan Speed In", "Factory GHS"} <= summary.keys()
    ):
        return "btminer"
    if "luxminer" in keys or "luxminer" in description:
        return "luxos"
    if keys & {"bosminer", "boser"} or "bosminer" in description or "boser" in description:
        return "bosminer"
    model = str(version.get("Type", ""))
    _, _, note = split_type(model)
    if "vnish" in model.lower() or "vnish" in description:
        return "vnish"
    if model.lower().startswith("antminer") and keys & {"bmminer", "cgminer"}:
        said = f"{model} {description}".lower()
        foreign = note is not None or any(name in said for name in _OTHER_FIRMWARES)
        return "unknown" if foreign else "bmminer"
    if "bmminer" in keys:
        return "bmminer"
    if "bfgminer" in keys or any(name in text for name in ("bfgminer", "goldshell", "kdaminer")):
        return "bfgminer"
    if "cgminer" in keys:
        product = " ".join(
            str(version.get(key, "")) for key in ("PROD", "MODEL", "HWTYPE", "Type")
        ).lower()
        if "avalon" in product or "hwtype" in keys:
            return "avalon"
        return "cgminer"
    if not keys and '"driver": "avalon"' in text:  # version refused: Canaan's devdetails
        return "avalon"
    return "unknown"


async def _probe(
    host: str, port: int, request: bytes, connect_timeout: float, reply_timeout: float
) -> dict[str, Any] | APIError:
    try:
        raw = await exchange(
            host,
            port,
            request,
            Limits(connect_timeout=connect_timeout, timeout=reply_timeout, max_bytes=_PROBE_BYTES),
        )
        return decode_reply(raw)
    except APIError as err:
        return err


async def _probe_v3(
    host: str, port: int, connect_timeout: float, reply_timeout: float
) -> dict[str, Any] | APIError:
    """``get.device.info`` framed as API v3; a v3 envelope (``code`` and ``msg``) or an error."""
    client = WhatsminerV3API(
        host,
        port,
        connect_timeout=connect_timeout,
        timeout=reply_timeout,
        max_reply_bytes=_PROBE_BYTES,
    )
    try:
        reply = await client.send_command("get.device.info", ignore_errors=True)
    except APIError as err:
        return err
    if "code" not in reply or "msg" not in reply:
        return APIDecodeError(f"{host}:{port}: not a Whatsminer API v3 reply")
    return reply


def _first_error(results: list[dict[str, Any] | APIError]) -> APIError | None:
    return next((result for result in results if isinstance(result, APIError)), None)


async def detect_api(
    host: str,
    port: int = CGMINER_PORT,
    timeout: float = 5.0,  # noqa: ASYNC109  # one bound for the whole detection
    *,
    password: str | None = None,
    web_port: int = 80,
    web_session: aiohttp.ClientSession | None = None,
) -> BaseMinerAPI:
    """The right client for the miner at ``host:port``; ``APIError`` when nothing answers."""
    connect_timeout = min(3.0, timeout)
    v3_port = V3_PORT if port == CGMINER_PORT else port
    probes = [] if port == V3_PORT else list(_PROBES)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    tasks = [
        asyncio.create_task(_probe(host, port, request, connect_timeout, timeout))
        for _, request in probes
    ]
    v3_task = asyncio.create_task(_probe_v3(host, v3_port, connect_timeout, timeout))
    try:
        if tasks:
            await asyncio.wait(tasks, timeout=max(0.0, deadline - loop.time()))
        results: list[dict[str, Any] | APIError] = []
        replies: dict[str, dict[str, Any]] = {}
        for (name, _), task in zip(probes, tasks, strict=True):
            if task.done():
                result = task.result()
                results.append(result)
                if isinstance(result, dict):
                    replies[name] = result
        family = identify_family(replies) if replies else None
        if family is not None and family != "unknown":
            return api_class(family)(
                host, port, password=password, web_port=web_port, web_session=web_session
            )
        await asyncio.wait([v3_task], timeout=max(0.0, deadline - loop.time()))
        if v3_task.done():
            v3_result = v3_task.result()
            if isinstance(v3_result, dict):
                return WhatsminerV3API(
                    host, v3_port, password=password, web_port=web_port, web_session=web_session
                )
            results.append(v3_result)
        if family is not None:
            return UnknownAPI(
                host, port, password=password, web_port=web_port, web_session=web_session
            )
        if len(results) < len(tasks) + 1:
            raise APIConnectionError(f"{host}:{port}: no answer within {timeout:g} s")
        raise APIConnectionError(f"{host}:{port}: no miner API answered ({_first_error(results)})")
    finally:
        for task in (*tasks, v3_task):
            task.cancel()
        await asyncio.gather(*tasks, v3_task, return_exceptions=True)
