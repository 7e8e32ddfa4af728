"""A Whatsminer speaking API v3 (port 4433): length-prefixed JSON both ways, signed writes.

The wire is not cgminer's: a 4-byte little-endian length, then the JSON, both ways. An
unframed request (a cgminer probe) reads as an absurd length and is closed unanswered. The
faults keep the framing where a v3 miner would: GARBAGE is a well-framed frame of noise (what
firmware with broken JSON sends), OVERSIZED a header announcing a huge frame, TRUNCATED half a
frame.

Replies: ``{"code": 0, "when": …, "msg": …, "desc": cmd}``; -1 failure, -2 unknown command,
-4 "no permission" (bad token). Writes must carry ``ts``, ``account`` and ``token`` =
base64(sha256(cmd + password + salt + ts))[:8], checked before anything else; reads are not
signed. ``salt`` and ``error_codes`` are attributes a test may change.

The keys are those of a real M60S on firmware 20251209.16.Rel2 (API 3.0.2): ``get.device.info``
with ``miner`` (``board-num`` as a string, ``chipdata<N>``, ``detect-hash-rate``,
``hash-board``, ``pcbsn<N>``, ``type`` ``M60S_VK40``, ``working``), ``network``, ``power``
(``fanspeed``, ``hwversion``, ``mode``, ``model``, ``sn``, ``swversion``, ``type``, ``vendor``),
``salt``, ``system`` (``api``, ``apiswitch``, ``control-board-version``, ``fwversion``,
``ledstatus``, ``platform``) and ``error-code`` only while there are errors;
``get.miner.status`` ``summary`` with ``board-temperature`` (one per board), the
``hash-*``/``power-*`` windows and ``environment-temperature``; ``edevs`` per board; ``pools``
with ``pool-priority``.
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
    """A Whatsminer M60S speaking API v3 (firmware 20251209.16.Rel2), account ``super``."""

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
            firmware="20251209.16.Rel2",
            mac="C4:08:28:00:60:01",
            hostname="WhatsMiner-M60S",
            serial="HKM60S2024ABC0001",
            password="super",
            nominal_power=3420.0,
            power_limit=3600,
            work_mode="normal",
            boards=[
                BoardState(hashrate=62.0, temperature=41.0, chip_temperature=78.0, chips=172)
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
        boards = state.boards
        info: dict[str, Any] = {
            "network": {
                "dns": "127.0.0.53",
                "gateway": "127.0.0.1",
                "hostname": state.hostname,
                "ip": "127.0.0.1",
                "mac": state.mac,
                "netmask": "255.0.0.0",
                "proto": "dhcp",
            },
            "miner": {
                "board-num": str(len(boards)),
                **{
                    f"chipdata{index}": "K8EC374-2426 BINVE6-197806A"
                    for index in range(len(boards))
                },
                "detect-hash-rate": ":".join(str(round(board.hashrate * 1000)) for board in boards),
                "fast-boot": "disable",
                "hash-board": "K40",
                "hash-percent": "0",
                "miner-sn": state.serial,
                **{
                    f"pcbsn{index}": f"BKM3CSE14048{index:02d}K42757"
                    for index in range(len(boards))
                },
                "pool-strategy": "FAILOVER",
                "type": f"{state.model}_VK40",
                "working": "false" if state.paused else "true",
            },
            "power": {
                "fanspeed": 6344,
                "hwversion": "RT0159",
                "mode": _MODE_CODES.get(state.work_mode or "normal", "1"),
                "model": "P221B",
                "sn": "1436B2429603097",
                "swversion": "230224.220429",
                "type": "P221B",
                "vendor": "1",
            },
            "salt": self.salt,
            "system": {
                "api": "3.0.2",
                "apiswitch": "1",
                "control-board-version": "CB6V10",
                "fwversion": state.firmware,
                "ledstatus": "manual" if state.fault_light else "auto",
                "platform": "H616",
            },
        }
        if self.error_codes:
            info["error-code"] = [
                {code: when, "reason": f"error {code}"} for code, when in self.error_codes.items()
            ]
        return info

    def _status(self) -> dict[str, Any]:
        state = self.state
        hashrate = round(state.current_hashrate(), 3)
        power = round(state.current_power())
        chips = [state.chip_temperature(board) for board in state.boards]
        return {
            "summary": {
                "Debug": "",
                "board-temperature": [state.board_temperature(board) for board in state.boards],
                "bootup-time": state.uptime() + 60,
                "chip-temp-avg": round(max(chips, default=0.0) - 4, 1),
                "chip-temp-max": max(chips, default=0.0),
                "chip-temp-min": round(min(chips, default=0.0) - 10, 1),
                "elapsed": state.uptime(),
                "environment-temperature": 25.0,
                "factory-hash": state.nominal_hashrate,
                "fan-speed-in": state.fan_rpm(0),
                "fan-speed-out": state.fan_rpm(1),
                "freq-avg": 625,
                "hash-15min": hashrate,
                "hash-1min": hashrate,
                "hash-average": hashrate,
                "hash-realtime": hashrate,
                "power-5min": power,
                "power-limit": state.power_limit,
                "power-rate": round(power / hashrate, 1) if hashrate else 0,
                "power-realtime": power,
                "up-freq-finish": 1,
            },
            "pools": [
                {
                    "account": pool.user,
                    "pool-priority": index,
                    "status": "alive" if pool.alive else "dead",
                    "stratum-active": pool.active,
                    "url": pool.url,
                }
                for index, pool in enumerate(state.pools)
            ],
            "edevs": [
                {
                    "chip-temp-avg": round(state.chip_temperature(board) - 4, 1),
                    "chip-temp-max": state.chip_temperature(board),
                    "chip-temp-min": round(state.chip_temperature(board) - 10, 1),
                    "effective-chips": board.chips,
                    "factory-hash": board.hashrate,
                    "freq": float(board.frequency),
                    "hash-average": round(state.board_hashrate(board), 3),
                    "hash-realtime": round(state.board_hashrate(board), 3),
                    "id": index,
                    "status": "alive" if board.alive else "dead",
                }
                for index, board in enumerate(state.boards)
            ],
        }

    def _write(self, command: str, param: Any, request: dict[str, Any]) -> Reply:
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
        if command == "set.system.reboot" or param == "restart":
            return self.restart_reply(self.envelope(command, "ok"))
        return self.envelope(command, "ok")
