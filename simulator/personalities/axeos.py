"""AxeOS (ESP-Miner) and its forks: Bitaxe boards, NerdOS and LuckyMiner, web port only.

Nothing listens on the API port: an ESP32 serves ``/api/system/*`` over HTTP, without
authentication. What each version answers follows ESP-Miner's own source at each release tag
(``main/http_server/http_server.c``, ``system_api_json.c``, ``nvs_config.c``, ``device_config.h``):

- ``GET /api/system/info``: the field set of the release (``INFO_KEYS``), tab-formatted JSON as
  cJSON prints it up to 2.13, compact from 2.14; best difficulties as SI strings ("13M") up
  to 2.10, numbers from 2.11; ``fanSpeed`` (rpm) up to 2.1.3; ``fanspeed`` is the configured
  manual % before 2.1.9 and the live duty after; ``manualFanSpeed`` from 2.11;
  ``miningPaused`` from 2.14; ``temp2`` -1 without a second ASIC.
- ``GET /api/system/asic`` (>= 2.7; ``deviceModel`` and defaults >= 2.9, ``hashDomains`` 2.15).
- ``POST /api/system/restart``: up to 2.1.5 the connection drops unanswered; then
  ``System will restart shortly.`` as text/html, text/plain in 2.12, ``{"message": …}`` from
  2.13; the miner is offline for ``sim.reboot_seconds`` and comes back unpaused.
- ``POST /api/system/identify`` (>= 2.12) toggles ``state.fault_light`` for
  ``identify_seconds``; ``POST /api/system/pause|resume`` (>= 2.14) set ``state.paused``.
- ``PATCH /api/system``: 200 with an empty chunked body; 400 ``Invalid JSON`` (>= 2.4, older
  ones answer 200 and change nothing); >= 2.11 validates every key it knows (400
  ``Wrong API input``, nothing applied) and ignores keys it does not know (``fanspeed``);
  a new hostname on 2.15 answers a JSON redirect. Frequency and core voltage apply at once
  from 2.2, after a restart before (the reply shows the setting at once).
- Unknown routes: 404 ``{"error":"unknown route"}`` under ``/api/`` from 2.9; before, a GET is
  redirected (302 to ``/``) and another method is refused (405, ESP-IDF's default).

Controls change ``MinerState``: ``boards[i].frequency`` (MHz) and ``boards[i].voltage`` (V) per
ASIC, ``fan_mode`` ("auto"/"manual"), ``fan_percent``, ``target_temperature``, ``paused``,
``fault_light``, ``hostname``. Readings follow them: hashrate from the frequency (the
firmware's ``frequency x small cores x ASICs``), power from frequency and voltage, the chip
temperature from power and fan duty (automatic fan control holds the target), fan rpm from
the duty. ``state.errors[0]`` shows as ``power_fault`` (>= 2.6).

Forks: ``NerdOS`` (NerdQAxe+, its own field set and OTP), ``LuckyMiner`` (LV07 stock 1.1.0:
2.1-era fields, ``voltagei``, ``minerModel``), the TCH build of 2.7 (SupraHex).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
import json
import time
from typing import Any, ClassVar

from aiohttp import web

from simulator.personality import Personality
from simulator.serve_http import drop_connection
from simulator.state import BoardState, MinerState, PoolState

Version = tuple[int, int, int]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

#: ESP-Miner's request buffer: a PATCH body this long is refused (500 content too long).
SCRATCH_BUFSIZE = 10240
AMBIENT = 25.0
#: The fan duty (%) a model's reference temperatures are measured at.
REFERENCE_DUTY = 50.0
RESTART_TEXT = "System will restart shortly."
HI_ON = 'The device says "Hi!" for 30 seconds.'
HI_OFF = 'The device no longer says "Hi!".'
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
}
#: What an error says when a handler gives no message: ESP-IDF's ``httpd_resp_send_err``
#: wording, but 401 is always the network gate's ``Unauthorized`` on this firmware.
ESP_IDF_ERRORS = {
    400: "Bad request syntax",
    401: "Unauthorized",
    404: "This URI does not exist",
    405: "Request method for this URI is not handled by server",
    500: "Server has encountered an unexpected error",
}


@dataclass(frozen=True, kw_only=True)
class Asic:
    """An ASIC's facts from ESP-Miner's ``device_config.h``."""

    model: str
    small_cores: int
    hash_domains: int
    frequencies: tuple[int, ...]
    voltages: tuple[int, ...]
    default_frequency: int
    default_voltage: int


BM1366 = Asic(
    model="BM1366",
    small_cores=894,
    hash_domains=4,
    frequencies=(400, 425, 450, 475, 485, 500, 525, 550, 575),
    voltages=(1100, 1150, 1200, 1250, 1300),
    default_frequency=485,
    default_voltage=1200,
)
BM1368 = Asic(
    model="BM1368",
    small_cores=1276,
    hash_domains=4,
    frequencies=(400, 425, 450, 475, 485, 490, 500, 525, 550, 575),
    voltages=(1100, 1150, 1166, 1200, 1250, 1300),
    default_frequency=490,
    default_voltage=1166,
)
BM1370 = Asic(
    model="BM1370",
    small_cores=2040,
    hash_domains=4,
    frequencies=(400, 490, 525, 550, 600, 625),
    voltages=(1000, 1060, 1100, 1150, 1200, 1250),
    default_frequency=525,
    default_voltage=1150,
)

#: (release, keys added, keys removed) of ``/api/system/info``, oldest first.
INFO_KEYS: tuple[tuple[Version, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        (2, 0, 0),
        (
            "power", "voltage", "current", "fanSpeed", "temp", "hashRate", "bestDiff",
            "freeHeap", "coreVoltage", "coreVoltageActual", "frequency", "ssid", "wifiPass",
            "wifiStatus", "sharesAccepted", "sharesRejected", "uptimeSeconds", "ASICModel",
            "stratumURL", "stratumPort", "stratumUser", "version", "runningPartition",
            "flipscreen", "invertscreen",
        ),
        (),
    ),
    (
        (2, 0, 7),
        ("boardVersion", "invertfanpolarity", "autofanspeed", "fanspeed"),
        ("wifiPass",),
    ),
    ((2, 1, 4), ("fanSpeedRpm",), ("fanSpeed",)),
    ((2, 1, 5), ("bestSessionDiff", "hostname"), ()),
    (
        (2, 1, 9),
        ("vrTemp", "asicCount", "smallCoreCount", "overheat", "fanrpm"),
        ("fanSpeedRpm",),
    ),
    ((2, 1, 10), ("overheat_mode",), ("overheat",)),
    (
        (2, 3, 0),
        (
            "isUsingFallbackStratum", "macAddr", "fallbackStratumURL", "fallbackStratumPort",
            "fallbackStratumUser",
        ),
        (),
    ),
    ((2, 4, 1), ("stratumDiff",), ()),
    ((2, 5, 0), ("idfVersion",), ()),
    (
        (2, 6, 0),
        (
            "maxPower", "nominalVoltage", "isPSRAMAvailable", "wifiRSSI", "apEnabled",
            "sharesRejectedReasons", "overclockEnabled", "power_fault",
        ),
        (),
    ),
    ((2, 7, 0), ("displayTimeout", "temptarget"), ("invertfanpolarity",)),
    ((2, 8, 0), ("expectedHashrate", "display"), ()),
    (
        (2, 9, 0),
        (
            "poolDifficulty", "stratumSuggestedDifficulty", "stratumExtranonceSubscribe",
            "fallbackStratumSuggestedDifficulty", "fallbackStratumExtranonceSubscribe",
            "responseTime", "axeOSVersion", "rotation", "statsFrequency",
        ),
        ("stratumDiff", "asicCount", "flipscreen"),
    ),
    ((2, 10, 0), ("temp2", "minFanSpeed"), ()),
    (
        (2, 11, 0),
        (
            "errorPercentage", "poolAddrFamily", "freeHeapInternal", "freeHeapSpiram", "ipv4",
            "ipv6", "manualFanSpeed", "fan2rpm", "blockFound", "blockHeight", "scriptsig",
            "networkDifficulty", "hashrateMonitor",
        ),
        (),
    ),
    ((2, 12, 0), ("hashRate_1m", "hashRate_10m", "hashRate_1h", "resetReason"), ()),
    (
        (2, 13, 0),
        (
            "poolConnectionInfo", "stratumTLS", "stratumCert", "stratumDecodeCoinbase",
            "fallbackStratumTLS", "fallbackStratumCert", "fallbackStratumDecodeCoinbase",
            "showNewBlock", "coinbaseOutputs", "coinbaseValueTotalSatoshis",
            "coinbaseValueUserSatoshis",
        ),
        ("poolAddrFamily",),
    ),
    (
        (2, 14, 0),
        (
            "actualFrequency", "responseShareBatch", "processTime", "cpuUsage", "miningPaused",
            "hardware_fault", "stratumProtocol", "stratumV2AuthorityPubkey",
            "stratumV2ChannelType", "fallbackStratumProtocol",
            "fallbackStratumV2AuthorityPubkey", "fallbackStratumV2ChannelType", "statsLimit",
            "blockSignals",
        ),
        (),
    ),
    (
        (2, 15, 0),
        (
            "fullHostname", "mdnsHostname", "sharesPending", "workReceived", "minFreeHeap",
            "maxAllocHeap", "totalUptimeSeconds", "totalHashes", "totalLog2Work",
            "primaryPoolIndex", "secondaryPoolIndex", "useFallbackStratum", "pools",
            "useCustomWWW", "partitions",
        ),
        (),
    ),
)  # fmt: skip


#: Keys the firmware writes only while they have a value (a fault).
WHEN_SET = frozenset({"power_fault", "hardware_fault"})


def info_keys(release: Version) -> frozenset[str]:
    """Every key ``/api/system/info`` has in ``release``."""
    keys: set[str] = set()
    for version, added, removed in INFO_KEYS:
        if version <= release:
            keys.update(added)
            keys.difference_update(removed)
    return frozenset(keys)


def whole_numbers(value: Any) -> Any:
    """Whole floats as integers, as cJSON and ArduinoJson print them (525.0 -> 525)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dict):
        return {key: whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [whole_numbers(item) for item in value]
    return value


def cjson_print(value: Any, depth: int = 1) -> str:
    """JSON as ``cJSON_Print`` formats it: objects one key a line, tab-indented, a tab after
    the colon; arrays on one line (``[1, 2]``, ``[{`` … ``}]``)."""
    if isinstance(value, dict):
        items = [
            "\t" * depth
            + json.dumps(key, ensure_ascii=False)
            + ":\t"
            + cjson_print(item, depth + 1)
            for key, item in value.items()
        ]
        body = ",\n".join(items) + "\n" if items else ""
        return "{\n" + body + "\t" * (depth - 1) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(cjson_print(item, depth + 1) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def compact(value: Any) -> str:
    """JSON without any whitespace (cJSON unformatted, ArduinoJson)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def si_suffix(value: float) -> str:
    """A difficulty as ESP-Miner <= 2.10 writes it: three significant digits and a suffix."""
    val = int(value)
    for threshold, divisor, suffix in (
        (10**18, 10**15, "E"),
        (10**15, 10**12, "P"),
        (10**12, 10**9, "T"),
        (10**9, 10**6, "G"),
        (10**6, 10**3, "M"),
    ):
        if val >= threshold:
            return f"{(val // divisor) / 1000:.3g}{suffix}"
    if val >= 1000:
        return f"{val / 1000:.3g}k"
    return str(val)


def valueint(value: Any) -> int:
    """cJSON's ``valueint`` of an item: numbers truncated, ``true`` 1, anything else 0."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return int(max(min(value, 2**31 - 1), -(2**31)))
    return 0


def _pool_host_port(pool: PoolState) -> tuple[str, int]:
    host, _, port = pool.url.split("://")[-1].rpartition(":")
    return host, int(port)


@dataclass(frozen=True)
class Readings:
    """One moment of an ESP-Miner's power-management loop."""

    power: float  # W
    input_mv: float
    current_ma: float
    chip_temps: list[float]  # °C per ASIC
    vr_temp: float
    duty: float  # fan %
    fan_rpms: list[int]
    asic_ghs: list[float]  # GH/s per ASIC
    expected_ghs: float


class AxeOS(Personality):
    """ESP-Miner's HTTP API as one release serves it; subclasses are boards and versions."""

    family: ClassVar[str] = "axeos"
    api_protocol: ClassVar[None] = None
    has_web: ClassVar[bool] = True

    #: The release whose behaviour this firmware has (a fork's base release).
    release: ClassVar[Version]
    #: ``version`` as the firmware writes it.
    version: ClassVar[str]
    idf_version: ClassVar[str] = "v5.5.1"
    board_version: ClassVar[str]
    #: ESP-Miner's family name (``deviceModel`` in ``/api/system/asic``).
    device_model: ClassVar[str]
    swarm_color: ClassVar[str]
    asic: ClassVar[Asic]
    asic_count: ClassVar[int] = 1
    #: Input voltage (V) and the power the board is rated for (W).
    nominal_voltage: ClassVar[int] = 5
    max_power: ClassVar[int] = 40
    fan_count: ClassVar[int] = 1
    max_fan_rpm: ClassVar[int] = 6200
    #: A fork's keys beyond / short of its base release's.
    extra_keys: ClassVar[frozenset[str]] = frozenset()
    missing_keys: ClassVar[frozenset[str]] = frozenset()
    #: The all-time best difficulty (the session's is a share of it).
    best_diff: ClassVar[int] = 4_290_000_000

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """The release's field set and the settings the firmware keeps in NVS."""
        super().__init__(*args, **kwargs)
        self.keys = (info_keys(self.release) | self.extra_keys) - self.missing_keys
        #: How long identify says "Hi!" (s).
        self.identify_seconds = 30.0
        self.min_fan_speed = 25
        self.overclock_enabled = 0
        self._identify_until: float | None = None
        #: Frequency (MHz) and core voltage (mV) set but not applied until a restart (< 2.2).
        self.pending: dict[str, float] = {}

    # --- the model's numbers -----------------------------------------------------------------

    @classmethod
    def board_state(
        cls,
        *,
        hostname: str,
        mac: str,
        chip_temperature: float,
        vr_temperature: float,
        **model: Any,
    ) -> MinerState:
        """A state with one board per ASIC at the ASIC's default frequency and voltage."""
        asic = cls.asic
        frequency = model.pop("frequency", asic.default_frequency)
        voltage = model.pop("voltage", asic.default_voltage) / 1000
        boards = [
            BoardState(
                hashrate=frequency * asic.small_cores / 1_000_000,
                temperature=vr_temperature,
                chip_temperature=chip_temperature - index * 1.5,
                chips=1,
                frequency=frequency,
                voltage=voltage,
            )
            for index in range(cls.asic_count)
        ]
        return MinerState(
            make="Bitaxe",
            firmware=cls.version,
            hostname=hostname,
            mac=mac,
            boards=boards,
            fans=[cls.max_fan_rpm] * cls.fan_count,
            fan_mode="auto",
            fan_percent=100,
            **model,
        )

    def readings(self) -> Readings:
        """Power, temperatures, fan and hashrate from the settings and the pause state."""
        state = self.state
        asic = self.asic
        board = state.boards[0]
        heat = (board.frequency / asic.default_frequency) * (
            board.voltage * 1000 / asic.default_voltage
        ) ** 2
        mining = state.is_mining
        noise = state.noise()
        if mining:
            power = state.idle_power + (state.nominal_power - state.idle_power) * heat * noise
        else:
            power = state.idle_power
        ratio = power / state.nominal_power
        reference = 0.2 + 0.8 * REFERENCE_DUTY / 100
        rise = (board.chip_temperature - AMBIENT) * ratio * reference
        if state.fan_mode == "manual":
            duty = float(min(max(state.fan_percent, 0), 100))
        else:  # the firmware's fan control holds the target temperature
            target = self.fan_target()
            needed = (rise / max(target - AMBIENT, 1.0) - 0.2) / 0.8 * 100
            duty = min(max(needed, float(self.min_fan_speed)), 100.0)
        airflow = 0.2 + 0.8 * duty / 100
        jitter = state.rng.uniform(-0.25, 0.25) if state.jitter else 0.0
        chips = [
            round(
                AMBIENT + (b.chip_temperature - AMBIENT) * ratio * reference / airflow + jitter, 3
            )
            for b in state.boards
        ]
        vr_temp = round(AMBIENT + (board.temperature - AMBIENT) * ratio * reference / airflow)
        input_mv = round(self.nominal_voltage * 1000 * (1.02 - 0.01 * power / self.max_power), 2)
        rpm = int(self.max_fan_rpm * duty / 100 * state.noise())
        asic_ghs = [
            b.frequency * asic.small_cores / 1000 * noise if mining and b.alive else 0.0
            for b in state.boards
        ]
        expected = board.frequency * asic.small_cores * self.asic_count / 1000
        return Readings(
            power=round(power, 4),
            input_mv=input_mv,
            current_ma=round(power / input_mv * 1_000_000, 3),
            chip_temps=chips,
            vr_temp=vr_temp,
            duty=round(duty, 4),
            fan_rpms=[rpm] * self.fan_count,
            asic_ghs=asic_ghs,
            expected_ghs=float(round(expected)),
        )

    def fan_target(self) -> float:
        """The chip temperature automatic fan control holds (60 °C without a setting)."""
        return self.state.target_temperature or 60.0

    # --- what /api/system/info says ----------------------------------------------------------

    def configured(self) -> tuple[float, int]:
        """(frequency MHz, core voltage mV) as set, applied or not."""
        board = self.state.boards[0]
        frequency = self.pending.get("frequency", board.frequency)
        voltage = self.pending.get("coreVoltage", round(board.voltage * 1000))
        return frequency, int(voltage)

    def difficulty(self, value: int) -> int | str:
        """A best difficulty: a number from 2.11, an SI string before."""
        return value if self.release >= (2, 11, 0) else si_suffix(value)

    def info_fields(self) -> dict[str, Any]:
        """Every key any release has, valued for this firmware (``info`` picks its own)."""
        state = self.state
        now = self.readings()
        ghs = sum(now.asic_ghs)
        frequency, core_mv = self.configured()
        pools = state.pools + [PoolState(url="stratum+tcp://:3333", user="")] * 2
        primary, fallback = pools[0], pools[1]
        primary_host, primary_port = _pool_host_port(primary)
        fallback_host, fallback_port = _pool_host_port(fallback)
        auto = state.fan_mode != "manual"
        live_duty = round(now.duty) if self.release < (2, 11, 0) else now.duty
        uptime = state.uptime()
        session_best = self.best_diff // 97
        fields: dict[str, Any] = {
            "power": now.power,
            "voltage": now.input_mv,
            "current": now.current_ma,
            "fanSpeed": now.fan_rpms[0],
            "fanSpeedRpm": now.fan_rpms[0],
            "temp": now.chip_temps[0],
            "temp2": now.chip_temps[1] if len(now.chip_temps) > 1 else -1,
            "vrTemp": now.vr_temp,
            "maxPower": self.max_power,
            "nominalVoltage": self.nominal_voltage,
            "hashRate": round(ghs, 4),
            "hashRate_1m": round(ghs, 4),
            "hashRate_10m": round(ghs, 4),
            "hashRate_1h": round(ghs, 4),
            "expectedHashrate": now.expected_ghs,
            "errorPercentage": 0.12 if state.is_mining else 0,
            "bestDiff": self.difficulty(self.best_diff),
            "bestSessionDiff": self.difficulty(session_best),
            "stratumDiff": 1000,
            "poolDifficulty": 1000,
            "isUsingFallbackStratum": int(fallback.active),
            "poolAddrFamily": 2,
            "isPSRAMAvailable": 1,
            "freeHeap": 8_212_708,
            "freeHeapInternal": 104_027,
            "freeHeapSpiram": 8_140_652,
            "minFreeHeap": 7_950_112,
            "maxAllocHeap": 69_632,
            "coreVoltage": core_mv,
            "coreVoltageActual": core_mv - 6,
            "frequency": frequency if self.release >= (2, 10, 0) else round(frequency),
            "actualFrequency": state.boards[0].frequency,
            "ssid": "HomeNET",
            "wifiPass": "",
            "macAddr": state.mac.upper(),
            "hostname": state.hostname,
            "fullHostname": f"{state.hostname}.local",
            "mdnsHostname": state.hostname,
            "ipv4": "127.0.0.1",
            "ipv6": "FE80::0000:0000:0000:0001",
            "wifiStatus": "Connected!",
            "wifiRSSI": -52,
            "apEnabled": 0,
            "sharesAccepted": state.accepted,
            "sharesRejected": state.rejected,
            "sharesPending": 0,
            "sharesRejectedReasons": [{"message": "Stale", "count": state.rejected}]
            if state.rejected
            else [],
            "uptimeSeconds": uptime,
            "totalUptimeSeconds": uptime + 864_000,
            "totalHashes": 9.1e18,
            "totalLog2Work": 62.98,
            "workReceived": uptime * 2,
            "asicCount": self.asic_count,
            "smallCoreCount": self.asic.small_cores,
            "ASICModel": self.asic.model,
            "primaryPoolIndex": 0,
            "secondaryPoolIndex": 1,
            "useFallbackStratum": 1,
            "pools": [
                self._pool_entry(index, pool)
                for index, pool in enumerate(state.pools)
                if _pool_host_port(pool)[0]
            ],
            "stratumURL": primary_host,
            "stratumPort": primary_port,
            "stratumUser": primary.user,
            "stratumSuggestedDifficulty": 1000,
            "stratumExtranonceSubscribe": 0,
            "stratumTLS": 0,
            "stratumCert": "",
            "stratumDecodeCoinbase": False,
            "stratumProtocol": "v1",
            "stratumV2AuthorityPubkey": "",
            "stratumV2ChannelType": "standard",
            "fallbackStratumURL": fallback_host,
            "fallbackStratumPort": fallback_port,
            "fallbackStratumUser": fallback.user,
            "fallbackStratumSuggestedDifficulty": 1000,
            "fallbackStratumExtranonceSubscribe": 0,
            "fallbackStratumTLS": 0,
            "fallbackStratumCert": "",
            "fallbackStratumDecodeCoinbase": False,
            "fallbackStratumProtocol": "v1",
            "fallbackStratumV2AuthorityPubkey": "",
            "fallbackStratumV2ChannelType": "standard",
            "poolConnectionInfo": "IPv4 (TCP)",
            "responseTime": 42.5,
            "responseShareBatch": 1,
            "processTime": 0.8,
            "cpuUsage": 21.5,
            "version": self.version,
            "axeOSVersion": self.version,
            "idfVersion": self.idf_version,
            "boardVersion": self.board_version,
            "resetReason": "Software reset via esp_restart",
            "runningPartition": "ota_0",
            "flipscreen": 1,
            "overheat": 0,
            "overheat_mode": 0,
            "overclockEnabled": self.overclock_enabled,
            "useCustomWWW": 0,
            "display": "SSD1306 (128x32)",
            "rotation": 0,
            "invertscreen": 0,
            "invertfanpolarity": 1,
            "displayTimeout": -1,
            "autofanspeed": int(auto),
            "fanspeed": live_duty if self.release >= (2, 1, 9) else state.fan_percent,
            "manualFanSpeed": state.fan_percent,
            "minFanSpeed": self.min_fan_speed,
            "temptarget": round(state.target_temperature or 60),
            "fanrpm": now.fan_rpms[0],
            "fan2rpm": now.fan_rpms[1] if self.fan_count > 1 else 0,
            "statsFrequency": 0,
            "statsLimit": 720,
            "miningPaused": state.paused,
            "showNewBlock": False,
            "blockFound": 0,
            "blockHeight": 870_000,
            "scriptsig": "..ckpool..",
            "networkDifficulty": 126_411_437_451_912,
            "coinbaseValueTotalSatoshis": 315_000_000,
            "coinbaseValueUserSatoshis": 312_000_000,
            "blockSignals": [],
            "coinbaseOutputs": [{"value": 312_000_000, "address": primary.user.split(".")[0]}],
            "hashrateMonitor": {
                "asics": [
                    {
                        "total": round(rate, 4),
                        "domains": [round(rate / self.asic.hash_domains, 4)]
                        * self.asic.hash_domains,
                        "errorCount": 1415,
                    }
                    for rate in now.asic_ghs
                ]
            },
            "partitions": [
                {
                    "label": "ota_0",
                    "isCurrent": True,
                    "isFactory": False,
                    "version": self.version,
                    "compileDate": "Nov 14 2025",
                    "compileTime": "12:00:00",
                    "usagePercent": 62,
                }
            ],
        }
        if state.errors:
            fields["power_fault"] = state.errors[0]
            fields["hardware_fault"] = state.errors[0]
        return fields

    def _pool_entry(self, index: int, pool: PoolState) -> dict[str, Any]:
        host, port = _pool_host_port(pool)
        return {
            "id": index,
            "stratumProtocol": "v1",
            "stratumURL": host,
            "stratumPort": port,
            "stratumUser": pool.user,
            "stratumPassword": "*****",
            "stratumSuggestedDifficulty": 1000,
            "stratumExtranonceSubscribe": False,
            "stratumTLS": 0,
            "stratumCert": "",
            "stratumDecodeCoinbase": False,
            "stratumV2ChannelType": "standard",
            "stratumV2AuthorityPubkey": "",
            "stratumV2RequireAuth": False,
        }

    def info(self) -> dict[str, Any]:
        """``/api/system/info`` of this firmware: its keys only."""
        return {key: value for key, value in self.info_fields().items() if key in self.keys}

    def asic_info(self) -> dict[str, Any]:
        """``/api/system/asic``: 2.7's three keys; the board and defaults from 2.9."""
        if self.release < (2, 9, 0):
            return {
                "ASICModel": self.asic.model,
                "frequencyOptions": list(self.asic.frequencies),
                "voltageOptions": list(self.asic.voltages),
            }
        reply: dict[str, Any] = {
            "ASICModel": self.asic.model,
            "deviceModel": self.device_model,
            "swarmColor": self.swarm_color,
            "asicCount": self.asic_count,
            "hashDomains": self.asic.hash_domains,
            "defaultFrequency": self.asic.default_frequency,
            "frequencyOptions": list(self.asic.frequencies),
            "defaultVoltage": self.asic.default_voltage,
            "voltageOptions": list(self.asic.voltages),
        }
        if self.release < (2, 15, 0):
            del reply["hashDomains"]
        return reply

    # --- replies -----------------------------------------------------------------------------

    def json_reply(self, data: Any, status: int = 200) -> web.Response:
        """JSON as this release prints it (formatted up to 2.13, compact from 2.14)."""
        data = whole_numbers(data)
        text = compact(data) if self.release >= (2, 14, 0) else cjson_print(data)
        return web.Response(
            status=status, body=text.encode(), content_type="application/json", headers=CORS
        )

    def text_reply(self, text: str, content_type: str = "text/html") -> web.Response:
        """A plain reply (ESP-IDF's default content type is text/html)."""
        return web.Response(body=text.encode(), content_type=content_type, headers=CORS)

    def http_error(self, status: int, message: str | None = None) -> web.Response:
        """``httpd_resp_send_err``: the message as text/html."""
        return web.Response(
            status=status,
            body=(message or ESP_IDF_ERRORS.get(status, "")).encode(),
            content_type="text/html",
        )

    def empty_reply(self) -> web.Response:
        """``httpd_resp_send_chunk(req, NULL, 0)`` alone: 200, a zero-length chunked body."""
        response = web.Response(status=200, content_type="text/html", headers=CORS)
        response.enable_chunked_encoding()
        return response

    # --- the application ---------------------------------------------------------------------

    def web_app(self) -> web.Application:
        """The routes this release registers, then its catch-all."""
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_get("/api/system/info", self._get_info)
        if self.release >= (2, 7, 0):
            app.router.add_get("/api/system/asic", self._get_asic)
        app.router.add_post("/api/system/restart", self._restart)
        if self.release >= (2, 12, 0):
            app.router.add_post("/api/system/identify", self._identify)
        if self.release >= (2, 14, 0):
            app.router.add_post("/api/system/pause", self._pause)
            app.router.add_post("/api/system/resume", self._resume)
        app.router.add_patch("/api/system", self._patch)
        app.router.add_route("*", "/{tail:.*}", self._unknown)
        return app

    async def _get_info(self, request: web.Request) -> web.Response:
        return self.json_reply(self.info())

    async def _get_asic(self, request: web.Request) -> web.Response:
        return self.json_reply(self.asic_info())

    async def _unknown(self, request: web.Request) -> web.Response:
        """>= 2.9: a JSON 404 under /api/; before, and elsewhere, the web UI's catch-all."""
        if self.release >= (2, 9, 0) and request.path.startswith("/api/"):
            return self.json_reply({"error": "unknown route"}, status=404)
        return self.catch_all(request)

    def catch_all(self, request: web.Request) -> web.Response:
        """A GET of a file the web UI lacks is redirected home; other methods are refused."""
        if request.method == "GET":
            return web.Response(
                status=302,
                body=b"Redirect to the captive portal",
                content_type="text/html",
                headers={"Location": "/"},
            )
        return self.http_error(405)

    async def _restart(self, request: web.Request) -> web.Response:
        """Restart: no reply up to 2.1.5; then the text, as JSON from 2.13."""
        if self.release <= (2, 1, 5):
            self.sim.reboot(self.sim.reboot_seconds)
            drop_connection(request)
        self.sim.reboot(self.sim.reboot_seconds)
        if self.release >= (2, 13, 0):
            return self.json_reply({"message": RESTART_TEXT})
        if self.release >= (2, 12, 0):
            return self.text_reply(RESTART_TEXT, "text/plain")
        return self.text_reply(RESTART_TEXT)

    async def _identify(self, request: web.Request) -> web.Response:
        """Toggle the 30 s "Hi!" (``state.fault_light``)."""
        if self.state.fault_light:
            self._stop_identify()
            message = HI_OFF
        else:
            self.state.fault_light = True
            deadline = time.monotonic() + self.identify_seconds
            self._identify_until = deadline
            self.sim.spawn(self._identify_ends(deadline), "identify")
            message = HI_ON
        if self.release >= (2, 13, 0):
            return self.json_reply({"message": message})
        return self.text_reply(message, "text/plain")

    async def _identify_ends(self, deadline: float) -> None:
        await asyncio.sleep(max(deadline - time.monotonic(), 0))
        if self._identify_until == deadline:
            self._stop_identify()

    def _stop_identify(self) -> None:
        self.state.fault_light = False
        self._identify_until = None

    async def _pause(self, request: web.Request) -> web.Response:
        self.state.paused = True
        return self.json_reply({"message": "Mining paused"})

    async def _resume(self, request: web.Request) -> web.Response:
        self.state.paused = False
        return self.json_reply({"message": "Mining resumed"})

    async def _patch(self, request: web.Request) -> web.Response:
        body = await request.read()
        if len(body) >= SCRATCH_BUFSIZE:
            return self.http_error(500, "content too long")
        try:
            settings = json.loads(body)
        except ValueError:
            settings = None
        if not isinstance(settings, dict):
            if self.release >= (2, 4, 0):
                return self.http_error(400, "Invalid JSON")
            return self.empty_reply()  # cJSON_GetObjectItem(NULL, …): nothing set
        if self.release >= (2, 11, 0):
            if not self.valid(settings):
                return self.http_error(400, "Wrong API input")
            hostname = settings.get("hostname")
            changed = isinstance(hostname, str) and hostname != self.state.hostname
            self.apply_validated(settings)
            if changed and self.release >= (2, 15, 0):
                return self.json_reply(
                    {
                        "status": "success",
                        "redirect": {
                            "url": f"http://{self.state.hostname}.local",
                            "delay": 2000,
                            "message": "Hostname updated. Redirecting to new address...",
                        },
                    }
                )
        else:
            self.apply_legacy(settings)
        return self.empty_reply()

    #: >= 2.11: REST name -> (type, min, max), as in ``nvs_config.c`` (keys we model).
    SETTINGS: ClassVar[dict[str, tuple[str, float, float]]] = {
        "frequency": ("float", 1, 65535),
        "coreVoltage": ("u16", 1, 65535),
        "autofanspeed": ("bool", 0, 1),
        "manualFanSpeed": ("u16", 0, 100),
        "minFanSpeed": ("u16", 0, 99),
        "temptarget": ("u16", 35, 66),
        "overclockEnabled": ("bool", 0, 1),
        "hostname": ("str", 1, 32),
    }

    def valid(self, settings: dict[str, Any]) -> bool:
        """``check_settings_and_update``'s checks: every known key typed and in range."""
        for key, (kind, low, high) in self.SETTINGS.items():
            if key not in settings:
                continue
            value = settings[key]
            if kind == "str":
                if not isinstance(value, str) or not low <= len(value) <= high:
                    return False
            elif kind == "bool":
                if not isinstance(value, int | float) or not low <= valueint(value) <= high:
                    return False
            elif (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not low <= (value if kind == "float" else valueint(value)) <= high
            ):
                return False
        return True

    def apply_validated(self, settings: dict[str, Any]) -> None:
        """Store what passed the checks (>= 2.11)."""
        state = self.state
        if "frequency" in settings:
            self.tune(frequency=float(settings["frequency"]))
        if "coreVoltage" in settings:
            self.tune(voltage=valueint(settings["coreVoltage"]))
        if "autofanspeed" in settings:
            state.fan_mode = "auto" if valueint(settings["autofanspeed"]) else "manual"
        if "manualFanSpeed" in settings:
            state.fan_percent = valueint(settings["manualFanSpeed"])
        if "minFanSpeed" in settings:
            self.min_fan_speed = valueint(settings["minFanSpeed"])
        if "temptarget" in settings:
            state.target_temperature = valueint(settings["temptarget"])
        if "overclockEnabled" in settings:
            self.overclock_enabled = valueint(settings["overclockEnabled"])
        if "hostname" in settings:
            state.hostname = settings["hostname"]

    def apply_legacy(self, settings: dict[str, Any]) -> None:
        """<= 2.10: each key the release reads, stored as cJSON's valueint, no range check."""
        state = self.state
        positive = self.release >= (2, 4, 0)  # "item->valueint > 0" from then on
        if "frequency" in settings and (valueint(settings["frequency"]) > 0 or not positive):
            value = settings["frequency"]
            exact = self.release >= (2, 10, 0) and isinstance(value, int | float)
            self.tune(frequency=float(value) if exact else float(valueint(value)))
        if "coreVoltage" in settings and (valueint(settings["coreVoltage"]) > 0 or not positive):
            self.tune(voltage=valueint(settings["coreVoltage"]))
        if "autofanspeed" in settings and "autofanspeed" in self.keys:
            state.fan_mode = "auto" if valueint(settings["autofanspeed"]) else "manual"
        if "fanspeed" in settings and "fanspeed" in self.keys:
            state.fan_percent = valueint(settings["fanspeed"])
        if "temptarget" in settings and "temptarget" in self.keys:
            state.target_temperature = valueint(settings["temptarget"])
        if "minFanSpeed" in settings and "minFanSpeed" in self.keys:
            self.min_fan_speed = valueint(settings["minFanSpeed"])
        if "overclockEnabled" in settings and "overclockEnabled" in self.keys:
            self.overclock_enabled = valueint(settings["overclockEnabled"])
        if isinstance(settings.get("hostname"), str) and "hostname" in self.keys:
            state.hostname = settings["hostname"]

    def tune(self, *, frequency: float | None = None, voltage: int | None = None) -> None:
        """A new frequency (MHz) or core voltage (mV): live from 2.2, at the next boot before."""
        if self.release < (2, 2, 0):
            if frequency is not None:
                self.pending["frequency"] = frequency
            if voltage is not None:
                self.pending["coreVoltage"] = voltage
            return
        self.apply_tuning(frequency=frequency, voltage=voltage)

    def apply_tuning(self, *, frequency: float | None, voltage: float | None) -> None:
        """Set every ASIC's frequency / voltage and its nominal hashrate with it."""
        for board in self.state.boards:
            if frequency is not None:
                board.frequency = frequency
                board.hashrate = frequency * self.asic.small_cores / 1_000_000
            if voltage is not None:
                board.voltage = voltage / 1000

    def rebooted(self) -> None:
        """After a restart: pending tuning applied; not paused (not persisted); no "Hi!"."""
        super().rebooted()
        if self.pending:
            self.apply_tuning(
                frequency=self.pending.get("frequency"), voltage=self.pending.get("coreVoltage")
            )
            self.pending.clear()
        self.state.paused = False
        self._stop_identify()


class BitaxeUltra(AxeOS):
    """Bitaxe Ultra (BM1366, board 0.11) on AxeOS v2.1.3: the oldest field set."""

    name: ClassVar[str] = "bitaxe-ultra"
    release: ClassVar[Version] = (2, 1, 3)
    version: ClassVar[str] = "v2.1.3"
    board_version: ClassVar[str] = "0.11"
    device_model: ClassVar[str] = "Ultra"
    swarm_color: ClassVar[str] = "purple"
    asic: ClassVar[Asic] = BM1366
    max_power: ClassVar[int] = 25
    best_diff: ClassVar[int] = 13_400_000

    @classmethod
    def initial_state(cls) -> MinerState:
        """One BM1366 at 525 MHz / 1.2 V, 11.5 W, a pool on unmineable."""
        return cls.board_state(
            model="Ultra",
            hostname="bitaxe",
            mac="02:AE:00:00:21:03",
            chip_temperature=52.0,
            vr_temperature=50.0,
            frequency=525,
            voltage=1200,
            nominal_power=11.5,
            idle_power=2.8,
            pools=[PoolState(url="stratum+tcp://pool.example.org:3333", user="bc1qultra.bitaxe01")],
            accepted=212,
            rejected=0,
        )


class BitaxeGamma(AxeOS):
    """Bitaxe Gamma (BM1370, board 601) on AxeOS v2.12.2, mining on its fallback pool."""

    name: ClassVar[str] = "bitaxe-gamma"
    release: ClassVar[Version] = (2, 12, 2)
    version: ClassVar[str] = "v2.12.2"
    board_version: ClassVar[str] = "601"
    device_model: ClassVar[str] = "Gamma"
    swarm_color: ClassVar[str] = "green"
    asic: ClassVar[Asic] = BM1370

    @classmethod
    def initial_state(cls) -> MinerState:
        """One BM1370 at 525 MHz / 1.15 V, 18.5 W, target 60 °C, on the fallback pool."""
        return cls.board_state(
            model="Gamma",
            hostname="bitaxe",
            mac="02:AE:00:02:12:02",
            chip_temperature=61.0,
            vr_temperature=63.0,
            nominal_power=18.5,
            idle_power=3.2,
            target_temperature=60,
            pools=[
                PoolState(url="stratum+tcp://public-pool.example:21496", user="bc1qgamma.bitaxe"),
                PoolState(
                    url="stratum+tcp://solo.example.org:3333", user="bc1qgamma.bitaxe", active=True
                ),
            ],
            accepted=3120,
            rejected=9,
        )


class BitaxeGT(AxeOS):
    """Bitaxe GT (Gamma Turbo, 2xBM1370, board 801, 12 V) on AxeOS v2.15.0, two fans."""

    name: ClassVar[str] = "bitaxe-gt"
    release: ClassVar[Version] = (2, 15, 0)
    version: ClassVar[str] = "v2.15.0"
    board_version: ClassVar[str] = "801"
    device_model: ClassVar[str] = "GammaTurbo"
    swarm_color: ClassVar[str] = "cyan"
    asic: ClassVar[Asic] = BM1370
    asic_count: ClassVar[int] = 2
    nominal_voltage: ClassVar[int] = 12
    max_power: ClassVar[int] = 60
    fan_count: ClassVar[int] = 2
    best_diff: ClassVar[int] = 21_700_000_000

    @classmethod
    def initial_state(cls) -> MinerState:
        """Two BM1370 at 525 MHz / 1.15 V, 38 W, target 62 °C, manual fan 100 % stored."""
        return cls.board_state(
            model="GammaTurbo",
            hostname="bitaxe-f00d",
            mac="02:AE:00:02:15:00",
            chip_temperature=63.0,
            vr_temperature=58.0,
            nominal_power=38.0,
            idle_power=6.0,
            target_temperature=62,
            pools=[
                PoolState(
                    url="stratum+tcp://public-pool.example:21496", user="bc1qgt.bitaxe", active=True
                ),
                PoolState(url="stratum+tcp://solo.example.org:3333", user="bc1qgt.bitaxe"),
            ],
            accepted=840,
            rejected=2,
        )


class BitaxeSupraHexTCH(AxeOS):
    """Bitaxe SupraHex (6xBM1368, board 702, 12 V) on the TCH build of 2.7.0."""

    name: ClassVar[str] = "bitaxe-suprahex"
    release: ClassVar[Version] = (2, 7, 0)
    version: ClassVar[str] = "2.7.0-TCH-All-In-One"
    idf_version: ClassVar[str] = "v5.4"
    board_version: ClassVar[str] = "702"
    device_model: ClassVar[str] = "SupraHex"
    swarm_color: ClassVar[str] = "darkblue"
    asic: ClassVar[Asic] = BM1368
    asic_count: ClassVar[int] = 6
    nominal_voltage: ClassVar[int] = 12
    max_power: ClassVar[int] = 145
    #: TCH keeps 2.6's fan polarity, adds per-chip submit counts, has no target temperature.
    extra_keys: ClassVar[frozenset[str]] = frozenset({"invertfanpolarity", "chipSubmitStr"})
    missing_keys: ClassVar[frozenset[str]] = frozenset({"displayTimeout", "temptarget"})
    best_diff: ClassVar[int] = 193_400_000_000

    @classmethod
    def initial_state(cls) -> MinerState:
        """Six BM1368 at 490 MHz / 1.166 V, 61 W, no hostname set."""
        return cls.board_state(
            model="SupraHex",
            hostname="",
            mac="02:AE:00:07:02:70",
            chip_temperature=52.0,
            vr_temperature=55.0,
            nominal_power=61.0,
            idle_power=9.0,
            pools=[
                PoolState(url="stratum+tcp://192.168.1.20:23334", user="", active=True),
                PoolState(url="stratum+tcp://mine.example.org:3334", user=""),
            ],
            accepted=291,
            rejected=0,
        )

    def info_fields(self) -> dict[str, Any]:
        """``chipSubmitStr``: a string holding a JSON array of per-chip counts."""
        fields = super().info_fields()
        counts = [25_700 + 61 * index for index in range(self.asic_count)]
        fields["chipSubmitStr"] = json.dumps(counts)
        return fields


class LuckyMiner(AxeOS):
    """LuckyMiner LV07 (BM1366, board 302) on its stock firmware 1.1.0 (AxeOS 2.1-era API)."""

    name: ClassVar[str] = "luckyminer-lv07"
    release: ClassVar[Version] = (2, 1, 3)
    version: ClassVar[str] = "1.1.0"
    board_version: ClassVar[str] = "302"
    device_model: ClassVar[str] = "Hex"
    swarm_color: ClassVar[str] = "orange"
    asic: ClassVar[Asic] = BM1366
    #: The LV07's chip count is in no reply; two BM1366 give its ~1 TH/s.
    asic_count: ClassVar[int] = 2
    nominal_voltage: ClassVar[int] = 12
    max_power: ClassVar[int] = 40
    extra_keys: ClassVar[frozenset[str]] = frozenset(
        {"voltagei", "minerModel", "stratumPassword", "selftest", "allowUpdate", "initMiner"}
    )
    missing_keys: ClassVar[frozenset[str]] = frozenset({"voltage"})
    best_diff: ClassVar[int] = 400_000_000

    @classmethod
    def initial_state(cls) -> MinerState:
        """Two BM1366 at 575 MHz / 1.25 V, 26 W; the pool password in clear."""
        state = cls.board_state(
            model="LV07",
            hostname="",
            mac="02:1C:00:00:07:01",
            chip_temperature=62.0,
            vr_temperature=55.0,
            frequency=575,
            voltage=1250,
            nominal_power=26.0,
            idle_power=5.0,
            pools=[
                PoolState(
                    url="stratum+tcp://eusolo.example.org:3333",
                    user="bc1qlucky.lv07",
                    password="x",
                    active=True,
                )
            ],
            accepted=26_610,
            rejected=182,
        )
        state.make = "LuckyMiner"
        return state

    def info_fields(self) -> dict[str, Any]:
        """The 2.1 fields plus LuckyMiner's own; input voltage spelt ``voltagei``."""
        fields = super().info_fields()
        fields["voltagei"] = fields["voltage"]
        fields["minerModel"] = self.state.model
        fields["stratumPassword"] = self.state.pools[0].password
        fields.update({"selftest": 0, "allowUpdate": 0, "initMiner": "lucky"})
        return fields


class NerdQAxePlus(AxeOS):
    """NerdQAxe+ (4xBM1368, 12 V) on NerdOS v1.0.36 with OTP enabled.

    NerdOS keeps AxeOS's v1 routes with its own fields (``deviceModel``, ``asicTemps``,
    ``stratum{}``, ``shutdown``, ``otp``; ``temp`` is the hottest ASIC), compact JSON and
    ``Connection: close`` on every reply. No identify, pause or resume; ``POST
    /api/system/shutdown`` powers the ASICs down (``state.paused``) until a restart.
    ``autofanspeed`` is 0 manual, 1 auto, 2 PID holding ``pidTargetTemp`` (``fan_mode``
    "manual" / "auto" / "pid"). PATCH keys must be integers (``is<uint16_t>``); a new
    frequency or core voltage is stored and shown at once but applied at the next restart
    (``Board::loadSettings`` only updates the setting; the ASICs are set up in ``initAsics``).

    With OTP on (``otp_enabled``), a PATCH needs ``X-TOTP: <totp_code>`` or ``X-OTP-Session``
    (from ``POST /api/otp/session`` with ``X-TOTP``), else 401 ``OTP/Session required``; five
    failures within 60 s block every check for 300 s (401 ``blocked for 5 minutes``). Restart
    and shutdown do not check OTP in this release.
    """

    name: ClassVar[str] = "nerdqaxe-plus"
    release: ClassVar[Version] = (2, 15, 0)  # unused: NerdOS has its own routes and fields
    version: ClassVar[str] = "v1.0.36"
    board_version: ClassVar[str] = "501"
    device_model: ClassVar[str] = "NerdQAxe+"
    swarm_color: ClassVar[str] = "#e700d8"
    asic: ClassVar[Asic] = BM1368
    asic_count: ClassVar[int] = 4
    nominal_voltage: ClassVar[int] = 12
    max_power: ClassVar[int] = 70
    fan_count: ClassVar[int] = 1
    best_diff: ClassVar[int] = 2_870_000_000
    #: The PATCH keys NerdOS reads as ``is<uint16_t>()``.
    U16_SETTINGS: ClassVar[tuple[str, ...]] = (
        "coreVoltage",
        "frequency",
        "autofanspeed",
        "manualFanSpeed",
        "pidTargetTemp",
        "overheat_temp",
    )
    FAN_MODES: ClassVar[dict[int, str]] = {0: "manual", 1: "auto", 2: "pid"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """OTP on, the code a test's authenticator shows, no session yet."""
        super().__init__(*args, **kwargs)
        self.otp_enabled = True
        #: The TOTP code accepted in ``X-TOTP`` (a real device's changes every 30 s).
        self.totp_code = "123456"
        self.overheat_temp = 70
        self.sessions: dict[str, float] = {}
        self._failures: list[float] = []
        self._blocked_until = 0.0

    @classmethod
    def initial_state(cls) -> MinerState:
        """Four BM1368 at 490 MHz / 1.25 V, 64 W, PID fan control at 55 °C."""
        state = cls.board_state(
            model="NerdQAxe+",
            hostname="nerdqaxe",
            mac="02:4E:51:00:01:36",
            chip_temperature=58.0,
            vr_temperature=52.0,
            voltage=1250,
            nominal_power=64.0,
            idle_power=8.0,
            target_temperature=55,
            pools=[
                PoolState(
                    url="stratum+tcp://public-pool.example:21496", user="bc1qnerd.nqp", active=True
                ),
                PoolState(url="stratum+tcp://solo.example.org:3333", user="bc1qnerd.nqp"),
            ],
            accepted=5021,
            rejected=4,
        )
        state.make = "NerdAxe"
        state.fan_mode = "pid"
        return state

    def fan_target(self) -> float:
        """PID holds ``pidTargetTemp``; the auto curve settles near 60 °C."""
        if self.state.fan_mode == "pid" and self.state.target_temperature is not None:
            return self.state.target_temperature
        return 60.0

    def info(self) -> dict[str, Any]:
        """NerdOS's ``/api/system/info`` (``handler_system.cpp`` of v1.0.36)."""
        state = self.state
        now = self.readings()
        shutdown = state.paused
        ghs = 0.0 if shutdown else round(sum(now.asic_ghs), 4)
        board = state.boards[0]
        frequency, core_mv = self.configured()
        pools = state.pools + [PoolState(url="stratum+tcp://:3333", user="")] * 2
        primary_host, primary_port = _pool_host_port(pools[0])
        fallback_host, fallback_port = _pool_host_port(pools[1])
        modes = {mode: code for code, mode in self.FAN_MODES.items()}
        return {
            "asicCount": self.asic_count,
            "smallCoreCount": self.asic.small_cores,
            "deviceModel": self.device_model,
            "hostip": "127.0.0.1",
            "macAddr": state.mac.upper(),
            "wifiRSSI": -58,
            "power": now.power,
            "maxPower": self.max_power,
            "minPower": 30,
            "maxVoltage": 13,
            "minVoltage": 11,
            "current": now.current_ma,
            "currentA": round(now.current_ma / 1000, 4),
            "minCurrentA": 0,
            "maxCurrentA": 6,
            "temp": max(now.chip_temps),
            "vrTemp": now.vr_temp,
            "hashRateTimestamp": state.uptime() * 1000,
            "hashRate": ghs,
            "hashRate_1m": ghs,
            "hashRate_10m": ghs,
            "hashRate_1h": ghs,
            "hashRate_1d": ghs,
            "coreVoltage": core_mv,
            "defaultCoreVoltage": 1250,
            "coreVoltageActual": round(board.voltage * 1000) - 9,
            "fanspeed": now.duty,
            "manualFanSpeed": state.fan_percent,
            "fanrpm": now.fan_rpms[0],
            "lastpingrtt": 18.4,
            "recentpingloss": 0,
            "shutdown": shutdown,
            "duplicateHWNonces": 0,
            "stratum": {
                "poolMode": 0,
                "activePoolMode": 0,
                "poolBalance": 50,
                "totalBestDiff": self.best_diff,
            },
            "poolDifficulty": 1024,
            "foundBlocks": 0,
            "totalFoundBlocks": 0,
            "sharesAccepted": state.accepted,
            "sharesRejected": state.rejected,
            "bestDiff": self.best_diff,
            "bestSessionDiff": self.best_diff // 41,
            "asicTemps": now.chip_temps,
            "pidTargetTemp": round(state.target_temperature or -1),
            "pidP": 6,
            "pidI": 0.1,
            "pidD": 10,
            "hostname": state.hostname,
            "ssid": "HomeNET",
            "stratumURL": primary_host,
            "stratumPort": primary_port,
            "stratumUser": pools[0].user,
            "stratumEnonceSubscribe": False,
            "stratumTLS": False,
            "fallbackStratumURL": fallback_host,
            "fallbackStratumPort": fallback_port,
            "fallbackStratumUser": pools[1].user,
            "fallbackStratumEnonceSubscribe": False,
            "fallbackStratumTLS": False,
            "voltage": now.input_mv,
            "frequency": frequency,
            "defaultFrequency": self.asic.default_frequency,
            "jobInterval": 1200,
            "stratumDifficulty": 1000,
            "overheat_temp": self.overheat_temp,
            "flipscreen": 0,
            "invertscreen": 0,
            "autoscreenoff": 0,
            "invertfanpolarity": 0,
            "autofanspeed": modes.get(state.fan_mode, 1),
            "stratum_keep": 0,
            "vrFrequency": 500_000,
            "defaultVrFrequency": 500_000,
            "otp": self.otp_enabled,
            "ASICModel": self.asic.model,
            "uptimeSeconds": state.uptime(),
            "lastResetReason": "Software reset",
            "wifiStatus": "Connected!",
            "freeHeap": 7_840_112,
            "freeHeapInt": 98_304,
            "version": self.version,
            "runningPartition": "ota_1",
            "defaultTheme": "NerdQAxe+",
        }

    def asic_info(self) -> dict[str, Any]:
        """NerdOS's ``/api/system/asic`` (absolute maxima, no eco setting on this board)."""
        return {
            "ASICModel": self.asic.model,
            "deviceModel": self.device_model,
            "asicCount": self.asic_count,
            "defaultFrequency": self.asic.default_frequency,
            "defaultVoltage": 1250,
            "absMaxFrequency": 800,
            "absMaxVoltage": 1400,
            "ecoFrequency": 0,
            "ecoVoltage": 0,
            "swarmColor": self.swarm_color,
            "frequencyOptions": [400, 425, 450, 475, 490, 500, 525, 550, 575],
            "voltageOptions": [1100, 1150, 1200, 1250, 1300, 1350],
        }

    # --- routes ------------------------------------------------------------------------------

    def web_app(self) -> web.Application:
        """NerdOS's v1 routes (no identify, pause or resume), then the web UI's catch-all."""
        app = web.Application(middlewares=[_close_connections])
        app.router.add_get("/api/system/info", self._get_info)
        app.router.add_get("/api/system/asic", self._get_asic)
        app.router.add_post("/api/system/restart", self._nerd_restart)
        app.router.add_post("/api/system/shutdown", self._shutdown)
        app.router.add_patch("/api/system", self._nerd_patch)
        app.router.add_post("/api/otp/session", self._otp_session)
        app.router.add_route("*", "/{tail:.*}", self._catch_all)
        return app

    async def _catch_all(self, request: web.Request) -> web.Response:
        return self.catch_all(request)

    async def _nerd_restart(self, request: web.Request) -> web.Response:
        self.sim.reboot(self.sim.reboot_seconds)
        return self.text_reply(RESTART_TEXT)

    async def _shutdown(self, request: web.Request) -> web.Response:
        self.state.paused = True
        return self.text_reply("System will shutdown shortly.")

    # --- OTP ----------------------------------------------------------------------------------

    def _otp_ok(self, request: web.Request) -> bool:
        now = time.monotonic()
        session = request.headers.get("X-OTP-Session")
        if session is not None and self.sessions.get(session, 0.0) > now:
            return True
        return request.headers.get("X-TOTP") == self.totp_code

    def check_otp(self, request: web.Request) -> web.Response | None:
        """``validateOTP``: None when the request may change settings, else the 401."""
        if not self.otp_enabled:
            return None
        now = time.monotonic()
        if self._blocked_until > now:
            return self.http_error(401, "blocked for 5 minutes")
        if self._otp_ok(request):
            return None
        self._failures = [at for at in self._failures if now - at < 60] + [now]
        if len(self._failures) >= 5:
            self._blocked_until = now + 300
            self._failures.clear()
        return self.http_error(401, "OTP/Session required")

    async def _otp_session(self, request: web.Request) -> web.Response:
        if not self.otp_enabled:
            return self.http_error(405, "OTP disabled")
        code = request.headers.get("X-TOTP")
        if code is None:
            return self.http_error(400, "Missing X-TOTP header")
        if code != self.totp_code:
            return self.http_error(401, "Invalid TOTP")
        token = f"SIM{len(self.sessions):017d}.{self.sim.noise(8).hex()[2:]}"
        self.sessions[token] = time.monotonic() + 24 * 3600
        expires = int(time.time() * 1000) + 24 * 3600 * 1000
        return self.json_reply({"token": token, "ttlMs": 24 * 3600 * 1000, "expiresAt": expires})

    def expire_sessions(self) -> None:
        """Forget the OTP sessions (they live in RAM)."""
        self.sessions.clear()

    # --- settings -----------------------------------------------------------------------------

    async def _nerd_patch(self, request: web.Request) -> web.Response:
        refused = self.check_otp(request)
        if refused is not None:
            return refused
        body = await request.read()
        if len(body) >= SCRATCH_BUFSIZE:
            return self.http_error(500, "content too long")
        try:
            settings = json.loads(body)
        except ValueError:
            return self.http_error(400, "Invalid JSON")
        if isinstance(settings, dict):
            self.apply_nerd(settings)
        return self.empty_reply()

    def apply_nerd(self, settings: dict[str, Any]) -> None:
        """Each key read as ``is<uint16_t>()`` (an integer 0…65535) and applied at once."""
        state = self.state
        values = {
            key: value
            for key in self.U16_SETTINGS
            if isinstance(value := settings.get(key), int)
            and not isinstance(value, bool)
            and 0 <= value <= 65535
        }
        # Stored only: the board programs its ASICs and regulator at boot (``initAsics``);
        # the info shows the setting at once (its web UI: "You must restart this device").
        if values.get("coreVoltage", 0) > 0:
            self.pending["coreVoltage"] = values["coreVoltage"]
        if values.get("frequency", 0) > 0:
            self.pending["frequency"] = values["frequency"]
        if "autofanspeed" in values:
            state.fan_mode = self.FAN_MODES.get(values["autofanspeed"], "auto")
        if "manualFanSpeed" in values:
            state.fan_percent = values["manualFanSpeed"]
        if "pidTargetTemp" in values:
            state.target_temperature = values["pidTargetTemp"]
        if "overheat_temp" in values:
            self.overheat_temp = values["overheat_temp"]
        if isinstance(settings.get("hostname"), str):
            state.hostname = settings["hostname"]


@web.middleware
async def _close_connections(request: web.Request, handler: Handler) -> web.StreamResponse:
    """NerdOS's ``ConGuard``: every connection closes after its reply."""
    response = await handler(request)
    response.force_close()
    return response
