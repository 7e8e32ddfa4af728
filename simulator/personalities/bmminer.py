"""Stock Bitmain Antminer firmware (bmminer): S19 and S9.

Captured-style quirks reproduced here:
- ``stats`` writes its two objects without a comma between them (``}{``);
- the S9 ``summary`` quotes ``GHS 5s`` as a string;
- hash boards live in ``stats`` as ``chain_rate<N>``/``chain_acn<N>``/``temp2_<N>`` (S9,
  chains 6-8) or ``temp_pcb<N>``/``temp_chip<N>`` dash-separated sensor lists (S19, chains 1-3);
- the S19 refuses ``+`` joined commands (answered as one invalid command), the S9 joins them;
- no power reading, no controls over TCP: those go through the web CGI (``AntminerWeb``);
- a board removed from the state leaves its chain listed empty (0 chips, rate ``""``), as the
  firmware lists an unplugged board; boards beyond the model's chains take the next numbers;
- fans are reported by slot (``fan<N>``; the S9 lists eight slots for its two fans in 3 and 6,
  ``fan_num`` 2): a fan that dies (``state.fans[i] = 0``) reads 0 in its own slot;
- the work mode is ``state.work_mode`` (``normal``/``sleep``/``low``), reported only by the web
  interface's ``get_miner_conf.cgi``; setting it in a test is a change made on the miner's own
  web page (asleep, the boards stop hashing).
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from simulator.personality import Reply
from simulator.state import BoardState, MinerState, PoolState

from .antminer_web import AntminerWeb
from .cgminer import CGMinerPersonality


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
    api_version: ClassVar[str] = "3.1"
    device_kind: ClassVar[str] = "ASC"
    driver: ClassVar[str] = "BTM_SOC0"
    compile_time: ClassVar[str]
    miner_version: ClassVar[str]
    #: Chain numbers the firmware reports the boards under.
    chains: ClassVar[tuple[int, ...]]
    #: The fan slots (1-based) in use; others read 0.
    fan_slots: ClassVar[tuple[int, ...]]
    quote_ghs: ClassVar[bool] = False
    #: What ``chain_acs`` ends with after the groups of eight chips.
    chip_map_tail: ClassVar[str] = ""

    @staticmethod
    def stock_state(**model: Any) -> MinerState:
        """A model's state with what every stock Antminer has: web password ``root``, normal
        work mode, the same two pools."""
        return MinerState(
            make="Antminer", password="root", work_mode="normal", pools=_pools(), **model
        )

    def version_fields(self) -> dict[str, Any]:
        """BMMiner adds Miner, CompileTime and the model as Type."""
        return {
            self.software: self.software_version,
            "API": self.api_version,
            "Miner": self.miner_version,
            "CompileTime": self.compile_time,
            "Type": f"Antminer {self.state.model}",
        }

    def summary_fields(self) -> dict[str, Any]:
        """GH/s instead of MH/s; the S9 quotes ``GHS 5s``."""
        fields = super().summary_fields()
        ghs = round(self.state.current_hashrate() * 1000, 2)
        for window in ("5s", "1m", "5m", "15m"):
            fields.pop(f"MHS {window}", None)
        fields.pop("MHS av", None)
        return {
            "Elapsed": fields.pop("Elapsed"),
            "GHS 5s": f"{ghs:.2f}" if self.quote_ghs else ghs,
            "GHS av": ghs,
            **fields,
        }

    def chain_fields(self) -> dict[str, Any]:
        """Per-chain entries of the second STATS object."""
        raise NotImplementedError

    def chain_counts(self, chain: int, board: BoardState | None) -> dict[str, Any]:
        """A chain's chip count, chip map, errors and rate (GH/s); empty without a board."""
        if board is None:
            return {
                f"chain_acn{chain}": 0,
                f"chain_acs{chain}": "",
                f"chain_hw{chain}": 0,
                f"chain_rate{chain}": "",
            }
        chip_map = " ".join(["oooooooo"] * (board.chips // 8)) + self.chip_map_tail
        return {
            f"chain_acn{chain}": board.chips,
            f"chain_acs{chain}": chip_map,
            f"chain_hw{chain}": 0,
            f"chain_rate{chain}": f"{self.state.board_hashrate(board) * 1000:.2f}",
        }

    def chain_slots(self) -> list[tuple[int, BoardState | None]]:
        """(chain number, board) for every chain the firmware reports.

        The model's chains are always listed; a board removed from the state leaves its chain
        empty (no chips, no rate, as the firmware reports an unplugged board); extra boards
        get the following chain numbers.
        """
        boards = self.state.boards
        chains = list(self.chains)
        while len(chains) < len(boards):
            chains.append(chains[-1] + 1)
        return [
            (chain, boards[index] if index < len(boards) else None)
            for index, chain in enumerate(chains)
        ]

    def stats_entries(self) -> list[dict[str, Any]]:
        """[version-ish object, the miner object]."""
        state = self.state
        ghs = round(state.current_hashrate() * 1000, 2)
        fans: dict[str, Any] = {"fan_num": len(self.fan_slots)}
        for slot in range(1, 9 if len(self.fan_slots) <= 2 else 5):
            if slot in self.fan_slots:
                fans[f"fan{slot}"] = state.fan_rpm(self.fan_slots.index(slot))
            else:
                fans[f"fan{slot}"] = 0
        miner = {
            "STATS": 0,
            "ID": "BC50",
            "Elapsed": state.uptime(),
            "Calls": 0,
            "Wait": 0.0,
            "Max": 0.0,
            "Min": 99999999.0,
            "GHS 5s": f"{ghs:.2f}" if self.quote_ghs else ghs,
            "GHS av": ghs,
            "miner_count": len(state.boards),
            "frequency": str(state.boards[0].frequency) if state.boards else "0",
            **fans,
            "temp_num": len(state.boards),
            **self.chain_fields(),
            "total_rateideal": round(state.nominal_hashrate * 1000, 2),
            "total_freqavg": float(state.boards[0].frequency) if state.boards else 0.0,
            "total_acn": sum(board.chips for board in state.boards),
            "total_rate": ghs,
            "temp_max": max((round(state.board_temperature(b)) for b in state.boards), default=0),
            "no_matching_work": 0,
            "Device Hardware%": 0.0001,
        }
        return [
            {
                self.software: self.software_version,
                "Miner": self.miner_version,
                "CompileTime": self.compile_time,
                "Type": f"Antminer {state.model}",
            },
            miner,
        ]

    def cmd_stats(self, parameter: str | None) -> Reply:
        """The firmware writes ``}{`` between the two STATS objects."""
        status = json.dumps([self.status(70, f"{self.software} stats")])
        first, second = (json.dumps(entry) for entry in self.stats_entries())
        return f'{{"STATUS":{status},"STATS":[{first}{second}],"id":1}}'.encode()


class AntminerS19(_Antminer):
    """Antminer S19 95 TH/s, bmminer 1.0.0; cannot batch commands."""

    name: ClassVar[str] = "antminer-s19"
    software_version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = "bmminer 1.0.0"
    miner_version: ClassVar[str] = "uart_trans.1.3"
    compile_time: ClassVar[str] = "Mon Nov 16 11:49:21 CST 2020"
    chains: ClassVar[tuple[int, ...]] = (1, 2, 3)
    fan_slots: ClassVar[tuple[int, ...]] = (1, 2, 3, 4)
    supports_multicommand: ClassVar[bool] = False
    chip_map_tail: ClassVar[str] = " oooo"

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

    def chain_fields(self) -> dict[str, Any]:
        """S19: temp_pcb/temp_chip as four dash-separated sensors per chain."""
        fields: dict[str, Any] = {}
        slots = self.chain_slots()
        for chain, board in slots:
            if board is None:
                fields[f"temp{chain}"] = 0
                fields[f"temp_pcb{chain}"] = "0-0-0-0"
                fields[f"temp_chip{chain}"] = "0-0-0-0"
                continue
            pcb = round(self.state.board_temperature(board))
            chip = round(self.state.chip_temperature(board))
            fields[f"temp{chain}"] = pcb
            fields[f"temp_pcb{chain}"] = f"{pcb - 2}-{pcb - 3}-{pcb}-{pcb - 1}"
            fields[f"temp_chip{chain}"] = f"{chip - 3}-{chip - 4}-{chip}-{chip - 1}"
        for chain, board in slots:
            fields.update(self.chain_counts(chain, board))
            fields[f"chain_rateideal{chain}"] = (
                0.0 if board is None else round(board.hashrate * 1000, 2)
            )
            fields[f"freq{chain}"] = 0 if board is None else board.frequency
        fields["rate_unit"] = "GH"
        return fields


class AntminerS9(_Antminer):
    """Antminer S9 13.5 TH/s, bmminer 2.0.0; chains 6-8, fans in slots 3 and 6."""

    name: ClassVar[str] = "antminer-s9"
    software_version: ClassVar[str] = "2.0.0"
    description: ClassVar[str] = "bmminer 2.0.0"
    miner_version: ClassVar[str] = "16.8.1.3"
    compile_time: ClassVar[str] = "Tue May 29 13:58:09 CST 2018"
    chains: ClassVar[tuple[int, ...]] = (6, 7, 8)
    fan_slots: ClassVar[tuple[int, ...]] = (3, 6)
    quote_ghs: ClassVar[bool] = True

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
        """S9: temp<N> board, temp2_<N> chip, chain_rate<N> in GH/s as a string."""
        fields: dict[str, Any] = {}
        slots = self.chain_slots()
        for chain, board in slots:
            fields[f"temp{chain}"] = (
                0 if board is None else round(self.state.board_temperature(board))
            )
        for chain, board in slots:
            fields[f"temp2_{chain}"] = (
                0 if board is None else round(self.state.chip_temperature(board))
            )
        for chain, board in slots:
            fields.update(self.chain_counts(chain, board))
        return fields
