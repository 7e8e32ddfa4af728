"""``Miner``: the one interface the integration depends on for "a miner".

Whatever a firmware speaks (the CGMiner TCP API through ``BaseMinerAPI``, or HTTP only), a
client is a ``Miner``: where it is, who it is (``get_identity``), one poll (``get_data`` →
``MinerData``), what it can do (``capabilities``, ``work_modes``, ``power_limit_bounds``), the
controls (``APIUnsupportedError`` unless the family has them), the raw replies of the last poll
for diagnostics, and ``close``.

A poll flows one way: ``_poll`` (I/O: the replies) → ``_remember`` (the one step that updates
what the client keeps between polls, such as the fan slots that have spun) → ``_map`` (pure:
replies + identity → ``MinerData``) → rounding. A family implements ``_fetch_identity``,
``_poll`` and ``_map``, and ``_remember`` when it keeps state.

The client owns the identity: it is read once, cached, and read again by the client itself
when the uptime shows a restart or another miner (see ``identity``), so callers never manage
it. Exchanges with one miner go one at a time (``device_lock``), TCP and HTTP alike.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
import asyncio
from dataclasses import replace
import time
from typing import TYPE_CHECKING, Any, ClassVar, Self, overload

from .errors import APIConnectionError, APIDecodeError, APIError, APIUnsupportedError
from .identity import UptimeWatch, another_machine
from .limits import DEFAULT_MAX_BYTES, Limits
from .models import Capability, MinerData, MinerIdentity, rounded
from .redact import POOL_SECRETS, redacted

if TYPE_CHECKING:
    import aiohttp


class _Bound[T]:
    """A settable attribute that reads and replaces one field of the client's ``limits``."""

    def __init__(self, field: str) -> None:
        self._field = field

    @overload
    def __get__(self, miner: None, owner: type) -> Self: ...

    @overload
    def __get__(self, miner: Miner, owner: type) -> T: ...

    def __get__(self, miner: Miner | None, owner: type) -> Self | T:
        if miner is None:
            return self
        value: T = getattr(miner.limits, self._field)
        return value

    def __set__(self, miner: Miner, value: T) -> None:
        changes: dict[str, Any] = {self._field: value}
        miner.limits = replace(miner.limits, **changes)


class Miner(ABC):
    """One miner, whatever it speaks."""

    #: The family name stored in a config entry (``api_class`` builds it back).
    family: ClassVar[str] = "miner"
    #: The brand, when the family alone tells it.
    make: ClassVar[str | None] = None
    #: Whether ``get_data`` reads an error source of the firmware into ``MinerData.errors``;
    #: without one, an empty list means "not reported", not "no errors".
    reports_errors: ClassVar[bool] = False
    #: The family's controls, its work modes and its power-limit range, where they do not
    #: depend on the configuration or the miner (else the properties below are overridden).
    controls: ClassVar[frozenset[Capability]] = frozenset()
    modes: ClassVar[tuple[str, ...]] = ()
    power_limits: ClassVar[tuple[int, int] | None] = None
    #: Keys whose values never reach ``last_replies`` (``redact.redacted``): pool logins on
    #: every firmware; a family adds its own secrets.
    secret_keys: ClassVar[frozenset[str]] = POOL_SECRETS

    def __init__(
        self,
        host: str,
        port: int,
        *,
        password: str | None = None,
        web_port: int = 80,
        connect_timeout: float = 3.0,
        timeout: float = 10.0,
        max_reply_bytes: int = DEFAULT_MAX_BYTES,
        web_session: aiohttp.ClientSession | None = None,
    ) -> None:
        """Store where and how to reach the miner; nothing is sent yet.

        ``web_session`` is the HTTP session for web requests (Home Assistant's shared one);
        without one the client opens short-lived sessions of its own.
        """
        self.host = host
        self.port = port
        self.password = password
        self.web_port = web_port
        self.web_session = web_session
        self.limits = Limits(
            connect_timeout=connect_timeout, timeout=timeout, max_bytes=max_reply_bytes
        )
        #: Raw decoded replies of the last poll, for diagnostics, secrets replaced
        #: (``secret_keys``).
        self.last_replies: dict[str, Any] = {}
        #: Held around every exchange with this miner: never two connections at once.
        self.device_lock = asyncio.Lock()
        self._identity: MinerIdentity | None = None
        self._identity_lock = asyncio.Lock()
        self._uptime = UptimeWatch()
        #: Read the identity again at the next poll (the last re-read found another machine).
        self._confirm_identity = False

    def __repr__(self) -> str:
        """Class and address, for logs (never the password)."""
        return f"{type(self).__name__}({self.host}:{self.port})"

    # --- bounds (settable; each exchange reads them when it starts) ----------------------------

    #: Seconds to get a connection.
    connect_timeout = _Bound[float]("connect_timeout")
    #: Seconds one exchange may take once connected.
    timeout = _Bound[float]("timeout")
    #: Bytes one reply may have.
    max_reply_bytes = _Bound[int]("max_bytes")

    # --- what this miner can do --------------------------------------------------------------

    @property
    def capabilities(self) -> frozenset[Capability]:
        """Controls this miner can perform; the integration offers only these."""
        return self.controls

    @property
    def ruled_out(self) -> frozenset[Capability]:
        """Controls this unit was found never to have (its firmware generation), as opposed
        to one missing for a reason of the moment: a control entity of these can go."""
        return frozenset()

    @property
    def work_modes(self) -> tuple[str, ...]:
        """Work modes ``set_work_mode`` accepts; empty when the firmware has none."""
        return self.modes

    @property
    def power_limit_bounds(self) -> tuple[int, int] | None:
        """(min, max) watts ``set_power_limit`` accepts, when the firmware has a limit."""
        return self.power_limits

    @property
    def work_levels(self) -> tuple[str, ...]:
        """Work levels ``set_work_level`` accepts (Avalon: super, eco); empty without."""
        return ()

    @property
    def power_presets(self) -> tuple[str, ...]:
        """Power presets ``set_power_preset`` accepts (VNish autotune presets); empty without."""
        return ()

    @property
    def fan_speed_bounds(self) -> tuple[int, int] | None:
        """(min, max) % ``set_fan_speed`` accepts for a manual fan duty."""
        return None

    @property
    def target_temperature_bounds(self) -> tuple[int, int] | None:
        """(min, max) °C ``set_target_temperature`` accepts."""
        return None

    @property
    def frequency_options(self) -> tuple[int, ...]:
        """ASIC frequencies (MHz) ``set_frequency`` accepts, as the device lists them."""
        return ()

    @property
    def core_voltage_options(self) -> tuple[int, ...]:
        """ASIC core voltages (mV) ``set_core_voltage`` accepts, as the device lists them."""
        return ()

    # --- identity ----------------------------------------------------------------------------

    @property
    def identity(self) -> MinerIdentity | None:
        """The cached identity (None until read)."""
        return self._identity

    async def get_identity(self) -> MinerIdentity:
        """Model, firmware, MAC, hostname, serial: read once, then cached."""
        if self._identity is None:
            async with self._identity_lock:
                if self._identity is None:
                    self._identity = await self._fetch_identity()
        return self._identity

    def forget_identity(self) -> None:
        """Drop the cached identity; the next poll reads it again (after a control that
        restarts the miner; polls notice restarts by themselves)."""
        self._identity = None

    async def _read_identity_again(self) -> MinerIdentity:
        """The identity read again; when that fails the previous one stays, and is read
        again at the next poll."""
        old = self._identity
        self._identity = None
        try:
            new = await self.get_identity()
        except APIError:
            self._identity = old
            self._confirm_identity = True
            raise
        self._confirm_identity = another_machine(old, new)
        return new

    @abstractmethod
    async def _fetch_identity(self) -> MinerIdentity:
        """Ask the miner who it is (family-specific)."""

    def _identity_incomplete(self, data: MinerData) -> bool:
        """Whether the identity was read in a state that hides part of it (read it again)."""
        return False

    # --- polling -----------------------------------------------------------------------------

    async def get_data(self) -> MinerData:
        """One poll, normalised and rounded (``models.rounded``).

        When the uptime shows a restart or another miner, the identity is read again and the
        same replies are mapped with it (when that read fails for want of an answer, with the
        previous identity, once: read again at the next poll, which fails if it fails again);
        ``last_replies`` keeps the raw replies without their secrets (``secret_keys``).
        """
        fresh = self._identity is None
        identity = await self.get_identity()
        replies = await self._poll()
        self.last_replies = redacted(replies, self.secret_keys)
        self._remember(replies, identity)
        data = self._map(replies, identity)
        same_run = self._uptime.same_run(data.uptime, time.monotonic())
        if not fresh and (not same_run or self._confirm_identity):
            unconfirmed = self._confirm_identity
            try:
                identity = await self._read_identity_again()
            except APIConnectionError, APIDecodeError:
                # A miner still starting: this poll's readings count under the identity
                # known, once. Unconfirmed a second time, they may be another machine's (a
                # DHCP reshuffle): no data then. A refused password or anything else is
                # raised at once (reauthentication), never hidden behind old readings.
                if unconfirmed:
                    raise
            else:
                self._remember(replies, identity)
                data = self._map(replies, identity)
        if self._identity_incomplete(data):
            self.forget_identity()
        return rounded(data)

    @abstractmethod
    async def _poll(self) -> dict[str, Any]:
        """The raw replies of one poll (family-specific I/O)."""

    def _remember(self, replies: dict[str, Any], identity: MinerIdentity) -> None:
        """Update what the client keeps between polls from this poll's replies (the only step
        of a poll that writes state; ``_map`` reads it). Nothing to keep by default."""
        return

    @abstractmethod
    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        """Map one poll's replies to ``MinerData`` (family-specific, no side effects)."""

    # --- credentials -------------------------------------------------------------------------

    async def check_password(self) -> None:
        """Verify the configured password with the family's cheapest privileged round-trip.

        Raises ``APIAuthError`` (wrong password), ``APIPrivilegeDisabledError`` (privileged
        API locked) or ``APIConnectionError``; returns quietly for families without a password
        and when none is configured, so a config flow can call it unconditionally.
        """
        return

    # --- controls ----------------------------------------------------------------------------

    def _unsupported(self, action: str) -> APIUnsupportedError:
        return APIUnsupportedError(f"{type(self).__name__} ({self.family}) cannot {action}")

    async def reboot(self) -> None:
        """Reboot the whole miner."""
        raise self._unsupported("reboot")

    async def restart_backend(self) -> None:
        """Restart the mining software only."""
        raise self._unsupported("restart the mining software")

    async def pause_mining(self) -> None:
        """Stop hashing (the miner stays reachable)."""
        raise self._unsupported("pause mining")

    async def resume_mining(self) -> None:
        """Resume hashing after ``pause_mining``."""
        raise self._unsupported("resume mining")

    async def set_power_limit(self, watts: int) -> None:
        """Limit the miner's power draw."""
        raise self._unsupported("set a power limit")

    async def set_fault_light(self, on: bool) -> None:
        """Switch the locate/fault LED."""
        raise self._unsupported("switch the fault light")

    async def set_display(self, on: bool) -> None:
        """Switch the unit's own screen on or off (``Capability.DISPLAY``)."""
        raise self._unsupported("switch the display")

    async def set_work_mode(self, mode: str) -> None:
        """Select one of ``work_modes``."""
        raise self._unsupported("set a work mode")

    async def identify(self) -> None:
        """Make the miner show itself for a while; it stops by itself (``IDENTIFY``)."""
        raise self._unsupported("identify itself")

    async def set_work_level(self, level: str) -> None:
        """Select one of ``work_levels``."""
        raise self._unsupported("set a work level")

    async def set_power_preset(self, preset: str) -> None:
        """Select one of ``power_presets``."""
        raise self._unsupported("select a power preset")

    async def set_fan_speed(self, percent: int | None) -> None:
        """Run the fans at ``percent`` % (manual), or under automatic control when None."""
        raise self._unsupported("set the fan speed")

    async def set_target_temperature(self, celsius: int) -> None:
        """Set the temperature the firmware's control aims at."""
        raise self._unsupported("set a target temperature")

    async def set_frequency(self, mhz: int) -> None:
        """Set the ASIC frequency, one of ``frequency_options``."""
        raise self._unsupported("set the ASIC frequency")

    async def set_core_voltage(self, millivolts: int) -> None:
        """Set the ASIC core voltage, one of ``core_voltage_options``."""
        raise self._unsupported("set the ASIC core voltage")

    def _check_choice(self, what: str, value: object, allowed: tuple[object, ...]) -> None:
        """ValueError naming the allowed values when ``value`` is not one of them."""
        if value not in allowed:
            choices = ", ".join(str(choice) for choice in allowed)
            raise ValueError(f"unknown {what} {value!r}; expected one of {choices}")

    def _check_range(
        self, what: str, value: int, bounds: tuple[int, int] | None, unit: str
    ) -> None:
        """ValueError naming the range when ``value`` is outside ``bounds``."""
        if bounds is not None and not bounds[0] <= value <= bounds[1]:
            raise ValueError(f"{what} {value} {unit} outside {bounds[0]}-{bounds[1]} {unit}")

    def _check_work_mode(self, mode: str) -> None:
        if mode not in self.work_modes:
            raise ValueError(f"unknown work mode {mode!r}; expected one of {self.work_modes}")

    def _check_power_limit(self, watts: int) -> None:
        self._check_range("power limit", watts, self.power_limit_bounds, "W")

    async def close(self) -> None:
        """Release what the client holds open (sessions it opened itself); idempotent."""
        return
