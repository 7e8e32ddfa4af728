"""Canaan AvalonMiner (cgminer 4.11 with the Avalon driver), e.g. an AvalonMiner 1246.

Captured-style facts reproduced here:
- ``version`` carries ``PROD``/``MODEL``/``HWTYPE``/``SWTYPE`` and the ``MAC`` (no colons);
- ``estats``/``stats`` pack the miner into one ``MM ID0`` string of ``Key[value]`` fields:
  ``GHSspd``/``GHSmm`` (current/nominal GH/s), ``MGHS`` per board, ``MTmax``/``MTavg`` per
  board, ``TMax``/``TAvg``, ``Fan1``-``Fan4``, ``PS[...]`` (index 4 is wall power in W),
  ``SoftOFF``, ``Led``, ``WORKLEVEL`` (no power limit is reported);
- ratios with a zero denominator are printed by C as bare ``nan``/``inf`` (invalid JSON);
- controls via ``ascset|0,softoff,…``/``softon``/``worklevel,set,N``/``led,1-1``/
  ``reboot,0`` and cgminer's ``restart``.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from simulator.personality import Reply
from simulator.state import BoardState, MinerState, PoolState

from .cgminer import CGMinerPersonality

#: worklevel -> fraction of nominal power (the firmware's eco/standard/super levels).
WORKLEVELS = {0: 0.8, 1: 1.0, 2: 1.1}
WORKLEVEL_NAMES = {0: "low", 1: "normal", 2: "high"}


class Avalon(CGMinerPersonality):
    """AvalonMiner 1246, 90 TH/s, 3420 W."""

    name: ClassVar[str] = "avalon"
    family: ClassVar[str] = "avalon"
    device_kind: ClassVar[str] = "ASC"
    driver: ClassVar[str] = "AVA10"

    @classmethod
    def initial_state(cls) -> MinerState:
        """Three boards of 120 chips, four fans."""
        return MinerState(
            make="Avalon",
            model="1246",
            firmware="21042001_4ec6bb0_61407fa",
            mac="b4:a2:eb:3c:0b:9d",
            hostname="avalon",
            serial=None,
            nominal_power=3420.0,
            idle_power=40.0,
            work_mode="normal",
            boards=[
                BoardState(hashrate=30.0, temperature=68.0, chip_temperature=88.0, chips=120)
                for _ in range(3)
            ],
            fans=[7440, 7380, 7500, 7420],
            pools=[
                PoolState(
                    url="stratum+tcp://btc.viabtc.io:3333",
                    user="avalon.home",
                    active=True,
                    accepted=5120,
                    rejected=4,
                )
            ],
        )

    def version_fields(self) -> dict[str, Any]:
        """Avalon's extended VERSION object."""
        return {
            "CGMiner": self.software_version,
            "API": self.api_version,
            "STM8": "20.08.01",
            "PROD": f"AvalonMiner {self.state.model}",
            "MODEL": self.state.model,
            "HWTYPE": "MM3v2_X3",
            "SWTYPE": "MM319",
            "VERSION": self.state.firmware,
            "LOADER": "d0d779de.00",
            "DNA": "020100008c4e7c2f",
            "MAC": self.state.mac.replace(":", "").lower(),
            "UPAPI": "2",
        }

    def _level(self) -> int:
        for level, name in WORKLEVEL_NAMES.items():
            if name == self.state.work_mode:
                return level
        return 1

    def mm_id(self) -> str:
        """The ``MM ID0`` string."""
        state = self.state
        mhs = [round(state.board_hashrate(b) * 1000, 2) for b in state.boards]
        tmax = [round(state.chip_temperature(b)) for b in state.boards]
        tavg = [round(state.board_temperature(b)) for b in state.boards]
        power = round(state.current_power())
        fans = " ".join(f"Fan{i + 1}[{state.fan_rpm(i)}]" for i in range(len(state.fans)))
        ghs = round(sum(mhs), 2)
        fields = [
            f"Ver[{state.model}-83-{state.firmware}]",
            "DNA[020100008c4e7c2f]",
            f"Elapsed[{state.uptime()}]",
            "MW[1166234 1166230 1166213]",
            "LW[3498677]",
            "MH[3 3 3]",
            "HW[9]",
            "DH[0.000%]",
            "Temp[25]",
            f"TMax[{max(tmax, default=0)}]",
            f"TAvg[{round(sum(tavg) / len(tavg)) if tavg else 0}]",
            fans,
            "FanR[86%]",
            "Vo[295]",
            f"PS[0 1215 2428 65 {power} 2429 {power + 72}]",
            "PLL0[1403 1278 4147 2804]",
            f"GHSspd[{ghs}]",
            "DHspd[0.000%]",
            f"GHSmm[{round(state.nominal_hashrate * 1000, 2)}]",
            f"GHSavg[{ghs}]",
            "WU[1234567.89]",
            "Freq[484.45]",
            f"Led[{int(state.fault_light)}]",
            "MGHS[" + " ".join(f"{v}" for v in mhs) + "]",
            "MTmax[" + " ".join(str(v) for v in tmax) + "]",
            "MTavg[" + " ".join(str(v) for v in tavg) + "]",
            "TA[360]",
            "Core[A3201]",
            "PING[131]",
            "POWS[0]",
            "HASHS[0 0 0]",
            "POOLS[0]",
            f"SoftOFF[{int(state.paused)}]",
            "ECHU[0 0 0]",
            "ECMM[0]",
            f"WORKLEVEL[{self._level()}]",
        ]
        return " ".join(fields)

    def stats_entries(self) -> list[dict[str, Any]]:
        """One AVA10 entry holding the MM ID string."""
        return [
            {
                "STATS": 0,
                "ID": "AVA100",
                "Elapsed": self.state.uptime(),
                "Calls": 0,
                "Wait": 0.0,
                "Max": 0.0,
                "Min": 99999999.0,
                "MM ID0": self.mm_id(),
                "MM Count": 1,
                "Smart Speed": 1,
                "Connecter": "AUC",
                "AUC VER": "AUC-20151208",
                "AUC I2C Speed": 400000,
                "AUC Sensor": 15483,
                "AUC Temperature": 25.17,
                "Connection Overloaded": False,
                "Voltage Offset": 0,
                "Nonce Mask": 29,
            }
        ]

    def cmd_estats(self, parameter: str | None) -> Reply:
        """``estats``: the stats without pool entries (same content here)."""
        return self.cmd_stats(parameter)

    def cmd_devs(self, parameter: str | None) -> Reply:
        """cgminer prints zero-denominator ratios as bare nan/inf (invalid JSON)."""
        reply = super().cmd_devs(parameter)
        assert isinstance(reply, dict)
        for item in reply["DEVS"]:
            item["Device Hardware%"] = "@NAN@"
            item["Device Rejected%"] = "@INF@"
        return json.dumps(reply).replace('"@NAN@"', "nan").replace('"@INF@"', "inf").encode()

    def cmd_ascset(self, parameter: str | None) -> Reply:
        """``ascset|0,<option>,<value>``."""
        parts = (parameter or "").split(",")
        if len(parts) < 2 or parts[0] != "0":
            return self.error(120, "ASC 0 set failed: missing parameter")
        option, args = parts[1], parts[2:]
        state = self.state
        if option == "softoff":
            state.paused = True
        elif option == "softon":
            state.paused = False
        elif option == "worklevel" and len(args) == 2 and args[0] == "set":
            try:
                level = int(args[1])
            except ValueError:
                level = -1
            if level not in WORKLEVELS:
                return self.error(120, f"ASC 0 set failed: invalid worklevel {args[1]}")
            state.work_mode = WORKLEVEL_NAMES[level]
            state.power_limit = round(state.nominal_power * WORKLEVELS[level])
        elif option == "led" and args in (["1-1"], ["1-0"]):
            state.fault_light = args[0] == "1-1"
        elif option == "reboot":
            self.sim.reboot(self.sim.reboot_seconds)
        else:
            return self.error(120, f"ASC 0 set failed: unknown option {option}")
        return {
            "STATUS": [self.status(118, f"ASC 0 set info: success {option}", "I")],
            "id": 1,
        }

    def cmd_restart(self, parameter: str | None) -> Reply:
        """cgminer writes a bare RESTART status and restarts (hashrate comes back later)."""
        self.state.reset_uptime()
        return b'{"STATUS":"RESTART"}'
