"""Stock Bitmain Antminer firmware (bmminer): S19, S9 and relatives.

One poll is ``summary+pools+stats`` (the S19 refuses joined commands: the client learns that
on the first poll and then asks the three concurrently). Mapping:

- ``summary``: ``GHS 5s``/``GHS av`` (the S9 quotes them as strings) → hashrate, ``Elapsed``;
- ``stats`` (second object, after the ``}{`` the firmware writes): one board per chain N with
  ``chain_rate<N>`` (GH/s), ``chain_acn<N>`` chips, board temperature from ``temp_pcb<N>``
  (S19, max of the dash-separated sensors) or ``temp<N>``, chip temperature from
  ``temp_chip<N>`` (S19) or ``temp2_<N>`` (S9); ``total_rateideal`` → expected hashrate;
  ``fan<N>`` → fan N-1 (numbered by slot; with more slots listed than ``fan_num``, an empty
  slot reads 0 and is left out, but a fan of this miner that has spun before, reboots
  included, stays, dead, at 0 rpm); an
  ``x`` in ``chain_acs<N>`` is a dead chip;
  a board's index is its chain's position from the first chain listed, so an unplugged board
  (chain listed with no chips and no rate) is missing without renumbering the others;
- ``version``: ``Type`` → model, ``BMMiner`` → firmware;
- no power reading in the stock API: power and efficiency are ``None``.

MAC, hostname, serial and the firmware build come from the web interface
(``get_system_info.cgi``) when a password is configured, else they are ``None``. With a
password each poll also reads ``bitmain-work-mode`` from ``get_miner_conf.cgi`` (concurrently
with the API request, same timeout): that is the work mode, and ``is_mining`` is "not asleep",
because boards hash nothing for minutes after a wake-up. When that reading fails, or without a
password, the work mode is unknown and ``is_mining`` is "hashrate above 0". Controls
(reboot, sleep/normal, low-power mode, locate LED) exist only over the web interface, so
``capabilities`` is empty without a password.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, ClassVar, Final

from .antminer_web import AntminerWebClient
from .cgminer import (
    CGMinerAPI,
    build_data,
    first,
    map_pools,
    max_of,
    rate_ths,
    section,
    sum_of,
    unwrap,
)
from .decoding import as_float, as_int
from .errors import APIConnectionError, APIError
from .models import Capability, Fan, HashBoard, MinerData, MinerIdentity

_MAX_CHAINS: Final = 16
_MAX_FANS: Final = 8
#: bitmain-work-mode codes of set_miner_conf.cgi.
_WORK_MODE_CODES: Final = {"normal": "0", "sleep": "1", "low": "3"}
_WORK_MODE_NAMES: Final = {code: name for name, code in _WORK_MODE_CODES.items()}
#: Key of the web reading in ``last_replies`` (only the work mode: the rest holds pool secrets).
MINER_CONF: Final = "get_miner_conf"


def _hottest(value: Any) -> float | None:
    """``"60-59-62-61"`` (S19 sensor list) or a plain number → the highest reading."""
    if isinstance(value, str) and "-" in value.strip("-"):
        return max_of(as_float(part) for part in value.split("-"))
    return as_float(value)


class BMMinerAPI(CGMinerAPI):
    """Stock Antminer."""

    family = "bmminer"
    reports_errors = True  # chains with chips that stopped answering
    make: ClassVar[str | None] = "Antminer"
    poll_commands: ClassVar[tuple[str, ...]] = ("summary", "pools", "stats")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """As ``BaseMinerAPI``; ``password`` is the web interface's (user root)."""
        super().__init__(*args, **kwargs)
        #: Fan slots that have reported a speed: a dead one stays listed at 0 rpm.
        self._fans_seen: set[int] = set()
        #: Whose fans those are: a reboot keeps them, another miner at the address does not.
        self._fans_owner: tuple[str | None, ...] | None = None
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
            self.ip,
            self.web_port,
            password=self.password,
            timeout=self.timeout,
            session=self.web_session,
        )

    @property
    def capabilities(self) -> frozenset[Capability]:
        """Web-interface controls, available when the password is known."""
        if self.password is None:
            return frozenset()
        return frozenset(
            {
                Capability.REBOOT,
                Capability.PAUSE_RESUME,
                Capability.FAULT_LIGHT,
                Capability.WORK_MODE,
            }
        )

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

    # --- polling -----------------------------------------------------------------------------

    async def _poll(self) -> dict[str, Any]:
        """The API commands and, with a password, the web work mode, concurrently.

        A web failure leaves the work mode unknown and never fails the poll: the API figures
        still count. An API failure cancels the web request.
        """
        if self.password is None:
            return await super()._poll()
        conf = asyncio.create_task(self._read_work_mode())
        try:
            replies = await super()._poll()
        except BaseException:
            conf.cancel()
            await asyncio.wait([conf])  # closes its session before the error goes up
            raise
        replies[MINER_CONF] = await conf
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

        def text(key: str) -> str | None:
            value = info.get(key)
            return str(value) if value not in (None, "") else None

        mac = text("macaddr")
        return MinerIdentity(
            make=self.make,
            model=(text("minertype") or "").removeprefix("Antminer ") or api.model,
            firmware=text("system_filesystem_version") or api.firmware,
            mac=mac.lower() if mac else None,
            hostname=text("hostname"),
            serial=text("serinum"),
        )

    def _identity_from_version(self, version: dict[str, Any]) -> MinerIdentity:
        identity = super()._identity_from_version(version)
        model = identity.model.removeprefix("Antminer ") if identity.model else None
        return MinerIdentity(make=self.make, model=model, firmware=identity.firmware)

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        summary = first(unwrap(replies, "summary"), "SUMMARY")
        stats = self._miner_stats(unwrap(replies, "stats"))
        owner = (identity.mac, identity.serial, identity.model)
        if owner != self._fans_owner:
            self._fans_seen.clear()
            self._fans_owner = owner
        boards, errors = self._chains(stats)
        hashrate = rate_ths(summary, ("5s", "av", "1m"))
        if hashrate is None:
            hashrate = sum_of(board.hashrate for board in boards)
        ideal = as_float(stats.get("total_rateideal"))
        work_mode = self._work_mode(replies)
        return build_data(
            identity,
            hashrate=hashrate,
            expected_hashrate=None if ideal is None else self._ths(ideal, stats),
            boards=boards,
            fans=self._fans(stats),
            pools=map_pools(unwrap(replies, "pools")),
            uptime=as_int(summary.get("Elapsed", stats.get("Elapsed"))),
            errors=errors,
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

    @staticmethod
    def _miner_stats(reply: dict[str, Any] | None) -> dict[str, Any]:
        """The STATS object with the chain data (the one that is not the version object)."""
        for entry in section(reply, "STATS"):
            if "STATS" in entry or any(key.startswith("chain_") for key in entry):
                return entry
        return {}

    @staticmethod
    def _ths(value: float, stats: dict[str, Any]) -> float:
        unit = str(stats.get("rate_unit", "GH")).upper()
        return value * {"TH": 1.0, "GH": 1e-3, "MH": 1e-6}.get(unit, 1e-3)

    def _chains(self, stats: dict[str, Any]) -> tuple[list[HashBoard], list[str]]:
        """Boards indexed by chain slot (from the firmware's first chain), so an unplugged
        board (no chips, no rate) is left out without renumbering the boards after it."""
        boards: list[HashBoard] = []
        errors: list[str] = []
        listed = [
            chain
            for chain in range(1, _MAX_CHAINS + 1)
            if f"chain_acn{chain}" in stats or f"chain_rate{chain}" in stats
        ]
        for chain in listed:
            chips = as_int(stats.get(f"chain_acn{chain}"))
            rate = as_float(stats.get(f"chain_rate{chain}"))
            if not chips and rate is None:
                continue
            index = chain - listed[0]
            temperature = _hottest(stats.get(f"temp_pcb{chain}", stats.get(f"temp{chain}")))
            chip_temperature = _hottest(stats.get(f"temp_chip{chain}", stats.get(f"temp2_{chain}")))
            boards.append(
                HashBoard(
                    index=index,
                    hashrate=None if rate is None else self._ths(rate, stats),
                    temperature=temperature,
                    chip_temperature=chip_temperature,
                    chips=chips,
                )
            )
            dead = str(stats.get(f"chain_acs{chain}", "")).count("x")
            if dead:
                errors.append(f"hash board {index}: {dead} chip(s) not responding")
        return boards, errors

    def _fans(self, stats: dict[str, Any]) -> list[Fan]:
        """Fans numbered by slot (``fan3`` is index 2).

        With more slots listed than ``fan_num`` (the S9 lists eight for two fans), a slot at
        0 rpm is an empty one, unless it has reported a speed before: then it is a dead fan,
        and a reading of 0 is what it has to say.
        """
        slots = [
            (slot, as_int(stats[f"fan{slot}"]))
            for slot in range(1, _MAX_FANS + 1)
            if f"fan{slot}" in stats
        ]
        self._fans_seen.update(slot for slot, rpm in slots if rpm)
        in_use = as_int(stats.get("fan_num"))
        if in_use is not None and len(slots) > in_use:
            slots = [(slot, rpm) for slot, rpm in slots if rpm or slot in self._fans_seen]
        return [Fan(index=slot - 1, rpm=rpm) for slot, rpm in slots]
