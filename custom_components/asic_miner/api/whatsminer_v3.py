"""Whatsminer API v3 (btminer firmware from 2024 on; TCP port 4433).

Not the cgminer protocol: every message, both ways, is a 4-byte little-endian length followed
by JSON; requests are ``{"cmd": "get.device.info", "param": …}``; replies are
``{"code": 0, "when": …, "msg": …, "desc": cmd}`` where ``code`` 0 is success, -1 failure,
-2 unknown command and -4 "no permission" (token/password).

Writing commands (``set.*``) are signed, not encrypted: ``ts`` (unix seconds), ``account``
(``super``) and ``token`` = the first 8 characters of base64(sha256(cmd + password + salt +
ts)), the salt coming from ``get.device.info``. The salt is cached and re-read once when the
miner rejects a token; a rejection with a fresh salt means the password is wrong
(``APIAuthError``). Reads (``get.*``) are not signed.

One request per steady poll: ``get.miner.status`` with ``summary+edevs``. ``pools`` joins it,
and ``get.device.info`` follows it, on the first poll, every ``refresh.REFRESH_SECONDS``,
after an uptime reset and after a control (``refresh``, a ``refresh.Refresh``);
``get.device.info`` also while the boards hash nothing (is the miner stopped?). Between reads
the last reply read is used. An identity without model or firmware is read again every
``btminer.IDENTITY_RETRY_INTERVAL`` seconds (``identity_retry``).
Mapping:

- ``summary``: ``hash-realtime`` (TH/s; else the next freshest window) → hashrate,
  ``hash-average`` → average, ``factory-hash`` → expected, ``power-realtime`` → power,
  ``power-limit``, ``fan-speed-in``/``-out`` → fans, ``elapsed`` → uptime,
  ``board-temperature`` (one per board) → board temperatures, ``environment-temperature`` →
  inlet temperature;
- ``edevs``: per board ``hash-realtime`` (else ``hash-average``), ``chip-temp-max`` (else
  ``-avg``) → chip temperature, ``effective-chips``;
- ``pools``: ``url``, ``account``, ``status`` (``alive``), ``stratum-active``,
  ``accepted``/``rejected`` when present;
- ``get.device.info``: ``network.mac``/``hostname``, ``system.fwversion``, ``miner.type``
  (``M60S_VK40`` → ``M60S``), ``miner.miner-sn`` (identity); ``miner.working`` → whether a
  miner hashing nothing is stopped (a hashing miner is mining, whatever it says),
  ``system.ledstatus`` → fault light, ``power.mode`` (0/1/2 or low/normal/high) → work mode,
  ``error-code`` (absent when there are none) → errors.

Controls: ``set.system.reboot``, ``set.miner.service`` restart/stop/start,
``set.miner.power_limit``, ``set.miner.power_mode``, ``set.system.led``.

``check_password`` signs the one write that changes nothing: ``set.system.led`` with the state
``get.device.info`` just reported (``auto``, the firmware's own control, as the API
documentation defines it; while someone's blink pattern runs, the client's own blink, so the
LED stays lit).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import time
from typing import Any, ClassVar, Final

from .base import api_command
from .btminer import WhatsminerBase, model_name
from .decoding import as_float, as_int
from .errors import APIAuthError, APIDecodeError, APIRefusalError, before_control
from .mapping import as_dict, build_data, lower_mac, sum_of, temperature, text
from .models import Fan, HashBoard, MinerData, MinerIdentity, Pool
from .protocol import BTMINER, check_code, encode, request_body
from .refresh import REFRESHED
from .transport import LENGTH_PREFIXED, Framing

DEFAULT_PORT: Final = 4433
DEFAULT_PASSWORD: Final = "super"  # noqa: S105  # the documented factory default
ACCOUNT: Final = "super"
CODE_NO_PERMISSION: Final = -4
#: ``get.miner.status`` parts of a steady poll, and of a poll that also reads the pools.
STEADY_PARTS: Final = "summary+edevs"
RARE_PARTS: Final = "summary+pools+edevs"
#: The device info (``get.device.info``) and the pools (``get.miner.status``'s ``pools``), as
#: ``refresh`` keeps them.
DEVICE_INFO: Final = "get.device.info"
POOLS: Final = "pools"
#: Hashrate windows of ``summary``, freshest first (TH/s).
_WINDOWS: Final = ("hash-realtime", "hash-1min", "hash-15min", "hash-average")
_MODES: Final = {"0": "low", "1": "normal", "2": "high"}
#: The blink ``set_fault_light(True)`` sets.
BLINK: Final = ({"color": "red", "period": 1000, "duration": 500, "start": 0},)


def v3_token(command: str, password: str, salt: str, ts: int) -> str:
    """The signature of one ``set.*`` request."""
    digest = hashlib.sha256(f"{command}{password}{salt}{ts}".encode()).digest()
    return base64.b64encode(digest).decode("ascii")[:8]


def _first_rate(entry: dict[str, Any], keys: tuple[str, ...]) -> float | None:
    return next((value for key in keys if (value := as_float(entry.get(key))) is not None), None)


def _board(position: int, entry: dict[str, Any], temperatures: list[Any]) -> HashBoard:
    """One ``edevs`` entry (TH/s, °C); its temperature from ``summary``'s list."""
    index = as_int(entry.get("slot", entry.get("id")))
    board = temperature(entry.get("temperature"))
    if board is None and position < len(temperatures):
        board = temperature(temperatures[position])
    chip = temperature(entry.get("chip-temp-max"))
    return HashBoard(
        index=position if index is None else index,
        hashrate=_first_rate(entry, ("hash-realtime", "hash-average")),
        temperature=board,
        chip_temperature=chip if chip is not None else temperature(entry.get("chip-temp-avg")),
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


def _status(replies: dict[str, Any]) -> dict[str, Any]:
    """The ``msg`` of this poll's ``get.miner.status``."""
    return as_dict(as_dict(replies.get("get.miner.status")).get("msg"))


def _hashrate(summary: dict[str, Any], boards: list[HashBoard]) -> float | None:
    hashrate = _first_rate(summary, _WINDOWS)
    return hashrate if hashrate is not None else sum_of(board.hashrate for board in boards)


class WhatsminerV3API(WhatsminerBase):
    """Whatsminer with API v3 (port 4433, framed JSON, signed writes)."""

    family = "btminer-v3"
    supports_multicommand = False
    framing: ClassVar[Framing] = LENGTH_PREFIXED

    def __init__(self, ip: str, port: int = DEFAULT_PORT, **kwargs: Any) -> None:
        """As ``BaseMinerAPI`` but on port 4433; ``password`` is account ``super``'s."""
        super().__init__(ip, port, **kwargs)
        self._salt: str | None = None
        self._salt_lock = asyncio.Lock()
        #: Whether the last poll read the rare things (planned by ``_poll``, read by
        #: ``_remember``).
        self._rare_read = False

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
    async def get_miner_status(self, parts: str = RARE_PARTS) -> dict[str, Any]:
        """``get.miner.status`` with ``summary``, ``pools`` and/or ``edevs`` (joined by +)."""
        return await self.send_command("get.miner.status", parts)

    # --- signed writes -----------------------------------------------------------------------

    async def _current_salt(self, *, renew: bool) -> tuple[str, bool]:
        async with self._salt_lock:
            if self._salt is not None and not renew:
                return self._salt, False
            reply = await before_control(self.send_command("get.device.info", "salt"))
            salt = as_dict(reply.get("msg"))
            if not salt.get("salt"):
                raise APIDecodeError(f"{self.host}: get.device.info gave no salt")
            self._salt = str(salt["salt"])
            return self._salt, True

    async def _signed(
        self, command: str, parameters: Any, salt: str, **kwargs: Any
    ) -> tuple[dict[str, Any], bool]:
        """One signed request with ``salt``; the reply (unchecked) and whether the miner
        rejected the signature."""
        password = self.password if self.password is not None else DEFAULT_PASSWORD
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
        return reply, as_int(reply.get("code")) == CODE_NO_PERMISSION

    def _rejected(self, reply: dict[str, Any]) -> APIAuthError:
        return APIAuthError(
            f"{self.host}: the miner rejected the password of account {ACCOUNT!r} "
            f"({reply.get('msg') or CODE_NO_PERMISSION})"
        )

    async def send_privileged_command(
        self, command: str, parameters: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        """A signed ``set.*`` command; ``APIAuthError`` when the password is wrong."""
        renew = False
        while True:
            salt, fresh = await self._current_salt(renew=renew)
            reply, rejected = await self._signed(command, parameters, salt, **kwargs)
            if rejected:
                if not fresh:
                    renew = True
                    continue
                raise self._rejected(reply)
            self.check_reply(command, reply, allow_warning=True)
            return reply

    async def check_password(self) -> None:
        """One signed write that changes nothing: ``set.system.led`` with the LED state the
        miner reports (``auto`` stays ``auto``; a blink stays a blink, the client's own).

        The salt comes with that report, so a rejected signature means a wrong password.
        A firmware that does not report its LED has no harmless write: nothing is checked.
        """
        if self.password is None:
            return
        info = as_dict((await self.get_device_info()).get("msg"))
        salt = text(info.get("salt"))
        if salt is None:
            raise APIDecodeError(f"{self.host}: get.device.info gave no salt")
        led = text(as_dict(info.get("system")).get("ledstatus"))
        if led is None:
            return
        async with self._salt_lock:
            self._salt = salt
        reply, rejected = await self._signed(
            "set.system.led", "auto" if led == "auto" else list(BLINK), salt
        )
        if rejected:
            raise self._rejected(reply)
        with contextlib.suppress(APIRefusalError):  # signature accepted: the password is right
            self.check_reply("set.system.led", reply, allow_warning=True)

    async def reboot(self) -> None:
        """``set.system.reboot``."""
        await self._control("set.system.reboot", restarts=True)
        self.forget_identity()

    async def restart_backend(self) -> None:
        """``set.miner.service`` restart."""
        await self._control("set.miner.service", "restart", restarts=True)

    async def pause_mining(self) -> None:
        """``set.miner.service`` stop."""
        await self._control("set.miner.service", "stop")

    async def resume_mining(self) -> None:
        """``set.miner.service`` start."""
        await self._control("set.miner.service", "start")

    async def set_power_limit(self, watts: int) -> None:
        """``set.miner.power_limit``."""
        self._check_power_limit(watts)
        await self._control("set.miner.power_limit", int(watts))

    async def set_work_mode(self, mode: str) -> None:
        """``set.miner.power_mode``."""
        self._check_work_mode(mode)
        await self._control("set.miner.power_mode", mode)

    async def set_fault_light(self, on: bool) -> None:
        """``set.system.led``: blink red, or ``auto``."""
        await self._control("set.system.led", list(BLINK) if on else "auto")

    # --- polling -----------------------------------------------------------------------------

    async def _fetch_identity(self) -> MinerIdentity:
        identity = self._identity_from(as_dict((await self.get_device_info()).get("msg")))
        self.identity_retry = self.identity_retry.read(time.monotonic())
        return identity

    def _identity_from(self, info: dict[str, Any]) -> MinerIdentity:
        network, system, miner = (as_dict(info.get(key)) for key in ("network", "system", "miner"))
        return MinerIdentity(
            make=self.make,
            model=model_name(miner.get("type")),
            firmware=text(system.get("fwversion")),
            mac=lower_mac(network.get("mac")),
            hostname=text(network.get("hostname")),
            serial=text(miner.get("miner-sn")),
        )

    async def _poll(self) -> dict[str, Any]:
        """``get.miner.status``; ``get.device.info`` only when due or when nothing hashes."""
        rare = self.refresh.wanted(time.monotonic())
        replies: dict[str, Any] = {
            "get.miner.status": await self.get_miner_status(RARE_PARTS if rare else STEADY_PARTS)
        }
        status = _status(replies)
        hashrate = _hashrate(as_dict(status.get("summary")), self._boards(status))
        if rare or not hashrate:
            replies[DEVICE_INFO] = await self.get_device_info()
        self._rare_read = rare
        return replies

    def _remember(self, replies: dict[str, Any], identity: MinerIdentity) -> None:
        """The device info and pools read (due again after a restart); a device info read
        off schedule (nothing hashed) replaces the kept one."""
        status = _status(replies)
        read = {key: replies[key] for key in (DEVICE_INFO,) if key in replies}
        if isinstance(pools := status.get(POOLS), list):
            read[POOLS] = pools
        uptime = as_int(as_dict(status.get("summary")).get("elapsed"))
        asked = [DEVICE_INFO, POOLS] if self._rare_read else []
        refresh = self.refresh.after(
            {**read, REFRESHED: asked}, uptime=uptime, now=time.monotonic()
        )
        self.refresh = refresh if asked else refresh.seen(read)

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        status = _status(replies)
        rare = self.refresh.merged(replies)
        info = as_dict(as_dict(rare.get(DEVICE_INFO)).get("msg"))
        summary = as_dict(status.get("summary"))
        boards = self._boards(status)
        hashrate = _hashrate(summary, boards)
        working = text(as_dict(info.get("miner")).get("working"))
        # A hashing miner is mining whatever it says; one hashing nothing is stopped only
        # when the firmware says it does not work.
        is_mining = True if hashrate else (None if working is None else working == "true")
        led = text(as_dict(info.get("system")).get("ledstatus"))
        mode = text(as_dict(info.get("power")).get("mode"))
        power = _first_rate(summary, ("power-realtime", "power-5min"))
        pools = status.get(POOLS)
        return build_data(
            identity,
            hashrate=hashrate,
            expected_hashrate=as_float(summary.get("factory-hash")) or None,
            power=power,
            power_limit=as_float(summary.get("power-limit")) or None,
            boards=boards,
            fans=[
                Fan(index=index, rpm=as_int(summary[key]))
                for index, key in enumerate(("fan-speed-in", "fan-speed-out"))
                if key in summary
            ],
            pools=self._pools(pools if isinstance(pools, list) else rare.get(POOLS)),
            uptime=as_int(summary.get("elapsed")),
            is_mining=is_mining,
            errors=self._errors(info.get("error-code")) if info else None,
            work_mode=_MODES.get(mode, mode) if mode else None,
            fault_light=None if led is None else led != "auto",
            chip_temperature=temperature(summary.get("chip-temp-max")),
            average_hashrate=as_float(summary.get("hash-average")),
            inlet_temperature=temperature(summary.get("environment-temperature")),
        )

    @staticmethod
    def _boards(status: dict[str, Any]) -> list[HashBoard]:
        edevs = status.get("edevs")
        temperatures = as_dict(status.get("summary")).get("board-temperature")
        listed = temperatures if isinstance(temperatures, list) else []
        return [
            _board(position, entry, listed)
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
