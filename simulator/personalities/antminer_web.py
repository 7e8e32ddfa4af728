"""The stock Antminer web interface (``/cgi-bin/*.cgi``) for simulated Antminers.

``AntminerWeb`` mixes it into a personality (``has_web``, ``web_app``). Real HTTP digest
authentication (RFC 7616, MD5, ``qop=auth``) as the firmware's lighttpd does it, user ``root``
and the simulator's password; controls change the shared ``MinerState``: sleep mode stops
mining (``get_miner_conf.cgi`` reports ``state.work_mode`` as ``bitmain-work-mode``, so a test
changes the mode "on the miner" by setting it; ``set_miner_conf.cgi`` takes ``miner-mode`` or
``bitmain-work-mode``, as a number or a string, and answers after
``sim.set_conf_seconds``, 0 by default, real units ~20-30 s), ``reboot.cgi`` takes the miner
(API and web) offline for ``sim.web_reboot_seconds`` (default 1 s), answered as
``sim.restart_reply`` says. Every authenticated
request is recorded in ``sim.received`` as ``"<name>.cgi"``; a 401 challenge is counted in
``sim.web_challenges``.

Two generations of the configuration CGIs (``AntminerWeb.conf_form``): the JSON one of
S19-era firmware above (``bitmain-pwth``, ``bitmain-work-mode`` in the configuration; JSON
posted), and the old one of the S9 generation (``conf_form`` True): ``get_miner_conf.cgi``
holds pools, API settings, ``bitmain-freq`` and ``bitmain-voltage`` only (no work mode), and
``set_miner_conf.cgi`` reads positional ``_ant_*`` form fields and answers ``ok``, as
Bitmain's published script does (``bitmaintech/Antminer_firmware``). That script takes its
body apart by position: anything but its form, such as a JSON body, is written out as the
first pool's URL with the rest empty, so the miner loses its pools (``state.pools``), which
is what a test watches for.

Read-only CGIs in the shapes of Bitmain's "Stock Bitmain Firmware API Documentation" (KS5 Pro
examples) and asic-rs's captures: ``get_system_info.cgi``, ``get_network_info.cgi``,
``get_blink_status.cgi`` (``{"blink": false}``), ``summary.cgi`` and ``stats.cgi`` (the
personality's own figures, ``rate_unit`` "GH/s", chains as lists of sensors).

The server's faults apply here as on every HTTP listener (``simulator/serve_http.py``);
WRONG_PASSWORD rejects every password.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import hashlib
import json
import re
import secrets
import time
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qsl

from aiohttp import web

from simulator.personalities.rest import restart_answer
from simulator.personality import Personality
from simulator.state import PoolState

if TYPE_CHECKING:
    from simulator.server import MinerSimulator
    from simulator.state import MinerState

REALM = "antMiner Configuration"
USERNAME = "root"
#: miner-mode / bitmain-work-mode values <-> MinerState.work_mode
WORK_MODES = {"0": "normal", "1": "sleep", "2": "high", "3": "low"}
_AUTH_PARAM = re.compile(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')
_SIM_KEY: web.AppKey[MinerSimulator] = web.AppKey("sim")
_NONCES_KEY: web.AppKey[set[str]] = web.AppKey("nonces")

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


@web.middleware
async def _digest_auth(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Demand digest auth, as lighttpd does for every CGI."""
    if not _authorized(request):
        request.app[_SIM_KEY].web_challenges += 1
        return _challenge(request)
    return await handler(request)


def _json(data: dict[str, Any]) -> web.Response:
    # The firmware sends JSON as text/plain; clients must not rely on the content type.
    return web.Response(text=json.dumps(data), content_type="text/plain")


def _work_mode_code(state: MinerState) -> str:
    if state.paused or state.work_mode == "sleep":
        return "1"
    codes = {name: code for code, name in WORK_MODES.items()}
    return codes.get(state.work_mode or "normal", "0")


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


def _conf_form(sim: MinerSimulator) -> bool:
    return bool(getattr(sim.personality, "conf_form", False))


async def _get_miner_conf(request: web.Request) -> web.Response:
    sim = request.app[_SIM_KEY]
    state = sim.state
    common = {
        "pools": [
            {"url": pool.url, "user": pool.user, "pass": pool.password} for pool in state.pools
        ],
        "api-listen": True,
        "api-network": True,
        "api-groups": "A:stats:pools:devs:summary:version",
        "api-allow": "A:0/0,W:*",
    }
    if _conf_form(sim):
        return _json(
            {**common, "bitmain-use-vil": True, "bitmain-freq": "650", "bitmain-voltage": "0706"}
        )
    return _json(
        {
            **common,
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


async def _set_old_miner_conf(request: web.Request) -> web.Response:
    """The S9 generation's script: ``_ant_pool<n>url/user/pw`` … by position; a body that is
    not its form becomes the first pool's URL (the pools are lost)."""
    state = request.app[_SIM_KEY].state
    text = await request.text()
    form = dict(parse_qsl(text, keep_blank_values=True))
    if "_ant_pool1url" in form:
        state.pools = [
            PoolState(
                url=form.get(f"_ant_pool{n}url", ""),
                user=form.get(f"_ant_pool{n}user", ""),
                password=form.get(f"_ant_pool{n}pw", ""),
                active=n == 1,
                priority=n - 1,
            )
            for n in (1, 2, 3)
            if form.get(f"_ant_pool{n}url")
        ]
    else:
        first = text.replace("&", " ").split()
        state.pools = [PoolState(url=first[0] if first else "", user="", priority=0)]
    return web.Response(text="ok\n", content_type="text/html")


async def _set_miner_conf(request: web.Request) -> web.Response:
    if _conf_form(request.app[_SIM_KEY]):
        return await _set_old_miner_conf(request)
    state = request.app[_SIM_KEY].state
    body = await _read_json(request)
    if body is None:
        return _json({"stats": "error", "code": "M001", "msg": "Invalid JSON"})
    key = next((key for key in ("miner-mode", "bitmain-work-mode") if key in body), None)
    if key is not None:
        mode = WORK_MODES.get(str(body[key]))
        if mode is None:
            return _json({"stats": "error", "code": "M002", "msg": "Invalid work mode"})
        state.work_mode = mode
        state.paused = mode == "sleep"
    # The firmware answers once it has written the configuration and started the reload.
    await asyncio.sleep(float(getattr(request.app[_SIM_KEY], "set_conf_seconds", 0.0)))
    return _json({"stats": "success", "code": "M000", "msg": "OK!"})


async def _reboot(request: web.Request) -> web.Response:
    sim = request.app[_SIM_KEY]
    sim.reboot(float(getattr(sim, "web_reboot_seconds", 1.0)))
    return restart_answer(
        sim, request, _json({"stats": "success", "code": "R000", "msg": "Rebooting"})
    )


async def _get_blink_status(request: web.Request) -> web.Response:
    return _json({"blink": request.app[_SIM_KEY].state.fault_light})


async def _get_network_info(request: web.Request) -> web.Response:
    state = request.app[_SIM_KEY].state
    return _json(
        {
            "nettype": "DHCP",
            "netdevice": "eth0",
            "macaddr": state.mac.upper(),
            "ipaddress": "127.0.0.1",
            "netmask": "255.0.0.0",
            "conf_nettype": "DHCP",
            "conf_hostname": state.hostname,
            "conf_ipaddress": "",
            "conf_netmask": "",
            "conf_gateway": "",
            "conf_dnsservers": "",
        }
    )


def _info(sim: MinerSimulator) -> dict[str, Any]:
    personality = sim.personality
    return {
        "miner_version": getattr(personality, "miner_version", ""),
        "CompileTime": getattr(personality, "compile_time", ""),
        "type": f"{sim.state.make} {sim.state.model}",
    }


def _cgi_status(message: str) -> dict[str, Any]:
    return {"STATUS": "S", "when": int(time.time()), "Msg": message, "api_version": "1.0.0"}


def _rates(state: MinerState) -> dict[str, Any]:
    """What ``summary.cgi`` and ``stats.cgi`` both open with (GH/s)."""
    rate = round(state.current_hashrate() * 1000, 2)
    return {
        "elapsed": state.uptime(),
        "rate_5s": rate,
        "rate_30m": rate,
        "rate_avg": rate,
        "rate_ideal": round(state.nominal_hashrate * 1000, 2),
        "rate_unit": "GH/s",
    }


async def _summary(request: web.Request) -> web.Response:
    sim = request.app[_SIM_KEY]
    state = sim.state
    rate = round(state.current_hashrate() * 1000, 2)
    fans_ok = any(state.fan_rpm(i) for i in range(len(state.fans)))
    return _json(
        {
            "STATUS": _cgi_status("summary"),
            "INFO": _info(sim),
            "SUMMARY": [
                {
                    **_rates(state),
                    "hw_all": state.hardware_errors,
                    "bestshare": 123456789,
                    "status": [
                        {"type": "rate", "status": "s" if rate else "w", "code": 0, "msg": ""},
                        {"type": "network", "status": "s", "code": 0, "msg": ""},
                        {"type": "fans", "status": "s" if fans_ok else "e", "code": 0, "msg": ""},
                        {"type": "temp", "status": "s", "code": 0, "msg": ""},
                    ],
                }
            ],
        }
    )


async def _stats(request: web.Request) -> web.Response:
    sim = request.app[_SIM_KEY]
    state = sim.state
    chains = []
    for index, board in enumerate(state.boards):
        pcb = round(state.board_temperature(board))
        chip = round(state.chip_temperature(board))
        chains.append(
            {
                "index": index,
                "freq_avg": board.frequency,
                "rate_ideal": round(board.hashrate * 1000, 2),
                "rate_real": round(state.board_hashrate(board) * 1000, 2),
                "asic_num": board.chips,
                "temp_pic": [pcb - 10, pcb - 38, pcb - 19, pcb - 18],
                "temp_pcb": [pcb, pcb - 28, pcb - 9, pcb - 8],
                "temp_chip": [chip, chip - 28, chip - 9, chip - 8],
                "hw": 0,
                "eeprom_loaded": True,
                "sn": f"{state.serial or 'SN'}{index}",
            }
        )
    return _json(
        {
            "STATUS": _cgi_status("stats"),
            "INFO": _info(sim),
            "STATS": [
                {
                    **_rates(state),
                    "chain_num": len(chains),
                    "fan_num": len(state.fans),
                    "fan": [state.fan_rpm(i) for i in range(len(state.fans))],
                    "hwp_total": 0.0,
                    "chain": chains,
                }
            ],
        }
    )


async def _blink(request: web.Request) -> web.Response:
    state = request.app[_SIM_KEY].state
    body = await _read_json(request) or {}
    state.fault_light = str(body.get("blink", "false")).lower() == "true"
    return _json({"code": "B000" if state.fault_light else "B100"})


def create_antminer_web_app(sim: MinerSimulator) -> web.Application:
    """The CGI app of one simulated Antminer, bound to its state and fault mode."""
    app = web.Application(middlewares=[_digest_auth])
    app[_SIM_KEY] = sim
    app[_NONCES_KEY] = set()
    app.router.add_get("/cgi-bin/get_system_info.cgi", _get_system_info)
    app.router.add_get("/cgi-bin/get_miner_conf.cgi", _get_miner_conf)
    app.router.add_post("/cgi-bin/set_miner_conf.cgi", _set_miner_conf)
    app.router.add_get("/cgi-bin/reboot.cgi", _reboot)
    app.router.add_post("/cgi-bin/blink.cgi", _blink)
    app.router.add_get("/cgi-bin/get_blink_status.cgi", _get_blink_status)
    app.router.add_get("/cgi-bin/get_network_info.cgi", _get_network_info)
    app.router.add_get("/cgi-bin/summary.cgi", _summary)
    app.router.add_get("/cgi-bin/stats.cgi", _stats)
    return app


class AntminerWeb(Personality):
    """Mix-in: the stock Antminer web interface on ``web_port``."""

    has_web: ClassVar[bool] = True
    #: The S9 generation's configuration CGIs: no work mode, ``_ant_*`` form posts.
    conf_form: ClassVar[bool] = False

    def web_app(self) -> web.Application:
        """The CGI app, bound to this miner."""
        return create_antminer_web_app(self.sim)

    def http_record(self, request: web.Request, response: web.StreamResponse) -> str | None:
        """``"<name>.cgi"``, authenticated requests only."""
        if response.status == 401:
            return None
        return request.path.rsplit("/", 1)[-1]
