"""The cgminer API (API 3.7): the base of every CGMiner-API personality.

``CGMinerPersonality`` speaks cgminer's wire (one unframed JSON request or ``command|parameter``,
a NUL-terminated reply), dispatches each command to a ``cmd_<name>(parameter)`` method, merges
``+`` joined commands as cgminer does, and renders the stock commands from ``MinerState``; the
Antminer, Avalon, Goldshell and other personalities extend it with their firmware's own fields.
Returning ``bytes`` from a command sends them verbatim, which is how a personality reproduces
the broken JSON some firmwares emit.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any, ClassVar

from simulator.personality import REQUEST_LIMIT, REQUEST_TIMEOUT, Personality, Reply
from simulator.state import BoardState, PoolState


class CGMinerPersonality(Personality):
    """Stock cgminer command set; subclasses override the parts their firmware changes."""

    family: ClassVar[str] = "cgminer"
    #: The key naming the miner software in ``version`` ("CGMiner", "BMMiner", "BFGMiner").
    software: ClassVar[str] = "CGMiner"
    software_version: ClassVar[str] = "4.11.1"
    api_version: ClassVar[str] = "3.7"
    device_kind: ClassVar[str] = "ASC"
    driver: ClassVar[str] = "cgm"
    #: The "Description" cgminer puts in every STATUS, e.g. "cgminer 4.11.1".
    description: ClassVar[str] = "cgminer 4.11.1"
    #: Whether ``+`` joined commands are answered as one merged reply.
    supports_multicommand: ClassVar[bool] = True

    # --- the wire ----------------------------------------------------------------------------

    async def read_request(self, reader: asyncio.StreamReader) -> dict[str, Any] | None:
        """One unframed JSON object, or the plain ``command|parameter`` form."""
        buffer = b""
        decoder = json.JSONDecoder()
        async with asyncio.timeout(REQUEST_TIMEOUT):
            while len(buffer) < REQUEST_LIMIT:
                chunk = await reader.read(4096)
                buffer += chunk
                text = buffer.decode("utf-8", "replace").strip().rstrip("\x00")
                if text.startswith("{"):
                    try:
                        payload, _ = decoder.raw_decode(text)
                    except json.JSONDecodeError:
                        if not chunk:
                            return {"command": None}
                        continue
                    return payload if isinstance(payload, dict) else {"command": None}
                if text:
                    command, _, parameter = text.partition("|")
                    return {"command": command, "parameter": parameter or None}
                if not chunk:
                    return None
        return {"command": None}

    def encode(self, reply: Reply) -> bytes:
        """cgminer terminates every reply with a NUL."""
        body = reply if isinstance(reply, bytes) else json.dumps(reply).encode()
        return body + b"\x00"

    # --- dispatch ----------------------------------------------------------------------------

    def handle(self, command: str, parameter: str | None) -> Reply:
        """Answer one command via its ``cmd_<command>`` method."""
        method = getattr(self, f"cmd_{command}", None) if command.isidentifier() else None
        if method is None:
            return self.error(14, "Invalid command")
        result: Reply = method(parameter)
        return result

    def handle_request(self, payload: dict[str, Any]) -> Reply:
        """Answer a decoded request; ``a+b`` is merged as ``{"a": [reply], "b": [reply]}``."""
        command = payload.get("command")
        if not isinstance(command, str):
            return self.error(14, "Missing JSON 'command'")
        raw_parameter = payload.get("parameter")
        parameter = None if raw_parameter is None else str(raw_parameter)
        if "+" not in command:
            self.sim.received.append(command)
            return self.handle(command, parameter)
        if not self.supports_multicommand:
            self.sim.received.append(command)
            return self.error(14, "Invalid command")
        parts: list[bytes] = []
        for sub in command.split("+"):
            self.sim.received.append(sub)
            reply = self.handle(sub, parameter)
            body = reply if isinstance(reply, bytes) else json.dumps(reply).encode()
            parts.append(json.dumps(sub).encode() + b":[" + body + b"]")
        return b"{" + b",".join(parts) + b',"id":1}'

    # --- reply helpers -----------------------------------------------------------------------

    def status(self, code: int, msg: str, status: str = "S") -> dict[str, Any]:
        """A cgminer STATUS object."""
        return {
            "STATUS": status,
            "When": int(time.time()),
            "Code": code,
            "Msg": msg,
            "Description": self.description,
        }

    def ok(
        self, code: int, msg: str, section: str | None = None, items: Any = None
    ) -> dict[str, Any]:
        """A successful reply, optionally with a data section."""
        reply: dict[str, Any] = {"STATUS": [self.status(code, msg)]}
        if section is not None:
            reply[section] = items
        reply["id"] = 1
        return reply

    def error(self, code: int, msg: str) -> dict[str, Any]:
        """A cgminer error reply (STATUS "E")."""
        return {"STATUS": [self.status(code, msg, "E")], "id": 1}

    # --- pieces ------------------------------------------------------------------------------

    def version_fields(self) -> dict[str, Any]:
        """The single VERSION object."""
        return {self.software: self.software_version, "API": self.api_version}

    def summary_fields(self) -> dict[str, Any]:
        """The single SUMMARY object (hashrates in MH/s as cgminer reports them)."""
        state = self.state
        mhs = state.current_hashrate() * 1_000_000
        elapsed = state.uptime()
        return {
            "Elapsed": elapsed,
            "MHS av": round(mhs, 2),
            "MHS 5s": round(mhs, 2),
            "MHS 1m": round(mhs, 2),
            "MHS 5m": round(mhs, 2),
            "MHS 15m": round(mhs, 2),
            "Found Blocks": 0,
            "Getworks": 2345,
            "Accepted": state.accepted,
            "Rejected": state.rejected,
            "Hardware Errors": state.hardware_errors,
            "Utility": 12.34,
            "Discarded": 4567,
            "Stale": 0,
            "Get Failures": 0,
            "Local Work": 123456,
            "Remote Failures": 0,
            "Network Blocks": 42,
            "Total MH": round(mhs * max(elapsed, 1), 1),
            "Work Utility": 1234567.89,
            "Difficulty Accepted": 98765432.0,
            "Difficulty Rejected": 12345.0,
            "Difficulty Stale": 0.0,
            "Best Share": 123456789,
            "Device Hardware%": 0.0001,
            "Device Rejected%": 0.0125,
            "Pool Rejected%": 0.0125,
            "Pool Stale%": 0.0,
            "Last getwork": 0,
        }

    def dev_fields(self, index: int, board: BoardState) -> dict[str, Any]:
        """One DEVS entry."""
        mhs = self.state.board_hashrate(board) * 1_000_000
        return {
            self.device_kind: index,
            "Name": self.driver,
            "ID": index,
            "Enabled": "Y",
            "Status": "Alive" if board.alive else "Dead",
            "Temperature": self.state.board_temperature(board),
            "MHS av": round(mhs, 2),
            "MHS 5s": round(mhs, 2),
            "MHS 1m": round(mhs, 2),
            "MHS 5m": round(mhs, 2),
            "MHS 15m": round(mhs, 2),
            "Accepted": self.state.accepted // max(len(self.state.boards), 1),
            "Rejected": self.state.rejected // max(len(self.state.boards), 1),
            "Hardware Errors": 0,
            "Utility": 4.11,
            "Last Share Pool": 0,
            "Last Share Time": 0,
            "Total MH": 0.0,
            "Diff1 Work": 0,
            "Difficulty Accepted": 0.0,
            "Difficulty Rejected": 0.0,
            "Last Share Difficulty": 0.0,
            "Last Valid Work": 0,
            "Device Hardware%": 0.0,
            "Device Rejected%": 0.0,
            "Device Elapsed": self.state.uptime(),
        }

    def pool_fields(self, index: int, pool: PoolState) -> dict[str, Any]:
        """One POOLS entry."""
        return {
            "POOL": index,
            "URL": pool.url,
            "Status": "Alive" if pool.alive else "Dead",
            "Priority": pool.priority,
            "Quota": 1,
            "Long Poll": "N",
            "Getworks": 1234,
            "Accepted": pool.accepted,
            "Rejected": pool.rejected,
            "Works": 0,
            "Discarded": 0,
            "Stale": pool.stale,
            "Get Failures": 0,
            "Remote Failures": 0,
            "User": pool.user,
            "Last Share Time": 0,
            "Diff1 Shares": 0,
            "Proxy Type": "",
            "Proxy": "",
            "Difficulty Accepted": float(pool.accepted * 65536),
            "Difficulty Rejected": float(pool.rejected * 65536),
            "Difficulty Stale": 0.0,
            "Last Share Difficulty": 65536.0,
            "Work Difficulty": 65536.0,
            "Has Stratum": True,
            "Stratum Active": pool.active,
            "Stratum URL": pool.url.removeprefix("stratum+tcp://").split(":")[0],
            "Stratum Difficulty": 65536.0,
            "Has Vmask": True,
            "Has GBT": False,
            "Best Share": 0,
            "Pool Rejected%": 0.0,
            # Kept as the personalities built on it expect (each renames it as its firmware
            # writes it); cgminer 4.11.1 itself writes "Pool Stale%" (VNish's real pools).
            "Pool Stale%%": 0.0,
            "Bad Work": 0,
            "Current Block Height": 870000,
            "Current Block Version": 536870912,
        }

    def stats_entries(self) -> list[dict[str, Any]]:
        """The STATS list; stock cgminer has one entry per device plus pool entries."""
        return [
            {
                "STATS": index,
                "ID": f"{self.driver.upper()}{index}",
                "Elapsed": self.state.uptime(),
                "Calls": 0,
                "Wait": 0.0,
                "Max": 0.0,
                "Min": 99999999.0,
            }
            for index, _ in enumerate(self.state.boards)
        ]

    # --- commands ----------------------------------------------------------------------------

    def cmd_version(self, parameter: str | None) -> Reply:
        """``version``."""
        return self.ok(22, f"{self.software} versions", "VERSION", [self.version_fields()])

    def cmd_summary(self, parameter: str | None) -> Reply:
        """``summary``."""
        return self.ok(11, "Summary", "SUMMARY", [self.summary_fields()])

    def cmd_devs(self, parameter: str | None) -> Reply:
        """``devs``."""
        boards = self.state.boards
        items = [self.dev_fields(index, board) for index, board in enumerate(boards)]
        return self.ok(9, f"{len(boards)} {self.device_kind}(s)", "DEVS", items)

    def cmd_pools(self, parameter: str | None) -> Reply:
        """``pools``."""
        pools = self.state.pools
        items = [self.pool_fields(index, pool) for index, pool in enumerate(pools)]
        return self.ok(7, f"{len(pools)} Pool(s)", "POOLS", items)

    def cmd_stats(self, parameter: str | None) -> Reply:
        """``stats``."""
        return self.ok(70, f"{self.software} stats", "STATS", self.stats_entries())

    def cmd_devdetails(self, parameter: str | None) -> Reply:
        """``devdetails``."""
        items = [
            {
                "DEVDETAILS": index,
                "Name": self.driver,
                "ID": index,
                "Driver": self.driver,
                "Kernel": "",
                "Model": self.state.model,
                "Device Path": "",
            }
            for index, _ in enumerate(self.state.boards)
        ]
        return self.ok(69, "Device Details", "DEVDETAILS", items)

    def cmd_config(self, parameter: str | None) -> Reply:
        """``config``."""
        count = len(self.state.boards)
        return self.ok(
            33,
            f"{self.software} config",
            "CONFIG",
            [
                {
                    f"{self.device_kind} Count": count,
                    "PGA Count": 0,
                    "Pool Count": len(self.state.pools),
                    "Strategy": "Failover",
                    "Log Interval": 5,
                    "Device Code": self.driver.upper(),
                    "OS": "Linux",
                    "Hotplug": "None",
                }
            ],
        )

    def cmd_coin(self, parameter: str | None) -> Reply:
        """``coin``."""
        return self.ok(
            78,
            f"{self.software} coin",
            "COIN",
            [
                {
                    "Hash Method": "sha256",
                    "Current Block Time": 1700000000.123,
                    "Current Block Hash": "00000000000000000001a2b3c4d5e6f7",
                    "LP": True,
                    "Network Difficulty": 95672703408223.94,
                }
            ],
        )
