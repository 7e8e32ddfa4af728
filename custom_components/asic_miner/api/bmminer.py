"""Stock Bitmain Antminer firmware (bmminer): S19, S9, T17, S21 and relatives.

Detected by what the miner says (``detect.identify_family``): ``version`` with a ``BMMiner`` or
(2022+ firmware, "cgminer 1.0.0") ``CGMiner`` key and ``Type "Antminer …"`` without another
firmware's name.

One steady poll is one request, ``stats`` (``CGMinerAPI``'s plan for the Antminer layout): it
holds ``GHS 5s`` (the hashrate), ``GHS av`` (the average), ``Elapsed``, the chains, fans and the
ideal hashrate, read by ``antminer_stats``. ``summary`` (shares, best share, blocks) and
``pools`` are read on the first poll, after a restart and every ``refresh.REFRESH_SECONDS``.
The S19 refuses joined commands: the client learns it on the first poll and asks one command
per request. No power reading exists in the stock API: power and efficiency are ``None``.
``Mode`` 254 in ``stats`` is sleep (a sleeping T17+): not mining, work mode ``sleep``.

The web interface (``antminer_web``, digest auth, user ``root``):

- identity: ``get_system_info.cgi`` gives MAC, hostname, serial and the firmware build; with
  the configured password, else with the factory one (``root``), tried once per identity read,
  read-only: an answer to the factory password serves the identity only, never a control, and
  neither it nor its refusal is logged. Without any, the identity is the API's (``Type``,
  ``CompileTime`` as firmware, ``stats`` ``miner_id``), and it is read again every
  ``refresh.REFRESH_SECONDS`` (``identity_retry``) until the web interface shows the MAC.
- with the configured password, the work mode (``get_miner_conf.cgi``, ``miner-mode`` or
  older ``bitmain-work-mode``) and the locate LED (``get_blink_status.cgi``) are read on the
  first poll, after a control, when the hashrate falls to 0 or comes back, after a restart and
  every ``refresh.REFRESH_SECONDS`` (``web_refresh``), after the API request, never at the same
  time; in between, the last readings stand. ``is_mining`` is "not asleep" then (boards hash
  nothing for minutes after a wake-up), else "hashrate above 0". A failed web reading leaves
  them unknown and never fails the poll. ``bitmain-fan-ctrl``/``bitmain-fan-pwm`` say whether
  the fans run automatically, and the manual duty.
- controls (reboot, sleep and wake, work modes, locate LED) exist only there, so
  ``capabilities`` is empty without a configured password. Sleep and work modes write
  ``set_miner_conf.cgi`` as JSON, which only the S19 generation takes (its configuration holds
  ``miner-mode`` or ``bitmain-pwth``); the S9 generation's script reads ``_ant_*`` form fields
  by position and would write a JSON body out as its pools, so once the configuration read
  is that old one, neither is offered and neither is ever written (reboot and the LED stay). Modes: normal, low (power) and,
  once the miner was seen in it, high (code 2; no public list says which models have it);
  sleep is the mining switch. Waking restores the mode the miner was in before it slept, as
  far as this client saw it (else normal). ``set_miner_conf.cgi`` answers after 20-30 s:
  that one request has its own bound (``antminer_web.SET_CONF_TIMEOUT``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
import time
from typing import Any, ClassVar, Final

from .antminer_stats import SLEEP_MODE, StatsHeader, miner_stats, split_type
from .antminer_web import AntminerWebClient
from .cgminer import ANTMINER, CGMinerAPI, uptime_of
from .decoding import as_int
from .errors import APIAuthError, APIError, APIRefusalError
from .mapping import as_dict, flag, lower_mac, rate_ths, text, unwrap
from .models import CLASSIC_CONTROLS, Capability, MinerData, MinerIdentity
from .refresh import REFRESHED, Refresh

#: Work-mode codes of ``miner-mode`` / ``bitmain-work-mode`` (asic-rs, pyasic, foreman).
_WORK_MODE_CODES: Final = {"normal": 0, "sleep": 1, "high": 2, "low": 3}
_WORK_MODE_NAMES: Final = {str(code): name for name, code in _WORK_MODE_CODES.items()}
#: The configuration keys holding the work mode: newer firmware, then older.
_MODE_KEYS: Final = ("miner-mode", "bitmain-work-mode")
#: Keys only the configuration of firmware taking a JSON ``set_miner_conf.cgi`` holds (S19
#: generation; Foreman tells the generations apart by ``bitmain-pwth``). The S9 generation's
#: script reads positional ``_ant_*`` form fields and writes a JSON body out as the first
#: pool's URL: it must never get one.
_JSON_CONF_KEYS: Final = ("miner-mode", "bitmain-pwth")
#: What ``get_miner_conf.cgi`` keeps in ``last_replies`` (never the pools: they hold secrets).
_CONF_READINGS: Final = (*_MODE_KEYS, "bitmain-fan-ctrl", "bitmain-fan-pwm")
#: The key of ``last_replies[MINER_CONF]`` saying how this firmware takes a configuration:
#: ``"json"`` or ``"form"`` (the old generation, which this client never writes to).
CONF_KIND: Final = "set_miner_conf"
#: The controls that write the configuration.
_CONF_CONTROLS: Final = frozenset({Capability.WORK_MODE, Capability.PAUSE_RESUME})
#: Keys of the web readings in ``last_replies``.
MINER_CONF: Final = "get_miner_conf"
BLINK: Final = "get_blink_status"
#: The factory web password, for the read-only identity when none is configured.
FACTORY_PASSWORD: Final = "root"  # noqa: S105  # Bitmain's documented default, no secret
#: What the web interface can do (no power limit, no separate restart of bmminer).
_WEB_CONTROLS: Final = CLASSIC_CONTROLS - {Capability.POWER_LIMIT, Capability.RESTART_BACKEND}


def mode_name(conf: dict[str, Any]) -> str | None:
    """The work mode a ``get_miner_conf.cgi`` reply is in (``miner-mode``, else
    ``bitmain-work-mode``); None for a code no public source names."""
    for key in _MODE_KEYS:
        if key in conf:
            return _WORK_MODE_NAMES.get(str(conf[key]).strip())
    return None


def takes_json(conf: dict[str, Any]) -> bool:
    """Whether the firmware that wrote this ``get_miner_conf.cgi`` reply takes a JSON
    ``set_miner_conf.cgi`` (S19 generation), not the old ``_ant_*`` form (S9 generation)."""
    return any(key in conf for key in _JSON_CONF_KEYS)


def conf_with_mode(conf: dict[str, Any], mode: str) -> dict[str, Any]:
    """The body of ``set_miner_conf.cgi`` that sets ``mode``, as the firmware's own page posts
    it (asic-rs): fan control, fan duty, frequency level and pools as read, and the mode under
    both keys. ``APIRefusalError`` when the configuration has no work mode at all."""
    if not any(key in conf for key in _MODE_KEYS):
        raise APIRefusalError("this firmware's configuration has no work mode")
    code = _WORK_MODE_CODES[mode]
    return {
        "bitmain-fan-ctrl": conf.get("bitmain-fan-ctrl", False),
        "bitmain-fan-pwm": conf.get("bitmain-fan-pwm", "100"),
        "freq-level": conf.get("freq-level", conf.get("bitmain-freq-level", "100")),
        "pools": conf.get("pools", []),
        "miner-mode": code,
        "bitmain-work-mode": code,
    }


class BMMinerAPI(CGMinerAPI):
    """Stock Antminer."""

    family = "bmminer"
    known_layout = ANTMINER
    reports_errors = True  # chains with chips that stopped answering
    make: ClassVar[str | None] = "Antminer"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """As ``BaseMinerAPI``; ``password`` is the web interface's (user root)."""
        super().__init__(*args, **kwargs)
        self._shared_web: AntminerWebClient | None = None
        #: The last web readings (work mode and fan settings, LED) and when to read them again.
        self.web_refresh = Refresh()
        #: Whether the miner hashed when the web was last read (a change asks again).
        self.web_hashing: bool | None = None
        #: The mode to wake into: the last one seen awake (pause/resume keeps it).
        self.awake_mode = "normal"
        #: Whether the miner was seen in the high mode (then it is offered).
        self.high_mode = False
        #: When the identity was last read: one without a MAC (the web interface did not
        #: answer) is read again on this schedule, not at every poll and not never.
        self.identity_retry = Refresh()
        #: Whether ``set_miner_conf.cgi`` takes JSON (None until a configuration was read):
        #: the old generation's form is never written, so its mode controls are not offered.
        self.json_conf: bool | None = None

    # --- web interface -----------------------------------------------------------------------

    @asynccontextmanager
    async def _web(self, password: str | None = None) -> AsyncIterator[AntminerWebClient]:
        """A web client with the configured password (or ``password``); one of its own is
        closed even when the caller is cancelled (a close cut short by a cancellation leaves
        aiohttp's resolver, a thread and its fds, behind)."""
        if password is None and self.password is None:
            raise self._unsupported("be controlled without the web password")
        if password is None and self.web_session is not None:
            # A session that outlives this call (Home Assistant's): one client for the life of
            # this API, so its digest middleware answers the challenge preemptively and a poll
            # costs one HTTP request instead of a 401 and a retry. Nothing to close.
            if self._shared_web is None:
                self._shared_web = self._new_web_client(self.password)
            yield self._shared_web
            return
        web = self._new_web_client(password or self.password)
        try:
            yield web
        finally:
            closing = asyncio.ensure_future(web.close())
            try:
                await asyncio.shield(closing)
            except asyncio.CancelledError:
                await asyncio.wait([closing])
                raise

    def _new_web_client(self, password: str | None) -> AntminerWebClient:
        assert password is not None
        return AntminerWebClient(
            self.host,
            self.web_port,
            password=password,
            timeout=self.timeout,
            connect_timeout=self.connect_timeout,
            session=self.web_session,
            lock=self.device_lock,
        )

    @property
    def capabilities(self) -> frozenset[Capability]:
        """Web-interface controls, available when the password is known; no work mode and no
        sleep once the configuration read is the old generation's (S9)."""
        if self.password is None:
            return frozenset()
        return _WEB_CONTROLS - self.ruled_out

    @property
    def ruled_out(self) -> frozenset[Capability]:
        """Work mode and sleep on the old generation's configuration (a JSON body would
        overwrite its pools): not a reason of the moment, the firmware lacks them."""
        return _CONF_CONTROLS if self.json_conf is False else frozenset()

    @property
    def work_modes(self) -> tuple[str, ...]:
        """The modes of the stock firmware; high once the miner was seen in it."""
        if Capability.WORK_MODE not in self.capabilities:
            return ()
        return ("normal", "sleep", "low", "high") if self.high_mode else ("normal", "sleep", "low")

    async def check_password(self) -> None:
        """``get_system_info.cgi`` behind digest auth: a 401 is a wrong password."""
        if self.password is None:
            return
        async with self._web() as web:
            await web.get_system_info()

    # --- controls ----------------------------------------------------------------------------

    async def reboot(self) -> None:
        """``reboot.cgi``."""
        async with self._web() as web:
            await web.reboot()
        self.forget_identity()
        self.web_refresh = self.web_refresh.soon()

    async def set_work_mode(self, mode: str) -> None:
        """``set_miner_conf.cgi`` with the mode (the rest posted back as read)."""
        if Capability.WORK_MODE not in self.capabilities:
            raise self._unsupported(
                "set a work mode without the web password or on its old web configuration"
            )
        self._check_work_mode(mode)
        await self._write_mode(mode)

    async def _write_mode(self, mode: str) -> None:
        async with self._web() as web:
            conf = await web.get_miner_conf()
            self.json_conf = takes_json(conf)
            if not self.json_conf:
                raise self._unsupported(
                    "write the old web configuration of this firmware (S9 generation)"
                )
            before = mode_name(conf)
            if before not in (None, "sleep"):
                self.awake_mode = before
            await web.set_miner_conf(conf_with_mode(conf, mode))
        if mode != "sleep":
            self.awake_mode = mode
        self.web_refresh = self.web_refresh.soon()

    async def pause_mining(self) -> None:
        """Sleep mode."""
        await self._write_mode("sleep")

    async def resume_mining(self) -> None:
        """Wake into the mode the miner was in before it slept (normal when not seen)."""
        await self._write_mode(self.awake_mode)

    async def set_fault_light(self, on: bool) -> None:
        """``blink.cgi``."""
        async with self._web() as web:
            await web.blink(on)
        self.web_refresh = self.web_refresh.soon()

    async def close(self) -> None:
        """Close the web client kept for the shared session (it never closes that session)."""
        if self._shared_web is not None:
            await self._shared_web.close()

    # --- identity ----------------------------------------------------------------------------

    def _identity_from_version(self, version: dict[str, Any]) -> MinerIdentity:
        identity = super()._identity_from_version(version)
        return replace(identity, firmware=text(version.get("CompileTime")) or identity.firmware)

    def _complete_identity(
        self, identity: MinerIdentity, version: dict[str, Any], header: StatsHeader
    ) -> MinerIdentity:
        """The build (``CompileTime``) is the firmware: bmminer's own version is 1.0.0 on
        every unit."""
        identity = super()._complete_identity(identity, version, header)
        if not text(version.get("CompileTime")) and header.build:
            identity = replace(identity, firmware=header.build)
        return identity

    async def _fetch_identity(self) -> MinerIdentity:
        api = await super()._fetch_identity()
        info = await self._system_info()
        self.identity_retry = self.identity_retry.read(time.monotonic())
        if not info:
            return api
        _, model, _ = split_type(info.get("minertype"))
        return replace(
            api,
            model=model or api.model,
            firmware=text(info.get("system_filesystem_version")) or api.firmware,
            mac=lower_mac(info.get("macaddr")),
            hostname=text(info.get("hostname")),
            serial=text(info.get("serinum")),
        )

    def _identity_incomplete(self, data: MinerData) -> bool:
        """As ``CGMinerAPI``, and an identity without a MAC (the web interface was down,
        refused or not JSON): read again every ``refresh.REFRESH_SECONDS``."""
        if super()._identity_incomplete(data):
            return True
        return data.mac is None and self.identity_retry.wanted(time.monotonic())

    async def _system_info(self) -> dict[str, Any]:
        """``get_system_info.cgi``: with the configured password (a rejected one raises
        ``APIAuthError``), else with the factory one, read-only; ``{}`` when unavailable."""
        try:
            async with self._web(None if self.password is not None else FACTORY_PASSWORD) as web:
                return await web.get_system_info()
        except APIAuthError:
            if self.password is not None:
                raise
        except APIError:
            pass  # no web interface, or not a JSON one: the API's identity
        return {}

    # --- polling -----------------------------------------------------------------------------

    async def _poll(self) -> dict[str, Any]:
        """The API request and, with a password and when due, the web readings after it.

        A web failure leaves them unknown and never fails the poll: the API figures still
        count. An API failure ends the poll before any web request.
        """
        replies = await super()._poll()
        if self.password is None:
            return replies
        hashing = _hashing(replies)
        changed = hashing is not None and hashing != self.web_hashing
        uptime, before = uptime_of(replies), self.web_refresh.uptime
        restarted = uptime is not None and before is not None and uptime < before
        if changed or restarted or self.web_refresh.wanted(time.monotonic()):
            replies[MINER_CONF] = await self._read_conf()
            replies[BLINK] = await self._read_blink()
        return replies

    async def _read_conf(self) -> dict[str, Any]:
        """The work mode and fan settings of ``get_miner_conf.cgi``; ``{}`` on any failure."""
        try:
            async with self._web() as web:
                conf = await web.get_miner_conf()
        except APIError:
            return {}  # unreachable, refused, wrong password, garbage: unknown this time
        readings: dict[str, Any] = {key: conf[key] for key in _CONF_READINGS if key in conf}
        return {**readings, CONF_KIND: "json" if takes_json(conf) else "form"}

    async def _read_blink(self) -> dict[str, Any]:
        """``{"blink": bool}`` from ``get_blink_status.cgi``; ``{}`` on any failure."""
        try:
            async with self._web() as web:
                blink = await web.get_blink_status()
        except APIError:
            return {}
        return {} if blink is None else {"blink": blink}

    def _remember(self, replies: dict[str, Any], identity: MinerIdentity) -> None:
        """As ``CGMinerAPI``, and the web readings when this poll read them (a restart since
        makes them due)."""
        super()._remember(replies, identity)
        read: dict[str, Any] = {key: replies[key] for key in (MINER_CONF, BLINK) if key in replies}
        if read:
            read[REFRESHED] = list(read)
            self.web_hashing = _hashing(replies)
        self.web_refresh = self.web_refresh.after(
            read, uptime=uptime_of(replies), now=time.monotonic()
        )
        conf = as_dict(read.get(MINER_CONF))
        if conf.get(CONF_KIND) in ("json", "form"):
            self.json_conf = conf[CONF_KIND] == "json"
        mode = mode_name(conf)
        self.high_mode = self.high_mode or mode == "high"
        if mode not in (None, "sleep"):
            self.awake_mode = mode

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        replies = self.web_refresh.merged(replies)
        data = super()._map(replies, identity)
        conf = as_dict(replies.get(MINER_CONF))
        duty = as_int(conf.get("bitmain-fan-pwm")) if data.fan_auto is False else None
        if duty is not None:  # manual fans: each runs at the configured duty
            data = replace(data, fans=[replace(fan, percent=duty) for fan in data.fans])
        return data

    def _extra(self, replies: dict[str, Any]) -> dict[str, Any]:
        """The work mode, ``is_mining`` from it, and the LED (web readings); a sleeping
        ``stats`` (``Mode`` 254) is the freshest word on sleep."""
        fields: dict[str, Any] = {}
        mode = mode_name(as_dict(replies.get(MINER_CONF)))
        if as_int(miner_stats(unwrap(replies, "stats")).get("Mode")) == SLEEP_MODE:
            mode = "sleep"
        if mode is not None:
            # Boards report no hashrate for minutes after a wake-up; the mode is the intent.
            fields["work_mode"] = mode
            fields["is_mining"] = mode != "sleep"
        blink = as_dict(replies.get(BLINK)).get("blink")
        if isinstance(blink, bool):
            fields["fault_light"] = blink
        manual = flag(as_dict(replies.get(MINER_CONF)).get("bitmain-fan-ctrl"))
        if manual is not None:
            fields["fan_auto"] = not manual
        return fields


def _hashing(replies: dict[str, Any]) -> bool | None:
    """Whether this poll's ``stats`` shows a hashrate above 0 (None without one)."""
    rate = rate_ths(miner_stats(unwrap(replies, "stats")))
    return None if rate is None else rate > 0
