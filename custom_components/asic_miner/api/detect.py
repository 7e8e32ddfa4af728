"""``detect_api``: which firmware family answers at an address.

Detection is a one-time, bounded burst of probes, the one place where a client opens several
connections to one address at once; the client it returns then keeps to one at a time. Three
groups run concurrently within one overall bound:

- **The API port** (cgminer protocol): ``version``, ``devdetails`` and ``summary``, plus
  Whatsminer's ``get_version``, which only btminer answers. The family is read from the
  replies (``identify_family``):

  - ``VERSION`` key ``BMMiner`` → stock Antminer; ``LUXminer`` → LuxOS; ``BOSminer``/``BOSer``
    (or a Braiins description) → Braiins OS; ``BFGMiner``, or bfgminer/Goldshell/KDAMiner
    named anywhere (BFGMiner's ``version`` says ``CGMiner`` with ``Miner: bfgminer …``) →
    BFGMiner;
  - ``CGMiner`` with an Avalon ``PROD``/``MODEL``/``HWTYPE`` → Avalon; plain ``CGMiner`` →
    cgminer;
  - ``BTMiner`` anywhere, a ``bitmicro`` driver in ``devdetails``, a ``get_version`` reply
    carrying ``api_ver``/``fw_ver``, or a ``summary`` with Whatsminer's own ``Fan Speed In``
    and ``Factory GHS`` → Whatsminer (old firmware answers only ``summary``, ``edevs``,
    ``pools``);
  - anything else that answered → ``UnknownAPI``.

  A probe answered in HTTP (the reply starts with ``HTTP/``: ePIC serves HTTP on 4028) makes
  the port an HTTP one: ``API_HTTP_PROBES`` then ask it, one request at a time. HTTP is never
  sent to a port that answered a cgminer reply.
- **Whatsminer API v3** (``btminer-v3``) is not the cgminer protocol: a length-prefixed
  ``get.device.info`` is sent to port 4433 when the default 4028 was given, else to the given
  port (a v3 miner behind another port, or 4433 itself, where the unframed probes are
  skipped); the v3 client returned has the port that answered.
- **The web port**: each HTTP family's probe in ``WEB_PROBES``, in order, one request at a time
  through one ``HTTPClient``, until one recognises its firmware. An AxeOS device costs one
  request (``GET /api/system/info``). These firmwares are found with the API port closed.

What answered decides, in this order: a web or API-port HTTP probe's family (a REST firmware
beside its cgminer API, e.g. VNish or Braiins OS 25.07+, is read over REST); the cgminer
family; Whatsminer v3; ``UnknownAPI`` for a cgminer-protocol reply of no known family. A
probe's ``APIAuthError`` (its firmware, a wrong password) is raised whatever else answered;
another refusal of a probe (an AxeOS device refusing this address) is raised when nothing
answered; else ``APIConnectionError``.

A probe is ``async def probe(http: HTTPClient, password: str | None) -> type[Miner] | None``:
it asks through ``http`` (``accept=`` the statuses it reads, so an error status is an answer,
not an exception), returns its client class when the reply is its firmware's, None when not,
and raises only where it is sure the firmware is its own and refuses (``APIAuthError`` for a
wrong password) — a 401 or 404 from another firmware's web server is None. Connection errors
propagate (the port is dead: the remaining probes are skipped).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
import json
from typing import TYPE_CHECKING, Any, Final

from .avalon import AvalonAPI
from .axeos import AxeOSAPI, probe_web as axeos_probe_web
from .base import CGMINER_PORT
from .bfgminer import BFGMinerAPI
from .bmminer import BMMinerAPI
from .bosminer import BOSMinerAPI
from .braiins_os import BraiinsOSAPI, probe as braiins_os_probe
from .btminer import BTMinerAPI
from .cgminer import CGMinerAPI
from .decoding import decode_reply
from .epic import EPicAPI, probe_api as epic_probe_api
from .errors import APIAuthError, APIConnectionError, APIDecodeError, APIError
from .http import HTTPClient
from .limits import Limits
from .luxos import LuxOSAPI
from .mapping import first
from .miner import Miner
from .transport import exchange
from .unknown import UnknownAPI
from .vnish import VNishAPI, probe as vnish_probe
from .whatsminer_v3 import DEFAULT_PORT as V3_PORT, WhatsminerV3API

if TYPE_CHECKING:
    import aiohttp

#: family name (as stored in a config entry) -> client class.
FAMILIES: Final[dict[str, type[Miner]]] = {
    cls.family: cls
    for cls in (
        AvalonAPI,
        AxeOSAPI,
        BFGMinerAPI,
        BMMinerAPI,
        BOSMinerAPI,
        BraiinsOSAPI,
        BTMinerAPI,
        CGMinerAPI,
        EPicAPI,
        LuxOSAPI,
        UnknownAPI,
        VNishAPI,
        WhatsminerV3API,
    )
}

#: One HTTP family's check of a port (see the module's docstring).
type HTTPProbe = Callable[[HTTPClient, str | None], Awaitable[type[Miner] | None]]
#: The web port's probes, cheapest and most fragile device first (an ESP32 sees one request).
WEB_PROBES: Final[tuple[HTTPProbe, ...]] = (axeos_probe_web, vnish_probe, braiins_os_probe)
#: Probes of an API port that answered in HTTP.
API_HTTP_PROBES: Final[tuple[HTTPProbe, ...]] = (epic_probe_api,)
#: A probe's reply is small; a larger one is not a miner answering ``version``.
_PROBE_BYTES: Final = 1024 * 1024
_PROBES: Final = (
    ("version", json.dumps({"command": "version"}).encode()),
    ("devdetails", json.dumps({"command": "devdetails"}).encode()),
    ("get_version", json.dumps({"cmd": "get_version"}).encode()),
    ("summary", json.dumps({"command": "summary"}).encode()),
)


def api_class(family: str) -> type[Miner]:
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


class _SpeaksHTTP:
    """A cgminer probe's reply that was an HTTP response: the port speaks HTTP."""


async def _probe(
    host: str, port: int, request: bytes, connect_timeout: float, reply_timeout: float
) -> dict[str, Any] | APIError | _SpeaksHTTP:
    try:
        raw = await exchange(
            host,
            port,
            request,
            Limits(connect_timeout=connect_timeout, timeout=reply_timeout, max_bytes=_PROBE_BYTES),
        )
        if raw.lstrip().startswith(b"HTTP/"):
            return _SpeaksHTTP()
        return decode_reply(raw)
    except APIError as err:
        return err


async def _probe_http(
    http: HTTPClient, probes: Sequence[HTTPProbe], password: str | None
) -> type[Miner] | APIError | None:
    """The probes of one HTTP port, one at a time: the first family recognised, else the
    first refusal a probe raised (None: no probe knew the port's firmware)."""
    refusal: APIError | None = None
    try:
        for probe in probes:
            try:
                found = await probe(http, password)
            except APIConnectionError as err:
                return refusal or err
            except APIDecodeError:
                continue  # an unreadable or oversized body: not this probe's firmware
            except APIError as err:
                refusal = refusal or err
                continue
            if found is not None:
                return found
        return refusal
    finally:
        await http.close()


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


def _first_error(results: Sequence[object]) -> APIError | None:
    return next((result for result in results if isinstance(result, APIError)), None)


async def _settle[T](task: asyncio.Task[T] | None, deadline: float) -> T | None:
    """The task's result once done, waiting at most until ``deadline`` (None: not done)."""
    if task is None:
        return None
    loop = asyncio.get_running_loop()
    await asyncio.wait([task], timeout=max(0.0, deadline - loop.time()))
    return task.result() if task.done() else None


async def detect_api(
    host: str,
    port: int = CGMINER_PORT,
    timeout: float = 5.0,  # noqa: ASYNC109  # one bound for the whole detection
    *,
    password: str | None = None,
    web_port: int = 80,
    web_session: aiohttp.ClientSession | None = None,
) -> Miner:
    """The right client for the miner at ``host`` (API ``port``, web ``web_port``);
    ``APIError`` when nothing answers."""
    connect_timeout = min(3.0, timeout)
    http_limits = Limits(connect_timeout=connect_timeout, timeout=timeout, max_bytes=_PROBE_BYTES)
    v3_port = V3_PORT if port == CGMINER_PORT else port
    probes = [] if port == V3_PORT else list(_PROBES)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    tasks = [
        asyncio.create_task(_probe(host, port, request, connect_timeout, timeout))
        for _, request in probes
    ]
    v3_task = asyncio.create_task(_probe_v3(host, v3_port, connect_timeout, timeout))
    web_task = asyncio.create_task(
        _probe_http(
            HTTPClient(host, web_port, limits=http_limits, session=web_session),
            WEB_PROBES,
            password,
        )
    )
    api_http_task: asyncio.Task[type[Miner] | APIError | None] | None = None

    def build(cls: type[Miner], api_port: int = port) -> Miner:
        return cls(host, api_port, password=password, web_port=web_port, web_session=web_session)

    try:
        if tasks:
            await asyncio.wait(tasks, timeout=max(0.0, deadline - loop.time()))
        results: list[object] = []
        replies: dict[str, dict[str, Any]] = {}
        for (name, _), task in zip(probes, tasks, strict=True):
            if task.done():
                result = task.result()
                results.append(result)
                if isinstance(result, dict):
                    replies[name] = result
        if not replies and web_port != port and any(isinstance(r, _SpeaksHTTP) for r in results):
            api_http_task = asyncio.create_task(
                _probe_http(
                    HTTPClient(host, port, limits=http_limits, session=web_session),
                    API_HTTP_PROBES,
                    password,
                )
            )
        web = await _settle(web_task, deadline)
        api_http = await _settle(api_http_task, deadline)
        for found in (web, api_http):
            if isinstance(found, type):
                return build(found)
            if isinstance(found, APIAuthError):
                raise found
        family = identify_family(replies) if replies else None
        if family is not None and family != "unknown":
            return build(api_class(family))
        v3_result = await _settle(v3_task, deadline)
        if isinstance(v3_result, dict):
            return build(WhatsminerV3API, v3_port)
        if family is not None:
            return build(UnknownAPI)
        refusal = next((r for r in (web, api_http) if isinstance(r, APIError)), None)
        if refusal is not None and not isinstance(refusal, APIConnectionError):
            raise refusal
        started: list[asyncio.Task[Any]] = [*tasks, v3_task, web_task]
        if api_http_task is not None:
            started.append(api_http_task)
        if not all(task.done() for task in started):
            raise APIConnectionError(f"{host}:{port}: no answer within {timeout:g} s")
        error = _first_error([*results, v3_result, web, api_http])
        raise APIConnectionError(f"{host}:{port}: no miner API answered ({error})")
    finally:
        pending: list[asyncio.Task[Any]] = [*tasks, v3_task, web_task]
        if api_http_task is not None:
            pending.append(api_http_task)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
