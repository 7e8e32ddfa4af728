"""VNish 1.2.6 on an Antminer S19: its REST API on the web port, cgminer's TCP API on 4028.

The web side follows VNish's OpenAPI "xminer-api" 1.2.6 and replies seen from real miners:

- open: ``GET /api/v1/info``, ``/status``, ``/summary`` (every pool user ``*****`` unless the
  request is authorised), ``/model``, ``/chains``, ``/chains/factory-info``,
  ``/perf-summary``, and ``POST /find-miner``, which toggles the locate LED
  (``state.fault_light``) and answers ``{"on": …}``;
- ``POST /api/v1/unlock {"pw": <web password>}`` -> ``{"token": <32 alphanumerics>}``, a wrong
  password 403 ``{"unlock_timeout": null}``; the token goes in ``Authorization`` with or
  without ``Bearer ``; ``/status`` says ``"unlocked": true`` for an authorised request;
- with a token (else 401, empty body): ``GET|POST /settings`` (a POST choosing a preset
  answers ``{"restart_required": false, "reboot_required": false}``, also when the preset is
  unknown and nothing changed), ``GET /autotune/presets``, ``POST /mining/pause|resume|stop|
  start|restart`` (200, empty body), ``POST /system/reboot`` -> ``{"after": 3}`` (a restart
  and a reboot answered as ``sim.restart_reply`` says).

Units: hashrates in GH/s (``hr_measure``), ``instant_hashrate`` / ``average_hashrate`` in TH/s,
chain voltage in mV, preset ``globals.volt`` in 10 mV, power in W (0 when the PSU cannot
report: ``psu_reports_power = False``), temperatures as ``{"min", "max"}``. A preset is
``state.work_mode`` (its name; "disabled" runs stock clocks) and its watts ``state.power_limit``.
Pause and stop set ``state.paused`` (miner state ``stopped``). ``failure`` puts the miner in
VNish's failure state (no chains, no hashrate, pause refused with VNish's own error).

Two clocks, as on a real miner: ``miner_state_time`` counts the current state (it starts again
at a pause, a resume, a restart), cgminer's ``Elapsed`` (and the system uptime of ``/info``)
since cgminer started, ``chain_init_seconds`` before the mining state began (chain
initialisation; the simulator's figure, under the minute of ``/info``'s resolution: no public
fact gives VNish's).

The TCP side is the stock Antminer S19's (``AntminerS19``), as VNish's cgminer 4.11.1 writes
it: ``CGMiner`` in ``version``, ``Cgminer`` in ``stats``, ``Type`` "Antminer S19 (vnish
1.2.6)", ``GHS 5s`` quoted, per-chain ``chain_vol`` / ``chain_consumption``.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

from aiohttp import web

from simulator.personality import Personality
from simulator.state import BoardState, MinerState, PoolState

from .bmminer import AntminerS19
from .rest import guarded, json_body, new_token, restart_answer, sent_token

FW_VERSION = "1.2.6"
#: (watts, status, needs a modded PSU) of the S19's autotune presets.
PRESETS: tuple[tuple[int, str, bool], ...] = (
    (2400, "tuned", False),
    (2600, "tuned", False),
    (2800, "tuned", False),
    (3000, "tuned", False),
    (3250, "tuned", False),
    (3500, "untuned", False),
    (3700, "untuned", True),
)
PAUSE_REFUSED = "CGMiner err: Cgminer error failed-to-activate-pause-mode "


def uptime_text(seconds: int) -> str:
    """VNish's system uptime: ``H:MM``, or ``N days, HH:MM`` past a day (minute resolution)."""
    days, rest = divmod(seconds, 86400)
    hours, minutes = rest // 3600, rest % 3600 // 60
    if days:
        return f"{days} days, {hours:02d}:{minutes:02d}"
    return f"{hours}:{minutes:02d}"


class VNishWeb(Personality):
    """Mix-in: VNish's REST API ``/api/v1`` on the web port."""

    has_web: ClassVar[bool] = True
    #: ``info.model`` / ``info.platform`` / ``model.series`` of this machine.
    model_code: ClassVar[str] = "s19"
    platform: ClassVar[str] = "xil"
    series: ClassVar[str] = "x19"
    #: Stock (factory) frequency (MHz) and voltage (10 mV) of the boards.
    stock_freq: ClassVar[int] = 675
    stock_volt: ClassVar[int] = 1380
    #: Seconds cgminer runs before the mining state begins (``Elapsed`` ahead of
    #: ``miner_state_time``).
    chain_init_seconds: ClassVar[int] = 45

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """No token issued, a PSU that reports power, not failed."""
        super().__init__(*args, **kwargs)
        self.tokens: set[str] = set()
        #: False: ``power_consumption`` reads 0 (PSUs without metering, as often seen).
        self.psu_reports_power = True
        #: (failure_code, description) while VNish is in its failure state.
        self.failure: tuple[int, str] | None = None
        self._state_since = time.monotonic()
        self.state.started_at = self._state_since - self.chain_init_seconds

    def expire_sessions(self) -> None:
        """Forget every unlock token."""
        self.tokens.clear()

    def rebooted(self) -> None:
        """Tokens gone; the miner starts mining again."""
        super().rebooted()
        self.state.paused = False
        self._state_since = time.monotonic()
        self.state.started_at = self._state_since - self.chain_init_seconds

    # --- auth ----------------------------------------------------------------------------------

    def authorized(self, request: web.Request) -> bool:
        """A known token in ``Authorization``, with or without ``Bearer``."""
        return sent_token(request) in self.tokens

    def http_record(self, request: web.Request, response: web.StreamResponse) -> str | None:
        """``"GET /api/v1/summary"``, as every HTTP firmware (not the stock CGI's names)."""
        return Personality.http_record(self, request, response)

    def http_error(self, status: int, message: str | None = None) -> web.Response:
        """401 with an empty body; 500 as VNish's ``{"err": …}``."""
        if status == 500:
            return web.json_response({"err": message or "Internal Server Error"}, status=500)
        if status == 401:
            return web.Response(status=401)
        return super().http_error(status, message)

    # --- the application ---------------------------------------------------------------------

    def web_app(self) -> web.Application:
        """``/api/v1``: the open routes, unlock, and the ones behind a token."""
        app = web.Application()
        routes = app.router
        routes.add_post("/api/v1/unlock", self._unlock)
        for path, handler in (
            ("info", self._info),
            ("status", self._status),
            ("summary", self._summary),
            ("model", self._model),
            ("chains", self._chains),
            ("chains/factory-info", self._factory_info),
            ("perf-summary", self._perf_summary),
        ):
            routes.add_get(f"/api/v1/{path}", handler)
        routes.add_post("/api/v1/find-miner", self._find_miner)
        for method, path, handler in (
            ("GET", "settings", self._get_settings),
            ("POST", "settings", self._post_settings),
            ("GET", "autotune/presets", self._presets),
            ("POST", "mining/{action}", self._mining),
            ("POST", "system/reboot", self._reboot),
        ):
            routes.add_route(
                method, f"/api/v1/{path}", guarded(self.authorized, self._refuse, handler)
            )
        return app

    def _refuse(self) -> web.Response:
        return self.http_error(401)

    async def _unlock(self, request: web.Request) -> web.Response:
        body = await json_body(request)
        password = body.get("pw") if isinstance(body, dict) else None
        if not isinstance(password, str) or not self.check_password(password):
            return web.json_response({"unlock_timeout": None}, status=403)
        token = new_token(32)
        self.tokens.add(token)
        return web.json_response({"token": token})

    # --- what the miner is doing --------------------------------------------------------------

    def miner_status(self) -> dict[str, Any]:
        """``miner_status``: the state, seconds in it, and the failure's description."""
        if self.failure is not None:
            code, description = self.failure
            return {
                "miner_state": "failure",
                "miner_state_time": int(time.monotonic() - self._state_since),
                "description": description,
                "failure_code": code,
            }
        return {
            "miner_state": "stopped" if self.state.paused else "mining",
            "miner_state_time": int(time.monotonic() - self._state_since),
        }

    def _change_state(self, *, paused: bool) -> None:
        self.state.paused = paused
        self._state_since = time.monotonic()

    def hashing(self) -> bool:
        """Hashing: mining and not failed."""
        return self.failure is None and self.state.is_mining

    def preset(self) -> tuple[str, str, str, bool]:
        """(name, pretty, status, modded PSU) of the current preset."""
        name = self.state.work_mode or "disabled"
        for watts, status, modded in PRESETS:
            if str(watts) == name:
                return name, self.pretty(watts), status, modded
        return "disabled", "Disabled", "untuned", False

    def pretty(self, watts: int) -> str:
        """A preset as the UI names it ("2800 watt ~ 82 TH")."""
        state = self.state
        terahash = state.nominal_hashrate * min(watts / state.nominal_power, 1.0)
        return f"{watts} watt ~ {round(terahash)} TH"

    def chain_freq(self) -> float:
        """Chain frequency (MHz) at the current preset."""
        state = self.state
        if state.power_limit is None:
            return float(self.stock_freq)
        return round(self.stock_freq * min(state.power_limit / state.nominal_power, 1.0), 1)

    def chain_volt(self) -> int:
        """Chain voltage in 10 mV at the current preset (``globals.volt``)."""
        if self.state.power_limit is None:
            return self.stock_volt
        return self.stock_volt - (3250 - self.state.power_limit) // 50

    # --- readings -----------------------------------------------------------------------------

    def chain_entry(self, index: int, board: BoardState) -> dict[str, Any]:
        """One of ``summary.miner.chains``."""
        state = self.state
        hashing = self.hashing()
        rate = state.board_hashrate(board) * 1000 if hashing else 0.0
        ideal = board.hashrate * 1000 * state.scale()
        pcb = round(state.board_temperature(board))
        chip = round(state.chip_temperature(board))
        power = round(state.current_power() / max(len(state.boards), 1)) if hashing else 0
        return {
            "id": index + 1,
            "frequency": self.chain_freq(),
            "voltage": self.chain_volt() * 10,
            "power_consumption": power if self.psu_reports_power else 0,
            "hashrate_ideal": round(ideal, 2),
            "hashrate_rt": round(rate, 3),
            "hashrate_percentage": round(rate / ideal * 100, 2) if ideal else 0.0,
            "hr_error": 0.0,
            "hw_errors": 0,
            "pcb_temp": {"min": pcb - 4, "max": pcb},
            "chip_temp": {"min": chip - 4, "max": chip},
            "chip_statuses": {"red": 0, "orange": 2, "grey": board.chips - 2},
            "status": {"state": "mining" if hashing else "stopped"},
        }

    def pool_entries(self, *, masked: bool) -> list[dict[str, Any]]:
        """User pools (``host:port``) and VNish's DevFee pseudo-pool."""
        pools: list[dict[str, Any]] = []
        for index, pool in enumerate(self.state.pools):
            status = "active" if pool.active else "working" if pool.alive else "offline"
            pools.append(
                self.pool_entry(index, pool.url.split("://")[-1], "UserPool", pool.user, status)
                | {"accepted": pool.accepted, "rejected": pool.rejected, "stale": pool.stale}
            )
        pools.append(self.pool_entry(len(pools), "DevFee", "DevFee", "DevFee", "working"))
        if masked:
            for entry in pools:
                entry["user"] = "*****"
        return pools

    @staticmethod
    def pool_entry(index: int, url: str, kind: str, user: str, status: str) -> dict[str, Any]:
        """A ``PoolStats`` entry."""
        return {
            "id": index,
            "url": url,
            "pool_type": kind,
            "user": user,
            "status": status,
            "asic_boost": kind == "UserPool",
            "diff": "65.5K" if kind == "UserPool" else "",
            "accepted": 0,
            "rejected": 0,
            "stale": 0,
            "ls_diff": 65536.0 if kind == "UserPool" else 0.0,
            "ls_time": "0:00:04" if kind == "UserPool" else "0",
            "diffa": 655360.0 if kind == "UserPool" else 0.0,
            "ping": 15 if kind == "UserPool" else 0,
        }

    def cooling(self) -> dict[str, Any]:
        """Fans (0 rpm in immersion, still "ok"), the mode, the duty."""
        state = self.state
        if self.failure is not None:
            return {"fan_num": 0, "fans": [], "settings": {"mode": {"name": "auto"}}, "fan_duty": 0}
        immersed = state.fan_mode == "immersion"
        fans = [
            {
                "id": index,
                "rpm": 0 if immersed else state.fan_rpm(index),
                "status": "ok" if immersed or state.fans[index] else "lost",
                "max_rpm": 6000,
            }
            for index in range(len(state.fans))
        ]
        duty = 100 if immersed else state.fan_percent if state.fan_mode == "manual" else 62
        return {
            "fan_num": len(fans),
            "fans": fans,
            "settings": {"mode": {"name": state.fan_mode}},
            "fan_duty": duty,
        }

    def summary(self, *, masked: bool) -> dict[str, Any]:
        """``/summary``'s ``miner`` object."""
        state = self.state
        failed = self.failure is not None
        chains = [] if failed else [self.chain_entry(i, b) for i, b in enumerate(state.boards)]
        realtime = sum(chain["hashrate_rt"] for chain in chains)
        nominal = sum(chain["hashrate_ideal"] for chain in chains)
        power = round(state.current_power()) if self.hashing() and self.psu_reports_power else 0
        efficiency = round(power / (realtime / 1000), 2) if power and realtime else 0.0
        pcb = [chain["pcb_temp"] for chain in chains] or [{"min": 0, "max": 0}]
        chip = [chain["chip_temp"] for chain in chains] or [{"min": 0, "max": 0}]
        pools = self.pool_entries(masked=masked)
        return {
            "miner_status": self.miner_status(),
            "miner_type": f"Antminer {state.model} (Vnish {FW_VERSION})",
            "hr_stock": 0.0 if failed else round(state.nominal_hashrate * 1000, 2),
            "average_hashrate": round(realtime / 1000, 6),
            "instant_hashrate": round(realtime / 1000, 6),
            "hr_realtime": round(realtime, 3),
            "hr_nominal": round(nominal, 2),
            "hr_average": round(realtime, 3),
            "pcb_temp": {
                "min": min(t["min"] for t in pcb),
                "max": max(t["max"] for t in pcb),
            },
            "chip_temp": {
                "min": min(t["min"] for t in chip),
                "max": max(t["max"] for t in chip),
            },
            "power_consumption": power,
            "power_usage": round(efficiency),
            "power_efficiency": efficiency,
            "hw_errors_percent": 0.0,
            "hr_error": 0.0,
            "hw_errors": 0,
            "devfee_percent": 0.0 if failed else 2.0,
            "devfee": 0.0,
            "pools": pools if not failed else pools[-1:],
            "cooling": self.cooling(),
            "chains": chains,
            "found_blocks": 0,
            "best_share": 0 if failed else 9_876_543_210,
        }

    # --- open routes ------------------------------------------------------------------------

    async def _info(self, request: web.Request) -> web.Response:
        state = self.state
        return web.json_response(
            {
                "miner": f"Antminer {state.model}",
                "model": self.model_code,
                "fw_name": "Vnish",
                "fw_version": FW_VERSION,
                "build_uuid": "00000000-0000-4000-8000-000000000126",
                "build_name": "vnishnet",
                "platform": self.platform,
                "install_type": "nand",
                "build_time": "2025-05-29 19:22:26+00:00",
                "algorithm": "sha256d",
                "hr_measure": "GH/s",
                "system": {
                    "os": "GNU/Linux",
                    "miner_name": self.model_code,
                    "file_system_version": "",
                    "mem_total": 233712,
                    "mem_free": 173956,
                    "mem_free_percent": 74,
                    "mem_buf": 31928,
                    "mem_buf_percent": 13,
                    "network_status": {
                        "mac": state.mac.upper(),
                        "dhcp": True,
                        "ip": "127.0.0.1",
                        "netmask": "255.0.0.0",
                        "gateway": "127.0.0.1",
                        "dns": ["127.0.0.1"],
                        "hostname": state.hostname,
                    },
                    "uptime": uptime_text(state.uptime()),
                },
                "serial": state.serial or "N/A",
            }
        )

    async def _status(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                **self.miner_status(),
                "find_miner": self.state.fault_light,
                "restart_required": False,
                "reboot_required": False,
                "unlocked": self.authorized(request),
            }
        )

    async def _summary(self, request: web.Request) -> web.Response:
        return web.json_response({"miner": self.summary(masked=not self.authorized(request))})

    async def _model(self, request: web.Request) -> web.Response:
        state = self.state
        chips = state.boards[0].chips if state.boards else 0
        rows = [
            [chip if chip < chips else -1 for chip in range(row * 8, row * 8 + 8)]
            for row in range(-(-chips // 8))
        ]
        return web.json_response(
            {
                "full_name": f"Antminer {state.model}",
                "model": self.model_code,
                "algorithm": "sha256d",
                "series": self.series,
                "platform": self.platform,
                "install_type": "nand",
                "hr_measure": "GH/s",
                "serial": state.serial or "N/A",
                "chain": {
                    "chips_per_chain": chips,
                    "chips_per_domain": 2,
                    "num_chains": len(state.boards),
                    "topology": {"chips": rows, "num_cols": 8, "num_rows": len(rows)},
                },
                "cooling": {
                    "min_fan_pwm": 10,
                    "min_target_temp": 20,
                    "max_target_temp": 90,
                    "fan_min_count": {"min": 1, "max": 4, "default": 4},
                },
                "overclock": {
                    "max_voltage": 1535,
                    "min_voltage": 1200,
                    "default_voltage": self.stock_volt,
                    "max_freq": 1000,
                    "min_freq": 50,
                    "default_freq": self.stock_freq,
                    "warn_freq": 850,
                    "max_voltage_stock_psu": 1500,
                },
            }
        )

    async def _chains(self, request: web.Request) -> web.Response:
        """1.2.x ``/chains``: per chip rate, frequency, voltage and temperature."""
        if self.failure is not None:
            return web.json_response([])
        state = self.state
        chains = []
        for index, board in enumerate(state.boards):
            entry = self.chain_entry(index, board)
            per_chip = entry["hashrate_rt"] / max(board.chips, 1)
            chains.append(
                {
                    "id": entry["id"],
                    "status": {"state": entry["status"]["state"]},
                    "hr_realtime": entry["hashrate_rt"],
                    "hr_nominal": entry["hashrate_ideal"],
                    "freq": entry["frequency"],
                    "sensors": [
                        {
                            "state": "measure",
                            "board": entry["pcb_temp"]["max"],
                            "chip": chip,
                            "loc": loc,
                        }
                        for loc, chip in (
                            (0, entry["chip_temp"]["max"]),
                            (40, entry["chip_temp"]["min"]),
                        )
                    ],
                    "chips": [
                        {
                            "id": chip,
                            "hr": round(per_chip, 2),
                            "freq": round(entry["frequency"]),
                            "volt": entry["voltage"] // 10,
                            "temp": float(entry["chip_temp"]["max"]),
                            "errs": 0,
                            "grade": "grey" if chip > 1 else "orange",
                            "throttled": False,
                        }
                        for chip in range(board.chips)
                    ],
                }
            )
        return web.json_response(chains)

    async def _factory_info(self, request: web.Request) -> web.Response:
        state = self.state
        if self.failure is not None:
            return web.json_response(
                {
                    "hr_stock": None,
                    "has_pics": None,
                    "psu_model": None,
                    "psu_serial": None,
                    "chains": None,
                }
            )
        return web.json_response(
            {
                "hr_stock": round(state.nominal_hashrate * 1000, 1),
                "has_pics": False,
                "psu_model": "APW12_1215a",
                "psu_serial": "N/A",
                "chains": [
                    {
                        "id": index + 1,
                        "board_model": "BHB42601",
                        "serial": f"SIMVN19BOARD{index + 1:05d}",
                        "chip_bin": 2,
                        "freq": self.stock_freq,
                        "volt": self.stock_volt,
                        "hashrate": round(board.hashrate * 1000, 1),
                    }
                    for index, board in enumerate(state.boards)
                ],
            }
        )

    def preset_switcher(self) -> dict[str, Any]:
        """The preset switcher (off)."""
        return {
            "enabled": False,
            "top_preset": None,
            "decrease_temp": 75,
            "rise_temp": 55,
            "check_time": 300,
            "autochange_top_preset": False,
            "ignore_fan_speed": False,
            "min_preset": None,
            "power_delta": 0,
        }

    async def _perf_summary(self, request: web.Request) -> web.Response:
        name, pretty, status, modded = self.preset()
        current: dict[str, Any] = {
            "name": name,
            "pretty": pretty,
            "status": status,
            "modded_psu_required": modded,
        }
        if name == "disabled":  # "Globals passed here when preset is disabled"
            current["globals"] = {"volt": self.stock_volt, "freq": self.stock_freq}
        return web.json_response(
            {"current_preset": current, "preset_switcher": self.preset_switcher()}
        )

    async def _find_miner(self, request: web.Request) -> web.Response:
        self.state.fault_light = not self.state.fault_light
        return web.json_response({"on": self.state.fault_light})

    # --- behind a token ---------------------------------------------------------------------

    async def _get_settings(self, request: web.Request) -> web.Response:
        state = self.state
        mode = (
            {"name": "immers"}
            if state.fan_mode == "immersion"
            else {
                "name": state.fan_mode if state.fan_mode in ("auto", "manual") else "auto",
                "param": state.fan_percent
                if state.fan_mode == "manual"
                else round(state.target_temperature or 60),
            }
        )
        name = self.preset()[0]
        return web.json_response(
            {
                "miner": {
                    "cooling": {
                        "mode": mode,
                        "fan_min_count": 4,
                        "fan_min_duty": 10,
                        "fan_max_duty": 100,
                    },
                    "misc": {"asic_boost": True, "downscale_preset_on_failure": False},
                    "overclock": {
                        "preset": name,
                        "modded_psu": False,
                        "globals": {"volt": self.stock_volt, "freq": self.stock_freq},
                        "chains": [
                            {"freq": 0, "disabled": False, "chips": None} for _ in state.boards
                        ],
                        "preset_switcher": self.preset_switcher(),
                    },
                    "pools": [
                        {"url": p.url, "user": p.user, "pass": p.password} for p in state.pools
                    ],
                },
                "ui": {
                    "theme": "auto",
                    "dark_side_pane": False,
                    "disable_animation": False,
                    "locale": "en",
                    "timezone": "GMT",
                    "consts": None,
                },
                "regional": {"timezone": {"current": "GMT"}},
                "network": {
                    "hostname": state.hostname,
                    "dhcp": True,
                    "ipaddress": "127.0.0.1",
                    "netmask": "255.0.0.0",
                    "gateway": "127.0.0.1",
                    "dnsservers": ["127.0.0.1"],
                },
                "layout": None,
                "password": None,
            }
        )

    async def _post_settings(self, request: web.Request) -> web.Response:
        """A known preset name is applied; anything else changes nothing, same reply."""
        body = await json_body(request)
        if body is None:
            return self.http_error(500, "Failed to parse settings")
        miner = body.get("miner") if isinstance(body, dict) else None
        overclock = miner.get("overclock") if isinstance(miner, dict) else None
        preset = overclock.get("preset") if isinstance(overclock, dict) else None
        names = {str(watts): watts for watts, _, _ in PRESETS}
        if preset == "disabled":
            self.state.work_mode, self.state.power_limit = "disabled", None
        elif isinstance(preset, str) and preset in names:
            self.state.work_mode, self.state.power_limit = preset, names[preset]
        return web.json_response({"restart_required": False, "reboot_required": False})

    async def _presets(self, request: web.Request) -> web.Response:
        presets: list[dict[str, Any]] = [
            {
                "name": "disabled",
                "pretty": "Disabled",
                "status": "untuned",
                "modded_psu_required": False,
                "tune_settings": None,
            }
        ]
        for watts, status, modded in PRESETS:
            tuned = status == "tuned"
            presets.append(
                {
                    "name": str(watts),
                    "pretty": self.pretty(watts),
                    "status": status,
                    "modded_psu_required": modded,
                    "tune_settings": {
                        "hashrate": round(
                            self.state.nominal_hashrate
                            * 1000
                            * min(watts / self.state.nominal_power, 1.0)
                        ),
                        "volt": self.stock_volt - (3250 - watts) // 50,
                        "freq": round(self.stock_freq * min(watts / self.state.nominal_power, 1.0)),
                        "chains": [],
                        "modified": False,
                    }
                    if tuned
                    else None,
                }
            )
        return web.json_response(presets)

    async def _mining(self, request: web.Request) -> web.Response:
        action = request.match_info["action"]
        if action not in ("pause", "resume", "stop", "start", "restart"):
            return self.http_error(404)
        if self.failure is not None and action == "pause":
            return self.http_error(500, PAUSE_REFUSED)
        if action in ("pause", "stop"):
            self._change_state(paused=True)
        else:
            self._change_state(paused=False)
        if action == "restart":
            return restart_answer(self.sim, request, web.Response(status=200))
        return web.Response(status=200)

    async def _reboot(self, request: web.Request) -> web.Response:
        self.sim.reboot(self.sim.reboot_seconds)
        return restart_answer(self.sim, request, web.json_response({"after": 3}))


class VNishS19(VNishWeb, AntminerS19):
    """Antminer S19 95 TH/s on VNish 1.2.6: REST on the web port, cgminer 4.11.1 on 4028."""

    name: ClassVar[str] = "vnish-s19"
    family: ClassVar[str] = "vnish"
    software: ClassVar[str] = "CGMiner"
    software_version: ClassVar[str] = "4.11.1"
    api_version: ClassVar[str] = "3.7"
    description: ClassVar[str] = "cgminer 4.11.1"
    miner_version: ClassVar[str] = "uart_trans.1.3"
    compile_time: ClassVar[str] = "Thu May 29 19:22:26 UTC 2025"
    quote_ghs: ClassVar[bool] = True
    split_stats: ClassVar[bool] = True
    reports_sleep: ClassVar[bool] = False
    supports_multicommand: ClassVar[bool] = True

    @classmethod
    def initial_state(cls) -> MinerState:
        """The stock S19 with VNish's web password ``admin``, stock preset, auto fans."""
        state = AntminerS19.initial_state()
        state.password = "admin"
        state.firmware = f"Vnish {FW_VERSION}"
        state.mac = "02:7A:A5:00:01:26"
        state.serial = None
        state.work_mode = "disabled"
        for board in state.boards:
            board.frequency = cls.stock_freq
            board.voltage = cls.stock_volt / 100
        state.pools = [
            PoolState(
                url="stratum+tcp://btc.example-pool.com:3333",
                user="vnishuser.s19",
                active=True,
                accepted=840,
                rejected=3,
            ),
            PoolState(url="stratum+tcp://backup.example-pool.com:443", user="vnishuser.s19"),
        ]
        return state

    @property
    def vnish_type(self) -> str:
        """``Type`` as VNish's cgminer reports the model."""
        return f"Antminer {self.state.model} (vnish {FW_VERSION})"

    def version_fields(self) -> dict[str, Any]:
        """``CGMiner`` and the VNish model in ``Type``."""
        return super().version_fields() | {"Type": self.vnish_type}

    def stats_entries(self) -> list[dict[str, Any]]:
        """``Cgminer`` in the first object; chain voltage and power per chain in the second."""
        head, miner = super().stats_entries()
        head = {
            "Cgminer": self.software_version,
            "Miner": self.miner_version,
            "CompileTime": self.compile_time,
            "Type": self.vnish_type,
        }
        watts = self.state.current_power() / max(len(self.state.boards), 1)
        for chain, board in self.chain_slots():
            if board is not None:
                miner[f"chain_vol{chain}"] = round(board.voltage * 100)
                miner[f"chain_consumption{chain}"] = round(watts) if self.psu_reports_power else 0
        miner["miner_version"] = self.miner_version
        miner["manual_fan_mode"] = self.state.fan_mode == "manual"
        miner["build_version"] = FW_VERSION
        return [head, miner]
