"""LuxOS (LUXminer) on an Antminer S19j Pro, as Luxor documents its API and real units answer.

Shapes from Luxor's API pages (``temps`` with ``METADATA`` sensor labels, ``fans`` with
``FANCTRL``, sessions expiring after a minute of disuse, ``profileset`` answering ``PROFILE``,
``+`` joins of commands without parameters) and replies of a real S19k Pro on LUXminer 2025.4
(``version`` with ``Miner``/``CompileTime``/``Type``; ``config`` with ``RedLed``/``GreenLed``
``auto``, ``MACAddr``, ``Profile``; ``stats`` written as stock Antminer firmware writes it but
as valid JSON, the first object without a software key, an empty fourth chain with rate
``"0"``, ``temp_chipN`` equal to ``temp_pcbN`` (LuxOS shows board temperatures only),
``miner_id`` the MAC without colons; ``devs`` out of order; ``fans`` with labels such as
``"FAN4"`` in ``FAN``; ``power`` ``Watts``/``PSU``; pools in groups, ``Long Pool`` sic):

- read commands: ``version``, ``summary``, ``stats``, ``devs``, ``devdetails``, ``pools``,
  ``groups``, ``config``, ``power``, ``profiles``, ``fans``, ``temps``, ``tempctrl``, ``atm``;
- session-protected controls: ``logon`` opens the one session (``session`` shows it, refused
  while another is open), and ``curtail``, ``rebootdevice``, ``resetminer``, ``ledset``
  (``red,on|off|blink``), ``profileset``, ``fanset`` and ``tempctrlset`` take
  ``<session id>,<arguments>``; a wrong or expired id is refused with "Invalid session id";
  ``logoff`` closes it.
- ``fanset`` (Luxor's ``fanset`` page): ``key=value`` pairs ``speed`` (0-100 % fixed, -1
  automatic), ``min_fans``, ``power_off_speed``, or the legacy ``<speed>,<min_fans>``; refused
  by a unit without fans (hydro). ``fans`` then shows the fixed duty, ``tempctrl`` ``Mode``
  ``Manual`` (``Automatic`` otherwise; the field pyasic reads for LuxOS's fan mode).
- ``tempctrlset`` (Luxor's ``tempctrlset`` page): ``target_temp``, ``hot_temp``,
  ``dangerous_temp`` as ``key=value`` pairs (the others of the page accepted and kept), or the
  legacy ``<target>,<hot>,<dangerous>``; refused when a later one is lower than an earlier one;
  answers ``TEMPCTRL`` as ``tempctrl`` does. The replies' codes and messages beyond Luxor's
  examples (``fanset``'s, the refusals') are not published: ours are made up.

``cooling = "Hydro"`` (a class attribute) labels the board sensors as a hydro unit's: water
inlet and outlet.
"""

from __future__ import annotations

import secrets
import time
from typing import Any, ClassVar

from simulator.personality import Reply
from simulator.state import BoardState, MinerState, PoolState

from .cgminer import CGMinerPersonality

#: name -> watts; the autotuned profiles of an S19j Pro.
PROFILES = {"-2": 2600, "-1": 2900, "default": 3250, "+1": 3500, "+2": 3800}
#: ``temps`` sensor labels: (air-cooled, hydro), by sensor position (luxminer's field names).
SENSOR_LABELS = {
    "TopLeft": ("Board Exhaust (top)", "Board Inlet"),
    "TopRight": ("Board Intake (top)", "Water Outlet"),
    "BottomLeft": ("Board Exhaust (bottom)", "Board Outlet"),
    "BottomRight": ("Board Intake (bottom)", "Water Inlet"),
}
#: Hydro units: the water temperatures their inlet and outlet sensors read (°C).
WATER = {"Water Inlet": 38.0, "Water Outlet": 47.0}


class LuxOS(CGMinerPersonality):
    """LUXminer 2024.5 on an S19j Pro (chains 1-3, and an empty fourth)."""

    name: ClassVar[str] = "luxos"
    family: ClassVar[str] = "luxos"
    software: ClassVar[str] = "LUXminer"
    software_version: ClassVar[str] = "2024.5.1.155025-f5e4c9ee"
    miner_version: ClassVar[str] = "2024.5.1.155025"
    compile_time: ClassVar[str] = "Wed May  1 15:50:25 UTC 2024"
    api_version: ClassVar[str] = "3.7"
    description: ClassVar[str] = "LUXminer 2024.5.1.155025-f5e4c9ee"
    supports_multicommand: ClassVar[bool] = True
    #: The chains stats lists: the model's three and the empty fourth connector.
    chain_count: ClassVar[int] = 4
    cooling: ClassVar[str] = "Air"
    fan_labels: ClassVar[tuple[str, ...]] = ("FAN4", "FAN2", "FAN1", "FAN3")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """No session yet; the default profile; the LEDs under the firmware's control."""
        super().__init__(*args, **kwargs)
        self.session_id = ""
        self.session_used = 0.0
        self.session_timeout = 60.0
        self.profile = "default"
        #: name -> watts the firmware offers now (a test may re-tune them).
        self.profiles: dict[str, float] = dict(PROFILES)
        #: ``RedLed`` while the fault light is off: ``auto`` (the firmware's) until set ``off``.
        self.red_led_rest = "auto"
        #: ``RedLed`` while it is lit: ``blink`` or ``on``.
        self.red_led_lit = "blink"
        #: The fans' duty in % under automatic control (``state.fan_percent`` when manual).
        self.fan_duty = 45
        #: Target (unless ``state.target_temperature``), hot and dangerous board temperatures.
        self.temperature_control = (70, 80, 90)
        self.reboot_seconds = 1.0

    @classmethod
    def initial_state(cls) -> MinerState:
        """Three S19j Pro boards (126 chips), four fans, the 3250 W default profile."""
        return MinerState(
            make="Antminer",
            model="S19j Pro",
            firmware=cls.software_version,
            mac="02:1c:05:00:00:01",
            hostname="luxos-miner",
            serial="LUXS19JPRO0001",
            nominal_power=3250.0,
            idle_power=20.0,
            power_limit=PROFILES["default"],
            boards=[
                BoardState(hashrate=34.0, temperature=60.0, chip_temperature=72.0, chips=126)
                for _ in range(3)
            ],
            fans=[4200, 4260, 4180, 4220],
            pools=[
                PoolState(
                    url="stratum+tcp://btc.luxor.tech:700",
                    user="luxor.worker1",
                    active=True,
                    accepted=7000,
                    rejected=8,
                ),
                PoolState(url="stratum+tcp://btc.global.luxor.tech:700", user="luxor.worker1"),
            ],
        )

    @staticmethod
    def sorted_keys(fields: dict[str, Any]) -> dict[str, Any]:
        """LUXminer writes keys in alphabetical order."""
        return dict(sorted(fields.items()))

    def model_type(self) -> str:
        """``Type``: make and model."""
        return f"{self.state.make} {self.state.model}"

    def version_fields(self) -> dict[str, Any]:
        """LUXminer and Miner versions, build time and the model as ``Type``."""
        return {
            "API": self.api_version,
            "CompileTime": self.compile_time,
            self.software: self.software_version,
            "Miner": self.miner_version,
            "Type": self.model_type(),
        }

    def summary_fields(self) -> dict[str, Any]:
        """GH/s over every window LUXminer keeps; ``GHS av`` since the start."""
        fields = super().summary_fields()
        ghs = round(self.state.current_hashrate() * 1000, 2)
        for window in ("5s", "1m", "5m", "15m"):
            fields.pop(f"MHS {window}")
        fields.pop("MHS av")
        windows = ("5s", "1m", "5m", "15m", "30m", "24h", "av")
        return self.sorted_keys({**fields, **{f"GHS {window}": ghs for window in windows}})

    def dev_fields(self, index: int, board: BoardState) -> dict[str, Any]:
        """Board, connector, serial, nominal rate and profile per board."""
        fields = super().dev_fields(index, board)
        fields["Name"] = ""
        fields.update(
            {
                "Board": "BHB56903",
                "Connector": f"J{7 + index}",
                "Nominal MHS": board.hashrate * 1_000_000,
                "Profile": self.profile,
                "SerialNumber": f"{self.state.serial}B{index}",
                "MHS 30m": fields["MHS 15m"],
                "MHS 60m": fields["MHS 15m"],
                "IsRamping": False,
                "IsUserShutdown": False,
            }
        )
        return self.sorted_keys(fields)

    def cmd_devs(self, parameter: str | None) -> Reply:
        """LUXminer lists the boards out of order (the last one first)."""
        boards = self.state.boards
        items = [self.dev_fields(index, board) for index, board in enumerate(boards)]
        return self.ok(9, f"{len(items)} ASC(s)", "DEVS", items[-1:] + items[:-1])

    def pool_fields(self, index: int, pool: PoolState) -> dict[str, Any]:
        """Pools in group 0, ``Long Pool`` (sic) and ``Pool Stale%`` with one ``%``."""
        fields = super().pool_fields(index, pool)
        fields["Long Pool"] = fields.pop("Long Poll")
        fields["Pool Stale%"] = fields.pop("Pool Stale%%")
        fields.update({"GROUP": 0, "AsicBoost": True, "Diff": "64K"})
        return self.sorted_keys(fields)

    # --- stats: stock Antminer's layout, as valid JSON ---------------------------------------

    def chain_fields(self) -> dict[str, Any]:
        """Per chain (1..chain_count): chips, chip map, rate (GH/s), sensors; empty chains read
        0 chips, rate ``"0"`` and ``0-0-0-0``; ``temp_chipN`` repeats ``temp_pcbN``."""
        state = self.state
        fields: dict[str, Any] = {}
        for chain in range(1, max(self.chain_count, len(state.boards)) + 1):
            board = state.boards[chain - 1] if chain <= len(state.boards) else None
            if board is None:
                sensors, rate, chips, chip_map = "0-0-0-0", "0", 0, ""
                freq, temp = 0.0, 0.0
            else:
                pcb = round(state.board_temperature(board))
                sensors = f"{pcb}-{pcb - 13}-{pcb - 13}-{pcb}"
                rate = f"{state.board_hashrate(board) * 1000:.2f}"
                chips = board.chips
                chip_map = " " + " ".join(["oooo"] * (chips // 4))
                freq, temp = float(board.frequency), float(pcb)
            fields |= {
                f"chain_acn{chain}": chips,
                f"chain_acs{chain}": chip_map,
                f"chain_hw{chain}": 0,
                f"chain_rate{chain}": rate,
                f"freq{chain}": freq,
                f"temp_chip{chain}": sensors,
                f"temp_pcb{chain}": sensors,
                f"temp_pic{chain}": sensors,
            }
            if board is not None:
                fields |= {f"temp{chain}": temp, f"temp2_{chain}": temp}
        return fields

    def stats_entries(self) -> list[dict[str, Any]]:
        """[the version object (no software key), the miner object]."""
        state = self.state
        ghs = round(state.current_hashrate() * 1000, 2)
        fans = {f"fan{slot + 1}": state.fan_rpm(slot) for slot in range(len(state.fans))}
        miner = {
            "Calls": 0,
            "Elapsed": state.uptime(),
            "GHS 5s": ghs,
            "GHS av": ghs,
            "ID": "BTM_SOC0",
            "Max": 0,
            "Min": 99999999,
            "Mode": 2,
            "STATS": 0,
            "Wait": 0,
            **self.chain_fields(),
            **fans,
            "fan_num": len(state.fans),
            "frequency": state.boards[0].frequency if state.boards else 0,
            "miner_count": len(state.boards),
            "miner_id": state.mac.replace(":", "").lower(),
            "miner_version": self.miner_version,
            "rate_30m": ghs,
            "rate_unit": "GH",
            "temp_max": max((round(state.board_temperature(b)) for b in state.boards), default=0),
            "temp_num": len(state.boards),
            "total rate": ghs,
            "total_acn": sum(board.chips for board in state.boards),
            "total_rateideal": round(state.nominal_hashrate * 1000, 2),
        }
        return [
            {
                "CompileTime": self.compile_time,
                "Miner": self.miner_version,
                "Type": self.model_type(),
            },
            self.sorted_keys(miner),
        ]

    # --- LuxOS read commands -----------------------------------------------------------------

    def red_led(self) -> str:
        """``RedLed`` as ``config`` reports it."""
        return self.red_led_lit if self.state.fault_light else self.red_led_rest

    def cmd_config(self, parameter: str | None) -> Reply:
        """Identity, network, current profile, LEDs, curtail and cooling state."""
        state = self.state
        item = {
            "ASC Count": len(state.boards),
            "ControlBoardType": "amlogic",
            "Cooling": self.cooling,
            "CurtailMode": "Sleep" if state.paused else "None",
            "DHCP": True,
            "GreenLed": "auto",
            "Hostname": state.hostname,
            "ImmersionMode": False,
            "IsAtmEnabled": False,
            "IsTuning": False,
            "MACAddr": state.mac.lower(),
            "Model": self.model_type(),
            "NameplateTHS": state.nominal_hashrate,
            "OS": "LuxOS",
            "PGA Count": 0,
            "Pool Count": len(state.pools),
            "Profile": self.profile,
            "ProfileStep": "0",
            "RedLed": self.red_led(),
            "SerialNumber": state.serial,
            "Strategy": "Failover",
            "SystemStatus": "Normal",
        }
        return self.ok(33, "LUXminer config", "CONFIG", [item])

    def cmd_devdetails(self, parameter: str | None) -> Reply:
        """Per board: chips, cores, frequency, voltage, model, board, serial, profile."""
        items = [
            {
                "Board": "BHB56903",
                "Chips": board.chips,
                "Cores": board.chips * 8,
                "DEVDETAILS": index,
                "Frequency": board.frequency,
                "ID": index,
                "Model": self.model_type(),
                "Profile": self.profile,
                "SerialNumber": f"{self.state.serial}B{index}",
                "Voltage": board.voltage,
            }
            for index, board in enumerate(self.state.boards)
        ]
        return self.ok(69, "Device Details", "DEVDETAILS", items)

    def cmd_power(self, parameter: str | None) -> Reply:
        """The power estimate (``PSU`` false: not read from the power supply)."""
        watts = round(self.state.current_power())
        return self.ok(311, "Power usage", "POWER", [{"PSU": False, "Watts": watts}])

    def cmd_profiles(self, parameter: str | None) -> Reply:
        """The profiles the firmware offers, the current one tuned."""
        items = [
            {
                "CanRestore": True,
                "Frequency": 500 + 25 * index,
                "HasOverrides": False,
                "Hashrate": round(self.state.nominal_hashrate * watts / 3250, 1),
                "IsDynamic": True,
                "IsTuned": name == self.profile,
                "Profile Name": name,
                "Step": str(index - 2),
                "Voltage": round(13.2 + 0.2 * index, 2),
                "Watts": watts,
            }
            for index, (name, watts) in enumerate(self.profiles.items())
        ]
        return self.ok(323, "List profiles", "PROFILES", items)

    def cmd_fans(self, parameter: str | None) -> Reply:
        """Fan control settings and each fan by label, RPM and duty."""
        items = [
            {
                "FAN": self.fan_labels[index] if index < len(self.fan_labels) else f"FAN{index}",
                "ID": index,
                "RPM": self.state.fan_rpm(index),
                "Speed": self.state.fan_percent
                if self.state.fan_mode == "manual"
                else self.fan_duty,
            }
            for index in range(len(self.state.fans))
        ]
        reply = self.ok(202, f"{len(items)} Fan(s)", "FANS", items)
        reply["FANCTRL"] = [{"MinFans": 3, "PowerOffSpeed": 20}]
        return reply

    def cmd_temps(self, parameter: str | None) -> Reply:
        """Four sensors per board, labelled in ``METADATA``; boards out of order."""
        hydro = self.cooling == "Hydro"
        labels = {
            position: {"Label": pair[hydro], "Position": [index // 2, index % 2]}
            for index, (position, pair) in enumerate(SENSOR_LABELS.items())
        }
        items = []
        for index, board in enumerate(self.state.boards):
            pcb = self.state.board_temperature(board)
            item: dict[str, Any] = {"ID": index, "TEMP": index}
            for position, pair in SENSOR_LABELS.items():
                label = pair[hydro]
                item[position] = WATER.get(label, pcb) if hydro else pcb
            items.append(item)
        reply = self.ok(201, f"{len(items)} Temp(s)", "TEMPS", items[1:] + items[:1])
        reply["METADATA"] = [labels]
        return reply

    def tempctrl_item(self) -> dict[str, Any]:
        """The board temperature thresholds the fan and overtemp control use, and whether the
        fans run under luxminer's control (``Mode``)."""
        target, hot, dangerous = self.temperature_control
        return {
            "Dangerous": dangerous,
            "Hot": hot,
            "Mode": "Manual" if self.state.fan_mode == "manual" else "Automatic",
            "Target": self.state.target_temperature or target,
        }

    def cmd_tempctrl(self, parameter: str | None) -> Reply:
        """The temperature control settings."""
        return self.ok(200, "Temperature control", "TEMPCTRL", [self.tempctrl_item()])

    def cmd_groups(self, parameter: str | None) -> Reply:
        """One pool group holding every pool."""
        item = {"GROUP": 0, "Name": "Default", "Quota": 1}
        return self.ok(325, "1 Group(s)", "GROUPS", [item])

    def cmd_atm(self, parameter: str | None) -> Reply:
        """Advanced Thermal Management, disabled."""
        item = {
            "ChipTempWindow": 8.0,
            "Enabled": False,
            "MaxProfile": "default",
            "MaxProfileStep": "0",
            "MinProfile": "",
            "PostRampMinutes": 15,
            "StartupMinutes": 15,
            "TempWindow": 5.0,
            "WaterInletTempWindow": 7.0,
        }
        return self.ok(339, "ATM configuration values", "ATM", [item])

    def cmd_session(self, parameter: str | None) -> Reply:
        """The open session's id, empty when none."""
        self._expire_session()
        return self.ok(319, "Session information", "SESSION", [{"SessionID": self.session_id}])

    def cmd_logon(self, parameter: str | None) -> Reply:
        """Open the session; refused while another one is open."""
        self._expire_session()
        if self.session_id:
            return self.error(304, "Another session is active")
        self.session_id = secrets.token_hex(4)
        self.session_used = time.monotonic()
        return self.ok(316, "Session created", "SESSION", [{"SessionID": self.session_id}])

    def cmd_logoff(self, parameter: str | None) -> Reply:
        """Close the session."""
        if self._session_args(parameter) is None:
            return self.error(306, "Invalid session id")
        self.session_id = ""
        return self.ok(317, "Session terminated")

    # --- session-protected controls ----------------------------------------------------------

    def _expire_session(self) -> None:
        if self.session_id and time.monotonic() - self.session_used > self.session_timeout:
            self.session_id = ""

    def _session_args(self, parameter: str | None) -> list[str] | None:
        """The arguments after a valid session id (its use renews it), or None when the id is
        wrong or expired."""
        self._expire_session()
        parts = (parameter or "").split(",")
        if not self.session_id or parts[0] != self.session_id:
            return None
        self.session_used = time.monotonic()
        return parts[1:]

    def cmd_curtail(self, parameter: str | None) -> Reply:
        """``<sid>,sleep`` stops hashing, ``<sid>,wakeup`` resumes."""
        args = self._session_args(parameter)
        if args is None:
            return self.error(306, "Invalid session id")
        if args[:1] == ["sleep"]:
            self.state.paused = True
        elif args[:1] == ["wakeup"]:
            self.state.paused = False
        else:
            return self.error(308, "Invalid curtail mode")
        return self.ok(309, f"Curtail {args[0]}")

    def cmd_rebootdevice(self, parameter: str | None) -> Reply:
        """Reboot the control board after answering."""
        if self._session_args(parameter) is None:
            return self.error(306, "Invalid session id")
        self.session_id = ""
        self.sim.reboot(self.reboot_seconds)
        return self.restart_reply(self.ok(310, "Rebooting"))

    def cmd_resetminer(self, parameter: str | None) -> Reply:
        """Restart LUXminer (uptime starts again)."""
        if self._session_args(parameter) is None:
            return self.error(306, "Invalid session id")
        self.state.reset_uptime()
        return self.restart_reply(self.ok(311, "Resetting miner"))

    def cmd_ledset(self, parameter: str | None) -> Reply:
        """``<sid>,red,on|off|blink``."""
        args = self._session_args(parameter)
        if args is None:
            return self.error(306, "Invalid session id")
        if args[:1] != ["red"] or args[1:2] not in (["on"], ["off"], ["blink"]):
            return self.error(314, "Invalid LED parameters")
        if args[1] == "off":
            self.red_led_rest = "off"
            self.state.fault_light = False
        else:
            self.red_led_lit = args[1]
            self.state.fault_light = True
        return self.ok(315, "LED set")

    @staticmethod
    def _keyed(args: list[str]) -> dict[str, str] | None:
        """``key=value`` arguments as a dict; None when any is not one (the legacy form)."""
        pairs = [arg.split("=", 1) for arg in args]
        if not pairs or any(len(pair) != 2 for pair in pairs):
            return None
        return {key.strip(): value.strip() for key, value in pairs}

    def cmd_fanset(self, parameter: str | None) -> Reply:
        """``<sid>,speed=<n>[,min_fans=<n>][,power_off_speed=<n>]`` or ``<sid>,<speed>,<min>``:
        ``speed`` -1 hands the fans to luxminer, 0-100 fixes their duty."""
        args = self._session_args(parameter)
        if args is None:
            return self.error(306, "Invalid session id")
        if not self.state.fans:
            return self.error(328, "This machine does not have fans")
        keyed = self._keyed(args)
        settings = (
            keyed if keyed is not None else dict(zip(("speed", "min_fans"), args, strict=False))
        )
        unknown = set(settings) - {"speed", "min_fans", "power_off_speed", "min_speed", "max_speed"}
        try:
            speed = int(settings["speed"]) if "speed" in settings else None
        except ValueError:
            speed = -2
        if unknown or not settings or (speed is not None and not -1 <= speed <= 100):
            return self.error(327, "Invalid fan control parameters")
        if speed == -1:
            self.state.fan_mode = "auto"
        elif speed is not None:
            self.state.fan_mode, self.state.fan_percent = "manual", speed
        return self.ok(326, "Set fan control")

    def cmd_tempctrlset(self, parameter: str | None) -> Reply:
        """``<sid>,target_temp=…,hot_temp=…,dangerous_temp=…`` (any of them) or the legacy
        ``<sid>,<target>,<hot>,<dangerous>``; target <= hot <= dangerous."""
        args = self._session_args(parameter)
        if args is None:
            return self.error(306, "Invalid session id")
        target, hot, dangerous = self.temperature_control
        target = int(self.state.target_temperature or target)
        keyed = self._keyed(args)
        names = ("target_temp", "hot_temp", "dangerous_temp")
        settings = keyed if keyed is not None else dict(zip(names, args, strict=False))
        others = {"chip_hot_temp", "chip_dangerous_temp", "water_inlet_dangerous_temp"}
        try:
            values = {key: int(value) for key, value in settings.items() if value}
        except ValueError:
            return self.error(331, "Invalid temperature control parameters")
        if not values or set(values) - set(names) - others:
            return self.error(331, "Invalid temperature control parameters")
        target = values.get("target_temp", target)
        hot = values.get("hot_temp", hot)
        dangerous = values.get("dangerous_temp", dangerous)
        if not target <= hot <= dangerous:
            return self.error(331, "Invalid temperature control parameters")
        self.temperature_control = (target, hot, dangerous)
        self.state.target_temperature = target
        return self.ok(330, "Set temperature control", "TEMPCTRL", [self.tempctrl_item()])

    def cmd_profileset(self, parameter: str | None) -> Reply:
        """``<sid>,<profile>``: the profile's power becomes the limit."""
        args = self._session_args(parameter)
        if args is None:
            return self.error(306, "Invalid session id")
        if not args or args[0] not in self.profiles:
            return self.error(313, f"Invalid profile {args[0] if args else ''}")
        self.profile = args[0]
        self.state.power_limit = round(self.profiles[args[0]])
        item = {"Board": 0, "FrequencyStep": 5, "Profile": args[0], "VoltageStep": 0.05}
        return self.ok(321, "Profile Set", "PROFILE", [item])
