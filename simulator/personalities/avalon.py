"""Canaan Avalon (cgminer 4.11.1 with Canaan's driver): the AvalonMiner A-series and the home
units Nano 3S, Mini 3 and Q.

Real-firmware facts reproduced here (sources: Canaan's A10 API manual, an Avalon Q capture,
public Nano 3S replies, public Avalon clients):
- one ``MM ID0`` string of ``Key[value]`` fields holds the readings, in ``estats`` and
  ``stats`` alike; ``stats`` (and ``estats``) end with cgminer's ``POOL<n>`` entries, each with
  its ``Elapsed``. The Q writes the new layout: key ``MM ID0:Summary``, a ``'STATS':{…}``
  wrapper, a ``Nonce Mask[25]`` field, and the per-chip lists in a separate ``HBinfo`` key; it
  also answers ``litestats`` (the ``MM ID`` key alone). The Nano 3S (firmware 25021401) keeps
  the classic ``MM ID0`` key with the home-unit fields; the Mini 3 speaks the new layout;
- ``devs`` is one ``ASC 0`` device with numbers (``Temperature`` 0.0 on home units, -273.0
  on the A-series: no sensor), never one device per board;
- the measured wall power is the 7th ``PS[…]`` element (and ``WALLPOWER`` on the A-series,
  equal to it); ``MPO`` is the work mode's nominal power (a setting);
- the A-series' summary has ``MHS 30s`` instead of ``MHS 5s``; ``MHS av`` and ``GHSavg``/
  ``MGHS`` are averages that stay up while a paused unit hashes nothing;
- soft off (``SoftOFF[4]``, ``SYSTEMSTATU[Work: In Idle, …]``): ``TMax[0] TAvg[0]``, fans at
  0 rpm on home units, ``GHSspd[0.00]``; ``version`` has ``LVERSION``/``BVERSION``/
  ``CGVERSION`` on home units (the A-series: ``VERSION``); the pools reply carries each pool's
  ``Password``;
- ``ascset`` success is ``I``/118 "ASC 0 set info: success softoff:<ts>" for soft off/on,
  ``S``/119 "ASC 0 set OK" for settings, ``E``/120 "ASC 0 set failed: …" for a refusal; each
  model answers only its own options (the Q's help lists no ``target-temp`` or ``led``);
- Canaan's home-unit API has no ``restart`` command; the A-series' cgminer has it;
- a soft off/on takes effect at once here (real firmware at the ``1:<timestamp>`` given), and
  a work mode at once (the A-series' manual says after a reboot).
"""

from __future__ import annotations

from dataclasses import dataclass
import time
from typing import Any, ClassVar

from simulator.personality import Reply
from simulator.state import BoardState, MinerState, PoolState

from .cgminer import CGMinerPersonality

#: ``SoftOFF`` while in standby (the value the Q capture shows).
SOFT_OFF = 4


@dataclass(frozen=True)
class Mode:
    """One work mode (or level): its fraction of the unit's full power and hashrate, its
    ``WORKMODE`` value and the target temperature it starts with."""

    value: int
    fraction: float
    target: int = 0


def _spread(count: int, base: float, index: int) -> str:
    """A deterministic spread of per-chip values around ``base`` (the ``PVT_T`` lists)."""
    return " ".join(f"{round(base + ((chip * 7 + index * 3) % 9) - 4):3d}" for chip in range(count))


class _Canaan(CGMinerPersonality):
    """What every Avalon shares: Canaan's cgminer API, ``ascset``, the ``MM ID`` text."""

    family: ClassVar[str] = "avalon"
    device_kind: ClassVar[str] = "ASC"
    driver: ClassVar[str] = "AVALON"
    product: ClassVar[str]
    model_code: ClassVar[str]
    hwtype: ClassVar[str]
    dna: ClassVar[str]
    #: The key of the ``MM ID`` text in ``stats``; the new layout wraps it in ``'STATS':{…}``.
    mm_key: ClassVar[str] = "MM ID0"
    wrapped: ClassVar[bool] = False
    #: Per-chip lists in a separate ``HBinfo`` key (new layout) or inside the text.
    hb_info: ClassVar[bool] = False
    #: Work modes by name (``WORKMODE``); the first is not the initial one unless said.
    work_modes: ClassVar[dict[str, Mode]]
    initial_mode: ClassVar[str]
    #: Work levels by name (``WORKLEVEL``), where the model has them.
    work_levels: ClassVar[dict[str, Mode]] = {}
    #: The ``ascset`` options this model answers.
    options: ClassVar[frozenset[str]]
    #: Fan rpm at 100 % duty, and the duty the automatic control holds while mining.
    fan_max_rpm: ClassVar[int] = 6000
    auto_duty: ClassVar[int] = 50
    #: Whether ``softon`` closes the connection without a reply (seen on a Q by asic-rs).
    softon_closes: ClassVar[bool] = False
    #: The summary's windows (the A-series has 30 s instead of 5 s).
    windows: ClassVar[tuple[str, ...]] = ("5s", "1m", "5m", "15m")
    #: ``devs`` ``Temperature`` (no sensor: 0.0 on home units, -273.0 on the A-series).
    devs_temperature: ClassVar[float] = 0.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Settings the state has no field for: level, soft off/on times, LED effect, LCD;
        the target temperature starts at the mode's default."""
        super().__init__(*args, **kwargs)
        self.state.serial = self.dna  # the unit's unique number: its serial (redacted)
        self.level = next(iter(self.work_levels), None)
        self.state.target_temperature = self.mode().target
        self.soft_off_time = self.soft_on_time = int(time.time()) - 3600
        self.lcd_on = True
        self.led_effect = 1
        self.average_ths = self.mode_hashrate() * 0.99
        self._apply_mode()

    def rebooted(self) -> None:
        """Back from a reboot: the target temperature is the mode's default again."""
        super().rebooted()
        self.state.target_temperature = self.mode().target

    # --- state helpers ---------------------------------------------------------------------

    def mode(self) -> Mode:
        """The current work mode."""
        return self.work_modes[self.state.work_mode or self.initial_mode]

    def fraction(self) -> float:
        """The current mode's (and level's) share of full power and hashrate."""
        level = self.work_levels.get(self.level or "")
        return self.mode().fraction * (level.fraction if level else 1.0)

    def mode_hashrate(self) -> float:
        """TH/s the current mode aims at (``GHSmm``)."""
        return self.state.nominal_hashrate * self.fraction()

    def _apply_mode(self) -> None:
        """The mode's nominal power is the limit the state scales hashrate and power by."""
        self.state.power_limit = round(self.state.nominal_power * self.fraction())

    def mining(self) -> bool:
        """Hashing now."""
        return self.state.is_mining

    def current_ths(self) -> float:
        """The freshest rate (0 while soft-off)."""
        rate = self.state.current_hashrate()
        if rate > 0:
            self.average_ths = self.mode_hashrate() * 0.99
        return rate

    def duty(self) -> int:
        """Fan duty in % (0 while a home unit idles)."""
        if not self.mining():
            return 0
        return self.state.fan_percent if self.state.fan_mode == "manual" else self.auto_duty

    def fan_rpm(self, index: int) -> int:
        """Fan speed: the duty's share of the fan's maximum (0 rpm while a home unit idles)."""
        if not self.mining():
            return 0
        base = self.state.fan_rpm(index)
        if self.state.fan_mode != "manual":
            return base
        return round(self.fan_max_rpm * self.state.fan_percent / 100)

    def wall_power(self) -> int:
        """W at the wall."""
        return round(self.state.current_power())

    def board_averages(self) -> list[float]:
        """GH/s per board on average (``MGHS``: the same average ``GHSavg`` sums)."""
        total = self.state.nominal_hashrate or 1.0
        return [
            round(self.average_ths * 1000 * board.hashrate / total, 2)
            for board in self.state.boards
        ]

    def per_chip(self, name: str, board: BoardState, index: int) -> str:
        """One per-chip list of a board: ``PVT_T`` (°C), ``PVT_V`` (mV/10) or ``MW`` (work)."""
        if name == "PVT_T":
            return _spread(board.chips, board.chip_temperature - 6, index)
        if name == "PVT_V":
            return " ".join(str(280 + (chip * 5 + index) % 9) for chip in range(board.chips))
        return " ".join(str(560 + (chip * 13 + index) % 97) for chip in range(board.chips))

    # --- the MM ID text --------------------------------------------------------------------

    def mm_fields(self) -> list[tuple[str, str]]:
        """The module's fields in the firmware's order."""
        raise NotImplementedError

    def mm_text(self) -> str:
        """The ``MM ID`` string."""
        body = " ".join(f"{key}[{value}]" for key, value in self.mm_fields())
        return "'STATS':{" + body + "}" if self.wrapped else body

    def hb_text(self) -> str:
        """The ``HBinfo`` string: each board's per-chip lists."""
        return " ".join(
            f"'HB{index}':{{"
            + " ".join(
                f"{name}{index}[{self.per_chip(name, board, index)}]"
                for name in ("PVT_T", "PVT_V", "MW")
            )
            + "}"
            for index, board in enumerate(self.state.boards)
        )

    def chip_fields(self) -> list[tuple[str, str]]:
        """Per-chip lists inside the text (classic layout)."""
        return [
            (f"{name}{index}", self.per_chip(name, board, index))
            for name in ("PVT_T", "PVT_V", "MW")
            for index, board in enumerate(self.state.boards)
        ]

    def work_status(self) -> str:
        """``SYSTEMSTATU``."""
        work = "In Work" if self.mining() else "In Idle"
        return f"Work: {work}, Hash Board: {len(self.state.boards)}"

    # --- replies ---------------------------------------------------------------------------

    def version_fields(self) -> dict[str, Any]:
        """Canaan's VERSION object: PROD, MODEL, hardware/software types, DNA, MAC."""
        firmware = self.state.firmware
        return {
            "CGMiner": self.software_version,
            "API": self.api_version,
            "PROD": self.product,
            "MODEL": self.model_code,
            "HWTYPE": self.hwtype,
            "SWTYPE": "MM319",
            "LVERSION": firmware,
            "BVERSION": firmware,
            "CGVERSION": firmware,
            "DNA": self.dna,
            "MAC": self.state.mac.replace(":", "").lower(),
            "UPAPI": "2",
        }

    def summary_fields(self) -> dict[str, Any]:
        """Windows are current; ``MHS av`` is the run's average (kept while idle)."""
        fields = super().summary_fields()
        mhs = round(self.current_ths() * 1_000_000, 2)
        for window in ("5s", "1m", "5m", "15m"):
            del fields[f"MHS {window}"]
        fields["MHS av"] = round(self.average_ths * 1_000_000, 2)
        for window in self.windows:
            fields[f"MHS {window}"] = mhs
        fields["Found Blocks"] = 0
        fields["Best Share"] = 354914572
        return fields

    def cmd_devs(self, parameter: str | None) -> Reply:
        """One ``ASC 0`` for the whole unit, numbers only."""
        mhs = round(self.current_ths() * 1_000_000, 2)
        device = {
            "ASC": 0,
            "Name": self.driver,
            "ID": 0,
            "Enabled": "Y",
            "Status": "Alive",
            "Temperature": self.devs_temperature,
            "MHS av": round(self.average_ths * 1_000_000, 2),
            **{f"MHS {window}": mhs for window in self.windows},
            "Accepted": self.state.accepted,
            "Rejected": self.state.rejected,
            "Hardware Errors": 0,
            "Utility": 1.4,
            "Last Share Pool": 0,
            "Last Share Time": 31279,
            "Total MH": 1679772288024.0,
            "Diff1 Work": 391888896,
            "Difficulty Accepted": 368550176.0,
            "Difficulty Rejected": 786432.0,
            "Last Share Difficulty": 524288.0,
            "Last Valid Work": int(time.time()),
            "Device Hardware%": 0.0,
            "Device Rejected%": 0.2007,
            "Device Elapsed": self.state.uptime(),
        }
        return self.ok(9, "1 ASC(s)", "DEVS", [device])

    def cmd_devdetails(self, parameter: str | None) -> Reply:
        """One device, driver ``avalon``, no model."""
        item = {
            "DEVDETAILS": 0,
            "Name": self.driver,
            "ID": 0,
            "Driver": "avalon",
            "Kernel": "",
            "Model": "",
            "Device Path": "",
        }
        return self.ok(69, "Device Details", "DEVDETAILS", [item])

    def pool_fields(self, index: int, pool: PoolState) -> dict[str, Any]:
        """Canaan's pools list each pool's password."""
        fields = super().pool_fields(index, pool)
        return {
            **{key: value for key, value in fields.items() if key != "Last Share Time"},
            "Password": pool.password,
            "Last Share Time": fields["Last Share Time"],
        }

    def module_entry(self) -> dict[str, Any]:
        """The ``STATS`` entry of the module."""
        entry: dict[str, Any] = {
            "STATS": 0,
            "ID": f"{self.driver}0",
            "Elapsed": self.state.uptime(),
            "Calls": 0,
            "Wait": 0.0,
            "Max": 0.0,
            "Min": 99999999.0,
            self.mm_key: self.mm_text(),
        }
        if self.hb_info:
            entry["HBinfo"] = self.hb_text()
        else:
            entry.update({"MM Count": 1, "Smart Speed": 1, "Nonce Mask": 25})
        return entry

    def stats_entries(self) -> list[dict[str, Any]]:
        """The module, then cgminer's entry per pool."""
        pools = [
            {
                "STATS": index + 1,
                "ID": f"POOL{index}",
                "Elapsed": self.state.uptime(),
                "Calls": 0,
                "Wait": 0.0,
                "Max": 0.0,
                "Min": 99999999.0,
                "Pool Calls": 0,
                "Pool Attempts": 0,
                "Pool Wait": 0.0,
                "Pool Max": 0.0,
                "Pool Min": 99999999.0,
                "Pool Av": 0.0,
                "Work Had Roll Time": False,
                "Work Can Roll": False,
                "Work Had Expire": False,
                "Work Roll Time": 0,
                "Work Diff": 524288.0,
                "Min Diff": 100000.0,
                "Max Diff": 524288.0,
                "Min Diff Count": 1,
                "Max Diff Count": 60,
                "Times Sent": 895,
                "Bytes Sent": 146476,
                "Times Recv": 1580,
                "Bytes Recv": 876632,
                "Net Bytes Sent": 146476,
                "Net Bytes Recv": 876632,
            }
            for index, _ in enumerate(self.state.pools)
        ]
        return [self.module_entry(), *pools]

    def cmd_estats(self, parameter: str | None) -> Reply:
        """``estats``: the same entries as ``stats`` on Canaan's firmware."""
        return self.cmd_stats(parameter)

    def encode(self, reply: Reply) -> bytes:
        """An empty reply closes the connection without a byte (``softon`` on some units)."""
        return b"" if reply == b"" else super().encode(reply)

    # --- ascset ----------------------------------------------------------------------------

    def set_info(self, info: str) -> Reply:
        """``I``/118: success with text."""
        return {"STATUS": [self.status(118, f"ASC 0 set info: {info}", "I")], "id": 1}

    def set_ok(self) -> Reply:
        """``S``/119."""
        return {"STATUS": [self.status(119, "ASC 0 set OK")], "id": 1}

    def set_failed(self, reason: str) -> Reply:
        """``E``/120."""
        return self.error(120, f"ASC 0 set failed: {reason}")

    def cmd_ascset(self, parameter: str | None) -> Reply:
        """``ascset|<id>,<option>[,<value>…]``."""
        device, _, rest = (parameter or "").partition(",")
        if not device.strip().isdigit():
            return self.error(15, "Missing device id parameter")
        if device.strip() != "0":
            return self.error(107, f"Invalid ASC id {device.strip()} - range is 0 - 0")
        option, _, value = rest.partition(",")
        if not option:
            return self.error(116, "Missing option after ASC number")
        if option not in self.options:
            return self.set_failed(f"Unknown option: {option}")
        handler = getattr(self, f"ascset_{option.replace('-', '_')}")
        result: Reply = handler(value)
        return result

    def ascset_help(self, value: str) -> Reply:
        """The options, as ``help`` lists them."""
        return self.set_info("help|" + "".join(f"{option}|" for option in sorted(self.options)))

    def _soft(self, option: str, value: str) -> Reply:
        enable, colon, stamp = value.partition(":")
        if enable != "1" or not colon or not stamp.isdigit():
            return self.set_failed(f"invalid {option} value")
        self.state.paused = option == "softoff"
        if self.state.paused:
            self.soft_off_time = int(stamp)
        else:
            self.soft_on_time = int(stamp)
        if option == "softon" and self.softon_closes:
            return b""
        return self.set_info(f"success {option}:{stamp}")

    def ascset_softoff(self, value: str) -> Reply:
        """Standby at the given time (``1:<timestamp>``)."""
        return self._soft("softoff", value)

    def ascset_softon(self, value: str) -> Reply:
        """Back to work at the given time (``1:<timestamp>``)."""
        return self._soft("softon", value)

    def ascset_workmode(self, value: str) -> Reply:
        """``set,<n>`` / ``get`` (home units)."""
        action, _, number = value.partition(",")
        if action == "get":
            return self.set_info(f"workmode {self.mode().value}")
        names = {mode.value: name for name, mode in self.work_modes.items()}
        if action != "set" or not number.lstrip("-").isdigit() or int(number) not in names:
            return self.set_failed(f"invalid workmode {value}")
        self.state.work_mode = names[int(number)]
        self.state.target_temperature = self.mode().target  # back to the mode's default
        self._apply_mode()
        return self.set_ok()

    def ascset_worklevel(self, value: str) -> Reply:
        """``set,<n>`` / ``get`` (Mini 3: 0 super, -1 eco)."""
        action, _, number = value.partition(",")
        current = self.work_levels.get(self.level or "")
        if action == "get" and current is not None:
            return self.set_info(f"worklevel {current.value}")
        names = {level.value: name for name, level in self.work_levels.items()}
        if action != "set" or not number.lstrip("-").isdigit() or int(number) not in names:
            return self.set_failed(f"invalid worklevel {value}")
        self.level = names[int(number)]
        self._apply_mode()
        return self.set_ok()

    def ascset_fan_spd(self, value: str) -> Reply:
        """``-1`` (automatic) or a duty of 15-100 %."""
        if not value.lstrip("-").isdigit() or not (int(value) == -1 or 15 <= int(value) <= 100):
            return self.set_failed(f"invalid fan-spd {value}")
        if int(value) == -1:
            self.state.fan_mode = "auto"
        else:
            self.state.fan_mode, self.state.fan_percent = "manual", int(value)
        return self.set_ok()

    def ascset_target_temp(self, value: str) -> Reply:
        """50-90 °C."""
        if not value.isdigit() or not 50 <= int(value) <= 90:
            return self.set_failed(f"invalid target-temp {value}")
        self.state.target_temperature = int(value)
        return self.set_ok()

    def ascset_reboot(self, value: str) -> Reply:
        """``reboot,<delay 0-300 s>``."""
        if not value.isdigit() or int(value) > 300:
            return self.set_failed(f"invalid reboot delay {value}")
        self.sim.reboot(self.sim.reboot_seconds)
        return self.set_ok()

    def ascset_lcd(self, value: str) -> Reply:
        """``<id>:<0|1>``: the display."""
        lcd, colon, state = value.partition(":")
        if not colon or state not in ("0", "1"):
            return self.set_failed(f"invalid lcd {value}")
        self.lcd_on = state == "1"
        return self.set_info(f"success lcd:id[{lcd}] val[{state}]")

    def ascset_voltage(self, value: str) -> Reply:
        """The power supply's state (read-only here)."""
        return self.set_info(f"PS[{self.ps()}]")

    def ps(self) -> str:
        """``PS[…]``: status, control voltage, output voltage (10 mV), current (A), output
        power, set voltage, wall power."""
        if not self.mining():
            return f"0 1222 4 0 0 2245 {self.wall_power()}"
        wall = self.wall_power()
        return f"0 1217 2396 {round(wall * 0.94 / 23.96)} {round(wall * 0.94)} 2397 {wall}"

    def mm_common(self) -> dict[str, str]:
        """Fields every model computes alike."""
        state = self.state
        mining = self.mining()
        speed = round(self.current_ths() * 1000, 2)
        chip_max = max((state.chip_temperature(b) for b in state.boards), default=0)
        board_avg = max((state.board_temperature(b) for b in state.boards), default=0)
        return {
            "Elapsed": str(state.uptime()),
            "TMax": str(round(chip_max) if mining else 0),
            "TAvg": str(round(board_avg) if mining else 0),
            "FanR": f"{self.duty()}%",
            "GHSspd": f"{speed:.2f}",
            "GHSmm": f"{self.mode_hashrate() * 1000:.2f}",
            "GHSavg": f"{self.average_ths * 1000:.2f}",
            "MGHS": " ".join(f"{value:.2f}" for value in self.board_averages()),
            "SoftOFF": str(0 if mining else SOFT_OFF),
            "WORKMODE": str(self.mode().value),
            "MPO": str(state.power_limit or 0),
            "TarT": str(round(self.state.target_temperature or 0)),
        }


class Avalon(_Canaan):
    """AvalonMiner 1246 (A-series): three boards of 120 chips, four fans; 90 TH/s and 3420 W
    in its normal mode, 100 TH/s and 3800 W in high performance."""

    name: ClassVar[str] = "avalon"
    driver: ClassVar[str] = "AVA10"
    product: ClassVar[str] = "AvalonMiner 1246"
    model_code: ClassVar[str] = "1246"
    hwtype: ClassVar[str] = "MM3v2_X3"
    dna: ClassVar[str] = "020100008c4e7c2f"
    work_modes: ClassVar[dict[str, Mode]] = {
        "normal": Mode(0, 0.9, 90),
        "high": Mode(1, 1.0, 90),
    }
    initial_mode: ClassVar[str] = "normal"
    options: ClassVar[frozenset[str]] = frozenset(
        {"help", "softoff", "softon", "workmode", "led", "reboot", "hashpower"}
    )
    windows: ClassVar[tuple[str, ...]] = ("30s", "1m", "5m", "15m")
    devs_temperature: ClassVar[float] = -273.0

    @classmethod
    def initial_state(cls) -> MinerState:
        """Three boards of 120 chips, four fans."""
        return MinerState(
            make="Avalon",
            model="1246",
            firmware="21042001_4ec6bb0_61407fa",
            mac="b4:a2:eb:3c:0b:9d",
            hostname="avalon",
            nominal_power=3800.0,
            idle_power=120.0,
            work_mode="normal",
            boards=[
                BoardState(hashrate=100 / 3, temperature=68.0, chip_temperature=88.0, chips=120)
                for _ in range(3)
            ],
            fans=[7440, 7380, 7500, 7420],
            pools=[
                PoolState(
                    url="stratum+tcp://btc.viabtc.io:3333",
                    user="avalon.home",
                    password="avalon-pool-secret",
                    active=True,
                    accepted=5120,
                    rejected=4,
                )
            ],
        )

    def version_fields(self) -> dict[str, Any]:
        """The A-series writes ``VERSION`` (no ``LVERSION``/``BVERSION``/``CGVERSION``)."""
        fields = super().version_fields()
        for key in ("LVERSION", "BVERSION", "CGVERSION"):
            del fields[key]
        fields["STM8"] = "20.08.01"
        fields["VERSION"] = self.state.firmware
        fields["LOADER"] = "d0d779de.00"
        return fields

    def fan_rpm(self, index: int) -> int:
        """The A-series' fans slow down, but turn, while the boards idle."""
        return self.state.fan_rpm(index)

    def duty(self) -> int:
        """Duty in %, lower while idle."""
        return 86 if self.mining() else 30

    def mm_fields(self) -> list[tuple[str, str]]:
        """The A-series' ``MM ID0`` (Canaan's A10 manual, an A15 reply)."""
        state = self.state
        common = self.mm_common()
        mining = self.mining()
        wall = self.wall_power()
        tmax = [round(state.chip_temperature(b)) if mining else 0 for b in state.boards]
        tavg = [round(state.board_temperature(b)) if mining else 0 for b in state.boards]
        fans = [(f"Fan{i + 1}", str(self.fan_rpm(i))) for i in range(len(state.fans))]
        boards = len(state.boards)
        return [
            ("Ver", f"{self.model_code}-{state.firmware}"),
            ("DNA", self.dna),
            ("MEMFREE", "1392832.1381104"),
            ("NETFAIL", "0 0 0 0 0 0 0 0"),
            ("SYSTEMSTATU", self.work_status() + " "),
            ("Elapsed", common["Elapsed"]),
            ("BOOTBY", "0x04.00000000"),
            ("LW", "714031"),
            ("MH", " ".join("0" for _ in range(boards))),
            ("DHW", "0"),
            ("HW", "0"),
            ("DH", "1.299%"),
            ("Temp", "25"),
            ("TMax", str(max(tmax, default=0))),
            ("TAvg", str(round(sum(tavg) / boards) if boards else 0)),
            *fans,
            ("FanR", f"{self.duty()}%"),
            ("Vo", "296"),
            ("PS", f"0 1209 1187 {round(wall * 0.94 / 11.87)} {round(wall * 0.94)} 1188 {wall}"),
            ("WALLPOWER", str(wall)),
            *[(f"PLL{i}", "3346 2549 4722 13703") for i in range(boards)],
            ("GHSspd", common["GHSspd"]),
            ("DHspd", "1.299%"),
            ("GHSmm", common["GHSmm"]),
            ("GHSavg", common["GHSavg"]),
            ("WU", "2570548.05"),
            ("Freq", "345.94" if mining else "0.00"),
            ("Led", str(int(state.fault_light))),
            ("MGHS", common["MGHS"]),
            ("MTmax", " ".join(str(v) for v in tmax)),
            ("MTavg", " ".join(str(v) for v in tavg)),
            ("MVavg", " ".join("285.7" for _ in range(boards))),
            ("TA", str(sum(b.chips for b in state.boards))),
            ("Core", "A3201"),
            ("PING", "131"),
            ("POWS", "0"),
            ("EEPROM", " ".join(str(b.chips) for b in state.boards)),
            ("HASHS", " ".join("0" for _ in range(boards))),
            ("POOLS", "0"),
            ("SoftOFF", common["SoftOFF"]),
            ("ECHU", " ".join("0" for _ in range(boards))),
            ("ECMM", "0"),
            *[(f"SF{i}", "300 318 339 360") for i in range(boards)],
            *self.chip_fields(),
            ("MW", " ".join("238147" for _ in range(boards))),
            ("CRC", " ".join("0" for _ in range(boards))),
            ("COMCRC", " ".join("0" for _ in range(boards))),
            *[(f"FACOPTS{i}", "") for i in range(boards)],
            *[
                (f"ATAOPTS{i}", "--avalon10-freq 300:318:339:360 --avalon10-voltage-level 1188")
                for i in range(boards)
            ],
            ("ADJ", "1"),
            ("COP", " ".join("0" for _ in range(boards))),
            ("MPO", common["MPO"]),
            ("MVL", "87"),
            ("WORKMODE", common["WORKMODE"]),
        ]

    def module_entry(self) -> dict[str, Any]:
        """The A-series' driver entry."""
        entry = super().module_entry()
        entry["Voltage Level Offset"] = 0
        return entry

    def ascset_workmode(self, value: str) -> Reply:
        """``workmode,<0|1>`` sets, ``255`` queries; both answer ``WORKMODE[n]`` (A10 manual)."""
        names = {mode.value: name for name, mode in self.work_modes.items()}
        if not value.isdigit() or (int(value) != 255 and int(value) not in names):
            return self.set_failed(f"invalid workmode {value}")
        if int(value) != 255:
            self.state.work_mode = names[int(value)]
            self._apply_mode()
        return self.set_info(f"WORKMODE[{self.mode().value}]")

    def ascset_led(self, value: str) -> Reply:
        """``1-1`` on, ``1-0`` off, ``1-255`` query (module 1: the A-series' only module)."""
        module, _, switch = value.partition("-")
        if module != "1" or switch not in ("0", "1", "255"):
            return self.set_failed(f"invalid led {value}")
        if switch == "255":
            return self.set_info(f"LED[{int(self.state.fault_light)}]")
        self.state.fault_light = switch == "1"
        return self.set_ok()

    def ascset_hashpower(self, value: str) -> Reply:
        """``hashpower`` reads the power supply; ``hashpower,0`` cuts the boards' power."""
        if value == "0":
            self.state.paused = True
            return self.set_info("Power off hash now ...")
        return self.set_info(f"PS[{self.ps()}]")

    def cmd_restart(self, parameter: str | None) -> Reply:
        """cgminer writes a bare RESTART status and restarts (hashrate comes back later)."""
        self.state.reset_uptime()
        return b'{"STATUS":"RESTART"}'


class _HomeUnit(_Canaan):
    """What the home units share: ``litestats``, the LCD, no ``restart``."""

    mac_with_colons: ClassVar[bool] = False

    def version_fields(self) -> dict[str, Any]:
        """The home units' VERSION (``LVERSION``/``BVERSION``/``CGVERSION``)."""
        fields = super().version_fields()
        if self.mac_with_colons:
            fields["MAC"] = self.state.mac.upper()
        return fields

    def cmd_litestats(self, parameter: str | None) -> Reply:
        """The ``MM ID`` text alone."""
        return self.ok(70, "CGMiner stats", "STATS", [{self.mm_key: self.mm_text()}])

    def cmd_restart(self, parameter: str | None) -> Reply:
        """Not a command of Canaan's home-unit API."""
        return self.error(14, "Invalid command")


class AvalonQ(_HomeUnit):
    """Avalon Q: one board of 160 chips, four fans; Eco/Standard/Super (WORKMODE 0/1/2),
    90 TH/s and 1674 W at Super; the new ``MM ID0:Summary`` layout with ``HBinfo``."""

    name: ClassVar[str] = "avalon-q"
    product: ClassVar[str] = "Avalon Q"
    model_code: ClassVar[str] = "Q"
    hwtype: ClassVar[str] = "Q_MM1v1_X1"
    dna: ClassVar[str] = "0201000092c5c1c3"
    mm_key: ClassVar[str] = "MM ID0:Summary"
    wrapped: ClassVar[bool] = True
    hb_info: ClassVar[bool] = True
    mac_with_colons: ClassVar[bool] = True
    work_modes: ClassVar[dict[str, Mode]] = {
        "eco": Mode(0, 0.6, 65),
        "standard": Mode(1, 0.8, 80),
        "super": Mode(2, 1.0, 85),
    }
    initial_mode: ClassVar[str] = "standard"
    options: ClassVar[frozenset[str]] = frozenset(
        {
            "help", "voltage", "fan-spd", "lcd", "workmode", "worklevel", "reboot",
            "softon", "softoff",
        }
    )  # fmt: skip
    fan_max_rpm: ClassVar[int] = 4000

    @classmethod
    def initial_state(cls) -> MinerState:
        """Standard mode, mining."""
        return MinerState(
            make="Avalon",
            model="Q",
            firmware="25052801_14a19a2",
            mac="e0:e1:a9:52:7c:11",
            hostname="avalon-q",
            nominal_power=1674.0,
            idle_power=146.0,
            work_mode="standard",
            boards=[BoardState(hashrate=90.0, temperature=62.0, chip_temperature=71.0, chips=160)],
            fans=[2100, 2080, 2120, 2090],
            pools=[
                PoolState(
                    url="stratum+tcp://pool.example.com:4444",
                    user="worker1",
                    password="q-pool-secret",
                    active=True,
                    accepted=890,
                    rejected=2,
                )
            ],
        )

    def version_fields(self) -> dict[str, Any]:
        """The Q adds its board and fan controllers' versions."""
        fields = super().version_fields()
        del fields["UPAPI"]
        dna = fields.pop("DNA")
        mac = fields.pop("MAC")
        return {
            **fields,
            "HBMCUVERSION": "Q_hb_v1.1",
            "FANMCUVERSION": "Q_fb_v1.2",
            "DNA": dna,
            "MAC": mac,
        }

    def ascset_worklevel(self, value: str) -> Reply:
        """Listed by the Q's help; no public fact says what its levels are: only ``get``."""
        if value == "get":
            return self.set_info("worklevel 0")
        return self.set_failed(f"invalid worklevel {value}")

    def mm_fields(self) -> list[tuple[str, str]]:
        """The Q's ``'STATS':{…}`` fields (capture order)."""
        common = self.mm_common()
        mining = self.mining()
        firmware = self.state.firmware
        fans = [(f"Fan{i + 1}", str(self.fan_rpm(i))) for i in range(4)]
        return [
            ("Ver", f"Q-{firmware}"),
            ("LVer", firmware),
            ("BVer", firmware),
            ("HashMcu0Ver", "Q_hb_v1.1"),
            ("FanMcuVer", "Q_fb_v1.2"),
            ("CPU", "K230"),
            ("FW", "Release"),
            ("DNA", self.dna),
            ("STATE", "1" if mining else "2"),
            ("MEMFREE", "67892"),
            ("NETFAIL", "0 0 0 0 0 0 0 0"),
            ("SSID", ""),
            ("RSSI", "0"),
            ("NetDevType", "0"),
            ("SYSTEMSTATU", self.work_status()),
            ("Elapsed", common["Elapsed"]),
            ("BOOTBY", "0x01.00000000"),
            ("LW", "16987598"),
            ("MH", "0"),
            ("DHW", "0"),
            ("HW", "0"),
            ("DH", "2.449%"),
            ("ITemp", "26"),
            ("HBITemp", "31" if mining else "27"),
            ("HBOTemp", "48" if mining else "27"),
            ("TMax", common["TMax"]),
            ("TAvg", common["TAvg"]),
            ("TarT", common["TarT"]),
            *fans,
            ("FanR", common["FanR"]),
            ("SoftOffTime", str(self.soft_off_time)),
            ("SoftOnTime", str(self.soft_on_time)),
            ("Filter", "19143"),
            ("FanErr", "0"),
            ("SoloAllowed", "1"),
            ("PS", self.ps()),
            ("PCOMM_E", "0"),
            ("GHSspd", common["GHSspd"]),
            ("DHspd", "0.000%"),
            ("GHSmm", common["GHSmm"]),
            ("GHSavg", common["GHSavg"]),
            ("WU", "621649.53"),
            ("Freq", "282.86"),
            ("MGHS", common["MGHS"]),
            ("TA", "160"),
            ("Core", "A3197S"),
            ("BIN", "36"),
            ("PING", "17"),
            ("SoftOFF", common["SoftOFF"]),
            ("ECHU", "0"),
            ("ECMM", "0"),
            ("PLL0", "8843 5769 5098 4610"),
            ("SF0", "258 276 297 318"),
            ("CRC", "0"),
            ("COMCRC", "0"),
            ("ATA0", f"{common['MPO']}-{common['TarT']}-2264-258-20"),
            ("LcdOnoff", str(int(self.lcd_on))),
            ("Activation", "0"),
            ("WORKMODE", common["WORKMODE"]),
            ("WORKLEVEL", "0"),
            ("MPO", common["MPO"]),
            ("CALIALL", "7"),
            ("ADJ", "1"),
            ("Nonce Mask", "25"),
        ]


class AvalonNano3S(_HomeUnit):
    """Avalon Nano 3S: one board of 12 chips, one fan; Low/Mid/High (WORKMODE 0/1/2), 6.6 TH/s
    and 140 W at High; the classic ``MM ID0`` key with the home-unit fields (firmware
    25021401: no ``ITemp`` sensor, ``ITemp[-273]``), a colour LED (``ledset``)."""

    name: ClassVar[str] = "avalon-nano3s"
    product: ClassVar[str] = "Avalon Nano3s"
    model_code: ClassVar[str] = "Nano3s"
    hwtype: ClassVar[str] = "N_MM1v1_X1"
    dna: ClassVar[str] = "020100003cbe4d15"
    work_modes: ClassVar[dict[str, Mode]] = {
        "low": Mode(0, 0.5, 80),
        "mid": Mode(1, 0.75, 85),
        "high": Mode(2, 1.0, 90),
    }
    initial_mode: ClassVar[str] = "high"
    options: ClassVar[frozenset[str]] = frozenset(
        {
            "help", "voltage", "fan-spd", "target-temp", "ledmode", "ledset", "lcd", "workmode",
            "worklevel", "work_mode_lvl", "reboot", "softon", "softoff", "filter-clean",
        }
    )  # fmt: skip
    fan_max_rpm: ClassVar[int] = 4600
    auto_duty: ClassVar[int] = 33

    @classmethod
    def initial_state(cls) -> MinerState:
        """High mode, mining."""
        return MinerState(
            make="Avalon",
            model="Nano3s",
            firmware="25021401_56abae7",
            mac="e0:e1:a9:3f:30:53",
            hostname="avalon-nano",
            nominal_power=140.0,
            idle_power=9.0,
            work_mode="high",
            boards=[BoardState(hashrate=6.6, temperature=90.0, chip_temperature=95.0, chips=12)],
            fans=[1520],
            pools=[
                PoolState(
                    url="stratum+tcp://public-pool.io:21496",
                    user="bc1qnano.nano3s",
                    password="nano-pool-secret",
                    active=True,
                    accepted=2547,
                    rejected=10,
                )
            ],
        )

    def ascset_ledset(self, value: str) -> Reply:
        """``effect-bright-temper-R-G-B``: the colour light (not a locate LED)."""
        parts = value.split("-")
        if len(parts) != 6 or not all(part.isdigit() for part in parts) or int(parts[0]) > 4:
            return self.set_failed(f"invalid ledset {value}")
        self.led_effect = int(parts[0])
        return self.set_info("led set ok")

    def ascset_worklevel(self, value: str) -> Reply:
        """No work levels on the Nano 3S (its ``WORKLEVEL`` stays 0)."""
        return self.set_failed(f"invalid worklevel {value}")

    def mm_fields(self) -> list[tuple[str, str]]:
        """The Nano 3S's ``MM ID0`` (a public Nano 3S reply's order)."""
        common = self.mm_common()
        firmware = self.state.firmware
        return [
            ("Ver", f"Nano3s-{firmware}"),
            ("LVer", firmware),
            ("BVer", firmware),
            ("FW", "Release"),
            ("LED", f"{self.led_effect}-0"),
            ("LEDUser", f"{self.led_effect}-100-100-5-0-255"),
            ("LcdOnoff", str(int(self.lcd_on))),
            ("LcdSwitch", "2"),
            ("DNA", self.dna),
            ("MEMFREE", "63728"),
            ("PFCnt", "0"),
            ("NETFAIL", "0 0 0 0 0 0 0 0"),
            ("SYSTEMSTATU", self.work_status()),
            ("Elapsed", common["Elapsed"]),
            ("BOOTBY", "0x01.00000000"),
            ("LW", "7753951"),
            ("MH", "0"),
            ("DHW", "0"),
            ("HW", "0"),
            ("DH", "2.374%"),
            ("ITemp", "-273"),
            ("OTemp", "65" if self.mining() else "31"),
            ("TMax", common["TMax"]),
            ("TAvg", common["TAvg"]),
            ("TarT", common["TarT"]),
            ("Fan1", str(self.fan_rpm(0))),
            ("FanR", common["FanR"]),
            ("PS", f"0 0 27541 4 0 3756 {self.wall_power()}"),
            ("GHSspd", common["GHSspd"]),
            ("DHspd", "2.374%"),
            ("GHSmm", common["GHSmm"]),
            ("GHSavg", common["GHSavg"]),
            ("WU", "93530.53"),
            ("Freq", "464.89"),
            ("MGHS", common["MGHS"]),
            ("MTmax", common["TMax"]),
            ("MTavg", common["TAvg"]),
            ("TA", "12"),
            ("Core", "A3197S"),
            ("BIN", "60"),
            ("PING", "78"),
            ("SoftOFF", common["SoftOFF"]),
            ("ECHU", "0"),
            ("ECMM", "0"),
            ("PLL0", "499 254 423 648"),
            ("SF0", "432 450 471 492"),
            *self.chip_fields(),
            ("CRC", "0"),
            ("COMCRC", "0"),
            ("ATA2", f"{common['MPO']}-{common['TarT']}-3756-432-20"),
            ("WORKMODE", common["WORKMODE"]),
            ("WORKLEVEL", "0"),
            ("MPO", common["MPO"]),
            ("CALIALL", "7"),
            ("ADJ", "1"),
        ]


class AvalonMini3(_HomeUnit):
    """Avalon Mini 3 (a heater): one board, one fan; Heating/Mining/Night (WORKMODE 0/1/2) and
    Super/Eco (WORKLEVEL 0/-1), 37.5 TH/s and 800 W at full power. No public capture of its
    replies: the new layout (issue 13 names the Mini 3 among its units) with the fields public
    Mini 3 integrations read, and a Wi-Fi link (``SSID``/``RSSI`` as the Q writes them)."""

    name: ClassVar[str] = "avalon-mini3"
    product: ClassVar[str] = "Avalon Mini3"
    model_code: ClassVar[str] = "Mini3"
    hwtype: ClassVar[str] = "M_MM1v1_X1"
    dna: ClassVar[str] = "02010000a1b2c3d4"
    mm_key: ClassVar[str] = "MM ID0:Summary"
    wrapped: ClassVar[bool] = True
    hb_info: ClassVar[bool] = True
    work_modes: ClassVar[dict[str, Mode]] = {
        "heating": Mode(0, 1.0, 85),
        "mining": Mode(1, 1.0, 80),
        "night": Mode(2, 0.6, 75),
    }
    work_levels: ClassVar[dict[str, Mode]] = {"super": Mode(0, 1.0), "eco": Mode(-1, 0.75)}
    initial_mode: ClassVar[str] = "heating"
    options: ClassVar[frozenset[str]] = frozenset(
        {"help", "voltage", "lcd", "workmode", "worklevel", "reboot", "softon", "softoff"}
    )
    fan_max_rpm: ClassVar[int] = 3200
    auto_duty: ClassVar[int] = 45

    @classmethod
    def initial_state(cls) -> MinerState:
        """Heating mode, super level, mining."""
        return MinerState(
            make="Avalon",
            model="Mini3",
            firmware="24121801_3c5c9a2",
            mac="e0:e1:a9:60:1d:42",
            hostname="avalon-mini",
            nominal_power=800.0,
            idle_power=12.0,
            work_mode="heating",
            boards=[BoardState(hashrate=37.5, temperature=70.0, chip_temperature=82.0, chips=66)],
            fans=[1450],
            pools=[
                PoolState(
                    url="stratum+tcp://solo.ckpool.org:3333",
                    user="bc1qmini.heater",
                    password="mini-pool-secret",
                    active=True,
                    accepted=1044,
                    rejected=3,
                )
            ],
        )

    def mm_fields(self) -> list[tuple[str, str]]:
        """The Mini 3's ``'STATS':{…}`` fields."""
        common = self.mm_common()
        mining = self.mining()
        firmware = self.state.firmware
        level = self.work_levels[self.level or "super"]
        return [
            ("HashStatus", "0"),
            ("Ver", f"Mini3-{firmware}"),
            ("LVer", firmware),
            ("BVer", firmware),
            ("FW", "Release"),
            ("DNA", self.dna),
            ("STATE", "1" if mining else "2"),
            ("SSID", "home-wifi"),
            ("RSSI", "-58"),
            ("NetDevType", "1"),
            ("SYSTEMSTATU", self.work_status()),
            ("Elapsed", common["Elapsed"]),
            ("ITemp", "21"),
            ("OTemp", "52" if mining else "23"),
            ("HBTemp", "64" if mining else "24"),
            ("TMax", common["TMax"]),
            ("TAvg", common["TAvg"]),
            ("TarT", common["TarT"]),
            ("Fan1", str(self.fan_rpm(0))),
            ("FanR", common["FanR"]),
            ("SoftOffTime", str(self.soft_off_time)),
            ("SoftOnTime", str(self.soft_on_time)),
            ("PS", f"0 1218 2091 36 {round(self.wall_power() * 0.9)} 2090 {self.wall_power()}"),
            ("GHSspd", common["GHSspd"]),
            ("GHSmm", common["GHSmm"]),
            ("GHSavg", common["GHSavg"]),
            ("Freq", "412.50"),
            ("MGHS", common["MGHS"]),
            ("TA", "66"),
            ("Core", "A3197S"),
            ("SoftOFF", common["SoftOFF"]),
            ("ECHU", "0"),
            ("ECMM", "0"),
            ("LcdOnoff", str(int(self.lcd_on))),
            ("WORKMODE", common["WORKMODE"]),
            ("WORKLEVEL", str(level.value)),
            ("MPO", common["MPO"]),
        ]
