"""The stock Antminer web interface (``/cgi-bin/*.cgi``) for simulated Antminers.

Real HTTP digest authentication (RFC 7616, MD5, ``qop=auth``) as the firmware's lighttpd does
it, user ``root`` and the simulator's password; controls change the shared ``MinerState``:
sleep mode stops mining (``get_miner_conf.cgi`` reports ``state.work_mode``, so a test
changes the mode "on the miner" by setting it), ``reboot.cgi`` takes the miner (API and web)
offline for
``sim.web_reboot_seconds`` (default 1 s). Every authenticated request is recorded in
``sim.received`` as ``"<name>.cgi"``.

Faults apply here too: offline (REFUSE/REBOOT) drops the connection, SILENT never answers,
GARBAGE answers noise, WRONG_PASSWORD rejects every password.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import hashlib
import json
import re
import secrets
import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

from simulator.faults import Fault

if TYPE_CHECKING:
    from simulator.server import MinerSimulator
    from simulator.state import MinerState

REALM = "antMiner Configuration"
USERNAME = "root"
#: bitmain-work-mode values <-> MinerState.work_mode
WORK_MODES = {"0": "normal", "1": "sleep", "3": "low"}
_AUTH_PARAM = re.compile(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')
_SIM_KEY: web.AppKey[MinerSimulator] = web.AppKey("sim")
_NONCES_KEY: web.AppKey[set[str]] = web.AppKey("nonces")
_STOPPING_KEY: web.AppKey[asyncio.Event] = web.AppKey("stopping")
_SILENT_POLL = 0.05

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def parse_digest(header: str) -> dict[str, str] | None:
    """The parameters of a ``Digest …`` Authorization header, or None for other schemes."""
    scheme, _, rest = header.partition(" ")
    if scheme.lower() != "digest":
        return None
    return {
        match.group(1).lower(): match.group(2) if match.group(2) is not None else match.group(3)
        for match in _AUTH_PARAM.finditer(rest)
    }


def digest_response(params: dict[str, str], method: str, password: str) -> str:
    """The ``response`` value a client knowing ``password`` sends (MD5, qop=auth or none)."""
    ha1 = _md5(f"{params.get('username', '')}:{REALM}:{password}")
    ha2 = _md5(f"{method}:{params.get('uri', '')}")
    if params.get("qop"):
        return _md5(
            f"{ha1}:{params.get('nonce', '')}:{params.get('nc', '')}:"
            f"{params.get('cnonce', '')}:{params['qop']}:{ha2}"
        )
    return _md5(f"{ha1}:{params.get('nonce', '')}:{ha2}")


def _challenge(request: web.Request) -> web.Response:
    nonce = secrets.token_hex(16)
    request.app[_NONCES_KEY].add(nonce)
    return web.Response(
        status=401,
        text="401 Unauthorized",
        headers={
            "WWW-Authenticate": f'Digest realm="{REALM}", qop="auth", nonce="{nonce}", '
            'algorithm="MD5"'
        },
    )


def _authorized(request: web.Request) -> bool:
    sim = request.app[_SIM_KEY]
    params = parse_digest(request.headers.get("Authorization", ""))
    if params is None:
        return False
    if params.get("username") != USERNAME or params.get("nonce") not in request.app[_NONCES_KEY]:
        return False
    if params.get("uri") != request.path_qs:
        return False
    if not sim.check_password(sim.state.password):
        return False  # WRONG_PASSWORD: the owner changed it, nothing we know matches
    expected = digest_response(params, request.method, sim.state.password)
    return secrets.compare_digest(expected, params.get("response", ""))


async def _stay_silent(request: web.Request) -> None:
    """Answer nothing while SILENT; a request still open when the fault clears is answered.

    aiohttp does not cancel handlers when the peer goes away, so waiting forever would stall
    the runner's graceful shutdown: the loop also ends when the client hangs up or the app
    shuts down, and then drops the connection.
    """
    sim = request.app[_SIM_KEY]
    stopping = request.app[_STOPPING_KEY]
    while sim.fault is Fault.SILENT:
        transport = request.transport
        if stopping.is_set() or transport is None or transport.is_closing():
            if transport is not None:
                transport.abort()
            raise web.HTTPServiceUnavailable
        await asyncio.sleep(_SILENT_POLL)


async def _on_shutdown(app: web.Application) -> None:
    app[_STOPPING_KEY].set()


@web.middleware
async def _faults_and_auth(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Apply the simulator's fault mode, then demand digest auth."""
    sim = request.app[_SIM_KEY]
    if sim.offline:
        if request.transport is not None:
            request.transport.abort()
        raise web.HTTPServiceUnavailable
    if sim.fault is Fault.SILENT:
        await _stay_silent(request)
    if not _authorized(request):
        sim.web_challenges += 1
        return _challenge(request)
    if sim.fault is Fault.GARBAGE:
        return web.Response(body=b"\x8f<html>garbage\xff\xfe", content_type="text/html")
    sim.received.append(request.path.rsplit("/", 1)[-1])
    return await handler(request)


def _json(data: dict[str, Any]) -> web.Response:
    # The firmware sends JSON as text/plain; clients must not rely on the content type.
    return web.Response(text=json.dumps(data), content_type="text/plain")


def _work_mode_code(state: MinerState) -> str:
    if state.paused or state.work_mode == "sleep":
        return "1"
    if state.work_mode == "low":
        return "3"
    return "0"


async def _get_system_info(request: web.Request) -> web.Response:
    state = request.app[_SIM_KEY].state
    return _json(
        {
            "minertype": f"{state.make} {state.model}".strip(),
            "nettype": "DHCP",
            "netdevice": "eth0",
            "macaddr": state.mac.upper(),
            "hostname": state.hostname,
            "ipaddress": "127.0.0.1",
            "netmask": "255.0.0.0",
            "gateway": "",
            "dnsservers": "",
            "system_mode": "GNU/Linux",
            "system_kernel_version": "Linux 4.9.38 #1 SMP PREEMPT",
            "system_filesystem_version": state.firmware,
            "firmware_type": "Release",
            "serinum": state.serial or "",
            "Uptime": time.strftime("%H:%M:%S", time.gmtime(state.uptime())),
        }
    )


async def _get_miner_conf(request: web.Request) -> web.Response:
    state = request.app[_SIM_KEY].state
    return _json(
        {
            "pools": [
                {"url": pool.url, "user": pool.user, "pass": pool.password} for pool in state.pools
            ],
            "api-listen": True,
            "api-network": True,
            "api-groups": "A:stats:pools:devs:summary:version",
            "api-allow": "A:0/0,W:*",
            "bitmain-fan-ctrl": False,
            "bitmain-fan-pwm": "100",
            "bitmain-use-vil": True,
            "bitmain-freq": "675",
            "bitmain-voltage": "1400",
            "bitmain-ccdelay": "0",
            "bitmain-pwth": "0",
            "bitmain-work-mode": _work_mode_code(state),
            "bitmain-freq-level": "100",
        }
    )


async def _read_json(request: web.Request) -> dict[str, Any] | None:
    try:
        body = json.loads(await request.text())
    except json.JSONDecodeError:
        return None
    return body if isinstance(body, dict) else None


async def _set_miner_conf(request: web.Request) -> web.Response:
    state = request.app[_SIM_KEY].state
    body = await _read_json(request)
    if body is None:
        return _json({"stats": "error", "code": "M001", "msg": "Invalid JSON"})
    if "bitmain-work-mode" in body:
        mode = WORK_MODES.get(str(body["bitmain-work-mode"]))
        if mode is None:
            return _json({"stats": "error", "code": "M002", "msg": "Invalid work mode"})
        state.work_mode = mode
        state.paused = mode == "sleep"
    return _json({"stats": "success", "code": "M000", "msg": "OK!"})


async def _reboot(request: web.Request) -> web.Response:
    sim = request.app[_SIM_KEY]
    sim.reboot(float(getattr(sim, "web_reboot_seconds", 1.0)))
    return _json({"stats": "success", "code": "R000", "msg": "Rebooting"})


async def _blink(request: web.Request) -> web.Response:
    state = request.app[_SIM_KEY].state
    body = await _read_json(request) or {}
    state.fault_light = str(body.get("blink", "false")).lower() == "true"
    return _json({"code": "B000" if state.fault_light else "B100"})


def create_antminer_web_app(sim: MinerSimulator) -> web.Application:
    """The CGI app of one simulated Antminer, bound to its state and fault mode."""
    app = web.Application(middlewares=[_faults_and_auth])
    app[_SIM_KEY] = sim
    app[_NONCES_KEY] = set()
    app[_STOPPING_KEY] = asyncio.Event()
    app.on_shutdown.append(_on_shutdown)
    app.router.add_get("/cgi-bin/get_system_info.cgi", _get_system_info)
    app.router.add_get("/cgi-bin/get_miner_conf.cgi", _get_miner_conf)
    app.router.add_post("/cgi-bin/set_miner_conf.cgi", _set_miner_conf)
    app.router.add_get("/cgi-bin/reboot.cgi", _reboot)
    app.router.add_post("/cgi-bin/blink.cgi", _blink)
    return app
