"""Stock Bitmain Antminer firmware: S19 (2022+ firmware, "cgminer 1.0.0") and S9 (bmminer 2017).

Reproduced from real replies (tests/reality captures: an S19 Pro of Dec 2022, an S9 of 2017, a
sleeping T17+ of 2020):

- S19: ``version`` with a ``CGMiner`` key (2022+ stock firmware answers "cgminer 1.0.0"; the
  key is ``BMMiner`` on some units, ``CGMiner`` on others) and ``Type "Antminer S19"``;
  ``stats`` is valid JSON with ``ID "BTM_SOC0"``, ``Mode`` 2, ``rate_30m``, ``temp_pic``/
  ``temp_pcb``/``temp_chip`` as dash-separated sensor lists, an empty fourth chain
  (``"0-0-0-0"``, rate ``""``, 0 chips), ``"total rate"`` with a space, ``temp_max`` 0 (a
  placeholder) and ``miner_id``; ``devs`` is one useless ``BTM_SOC`` entry (rates 0,
  temperature misspelt ``Tenperature``); ``summary`` writes ``Getwork``; pools write
  ``Pool Stale%%`` (as ``CGMinerPersonality`` does); ``+`` joined commands are refused as one
  invalid command.
- S9: ``BMMiner`` 2.0.0 with Description "bmminer 1.0.0"; ``stats`` writes its two objects with
  no comma between them (``}{``), ``GHS 5s`` quoted as a string, all sixteen chain slots with the
  three boards on chains 6-8 (``temp<N>`` board, ``temp2_<N>`` chip), eight fan slots for two
  fans (3 and 6, ``fan_num`` 2); joins work. Its web configuration is the old one
  (``AntminerWeb.conf_form``): no work mode, ``_ant_*`` form posts.
- Asleep (``work_mode`` sleep): what a sleeping T17+ reports: ``Mode`` 254, ``GHS 5s`` 0, every
  chain empty, every fan 0 with ``fan_num`` 0, ``total_rateideal`` 0.
- a board removed from the state leaves its chain listed empty, as the firmware lists an
  unplugged board; boards beyond the model's chains take the next numbers; a fan that dies
  (``state.fans[i] = 0``) reads 0 in its own slot;
- no power reading, no controls over TCP: those go through the web CGI (``AntminerWeb``), where
  the work mode (``state.work_mode``: normal, sleep, low, high) lives.

The class attributes are the firmware's knobs, so that firmwares keeping Bitmain's driver
(VNish over TCP) reuse this personality with their own: ``software``/``stats_software`` (the
keys naming the miner software), ``type_suffix`` (``" (vnish 3.8.6)"``), ``stats_id``,
``split_stats`` (``}{``), ``listed_chains``/``listed_fans``, ``quote_ghs``, ``soc_devs``,
``total_rate_key``, ``awake_mode``, ``reports_sleep``, and ``stats_extra`` for fields of
their own.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from simulator.personality import Reply
from simulator.state import BoardState, MinerState, PoolState

from .antminer_web import AntminerWeb
from .cgminer import CGMinerPersonality

#: ``Mode`` in ``stats`` while asleep (a sleeping T17+).
SLEEP_MODE = 254


def _pools() -> list[PoolState]:
    return [
        PoolState(
            url="stratum+tcp://btc.f2pool.com:1314",
            user="homeminer.001",
            active=True,
            accepted=23456,
            rejected=21,
            priority=0,
        ),
        PoolState(url="stratum+tcp://ss.antpool.com:3333", user="homeminer.backup", priority=1),
    ]


class _Antminer(AntminerWeb, CGMinerPersonality):
    """What S19 and S9 share, the web interface included."""

    family: ClassVar[str] = "bmminer"
    software: ClassVar[str] = "BMMiner"
    #: The key naming the software in the first STATS object (None: ``software``).
    stats_software: ClassVar[str | None] = None
    api_version: ClassVar[str] = "3.1"
    device_kind: ClassVar[str] = "ASC"
    driver: ClassVar[str] = "BTM_SOC0"
    compile_time: ClassVar[str]
    miner_version: ClassVar[str]
    #: What follows the model in ``Type`` (a firmware of its own: ``" (vnish 3.8.6)"``).
    type_suffix: ClassVar[str] = ""
    #: The ``ID`` of the chain-data STATS object.
    stats_id: ClassVar[str] = "BTM_SOC0"
    #: Whether ``stats`` writes its two objects without a comma between them (``}{``).
    split_stats: ClassVar[bool] = False
    #: Chain numbers the firmware reports the boards under, and how many chain slots it lists.
    chains: ClassVar[tuple[int, ...]]
    listed_chains: ClassVar[int]
    #: The fan slots (1-based) in use, and how many slots are listed; others read 0.
    fan_slots: ClassVar[tuple[int, ...]]
    listed_fans: ClassVar[int]
    quote_ghs: ClassVar[bool] = False
    #: Whether ``devs`` is the one useless ``BTM_SOC`` entry of 2022+ firmware.
    soc_devs: ClassVar[bool] = False
    #: The key of the total rate (S19 ``"total rate"``, S9 ``total_rate``).
    total_rate_key: ClassVar[str] = "total_rate"
    #: ``Mode`` in ``stats`` while awake (None: not written).
    awake_mode: ClassVar[int | None] = None
    #: What ``chain_acs`` ends with after the groups of eight chips.
    chip_map_tail: ClassVar[str] = ""
    #: The firmware's own id of the unit (``miner_id`` in ``stats``).
    miner_id: ClassVar[str]
    #: Whether ``stats`` reads as a sleeping T17+ while paused (``Mode`` 254, chains and fans
    #: empty); a firmware whose pause keeps reporting its chains says False.
    reports_sleep: ClassVar[bool] = True

    @staticmethod
    def stock_state(**model: Any) -> MinerState:
        """A model's state with what every stock Antminer has: web password ``root``, normal
        work mode, the same two pools."""
        return MinerState(
            make="Antminer", password="root", work_mode="normal", pools=_pools(), **model
        )

    # --- state -------------------------------------------------------------------------------

    @property
    def asleep(self) -> bool:
        """Sleep mode (paused through the web interface, or set on the miner), as ``stats``
        reports it."""
        return self.reports_sleep and (self.state.paused or self.state.work_mode == "sleep")

    def type_name(self) -> str:
        """``Type``: ``Antminer <model>`` and the firmware's suffix."""
        return f"Antminer {self.state.model}{self.type_suffix}"

    def ghs(self) -> float:
        """The current hashrate in GH/s."""
        return round(self.state.current_hashrate() * 1000, 2)

    def ghs_value(self, ghs: float) -> Any:
        """``GHS 5s`` as this firmware writes it (the S9 quotes it)."""
        return f"{ghs:.2f}" if self.quote_ghs else ghs

    # --- replies -----------------------------------------------------------------------------

    def version_fields(self) -> dict[str, Any]:
        """The software key, Miner, CompileTime and the model as Type."""
        return {
            self.software: self.software_version,
            "API": self.api_version,
            "Miner": self.miner_version,
            "CompileTime": self.compile_time,
            "Type": self.type_name(),
        }

    def summary_fields(self) -> dict[str, Any]:
        """GH/s instead of MH/s; the S9 quotes ``GHS 5s``."""
        fields = super().summary_fields()
        ghs = self.ghs()
        for window in ("av", "5s", "1m", "5m", "15m"):
            fields.pop(f"MHS {window}", None)
        return {
            "Elapsed": fields.pop("Elapsed"),
            "GHS 5s": self.ghs_value(ghs),
            "GHS av": ghs,
            **fields,
        }

    def chain_slots(self) -> list[tuple[int, BoardState | None]]:
        """(chain number, board) for every chain with a board slot of the model.

        The model's chains are always listed; a board removed from the state leaves its chain
        empty (no chips, no rate, as the firmware reports an unplugged board); extra boards
        get the following chain numbers. Asleep, every chain reads empty.
        """
        boards = [] if self.asleep else self.state.boards
        chains = list(self.chains)
        while len(chains) < len(self.state.boards):
            chains.append(chains[-1] + 1)
        return [
            (chain, boards[index] if index < len(boards) else None)
            for index, chain in enumerate(chains)
        ]

    def listed_slots(self) -> list[tuple[int, BoardState | None]]:
        """Every chain slot the firmware lists, with its board (None: empty)."""
        slots = dict(self.chain_slots())
        last = max(self.listed_chains, *slots)
        return [(chain, slots.get(chain)) for chain in range(1, last + 1)]

    def chain_counts(self, chain: int, board: BoardState | None) -> dict[str, Any]:
        """A chain's chip count, chip map, errors and rate (GH/s); empty without a board."""
        if board is None:
            return {
                f"chain_acn{chain}": 0,
                f"chain_acs{chain}": "",
                f"chain_hw{chain}": 0,
                f"chain_rate{chain}": "",
            }
        chip_map = " " + " ".join(["oooooooo"] * (board.chips // 8)) + self.chip_map_tail
        return {
            f"chain_acn{chain}": board.chips,
            f"chain_acs{chain}": chip_map,
            f"chain_hw{chain}": 0,
            f"chain_rate{chain}": f"{self.state.board_hashrate(board) * 1000:.2f}",
        }

    def chain_fields(self) -> dict[str, Any]:
        """Per-chain temperatures and frequencies of the chain-data object."""
        raise NotImplementedError

    def fan_fields(self) -> dict[str, Any]:
        """``fan_num`` and every listed ``fan<N>`` (asleep: all 0 and ``fan_num`` 0)."""
        fans: dict[str, Any] = {"fan_num": 0 if self.asleep else len(self.fan_slots)}
        for slot in range(1, self.listed_fans + 1):
            if slot in self.fan_slots and not self.asleep:
                fans[f"fan{slot}"] = self.state.fan_rpm(self.fan_slots.index(slot))
            else:
                fans[f"fan{slot}"] = 0
        return fans

    def stats_extra(self) -> dict[str, Any]:
        """Fields of a firmware's own at the end of the chain-data object (none here)."""
        return {}

    def stats_entries(self) -> list[dict[str, Any]]:
        """[version-ish object, the chain-data object]."""
        state = self.state
        ghs = self.ghs()
        boards = [board for _, board in self.chain_slots() if board is not None]
        miner: dict[str, Any] = {
            "STATS": 0,
            "ID": self.stats_id,
            "Elapsed": state.uptime(),
            "Calls": 0,
            "Wait": 0.0,
            "Max": 0.0,
            "Min": 99999999.0,
            "GHS 5s": self.ghs_value(ghs),
            "GHS av": ghs,
        }
        if self.awake_mode is not None:
            miner["rate_30m"] = ghs
        if self.awake_mode is not None or self.asleep:
            miner["Mode"] = SLEEP_MODE if self.asleep else self.awake_mode
        miner.update(
            {
                "miner_count": len(boards),
                "frequency": str(boards[0].frequency) if boards else "",
                **self.fan_fields(),
                "temp_num": len(boards),
                **self.chain_fields(),
                "total_rateideal": 0.0 if self.asleep else round(state.nominal_hashrate * 1000, 2),
                "total_freqavg": float(boards[0].frequency) if boards else 0.0,
                "total_acn": sum(board.chips for board in boards),
                self.total_rate_key: ghs,
                "temp_max": self.temp_max(boards),
                "no_matching_work": 0,
            }
        )
        for chain, board in self.listed_slots():
            miner.update(self.chain_counts(chain, board))
        miner["miner_version"] = self.miner_version
        miner["miner_id"] = self.miner_id
        miner.update(self.stats_extra())
        header = {
            self.stats_software or self.software: self.software_version,
            "Miner": self.miner_version,
            "CompileTime": self.compile_time,
            "Type": self.type_name(),
        }
        return [header, miner]

    def temp_max(self, boards: list[BoardState]) -> int:
        """``temp_max`` as the firmware writes it (the S9: the hottest board)."""
        return max((round(self.state.board_temperature(b)) for b in boards), default=0)

    def cmd_stats(self, parameter: str | None) -> Reply:
        """Valid JSON, or the two objects with no comma between them (``}{``)."""
        status = json.dumps([self.status(70, f"{self.software} stats")])
        first, second = (json.dumps(entry) for entry in self.stats_entries())
        glue = "" if self.split_stats else ","
        return f'{{"STATUS":{status},"STATS":[{first}{glue}{second}],"id":1}}'.encode()

    def cmd_devs(self, parameter: str | None) -> Reply:
        """2022+ firmware: one ``BTM_SOC`` entry, no board (rates 0, ``Tenperature``)."""
        if not self.soc_devs:
            return super().cmd_devs(parameter)
        entry = {
            "ASC": 0,
            "Name": "BTM_SOC",
            "ID": 0,
            "Enabled": "Y",
            "Status": "Alive",
            "Tenperature": 0.0,
            "MHS av": 0.0,
            "MHS 5s": 0.0,
            "Accepted": self.state.accepted,
            "Rejected": self.state.rejected,
            "Hardware Errors": 0,
            "Utility": 0.0,
            "Last Share Pool": 0,
            "Last Share Time": 0,
            "Total MH": 0.0,
            "Diff1 Work": 0,
            "Difficulty Accepted": float(self.state.accepted * 65536),
            "Difficulty Rejected": float(self.state.rejected * 65536),
            "Last Share Difficulty": 0,
            "Last Valid Work": 0,
            "Device Hardware%": 0.0,
            "Device Rejected%": 0.0,
            "Device Elapsed": self.state.uptime(),
        }
        return self.ok(9, "1 ASC(s)", "DEVS", [entry])


class AntminerS19(_Antminer):
    """Antminer S19 95 TH/s, stock firmware of 2022 ("cgminer 1.0.0"); cannot batch commands."""

    name: ClassVar[str] = "antminer-s19"
    software: ClassVar[str] = "CGMiner"
    software_version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = "cgminer 1.0.0"
    miner_version: ClassVar[str] = "49.0.1.3"
    compile_time: ClassVar[str] = "Tue Dec  6 16:12:30 CST 2022"
    chains: ClassVar[tuple[int, ...]] = (1, 2, 3)
    listed_chains: ClassVar[int] = 4
    fan_slots: ClassVar[tuple[int, ...]] = (1, 2, 3, 4)
    listed_fans: ClassVar[int] = 4
    supports_multicommand: ClassVar[bool] = False
    soc_devs: ClassVar[bool] = True
    total_rate_key: ClassVar[str] = "total rate"
    awake_mode: ClassVar[int | None] = 2
    chip_map_tail: ClassVar[str] = " oooo"
    miner_id: ClassVar[str] = "8144d5ca79101919"

    @classmethod
    def initial_state(cls) -> MinerState:
        """Three BM1398 boards of 76 chips, four fans, 3250 W."""
        return cls.stock_state(
            model="S19",
            firmware="Antminer-S19-20210325",
            mac="02:3a:19:00:00:19",
            hostname="Antminer",
            serial="JYZZA3BBCJDBF0123",
            nominal_power=3250.0,
            idle_power=18.0,
            boards=[
                BoardState(hashrate=31.67, temperature=62.0, chip_temperature=77.0, chips=76)
                for _ in range(3)
            ],
            fans=[5520, 5580, 5640, 5460],
        )

    def summary_fields(self) -> dict[str, Any]:
        """2022+ firmware adds ``GHS 30m`` and writes ``Getwork`` (singular)."""
        fields = super().summary_fields()
        fields["GHS 30m"] = fields["GHS av"]
        fields["Getwork"] = fields.pop("Getworks")
        return fields

    def temp_max(self, boards: list[BoardState]) -> int:
        """0 while the boards read 70 °C (a placeholder)."""
        return 0

    def chain_fields(self) -> dict[str, Any]:
        """S19: ``temp<N>``/``temp2_<N>`` and four-sensor lists per chain."""
        fields: dict[str, Any] = {}
        slots = self.listed_slots()
        readings: dict[int, tuple[int, int]] = {}
        for chain, board in slots:
            if board is not None:
                pcb = round(self.state.board_temperature(board))
                chip = round(self.state.chip_temperature(board))
                readings[chain] = (pcb, chip)
        for chain, _ in slots:
            fields[f"temp{chain}"] = readings.get(chain, (0, 0))[0]
        for chain, _ in slots:
            fields[f"temp2_{chain}"] = readings.get(chain, (0, 0))[1]
        for chain, _ in slots:
            if chain in readings:
                pcb, chip = readings[chain]
                fields[f"temp_pic{chain}"] = f"{pcb - 10}-{pcb - 38}-{pcb - 19}-{pcb - 18}"
                fields[f"temp_pcb{chain}"] = f"{pcb}-{pcb - 28}-{pcb - 9}-{pcb - 8}"
                fields[f"temp_chip{chain}"] = f"{chip}-{chip - 28}-{chip - 9}-{chip - 8}"
            else:
                for kind in ("pic", "pcb", "chip"):
                    fields[f"temp_{kind}{chain}"] = "0-0-0-0"
        for chain, board in slots:
            fields[f"chain_rateideal{chain}"] = (
                0.0 if board is None else round(board.hashrate * 1000, 2)
            )
        for chain, board in slots:
            fields[f"freq{chain}"] = 0 if board is None else board.frequency
        fields["rate_unit"] = "GH"
        return fields


class AntminerS9(_Antminer):
    """Antminer S9 13.5 TH/s, bmminer 2.0.0 of 2017; chains 6-8, fans in slots 3 and 6."""

    name: ClassVar[str] = "antminer-s9"
    software_version: ClassVar[str] = "2.0.0"
    description: ClassVar[str] = "bmminer 1.0.0"
    miner_version: ClassVar[str] = "16.8.1.3"
    compile_time: ClassVar[str] = "Fri Nov 17 17:57:49 CST 2017"
    stats_id: ClassVar[str] = "BC50"
    split_stats: ClassVar[bool] = True
    chains: ClassVar[tuple[int, ...]] = (6, 7, 8)
    listed_chains: ClassVar[int] = 16
    fan_slots: ClassVar[tuple[int, ...]] = (3, 6)
    listed_fans: ClassVar[int] = 8
    quote_ghs: ClassVar[bool] = True
    miner_id: ClassVar[str] = "80749dc610350909"
    conf_form: ClassVar[bool] = True

    @classmethod
    def initial_state(cls) -> MinerState:
        """Three BM1387 boards of 63 chips, two fans, 1323 W, no serial number."""
        return cls.stock_state(
            model="S9",
            firmware="Antminer-S9-20180529",
            mac="02:3a:09:00:00:09",
            hostname="antMiner",
            serial=None,
            nominal_power=1323.0,
            idle_power=12.0,
            boards=[
                BoardState(
                    hashrate=4.5, temperature=60.0, chip_temperature=75.0, chips=63, frequency=650
                )
                for _ in range(3)
            ],
            fans=[5880, 5760],
        )

    def chain_fields(self) -> dict[str, Any]:
        """S9: ``temp<N>`` board, ``temp2_<N>`` chip, ``temp3_<N>`` unused, for all 16 slots."""
        fields: dict[str, Any] = {}
        slots = self.listed_slots()
        for chain, board in slots:
            fields[f"temp{chain}"] = (
                0 if board is None else round(self.state.board_temperature(board))
            )
        for chain, board in slots:
            fields[f"temp2_{chain}"] = (
                0 if board is None else round(self.state.chip_temperature(board))
            )
        for chain, _ in slots:
            fields[f"temp3_{chain}"] = 0
        for chain, board in slots:
            fields[f"freq_avg{chain}"] = 0.0 if board is None else float(board.frequency)
        for chain, board in slots:
            fields[f"chain_rateideal{chain}"] = (
                0.0 if board is None else round(board.hashrate * 1000, 2)
            )
        return fields
