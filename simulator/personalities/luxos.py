"""LuxOS (LUXminer) on an Antminer S19j Pro.

Replies follow the stock Antminer layout (``stats`` chains, GH/s) but as valid JSON, joins
work, and LuxOS adds ``power``, ``profiles``, ``config`` (MAC, hostname, current profile),
``fans`` and session-protected controls: ``logon`` opens the one session (``session``
shows it), and ``curtail``, ``rebootdevice``, ``resetminer``, ``ledset`` and ``profileset``
take ``<session id>,<arguments>`` as their parameter. A wrong or expired session id is refused
with "Invalid session id".
"""

from __future__ import annotations

import secrets
import time
from typing import Any, ClassVar

from simulator.personality import Reply
from simulator.state import BoardState, MinerState, PoolState

from .bmminer import AntminerS19
from .cgminer import CGMinerPersonality

#: name -> watts; the autotuned profiles of an S19j Pro.
PROFILES = {"-2": 2600, "-1": 2900, "default": 3250, "+1": 3500, "+2": 3800}


class LuxOS(AntminerS19):
    """LUXminer 2024.5 on an S19j Pro (chains 1-3)."""

    name: ClassVar[str] = "luxos"
    family: ClassVar[str] = "luxos"
    has_web: ClassVar[bool] = False
    software: ClassVar[str] = "LUXminer"
    software_version: ClassVar[str] = "2024.5.1.155025-f5e4c9ee"
    api_version: ClassVar[str] = "3.7"
    description: ClassVar[str] = "LUXminer 2024.5.1.155025-f5e4c9ee"
    supports_multicommand: ClassVar[bool] = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """No session yet; the default profile."""
        super().__init__(*args, **kwargs)
        self.session_id = ""
        self.session_started = 0.0
        self.session_timeout = 900.0
        self.profile = "default"
        #: name -> watts the firmware offers now (a test may re-tune them).
        self.profiles: dict[str, float] = dict(PROFILES)
        self.reboot_seconds = 1.0

    @classmethod
    def initial_state(cls) -> MinerState:
        """Three S19j Pro boards (126 chips), four fans, the 3250 W default profile."""
        return MinerState(
            make="Antminer",
            model="S19j Pro",
            firmware=cls.software_version,
            mac="02:1c:05:00:00:01",
            hostname="luxos-miner",
            serial="LUXS19JPRO0001",
            nominal_power=3250.0,
            idle_power=20.0,
            power_limit=PROFILES["default"],
            boards=[
                BoardState(hashrate=34.0, temperature=60.0, chip_temperature=72.0, chips=126)
                for _ in range(3)
            ],
            fans=[4200, 4260, 4180, 4220],
            pools=[
                PoolState(
                    url="stratum+tcp://btc.luxor.tech:700",
                    user="luxor.worker1",
                    active=True,
                    accepted=7000,
                    rejected=8,
                )
            ],
        )

    def version_fields(self) -> dict[str, Any]:
        """LUXminer version and the model as ``Type``."""
        return {
            self.software: self.software_version,
            "API": self.api_version,
            "Type": f"{self.state.make} {self.state.model}",
        }

    def cmd_stats(self, parameter: str | None) -> Reply:
        """Valid JSON (no ``}{``, unlike stock bmminer)."""
        return CGMinerPersonality.cmd_stats(self, parameter)

    # --- LuxOS read commands -----------------------------------------------------------------

    def cmd_power(self, parameter: str | None) -> Reply:
        """Wall power estimate."""
        watts = round(self.state.current_power())
        return self.ok(300, "Power", "POWER", [{"Watts": watts, "PSU": True}])

    def cmd_profiles(self, parameter: str | None) -> Reply:
        """The autotuned profiles."""
        items = [
            {
                "Profile Name": name,
                "Watts": watts,
                "Hashrate": round(self.state.nominal_hashrate * watts / 3250, 2),
                "Frequency": 500 + 25 * index,
                "Voltage": 13.2 + 0.2 * index,
                "Step": str(index - 2),
                "IsTuned": True,
                "IsDynamic": False,
            }
            for index, (name, watts) in enumerate(self.profiles.items())
        ]
        return self.ok(301, "Profiles", "PROFILES", items)

    def cmd_config(self, parameter: str | None) -> Reply:
        """Identity, current profile and curtail state."""
        item = {
            "ASC Count": len(self.state.boards),
            "Profile": self.profile,
            "MACAddr": self.state.mac.upper(),
            "Hostname": self.state.hostname,
            "SerialNumber": self.state.serial,
            "IsAtmEnabled": False,
            "CurtailMode": "Sleep" if self.state.paused else "None",
            "RedLed": "blink" if self.state.fault_light else "off",
        }
        return self.ok(33, "LUXminer config", "CONFIG", [item])

    def cmd_fans(self, parameter: str | None) -> Reply:
        """Fan speeds."""
        items = [
            {"ID": index, "RPM": self.state.fan_rpm(index), "Speed": 45}
            for index in range(len(self.state.fans))
        ]
        return self.ok(302, f"{len(items)} Fan(s)", "FANS", items)

    def cmd_session(self, parameter: str | None) -> Reply:
        """The open session's id, empty when none."""
        self._expire_session()
        return self.ok(303, "Session", "SESSION", [{"SessionID": self.session_id}])

    def cmd_logon(self, parameter: str | None) -> Reply:
        """Open the session; refused while another one is open."""
        self._expire_session()
        if self.session_id:
            return self.error(304, "Another session is active")
        self.session_id = secrets.token_hex(4)
        self.session_started = time.monotonic()
        return self.ok(305, "Session created", "SESSION", [{"SessionID": self.session_id}])

    def cmd_logoff(self, parameter: str | None) -> Reply:
        """Close the session."""
        if self._session_args(parameter) is None:
            return self.error(306, "Invalid session id")
        self.session_id = ""
        return self.ok(307, "Session closed")

    # --- session-protected controls ----------------------------------------------------------

    def _expire_session(self) -> None:
        if self.session_id and time.monotonic() - self.session_started > self.session_timeout:
            self.session_id = ""

    def _session_args(self, parameter: str | None) -> list[str] | None:
        """The arguments after a valid session id, or None when the id is wrong."""
        self._expire_session()
        parts = (parameter or "").split(",")
        if not self.session_id or parts[0] != self.session_id:
            return None
        return parts[1:]

    def cmd_curtail(self, parameter: str | None) -> Reply:
        """``<sid>,sleep`` stops hashing, ``<sid>,wakeup`` resumes."""
        args = self._session_args(parameter)
        if args is None:
            return self.error(306, "Invalid session id")
        if args[:1] == ["sleep"]:
            self.state.paused = True
        elif args[:1] == ["wakeup"]:
            self.state.paused = False
        else:
            return self.error(308, "Invalid curtail mode")
        return self.ok(309, f"Curtail {args[0]}")

    def cmd_rebootdevice(self, parameter: str | None) -> Reply:
        """Reboot the control board after answering."""
        if self._session_args(parameter) is None:
            return self.error(306, "Invalid session id")
        self.session_id = ""
        self.sim.reboot(self.reboot_seconds)
        return self.ok(310, "Rebooting")

    def cmd_resetminer(self, parameter: str | None) -> Reply:
        """Restart LUXminer (uptime starts again)."""
        if self._session_args(parameter) is None:
            return self.error(306, "Invalid session id")
        self.state.reset_uptime()
        return self.ok(311, "Resetting miner")

    def cmd_ledset(self, parameter: str | None) -> Reply:
        """``<sid>,red,blink`` or ``<sid>,red,off``."""
        args = self._session_args(parameter)
        if args is None:
            return self.error(306, "Invalid session id")
        self.state.fault_light = args[1:2] == ["blink"]
        return self.ok(312, "LED set")

    def cmd_profileset(self, parameter: str | None) -> Reply:
        """``<sid>,<profile>``: the profile's power becomes the limit."""
        args = self._session_args(parameter)
        if args is None:
            return self.error(306, "Invalid session id")
        if not args or args[0] not in self.profiles:
            return self.error(313, f"Invalid profile {args[0] if args else ''}")
        self.profile = args[0]
        self.state.power_limit = round(self.profiles[args[0]])
        return self.ok(314, f"Profile {args[0]} set")
