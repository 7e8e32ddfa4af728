"""MicroBT Whatsminer (btminer, API 1.x and 2.x), including its encrypted privileged API.

One request per steady poll: ``summary+devs`` joined (``summary+edevs`` on firmware that has
no ``devs``, learned at the first poll). The rest is read only when there is something to read:

- ``pools`` and ``get_miner_info`` (the LED) on the first poll, every
  ``refresh.REFRESH_SECONDS``, after an uptime reset and in the poll after any control
  (``refresh``, a ``refresh.Refresh``); in between the last reply read is used (the last pools
  also when a powered-off btminer refuses them);
- ``get_error_code`` (codes with the time they were raised) when ``summary`` counts errors
  whose codes were not read yet (``Error Code Count``/``Error Code N``); on firmware whose
  summary has no count, with the rare reads;
- ``status`` only while the hashrate is 0 or unknown (is the miner powered off?).

btminer answers ``get_*`` and ``status`` only alone, never inside a joined request; those go
one after another, never two connections at once.

Mapping:

- ``summary``: the freshest hashrate window (``mapping.rate_ths``) → hashrate, ``MHS av`` →
  average hashrate, ``Factory GHS`` → expected, ``Power`` → power (``-1`` means unknown; else
  ``Power_RT``), ``Power Limit``, ``Fan Speed In``/``Out`` → fans 0 and 1 (as written: a
  0-rpm fan is a reading), ``Elapsed`` → uptime, ``Power Mode`` → work mode,
  ``Error Code N`` (not the factory's ``Factory Error Code N``), ``Accepted``/``Rejected``,
  ``Best Share`` → best share since btminer started, ``Found Blocks``, ``Env Temp`` → inlet
  temperature, ``Power Voltage Input``/``Power Current Input`` → input voltage and current;
- ``devs`` (or ``edevs``): one board per ``ASC`` with its freshest rate, ``Temperature``,
  ``Chip Temp Max`` (else ``Avg``) and ``Effective Chips``; 0 °C is no reading;
- ``pools``: as cgminer (btminer numbers them from 1);
- ``get_error_code``: ``{"error_code": [{"110": "<since>"}, …]}`` (API 2.0.4 writes the list as
  a dict; the decoder repairs it) → ``errors``;
- ``status``: ``mineroff`` (``btmineroff`` on API 1.x) → whether it is powered off. Firmware
  20210322 (API 1.4.0) says ``btmineroff "true"`` while its boards hash at full rate: the
  hashrate wins. A miner hashing nothing is mining if status says it is not powered off
  (starting up), paused if it is;
- ``get_miner_info``: ``ledstat`` (``auto``, anything else while set) → fault light, as last
  read.

While the miner is powered off (``power_off``), btminer may refuse ``summary``/``devs``/
``pools``; when ``status`` confirms it is off, the poll still succeeds with hashrate 0, not
mining, and the other values unknown (``None``).

Identity: ``get_version`` (``fw_ver``), ``get_miner_info`` (``mac``, ``hostname``,
``minersn``), ``devdetails`` (``Model`` such as ``M30S.VG20`` or ``M30S+_VE40`` → ``M30S+``),
each of which some firmware refuses; ``summary``'s ``MAC`` and ``Firmware Version`` (written
``'20210322.22.REL'``, quotes and all) fill what they left out. An identity without model or
firmware is read again every ``IDENTITY_RETRY_INTERVAL`` seconds (``identity_retry``, a
``refresh.Refresh``), and at once when a miner read while it hashed nothing starts hashing;
the readings come back meanwhile.

Privileged commands (all controls) use the encrypted API, see ``whatsminer_crypto``. The
token is cached for ``token_lifetime`` seconds and renewed when the miner rejects it; when a
freshly issued token is rejected or the miner cannot decrypt the request, the password is
wrong (``APIAuthError``); "can't access write cmd"/permission denied means the owner has not
enabled the API in WhatsminerTool (``APIPrivilegeDisabledError``).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
import json
import re
import time
from typing import Any, Final

from .base import BaseMinerAPI, Command
from .cgminer import CGMinerAPI
from .decoding import as_float, as_int, decode_reply
from .errors import (
    APIAuthError,
    APIDecodeError,
    APIPrivilegeDisabledError,
    APIRefusalError,
    accept_dropped,
    before_control,
)
from .mapping import (
    Readings,
    build_data,
    dev_boards,
    first,
    map_pools,
    rate_ths,
    summary_counters,
    summary_of,
    temperature,
    text,
    total_hashrate,
    unwrap,
)
from .models import CLASSIC_CONTROLS, Fan, MinerData, MinerIdentity
from .protocol import BTMINER, OK_STATUSES, encode, reply_status, request_body, validate_command
from .refresh import REFRESHED, Refresh
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
#: Seconds before an identity the firmware would not fully give (a refused ``devdetails``)
#: is asked again (three requests, not one: an hour, not ``refresh.REFRESH_SECONDS``); a
#: restart or the boards starting to hash ask at once. Whatsminer API 2 and 3 alike.
IDENTITY_RETRY_INTERVAL: Final = 3600.0
#: What is read rarely beside the steady poll (``refresh``): the pools (joined to it) and the
#: LED (``get_miner_info``, alone after it).
RARE_COMMANDS: Final = ("pools", "get_miner_info")
_WORK_MODE_COMMANDS: Final = {
    "low": "set_low_power",
    "normal": "set_normal_power",
    "high": "set_high_power",
}
_MODEL_VARIANT: Final = re.compile(r"[._]")
#: ``Error Code N`` in ``summary`` (the factory's ``Factory Error Code N`` does not match).
_ERROR_CODE: Final = re.compile(r"Error Code ([0-9]{1,4})")


@dataclass(slots=True)
class BTMinerMemory:
    """What a btminer poll learns beside the rare reads (``refresh``), written by
    ``_remember`` only: which boards command works, the error codes read, and whether the
    boards hashed."""

    #: ``devs``, or ``edevs`` on firmware that has no ``devs``.
    boards_command: str = "devs"
    #: The last ``get_error_code`` reply and the summary's codes it was asked for.
    error_codes: dict[str, Any] | None = None
    errors_asked_for: tuple[str, ...] | None = None
    #: Whether the boards hashed in the last poll that told.
    hashing: bool | None = None


def _code(reply: dict[str, Any]) -> int | None:
    status = reply.get("STATUS")
    if isinstance(status, list) and status and isinstance(status[0], dict):
        return as_int(status[0].get("Code"))
    return as_int(reply.get("Code"))


def _msg(reply: dict[str, Any] | None) -> dict[str, Any]:
    """The ``Msg`` object of a ``get_*`` reply."""
    message = (reply or {}).get("Msg")
    return message if isinstance(message, dict) else {}


def model_name(value: Any) -> str | None:
    """``M30S.VG20``, ``M30S+_VE40``, ``M60S_VK40`` → ``M30S``, ``M30S+``, ``M60S``."""
    model = text(value)
    return (_MODEL_VARIANT.split(model.strip(), maxsplit=1)[0] or None) if model else None


def _version_text(value: Any) -> str | None:
    """A firmware version as written (``'20210322.22.REL'`` with its quotes, or a raw
    newline) without the decoration."""
    version = text(value)
    return (version.strip().strip("'\"").strip() or None) if version else None


def _dev_extra(_position: int, entry: dict[str, Any]) -> dict[str, Any]:
    """btminer's board fields beyond cgminer's: hottest chip (else the average), chips."""
    chip = temperature(entry.get("Chip Temp Max"))
    return {
        "chip_temperature": chip if chip is not None else temperature(entry.get("Chip Temp Avg")),
        "chips": as_int(entry.get("Effective Chips")),
    }


def _led(reply: dict[str, Any] | None) -> bool | None:
    """``get_miner_info``'s ``ledstat``: ``auto`` is the firmware's own (off), else set."""
    led = _msg(reply).get("ledstat")
    return None if led is None else str(led).strip().lower() != "auto"


def _miner_off(replies: dict[str, Any]) -> bool | None:
    """``status``: whether btminer is powered off (``mineroff``, or ``btmineroff`` on API 1.x)."""
    status = _msg(unwrap(replies, "status"))
    value = status.get("mineroff", status.get("btmineroff"))
    return None if value is None else str(value).strip().lower() == "true"


def _summary_codes(summary: dict[str, Any]) -> tuple[str, ...] | None:
    """The codes ``summary`` lists (``Error Code N``, not the factory's ``Factory Error Code
    N``), those below its ``Error Code Count`` in order; None when it has no error count.
    Only the keys present are read: the count is the firmware's word, not a loop bound."""
    count = as_int(summary.get("Error Code Count"))
    if count is None:
        return None
    listed = sorted(
        (
            (int(match.group(1)), code)
            for key, code in summary.items()
            if (match := _ERROR_CODE.fullmatch(key))
        ),
        key=lambda item: item[0],
    )
    return tuple(
        str(code) for index, code in listed if index < count and code not in (None, "", 0, "0")
    )


def _hashing(replies: dict[str, Any]) -> bool | None:
    """Whether the freshest summary rate is above 0; None when unknown."""
    summary = summary_of(replies)
    hashrate = rate_ths(summary, uptime=as_int(summary.get("Elapsed")))
    if hashrate is None:
        return None
    return hashrate > 0


class WhatsminerBase(BaseMinerAPI):
    """What Whatsminer API 2 (``BTMinerAPI``) and API 3 (``WhatsminerV3API``) share: the
    controls, modes and power range, and when they read what rarely changes. ``refresh`` holds
    the pools and the LED/settings reply: read on the first poll, every
    ``refresh.REFRESH_SECONDS``, after an uptime reset, after any control (``_control``) and
    with the identity (``forget_identity``), the last pools standing in when a read of them
    is refused. ``identity_retry``: an identity without model or firmware is asked again
    every ``IDENTITY_RETRY_INTERVAL`` seconds (each ``_fetch_identity`` marks its read)."""

    reports_errors = True
    make = "Whatsminer"
    #: All controls, through the privileged API; the firmware's modes and limits.
    controls = CLASSIC_CONTROLS
    modes = WORK_MODES
    power_limits = POWER_LIMITS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """As ``BaseMinerAPI``; nothing read yet."""
        super().__init__(*args, **kwargs)
        #: The rare replies and when to read them again (a control asks at once).
        self.refresh = Refresh(kept_when_refused=frozenset({"pools"}))
        #: When to ask an incomplete identity again.
        self.identity_retry = Refresh(interval=IDENTITY_RETRY_INTERVAL)

    async def _control(
        self, command: str, parameters: Any = None, *, restarts: bool = False, **kwargs: Any
    ) -> None:
        """A privileged command, then the rare things (pools, LED, settings) read at the next
        poll, to show what the miner did. One that ``restarts`` the miner (a reboot, a restart
        of btminer) is accepted when the miner drops it or answers nothing once it went out
        (``errors.accept_dropped``)."""
        sent = self.send_privileged_command(command, parameters, **kwargs)
        await (accept_dropped(sent) if restarts else sent)
        self.refresh = self.refresh.soon()

    def _identity_incomplete(self, data: MinerData) -> bool:
        """Model or firmware unknown (refused, or read while the miner was off): read them
        again when ``identity_retry`` wants it."""
        if data.model is not None and data.firmware is not None:
            return False
        return self.identity_retry.wanted(time.monotonic())

    def forget_identity(self) -> None:
        """As ``Miner``; the rare things are read again with it."""
        super().forget_identity()
        self.refresh = self.refresh.soon()


class BTMinerAPI(WhatsminerBase, CGMinerAPI):
    """Whatsminer (btminer API 1.x and 2.x)."""

    family = "btminer"
    poll_commands = ("summary", "devs")
    unbatchable_commands = frozenset(
        {"get_version", "get_psu", "get_miner_info", "get_error_code", "get_token", "status"}
    )
    #: Seconds a token is reused before a new one is requested.
    token_lifetime: float = 30 * 60.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """As ``BaseMinerAPI``; ``password`` is the API password (``admin`` when None)."""
        super().__init__(*args, **kwargs)
        self._token: tuple[Token, float] | None = None
        self._token_lock = asyncio.Lock()
        self.memory = BTMinerMemory()
        #: What the last poll asked for (planned by ``_poll``, read by ``_remember``).
        self._asked: frozenset[str] = frozenset()

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
            reply = await before_control(self.get_token())
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

        The API documentation (2.0.5) says the readable API also speaks ciphertext, so any
        answer to a request the miner could decrypt proves the password (the AES key is
        derived from it), even "invalid cmd"; nothing changes on the miner.
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
        await self._control("reboot", restarts=True)
        self.forget_identity()

    async def restart_backend(self) -> None:
        """``restart_btminer``."""
        await self._control("restart_btminer", restarts=True)

    async def pause_mining(self) -> None:
        """``power_off`` (hashing stops, the API stays up)."""
        await self._control("power_off", respbefore="true")

    async def resume_mining(self) -> None:
        """``power_on``."""
        await self._control("power_on")

    async def set_power_limit(self, watts: int) -> None:
        """``adjust_power_limit``."""
        self._check_power_limit(watts)
        await self._control("adjust_power_limit", power_limit=str(int(watts)))

    async def set_fault_light(self, on: bool) -> None:
        """``set_led``: blink red, or give the LED back to the firmware (``auto``)."""
        if on:
            await self._control("set_led", color="red", period=1000, duration=500, start=0)
        else:
            await self._control("set_led", "auto")

    async def set_work_mode(self, mode: str) -> None:
        """``set_low_power`` / ``set_normal_power`` / ``set_high_power``."""
        self._check_work_mode(mode)
        await self._control(_WORK_MODE_COMMANDS[mode])

    # --- identity ----------------------------------------------------------------------------

    async def _fetch_identity(self) -> MinerIdentity:
        try:
            replies = await self.multicommand("get_version", "get_miner_info", "devdetails")
        except APIRefusalError:
            replies = {}  # old firmware answers none of them: summary has the MAC
        version = _msg(unwrap(replies, "get_version"))
        info = _msg(unwrap(replies, "get_miner_info"))
        firmware = _version_text(version.get("fw_ver"))
        mac = text(info.get("mac"))
        if mac is None or firmware is None:
            try:
                summary = first(await self.summary(), "SUMMARY")
            except APIRefusalError:
                summary = {}
            mac = mac or text(summary.get("MAC"))
            firmware = firmware or _version_text(summary.get("Firmware Version"))
        self.identity_retry = self.identity_retry.read(time.monotonic())
        return MinerIdentity(
            make=self.make,
            model=model_name(first(unwrap(replies, "devdetails"), "DEVDETAILS").get("Model")),
            firmware=firmware,
            mac=mac.lower() if mac else None,
            hostname=text(info.get("hostname")),
            serial=text(info.get("minersn")),
        )

    # --- polling -----------------------------------------------------------------------------

    async def _poll(self) -> dict[str, Any]:
        """``summary`` and the boards in one request; the rest only when there is something
        to read (see the module docstring)."""
        memory = self.memory
        rare = self.refresh.wanted(time.monotonic())
        asked = ["summary", memory.boards_command, *(["pools"] if rare else [])]
        try:
            replies = await self.multicommand(*asked)
        except APIRefusalError:
            replies = {}  # every read refused: a powered-off btminer does that (status tells)
        if memory.boards_command not in replies and memory.boards_command == "devs":
            asked.append("edevs")  # old firmware has edevs and no devs
            with contextlib.suppress(APIRefusalError):
                replies.update(await self.multicommand("edevs"))
        side: list[str] = []
        if rare:
            side.append("get_miner_info")
        codes = _summary_codes(summary_of(replies))
        if (codes and codes != memory.errors_asked_for) or (codes is None and rare):
            side.append("get_error_code")
        if not _hashing(replies):
            side.append("status")
        if side:
            asked.extend(side)
            with contextlib.suppress(APIRefusalError):
                replies.update(await self.multicommand(*side))
        self._asked = frozenset(asked)
        if not any(command in replies for command in ("summary", "devs", "edevs")):
            if _miner_off(replies) is not True:
                raise APIRefusalError(
                    f"{self.host}: the miner refused every read: {', '.join(asked)}"
                )
            # Powered off: the refusal says nothing about batching, which works again later.
            self.batching.relearn()
        return replies

    def _remember(self, replies: dict[str, Any], identity: MinerIdentity) -> None:
        """What was read rarely (due again after a restart), which boards command works, the
        error codes read, and hashing (an incomplete identity is asked again once the boards
        start)."""
        memory, asked = self.memory, self._asked
        summary = summary_of(replies)
        rare = [command for command in RARE_COMMANDS if command in asked]
        self.refresh = self.refresh.after(
            {**replies, REFRESHED: rare},
            uptime=as_int(summary.get("Elapsed")),
            now=time.monotonic(),
        )
        if "edevs" in asked and "edevs" in replies:
            memory.boards_command = "edevs"
        if "get_error_code" in asked:
            memory.error_codes = unwrap(replies, "get_error_code")
            memory.errors_asked_for = _summary_codes(summary)
        hashing = _hashing(replies)
        if hashing is True and memory.hashing is False:
            self.identity_retry = self.identity_retry.soon()
        if hashing is not None or _miner_off(replies):
            memory.hashing = bool(hashing)

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        summary = summary_of(replies)
        memory = self.memory
        rare = self.refresh.merged(replies)
        devs = unwrap(replies, "devs") or unwrap(replies, "edevs")
        boards = dev_boards(devs, ("ASC", "Slot"), extra=_dev_extra)
        uptime = as_int(summary.get("Elapsed"))
        hashrate = total_hashrate(summary, boards, uptime=uptime)
        off = _miner_off(replies)
        if hashrate is None and off:
            hashrate = 0.0
        # The hashrate wins over a status that says "off" (API 1.4.0 says so while hashing);
        # a miner hashing nothing is mining unless status says it is powered off.
        is_mining = True if hashrate else (None if off is None else not off)
        factory = as_float(summary.get("Factory GHS"))
        power = as_float(summary.get("Power"))
        if power is None or power < 0:
            power = as_float(summary.get("Power_RT"))
        mode = text(summary.get("Power Mode"))
        readings: Readings = {
            **summary_counters(summary),
            "inlet_temperature": temperature(summary.get("Env Temp")),
            "input_voltage": as_float(summary.get("Power Voltage Input")) or None,
            "input_current": as_float(summary.get("Power Current Input")) or None,
        }
        return build_data(
            identity,
            hashrate=hashrate,
            expected_hashrate=None if not factory else factory / 1000,
            power=None if power is None or power < 0 else power,
            power_limit=as_float(summary.get("Power Limit")) or None,
            boards=boards,
            fans=self._fans(summary, devs),
            pools=map_pools(unwrap(rare, "pools")),
            uptime=uptime,
            is_mining=is_mining,
            errors=self._errors(summary, memory.error_codes or unwrap(replies, "get_error_code")),
            work_mode=mode.lower() if mode else None,
            fault_light=_led(unwrap(rare, "get_miner_info")),
            temperature=temperature(summary.get("Temperature")),
            chip_temperature=temperature(summary.get("Chip Temp Max")),
            **readings,
        )

    @staticmethod
    def _fans(summary: dict[str, Any], boards: dict[str, Any] | None) -> list[Fan]:
        """Intake and exhaust (``Fan Speed In``/``Out``) from summary, else from a board."""
        source = summary
        if "Fan Speed In" not in source and "Fan Speed Out" not in source:
            source = first(boards, "DEVS")
        return [
            Fan(index=index, rpm=as_int(source[key]))
            for index, key in enumerate(("Fan Speed In", "Fan Speed Out"))
            if key in source
        ]

    @staticmethod
    def _errors(summary: dict[str, Any], reply: dict[str, Any] | None) -> list[str] | None:
        """``get_error_code`` entries (code and since when), else ``summary``'s codes; none
        when summary counts none; None when neither was read (no count in summary and no
        ``get_error_code`` reply: unknown, not "no errors")."""
        codes = _summary_codes(summary)
        if codes is not None and not codes:
            return []
        if codes is None and reply is None:
            return None
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
            found = dict.fromkeys(codes or ())
        return [
            f"error {code}" + (f" since {since}" if since else "") for code, since in found.items()
        ]
