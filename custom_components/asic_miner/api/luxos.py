"""LuxOS (LUXminer), the Luxor firmware for Antminers.

A steady poll is one joined request (LuxOS answers ``a+b`` of commands without parameters):
``summary+stats+power+fans``, plus ``temps`` on a unit whose sensors include the water inlet
and outlet (hydro). ``config`` (profile, LEDs), ``profiles``, ``pools``, ``tempctrl`` and
``temps`` join it on the first poll, after a restart, every few minutes and after a control
(``refresh.Refresh``). Hash boards, temperatures and the expected hashrate come from
``stats``, which LuxOS writes as stock Antminer firmware does (read by ``antminer_stats``, the
same functions bmminer uses; LuxOS is not bmminer and never touches the stock web interface).
LuxOS adds:

- ``summary``: the freshest window (``GHS 5s``) → hashrate, ``GHS av`` → average; shares,
  ``Best Share``, ``Found Blocks``;
- ``stats``: an empty connector (0 chips, rate ``"0"``) is no board; LuxOS shows board
  temperatures only (Luxor's documentation): where ``temp_chipN`` repeats ``temp_pcbN``
  there is no chip temperature (None);
- ``power``: ``Watts`` → power;
- ``fans``: ``RPM`` and the duty ``Speed`` in % per fan (``ID``; ``FAN`` may be a label such as
  ``"FAN4"``); hydro units have none; without the command, the ``stats`` fan slots;
- ``temps``: the sensors ``METADATA`` labels ``Water Inlet``/``Water Outlet`` → inlet and
  outlet temperature (the mean of the boards' readings); board intake/exhaust sensors are
  board temperatures, not air temperatures;
- ``config``: ``Profile`` → power limit = that profile's ``Watts`` in ``profiles``;
  ``RedLed`` → fault light (``on``/``blink`` lit; ``off`` and ``auto``, the firmware's own
  signalling, not); ``MACAddr``, ``Hostname``, ``SerialNumber`` → identity;
- ``tempctrl``: ``Target`` → target temperature, ``Hot`` its upper bound; ``Mode``
  ``Automatic``/``Manual`` → whether the firmware drives the fans (pyasic's reading of LuxOS,
  ``pyasic/config/fans.py`` ``FanModeConfig.from_luxos``; the same field as Braiins OS's
  ``tempctrl``); without ``Mode`` the fan mode is unknown;
- ``version``: ``Miner`` (else ``LUXminer``) → firmware, ``Type`` → make and model.

The profiles of the last poll that listed any are kept (``profile_watts``): they bound
``set_power_limit``.

Controls need a session (Luxor: "create a session only when you need it … then drop it"):
``session`` shows an open one, else ``logon`` opens one, renewed once when the miner calls it
invalid, and a session this client opened is closed (``logoff``) after the control.
``curtail`` sleep/wakeup (pause, resume), ``rebootdevice``, ``resetminer`` (restart LUXminer),
``ledset`` (red blink/off), ``profileset`` (power limit: the largest profile within the
requested watts), ``fanset`` (fan duty, or automatic) and ``tempctrlset`` (target temperature).

The fan and temperature controls, as Luxor documents them (docs.luxor.tech, LUXminer commands
``fanset`` and ``tempctrlset``; ``fans``):

- ``fanset <session>,speed=<n>``: ``n`` 0-100 a fixed duty in %, ``-1`` luxminer's automatic
  control. It is refused by units without fans of their own (hydro, immersion), whose ``fans``
  reply has no ``FANS`` section: the fan controls are offered only while ``fans`` lists fans;
- ``tempctrlset <session>,target_temp=<°C>``: the key=value form of the command (the legacy
  form takes target, hot and dangerous in order); the three must not decrease in that order,
  so the target goes up to the current ``Hot`` at most. Luxor publishes no lower bound: 0 °C
  here (a low target only makes the automatic fans run faster).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
import contextlib
from dataclasses import replace
import math
from typing import Any, Final

from .antminer_stats import FanMemory, board_chain_offset, map_antminer, miner_stats, remember_fans
from .base import Command
from .cgminer import CGMinerAPI
from .decoding import as_float
from .errors import APIError, APIRefusalError, accept_dropped, before_control
from .mapping import (
    first,
    lower_mac,
    max_of,
    section,
    split_make,
    summary_counters,
    summary_of,
    temperature,
    text,
    unwrap,
)
from .models import CLASSIC_CONTROLS, Capability, HashBoard, MinerData, MinerIdentity
from .readings import fan_list, mean
from .refresh import RarelyRead, Refresh

#: ``RedLed`` values: lit, or not (``auto`` is the firmware's normal signalling).
_RED_LED: Final = {"on": True, "blink": True, "off": False, "auto": False}
#: ``tempctrl`` ``Mode`` → fans under automatic control (pyasic reads ``Manual`` as manual).
_FAN_MODES: Final = {"automatic": True, "manual": False}
#: ``fanset`` ``speed``: 0-100 % fixed, -1 automatic (Luxor's ``fanset`` page).
_FAN_BOUNDS: Final = (0, 100)
_FAN_AUTOMATIC: Final = -1
#: The lowest target temperature offered: Luxor documents none (see the module docstring).
_TARGET_FLOOR: Final = 0
#: ``temps`` sensor labels of the water temperatures (hydro models).
_WATER_INLET: Final = "water inlet"
_WATER_OUTLET: Final = "water outlet"


def _profiles(reply: dict[str, Any] | None) -> dict[str, float]:
    """profile name -> watts."""
    result: dict[str, float] = {}
    for entry in section(reply, "PROFILES"):
        name = entry.get("Profile Name")
        watts = as_float(entry.get("Watts"))
        if isinstance(name, str) and watts is not None:
            result[name] = watts
    return result


def _sensors(reply: dict[str, Any] | None, label: str) -> list[str]:
    """The ``temps`` fields whose ``METADATA`` label is ``label``."""
    metadata = first(reply, "METADATA")
    return [
        field
        for field, sensor in metadata.items()
        if isinstance(sensor, dict) and str(sensor.get("Label", "")).strip().lower() == label
    ]


def _water(reply: dict[str, Any] | None, label: str) -> float | None:
    """The mean water temperature of the sensors labelled ``label`` over the boards."""
    fields = _sensors(reply, label)
    entries = section(reply, "TEMPS")
    return mean(
        temperature(entry.get(field), positive=True) for entry in entries for field in fields
    )


def _luxos_boards(boards: list[HashBoard], stats: dict[str, Any]) -> list[HashBoard]:
    """The boards of ``stats`` as LuxOS means them: an empty connector (0 chips, rate
    ``"0"``) is no board, and where ``temp_chipN`` repeats ``temp_pcbN`` there is no chip
    temperature (LuxOS shows board temperatures only). Board ``i`` is chain ``i + offset``,
    the offset ``antminer_stats`` numbered the boards with (6 on the S9 generation)."""
    offset = board_chain_offset(stats)
    result = []
    for board in boards:
        if not board.chips and not board.hashrate:
            continue
        chain = board.index + offset
        chip = stats.get(f"temp_chip{chain}")
        copied = chip is not None and chip == stats.get(f"temp_pcb{chain}")
        result.append(replace(board, chip_temperature=None) if copied else board)
    return result


class LuxOSAPI(RarelyRead, CGMinerAPI):
    """LuxOS on Antminer hardware."""

    family = "luxos"
    reports_errors = True  # chains with chips that stopped answering, as on stock firmware
    #: What changes every poll; ``rare_commands`` join it now and then.
    poll_commands = ("summary", "stats", "power", "fans")
    rare_commands = ("config", "profiles", "pools", "tempctrl", "temps")
    #: Session-protected controls over the API itself (no web password needed).
    controls = (CLASSIC_CONTROLS - {Capability.WORK_MODE}) | {Capability.TARGET_TEMPERATURE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """As ``BaseMinerAPI``; no password (LuxOS controls use a session instead)."""
        super().__init__(*args, **kwargs)
        self._session_id: str | None = None
        self._control_lock = asyncio.Lock()
        self.refresh = Refresh()
        #: The ``stats`` fan slots of this miner that have spun (kept between polls).
        self.fan_memory = FanMemory()
        #: Profile name -> watts, from the last reply that listed any (bounds the power limit).
        self.profile_watts: Mapping[str, float] = {}
        #: Whether the last ``fans`` reply listed fans (None before one answered): hydro and
        #: immersion units list none and refuse ``fanset``.
        self.has_fans: bool | None = None

    # --- what this family can do -------------------------------------------------------------

    @property
    def power_limit_bounds(self) -> tuple[int, int] | None:
        """Whole watts within the smallest and largest profile of the last poll that listed
        any (None until then); ``set_power_limit`` maps a value to a profile."""
        if not self.profile_watts:
            return None
        watts = self.profile_watts.values()
        return math.ceil(min(watts)), math.floor(max(watts))

    @property
    def capabilities(self) -> frozenset[Capability]:
        """The session controls and the target temperature; the fan duty while ``fans`` lists
        fans of the unit's own."""
        if self.has_fans:
            return self.controls | {Capability.FAN_SPEED}
        return self.controls

    @property
    def fan_speed_bounds(self) -> tuple[int, int] | None:
        """0-100 % where the unit has fans."""
        return _FAN_BOUNDS if Capability.FAN_SPEED in self.capabilities else None

    @property
    def target_temperature_bounds(self) -> tuple[int, int] | None:
        """Up to the ``Hot`` temperature of the last ``tempctrl`` read (None until one)."""
        hot = as_float(first(unwrap(self.refresh.replies, "tempctrl"), "TEMPCTRL").get("Hot"))
        if hot is None or hot < _TARGET_FLOOR:
            return None
        return _TARGET_FLOOR, math.floor(hot)

    # --- commands ----------------------------------------------------------------------------

    power = Command("Power (Watts; PSU: read from the power supply).")
    profiles = Command("Autotuned profiles and their power.")
    fans = Command("Fan speeds and duty.")
    temps = Command("Board sensors, labelled in METADATA.")
    tempctrl = Command("Temperature thresholds.")
    groups = Command("Pool groups.")
    atm = Command("Advanced Thermal Management settings.")
    session = Command("The open session, if any.")
    logon = Command("Open a session.")

    # --- session and controls ----------------------------------------------------------------

    async def _session(self, *, renew: bool) -> tuple[str, bool]:
        """A valid session id, and whether this client opened it (``_control_lock`` held)."""
        if renew:
            self._session_id = None
        if self._session_id is not None:
            return self._session_id, False
        current = first(await before_control(self.session()), "SESSION").get("SessionID")
        opened = not current
        if opened:
            current = first(await before_control(self.logon()), "SESSION").get("SessionID")
        if not isinstance(current, str) or not current:
            raise APIRefusalError(f"{self.host}: LuxOS did not open a session")
        self._session_id = current
        return current, opened

    async def send_privileged_command(
        self, command: str, parameters: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        """``command`` with ``<session id>[,parameters]``; a stale session is renewed once; a
        session this call opened is closed afterwards. The next poll reads the settings."""
        return await self._privileged(command, parameters, logoff=True, **kwargs)

    async def _privileged(
        self, command: str, parameters: Any, *, logoff: bool, **kwargs: Any
    ) -> dict[str, Any]:
        """One control at a time: the session is the miner's one, opened and closed around
        each control this client starts."""
        async with self._control_lock:
            renew = False
            opened = False
            try:
                while True:
                    session_id, new = await self._session(renew=renew)
                    opened = opened or new
                    parameter = session_id if parameters is None else f"{session_id},{parameters}"
                    try:
                        return await self.send_command(command, parameter, **kwargs)
                    except APIRefusalError as err:
                        if renew or "session" not in str(err).lower():
                            raise
                        renew = True
            finally:
                self.refresh = self.refresh.soon()
                if opened and logoff:
                    await self._logoff()

    async def _logoff(self) -> None:
        """Close this client's session so that other tools can open theirs (a session left
        open expires by itself after a minute: a failed logoff does not fail the control)."""
        session_id, self._session_id = self._session_id, None
        with contextlib.suppress(APIError):
            await self.send_command("logoff", session_id)

    async def reboot(self) -> None:
        """``rebootdevice`` (the reboot ends the session); dropped or answered with nothing
        once sent, it is accepted (``errors.accept_dropped``)."""
        try:
            await accept_dropped(self._privileged("rebootdevice", None, logoff=False))
        finally:
            self._session_id = None
        self.forget_identity()

    async def restart_backend(self) -> None:
        """``resetminer``; dropped or answered with nothing once sent, it is accepted."""
        await accept_dropped(self.send_privileged_command("resetminer"))

    async def pause_mining(self) -> None:
        """``curtail`` sleep."""
        await self.send_privileged_command("curtail", "sleep")

    async def resume_mining(self) -> None:
        """``curtail`` wakeup."""
        await self.send_privileged_command("curtail", "wakeup")

    async def set_fault_light(self, on: bool) -> None:
        """``ledset`` red blink / off."""
        await self.send_privileged_command("ledset", "red,blink" if on else "red,off")

    async def set_power_limit(self, watts: int) -> None:
        """``profileset`` to the most powerful profile within ``watts`` (else the smallest)."""
        profiles = _profiles(await self.profiles())
        if not profiles:
            raise APIRefusalError(f"{self.host}: LuxOS reported no profiles")
        self.profile_watts = profiles
        self._check_power_limit(watts)
        fitting = [(power, name) for name, power in profiles.items() if power <= watts]
        _, name = max(fitting) if fitting else min((p, n) for n, p in profiles.items())
        await self.send_privileged_command("profileset", name)

    async def set_fan_speed(self, percent: int | None) -> None:
        """``fanset`` ``speed=<percent>``, or ``speed=-1`` for luxminer's automatic control."""
        if Capability.FAN_SPEED not in self.capabilities:
            raise self._unsupported("set the fan speed")
        if percent is not None:
            self._check_range("fan speed", percent, self.fan_speed_bounds, "%")
        speed = _FAN_AUTOMATIC if percent is None else int(percent)
        await self.send_privileged_command("fanset", f"speed={speed}")

    async def set_target_temperature(self, celsius: int) -> None:
        """``tempctrlset`` ``target_temp=<celsius>`` (hot and dangerous stay as they are)."""
        self._check_range("target temperature", celsius, self.target_temperature_bounds, "°C")
        await self.send_privileged_command("tempctrlset", f"target_temp={int(celsius)}")

    # --- polling -----------------------------------------------------------------------------

    async def _fetch_identity(self) -> MinerIdentity:
        try:
            replies = await self.multicommand("version", "config")
        except APIRefusalError:
            # Both refused: read again after the next refresh; the readings still come.
            return MinerIdentity()
        version = first(unwrap(replies, "version"), "VERSION")
        config = first(unwrap(replies, "config"), "CONFIG")
        make, model = split_make(text(version.get("Type")) or text(config.get("Model")))
        return MinerIdentity(
            make=make,
            model=model,
            firmware=text(version.get("Miner")) or text(version.get("LUXminer")),
            mac=lower_mac(config.get("MACAddr")),
            hostname=text(config.get("Hostname")),
            serial=text(config.get("SerialNumber")),
        )

    def steady_commands(self) -> tuple[str, ...]:
        """A unit with water sensors has its temps read every poll."""
        water = _sensors(unwrap(self.refresh.replies, "temps"), _WATER_INLET)
        return (*self.poll_commands, "temps") if water else self.poll_commands

    def _remember(self, replies: dict[str, Any], identity: MinerIdentity) -> None:
        """The rare replies when read, the fan slots spinning, and the profiles."""
        self.remember_refresh(replies)
        self.fan_memory = remember_fans(self.fan_memory, unwrap(replies, "stats"), identity)
        if profiles := _profiles(unwrap(replies, "profiles")):
            self.profile_watts = profiles
        if (fans := unwrap(replies, "fans")) is not None:
            self.has_fans = bool(section(fans, "FANS"))

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        replies = self.refresh.merged(replies)
        config = first(unwrap(replies, "config"), "CONFIG")
        profile = config.get("Profile")
        temps = unwrap(replies, "temps")
        data = map_antminer(
            replies,
            identity,
            self.fan_memory,
            power=as_float(first(unwrap(replies, "power"), "POWER").get("Watts")),
            power_limit=_profiles(unwrap(replies, "profiles")).get(profile)
            if isinstance(profile, str)
            else None,
            fault_light=_RED_LED.get(str(config.get("RedLed", "")).strip().lower()),
        )
        boards = _luxos_boards(data.boards, miner_stats(unwrap(replies, "stats")))
        fans = unwrap(replies, "fans")
        tempctrl = first(unwrap(replies, "tempctrl"), "TEMPCTRL")
        # The summary's session totals (its average, not the chains')
        session: dict[str, Any] = {**summary_counters(summary_of(replies))}
        return replace(
            data,
            boards=boards,
            temperature=max_of(board.temperature for board in boards),
            chip_temperature=max_of(board.chip_temperature for board in boards),
            fans=fan_list(fans) if section(fans, "FANS") else data.fans,
            inlet_temperature=_water(temps, _WATER_INLET),
            outlet_temperature=_water(temps, _WATER_OUTLET),
            target_temperature=temperature(tempctrl.get("Target"), positive=True),
            fan_auto=_FAN_MODES.get(str(tempctrl.get("Mode", "")).lower()),
            **session,
        )
