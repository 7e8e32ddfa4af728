"""A Whatsminer speaking API v3 (port 4433): length-prefixed JSON both ways, signed writes.

``V3Handler`` answers decoded requests from a ``MinerState``. It is served two ways: by
``MinerSimulator`` as the ``whatsminer-v3`` personality (``personalities/whatsminer_v3.py``,
through the personality framing hook, with every server fault), and by the small standalone
``WhatsminerV3Simulator`` here, whose faults are the framing ones: SILENT, TRUNCATED (half a
frame, then close), GARBAGE (a frame of noise), OVERSIZED (a header announcing a huge frame),
REFUSE and WRONG_PASSWORD.

Replies: ``{"code": 0, "when": …, "msg": …, "desc": cmd}``; -1 failure, -2 unknown command,
-4 "no permission" (bad token). Writes must carry ``ts``, ``account`` and ``token`` =
base64(sha256(cmd + password + salt + ts))[:8].
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import struct
import time
from types import TracebackType
from typing import Any, Self

from custom_components.asic_miner.api.whatsminer_v3 import v3_token

from .faults import Fault
from .state import BoardState, MinerState, PoolState

_HEADER = struct.Struct("<I")
_MODE_CODES = {"low": "0", "normal": "1", "high": "2"}


def initial_state() -> MinerState:
    """A Whatsminer M60S: three 62 TH/s boards, 3420 W, account ``super``/``super``."""
    return MinerState(
        make="Whatsminer",
        model="M60S",
        firmware="20240613.18.Rel",
        mac="C4:08:28:00:60:01",
        hostname="WhatsMiner-M60S",
        serial="HKM60S2024ABC0001",
        password="super",
        nominal_power=3420.0,
        power_limit=3600,
        work_mode="normal",
        jitter=False,
        boards=[
            BoardState(hashrate=62.0, temperature=63.0, chip_temperature=78.0, chips=172)
            for _ in range(3)
        ],
        fans=[4800, 4700],
        pools=[
            PoolState(
                url="stratum+tcp://btc.f2pool.com:1314",
                user="m60.001",
                active=True,
                accepted=900,
                rejected=1,
            )
        ],
    )


class V3Handler:
    """API v3 command handling on ``state``; the host provides the hooks below."""

    state: MinerState
    #: The device salt ``get.device.info`` hands out for signing.
    salt: str
    #: error code -> since when (``get.device.info`` ``error-code``)
    error_codes: dict[str, str]

    def record(self, command: str) -> None:
        """Note a received command."""
        raise NotImplementedError

    def password_accepted(self) -> bool:
        """False while the owner's password is not the state's (WRONG_PASSWORD)."""
        raise NotImplementedError

    def on_reboot(self) -> None:
        """``set.system.reboot`` was accepted."""
        self.state.reset_uptime()

    def envelope(self, command: str, msg: Any, code: int = 0) -> dict[str, Any]:
        """The v3 reply envelope."""
        return {"code": code, "when": int(time.time()), "msg": msg, "desc": command}

    def answer(self, request: Any) -> dict[str, Any]:
        """Answer one decoded request."""
        command = str(request.get("cmd", "")) if isinstance(request, dict) else ""
        self.record(command)
        param = request.get("param") if isinstance(request, dict) else None
        if command.startswith("set."):
            return self._write(command, param, request)
        if command == "get.device.info":
            info = self._device_info()
            return self.envelope(command, {param: info[param]} if param in info else info)
        if command == "get.miner.status":
            status = self._status()
            parts = str(param or "").split("+")
            return self.envelope(command, {part: status[part] for part in parts if part in status})
        return self.envelope(command, "invalid command", -2)

    def _device_info(self) -> dict[str, Any]:
        state = self.state
        return {
            "network": {"mac": state.mac, "hostname": state.hostname, "ip": "127.0.0.1"},
            "system": {
                "api": "3.0.1",
                "fwversion": state.firmware,
                "platform": "H616",
                "ledstatus": "manual" if state.fault_light else "auto",
            },
            "miner": {
                "type": f"{state.model}_VK30",
                "working": "false" if state.paused else "true",
                "miner-sn": state.serial,
            },
            "power": {"mode": _MODE_CODES.get(state.work_mode or "normal", "1")},
            "salt": self.salt,
            "error-code": [{code: when} for code, when in self.error_codes.items()],
        }

    def _status(self) -> dict[str, Any]:
        state = self.state
        return {
            "summary": {
                "elapsed": state.uptime(),
                "hash-realtime": round(state.current_hashrate(), 3),
                "hash-average": round(state.current_hashrate(), 3),
                "factory-hash": state.nominal_hashrate,
                "power-realtime": round(state.current_power()),
                "power-limit": state.power_limit,
                "fan-speed-in": state.fan_rpm(0),
                "fan-speed-out": state.fan_rpm(1),
                "environment-temperature": 25.0,
            },
            "pools": [
                {
                    "id": index,
                    "url": pool.url,
                    "status": "alive" if pool.alive else "dead",
                    "account": pool.user,
                    "stratum-active": pool.active,
                }
                for index, pool in enumerate(state.pools)
            ],
            "edevs": [
                {
                    "id": index,
                    "slot": index,
                    "hash-average": round(state.board_hashrate(board), 3),
                    "factory-hash": board.hashrate,
                    "chip-temp-min": state.board_temperature(board),
                    "chip-temp-max": state.chip_temperature(board),
                    "effective-chips": board.chips,
                    "freq": board.frequency,
                }
                for index, board in enumerate(state.boards)
            ],
        }

    def _write(self, command: str, param: Any, request: dict[str, Any]) -> dict[str, Any]:
        ts = request.get("ts")
        password = self.state.password if self.password_accepted() else "\x00"
        if (
            request.get("account") != "super"
            or not isinstance(ts, int)
            or request.get("token") != v3_token(command, password, self.salt, ts)
        ):
            return self.envelope(command, "no permission", -4)
        state = self.state
        if command == "set.miner.service" and param in ("start", "stop", "restart"):
            state.paused = param == "stop"
            if param == "restart":
                state.reset_uptime()
        elif command == "set.miner.power_limit" and isinstance(param, int) and param > 0:
            state.power_limit = param
        elif command == "set.miner.power_mode" and param in _MODE_CODES:
            state.work_mode = param
        elif command == "set.system.led" and (param == "auto" or isinstance(param, list)):
            state.fault_light = param != "auto"
        elif command == "set.system.reboot":
            self.on_reboot()
        else:
            return self.envelope(command, "invalid param", -1)
        return self.envelope(command, "ok")


class WhatsminerV3Simulator(V3Handler):
    """``async with WhatsminerV3Simulator() as sim``: ``sim.port``, ``sim.state``."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Nothing listens until ``start``."""
        self.host = host
        self.port = port
        self.state = initial_state()
        self.salt = "BQ5hoXV9"
        self.received: list[str] = []
        self.fault = Fault.NONE
        self.error_codes: dict[str, str] = {}
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> Self:
        """Start serving."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop serving."""
        await self.stop()

    async def start(self) -> None:
        """Listen on ``host:port`` (0 = ephemeral)."""
        self._server = await asyncio.start_server(self._on_connection, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Close the listener and every connection."""
        if self._server is not None:
            self._server.close()
            self._server.close_clients()
            await self._server.wait_closed()
            self._server = None

    def set_fault(self, fault: Fault) -> None:
        """Switch fault mode (REFUSE closes the listener until ``start`` again)."""
        self.fault = fault
        if fault is Fault.REFUSE and self._server is not None:
            self._server.close()
            self._server.close_clients()
            self._server = None

    def record(self, command: str) -> None:
        """Into ``received``."""
        self.received.append(command)

    def password_accepted(self) -> bool:
        """Not under WRONG_PASSWORD."""
        return self.fault is not Fault.WRONG_PASSWORD

    # --- one connection ----------------------------------------------------------------------

    async def _on_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            async with asyncio.timeout(10):
                (length,) = _HEADER.unpack(await reader.readexactly(_HEADER.size))
                request = json.loads(await reader.readexactly(min(length, 65536)))
            reply = json.dumps(self.answer(request)).encode()
            frame = _HEADER.pack(len(reply)) + reply
            if self.fault is Fault.SILENT:
                await reader.read()
                return
            if self.fault is Fault.TRUNCATED:
                frame = frame[: len(frame) // 2]
            elif self.fault is Fault.GARBAGE:
                frame = _HEADER.pack(8) + b"\x8f\xff{noise"
            elif self.fault is Fault.OVERSIZED:
                frame = _HEADER.pack(0x7FFFFFFF) + b"{"
            writer.write(frame)
            await writer.drain()
        except TimeoutError, ConnectionError, asyncio.IncompleteReadError, ValueError:
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
