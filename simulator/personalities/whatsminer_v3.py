"""A Whatsminer speaking API v3 (port 4433): length-prefixed JSON both ways, signed writes.

The wire is not cgminer's: a 4-byte little-endian length, then the JSON, both ways. An
unframed request (a cgminer probe) reads as an absurd length and is closed unanswered. The
faults keep the framing where a v3 miner would: GARBAGE is a well-framed frame of noise (what
firmware with broken JSON sends), OVERSIZED a header announcing a huge frame, TRUNCATED half a
frame.

Replies: ``{"code": 0, "when": …, "msg": …, "desc": cmd}``; -1 failure, -2 unknown command,
-4 "no permission" (bad token). Writes must carry ``ts``, ``account`` and ``token`` =
base64(sha256(cmd + password + salt + ts))[:8]. ``salt`` and ``error_codes`` are attributes a
test may change.
"""

from __future__ import annotations

import asyncio
import json
import struct
import time
from typing import Any, ClassVar

from custom_components.asic_miner.api.whatsminer_v3 import v3_token
from simulator.personality import REQUEST_LIMIT, REQUEST_TIMEOUT, Personality, Reply
from simulator.state import BoardState, MinerState, PoolState

_HEADER = struct.Struct("<I")
_MODE_CODES = {"low": "0", "normal": "1", "high": "2"}


class WhatsminerV3(Personality):
    """A Whatsminer M60S speaking API v3, account ``super``/``super``."""

    name: ClassVar[str] = "whatsminer-v3"
    family: ClassVar[str] = "btminer-v3"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """The device salt and no error codes."""
        super().__init__(*args, **kwargs)
        #: The device salt ``get.device.info`` hands out for signing.
        self.salt = "BQ5hoXV9"
        #: error code -> since when (``get.device.info`` ``error-code``)
        self.error_codes: dict[str, str] = {}

    @classmethod
    def initial_state(cls) -> MinerState:
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

    # --- the wire ----------------------------------------------------------------------------

    async def read_request(self, reader: asyncio.StreamReader) -> dict[str, Any] | None:
        """One length-prefixed JSON request; None for an unframed or oversized one."""
        async with asyncio.timeout(REQUEST_TIMEOUT):
            (length,) = _HEADER.unpack(await reader.readexactly(_HEADER.size))
            if length > REQUEST_LIMIT:
                return None
            body = await reader.readexactly(length)
        try:
            payload = json.loads(body)
        except ValueError:
            return {"cmd": None}
        return payload if isinstance(payload, dict) else {"cmd": None}

    def encode(self, reply: Reply) -> bytes:
        """Length prefix, then the JSON."""
        body = reply if isinstance(reply, bytes) else json.dumps(reply).encode()
        return _HEADER.pack(len(body)) + body

    def garbage(self, noise: bytes) -> bytes:
        """A well-framed frame whose body is not JSON."""
        return self.encode(noise)

    def oversized_head(self, size: int) -> bytes:
        """A header announcing the whole ``size``, then the start of the JSON."""
        return _HEADER.pack(min(size, 0xFFFFFFFF)) + b'{"code":0,"msg":"'

    # --- commands ----------------------------------------------------------------------------

    def envelope(self, command: str, msg: Any, code: int = 0) -> dict[str, Any]:
        """The v3 reply envelope."""
        return {"code": code, "when": int(time.time()), "msg": msg, "desc": command}

    def handle_request(self, payload: dict[str, Any]) -> Reply:
        """``get.device.info``, ``get.miner.status`` and the signed ``set.*`` writes."""
        command = str(payload.get("cmd", ""))
        self.sim.received.append(command)
        param = payload.get("param")
        if command.startswith("set."):
            return self._write(command, param, payload)
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
        # WRONG_PASSWORD: the owner changed the password, no token we can make matches.
        password = self.state.password if self.check_password(self.state.password) else "\x00"
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
            self.sim.reboot(self.sim.reboot_seconds)  # offline after the reply, as the others
        else:
            return self.envelope(command, "invalid param", -1)
        return self.envelope(command, "ok")
