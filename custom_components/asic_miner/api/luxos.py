"""LuxOS (LUXminer), the Luxor firmware for Antminers.

One poll is ``summary+pools+stats+power+config+profiles`` in one request. Hash boards,
temperatures, fans and the expected hashrate come from ``stats`` exactly as on stock
Antminer firmware (see ``bmminer``); LuxOS adds:

- ``power``: ``Watts`` → power;
- ``config``: ``Profile`` (the current one) → power limit = that profile's ``Watts`` in
  ``profiles``; ``MACAddr``, ``Hostname``, ``SerialNumber`` → identity;
- ``version``: ``LUXminer`` → firmware, ``Type`` (``Antminer S19j Pro``) → make and model.

Controls need a session: ``session`` shows the open one, else ``logon`` opens it; the id is
cached and renewed once when the miner calls it invalid. ``curtail`` sleep/wakeup (pause,
resume), ``rebootdevice``, ``resetminer`` (restart LUXminer), ``ledset`` (red blink/off) and
``profileset`` (power limit: the largest profile within the requested watts).
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
from typing import Any, Final

from .base import api_command
from .bmminer import BMMinerAPI
from .cgminer import efficiency, first, section, unwrap
from .decoding import as_float
from .errors import APIError
from .models import Capability, MinerData, MinerIdentity

_MAKES: Final = ("Antminer", "Whatsminer", "Avalon")
_CAPABILITIES: Final = frozenset(
    {
        Capability.REBOOT,
        Capability.RESTART_BACKEND,
        Capability.PAUSE_RESUME,
        Capability.POWER_LIMIT,
        Capability.FAULT_LIGHT,
    }
)


def _profiles(reply: dict[str, Any] | None) -> dict[str, float]:
    """profile name -> watts."""
    result: dict[str, float] = {}
    for entry in section(reply, "PROFILES"):
        name = entry.get("Profile Name")
        watts = as_float(entry.get("Watts"))
        if isinstance(name, str) and watts is not None:
            result[name] = watts
    return result


class LuxOSAPI(BMMinerAPI):
    """LuxOS on Antminer hardware."""

    family = "luxos"
    make = None
    poll_commands = ("summary", "pools", "stats", "power", "config", "profiles")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """As ``BaseMinerAPI``; no password (LuxOS controls use a session instead)."""
        super().__init__(*args, **kwargs)
        self._session_id: str | None = None
        self._session_lock = asyncio.Lock()
        self._known_profiles: dict[str, float] = {}
        self._fault_light: bool | None = None

    # --- what this family can do -------------------------------------------------------------

    @property
    def capabilities(self) -> frozenset[Capability]:
        """Session-protected controls over the API itself (no web password needed)."""
        return _CAPABILITIES

    @property
    def work_modes(self) -> tuple[str, ...]:
        """LuxOS has profiles (power limit) rather than work modes."""
        return ()

    @property
    def power_limit_bounds(self) -> tuple[int, int] | None:
        """Whole watts within the smallest and largest profile of the last poll that listed
        any (None until then); ``set_power_limit`` maps a value to a profile."""
        if not self._known_profiles:
            return None
        watts = self._known_profiles.values()
        return math.ceil(min(watts)), math.floor(max(watts))

    async def check_password(self) -> None:
        """Nothing to check: LuxOS controls use a session opened without a password."""
        return

    # --- commands ----------------------------------------------------------------------------

    @api_command
    async def power(self) -> dict[str, Any]:
        """Wall power."""
        return await self.send_command("power")

    @api_command
    async def profiles(self) -> dict[str, Any]:
        """Autotuned profiles and their power."""
        return await self.send_command("profiles")

    @api_command
    async def fans(self) -> dict[str, Any]:
        """Fan speeds."""
        return await self.send_command("fans")

    @api_command
    async def session(self) -> dict[str, Any]:
        """The open session, if any."""
        return await self.send_command("session")

    @api_command
    async def logon(self) -> dict[str, Any]:
        """Open a session."""
        return await self.send_command("logon")

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
                    raise APIError(f"{self.ip}: LuxOS did not open a session")
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
            except APIError as err:
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
        self._fault_light = on

    async def set_power_limit(self, watts: int) -> None:
        """``profileset`` to the most powerful profile within ``watts`` (else the smallest)."""
        profiles = _profiles(await self.profiles())
        if not profiles:
            raise APIError(f"{self.ip}: LuxOS reported no profiles")
        self._known_profiles = profiles
        self._check_power_limit(watts)
        fitting = [(power, name) for name, power in profiles.items() if power <= watts]
        _, name = max(fitting) if fitting else min((p, n) for n, p in profiles.items())
        await self.send_privileged_command("profileset", name)

    async def set_work_mode(self, mode: str) -> None:
        """No work modes on LuxOS (use the power limit)."""
        raise self._unsupported("set a work mode")

    # --- polling -----------------------------------------------------------------------------

    async def _fetch_identity(self) -> MinerIdentity:
        replies = await self.multicommand("version", "config")
        version = first(unwrap(replies, "version"), "VERSION")
        config = first(unwrap(replies, "config"), "CONFIG")

        def text(source: dict[str, Any], key: str) -> str | None:
            value = source.get(key)
            return str(value) if value not in (None, "") else None

        make: str | None = None
        model = text(version, "Type")
        if model is not None:
            head, _, rest = model.partition(" ")
            if head in _MAKES and rest:
                make, model = head, rest
        mac = text(config, "MACAddr")
        return MinerIdentity(
            make=make,
            model=model,
            firmware=text(version, "LUXminer"),
            mac=mac.lower() if mac else None,
            hostname=text(config, "Hostname"),
            serial=text(config, "SerialNumber"),
        )

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        data = super()._map(replies, identity)
        power = as_float(first(unwrap(replies, "power"), "POWER").get("Watts"))
        profiles = _profiles(unwrap(replies, "profiles"))
        if profiles:
            self._known_profiles = profiles
        profile = first(unwrap(replies, "config"), "CONFIG").get("Profile")
        return dataclasses.replace(
            data,
            power=power,
            power_limit=profiles.get(profile) if isinstance(profile, str) else None,
            efficiency=efficiency(power, data.hashrate),
            fault_light=self._fault_light,
        )
