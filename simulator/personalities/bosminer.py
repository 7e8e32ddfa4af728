"""Braiins OS (BOSminer+, BOSer): the cgminer-compatible API bosminer serves on port 4028.

Layouts from Braiins' own "BOSminer API" page (BOSminer+ 0.2.0 on an S9: ``fans``,
``tempctrl``, ``temps``, ``tunerstatus``, ``devdetails``, ``pause``/``resume`` replies), a real
S9 on BOSminer+ 0.2.0 (``temps`` with ``Chip 0.0``: no chip sensor; four fan connectors for
two fans; ``summary`` with ``MHS 24h``, keys in alphabetical order as Rust's serde writes
them), bosminer ``devs`` of an S9 (``ID`` 6-8 while ``ASC`` counts from 0, ``Temperature 0.0``)
and a BOSer S21+ probed live (the same commands answered, ``tunerstatus`` with ``TunerMode``,
``devs`` without ``Temperature``):

- chains are numbered as bosminer numbers them: ``ID`` 6-8 on an S9 (its connectors), 1-3 on
  later Antminers; ``TEMP``/``ASC``/``DEVDETAILS`` count from 0;
- ``devdetails`` ``Model`` is ``Bitmain Antminer <model>``, ``Frequency`` in Hz, ``Voltage``
  in V; ``pause``/``resume`` answer ``PAUSE``/``RESUME`` ``[true]``;
- joined ``+`` commands are answered; no MAC, hostname or serial over this API.

``BraiinsOS`` ("braiins-os") is Braiins OS+ with BOSer on an S19j Pro, autotuned to 3100 W;
``BraiinsOSS9`` ("braiins-os-s9") the S9 on BOSminer+ 0.2.0. A personality built on
``BraiinsOS`` (Braiins OS+ 25.07 with its REST API) keeps this TCP side by overriding only its
state and the class attributes below.
"""

from __future__ import annotations

from typing import Any, ClassVar

from simulator.personality import Reply
from simulator.state import BoardState, MinerState, PoolState

from .cgminer import CGMinerPersonality


class BraiinsOS(CGMinerPersonality):
    """Braiins OS+ (BOSer) on an Antminer S19j Pro, autotuned to 3100 W."""

    name: ClassVar[str] = "braiins-os"
    family: ClassVar[str] = "bosminer"
    software: ClassVar[str] = "BOSer"
    software_version: ClassVar[str] = "boser-buildroot 0.1.0-26ba61b9"
    api_version: ClassVar[str] = "3.7"
    description: ClassVar[str] = "BOSer boser-buildroot 0.1.0-26ba61b9"
    driver: ClassVar[str] = ""
    #: bosminer's chain numbers of the hash boards (S9: 6-8; later Antminers: 1-3).
    chains: ClassVar[tuple[int, ...]] = (1, 2, 3)
    #: Fan connectors ``fans`` lists (a connector without a fan reads 0 rpm).
    fan_connectors: ClassVar[int] = 4
    #: The fans' duty in % (``Speed``) under automatic control (``state.fan_percent`` manual).
    fan_duty: ClassVar[int] = 40
    #: Whether ``temps`` has a chip sensor (without one bosminer writes ``Chip 0.0``).
    chip_sensor: ClassVar[bool] = True
    #: ``devs`` ``Temperature`` (older bosminer writes the placeholder 0.0; BOSer has none).
    devs_temperature: ClassVar[float | None] = None
    #: ``tunerstatus`` ``TunerMode`` (BOSer); None: the field is absent (BOSminer+ 0.2).
    tuner_mode: ClassVar[str | None] = "PowerTarget"
    #: ``tempctrl``: target (unless ``state.target_temperature``), hot and dangerous (°C).
    temperature_control: ClassVar[tuple[int, int, int]] = (75, 90, 100)

    @classmethod
    def initial_state(cls) -> MinerState:
        """Three S19j Pro boards (126 chips), four fans, autotuned to 3100 W."""
        return MinerState(
            make="Antminer",
            model="S19j Pro",
            firmware=cls.software_version,
            mac="02:b0:05:00:00:01",
            hostname="braiins-os",
            nominal_power=3300.0,
            power_limit=3100,
            boards=[
                BoardState(hashrate=34.0, temperature=58.0, chip_temperature=71.0, chips=126)
                for _ in range(3)
            ],
            fans=[3600, 3620, 3580, 3610],
            pools=[
                PoolState(
                    url="stratum+tcp://stratum.braiins.com:3333",
                    user="braiins.worker1",
                    active=True,
                    accepted=5000,
                    rejected=6,
                )
            ],
        )

    def chain(self, index: int) -> int:
        """The chain number of board ``index`` (boards beyond the model's take the next)."""
        if index < len(self.chains):
            return self.chains[index]
        return self.chains[-1] + index - len(self.chains) + 1

    @staticmethod
    def serde(fields: dict[str, Any]) -> dict[str, Any]:
        """bosminer is written in Rust: serde writes the keys in alphabetical order."""
        return dict(sorted(fields.items()))

    def summary_fields(self) -> dict[str, Any]:
        """cgminer's summary with ``MHS 24h`` (the average over the last day: small after a
        restart) and a single ``%`` in ``Pool Stale%``."""
        fields = super().summary_fields()
        fields["MHS 24h"] = round(fields["MHS 5s"] * min(1.0, fields["Elapsed"] / 86400), 2)
        return self.serde(fields)

    def dev_fields(self, index: int, board: BoardState) -> dict[str, Any]:
        """``ASC`` from 0, ``ID`` the chain, the nominal rate; Temperature as the version has
        it."""
        fields = super().dev_fields(index, board)
        fields["ID"] = self.chain(index)
        fields["Name"] = ""
        fields["Nominal MHS"] = board.hashrate * 1_000_000
        if self.devs_temperature is None:
            del fields["Temperature"]
        else:
            fields["Temperature"] = self.devs_temperature
        return self.serde(fields)

    def pool_fields(self, index: int, pool: PoolState) -> dict[str, Any]:
        """bosminer writes ``Pool Stale%`` and ``AsicBoost``."""
        fields = super().pool_fields(index, pool)
        fields["Pool Stale%"] = fields.pop("Pool Stale%%")
        fields["AsicBoost"] = True
        return self.serde(fields)

    def cmd_devdetails(self, parameter: str | None) -> Reply:
        """Per chain: model, chips, cores, frequency (Hz) and voltage (V)."""
        items = [
            {
                "Chips": board.chips,
                "Cores": board.chips * 114,
                "DEVDETAILS": index,
                "Device Path": "",
                "Driver": "",
                "Frequency": board.frequency * 1_000_000,
                "ID": self.chain(index),
                "Kernel": "",
                "Model": f"Bitmain {self.state.make} {self.state.model}",
                "Name": f"Hash Chain {self.chain(index)}",
                "Voltage": board.voltage,
            }
            for index, board in enumerate(self.state.boards)
        ]
        return self.ok(69, "Device Details", "DEVDETAILS", items)

    def cmd_temps(self, parameter: str | None) -> Reply:
        """Board (PCB) and hottest-chip temperature per chain."""
        items = [
            {
                "Board": self.state.board_temperature(board),
                "Chip": self.state.chip_temperature(board) if self.chip_sensor else 0.0,
                "ID": self.chain(index),
                "TEMP": index,
            }
            for index, board in enumerate(self.state.boards)
        ]
        return self.ok(201, f"{len(items)} Temp(s)", "TEMPS", items)

    def cmd_fans(self, parameter: str | None) -> Reply:
        """Every fan connector; one without a fan reads 0 rpm at the common duty."""
        manual = self.state.fan_mode == "manual"
        duty = self.state.fan_percent if manual else self.fan_duty
        items = [
            {"FAN": index, "ID": index, "RPM": self.state.fan_rpm(index), "Speed": duty}
            for index in range(max(self.fan_connectors, len(self.state.fans)))
        ]
        return self.ok(202, f"{len(items)} Fan(s)", "FANS", items)

    def cmd_tempctrl(self, parameter: str | None) -> Reply:
        """The temperature control's thresholds and whether it drives the fans."""
        target, hot, dangerous = self.temperature_control
        item = {
            "Dangerous": dangerous,
            "Hot": hot,
            "Mode": "Manual" if self.state.fan_mode == "manual" else "Automatic",
            "Target": self.state.target_temperature or target,
        }
        return self.ok(200, "Temperature control", "TEMPCTRL", [item])

    def cmd_tunerstatus(self, parameter: str | None) -> Reply:
        """The autotuner: power target and estimated consumption, miner and per chain."""
        state = self.state
        power = round(state.current_power())
        boards = max(len(state.boards), 1)
        chains = [
            {
                "ApproximatePowerConsumptionWatt": round(power * 0.93 / boards),
                "HashchainIndex": self.chain(index),
                "Iteration": 3,
                "LoadedProfileCreatedOn": 1595938289,
                "PowerLimitWatt": (state.power_limit or 0) // boards,
                "StageElapsed": state.uptime(),
                "Status": "Stable" if state.is_mining else "Paused",
                "TunerRunning": state.is_mining,
                "TuningElapsed": state.uptime(),
            }
            for index, _ in enumerate(state.boards)
        ]
        item: dict[str, Any] = {
            "ApproximateChainPowerConsumption": round(power * 0.93),
            "ApproximateMinerPowerConsumption": power,
            "DynamicPowerScaling": "Disabled",
            "PowerLimit": state.power_limit,
            "TunerChainStatus": chains,
        }
        if self.tuner_mode is not None:
            item["TunerMode"] = self.tuner_mode
        return self.ok(203, "Tuner Status", "TUNERSTATUS", [item])

    def cmd_pause(self, parameter: str | None) -> Reply:
        """Stop hashing; the API keeps answering."""
        self.state.paused = True
        return self.ok(204, "Pause", "PAUSE", [True])

    def cmd_resume(self, parameter: str | None) -> Reply:
        """Resume hashing."""
        self.state.paused = False
        return self.ok(205, "Resume", "RESUME", [True])


class BraiinsOSS9(BraiinsOS):
    """An Antminer S9 on Braiins OS+ with BOSminer+ 0.2.0 (chains 6-8, no chip sensor)."""

    name: ClassVar[str] = "braiins-os-s9"
    software: ClassVar[str] = "BOSminer+"
    software_version: ClassVar[str] = "0.2.0-36c56a9363"
    description: ClassVar[str] = "BOSminer+ 0.2.0-36c56a9363"
    chains: ClassVar[tuple[int, ...]] = (6, 7, 8)
    chip_sensor: ClassVar[bool] = False
    devs_temperature: ClassVar[float | None] = 0.0
    tuner_mode: ClassVar[str | None] = None
    temperature_control: ClassVar[tuple[int, int, int]] = (89, 100, 110)

    @classmethod
    def initial_state(cls) -> MinerState:
        """Three S9 boards of 63 chips, two fans on four connectors, autotuned to 1420 W."""
        return MinerState(
            make="Antminer",
            model="S9",
            firmware=cls.software_version,
            mac="02:b0:05:00:00:09",
            hostname="braiins-s9",
            nominal_power=1420.0,
            idle_power=40.0,
            power_limit=1420,
            boards=[
                BoardState(
                    hashrate=4.7, temperature=70.0, chip_temperature=0.0, chips=63, voltage=8.4
                )
                for _ in range(3)
            ],
            fans=[2820, 3780],
            pools=[
                PoolState(
                    url="stratum+tcp://stratum.antpool.com:3333",
                    user="antminer_1",
                    active=True,
                    accepted=152,
                ),
                PoolState(
                    url="stratum+tcp://stratum.antpool.com:443", user="antminer_1", priority=1
                ),
            ],
        )
