"""LuxOS (LUXminer), the Luxor firmware for Antminers.

One poll is ``summary+pools+stats+power+config+profiles`` in one request. Hash boards,
temperatures, fans and the expected hashrate come from ``stats``, which LuxOS writes as stock
Antminer firmware does (read by ``antminer_stats``, the same functions bmminer uses; LuxOS is
not bmminer and never touches the stock web interface). LuxOS adds:

- ``power``: ``Watts`` → power;
- ``config``: ``Profile`` (the current one) → power limit = that profile's ``Watts`` in
  ``profiles``; ``RedLed`` (``blink``/``off``) → fault light; ``MACAddr``, ``Hostname``,
  ``SerialNumber`` → identity;
- ``version``: ``LUXminer`` → firmware, ``Type`` (``Antminer S19j Pro``) → make and model.

The profiles of the last poll that listed any are kept (``profile_watts``): they bound
``set_power_limit``.

Controls need a session: ``session`` shows the open one, else ``logon`` opens it; the id is
cached and renewed once when the miner calls it invalid. ``curtail`` sleep/wakeup (pause,
resume), ``rebootdevice``, ``resetminer`` (restart LUXminer), ``ledset`` (red blink/off) and
``profileset`` (power limit: the largest profile within the requested watts).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
import math
from typing import Any, Final

from .antminer_stats import FanMemory, map_antminer, remember_fans
from .base import Command
from .cgminer import CGMinerAPI
from .decoding import as_float
from .errors import APIRefusalError
from .mapping import first, lower_mac, section, split_make, text, unwrap
from .models import CLASSIC_CONTROLS, Capability, MinerData, MinerIdentity

#: ``RedLed`` values that mean the LED is off.
_LED_OFF: Final = frozenset({"off", ""})


def _profiles(reply: dict[str, Any] | None) -> dict[str, float]:
    """profile name -> watts."""
    result: dict[str, float] = {}
    for entry in section(reply, "PROFILES"):
        name = entry.get("Profile Name")
        watts = as_float(entry.get("Watts"))
        if isinstance(name, str) and watts is not None:
            result[name] = watts
    return result


class LuxOSAPI(CGMinerAPI):
    """LuxOS on Antminer hardware."""

    family = "luxos"
    reports_errors = True  # chains with chips that stopped answering, as on stock firmware
    poll_commands = ("summary", "pools", "stats", "power", "config", "profiles")
    #: Session-protected controls over the API itself (no web password needed).
    controls = CLASSIC_CONTROLS - {Capability.WORK_MODE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """As ``BaseMinerAPI``; no password (LuxOS controls use a session instead)."""
        super().__init__(*args, **kwargs)
        self._session_id: str | None = None
        self._session_lock = asyncio.Lock()
        #: The fan slots of this miner that have spun (kept between polls, see _remember).
        self.fan_memory = FanMemory()
        #: Profile name -> watts, from the last reply that listed any (bounds the power limit).
        self.profile_watts: Mapping[str, float] = {}

    # --- what this family can do -------------------------------------------------------------

    @property
    def power_limit_bounds(self) -> tuple[int, int] | None:
        """Whole watts within the smallest and largest profile of the last poll that listed
        any (None until then); ``set_power_limit`` maps a value to a profile."""
        if not self.profile_watts:
            return None
        watts = self.profile_watts.values()
        return math.ceil(min(watts)), math.floor(max(watts))

    # --- commands ----------------------------------------------------------------------------

    power = Command("Wall power.")
    profiles = Command("Autotuned profiles and their power.")
    fans = Command("Fan speeds.")
    session = Command("The open session, if any.")
    logon = Command("Open a session.")

    # --- session and controls ----------------------------------------------------------------

    async def _session(self, *, renew: bool) -> str:
        async with self._session_lock:
            if renew:
                self._session_id = None
            if self._session_id is None:
                current = first(await self.session(), "SESSION").get("SessionID")
                if not current:
                    current = first(await self.logon(), "SESSION").get("SessionID")
                if not isinstance(current, str) or not current:
                    raise APIRefusalError(f"{self.host}: LuxOS did not open a session")
                self._session_id = current
            return self._session_id

    async def send_privileged_command(
        self, command: str, parameters: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        """``command`` with ``<session id>[,parameters]``; a stale session is renewed once."""
        renew = False
        while True:
            session_id = await self._session(renew=renew)
            parameter = session_id if parameters is None else f"{session_id},{parameters}"
            try:
                return await self.send_command(command, parameter, **kwargs)
            except APIRefusalError as err:
                if renew or "session" not in str(err).lower():
                    raise
                renew = True

    async def reboot(self) -> None:
        """``rebootdevice``."""
        await self.send_privileged_command("rebootdevice")
        self._session_id = None
        self.forget_identity()

    async def restart_backend(self) -> None:
        """``resetminer``."""
        await self.send_privileged_command("resetminer")

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

    # --- polling -----------------------------------------------------------------------------

    async def _fetch_identity(self) -> MinerIdentity:
        replies = await self.multicommand("version", "config")
        version = first(unwrap(replies, "version"), "VERSION")
        config = first(unwrap(replies, "config"), "CONFIG")
        make, model = split_make(text(version.get("Type")))
        return MinerIdentity(
            make=make,
            model=model,
            firmware=text(version.get("LUXminer")),
            mac=lower_mac(config.get("MACAddr")),
            hostname=text(config.get("Hostname")),
            serial=text(config.get("SerialNumber")),
        )

    def _remember(self, replies: dict[str, Any], identity: MinerIdentity) -> None:
        """The fan slots spinning in this poll, and the profiles when the poll listed any."""
        self.fan_memory = remember_fans(self.fan_memory, unwrap(replies, "stats"), identity)
        if profiles := _profiles(unwrap(replies, "profiles")):
            self.profile_watts = profiles

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        config = first(unwrap(replies, "config"), "CONFIG")
        profile = config.get("Profile")
        led = config.get("RedLed")
        return map_antminer(
            replies,
            identity,
            self.fan_memory,
            power=as_float(first(unwrap(replies, "power"), "POWER").get("Watts")),
            power_limit=_profiles(unwrap(replies, "profiles")).get(profile)
            if isinstance(profile, str)
            else None,
            fault_light=None if led is None else str(led).strip().lower() not in _LED_OFF,
        )
