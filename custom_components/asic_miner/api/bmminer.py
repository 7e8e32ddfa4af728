"""Stock Bitmain Antminer firmware (bmminer): S19, S9 and relatives.

One poll is ``summary+pools+stats`` (the S19 refuses joined commands: the client learns that
on the first poll and then asks the three one after another). Mapping:

- ``summary``: ``GHS 5s``/``GHS av`` (the S9 quotes them as strings) → hashrate, ``Elapsed``;
- ``stats``: boards, chips, temperatures, fans (numbered by slot, a dead fan of this miner kept
  at 0 rpm), dead chips and the expected hashrate, as ``antminer_stats`` reads them;
- ``version``: ``Type`` → model, ``BMMiner`` → firmware;
- no power reading in the stock API: power and efficiency are ``None``.

MAC, hostname, serial and the firmware build come from the web interface
(``get_system_info.cgi``) when a password is configured, else they are ``None``. With a
password each poll also reads ``bitmain-work-mode`` from ``get_miner_conf.cgi`` (after the API
request, never at the same time, same timeout): that is the work mode, and ``is_mining`` is
"not asleep", because boards hash nothing for minutes after a wake-up. When that reading
fails, or without a password, the work mode is unknown and ``is_mining`` is "hashrate above
0". Controls (reboot, sleep/normal, low-power mode, locate LED) exist only over the web
interface, so ``capabilities`` is empty without a password. The firmware does not report the
locate LED: ``fault_light`` is ``None``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, ClassVar, Final

from .antminer_stats import FanMemory, map_antminer, remember_fans
from .antminer_web import AntminerWebClient
from .cgminer import CGMinerAPI
from .errors import APIConnectionError, APIError
from .mapping import lower_mac, text, unwrap
from .models import CLASSIC_CONTROLS, Capability, MinerData, MinerIdentity

#: bitmain-work-mode codes of set_miner_conf.cgi.
_WORK_MODE_CODES: Final = {"normal": "0", "sleep": "1", "low": "3"}
_WORK_MODE_NAMES: Final = {code: name for name, code in _WORK_MODE_CODES.items()}
#: Key of the web reading in ``last_replies`` (only the work mode: the rest holds pool secrets).
MINER_CONF: Final = "get_miner_conf"
#: What the web interface can do (no power limit, no separate restart of bmminer).
_WEB_CONTROLS: Final = CLASSIC_CONTROLS - {Capability.POWER_LIMIT, Capability.RESTART_BACKEND}


class BMMinerAPI(CGMinerAPI):
    """Stock Antminer."""

    family = "bmminer"
    reports_errors = True  # chains with chips that stopped answering
    make: ClassVar[str | None] = "Antminer"
    poll_commands: ClassVar[tuple[str, ...]] = ("summary", "pools", "stats")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """As ``BaseMinerAPI``; ``password`` is the web interface's (user root)."""
        super().__init__(*args, **kwargs)
        #: The fan slots of this miner that have spun (kept between polls, see _remember).
        self.fan_memory = FanMemory()
        self._shared_web: AntminerWebClient | None = None

    # --- web interface -----------------------------------------------------------------------

    @asynccontextmanager
    async def _web(self) -> AsyncIterator[AntminerWebClient]:
        """A web client; one of its own is closed even when the caller is cancelled (a close
        cut short by a cancellation leaves aiohttp's resolver, a thread and its fds, behind)."""
        if self.password is None:
            raise self._unsupported("be controlled without the web password")
        if self.web_session is not None:
            # A session that outlives this call (Home Assistant's): one client for the life of
            # this API, so its digest middleware answers the challenge preemptively and a poll
            # costs one HTTP request instead of a 401 and a retry. Nothing to close.
            if self._shared_web is None:
                self._shared_web = self._new_web_client()
            yield self._shared_web
            return
        web = self._new_web_client()
        try:
            yield web
        finally:
            closing = asyncio.ensure_future(web.close())
            try:
                await asyncio.shield(closing)
            except asyncio.CancelledError:
                await asyncio.wait([closing])
                raise

    def _new_web_client(self) -> AntminerWebClient:
        assert self.password is not None
        return AntminerWebClient(
            self.host,
            self.web_port,
            password=self.password,
            timeout=self.timeout,
            connect_timeout=self.connect_timeout,
            session=self.web_session,
            lock=self.device_lock,
        )

    @property
    def capabilities(self) -> frozenset[Capability]:
        """Web-interface controls, available when the password is known."""
        return _WEB_CONTROLS if self.password is not None else frozenset()

    @property
    def work_modes(self) -> tuple[str, ...]:
        """bitmain-work-mode values the stock firmware offers."""
        return tuple(_WORK_MODE_CODES) if self.password is not None else ()

    async def check_password(self) -> None:
        """``get_system_info.cgi`` behind digest auth: a 401 is a wrong password."""
        if self.password is None:
            return
        async with self._web() as web:
            await web.get_system_info()

    async def reboot(self) -> None:
        """``reboot.cgi``."""
        async with self._web() as web:
            await web.reboot()
        self.forget_identity()

    async def set_work_mode(self, mode: str) -> None:
        """``set_miner_conf.cgi`` with ``bitmain-work-mode`` (the rest posted back as read)."""
        self._check_work_mode(mode)
        async with self._web() as web:
            conf = await web.get_miner_conf()
            conf["bitmain-work-mode"] = _WORK_MODE_CODES[mode]
            await web.set_miner_conf(conf)

    async def pause_mining(self) -> None:
        """Sleep mode."""
        await self.set_work_mode("sleep")

    async def resume_mining(self) -> None:
        """Normal mode."""
        await self.set_work_mode("normal")

    async def set_fault_light(self, on: bool) -> None:
        """``blink.cgi``."""
        async with self._web() as web:
            await web.blink(on)

    async def close(self) -> None:
        """Close the web client kept for the shared session (it never closes that session)."""
        if self._shared_web is not None:
            await self._shared_web.close()

    # --- polling -----------------------------------------------------------------------------

    async def _poll(self) -> dict[str, Any]:
        """The API commands and then, with a password, the web work mode.

        A web failure leaves the work mode unknown and never fails the poll: the API figures
        still count. An API failure ends the poll before the web request.
        """
        replies = await super()._poll()
        if self.password is not None:
            replies[MINER_CONF] = await self._read_work_mode()
        return replies

    async def _read_work_mode(self) -> dict[str, Any]:
        """``{"bitmain-work-mode": code}`` from ``get_miner_conf.cgi``, ``{}`` on any failure."""
        try:
            async with self._web() as web:
                conf = await web.get_miner_conf()
        except APIError:
            return {}  # unreachable, refused, wrong password, garbage: mode unknown this poll
        code = conf.get("bitmain-work-mode")
        return {} if code is None else {"bitmain-work-mode": code}

    async def _fetch_identity(self) -> MinerIdentity:
        api = await super()._fetch_identity()
        if self.password is None:
            return api
        try:
            async with self._web() as web:
                info = await web.get_system_info()
        except APIConnectionError:
            return api  # web interface unreachable: API facts only
        return MinerIdentity(
            make=self.make,
            model=(text(info.get("minertype")) or "").removeprefix("Antminer ") or api.model,
            firmware=text(info.get("system_filesystem_version")) or api.firmware,
            mac=lower_mac(info.get("macaddr")),
            hostname=text(info.get("hostname")),
            serial=text(info.get("serinum")),
        )

    def _identity_from_version(self, version: dict[str, Any]) -> MinerIdentity:
        identity = super()._identity_from_version(version)
        model = identity.model.removeprefix("Antminer ") if identity.model else None
        return MinerIdentity(make=self.make, model=model, firmware=identity.firmware)

    def _remember(self, replies: dict[str, Any], identity: MinerIdentity) -> None:
        """The fan slots spinning in this poll join those of this miner."""
        self.fan_memory = remember_fans(self.fan_memory, unwrap(replies, "stats"), identity)

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        work_mode = self._work_mode(replies)
        return map_antminer(
            replies,
            identity,
            self.fan_memory,
            work_mode=work_mode,
            # Boards report no hashrate for minutes after a wake-up; the mode is the intent.
            is_mining=None if work_mode is None else work_mode != "sleep",
        )

    @staticmethod
    def _work_mode(replies: dict[str, Any]) -> str | None:
        """The mode the miner's own configuration is in (None without the web reading)."""
        conf = replies.get(MINER_CONF)
        if not isinstance(conf, dict):
            return None
        return _WORK_MODE_NAMES.get(str(conf.get("bitmain-work-mode", "")).strip())
