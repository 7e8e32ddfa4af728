"""Whatsminer API v3 (btminer firmware from 2024 on; TCP port 4433).

Not the cgminer protocol: every message, both ways, is a 4-byte little-endian length followed
by JSON; requests are ``{"cmd": "get.device.info", "param": …}``; replies are
``{"code": 0, "when": …, "msg": …, "desc": cmd}`` where ``code`` 0 is success, -1 failure,
-2 unknown command and -4 "no permission" (token/password).

Writing commands (``set.*``) are signed, not encrypted: ``ts`` (unix seconds), ``account``
(``super``) and ``token`` = the first 8 characters of base64(sha256(cmd + password + salt +
ts)), the salt coming from ``get.device.info``. The salt is cached and re-read once when the
miner rejects a token; a rejection with a fresh salt means the password is wrong
(``APIAuthError``).

One poll is ``get.miner.status`` with ``summary+pools+edevs``, then ``get.device.info`` (the
length-prefixed framing of ``transport``, one connection at a time). Mapping:

- ``summary``: ``hash-realtime`` (TH/s, else ``hash-average``) → hashrate, ``factory-hash`` →
  expected, ``power-realtime`` → power, ``power-limit``, ``fan-speed-in``/``-out`` → fans,
  ``elapsed`` → uptime;
- ``edevs``: per board ``hash-average`` (TH/s), ``chip-temp-max`` → chip temperature,
  ``temperature`` (else ``chip-temp-min``) → board temperature, ``effective-chips``;
- ``pools``: ``url``, ``account``, ``status`` (``alive``), ``stratum-active``,
  ``accepted``/``rejected`` when present;
- ``get.device.info``: ``network.mac``/``hostname``, ``system.fwversion``, ``miner.type``,
  ``miner.miner-sn`` (identity); ``miner.working`` → is_mining, ``system.ledstatus`` →
  fault light, ``power.mode`` (0/1/2 or low/normal/high) → work mode, ``error-code`` → errors.

Controls: ``set.system.reboot``, ``set.miner.service`` restart/stop/start,
``set.miner.power_limit``, ``set.miner.power_mode``, ``set.system.led``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import time
from typing import Any, ClassVar, Final

from .base import BaseMinerAPI, api_command
from .btminer import POWER_LIMITS, WORK_MODES
from .decoding import as_float, as_int
from .errors import APIAuthError, APIDecodeError
from .mapping import as_dict, build_data, lower_mac, max_of, sum_of, text
from .models import CLASSIC_CONTROLS, Fan, HashBoard, MinerData, MinerIdentity, Pool
from .protocol import BTMINER, check_code, encode, request_body
from .transport import LENGTH_PREFIXED, Framing

DEFAULT_PORT: Final = 4433
DEFAULT_PASSWORD: Final = "super"  # noqa: S105  # the documented factory default
ACCOUNT: Final = "super"
CODE_NO_PERMISSION: Final = -4
_STATUS_PARTS: Final = "summary+pools+edevs"
_MODES: Final = {"0": "low", "1": "normal", "2": "high"}


def v3_token(command: str, password: str, salt: str, ts: int) -> str:
    """The signature of one ``set.*`` request."""
    digest = hashlib.sha256(f"{command}{password}{salt}{ts}".encode()).digest()
    return base64.b64encode(digest).decode("ascii")[:8]


def _board(position: int, entry: dict[str, Any]) -> HashBoard:
    """One ``edevs`` entry (TH/s, °C)."""
    index = as_int(entry.get("slot", entry.get("id")))
    temperature = as_float(entry.get("temperature"))
    return HashBoard(
        index=position if index is None else index,
        hashrate=as_float(entry.get("hash-average")),
        temperature=temperature
        if temperature is not None
        else as_float(entry.get("chip-temp-min")),
        chip_temperature=max_of(
            [as_float(entry.get("chip-temp-max")), as_float(entry.get("chip-temp-avg"))]
        ),
        chips=as_int(entry.get("effective-chips")),
    )


def _pool(entry: dict[str, Any]) -> Pool:
    """One ``pools`` entry (with its ``url``)."""
    status = entry.get("status")
    active = entry.get("stratum-active")
    return Pool(
        url=str(entry["url"]),
        user=text(entry.get("account")),
        alive=None if status is None else str(status).lower() == "alive",
        active=active if isinstance(active, bool) else None,
        accepted=as_int(entry.get("accepted")),
        rejected=as_int(entry.get("rejected")),
    )


class WhatsminerV3API(BaseMinerAPI):
    """Whatsminer with API v3 (port 4433, framed JSON, signed writes)."""

    family = "btminer-v3"
    reports_errors = True
    make = "Whatsminer"
    supports_multicommand = False
    framing: ClassVar[Framing] = LENGTH_PREFIXED
    #: All controls, through signed ``set.*`` commands; the firmware's modes and limits.
    controls = CLASSIC_CONTROLS
    modes = WORK_MODES
    power_limits = POWER_LIMITS

    def __init__(self, ip: str, port: int = DEFAULT_PORT, **kwargs: Any) -> None:
        """As ``BaseMinerAPI`` but on port 4433; ``password`` is account ``super``'s."""
        super().__init__(ip, port, **kwargs)
        self._salt: str | None = None
        self._salt_lock = asyncio.Lock()

    # --- protocol ----------------------------------------------------------------------------

    def build_request(self, command: str, parameters: Any = None, **kwargs: Any) -> bytes:
        """``{"cmd": …, "param": …}`` (plus signing fields), built with ``json.dumps``."""
        return encode(request_body(command, parameters, kwargs, keys=BTMINER, structured=True))

    def check_reply(self, command: str, reply: dict[str, Any], *, allow_warning: bool) -> None:
        """``code`` 0 is success; anything else raises ``APIRefusalError`` with ``msg``."""
        check_code(self.host, command, reply)

    # --- read commands -----------------------------------------------------------------------

    @api_command
    async def get_device_info(self) -> dict[str, Any]:
        """``get.device.info``: network, system, miner, power, salt, error codes."""
        return await self.send_command("get.device.info")

    @api_command
    async def get_miner_status(self, parts: str = _STATUS_PARTS) -> dict[str, Any]:
        """``get.miner.status`` with ``summary``, ``pools`` and/or ``edevs`` (joined by +)."""
        return await self.send_command("get.miner.status", parts)

    # --- signed writes -----------------------------------------------------------------------

    async def _current_salt(self, *, renew: bool) -> tuple[str, bool]:
        async with self._salt_lock:
            if self._salt is not None and not renew:
                return self._salt, False
            salt = as_dict((await self.send_command("get.device.info", "salt")).get("msg"))
            if not salt.get("salt"):
                raise APIDecodeError(f"{self.host}: get.device.info gave no salt")
            self._salt = str(salt["salt"])
            return self._salt, True

    async def send_privileged_command(
        self, command: str, parameters: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        """A signed ``set.*`` command; ``APIAuthError`` when the password is wrong."""
        password = self.password if self.password is not None else DEFAULT_PASSWORD
        renew = False
        while True:
            salt, fresh = await self._current_salt(renew=renew)
            ts = int(time.time())
            request = encode(
                request_body(
                    command,
                    parameters,
                    kwargs,
                    keys=BTMINER,
                    structured=True,
                    signed={
                        "ts": ts,
                        "token": v3_token(command, password, salt, ts),
                        "account": ACCOUNT,
                    },
                )
            )
            reply = await self._exchange(request)
            code = as_int(reply.get("code"))
            if code == CODE_NO_PERMISSION:
                if not fresh:
                    renew = True
                    continue
                raise APIAuthError(
                    f"{self.host}: the miner rejected the password of account {ACCOUNT!r} "
                    f"({reply.get('msg') or code})"
                )
            self.check_reply(command, reply, allow_warning=True)
            return reply

    async def reboot(self) -> None:
        """``set.system.reboot``."""
        await self.send_privileged_command("set.system.reboot")
        self.forget_identity()

    async def restart_backend(self) -> None:
        """``set.miner.service`` restart."""
        await self.send_privileged_command("set.miner.service", "restart")

    async def pause_mining(self) -> None:
        """``set.miner.service`` stop."""
        await self.send_privileged_command("set.miner.service", "stop")

    async def resume_mining(self) -> None:
        """``set.miner.service`` start."""
        await self.send_privileged_command("set.miner.service", "start")

    async def set_power_limit(self, watts: int) -> None:
        """``set.miner.power_limit``."""
        self._check_power_limit(watts)
        await self.send_privileged_command("set.miner.power_limit", int(watts))

    async def set_work_mode(self, mode: str) -> None:
        """``set.miner.power_mode``."""
        self._check_work_mode(mode)
        await self.send_privileged_command("set.miner.power_mode", mode)

    async def set_fault_light(self, on: bool) -> None:
        """``set.system.led``: blink red, or ``auto``."""
        if on:
            blink = [{"color": "red", "period": 1000, "duration": 500, "start": 0}]
            await self.send_privileged_command("set.system.led", blink)
        else:
            await self.send_privileged_command("set.system.led", "auto")

    # --- polling -----------------------------------------------------------------------------

    async def _fetch_identity(self) -> MinerIdentity:
        return self._identity_from(as_dict((await self.get_device_info()).get("msg")))

    def _identity_from(self, info: dict[str, Any]) -> MinerIdentity:
        network, system, miner = (as_dict(info.get(key)) for key in ("network", "system", "miner"))
        model = text(miner.get("type"))
        return MinerIdentity(
            make=self.make,
            model=model.split("_", 1)[0] if model else None,
            firmware=text(system.get("fwversion")),
            mac=lower_mac(network.get("mac")),
            hostname=text(network.get("hostname")),
            serial=text(miner.get("miner-sn")),
        )

    async def _poll(self) -> dict[str, Any]:
        status = await self.get_miner_status()
        return {"get.miner.status": status, "get.device.info": await self.get_device_info()}

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        status = as_dict(as_dict(replies.get("get.miner.status")).get("msg"))
        info = as_dict(as_dict(replies.get("get.device.info")).get("msg"))
        summary = as_dict(status.get("summary"))
        boards = self._boards(status.get("edevs"))
        hashrate = as_float(summary.get("hash-realtime"))
        if hashrate is None:
            hashrate = as_float(summary.get("hash-average"))
        if hashrate is None:
            hashrate = sum_of(board.hashrate for board in boards)
        working = as_dict(info.get("miner")).get("working")
        led = as_dict(info.get("system")).get("ledstatus")
        mode = text(as_dict(info.get("power")).get("mode"))
        return build_data(
            identity,
            hashrate=hashrate,
            expected_hashrate=as_float(summary.get("factory-hash")) or None,
            power=as_float(summary.get("power-realtime")),
            power_limit=as_float(summary.get("power-limit")) or None,
            boards=boards,
            fans=[
                Fan(index=index, rpm=as_int(summary[key]))
                for index, key in enumerate(("fan-speed-in", "fan-speed-out"))
                if key in summary
            ],
            pools=self._pools(status.get("pools")),
            uptime=as_int(summary.get("elapsed")),
            is_mining=None if working is None else str(working).lower() == "true",
            errors=self._errors(info.get("error-code")),
            work_mode=_MODES.get(mode, mode) if mode else None,
            fault_light=None if led is None else str(led) != "auto",
        )

    @staticmethod
    def _boards(edevs: Any) -> list[HashBoard]:
        return [
            _board(position, entry)
            for position, entry in enumerate(edevs if isinstance(edevs, list) else [])
            if isinstance(entry, dict)
        ]

    @staticmethod
    def _pools(entries: Any) -> list[Pool]:
        return [
            _pool(entry)
            for entry in (entries if isinstance(entries, list) else [])
            if isinstance(entry, dict) and entry.get("url")
        ]

    @staticmethod
    def _errors(entries: Any) -> list[str]:
        errors = []
        for entry in entries if isinstance(entries, list) else []:
            for code, since in as_dict(entry).items():
                if code != "reason":
                    errors.append(f"error {code}" + (f" since {since}" if since else ""))
        return errors
