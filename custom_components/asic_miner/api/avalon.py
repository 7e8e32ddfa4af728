"""Canaan Avalon (cgminer with Canaan's Avalon driver): the AvalonMiner A-series and the home
units Nano 3 / Nano 3S, Mini 3 and Q.

Polling (Canaan's API is single-threaded, so one request per steady poll): Canaan's cgminer
answers ``+`` joins (its ``api.c`` marks version/summary/pools/stats/estats/litestats
joinable), so a steady poll is the one request ``summary+estats``: the ``MM ID`` text of
``estats`` holds every reading (``avalon_stats``), ``summary`` the windows, shares, best
share and blocks. ``pools`` (URLs, users) joins it on the first poll, every
``refresh.REFRESH_SECONDS``, and after a restart or another miner showed up (``refresh``,
a ``refresh.Refresh``; pools the miner did not answer stay due, the last ones standing in).
Firmware that does not have ``estats`` (it calls it an invalid command) is asked ``stats``
(then ``litestats``), which carry the same text; the client remembers which one answered
(``StatsCommand``), and asks ``estats`` again now and then (every ``refresh.REFRESH_SECONDS``,
after a restart or another MAC: a firmware upgrade may have brought it). Another refusal (a
busy or odd reply) changes nothing: that poll goes without the text. ``version`` is the
identity, read once; a firmware refusing it does not fail the poll: model and firmware then
come from the ``MM ID`` text (``Ver``, ``LVer``) and ``version`` is tried again every
``refresh.REFRESH_SECONDS`` (``identity_retry``, a ``refresh.Refresh`` too).

Mapping (both layouts, see ``avalon_stats``):

- hashrate: ``GHSspd`` (the current speed), else summary's freshest window (``MHS 5s``;
  ``MHS 30s`` on the A-series, ``MHS 1m``…), never ``MHS av`` (an idle Q reports 44 TH/s
  there): that is ``average_hashrate`` (else ``GHSavg``); ``GHSmm`` → expected hashrate;
- power: ``WALLPOWER``, else the power supply's ``PS[…]`` (``avalon_stats.wall_power``);
  ``MPO`` (the work level's nominal power, a setting) → ``power_limit``;
- boards: per board ``MTavg``/``MTmax``, chips from ``MW<n>``/``PVT_T<n>`` (``HBinfo`` in the
  new layout); ``Fan1``-``Fan4`` with ``FanR`` (duty %); ``ITemp`` (``Temp`` on the A-series)
  → inlet, ``HBOTemp``/``OTemp`` → outlet; ``TarT`` → target temperature; ``Freq``;
  ``RSSI`` (Wi-Fi units, 0 when wired) → Wi-Fi signal;
- ``SoftOFF`` (0 mining, above 0 standby) → not mining, and no chip temperatures (``TMax[0]``);
  ``WORKMODE``/``WORKLEVEL`` named per model (``AvalonModel``); ``Led`` (A-series) → fault
  light; ``LcdOnoff`` (Mini 3, Q) → display on;
- identity: ``MODEL`` (else ``PROD``), firmware ``VERSION`` (A-series) or ``LVERSION``/
  ``BVERSION``/``CGVERSION`` (home units), never cgminer's own ``4.11.1``; ``MAC`` with or
  without colons; ``DNA`` (Canaan: "the global unique number") → serial.

Controls are ``ascset|0,<option>,…`` (a refusal is STATUS ``E``, code 120 "ASC 0 set
failed"; success is ``I``/118 "ASC 0 set info: …" or ``S``/119 "ASC 0 set OK"); which a unit
has depends on its model (``AvalonModel``, with the public source of each).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
import time
from typing import Any, ClassVar, Final, Literal

from .avalon_stats import (
    AvalonStats,
    fans,
    hash_boards,
    positive,
    read_stats,
    split_version,
    status_parts,
    temperature,
    wall_power,
)
from .base import CGMINER_PORT, Command, api_command
from .cgminer import CGMinerAPI
from .decoding import as_float, as_int
from .errors import APIConnectionError, APIDecodeError, APIRefusalError, accept_dropped
from .mapping import build_data, first, map_pools, rate_ths, summary_of, text, unwrap
from .models import Capability, MinerData, MinerIdentity
from .protocol import OK_STATUSES, invalid_command, reply_status
from .refresh import REFRESHED, Refresh

#: Commands carrying the ``MM ID`` text, in the order they are tried.
STATS_COMMANDS: Final = ("estats", "stats", "litestats")
#: What the reply to one of them says: the text, "I do not have it", or another refusal.
type Verdict = Literal["answered", "invalid", "refused"]
#: Summary windows, freshest first (``MHS 30s`` is the A-series' shortest).
RATE_WINDOWS: Final = ("5s", "30s", "1m", "5m", "15m")
#: Seconds between sending ``softoff``/``softon`` and the time it takes effect, as Canaan's
#: own tools and public clients send it (``1:<now + 5>``).
SOFT_DELAY: Final = 5


@dataclass(frozen=True, slots=True)
class AvalonModel:
    """What one Avalon model can be told, and how its settings are named."""

    #: The controls it has (pause/resume is ``softoff``/``softon``, reboot ``reboot,0``).
    controls: frozenset[Capability]
    #: ``WORKMODE`` values by position.
    work_modes: tuple[str, ...] = ()
    #: The ``ascset`` parameter that sets the work mode (``{}``: its position).
    work_mode_command: str = "0,workmode,set,{}"
    #: ``WORKLEVEL`` names and values (``worklevel,set,<value>``).
    work_levels: tuple[tuple[str, int], ...] = ()
    #: Manual fan duty in % (``fan-spd``; ``-1`` is automatic).
    fan_speed: tuple[int, int] | None = None
    #: ``target-temp`` range in °C.
    target_temperature: tuple[int, int] | None = None


_ALWAYS: Final = frozenset({Capability.PAUSE_RESUME, Capability.REBOOT})
#: AvalonMiner A-series (A10 … A15): Canaan's A10 API manual documents ``reboot,0``,
#: ``led,1-<0|1>`` (the white locate LED, reported as ``Led[…]``) and ``workmode,<0|1>``
#: (normal, high performance; effective after a reboot); cgminer's ``restart`` restarts the
#: mining software; soft off/on as on every Avalon (pyasic).
CLASSIC: Final = AvalonModel(
    controls=_ALWAYS | {Capability.RESTART_BACKEND, Capability.FAULT_LIGHT, Capability.WORK_MODE},
    work_modes=("normal", "high"),
    work_mode_command="0,workmode,{}",
)
#: Nano 3S: work modes Low/Mid/High (``workmode,set``), fan duty and target temperature
#: 50-90 °C (a public Nano 3S API write-up; a public Nano 3S integration). Its ``ledset`` is a
#: colour light effect, not a locate light: not offered. Fan duty 25-100 %: that write-up says
#: 25, Canaan's driver accepts 15; the range both allow.
NANO3S: Final = AvalonModel(
    controls=_ALWAYS | {Capability.WORK_MODE, Capability.FAN_SPEED, Capability.TARGET_TEMPERATURE},
    work_modes=("low", "mid", "high"),
    fan_speed=(25, 100),
    target_temperature=(50, 90),
)
#: Nano 3: its work mode does not work (the Nano 3S integration's author); nothing else
#: is public.
NANO3: Final = AvalonModel(controls=_ALWAYS)
#: The display: ``ascset|0,lcd,0:1`` / ``0:0``, its state ``LcdOnoff[1|0]`` in the ``MM ID``
#: text (a public Mini 3 integration, ajberti/ha-avalon-mini ``avalon_api.py``; the Q's
#: ``ascset`` help lists ``lcd`` and its stats show ``LcdOnoff``, an Avalon Q capture). No
#: public fact for the Nano 3 / 3S or the A-series.
_DISPLAY: Final = frozenset({Capability.DISPLAY})
#: Mini 3: work modes Heating/Mining/Night and work levels Eco (-1)/Super (0) (a public
#: Mini 3 integration), its display. No public fact on its fan or target-temperature commands.
MINI3: Final = AvalonModel(
    controls=_ALWAYS | _DISPLAY | {Capability.WORK_MODE, Capability.WORK_LEVEL},
    work_modes=("heating", "mining", "night"),
    work_levels=(("super", 0), ("eco", -1)),
)
#: Q: work modes Eco/Standard/Super (public Q write-ups; no public fact for Heating/Mining/
#: Night on the Q, and none naming its ``WORKLEVEL``), fan duty (its ``ascset`` help lists
#: ``fan-spd`` and ``lcd``, the display; it lists neither ``target-temp`` nor ``led``).
Q: Final = AvalonModel(
    controls=_ALWAYS | _DISPLAY | {Capability.WORK_MODE, Capability.FAN_SPEED},
    work_modes=("eco", "standard", "super"),
    fan_speed=(25, 100),
)
#: A model not (yet) known: only what every Avalon has.
UNKNOWN: Final = AvalonModel(controls=_ALWAYS)


def avalon_model(model: str | None) -> AvalonModel:
    """The model's profile from ``MODEL``/``PROD`` or the ``Ver`` prefix: ``Q``, ``Nano3s``,
    ``Nano3``, ``Mini3``; any other named model is an A-series machine (``1246``, ``15-194``)."""
    if not model:
        return UNKNOWN
    key = model.lower().replace(" ", "").removeprefix("avalonminer").removeprefix("avalon")
    if key.startswith("nano3s"):
        return NANO3S
    if key.startswith("nano"):
        return NANO3
    if key.startswith("mini"):
        return MINI3
    if key == "q":
        return Q
    return CLASSIC


def _format_mac(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    digits = value.replace(":", "").replace("-", "").lower()
    if len(digits) != 12 or any(c not in "0123456789abcdef" for c in digits):
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def _serial(value: Any) -> str | None:
    """``DNA``, when it is a real one (hex digits, not all zeros)."""
    dna = text(value)
    if not dna or set(dna) <= {"0"} or any(c not in "0123456789abcdefABCDEF" for c in dna):
        return None
    return dna.lower()


def _display_on(value: Any) -> bool | None:
    """``LcdOnoff``: 1 on, 0 off; anything else unknown."""
    state = as_int(value)
    return None if state not in (0, 1) else state == 1


@dataclass(slots=True)
class StatsCommand:
    """Which command holds the ``MM ID`` text on this miner: ``estats``, else ``stats``, else
    ``litestats``. The next one is tried only when the firmware calls the current one an
    invalid command; while a poorer one stands in, ``estats`` is tried again when ``retry``
    wants it (every ``refresh.REFRESH_SECONDS``, after a restart or another MAC)."""

    index: int = 0
    #: When to try ``estats`` again while a poorer command stands in.
    retry: Refresh = field(default_factory=Refresh)

    @property
    def name(self) -> str:
        """The command asked at each poll."""
        return STATS_COMMANDS[self.index]

    def probe_due(self, now: float) -> bool:
        """Whether the poll at ``now`` tries ``estats`` again."""
        return self.index > 0 and self.retry.wanted(now)

    def heard(self, command: str, verdict: Verdict, now: float) -> str | None:
        """What the reply to ``command`` alone teaches; the next command to ask in this poll,
        if any. Only an invalid command moves on; ``estats`` tried again and answered comes
        back, else it is tried at its next time."""
        position = STATS_COMMANDS.index(command)
        if verdict == "answered":
            if position != self.index:
                self.index = position
                self.retry = self.retry.read(now)
            return None
        if position < self.index:
            self.retry = self.retry.read(now)
            return None
        if verdict == "invalid" and position + 1 < len(STATS_COMMANDS):
            self.index = position + 1
            self.retry = self.retry.read(now)
            return self.name
        return None

    def seen(self, *, uptime: int | None, mac: str | None, now: float) -> None:
        """A poll's uptime and MAC: a restart or another machine makes ``estats`` due."""
        self.retry = self.retry.after({}, uptime=uptime, now=now, mac=mac)


class AvalonAPI(CGMinerAPI):
    """Canaan Avalon: A-series and home units, both ``MM ID`` layouts."""

    family = "avalon"
    make: ClassVar[str | None] = "Avalon"
    #: What a poll may ask (``_poll`` plans it: the stats command learned, pools when due).
    poll_commands: ClassVar[tuple[str, ...]] = ("summary", *STATS_COMMANDS, "pools")
    #: The A-series' controls; a unit's own are ``capabilities`` (per model).
    controls = CLASSIC.controls
    modes = CLASSIC.work_modes

    estats = Command("Extended stats: the module's ``MM ID`` text.")
    litestats = Command("The ``MM ID`` text alone (newer Canaan firmware).")

    def __init__(self, ip: str, port: int = CGMINER_PORT, **kwargs: Any) -> None:
        """As ``CGMinerAPI``; nothing is sent yet."""
        super().__init__(ip, port, **kwargs)
        self.stats_command = StatsCommand()
        #: The pools reply and when to read it again.
        self.refresh = Refresh()
        #: When to ask a refused ``version`` again.
        self.identity_retry = Refresh()
        #: The model the ``MM ID`` text names (``Ver``), for a miner that refuses ``version``.
        self.reported_model: str | None = None

    @api_command
    async def ascset(self, parameter: str) -> dict[str, Any]:
        """``ascset|<n>,<option>[,<value>]``: Avalon's control command."""
        return await self.send_command("ascset", parameter)

    @api_command
    async def restart(self) -> dict[str, Any]:
        """Restart cgminer (the reply is a bare ``{"STATUS":"RESTART"}``)."""
        return await self.send_command("restart", ignore_errors=True)

    # --- what this unit can do ---------------------------------------------------------------

    def model_profile(self) -> AvalonModel:
        """The profile of this unit's model (known once the identity or a poll named it)."""
        identity = self.identity
        return avalon_model((identity.model if identity else None) or self.reported_model)

    @property
    def capabilities(self) -> frozenset[Capability]:
        """The model's controls."""
        return self.model_profile().controls

    @property
    def work_modes(self) -> tuple[str, ...]:
        """The model's ``WORKMODE`` names."""
        return self.model_profile().work_modes

    @property
    def work_levels(self) -> tuple[str, ...]:
        """The model's ``WORKLEVEL`` names (Mini 3: super, eco)."""
        return tuple(name for name, _ in self.model_profile().work_levels)

    @property
    def fan_speed_bounds(self) -> tuple[int, int] | None:
        """Manual fan duty range in %."""
        return self.model_profile().fan_speed

    @property
    def target_temperature_bounds(self) -> tuple[int, int] | None:
        """``target-temp`` range in °C."""
        return self.model_profile().target_temperature

    # --- controls ----------------------------------------------------------------------------

    def _require(self, capability: Capability, action: str) -> AvalonModel:
        profile = self.model_profile()
        if capability not in profile.controls:
            raise self._unsupported(action)
        return profile

    async def _ascset(self, parameter: str) -> None:
        reply = await self.send_command("ascset", parameter, ignore_errors=True)
        status, message = reply_status(reply)
        if status not in OK_STATUSES or "failed" in message.lower():
            raise APIRefusalError(f"{self.host}: ascset {parameter}: {message or 'refused'}")

    async def pause_mining(self) -> None:
        """``ascset|0,softoff,1:<now + 5 s>`` (standby: ``SoftOFF`` above 0)."""
        self._require(Capability.PAUSE_RESUME, "pause mining")
        await self._ascset(f"0,softoff,1:{int(time.time()) + SOFT_DELAY}")

    async def resume_mining(self) -> None:
        """``ascset|0,softon,1:<now + 5 s>``. Some firmware closes the connection without a
        reply to ``softon`` (an Avalon Q, per asic-rs) while others answer (another Q's
        capture): a close after the request went out is taken as accepted
        (``errors.accept_dropped``); a timeout or a refused connection is not."""
        self._require(Capability.PAUSE_RESUME, "resume mining")
        await accept_dropped(self._ascset(f"0,softon,1:{int(time.time()) + SOFT_DELAY}"))

    async def set_work_mode(self, mode: str) -> None:
        """``ascset|0,workmode,set,<n>`` (A-series: ``workmode,<n>``), ``n`` the mode's
        position in ``work_modes``."""
        profile = self._require(Capability.WORK_MODE, "set a work mode")
        self._check_choice("work mode", mode, profile.work_modes)
        await self._ascset(profile.work_mode_command.format(profile.work_modes.index(mode)))

    async def set_work_level(self, level: str) -> None:
        """``ascset|0,worklevel,set,<value>`` (Mini 3: super 0, eco -1)."""
        profile = self._require(Capability.WORK_LEVEL, "set a work level")
        values = dict(profile.work_levels)
        self._check_choice("work level", level, tuple(values))
        await self._ascset(f"0,worklevel,set,{values[level]}")

    async def set_fan_speed(self, percent: int | None) -> None:
        """``ascset|0,fan-spd,<percent>``, or ``-1`` for automatic control."""
        profile = self._require(Capability.FAN_SPEED, "set the fan speed")
        if percent is not None:
            self._check_range("fan speed", percent, profile.fan_speed, "%")
        await self._ascset(f"0,fan-spd,{-1 if percent is None else int(percent)}")

    async def set_target_temperature(self, celsius: int) -> None:
        """``ascset|0,target-temp,<°C>`` (it returns to the mode's default after a restart
        or a change of work mode)."""
        profile = self._require(Capability.TARGET_TEMPERATURE, "set a target temperature")
        self._check_range("target temperature", celsius, profile.target_temperature, "°C")
        await self._ascset(f"0,target-temp,{int(celsius)}")

    async def set_fault_light(self, on: bool) -> None:
        """``ascset|0,led,1-1`` / ``1-0`` (the A-series' white locate LED)."""
        self._require(Capability.FAULT_LIGHT, "switch the fault light")
        await self._ascset(f"0,led,1-{int(on)}")

    async def set_display(self, on: bool) -> None:
        """``ascset|0,lcd,0:1`` / ``0:0`` (Mini 3, Q)."""
        self._require(Capability.DISPLAY, "switch the display")
        await self._ascset(f"0,lcd,0:{int(on)}")

    async def reboot(self) -> None:
        """``ascset|0,reboot,0``."""
        self._require(Capability.REBOOT, "reboot")
        await self._ascset("0,reboot,0")
        self.forget_identity()

    async def restart_backend(self) -> None:
        """cgminer ``restart`` (A-series; the home units' API has no such command)."""
        self._require(Capability.RESTART_BACKEND, "restart the mining software")
        reply = await self.restart()
        status, message = reply_status(reply)
        if status not in {"RESTART", *OK_STATUSES}:
            raise APIRefusalError(f"{self.host}: restart: {message or status or 'refused'}")

    # --- polling -----------------------------------------------------------------------------

    async def _fetch_identity(self) -> MinerIdentity:
        """``version``; a refusal leaves model and firmware to the ``MM ID`` text."""
        self.identity_retry = self.identity_retry.read(time.monotonic())
        try:
            reply = await self.send_command("version")
        except APIRefusalError:
            return MinerIdentity(make=self.make)
        return self._identity_from_version(first(reply, "VERSION"))

    def _identity_from_version(self, version: dict[str, Any]) -> MinerIdentity:
        model = text(version.get("MODEL"))
        if model is None:
            product = text(version.get("PROD"))
            if product:
                model = product.removeprefix("AvalonMiner ").removeprefix("Avalon ") or None
        firmware = next(
            (
                str(version[key])
                for key in ("VERSION", "LVERSION", "BVERSION", "CGVERSION")
                if text(version.get(key))
            ),
            None,
        )
        return MinerIdentity(
            make=self.make,
            model=model,
            firmware=firmware,
            mac=_format_mac(version.get("MAC")),
            serial=_serial(version.get("DNA")),
        )

    def _identity_incomplete(self, data: MinerData) -> bool:
        """A refused ``version``: ask it again every ``refresh.REFRESH_SECONDS``, not at
        every poll."""
        identity = self.identity
        if identity is None or (identity.model and identity.firmware):
            return False
        return self.identity_retry.wanted(time.monotonic())

    async def _poll(self) -> dict[str, Any]:
        now = time.monotonic()
        stats = self.stats_command
        wanted = ["summary", stats.name]
        if self.refresh.wanted(now):
            wanted.append("pools")
        try:
            replies = await self.multicommand(*wanted)
        except APIRefusalError:
            replies = {"multicommand": True}
        # The command learned, refused in the join, is asked alone to hear why; estats is
        # tried again when due.
        command = None if stats.name in replies else stats.name
        if command is None and stats.probe_due(now):
            command = STATS_COMMANDS[0]
        while command is not None:
            verdict = await self._ask_stats(replies, command)
            command = stats.heard(command, verdict, now)
        if not any(name in replies for name in (*wanted, *STATS_COMMANDS)):
            raise APIRefusalError(f"{self.host}: the miner refused every command")
        # Pools the miner did not answer (refused, or the join refused as a whole) stay due.
        replies[REFRESHED] = ["pools"] if "pools" in replies else []
        return replies

    async def _ask_stats(self, replies: dict[str, Any], command: str) -> Verdict:
        """``command`` alone; its reply joins ``replies`` when answered. No answer, or an
        unreadable one, counts as a refusal: the poll keeps what it read, and the command is
        tried again at its next time."""
        try:
            reply = await self.send_command(command, ignore_errors=True)
        except APIConnectionError, APIDecodeError:
            return "refused"
        try:
            self.check_reply(command, reply, allow_warning=True)
        except APIRefusalError:
            return "invalid" if invalid_command(reply) else "refused"
        replies[command] = [reply]
        return "answered"

    def _stats(self, replies: dict[str, Any]) -> AvalonStats:
        for name in STATS_COMMANDS:
            stats = read_stats(unwrap(replies, name))
            if stats is not None:
                return stats
        return AvalonStats()

    @staticmethod
    def _uptime_of(summary: dict[str, Any], stats: AvalonStats) -> int | None:
        for value in (summary.get("Elapsed"), stats.elapsed, stats.get("Elapsed")):
            uptime = as_int(value)
            if uptime is not None:
                return uptime
        return None

    def _remember(self, replies: dict[str, Any], identity: MinerIdentity) -> None:
        """The pools when read (due again after a restart or another MAC), ``estats`` due
        again after them too, and the model the ``MM ID`` text names."""
        stats = self._stats(replies)
        uptime = self._uptime_of(summary_of(replies), stats)
        now = time.monotonic()
        self.refresh = self.refresh.after(replies, uptime=uptime, now=now, mac=identity.mac)
        self.stats_command.seen(uptime=uptime, mac=identity.mac, now=now)
        self.reported_model = split_version(stats.get("Ver"))[0] or self.reported_model

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        summary = summary_of(replies)
        stats = self._stats(replies)
        reported_model, reported_firmware = split_version(stats.get("Ver"))
        identity = replace(
            identity,
            model=identity.model or reported_model,
            firmware=identity.firmware
            or stats.get("LVer")
            or stats.get("BVer")
            or reported_firmware,
        )
        profile = avalon_model(identity.model)
        speed = as_float(stats.get("GHSspd"))
        hashrate = speed / 1000 if speed is not None else rate_ths(summary, RATE_WINDOWS)
        average = rate_ths(summary, ("av",))
        if average is None:
            ghs_average = as_float(stats.get("GHSavg"))
            average = None if ghs_average is None else ghs_average / 1000
        expected = positive(stats.get("GHSmm"))
        boards = hash_boards(stats, hashrate)
        mode = as_int(stats.get("WORKMODE"))
        level = as_int(stats.get("WORKLEVEL"))
        led = as_int(stats.get("Led"))
        rssi = as_int(stats.get("RSSI"))
        data = build_data(
            identity,
            hashrate=hashrate,
            expected_hashrate=None if expected is None else expected / 1000,
            power=wall_power(stats),
            power_limit=positive(stats.get("MPO")),
            boards=boards,
            fans=fans(stats),
            pools=map_pools(unwrap(self.refresh.merged(replies), "pools")),
            uptime=self._uptime_of(summary, stats),
            is_mining=self._is_mining(stats, hashrate),
            work_mode=profile.work_modes[mode]
            if mode is not None and 0 <= mode < len(profile.work_modes)
            else None,
            fault_light=None if led is None else led == 1,
        )
        chip = data.chip_temperature
        if chip is None and len(boards) > 1 and not stats.idle:
            chip = temperature(stats.get("TMax"))  # no per-board maxima: the module's
        return replace(
            data,
            chip_temperature=chip,
            average_hashrate=average,
            inlet_temperature=temperature(stats.get("ITemp") or stats.get("Temp")),
            outlet_temperature=temperature(stats.get("HBOTemp") or stats.get("OTemp")),
            frequency=positive(stats.get("Freq")),
            shares_accepted=as_int(summary.get("Accepted")),
            shares_rejected=as_int(summary.get("Rejected")),
            best_session_difficulty=as_float(summary.get("Best Share")),
            blocks_found=as_int(summary.get("Found Blocks")),
            wifi_rssi=rssi if rssi is not None and rssi < 0 else None,
            target_temperature=temperature(stats.get("TarT")),
            display_on=_display_on(stats.get("LcdOnoff")),
            work_level=next((name for name, value in profile.work_levels if value == level), None)
            if level is not None
            else None,
        )

    @staticmethod
    def _is_mining(stats: AvalonStats, hashrate: float | None) -> bool | None:
        """Hashing wins; else ``SoftOFF`` (0: mining), else ``SYSTEMSTATU`` ``Work``."""
        if hashrate is not None and hashrate > 0:
            return True
        soft_off = as_int(stats.get("SoftOFF"))
        if soft_off is not None:
            return soft_off == 0
        work = status_parts(stats.get("SYSTEMSTATU")).get("Work")
        if work in ("In Work", "In Idle"):
            return work == "In Work"
        return None
