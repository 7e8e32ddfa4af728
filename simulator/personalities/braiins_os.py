"""Braiins OS+ 25.07 on an Antminer S19 XP: the public REST API on the web port, bosminer's
cgminer-compatible API on 4028 (``BraiinsOS``'s TCP side, unchanged).

The REST side follows the "Braiins OS Public REST API" 1.0.0 (OpenAPI of 25.07) and replies
seen from a real S19 XP:

- ``GET /``: the web interface's front page, naming "Braiins OS" (what pyasic and asic-rs
  identify it by; the rest of the page is the simulator's own, no capture of it is public);
- ``POST /api/v1/auth/login {"username": "root", "password": …}`` -> ``{"token", "timeout_s"}``;
  the token goes in ``Authorization`` raw (``Bearer <token>`` is accepted too), each request
  renews it for ``timeout_s``; without a valid token every other route answers 401;
- reads: ``miner/details``, ``miner/stats``, ``miner/hw/hashboards``, ``miner/errors``,
  ``cooling/state``, ``performance/tuner-state``, ``configuration/constraints`` (power target
  bounds), ``pools``, ``network``, ``version``, ``actions/locate`` (a bare ``true``/``false``);
  units in wrapper objects (``{"gigahash_per_second"}``, ``{"watt"}``, ``{"degree_c"}``,
  ``{"hertz"}``, ``{"volt"}``); ``pools``, ``network`` and ``version`` with or without the
  trailing slash of the specification;
- controls: ``PUT actions/pause|resume`` -> JSON boolean "was already paused / mining",
  ``PUT actions/restart`` -> boolean, ``PUT actions/reboot`` -> 204 (offline for
  ``sim.reboot_seconds``; both answered as ``sim.restart_reply`` says), ``PUT
  actions/locate`` with body ``true|false`` -> the new state, ``PUT performance/power-target
  {"watt": n}`` -> ``{"watt": n}``.

State: ``paused`` (``status`` 3 PAUSED, else 2 NORMAL), ``power_limit`` (the power target),
``fault_light`` (locate), ``errors`` (``miner/errors``, one entry each).
"""

from __future__ import annotations

from datetime import UTC, datetime
import time
from typing import Any, ClassVar

from aiohttp import web

from simulator.state import BoardState, MinerState, PoolState

from .bosminer import BraiinsOS
from .rest import Handler, guarded, json_body, json_reader, new_token, restart_answer, sent_token

API_VERSION = {"major": 1, "minor": 0, "patch": 0}
FRONT_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Braiins OS</title>'
    '</head><body><div id="root"></div><script src="/assets/index.js"></script></body></html>'
)
BOS_VERSION = "2025-08-06-0-3881c51d-25.07-plus"
WINDOWS = (
    "last_5s", "last_15s", "last_30s", "last_1m", "last_5m", "last_15m", "last_30m", "last_1h",
    "last_24h", "since_restart",
)  # fmt: skip


def _ghs(terahash: float) -> dict[str, float]:
    return {"gigahash_per_second": round(terahash * 1000, 6)}


def _degrees(value: float) -> dict[str, float]:
    return {"degree_c": value}


class BraiinsOSRest(BraiinsOS):
    """Antminer S19 XP on Braiins OS+ 25.07: REST API 1.0.0 on the web port, bosminer on 4028."""

    name: ClassVar[str] = "braiins-os-s19xp"
    family: ClassVar[str] = "braiins-os"
    has_web: ClassVar[bool] = True
    #: The tuner's power target bounds (W) in ``configuration/constraints``.
    power_target_min: ClassVar[int] = 1200
    power_target_max: ClassVar[int] = 4000
    power_target_default: ClassVar[int] = 3010

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """No session yet; a token lives ``token_timeout`` seconds past its last use."""
        super().__init__(*args, **kwargs)
        self.token_timeout = 3600
        self.tokens: dict[str, float] = {}

    @classmethod
    def initial_state(cls) -> MinerState:
        """Three BM1366 boards (110 chips), four fans, power target 3031 W, root/root."""
        return MinerState(
            make="Antminer",
            model="S19 XP",
            firmware=BOS_VERSION,
            mac="02:ee:da:00:25:07",
            hostname="Antminer",
            password="root",
            nominal_power=3200.0,
            idle_power=95.0,
            power_limit=3031,
            boards=[
                BoardState(
                    hashrate=47.6,
                    temperature=54.0 - index,
                    chip_temperature=69.5 - index,
                    chips=110,
                    frequency=485.0,
                    voltage=12.94,
                )
                for index in range(3)
            ],
            fans=[5900, 5880, 5870, 5910],
            pools=[
                PoolState(
                    url="stratum+tcp://stratum.example-pool.com:3333",
                    user="braiins.s19xp",
                    active=True,
                    accepted=10_460,
                    rejected=18,
                ),
                PoolState(
                    url="stratum+tcp://backup.example-pool.com:3333",
                    user="braiins.s19xp",
                    accepted=4,
                    priority=1,
                ),
            ],
            accepted=10_464,
            rejected=18,
        )

    # --- sessions ------------------------------------------------------------------------------

    def expire_sessions(self) -> None:
        """Forget every token (as the timeout would)."""
        self.tokens.clear()

    def authorized(self, request: web.Request) -> bool:
        """A live token, raw or after ``Bearer``; using it renews it."""
        token = sent_token(request)
        now = time.monotonic()
        if self.tokens.get(token, 0.0) <= now:
            self.tokens.pop(token, None)
            return False
        self.tokens[token] = now + self.token_timeout
        return True

    def http_error(self, status: int, message: str | None = None) -> web.Response:
        """The reason as plain text (401: empty)."""
        if status == 401:
            return web.Response(status=401)
        return super().http_error(status, message)

    # --- the application ---------------------------------------------------------------------

    def web_app(self) -> web.Application:
        """Login, then every route behind a token."""
        app = web.Application()
        app.router.add_get("/", self._front_page)
        app.router.add_post("/api/v1/auth/login", self._login)
        gets = {
            "miner/details": self.details,
            "miner/stats": self.stats,
            "miner/hw/hashboards": self.hashboards,
            "miner/errors": self.miner_errors,
            "cooling/state": self.cooling,
            "performance/tuner-state": self.tuner_state,
            "configuration/constraints": self.constraints,
            "pools": self.pools,
            "pools/": self.pools,
            "network": self.network,
            "network/": self.network,
            "version": lambda: API_VERSION,
            "version/": lambda: API_VERSION,
            "actions/locate": lambda: self.state.fault_light,
        }
        for path, render in gets.items():
            app.router.add_get(f"/api/v1/{path}", self._guard(json_reader(render)))
        for action in ("pause", "resume", "restart", "reboot", "locate"):
            app.router.add_put(f"/api/v1/actions/{action}", self._guard(self._action))
        app.router.add_put("/api/v1/performance/power-target", self._guard(self._power_target))
        return app

    def _guard(self, handler: Handler) -> Handler:
        return guarded(self.authorized, lambda: self.http_error(401), handler)

    async def _front_page(self, request: web.Request) -> web.Response:
        return web.Response(text=FRONT_PAGE, content_type="text/html")

    async def _login(self, request: web.Request) -> web.Response:
        body = await json_body(request)
        if body is None:
            return self.http_error(400, "Invalid request payload.")
        if not isinstance(body, dict) or body.get("username") != "root":
            return self.http_error(401)
        if not self.check_password(body.get("password")):
            return self.http_error(401)
        token = new_token(16)
        self.tokens[token] = time.monotonic() + self.token_timeout
        return web.json_response({"token": token, "timeout_s": self.token_timeout})

    # --- reads ---------------------------------------------------------------------------------

    def details(self) -> dict[str, Any]:
        """``miner/details``: identity, version, status, uptimes, sticker hashrate."""
        state = self.state
        uptime = state.uptime()
        return {
            "bos_mode": 4,
            "bos_version": {
                "bos_plus": True,
                "current": BOS_VERSION,
                "major": "2022-09-13-0-11012d53-22.08-plus",
            },
            "bosminer_uptime_s": uptime,
            "control_board_soc_family": 3,
            "hostname": state.hostname,
            "kernel_version": "4.9.113",
            "mac_address": state.mac.lower(),
            "miner_identity": {
                "brand": 1,
                "miner_model": f"{state.make} {state.model}",
                "model": 18,
                "name": f"{state.make} {state.model}",
            },
            "platform": 4,
            "psu_info": {
                "fw_version": None,
                "max_voltage": {"volt": 15.2},
                "min_voltage": {"volt": 11.96},
                "model_name": "APW121215d/e",
                "serial_number": None,
                "version": 117,
            },
            "serial_number": state.serial,
            "status": 3 if state.paused else 2,
            "sticker_hashrate": {"gigahash_per_second": 141000.0},
            "system_uptime": uptime + 40,
            "system_uptime_s": uptime + 40,
            "uid": "SimBraiinsUid2507",
        }

    def _rates(self, board: BoardState | None = None) -> dict[str, Any]:
        state = self.state
        rate = state.board_hashrate(board) if board else state.current_hashrate()
        nominal = (board.hashrate if board else state.nominal_hashrate) * state.scale()
        return {
            "best_share": 776_000_000,
            "error_hashrate": {"megahash_per_second": 0.0},
            "found_blocks": 0,
            "nominal_hashrate": _ghs(nominal),
            "real_hashrate": {window: _ghs(rate) for window in WINDOWS},
        }

    def stats(self) -> dict[str, Any]:
        """``miner/stats``: hashrate windows, shares, power and efficiency."""
        state = self.state
        rates = self._rates()
        power = round(state.current_power())
        hashrate = rates["real_hashrate"]["last_1m"]["gigahash_per_second"] / 1000
        return {
            "miner_stats": rates,
            "pool_stats": {
                "accepted_shares": state.accepted,
                "best_share": rates["best_share"],
                "generated_work": 17_793_548_288,
                "last_difficulty": 262144,
                "last_share_time": {"nanos": 0, "seconds": int(time.time()) - 4},
                "rejected_shares": state.rejected,
                "stale_shares": 0,
            },
            "power_stats": {
                "approximated_consumption": {"watt": power},
                "efficiency": {"joule_per_terahash": power / hashrate if hashrate else 0.0},
            },
        }

    def hashboards(self) -> dict[str, Any]:
        """``miner/hw/hashboards``: one entry per board, ids from "1"."""
        state = self.state
        boards = []
        for index, board in enumerate(state.boards):
            temperature = state.board_temperature(board)
            boards.append(
                {
                    "board_name": "BHB56801",
                    "board_temp": _degrees(temperature),
                    "chip_type": "BM1366",
                    "chips_count": board.chips,
                    "current_frequency": {"hertz": board.frequency * 1_000_000},
                    "current_voltage": {"volt": board.voltage},
                    "enabled": board.alive,
                    "highest_chip_temp": {
                        "id": index + 1,
                        "location": 1,
                        "temperature": _degrees(state.chip_temperature(board)),
                    },
                    "highest_outlet_temp": _degrees(temperature),
                    "id": str(index + 1),
                    "lowest_inlet_temp": _degrees(round(temperature - 14, 1)),
                    "model": "BHB56801",
                    "serial_number": f"SIMBOS25BOARD{index + 1:04d}",
                    "stats": self._rates(board),
                }
            )
        return {"hashboards": boards}

    def miner_errors(self) -> dict[str, Any]:
        """``miner/errors``: each of ``state.errors`` as a log entry of now (the real log keeps
        older ones too, stamped when they were logged)."""
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return {
            "errors": [
                {"components": [], "error_codes": [], "message": message, "timestamp": now}
                for message in self.state.errors
            ]
        }

    def cooling(self) -> dict[str, Any]:
        """``cooling/state``: fans with their speed ratio, the hottest temperature."""
        state = self.state
        ratio = 1.0 if state.is_mining else 0.4
        hottest = max((state.chip_temperature(board) for board in state.boards), default=0.0)
        return {
            "fans": [
                {"position": index, "rpm": state.fan_rpm(index), "target_speed_ratio": ratio}
                for index in range(len(state.fans))
            ],
            "highest_temperature": {"id": None, "location": 1, "temperature": _degrees(hottest)},
        }

    def tuner_state(self) -> dict[str, Any]:
        """``performance/tuner-state``: power target mode, STABLE (2)."""
        state = self.state
        target = {"watt": state.power_limit or self.power_target_default}
        return {
            "mode_state": {
                "powertargetmodestate": {
                    "current_target": target,
                    "profile": {
                        "created": {"nanos": 0, "seconds": 1_776_086_368},
                        "estimated_power_consumption": {"watt": round(state.current_power())},
                        "measured_hashrate": _ghs(state.nominal_hashrate * state.scale()),
                        "target": target,
                    },
                }
            },
            "overall_tuner_state": 2,
        }

    def constraints(self) -> dict[str, Any]:
        """``configuration/constraints``: the tuner's bounds (others left null)."""
        return {
            "cooling_constraints": None,
            "dps_constraints": None,
            "hashboards_constraints": None,
            "tuner_constraints": {
                "default_mode": 1,
                "enabled": {"default": True},
                "hashrate_target": {
                    "default": {"terahash_per_second": 141.0},
                    "max": {"terahash_per_second": 180.0},
                    "min": {"terahash_per_second": 50.0},
                },
                "power_target": {
                    "default": {"watt": self.power_target_default},
                    "max": {"watt": self.power_target_max},
                    "min": {"watt": self.power_target_min},
                },
            },
        }

    def pools(self) -> list[dict[str, Any]]:
        """``pools``: one group holding the configured pools."""
        return [
            {
                "name": "Default",
                "pools": [
                    {
                        "active": pool.active,
                        "alive": pool.alive,
                        "enabled": True,
                        "stats": {
                            "accepted_shares": pool.accepted,
                            "best_share": 776_000_000 if pool.active else 0,
                            "generated_work": pool.accepted * 1_700_000,
                            "last_difficulty": 262144,
                            "last_share_time": {"nanos": 0, "seconds": int(time.time()) - 4},
                            "rejected_shares": pool.rejected,
                            "stale_shares": pool.stale,
                        },
                        "uid": f"SimPool{index:09d}",
                        "url": pool.url,
                        "user": pool.user,
                    }
                    for index, pool in enumerate(self.state.pools)
                ],
                "strategy": {"quota": {"value": 1}},
            }
        ]

    def network(self) -> dict[str, Any]:
        """``network``: hostname, MAC, addresses."""
        return {
            "default_gateway": "127.0.0.1",
            "dns_servers": ["127.0.0.1"],
            "hostname": self.state.hostname,
            "mac_address": self.state.mac.lower(),
            "name": "eth0",
            "networks": [{"address": "127.0.0.1", "netmask": "255.0.0.0"}],
            "protocol": 1,
        }

    # --- controls ------------------------------------------------------------------------------

    async def _action(self, request: web.Request) -> web.Response:
        action = request.path.rsplit("/", 1)[-1]
        state = self.state
        if action == "reboot":
            self.sim.reboot(self.sim.reboot_seconds)
            return restart_answer(self.sim, request, web.Response(status=204))
        if action == "locate":
            wanted = await json_body(request)
            if not isinstance(wanted, bool):
                return self.http_error(400, "Invalid request payload.")
            state.fault_light = wanted
            return web.json_response(state.fault_light)
        if action == "restart":
            return restart_answer(self.sim, request, web.json_response(not state.paused))
        was = state.paused if action == "pause" else not state.paused
        state.paused = action == "pause"
        return web.json_response(was)

    async def _power_target(self, request: web.Request) -> web.Response:
        body = await json_body(request)
        watt = body.get("watt") if isinstance(body, dict) else None
        if not isinstance(watt, int) or isinstance(watt, bool):
            return self.http_error(400, "Invalid request payload.")
        if not self.power_target_min <= watt <= self.power_target_max:
            return self.http_error(
                400,
                f"Power target {watt} W is out of range "
                f"[{self.power_target_min}, {self.power_target_max}] W",
            )
        self.state.power_limit = watt
        return web.json_response({"watt": watt})
