"""ePIC UMC (PowerPlay-BMS on umcOS) on an Antminer S19j Pro: HTTP on the API port (4028).

Follows the ePIC UMC API (OpenAPI 1.30.0) and replies seen from a real unit:

- ``GET /summary`` (hash boards with ``Hashrate`` as ``[MH/s, % of ideal, error %]``, fans
  in ``Fans Rpm`` with ``null`` for empty slots, input power, ``Status."Operating State"``,
  session, stratum, the stratum password in clear), ``/capabilities`` (model, ``Default
  Hashrate`` in TH/s, serials), ``/network`` (``{"dhcp": {…, "mac_address"}}``), ``/temps``,
  ``/hashrate``, ``/clocks``, ``/voltages``; no authentication for GET;
- every POST carries ``{"param": …, "password": <miner password>}`` and answers 200
  ``{"result": true, "error": null}`` or ``{"result": false, "error": "BadPassword"}``
  (``"MissingParam"`` without a needed param): ``/miner`` ``"Stop"|"Autostart"`` (any case)
  pauses/resumes, ``/identify`` true/false lights the locate LED, ``/reboot`` (param: delay
  in s, int or string or none) reboots, ``/softreboot`` restarts the mining software
  (session uptime reset; both answered as ``sim.restart_reply`` says), ``/authenticate``
  checks the password.

State: ``paused`` ("Idling" vs "Mining"), ``fault_light`` (``Misc."Locate Miner State"``),
``power_limit`` (``PresetInfo."Target Power"``), ``errors[0]`` (``Status."Last Error"``).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, ClassVar, Literal

from aiohttp import web

from simulator.personality import Personality
from simulator.state import BoardState, MinerState, PoolState

from .rest import json_body, json_reader, restart_answer

SOFTWARE = "PowerPlay-BMS v1.5.13"
FAN_SLOTS = 12


class EPicUMC(Personality):
    """Antminer S19j Pro on an ePIC UMC control board: HTTP API on 4028, password letmein."""

    name: ClassVar[str] = "epic-s19jpro"
    family: ClassVar[str] = "epic"
    api_protocol: ClassVar[Literal["tcp", "http"] | None] = "http"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """The mining session starts with the miner."""
        super().__init__(*args, **kwargs)
        self._session_start = time.monotonic()

    @classmethod
    def initial_state(cls) -> MinerState:
        """Three BM1362 boards (126 chips), three fans in slots 1-3, 3000 W target."""
        return MinerState(
            make="AntMiner",
            model="S19j Pro",
            firmware=SOFTWARE,
            mac="E6:00:00:19:4A:01",
            hostname="epic-s19jpro",
            serial=None,
            password="letmein",
            nominal_power=3050.0,
            idle_power=60.0,
            power_limit=3000,
            boards=[
                BoardState(
                    hashrate=34.7,
                    temperature=63.0 - 2 * index,
                    chip_temperature=70.0,
                    chips=126,
                    frequency=480.0,
                    voltage=13.6,
                )
                for index in range(3)
            ],
            fans=[5970, 5940, 5745],
            pools=[
                PoolState(
                    url="stratum+tcp://mine.example-pool.com:3334",
                    user="epicuser.s19jpro",
                    password="x",
                    active=True,
                    accepted=1862,
                    rejected=2,
                )
            ],
            accepted=1862,
            rejected=2,
        )

    def rebooted(self) -> None:
        """A new mining session; the miner mines again."""
        super().rebooted()
        self._session_start = time.monotonic()
        self.state.paused = False

    # --- the application ---------------------------------------------------------------------

    def api_app(self) -> web.Application:
        """The UMC's routes on the API port."""
        app = web.Application()
        for path, render in (
            ("summary", self.summary),
            ("capabilities", self.capabilities),
            ("network", self.network),
            ("temps", self.temps),
            ("hashrate", self.hashrate),
            ("clocks", self.clocks),
            ("voltages", self.voltages),
        ):
            app.router.add_get(f"/{path}", json_reader(render))
        for path in ("miner", "identify", "reboot", "softreboot", "authenticate"):
            app.router.add_post(f"/{path}", self._post)
        return app

    # --- reads ---------------------------------------------------------------------------------

    def operating_state(self) -> str:
        """ "Mining", or "Idling" once stopped."""
        return "Idling" if self.state.paused else "Mining"

    def board_rates(self, board: BoardState) -> list[float]:
        """``[MH/s, % of ideal, error %]`` of one board."""
        mhs = self.state.board_hashrate(board) * 1_000_000
        ideal = board.hashrate * 1_000_000
        return [round(mhs, 1), round(mhs / ideal * 100, 1) if ideal else 0.0, 0.8]

    def summary(self) -> dict[str, Any]:
        """``/summary``."""
        state = self.state
        boards = state.boards
        rpms: dict[str, int | None] = {
            f"Fans Speed {slot}": state.fan_rpm(slot - 1) if slot <= len(state.fans) else None
            for slot in range(1, FAN_SLOTS + 1)
        }
        total_mhs = sum(self.board_rates(board)[0] for board in boards)
        session = int(time.monotonic() - self._session_start)
        pool = next((p for p in state.pools if p.active), state.pools[0])
        return {
            "Disable Board On Failure": True,
            "Enable Boards On Idle": False,
            "Fans": {
                "Fan Mode": {"Auto": {"Idle Speed": 20, "Target Temperature": 60}}
                if state.fan_mode != "manual"
                else {"Manual": state.fan_percent},
                "Fans Speed": 100 if state.is_mining else 20,
                "Minimum Working Fans": 0,
            },
            "Fans Rpm": rpms,
            "HBStatus": [
                {"Detected": True, "Enabled": board.alive, "Index": index}
                for index, board in enumerate(boards)
            ],
            "HBs": [
                {
                    "Core Clock": [],
                    "Core Clock Avg": board.frequency,
                    "Hashrate": self.board_rates(board),
                    "Index": index,
                    "Input Current": 0.0,
                    "Input Power": 0.0,
                    "Input Voltage": board.voltage,
                    "Output Current": 0.0,
                    "Output Power": 0.0,
                    "Output Voltage": 0.0,
                    "Temperature": state.board_temperature(board),
                }
                for index, board in enumerate(boards)
                if board.alive
            ],
            "Hostname": state.hostname,
            "HwConfig": {
                "Boards Target Clock": [
                    {"Data": board.frequency, "Index": index} for index, board in enumerate(boards)
                ]
            },
            "IdleOnConnectionLost": True,
            "Last License Error": None,
            "Mining": {"Algorithm": "SHA-256", "Coin": "BTC"},
            "Misc": {
                "Critical Temp": 100.0,
                "Locate Miner State": state.fault_light,
                "Shutdown Temp": 85.0,
            },
            "OS Type": "umcOS",
            "Overdrive": False,
            "PerpetualTune": {
                "Algorithm": {
                    "VoltageOptimizer": {
                        "Min Throttle Target": 50,
                        "Optimized": True,
                        "Target": round(state.nominal_hashrate),
                        "Throttle Step": 5,
                        "Throttle Target": None,
                        "Unit": "TH/s",
                    }
                },
                "Running": state.is_mining,
            },
            "Power Supply Stats": {
                "Input Current": 0.0,
                "Input Power": round(state.current_power(), 4),
                "Input Voltage": 0.0,
                "Output Current": 0.0,
                "Output Power": 0.0,
                "Output Voltage": 13.59,
                "Target Voltage": 13600,
            },
            "PresetInfo": {"Target Power": state.power_limit},
            "Session": {
                "Accepted": state.accepted,
                "Active HBs": sum(board.alive for board in boards),
                "Average MHs": round(total_mhs, 1),
                "Difficulty": 262144.0,
                "Last Accepted Share Timer": 25,
                "Last Accepted Share Timestamp": int(time.time()) - 25,
                "Last Work Timer": 34,
                "Last Work Timestamp": int(time.time()) - 34,
                "LastAverageMHs": {"Hashrate": round(total_mhs, 1), "Timestamp": int(time.time())},
                "Rejected": state.rejected,
                "Startup String": "Wed, 13 Aug 2025 18:59:49 +0000",
                "Startup Timestamp": int(time.time()) - session,
                "Submitted": state.accepted + state.rejected,
                "Uptime": session,
                "WorkReceived": 641,
            },
            "Software": SOFTWARE,
            "Status": {
                "Last Command": None,
                "Last Command Result": None,
                "Last Error": state.errors[0] if state.errors else None,
                "Operating State": self.operating_state(),
            },
            "Stratum": {
                "Average Latency": 0.038,
                "Config Id": 0,
                "Current Pool": pool.url.split("://")[-1],
                "Current User": pool.user,
                "IsPoolConnected": pool.alive and state.is_mining,
                "Worker Unique Id": False,
                "Worker Unique Id Variant": "IpAddress",
            },
            "StratumConfigs": [
                {"login": p.user, "password": p.password, "pool": p.url} for p in state.pools
            ],
        }

    def capabilities(self) -> dict[str, Any]:
        """``/capabilities``: model, default hashrate (TH/s), serials, presets."""
        state = self.state
        return {
            "Board Serial Numbers": [
                f"SIMEPICBOARD{index:05d}" for index in range(len(state.boards))
            ],
            "Chip Type": "BM1362",
            "Chips Per Bank": 9,
            "Coins": ["BTC"],
            "Control Board Version": {
                "carrierBoardVersion": "4.1.0",
                "cpuHardware": "STM32 (Device Tree Support)",
                "cpuSerial": "0020003532325109333636FF",
                "somBoardVersion": "7.1.0",
            },
            "Default Clock": 480,
            "Default Hashrate": round(state.nominal_hashrate),
            "Default Voltage": 13600,
            "Display": ["ClksAndVoltage", "ShutdownTemp", "PerpetualTune"],
            "Max Clock Configs": 1,
            "Max HBs": 3,
            "Miner Serial Number": state.serial,
            "Model": f"{state.make} {state.model}",
            "Model Subtype": "BHB42601",
            "Performance Estimator": {"Chip Count": 126, "Hashes Per Second Per Chip": 574.0},
            "PerpetualTune": [
                {
                    "algorithm": "VoltageOptimizer",
                    "description": "",
                    "max": 150,
                    "min": 40,
                    "name": "Voltage Optimizer",
                }
            ],
            "Psu Info": {"FW": 25, "Max Vout": 15182, "Min Vout": 11877, "PSU Type": 118},
            "Temp Sensor Info": {"Count": 2, "Type": "Board"},
            "Tune Presets": [
                {"clk": 380, "hashrate": 84.0, "power": 2400, "voltage": 13200},
                {"clk": 480, "hashrate": 104.0, "power": 3050, "voltage": 13600},
            ],
            "Voltage Estimator": {"Slope": 0.0041, "Y Intercept": 11.0},
        }

    def network(self) -> dict[str, Any]:
        """``/network``: DHCP with the MAC."""
        return {
            "dhcp": {
                "address": "127.0.0.1",
                "dns": "127.0.0.1",
                "gateway": "127.0.0.1",
                "mac_address": self.state.mac.upper(),
                "netmask": "255.0.0.0",
            }
        }

    def temps(self) -> list[dict[str, Any]]:
        """``/temps``: per board, its two board sensors."""
        state = self.state
        return [
            {
                "Data": [
                    round(state.board_temperature(board) - 12, 3),
                    state.board_temperature(board),
                ],
                "Index": index,
                "Total": 0.0,
            }
            for index, board in enumerate(state.boards)
        ]

    def hashrate(self) -> list[dict[str, Any]]:
        """``/hashrate``: per board, per chip ``[MH/s, %, error %]`` and the board's total."""
        result = []
        for index, board in enumerate(self.state.boards):
            total = self.board_rates(board)
            chip = [round(total[0] / board.chips, 2), total[1], total[2]]
            result.append({"Data": [chip] * board.chips, "Index": index, "Total": total})
        return result

    def clocks(self) -> list[dict[str, Any]]:
        """``/clocks``: per board, per chip MHz."""
        return [
            {"Data": [board.frequency] * board.chips, "Index": index}
            for index, board in enumerate(self.state.boards)
        ]

    def voltages(self) -> list[dict[str, Any]]:
        """``/voltages``: per board, V."""
        return [
            {"Data": board.voltage, "Index": index} for index, board in enumerate(self.state.boards)
        ]

    # --- writes --------------------------------------------------------------------------------

    @staticmethod
    def result(ok: bool, error: Any = None) -> web.Response:
        """The UMC's ``JsonResponse``."""
        return web.json_response({"result": ok, "error": error})

    async def _post(self, request: web.Request) -> web.Response:
        body = await json_body(request)
        if not isinstance(body, dict) or not self.check_password(body.get("password")):
            return self.result(False, "BadPassword")
        command = request.path.strip("/")
        param = body.get("param")
        state = self.state
        if command == "miner":
            if not isinstance(param, str) or param.lower() not in ("stop", "autostart"):
                return self.result(False, "MissingParam")
            state.paused = param.lower() == "stop"
        elif command == "identify":
            if not isinstance(param, bool):
                return self.result(False, "MissingParam")
            state.fault_light = param
        elif command == "reboot":
            delay = int(param) if isinstance(param, int | str) and str(param).isdigit() else 0
            self.sim.spawn(self._reboot_after(delay), "reboot")
            return restart_answer(self.sim, request, self.result(True))
        elif command == "softreboot":
            self._session_start = time.monotonic()
            return restart_answer(self.sim, request, self.result(True))
        return self.result(True)

    async def _reboot_after(self, delay: float) -> None:
        await asyncio.sleep(delay)
        self.sim.reboot(self.sim.reboot_seconds)
