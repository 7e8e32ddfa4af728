"""AxeOS (ESP-Miner) and the firmwares that copied its HTTP API: Bitaxe boards, NerdOS
(NerdAxe, NerdQAxe…), LuckyMiner and the TCH build.

An ESP32 serves everything over HTTP on the web port, without authentication; nothing listens
on a miner API port. Its web server has a handful of sockets and is known to crash under load,
so this client is gentle: one request at a time (the miner's lock), and one request per steady
poll, ``GET /api/system/info``, which carries every reading and the identity. The device's
own frequency and voltage options, ``GET /api/system/asic`` (AxeOS >= 2.7, NerdOS >= 1.0.32),
are read on the first poll, after a restart or another device at the address, and every
``ASIC_REFRESH_SECONDS`` (``Memory.asic``, a ``refresh.Refresh``). The identity read and the poll beside it share one request
(``poll_replies``: the first poll, a restart noticed by a poll).

Facts from ESP-Miner's source at each release tag (``main/http_server/http_server.c``,
``system_api_json.c``, ``nvs_config.c``, ``device_config.h``, ``power_management_task.c``) and
NerdQAxePlus v1.0.36 (``handler_system.cpp``, ``http_utils.cpp``, ``boards/*.cpp``):

- Units: ``hashRate``/``expectedHashrate`` GH/s (``hashRate`` is the current measurement,
  ``hashRate_1m`` its average); ``voltage`` (LuckyMiner: ``voltagei``) and ``current``: input
  mV and mA; ``coreVoltage`` the setting and ``coreVoltageActual`` the measurement, mV;
  ``frequency`` MHz as set; ``temp`` average ASIC °C (NerdOS: the hottest), ``temp2`` the
  second ASIC (-1 without), ``vrTemp`` the regulator; ``wifiRSSI`` dBm.
- Renamed across releases: fan rpm ``fanSpeed`` (<= 2.1.3), ``fanSpeedRpm`` (2.1.4-2.1.8),
  ``fanrpm`` (>= 2.1.9, ``fan2rpm`` >= 2.11, 0 on one-fan boards; NerdOS ``fanrpm2`` and
  ``fanCount``); ``fanspeed`` is the live duty from 2.1.9 but the stored manual duty before;
  the manual duty is set with ``manualFanSpeed`` from 2.11 (NerdOS 1.0.35), where ``fanspeed``
  in a PATCH is ignored with a 200; best difficulties are SI strings ("5.56G") up to 2.10
  (NerdOS 1.0.34) and numbers after.
- Expected hashrate: ``expectedHashrate`` from 2.8; before, and on NerdOS, the firmware's own
  formula ``frequency x smallCoreCount x asicCount / 1000`` GH/s where all three are given.
- ``miningPaused`` (2.14, pause/resume), ``overheat_mode`` (safe mode: mining halted),
  ``power_fault``/``hardware_fault`` (only while set), NerdOS ``shutdown``.
- ``blockFound``: blocks found since boot (a 0/1 flag in 2.11-2.12, a count from 2.13); NerdOS
  ``totalFoundBlocks`` (all time).
- Model: ``deviceModel`` of ``/api/system/asic`` (>= 2.9), else ``boardVersion`` through
  ESP-Miner's board table; NerdOS and LuckyMiner name it in the info (``deviceModel``,
  ``minerModel``). Firmware: ``version`` as the device writes it (forks' numbers are never
  compared with AxeOS releases).

Controls, offered by version and fields (never by probing):

- ``reboot``: ``POST /api/system/restart``. Up to 2.1.5 (and LuckyMiner's 2.0/2.1-era
  firmware) the device restarts at once without a reply: a connection that drops or goes
  silent after the request was delivered is the restart happening.
- ``identify`` (AxeOS >= 2.12): ``POST /api/system/identify`` toggles a 30 s "Hi!" on the
  display and says which way it went; when it switched an earlier "Hi!" off, it is sent once
  more. A momentary action the device ends by itself, with no state to read: ``IDENTIFY``
  (a button), not the fault-light switch.
- ``pause_mining``/``resume_mining`` (``miningPaused`` present, 2.14): ``POST
  /api/system/pause|resume``.
- ``PATCH /api/system`` (200 with an empty body; ``400 Wrong API input`` when >= 2.11
  refuses a value): the fan (``autofanspeed`` and the manual key above; NerdOS's automatic
  mode 1 or PID 2 is restored as it was), the target temperature (``temptarget`` 35-66 °C,
  AxeOS >= 2.7; NerdOS ``pidTargetTemp`` 30-80 °C where the board has PID), and frequency /
  core voltage among the device's own options. AxeOS applies them live from 2.2 (the power
  management loop); NerdOS stores them and applies them at the next restart (its web UI says
  so): this client does not restart the device by itself.
- NerdOS with OTP on (``otp``): every PATCH needs a code from the owner's authenticator; the
  client has none, so it raises ``APIOTPRequiredError`` without sending anything (five bad
  codes block the API for 5 minutes). A 401 ``OTP/Session required`` or ``blocked`` on any
  control raises the same; a 401 ``Unauthorized`` is the network gate (the device answers
  only private addresses), a refusal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
import re
import time
from typing import Any, ClassVar, Final

import aiohttp

from .decoding import as_float, as_int, excerpt
from .errors import APIConnectionError, APIDecodeError, APIOTPRequiredError, APIRefusalError
from .http import HTTPClient, HTTPReply, MinerHTTP
from .limits import where
from .mapping import build_data, lower_mac, max_of, text
from .miner import Miner
from .models import Capability, Fan, MinerData, MinerIdentity, Pool
from .poll_replies import PollReplies, web_poll
from .redact import POOL_SECRETS
from .refresh import Refresh

INFO: Final = "/api/system/info"
ASIC: Final = "/api/system/asic"
SETTINGS: Final = "/api/system"
RESTART: Final = "/api/system/restart"
IDENTIFY: Final = "/api/system/identify"
PAUSE: Final = "/api/system/pause"
RESUME: Final = "/api/system/resume"

#: Seconds between two reads of ``/api/system/asic`` (the options change only with the
#: firmware, which a restart shows).
ASIC_REFRESH_SECONDS: Final = 600.0
#: Every status: this family reads error bodies itself.
ANY_STATUS: Final = range(100, 600)
#: Manual fan duty (%) the firmwares accept (``manualFanSpeed`` 0-100 in ``nvs_config.c``).
FAN_BOUNDS: Final = (0, 100)
#: ``temptarget`` 35-66 °C (ESP-Miner ``nvs_config.c``); ``pidTargetTemp`` 30-80 °C (the
#: NerdOS web UI's validators; the firmware takes any integer).
AXEOS_TARGET_BOUNDS: Final = (35, 66)
NERDOS_TARGET_BOUNDS: Final = (30, 80)
#: Pool passwords, the Wi-Fi password and pool workers (wallets) never kept in last_replies.
SECRET_KEYS: Final = POOL_SECRETS | frozenset(
    {
        "wifiPass",
        "stratumPassword",
        "fallbackStratumPassword",
        "stratumUser",
        "fallbackStratumUser",
    }
)
#: ``boardVersion`` -> ESP-Miner's device model (``device_config.h`` of 2.15).
BOARD_MODELS: Final[Mapping[str, str]] = {
    **dict.fromkeys(("2.2", "102"), "Max"),
    **dict.fromkeys(("0.11", "201", "202", "203", "204", "205", "207"), "Ultra"),
    **dict.fromkeys(("302", "303"), "Hex"),
    **dict.fromkeys(("400", "401", "402", "403"), "Supra"),
    **dict.fromkeys(("600", "601", "602", "603"), "Gamma"),
    "650": "GammaDuo",
    **dict.fromkeys(("701", "702"), "SupraHex"),
    "801": "GammaTurbo",
}
_SI: Final = {"k": 3, "K": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_RELEASE: Final = re.compile(r"\s*v?([0-9]{1,6})\.([0-9]{1,6})\.([0-9]{1,6})")
_OTP_WORDS: Final = ("otp", "blocked")
#: An error body quoted whole up to this length (the firmwares' own words are short).
_MESSAGE_CHARS: Final = 120
GATE_MESSAGE: Final = (
    "the device refuses this client's address (AxeOS answers only clients on private "
    "networks: 10/8, 172.16/12, 192.168/16)"
)

Version = tuple[int, int, int]


class Flavour(StrEnum):
    """Which firmware speaks the AxeOS API."""

    AXEOS = "axeos"
    #: The TCH build of ESP-Miner ("2.7.0-TCH-All-In-One").
    TCH = "tch"
    NERDOS = "nerdos"
    LUCKYMINER = "luckyminer"


def flavour_of(info: Mapping[str, Any]) -> Flavour:
    """The firmware from the info reply's own fields."""
    if "minerModel" in info:
        return Flavour.LUCKYMINER
    if "deviceModel" in info or "otp" in info or "hostip" in info:
        return Flavour.NERDOS
    if "chipSubmitStr" in info or "TCH" in str(info.get("version", "")):
        return Flavour.TCH
    return Flavour.AXEOS


def release_of(version: Any) -> Version | None:
    """``v2.12.2``, ``2.7.0-TCH-All-In-One``, ``v2.10.0-1.9.1`` -> (major, minor, patch)."""
    match = _RELEASE.match(version) if isinstance(version, str) else None
    if match is None:
        return None
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def is_axeos(info: Any) -> bool:
    """Whether an info reply is the AxeOS API (any flavour): its ASIC and hashrate."""
    return isinstance(info, dict) and "ASICModel" in info and "hashRate" in info


def difficulty(value: Any) -> float | None:
    """A best difficulty: a number (>= 2.11) or an SI string (``"5.56G"``, ``"13M"``)."""
    if isinstance(value, str):
        number = value.strip()
        if number and number[-1] in _SI:
            number = f"{number[:-1]}e{_SI[number[-1]]}"
        return as_float(number)
    return as_float(value)


def _positive(value: Any) -> float | None:
    """A reading where 0 and below are placeholders (no sensor, -1 without a second ASIC)."""
    number = as_float(value)
    return number if number is not None and number > 0 else None


def _milli(value: Any) -> float | None:
    """mV -> V, mA -> A (placeholders dropped)."""
    number = _positive(value)
    return None if number is None else number / 1000


def _flag(value: Any) -> bool:
    return value is True or (as_int(value) or 0) != 0


@dataclass(frozen=True, slots=True)
class Features:
    """What the firmware offers, as its last info reply shows (by version and fields)."""

    flavour: Flavour = Flavour.AXEOS
    #: The AxeOS release (None for forks with their own numbers).
    release: Version | None = None
    pause: bool = False
    identify: bool = False
    #: The PATCH key of the manual fan duty; None: no fan control.
    fan_key: str | None = None
    #: The PATCH key of the target temperature and its bounds; None: no target.
    target_key: str | None = None
    target_bounds: tuple[int, int] | None = None
    #: NerdOS with OTP on: settings need a one-time code.
    otp: bool = False
    #: ``/api/system/asic`` may answer.
    asic_endpoint: bool = False
    #: False: the restart drops the connection unanswered.
    restart_replies: bool = True


def features_of(info: Mapping[str, Any]) -> Features:
    """The controls an info reply shows."""
    flavour = flavour_of(info)
    version = release_of(info.get("version"))
    axeos = flavour in (Flavour.AXEOS, Flavour.TCH)
    release = version if axeos else None
    fan_key = None
    if "autofanspeed" in info:
        fan_key = next((key for key in ("manualFanSpeed", "fanspeed") if key in info), None)
    target_key, target_bounds = None, None
    if axeos and "temptarget" in info:
        target_key, target_bounds = "temptarget", AXEOS_TARGET_BOUNDS
    elif flavour is Flavour.NERDOS and (as_int(info.get("pidTargetTemp")) or -1) >= 0:
        target_key, target_bounds = "pidTargetTemp", NERDOS_TARGET_BOUNDS
    if axeos:
        asic_endpoint = release is not None and release >= (2, 7, 0)
    else:
        asic_endpoint = flavour is Flavour.NERDOS and (version or (0, 0, 0)) >= (1, 0, 32)
    return Features(
        flavour=flavour,
        release=release,
        pause=axeos and "miningPaused" in info,
        identify=release is not None and release >= (2, 12, 0),
        fan_key=fan_key,
        target_key=target_key,
        target_bounds=target_bounds,
        otp=flavour is Flavour.NERDOS and info.get("otp") is True,
        asic_endpoint=asic_endpoint,
        restart_replies=flavour is Flavour.NERDOS or (release is not None and release > (2, 1, 5)),
    )


@dataclass(frozen=True, slots=True)
class Memory:
    """What the client keeps between polls of one device (written only by ``_remember``)."""

    #: The device these facts are about (another MAC at the address starts afresh).
    mac: str | None = None
    #: Fans (by index) that have spun: a fan that stops still shows, at 0 rpm.
    fans_spun: frozenset[int] = frozenset()
    #: ``autofanspeed`` of the automatic mode in use (NerdOS: 1 auto, 2 PID).
    auto_fan_mode: int = 1
    #: The device's frequency (MHz) and core voltage (mV) options.
    frequencies: tuple[int, ...] = ()
    voltages: tuple[int, ...] = ()
    #: When the options were read and the uptime of the last poll (a smaller one: a restart).
    asic: Refresh = field(default_factory=lambda: Refresh(interval=ASIC_REFRESH_SECONDS))

    def asic_due(self, now: float, info: Mapping[str, Any]) -> bool:
        """Whether the poll of ``info`` reads ``/api/system/asic`` again: ``asic`` wants it
        (this info's uptime counts at once), or another device answers."""
        uptime = as_int(info.get("uptimeSeconds"))
        return self.asic.wanted(now, uptime=uptime) or lower_mac(info.get("macAddr")) != self.mac


def _options(reply: Mapping[str, Any], key: str) -> tuple[int, ...]:
    values = reply.get(key)
    if not isinstance(values, list):
        return ()
    return tuple(number for value in values if (number := as_int(value)) is not None)


@dataclass(frozen=True, slots=True)
class _FanSlot:
    rpm: int | None
    duty: Any
    #: The board has this fan for sure (else: only once it has spun).
    fitted: bool


def _fan_slots(info: Mapping[str, Any], flavour: Flavour) -> list[_FanSlot]:
    """The fan slots the firmware reports: NerdOS says how many fans it drives; AxeOS >= 2.11
    writes ``fan2rpm`` 0 on one-fan boards."""
    if flavour is Flavour.NERDOS:
        count = as_int(info.get("fanCount")) or 1
        readings = [("fanrpm", "fanspeed"), ("fanrpm2", "fanspeed2")]
        return [
            _FanSlot(as_int(info.get(rpm)), info.get(duty), fitted=True)
            for rpm, duty in readings[:count]
        ]
    live = "fanrpm" in info  # >= 2.1.9: fanspeed is the live duty
    manual = "autofanspeed" in info and not _flag(info.get("autofanspeed"))
    duty = info.get("fanspeed") if live or manual else None
    rpm = next((info[key] for key in ("fanrpm", "fanSpeedRpm", "fanSpeed") if key in info), None)
    slots = [_FanSlot(as_int(rpm), duty, fitted=True)]
    if "fan2rpm" in info:
        slots.append(_FanSlot(as_int(info["fan2rpm"]), duty, fitted=False))
    return slots


def _pools(info: Mapping[str, Any]) -> list[Pool]:
    """The primary and the fallback pool; the fallback is active while the firmware says so."""
    stratum = info.get("stratum")
    nerd = stratum.get("pools") if isinstance(stratum, dict) else None
    nerd_pools = [pool for pool in nerd if isinstance(pool, dict)] if isinstance(nerd, list) else []
    fallback = _flag(info.get("isUsingFallbackStratum")) or (
        isinstance(stratum, dict) and _flag(stratum.get("usingFallback"))
    )
    pools = []
    for position, prefix in enumerate(("stratum", "fallbackStratum")):
        host = text(info.get(f"{prefix}URL"))
        if host is None:
            continue
        port = as_int(info.get(f"{prefix}Port"))
        stats = nerd_pools[position] if position < len(nerd_pools) else {}
        connected = stats.get("connected")
        pools.append(
            Pool(
                url=f"{host}:{port}" if port else host,
                user=text(info.get(f"{prefix}User")),
                alive=connected if isinstance(connected, bool) else None,
                active=fallback == (position == 1),
                accepted=as_int(stats.get("accepted")),
                rejected=as_int(stats.get("rejected")),
            )
        )
    return pools


def _expected_ghs(info: Mapping[str, Any]) -> float | None:
    expected = _positive(info.get("expectedHashrate"))
    if expected is not None:
        return expected
    frequency = as_float(info.get("frequency"))
    cores = as_int(info.get("smallCoreCount"))
    asics = as_int(info.get("asicCount"))
    if frequency and cores and asics:
        return frequency * cores * asics / 1000
    return None


def _hashrate_ghs(info: Mapping[str, Any], flavour: Flavour) -> float | None:
    """The freshest rate: ``hashRate``; NerdOS <= 1.0.32 wrote its 10-minute average there."""
    if flavour is Flavour.NERDOS and "hashRate_1m" in info:
        version = release_of(info.get("version"))
        if version is not None and version < (1, 0, 33):
            return as_float(info["hashRate_1m"])
    return as_float(info.get("hashRate"))


def _overheated(info: Mapping[str, Any]) -> bool:
    """The safe mode the firmware enters when too hot: the ASICs stop until a restart."""
    return _flag(info.get("overheat_mode")) or _flag(info.get("overheat"))


def _errors(info: Mapping[str, Any]) -> list[str]:
    errors = [str(info[key]) for key in ("power_fault", "hardware_fault") if text(info.get(key))]
    if _overheated(info):
        errors.append("Overheat mode: mining halted until the device is restarted")
    return list(dict.fromkeys(errors))


def identity_of(info: Mapping[str, Any], asic: Mapping[str, Any] | None) -> MinerIdentity:
    """Make, model, firmware, MAC and host name from the info and ``/api/system/asic``."""
    flavour = flavour_of(info)
    if flavour is Flavour.NERDOS:
        make, model = None, text(info.get("deviceModel"))
    elif flavour is Flavour.LUCKYMINER:
        make, model = "LuckyMiner", text(info.get("minerModel"))
    else:
        board = text(info.get("boardVersion"))
        model = text((asic or {}).get("deviceModel")) or BOARD_MODELS.get(board or "")
        make = "Bitaxe"
    return MinerIdentity(
        make=make,
        model=model,
        firmware=text(info.get("version")),
        mac=lower_mac(info.get("macAddr")),
        hostname=text(info.get("hostname")),
    )


def map_info(info: Mapping[str, Any], identity: MinerIdentity, memory: Memory) -> MinerData:
    """One info reply as ``MinerData`` (no board: the device is one board)."""
    flavour = flavour_of(info)
    ghs = _hashrate_ghs(info, flavour)
    hashrate = None if ghs is None else ghs / 1000
    expected = _expected_ghs(info)
    power = _positive(info.get("power"))
    chips = [info.get("temp"), info.get("temp2")]
    asic_temps = info.get("asicTemps")
    if isinstance(asic_temps, list):
        chips.extend(asic_temps)
    fans = [
        Fan(index=index, rpm=slot.rpm, percent=None if duty is None else round(duty))
        for index, slot in enumerate(_fan_slots(info, flavour))
        if slot.fitted or (slot.rpm or 0) > 0 or index in memory.fans_spun
        for duty in (as_float(slot.duty),)
    ]
    auto = info.get("autofanspeed")
    target = info.get("pidTargetTemp") if flavour is Flavour.NERDOS else info.get("temptarget")
    blocks = info.get("totalFoundBlocks", info.get("foundBlocks", info.get("blockFound")))
    paused = info.get("miningPaused") is True or info.get("shutdown") is True
    data = build_data(
        identity,
        hashrate=hashrate,
        expected_hashrate=None if expected is None else expected / 1000,
        power=power,
        fans=fans,
        pools=_pools(info),
        uptime=as_int(info.get("uptimeSeconds")),
        is_mining=not paused and not _overheated(info),
        errors=_errors(info),
    )
    return replace(
        data,
        chip_temperature=max_of(_positive(value) for value in chips),
        vr_temperature=_positive(info.get("vrTemp")),
        input_voltage=_milli(info.get("voltage", info.get("voltagei"))),
        input_current=_milli(info.get("current")),
        core_voltage=_positive(info.get("coreVoltageActual")),
        core_voltage_setting=as_int(_positive(info.get("coreVoltage"))),
        frequency=_positive(info.get("frequency")),
        shares_accepted=as_int(info.get("sharesAccepted")),
        shares_rejected=as_int(info.get("sharesRejected")),
        best_difficulty=difficulty(info.get("bestDiff")),
        best_session_difficulty=difficulty(info.get("bestSessionDiff")),
        blocks_found=as_int(blocks),
        wifi_rssi=as_int(info.get("wifiRSSI")) or None,
        fan_auto=None if auto is None else _flag(auto),
        target_temperature=_positive(target),
    )


class AxeOSAPI(Miner):
    """An AxeOS device (Bitaxe, NerdOS, LuckyMiner, TCH) over its HTTP API on ``web_port``."""

    family: ClassVar[str] = "axeos"
    secret_keys: ClassVar[frozenset[str]] = SECRET_KEYS
    #: ``power_fault``, ``hardware_fault`` and the overheat mode.
    reports_errors: ClassVar[bool] = True

    def __init__(self, host: str, port: int = 4028, **kwargs: Any) -> None:
        """As ``Miner``; only ``web_port`` is used (nothing listens on an API port)."""
        super().__init__(host, port, **kwargs)
        #: The info reply's controls (None until the first poll).
        self.features: Features | None = None
        self.memory = Memory()
        self._replies = PollReplies()
        self._web = MinerHTTP(
            self.host, self.web_port, lock=self.device_lock, session=self.web_session
        )

    def __repr__(self) -> str:
        """Class and web address."""
        return f"{type(self).__name__}({where(self.host, self.web_port)})"

    # --- what this device can do -------------------------------------------------------------

    @property
    def capabilities(self) -> frozenset[Capability]:
        """Restart always; the rest as the firmware's release and fields show."""
        features = self.features or Features()
        capabilities = {Capability.REBOOT}
        if features.pause:
            capabilities.add(Capability.PAUSE_RESUME)
        if features.identify:
            capabilities.add(Capability.IDENTIFY)
        if features.fan_key is not None:
            capabilities.add(Capability.FAN_SPEED)
        if features.target_key is not None:
            capabilities.add(Capability.TARGET_TEMPERATURE)
        if self.memory.frequencies:
            capabilities.add(Capability.FREQUENCY)
        if self.memory.voltages:
            capabilities.add(Capability.CORE_VOLTAGE)
        return frozenset(capabilities)

    @property
    def fan_speed_bounds(self) -> tuple[int, int] | None:
        """0-100 % where the fan can be set by hand."""
        return FAN_BOUNDS if Capability.FAN_SPEED in self.capabilities else None

    @property
    def target_temperature_bounds(self) -> tuple[int, int] | None:
        """AxeOS 35-66 °C, NerdOS 30-80 °C."""
        return (self.features or Features()).target_bounds

    @property
    def frequency_options(self) -> tuple[int, ...]:
        """MHz, as ``/api/system/asic`` lists them (the current one may lie outside)."""
        return self.memory.frequencies

    @property
    def core_voltage_options(self) -> tuple[int, ...]:
        """mV, as ``/api/system/asic`` lists them."""
        return self.memory.voltages

    # --- HTTP ----------------------------------------------------------------------------------

    async def _request(self, method: str, path: str, body: Any = None) -> HTTPReply:
        """One request; an error status raises with the firmware's own words."""
        if method != "GET":
            self._replies.clear()  # what a read said before a control is stale
        async with self._web.open(self.limits) as web:
            reply = await web.request(method, path, json=body, accept=ANY_STATUS)
        if 200 <= reply.status < 300:
            return reply
        words = " ".join(reply.text().split())
        message = (words if len(words) <= _MESSAGE_CHARS else excerpt(words)) or "no reason given"
        if reply.status == 401 and any(word in message.lower() for word in _OTP_WORDS):
            raise APIOTPRequiredError(f"{reply.what}: the device wants a one-time code ({message})")
        if reply.status == 401:
            raise APIRefusalError(f"{reply.what}: {GATE_MESSAGE}")
        raise APIRefusalError(f"{reply.what} refused (HTTP {reply.status}): {message}")

    async def _get(self, path: str) -> dict[str, Any]:
        return (await self._request("GET", path)).json_object()

    async def _info(self) -> dict[str, Any]:
        """``/api/system/info`` (the identity read and the poll beside it share one)."""
        return await self._replies.read(INFO, lambda: self._get(INFO))

    async def _asic(self) -> dict[str, Any] | None:
        """``/api/system/asic``; None where the firmware refuses it or answers no JSON."""

        async def fetch() -> dict[str, Any] | None:
            try:
                return await self._get(ASIC)
            except APIRefusalError, APIDecodeError:
                return None

        return await self._replies.read(ASIC, fetch)

    # --- polling -------------------------------------------------------------------------------

    async def _fetch_identity(self) -> MinerIdentity:
        info = await self._info()
        asic = await self._asic() if features_of(info).asic_endpoint else None
        return identity_of(info, asic)

    async def _poll(self) -> dict[str, Any]:
        info = await self._info()
        replies: dict[str, Any] = {"info": info}
        if features_of(info).asic_endpoint and self.memory.asic_due(time.monotonic(), info):
            replies["asic"] = await self._asic()
        return replies

    def _remember(self, replies: dict[str, Any], identity: MinerIdentity) -> None:
        """The info's controls; fans that spun, the automatic fan mode and the options of
        this device."""
        info: dict[str, Any] = replies["info"]
        self.features = features_of(info)
        memory = self.memory
        mac = lower_mac(info.get("macAddr"))
        if mac != memory.mac:
            memory = Memory(mac=mac)
        spun = {
            index
            for index, slot in enumerate(_fan_slots(info, self.features.flavour))
            if (slot.rpm or 0) > 0
        }
        mode = as_int(info.get("autofanspeed"))
        now = time.monotonic()
        memory = replace(
            memory,
            fans_spun=memory.fans_spun | spun,
            auto_fan_mode=mode if mode in (1, 2) else memory.auto_fan_mode,
            asic=memory.asic.after({}, uptime=as_int(info.get("uptimeSeconds")), now=now),
        )
        if "asic" in replies:
            asic = replies["asic"] or {}
            memory = replace(
                memory,
                frequencies=_options(asic, "frequencyOptions") or memory.frequencies,
                voltages=_options(asic, "voltageOptions") or memory.voltages,
                asic=memory.asic.read(now),
            )
        self.memory = memory

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        return map_info(replies["info"], identity, self.memory)

    async def get_data(self) -> MinerData:
        """One poll on one session; pool workers and passwords are kept out of
        ``last_replies``."""
        poll = super().get_data
        return await web_poll(self, self._web, poll, replies=self._replies)

    # --- controls ------------------------------------------------------------------------------

    async def _features(self, capability: Capability, action: str) -> Features:
        """The firmware's features, read first when no poll has shown them; unsupported
        when they lack ``capability``."""
        if self.features is None:
            await self.get_data()
        if capability not in self.capabilities:
            raise self._unsupported(action)
        assert self.features is not None  # set by the poll
        return self.features

    async def _patch(self, features: Features, settings: dict[str, Any]) -> None:
        """``PATCH /api/system`` (never sent with OTP on: it would count as a bad code)."""
        if features.otp:
            raise APIOTPRequiredError(
                f"{where(self.host, self.web_port)}: NerdOS has OTP enabled; settings need a "
                "one-time code from the owner's authenticator (switch OTP off to control it)"
            )
        await self._request("PATCH", SETTINGS, settings)

    async def reboot(self) -> None:
        """``POST /api/system/restart``; the device is away for a few seconds."""
        features = self.features or Features()
        try:
            await self._request("POST", RESTART)
        except APIConnectionError as err:
            if not _restarting(err, silent_ok=not features.restart_replies):
                raise
        self.forget_identity()

    async def identify(self) -> None:
        """Show "Hi!" for 30 s (sent again when it switched an earlier one off)."""
        await self._features(Capability.IDENTIFY, "identify itself")
        for _ in range(2):
            reply = await self._request("POST", IDENTIFY)
            if "no longer" not in _message(reply):
                return

    async def pause_mining(self) -> None:
        """``POST /api/system/pause`` (AxeOS >= 2.14; not kept over a restart)."""
        await self._features(Capability.PAUSE_RESUME, "pause mining")
        await self._request("POST", PAUSE)

    async def resume_mining(self) -> None:
        """``POST /api/system/resume``."""
        await self._features(Capability.PAUSE_RESUME, "resume mining")
        await self._request("POST", RESUME)

    async def set_fan_speed(self, percent: int | None) -> None:
        """Manual duty ``percent`` %, or the automatic mode the device last used."""
        features = await self._features(Capability.FAN_SPEED, "set the fan speed")
        if percent is None:
            await self._patch(features, {"autofanspeed": self.memory.auto_fan_mode})
            return
        self._check_range("fan speed", percent, FAN_BOUNDS, "%")
        assert features.fan_key is not None  # FAN_SPEED is offered with a key
        await self._patch(features, {"autofanspeed": 0, features.fan_key: percent})

    async def set_target_temperature(self, celsius: int) -> None:
        """``temptarget`` (AxeOS) or ``pidTargetTemp`` (NerdOS)."""
        features = await self._features(Capability.TARGET_TEMPERATURE, "set a target temperature")
        self._check_range("target temperature", celsius, features.target_bounds, "°C")
        assert features.target_key is not None  # TARGET_TEMPERATURE is offered with a key
        await self._patch(features, {features.target_key: celsius})

    async def set_frequency(self, mhz: int) -> None:
        """One of the device's frequency options (live on AxeOS, at the next restart on
        NerdOS)."""
        features = await self._features(Capability.FREQUENCY, "set the ASIC frequency")
        self._check_choice("frequency (MHz)", mhz, self.frequency_options)
        await self._patch(features, {"frequency": mhz})

    async def set_core_voltage(self, millivolts: int) -> None:
        """One of the device's core voltage options (mV)."""
        features = await self._features(Capability.CORE_VOLTAGE, "set the ASIC core voltage")
        self._check_choice("core voltage (mV)", millivolts, self.core_voltage_options)
        await self._patch(features, {"coreVoltage": millivolts})


def _message(reply: HTTPReply) -> str:
    """A control's message: ``{"message": …}`` (>= 2.13) or the text itself."""
    try:
        body = reply.json()
    except APIDecodeError:
        return reply.text()
    return str(body.get("message", "")) if isinstance(body, dict) else reply.text()


def _restarting(err: APIConnectionError, *, silent_ok: bool) -> bool:
    """Whether a failed restart request reached the device, which then went away: dropped
    (any release), or silent where the firmware restarts without answering."""
    cause = err.__cause__
    if isinstance(cause, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError):
        return False  # never connected: the request did not arrive
    if isinstance(cause, aiohttp.ServerDisconnectedError | aiohttp.ClientOSError):
        return True  # closed or reset after the request
    return silent_ok and isinstance(cause, TimeoutError)


async def probe_web(http: HTTPClient, password: str | None) -> type[Miner] | None:
    """Detection's one request to the web port: ``GET /api/system/info``.

    An AxeOS reply (any flavour) is this family; the network gate's 401 ``Unauthorized`` is an
    AxeOS device refusing this address (a refusal saying so); anything else is not AxeOS.
    """
    reply = await http.request("GET", INFO, accept=ANY_STATUS)
    if reply.status == 401 and reply.text() == "Unauthorized":
        raise APIRefusalError(f"{reply.what}: {GATE_MESSAGE}")
    if reply.status != 200:
        return None
    try:
        info = reply.json()
    except APIDecodeError:
        return None
    return AxeOSAPI if is_axeos(info) else None
