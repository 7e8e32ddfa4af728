"""MicroBT Whatsminer (btminer, API 2.x), including its encrypted privileged API.

One poll is ``get_error_code`` and ``status``, which btminer refuses inside a joined request and
are therefore asked on their own, then ``summary+devs+pools`` in one request, one after
another. Mapping:

- ``summary``: ``MHS 1m`` → hashrate, ``Factory GHS`` → expected hashrate, ``Power`` → power
  (``-1`` means unknown), ``Power Limit``, ``Fan Speed In``/``Out`` → fans 0 and 1,
  ``Elapsed`` → uptime, ``Power Mode`` → work mode (low/normal/high), ``Error Code N``;
- ``devs``: one board per ``ASC`` with ``MHS 1m``, ``Temperature``, ``Chip Temp Max`` (else
  ``Avg``) and ``Effective Chips``;
- ``pools``: as cgminer;
- ``get_error_code``: ``{"error_code": [{"110": "<since>"}, …]}`` (API 2.0.4 writes the list
  as a dict; the decoder repairs it) → ``errors``; ``status``: ``mineroff`` (``btmineroff``
  on older firmware) → ``is_mining``;
- ``get_miner_info``: ``ledstat`` (``auto``, or ``manual`` while set) → fault light. The
  firmware reports the LED nowhere cheaper, so it is read only in the poll after a LED control
  (to show what the miner did); other polls leave ``fault_light`` unknown (``None``).

While the miner is powered off (``power_off``), btminer may refuse ``summary``/``devs``/
``pools``; when ``status`` confirms it is off, the poll still succeeds with hashrate 0, not
mining, and the other values unknown (``None``).

Identity, fetched once: ``get_version`` (``fw_ver``), ``get_miner_info`` (``mac``,
``hostname``, ``minersn``), ``devdetails`` (``Model`` such as ``M30S.VG20`` → ``M30S``), with
``summary``'s ``MAC`` as fallback. A powered-off btminer may refuse ``devdetails``; the
identity is then read again once the miner mines.

Privileged commands (all controls) use the encrypted API, see ``whatsminer_crypto``. The
token is cached for ``token_lifetime`` seconds and renewed when the miner rejects it; when a
freshly issued token is rejected or the miner cannot decrypt the request, the password is
wrong (``APIAuthError``); "can't access write cmd"/permission denied means the owner has not
enabled the API in WhatsminerTool (``APIPrivilegeDisabledError``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any, Final

from .base import Command
from .cgminer import CGMinerAPI
from .decoding import as_float, as_int, decode_reply
from .errors import APIAuthError, APIDecodeError, APIPrivilegeDisabledError, APIRefusalError
from .mapping import build_data, dev_boards, first, map_pools, summary_of, total_hashrate, unwrap
from .models import CLASSIC_CONTROLS, Fan, MinerData, MinerIdentity
from .protocol import BTMINER, OK_STATUSES, encode, reply_status, request_body, validate_command
from .whatsminer_crypto import Token, decrypt, encrypt, make_token

DEFAULT_PASSWORD: Final = "admin"  # noqa: S105  # the documented factory default
#: btminer status codes (WhatsminerAPI 2.0.x documentation).
CODE_INVALID_JSON: Final = 23
CODE_PERMISSION_DENIED: Final = 45
CODE_TOKEN_ERROR: Final = 135
CODE_BASE64_ERROR: Final = 137
_PRIVILEGE_MESSAGES: Final = ("can't access write cmd", "permission denied", "api disabled")
#: Whatsminer's power modes (API 2 and 3 alike).
WORK_MODES: Final = ("low", "normal", "high")
#: The watts a power limit may be set to (the firmware caps it at the rated power).
POWER_LIMITS: Final = (500, 10000)
_WORK_MODE_COMMANDS: Final = {
    "low": "set_low_power",
    "normal": "set_normal_power",
    "high": "set_high_power",
}


def _code(reply: dict[str, Any]) -> int | None:
    status = reply.get("STATUS")
    if isinstance(status, list) and status and isinstance(status[0], dict):
        return as_int(status[0].get("Code"))
    return as_int(reply.get("Code"))


def _msg(reply: dict[str, Any] | None) -> dict[str, Any]:
    """The ``Msg`` object of a ``get_*`` reply."""
    message = (reply or {}).get("Msg")
    return message if isinstance(message, dict) else {}


def _dev_extra(_position: int, entry: dict[str, Any]) -> dict[str, Any]:
    """btminer's board fields beyond cgminer's: hottest chip (else the average), chips."""
    chip = as_float(entry.get("Chip Temp Max"))
    return {
        "chip_temperature": chip if chip is not None else as_float(entry.get("Chip Temp Avg")),
        "chips": as_int(entry.get("Effective Chips")),
    }


def _led(reply: dict[str, Any] | None) -> bool | None:
    """``get_miner_info``'s ``ledstat``: ``auto`` is the firmware's own (off), else set."""
    led = _msg(reply).get("ledstat")
    return None if led is None else str(led).strip().lower() != "auto"


def _miner_off(replies: dict[str, Any]) -> bool | None:
    """``status``: whether btminer is powered off (``mineroff``, or older ``btmineroff``)."""
    status = _msg(unwrap(replies, "status"))
    value = status.get("mineroff", status.get("btmineroff"))
    return None if value is None else str(value).lower() == "true"


class BTMinerAPI(CGMinerAPI):
    """Whatsminer (btminer API 2.x)."""

    family = "btminer"
    reports_errors = True
    make = "Whatsminer"
    poll_commands = ("summary", "devs", "pools", "get_error_code", "status")
    unbatchable_commands = frozenset(
        {"get_version", "get_psu", "get_miner_info", "get_error_code", "get_token", "status"}
    )
    #: All controls, through the privileged API.
    controls = CLASSIC_CONTROLS
    modes = WORK_MODES
    power_limits = POWER_LIMITS
    #: Seconds a token is reused before a new one is requested.
    token_lifetime: float = 30 * 60.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """As ``BaseMinerAPI``; ``password`` is the API password (``admin`` when None)."""
        super().__init__(*args, **kwargs)
        self._token: tuple[Token, float] | None = None
        self._token_lock = asyncio.Lock()
        #: A LED control was sent since the LED was last asked for: the next poll reads it.
        self.led_unconfirmed = False

    # --- read commands -----------------------------------------------------------------------

    edevs = Command("Enabled devices (hash boards).")
    get_version = Command("API and firmware versions.")
    get_psu = Command("Power supply model, input current and voltage, fan speed.")
    get_miner_info = Command("IP, MAC, hostname, LED state.")
    get_error_code = Command("Active error codes and when they were raised.")
    status = Command("Whether the miner is powered off.")
    get_token = Command("A token for the privileged API (``time``, ``salt``, ``newsalt``).")

    # --- privileged API ----------------------------------------------------------------------

    async def _current_token(self, *, renew: bool) -> tuple[Token, bool]:
        """(token, fresh): the cached token unless expired or ``renew``; fresh if just made."""
        async with self._token_lock:
            if not renew and self._token is not None:
                token, issued = self._token
                if time.monotonic() - issued < self.token_lifetime:
                    return token, False
            reply = await self.get_token()
            info = _msg(reply)
            try:
                token = make_token(
                    self.password if self.password is not None else DEFAULT_PASSWORD,
                    str(info["time"]),
                    str(info["salt"]),
                    str(info["newsalt"]),
                )
            except KeyError as err:
                raise APIDecodeError(f"{self.host}: get_token reply lacks {err}") from err
            self._token = (token, time.monotonic())
            return token, True

    def _privileged_request(
        self, token: Token, command: str, parameters: Any, kwargs: dict[str, Any]
    ) -> bytes:
        body = request_body(command, parameters, kwargs, keys=BTMINER, signed={"token": token.sign})
        return encode({"enc": 1, "data": encrypt(token.aes_key, json.dumps(body))})

    async def send_privileged_command(
        self, command: str, parameters: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        """An encrypted, token-signed command; the decrypted reply.

        Raises ``APIAuthError`` (wrong password), ``APIPrivilegeDisabledError`` (write API
        off) or ``APIRefusalError`` with the miner's message.
        """
        validate_command(command)
        renew = False
        while True:
            token, fresh = await self._current_token(renew=renew)
            request = self._privileged_request(token, command, parameters, kwargs)
            reply = await self._exchange(request)
            encrypted = reply.get("enc")
            if isinstance(encrypted, str):
                try:
                    reply = decode_reply(decrypt(token.aes_key, encrypted).encode())
                except APIDecodeError as err:
                    raise APIAuthError(
                        f"{self.host}: cannot decrypt the reply to {command}: wrong password?"
                    ) from err
            status, message = reply_status(reply)
            if status in OK_STATUSES:
                return reply
            code = _code(reply)
            if code == CODE_PERMISSION_DENIED or any(
                text in message.lower() for text in _PRIVILEGE_MESSAGES
            ):
                raise APIPrivilegeDisabledError(
                    f"{self.host}: the Whatsminer API is not enabled for writing ({message}); "
                    "enable it in WhatsminerTool"
                )
            if code in (CODE_TOKEN_ERROR, CODE_INVALID_JSON, CODE_BASE64_ERROR):
                if not fresh:
                    self._token = None
                    renew = True
                    continue
                self._token = None
                raise APIAuthError(
                    f"{self.host}: the miner rejected the API password ({message or code})"
                )
            raise APIRefusalError(f"{self.host}: {command}: {message or f'status {status}'}")

    async def check_password(self) -> None:
        """A fresh token and one encrypted ``get_version``.

        btminer has no documented privileged read, so any answer to a request it could
        decrypt proves the password (the AES key is derived from it), even "invalid cmd".
        """
        if self.password is None:
            return
        async with self._token_lock:
            self._token = None
        with contextlib.suppress(APIRefusalError):  # decrypted, then refused: the password is right
            await self.send_privileged_command("get_version")

    # --- controls ----------------------------------------------------------------------------

    async def reboot(self) -> None:
        """``reboot``; the miner is offline for a while afterwards."""
        await self.send_privileged_command("reboot")
        self.forget_identity()

    async def restart_backend(self) -> None:
        """``restart_btminer``."""
        await self.send_privileged_command("restart_btminer")

    async def pause_mining(self) -> None:
        """``power_off`` (hashing stops, the API stays up)."""
        await self.send_privileged_command("power_off", respbefore="true")

    async def resume_mining(self) -> None:
        """``power_on``."""
        await self.send_privileged_command("power_on")

    async def set_power_limit(self, watts: int) -> None:
        """``adjust_power_limit``."""
        self._check_power_limit(watts)
        await self.send_privileged_command("adjust_power_limit", power_limit=str(int(watts)))

    async def set_fault_light(self, on: bool) -> None:
        """``set_led``: blink red, or give the LED back to the firmware (``auto``)."""
        if on:
            await self.send_privileged_command(
                "set_led", color="red", period=1000, duration=500, start=0
            )
        else:
            await self.send_privileged_command("set_led", "auto")
        self.led_unconfirmed = True

    async def set_work_mode(self, mode: str) -> None:
        """``set_low_power`` / ``set_normal_power`` / ``set_high_power``."""
        self._check_work_mode(mode)
        await self.send_privileged_command(_WORK_MODE_COMMANDS[mode])

    # --- polling -----------------------------------------------------------------------------

    async def _fetch_identity(self) -> MinerIdentity:
        replies = await self.multicommand("get_version", "get_miner_info", "devdetails")
        version = _msg(unwrap(replies, "get_version"))
        info = _msg(unwrap(replies, "get_miner_info"))
        model = first(unwrap(replies, "devdetails"), "DEVDETAILS").get("Model")
        mac = info.get("mac")
        if not mac:
            try:
                mac = first(await self.summary(), "SUMMARY").get("MAC")
            except APIRefusalError:
                mac = None
        serial = info.get("minersn")
        return MinerIdentity(
            make=self.make,
            model=str(model).split(".", 1)[0] if model else None,
            firmware=str(version["fw_ver"]) if version.get("fw_ver") else None,
            mac=str(mac).lower() if mac else None,
            hostname=str(info["hostname"]) if info.get("hostname") else None,
            serial=str(serial) if serial else None,
        )

    def _identity_incomplete(self, data: MinerData) -> bool:
        """An identity read while btminer was off lacks the model: read it again."""
        return data.model is None and data.is_mining is False

    async def _poll(self) -> dict[str, Any]:
        """``status`` and ``get_error_code`` (and the LED after a LED control), then the joined
        read commands."""
        side_commands = ["get_error_code", "status"]
        if self.led_unconfirmed:  # asked once; a LED control meanwhile asks again
            self.led_unconfirmed = False
            side_commands.append("get_miner_info")
        try:
            side = await self.multicommand(*side_commands)
        except APIRefusalError:
            side = {}  # all refused (old firmware): poll without them
        try:
            main = await self.multicommand("summary", "devs", "pools")
        except APIRefusalError:
            if _miner_off(side) is not True:
                raise
            # Powered off: the refusal says nothing about batching, which works again later.
            self.batching.relearn()
            main = {}
        return {**side, **main}

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        summary = summary_of(replies)
        boards = dev_boards(unwrap(replies, "devs"), ("ASC", "Slot"), extra=_dev_extra)
        hashrate = total_hashrate(summary, boards)
        factory = as_float(summary.get("Factory GHS"))
        power = as_float(summary.get("Power"))
        off = _miner_off(replies)
        if hashrate is None and off:
            hashrate = 0.0
        mode = summary.get("Power Mode")
        return build_data(
            identity,
            hashrate=hashrate,
            expected_hashrate=None if not factory else factory / 1000,
            power=None if power is None or power < 0 else power,
            power_limit=as_float(summary.get("Power Limit")) or None,
            boards=boards,
            fans=self._fans(summary),
            pools=map_pools(unwrap(replies, "pools")),
            uptime=as_int(summary.get("Elapsed")),
            is_mining=None if off is None else not off,
            errors=self._errors(summary, unwrap(replies, "get_error_code")),
            work_mode=str(mode).lower() if isinstance(mode, str) and mode else None,
            fault_light=_led(unwrap(replies, "get_miner_info")),
        )

    @staticmethod
    def _fans(summary: dict[str, Any]) -> list[Fan]:
        fans = []
        for index, key in enumerate(("Fan Speed In", "Fan Speed Out")):
            if key in summary:
                fans.append(Fan(index=index, rpm=as_int(summary[key])))
        return fans

    @staticmethod
    def _errors(summary: dict[str, Any], reply: dict[str, Any] | None) -> list[str]:
        """``get_error_code`` entries (code and since when), else ``summary``'s codes."""
        found: dict[str, str | None] = {}
        entries = _msg(reply).get("error_code")
        if isinstance(entries, dict):
            entries = [entries]
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict):
                for code, since in entry.items():
                    found[str(code)] = str(since) if since else None
            elif entry not in (None, ""):
                found[str(entry)] = None
        if not found:
            for index in range(as_int(summary.get("Error Code Count")) or 0):
                code = summary.get(f"Error Code {index}")
                if code not in (None, "", 0):
                    found[str(code)] = None
        return [
            f"error {code}" + (f" since {since}" if since else "") for code, since in found.items()
        ]
