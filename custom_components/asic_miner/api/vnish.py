"""VNish (Vnish's firmware for Antminers, web API 1.2.x/1.3.x) over its REST API ``/api/v1`` on
the web port, composed with cgminer's TCP API on the API port where the REST reply fails.

One steady poll is ``GET /api/v1/summary`` (open: no password needed). Its ``miner`` object:

- ``hr_realtime`` → hashrate, ``hr_average`` → average hashrate, ``hr_nominal`` (the ideal
  hashrate at the clocks of the current preset; ``hr_stock``, the factory one, while it is 0)
  → expected hashrate; all in ``info.hr_measure`` (GH/s, MH/s on other algorithms);
- ``chains[]`` → boards: ``hashrate_rt``, ``pcb_temp.max``, ``chip_temp.max``, chips = the
  chips of the three grades (``chip_statuses`` red + orange + grey), water inlet/outlet
  temperatures of hydro models; a chain ``failure`` adds its description to the errors;
- ``power_consumption`` W; 0 (or ``psu.psu_power_metering`` false) when the PSU cannot
  report: None;
- ``cooling``: fans by ``id`` with their rpm and the common ``fan_duty`` %; the mode ``auto`` /
  ``manual`` → ``fan_auto``. In ``immersion`` mode the fans are listed at 0 rpm, status "ok":
  there are none (no fan reported, no false alarm);
- ``pools[]``: the user pools (``pool_type`` ``UserPool``; the ``DevFee`` and ``Refund``
  pseudo-pools are not the owner's), ``status`` ``active`` → the active pool; an unauthorised
  request sees every user masked as ``*****``: that is no user (None);
- ``miner_status``: ``miner_state`` → ``is_mining`` (mining, auto-tuning, initializing,
  starting, restarting: on its way to hash; stopped, shutting-down, failure: not);
  ``failure`` → its ``description`` in the errors; ``miner_state_time`` while mining →
  uptime (the time the mining software has been hashing: VNish reports no other mining uptime,
  and its system uptime in ``/info`` has a resolution of one minute);
- ``found_blocks``; ``best_share`` → best session difficulty (0: none yet).

Rarely (``refresh.Refresh``: first poll, every 5 minutes, after a control, after the mining
uptime went back): ``/status`` (``find_miner`` → ``fault_light``), ``/perf-summary``
(``current_preset.name`` → ``power_preset``) and, with the password, ``/autotune/presets``
(→ ``power_presets``); between two reads their last replies stand.

A summary that is refused or unreadable (404, 500, garbage, a ``null`` miner) does not fail
the poll: the same readings come from cgminer's ``summary``, ``pools`` and ``stats`` on the
API port (read by ``antminer_stats``, as on every Antminer firmware); when that fails too,
``/status`` still gives the state. Only a miner that cannot be reached fails the poll.

Identity (once): ``GET /api/v1/info``: ``miner`` ("Antminer S19 (88)") → make and model,
``fw_name`` + ``fw_version`` → firmware, ``system.network_status`` → MAC and hostname,
``serial`` ("N/A" is none), ``hr_measure`` → the unit of every hashrate.

With the web password the requests carry a token: ``POST /api/v1/unlock {"pw"}`` →
``{"token"}``, sent as ``Authorization: Bearer <token>`` (VNish's OpenAPI ``bearerAuth``),
unlocked again once when the miner answers 401. A wrong password (403) is ``APIAuthError``;
too many attempts (429, ``unlock_timeout`` seconds) is ``APIRefusalError`` naming the wait,
and no unlock is tried again before it ends. The token and the password are never logged,
raised or kept in ``last_replies``. An authorised summary shows the real pool users (kept out of
``last_replies`` too). Requests go through ``http.MinerHTTP``: Home Assistant's session, or one
of the client's own for one poll or one control.

Controls (all need the password): pause / resume (``mining/pause|resume``; VNish answers
``500 {"err"}`` when it cannot, e.g. in its failure state), restart of the mining software
(``mining/restart``), reboot (``system/reboot`` → ``{"after": s}``), the locate LED
(``find-miner`` toggles it and answers ``{"on"}``: the state is read first from ``/status``),
power preset (``POST /settings`` with the ``overclock`` object read from ``GET /settings``
and its ``preset`` replaced; VNish answers ``{"restart_required", "reboot_required"}``
even when nothing changed, so the preset is read back).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
import math
import time
from typing import TYPE_CHECKING, Any, Final

from .antminer_stats import FanMemory, map_antminer, remember_fans
from .cgminer import CGMinerAPI
from .decoding import as_float, as_int, excerpt
from .errors import APIAuthError, APIDecodeError, APIError, APIRefusalError
from .http import HTTPClient, HTTPReply, MinerHTTP
from .mapping import as_dict, build_data, dicts, lower_mac, max_of, min_of, split_make, text, unwrap
from .miner import Miner
from .models import Capability, Fan, HashBoard, MinerData, MinerIdentity, Pool
from .redact import redacted
from .refresh import REFRESHED, Refresh
from .rest import ANY_STATUS, SessionToken, token_of

if TYPE_CHECKING:
    import aiohttp

API: Final = "/api/v1"
#: Keys of ``last_replies`` (and of a poll's replies).
SUMMARY: Final = "summary"
STATUS: Final = "status"
PERF_SUMMARY: Final = "perf-summary"
PRESETS: Final = "autotune/presets"
#: cgminer's replies on the API port, when the REST summary could not be used.
TCP: Final = "tcp"
#: Kept out of ``last_replies``: pool users (often wallet addresses), as an authorised summary
#: and cgminer's ``pools`` show them.
SECRET_KEYS: Final = frozenset({"user", "User"})
#: What cgminer is asked when the REST summary fails (the Antminer poll).
TCP_COMMANDS: Final = ("summary", "pools", "stats")
#: ``miner_state`` values of a miner hashing or on its way to hash.
_MINING_STATES: Final = frozenset(
    {"mining", "auto-tuning", "initializing", "starting", "restarting"}
)
_IDLE_STATES: Final = frozenset({"stopped", "shutting-down", "failure"})
_MASKED_USER: Final = "*****"
#: ``info.hr_measure`` → factor to TH/s (GH/s when the firmware does not say).
_MEASURES: Final = {"GH/s": 1e-3, "MH/s": 1e-6}
_HTTP_OK: Final = 200
_HTTP_FORBIDDEN: Final = 403
_HTTP_TOO_MANY: Final = 429
_HTTP_ERROR: Final = 500
#: Statuses whose body says why (``{"err"}``, ``{"unlock_timeout"}``).
_WORDED: Final = frozenset({_HTTP_OK, _HTTP_ERROR})
CONTROLS: Final = frozenset(
    {
        Capability.PAUSE_RESUME,
        Capability.RESTART_BACKEND,
        Capability.REBOOT,
        Capability.FAULT_LIGHT,
    }
)


class Unlock(SessionToken):
    """VNish's ``TokenAuth``: the web password for a token, sent as a bearer token; and how
    long the miner refuses unlocking after too many attempts."""

    def __init__(self, password: Callable[[], str | None]) -> None:
        """``password`` reads the client's current password."""
        super().__init__(password)
        self._blocked_until = 0.0
        #: The miner rejected the password (403): polls stop unlocking (they need no password)
        #: until a control or a password check unlocks again.
        self.rejected = False

    def authorization(self, token: str) -> Mapping[str, str]:
        """``Authorization: Bearer <token>`` (VNish's OpenAPI ``bearerAuth``)."""
        return {"Authorization": f"Bearer {token}"}

    async def login(self, http: HTTPClient) -> str:
        """``POST /api/v1/unlock``: a new token, or the error that says why not."""
        password = self.password(http)
        wait = self._blocked_until - time.monotonic()
        if wait > 0:
            raise _unlock_blocked(http, wait)
        reply = await http.request(
            "POST",
            f"{API}/unlock",
            json={"pw": password},
            accept=(_HTTP_OK, _HTTP_FORBIDDEN, _HTTP_TOO_MANY, _HTTP_ERROR),
            authenticate=False,
        )
        if reply.status == _HTTP_OK:
            token = token_of(reply)
            self.rejected = False
            return token
        if reply.status == _HTTP_ERROR:
            raise APIRefusalError(f"{reply.what} answered HTTP 500: {_err(reply)}")
        timeout = _unlock_timeout(reply)
        if timeout:
            self._blocked_until = time.monotonic() + timeout
        if reply.status == _HTTP_FORBIDDEN:
            self.rejected = True
            raise APIAuthError(f"{reply.what}: the miner rejected the web password (HTTP 403)")
        raise _unlock_blocked(http, timeout)


def _unlock_blocked(http: HTTPClient, wait: float | None) -> APIRefusalError:
    after = f" for {math.ceil(wait)} s" if wait else ""
    return APIRefusalError(
        f"{http.host}: VNish refuses to unlock{after} after too many attempts (HTTP 429)"
    )


def _unlock_timeout(reply: HTTPReply) -> float | None:
    try:
        return as_float(reply.json_object().get("unlock_timeout"))
    except APIDecodeError:
        return None


def _err(reply: HTTPReply) -> str:
    """VNish's reason (``{"err": ...}``), or a short excerpt of what it sent."""
    try:
        reason = reply.json()
    except APIDecodeError:
        return excerpt(reply.text())
    if isinstance(reason, dict) and isinstance(reason.get("err"), str):
        return str(reason["err"]).strip()
    return excerpt(reply.text())


# --- mapping (plain functions of the replies) --------------------------------------------------


def identity_from_info(info: dict[str, Any]) -> MinerIdentity:
    """Make, model, firmware, MAC, hostname and serial from ``/api/v1/info``."""
    make, model = split_make(text(info.get("miner")))
    firmware = " ".join(
        part for part in (text(info.get("fw_name")), text(info.get("fw_version"))) if part
    )
    network = as_dict(as_dict(info.get("system")).get("network_status"))
    serial = text(info.get("serial"))
    return MinerIdentity(
        make=make,
        model=model,
        firmware=firmware or None,
        mac=lower_mac(network.get("mac")),
        hostname=text(network.get("hostname")),
        serial=None if serial is None or serial.upper() == "N/A" else serial,
    )


def hashrate_factor(info: dict[str, Any]) -> float:
    """``hr_measure`` → the factor from the summary's hashrates to TH/s."""
    return _MEASURES.get(str(info.get("hr_measure")), _MEASURES["GH/s"])


def _positive(value: Any) -> float | None:
    """A reading that 0 (or less) only stands in for: VNish's placeholder for "none"."""
    number = as_float(value)
    return number if number is not None and number > 0 else None


def _index_base(chains: list[dict[str, Any]]) -> int:
    """VNish numbers chains from 1; a list that holds a chain 0 is numbered from 0."""
    ids = [as_int(chain.get("id")) for chain in chains]
    return 0 if any(index is not None and index < 1 for index in ids) else 1


def map_chains(chains: list[dict[str, Any]], factor: float) -> tuple[list[HashBoard], list[str]]:
    """Boards of ``miner.chains`` and the errors of failed ones; a chain that reports nothing
    (no chips, no rate) is no board."""
    boards: list[HashBoard] = []
    errors: list[str] = []
    base = _index_base(chains)
    for position, chain in enumerate(chains):
        chain_id = as_int(chain.get("id"))
        index = position if chain_id is None else chain_id - base
        grades = as_dict(chain.get("chip_statuses"))
        chips = sum(as_int(grades.get(grade)) or 0 for grade in ("red", "orange", "grey"))
        rate = as_float(chain.get("hashrate_rt"))
        status = as_dict(chain.get("status"))
        if str(status.get("state")) == "failure":
            reason = text(status.get("description")) or "failure"
            errors.append(f"hash board {index}: {reason}")
        if not chips and not rate:
            continue
        boards.append(
            HashBoard(
                index=index,
                hashrate=None if rate is None else rate * factor,
                temperature=_positive(as_dict(chain.get("pcb_temp")).get("max")),
                chip_temperature=_positive(as_dict(chain.get("chip_temp")).get("max")),
                chips=chips or None,
            )
        )
    return boards, errors


def map_fans(cooling: dict[str, Any]) -> tuple[list[Fan], bool | None]:
    """Fans and whether they run under automatic control (immersion: no fans)."""
    mode = str(as_dict(as_dict(cooling.get("settings")).get("mode")).get("name", ""))
    if mode == "immersion":
        return [], None
    duty = as_int(cooling.get("fan_duty"))
    fans = []
    for position, fan in enumerate(dicts(cooling.get("fans"))):
        index = as_int(fan.get("id"))
        fans.append(
            Fan(
                index=position if index is None else index,
                rpm=as_int(fan.get("rpm")),
                percent=duty or None,
            )
        )
    return fans, {"auto": True, "manual": False}.get(mode)


def map_pools(pools: list[dict[str, Any]]) -> list[Pool]:
    """The owner's pools (``UserPool``); a masked user (``*****``) is no user."""
    mapped = []
    for pool in pools:
        if str(pool.get("pool_type", "UserPool")) != "UserPool":
            continue
        url = text(pool.get("url"))
        if url is None:
            continue
        status = str(pool.get("status", "")).lower()
        user = text(pool.get("user"))
        mapped.append(
            Pool(
                url=url,
                user=None if user == _MASKED_USER else user,
                alive=status in {"active", "working"} if status else None,
                active=status == "active" if status else None,
                accepted=as_int(pool.get("accepted")),
                rejected=as_int(pool.get("rejected")),
            )
        )
    return mapped


def state_of(status: dict[str, Any]) -> tuple[bool | None, list[str]]:
    """``miner_status`` (or ``/status``) → is_mining, and the failure as an error."""
    state = str(status.get("miner_state", ""))
    errors = []
    if state == "failure":
        errors.append(text(status.get("description")) or "failure")
    if state in _MINING_STATES:
        return True, errors
    if state in _IDLE_STATES:
        return False, errors
    return None, errors


def _uptime(status: dict[str, Any]) -> int | None:
    """Seconds hashing (``miner_state_time`` is kept for the mining state only)."""
    if status.get("miner_state") != "mining":
        return None
    return as_int(status.get("miner_state_time"))


def map_summary(miner: dict[str, Any], identity: MinerIdentity, factor: float) -> MinerData:
    """``MinerData`` from ``/api/v1/summary``'s ``miner`` object."""
    status = as_dict(miner.get("miner_status"))
    is_mining, errors = state_of(status)
    boards, chain_errors = map_chains(dicts(miner.get("chains")), factor)
    fans, fan_auto = map_fans(as_dict(miner.get("cooling")))
    metering = as_dict(miner.get("psu")).get("psu_power_metering")
    rate = as_float(miner.get("hr_realtime"))
    expected = _positive(miner.get("hr_nominal")) or _positive(miner.get("hr_stock"))
    average = as_float(miner.get("hr_average"))
    data = build_data(
        identity,
        hashrate=None if rate is None else rate * factor,
        expected_hashrate=None if expected is None else expected * factor,
        power=None if metering is False else _positive(miner.get("power_consumption")),
        boards=boards,
        fans=fans,
        pools=map_pools(dicts(miner.get("pools"))),
        uptime=_uptime(status),
        is_mining=is_mining,
        errors=errors + chain_errors,
    )
    water = [as_dict(chain) for chain in dicts(miner.get("chains"))]
    return replace(
        data,
        average_hashrate=None if average is None else average * factor,
        fan_auto=fan_auto,
        blocks_found=as_int(miner.get("found_blocks")),
        best_session_difficulty=_positive(miner.get("best_share")),
        inlet_temperature=min_of(_positive(chain.get("inlet_water_temp")) for chain in water),
        outlet_temperature=max_of(_positive(chain.get("outlet_water_temp")) for chain in water),
    )


def preset_names(presets: Any) -> tuple[str, ...]:
    """Names of ``/autotune/presets`` (a list, or ``{"presets": [...]}``) a stock PSU can run.

    A preset marked ``modded_psu_required`` is left out: no public fact says what VNish does
    with it on a stock power supply, and a power supply is not something to guess about.
    """
    if isinstance(presets, dict):
        presets = presets.get("presets")
    return tuple(
        name
        for preset in dicts(presets)
        if (name := text(preset.get("name"))) is not None
        and preset.get("modded_psu_required") is not True
    )


async def probe(http: HTTPClient, password: str | None = None) -> type[Miner] | None:
    """Detection: ``GET /api/v1/info`` (open) answering VNish's ``InfoJson`` (firmware name and
    version, system) is VNish; any other answer is not."""
    reply = await http.request("GET", f"{API}/info", accept=ANY_STATUS, authenticate=False)
    if reply.status != _HTTP_OK:
        return None
    info = reply.json()
    if not isinstance(info, dict) or not isinstance(info.get("fw_name"), str):
        return None
    return VNishAPI if "fw_version" in info and "system" in info else None


class VNishAPI(Miner):
    """VNish: REST readings and controls, cgminer's API when the REST summary fails."""

    family = "vnish"
    make = "Antminer"
    reports_errors = True

    def __init__(
        self,
        host: str,
        port: int = 4028,
        *,
        web_session: aiohttp.ClientSession | None = None,
        **kwargs: Any,
    ) -> None:
        """As ``Miner``; ``password`` is the web interface's (VNish's default is ``admin``)."""
        super().__init__(host, port, web_session=web_session, **kwargs)
        self.auth = Unlock(lambda: self.password)
        self.web = MinerHTTP(
            host, self.web_port, lock=self.device_lock, session=web_session, auth=self.auth
        )
        #: cgminer on the API port (only when the REST summary fails); never connected at the
        #: same time as the web port: it shares ``device_lock``.
        self.cgminer = CGMinerAPI(host, port, web_session=web_session)
        self.cgminer.device_lock = self.device_lock
        #: The summary's hashrate unit (``info.hr_measure``), learned with the identity.
        self.hashrate_factor = _MEASURES["GH/s"]
        #: The rarely read replies (``/status``, ``/perf-summary``, ``/autotune/presets``) and
        #: when to read them again.
        self.refresh = Refresh()
        #: Fan slots of cgminer's ``stats`` that have spun (the TCP fallback's fans).
        self.fan_memory = FanMemory()

    # --- what this miner can do --------------------------------------------------------------

    @property
    def capabilities(self) -> frozenset[Capability]:
        """Every control needs the web password; the power preset also needs presets."""
        if self.password is None:
            return frozenset()
        if self.power_presets:
            return CONTROLS | {Capability.POWER_PRESET}
        return CONTROLS

    @property
    def power_presets(self) -> tuple[str, ...]:
        """The autotune presets (names, e.g. ``"3250"`` or ``"disabled"``) the miner offers."""
        if self.password is None:
            return ()
        return preset_names(self.refresh.replies.get(PRESETS))

    # --- requests ------------------------------------------------------------------------------

    async def _request(
        self, method: str, path: str, *, json: Any = None, control: bool = False
    ) -> HTTPReply:
        """One request, authorised when the password is known (for a read, unless the miner
        rejected it: reads need none); VNish's ``{"err"}`` of a 500 is the refusal's message."""
        authenticate = self.password is not None and (control or not self.auth.rejected)
        async with self.web.open(self.limits) as http:
            reply = await http.request(
                method, f"{API}/{path}", json=json, accept=_WORDED, authenticate=authenticate
            )
        if reply.status != _HTTP_OK:
            raise APIRefusalError(f"{reply.what} answered HTTP {reply.status}: {_err(reply)}")
        return reply

    async def _read(self, path: str, *, control: bool = False) -> Any:
        return (await self._request("GET", path, control=control)).json()

    async def _control(self, path: str, *, json: Any = None) -> HTTPReply:
        """A control: the password is needed; the next poll reads what it may have changed."""
        if self.password is None:
            raise self._unsupported(f"be controlled ({path}) without the web password")
        reply = await self._request("POST", path, json=json, control=True)
        self.refresh = self.refresh.soon()
        return reply

    # --- identity and polling ------------------------------------------------------------------

    async def get_data(self) -> MinerData:
        """One poll on one web session; pool users are kept out of ``last_replies``."""
        async with self.web.open(self.limits):
            data = await super().get_data()
        self.last_replies = redacted(self.last_replies, SECRET_KEYS)
        return data

    async def _fetch_identity(self) -> MinerIdentity:
        """``/api/v1/info``; a refused or unreadable one leaves model and firmware unknown (read
        again at the next poll)."""
        try:
            info = await self._read("info")
        except APIRefusalError, APIDecodeError:
            return MinerIdentity(make=self.make)
        info = as_dict(info)
        self.hashrate_factor = hashrate_factor(info)
        return identity_from_info(info)

    def _identity_incomplete(self, data: MinerData) -> bool:
        return data.model is None

    async def _poll(self) -> dict[str, Any]:
        """``/summary`` (or what stands in for it), and the rare reads when they are due."""
        replies: dict[str, Any] = {}
        try:
            replies[SUMMARY] = await self._summary()
        except (APIRefusalError, APIDecodeError) as err:
            replies.update(await self._fallback(err))
        if self.refresh.wanted(time.monotonic()):
            asked = [STATUS, PERF_SUMMARY] + ([PRESETS] if self.password is not None else [])
            for key in asked:
                if key in replies:
                    continue  # the fallback read it already
                try:
                    replies[key] = await self._read(key)
                except APIRefusalError, APIDecodeError, APIAuthError:
                    continue  # unknown until the next rare read; a control says what is wrong
            replies[REFRESHED] = asked
        return replies

    async def _summary(self) -> dict[str, Any]:
        """``/summary``, with a ``miner`` object (``null`` while the firmware has none)."""
        summary = as_dict(await self._read(SUMMARY))
        if not isinstance(summary.get("miner"), dict):
            raise APIDecodeError(f"{self.host}: the summary holds no miner readings")
        return summary

    async def _fallback(self, err: APIError) -> dict[str, Any]:
        """The summary could not be used: cgminer's readings, else ``/status`` alone; when
        neither answers usably, the summary's error."""
        self.cgminer.limits = self.limits
        try:
            return {TCP: await self.cgminer.multicommand(*TCP_COMMANDS)}
        except APIError:
            pass
        try:
            return {STATUS: await self._read(STATUS)}
        except APIRefusalError, APIDecodeError:
            raise err from None

    def _remember(self, replies: dict[str, Any], identity: MinerIdentity) -> None:
        """The rare reads (due again when the mining uptime went back), and the fan slots of a
        TCP reading."""
        miner = as_dict(as_dict(replies.get(SUMMARY)).get("miner"))
        status = as_dict(miner.get("miner_status")) if miner else as_dict(replies.get(STATUS))
        self.refresh = self.refresh.after(replies, uptime=_uptime(status), now=time.monotonic())
        if TCP in replies:
            self.fan_memory = remember_fans(
                self.fan_memory, unwrap(replies[TCP], "stats"), identity
            )

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        if SUMMARY in replies:
            data = map_summary(replies[SUMMARY]["miner"], identity, self.hashrate_factor)
        elif TCP in replies:
            data = map_antminer(replies[TCP], identity, self.fan_memory)
        else:
            status = as_dict(replies.get(STATUS))
            is_mining, errors = state_of(status)
            data = build_data(
                identity,
                hashrate=None,
                is_mining=is_mining,
                errors=errors,
                uptime=_uptime(status),
            )
        rare = self.refresh.merged(replies)
        light = as_dict(rare.get(STATUS)).get("find_miner")
        current = as_dict(as_dict(rare.get(PERF_SUMMARY)).get("current_preset"))
        return replace(
            data,
            fault_light=light if isinstance(light, bool) else None,
            power_preset=text(current.get("name")),
        )

    # --- controls ------------------------------------------------------------------------------

    async def check_password(self) -> None:
        """``POST /api/v1/unlock``: 403 is a wrong password (``APIAuthError``)."""
        if self.password is None:
            return
        async with self.web.open(self.limits) as http:
            await self.auth.headers(http, renew=True)

    async def pause_mining(self) -> None:
        """``POST mining/pause``."""
        await self._control("mining/pause")

    async def resume_mining(self) -> None:
        """``POST mining/resume``."""
        await self._control("mining/resume")

    async def restart_backend(self) -> None:
        """``POST mining/restart``."""
        await self._control("mining/restart")

    async def reboot(self) -> None:
        """``POST system/reboot``; the miner forgets every token."""
        await self._control("system/reboot")
        self.auth.forget()
        self.forget_identity()

    async def set_fault_light(self, on: bool) -> None:
        """``find-miner`` toggles the LED: read its state first, toggle only when it differs,
        and check the state the reply gives (a second toggle when another client toggled it in
        between)."""
        if self.password is None:
            raise self._unsupported("switch the locate LED without the web password")
        status = as_dict(await self._read(STATUS, control=True))
        self.refresh = self.refresh.soon()
        if status.get("find_miner") is on:
            return
        for _ in range(2):
            reply = (await self._control("find-miner")).json()
            state = as_dict(reply).get("on")
            if not isinstance(state, bool) or state is on:
                return
        raise APIRefusalError(f"{self.host}: the locate LED did not switch {'on' if on else 'off'}")

    async def set_power_preset(self, preset: str) -> None:
        """``POST /settings`` with the ``overclock`` settings and ``preset`` replaced, then read
        back (VNish's reply says nothing about whether it applied it)."""
        self._check_choice("power preset", preset, self.power_presets)
        overclock = await self._overclock()
        body = {"miner": {"overclock": {**overclock, "preset": preset}}}
        await self._control("settings", json=body)
        applied = (await self._overclock()).get("preset")
        if applied != preset:
            raise APIRefusalError(
                f"{self.host}: VNish did not apply the power preset {preset!r} (it runs {applied!r})"
            )

    async def _overclock(self) -> dict[str, Any]:
        """``miner.overclock`` of ``GET /settings`` (the settings hold secrets: nothing else of
        them is kept)."""
        settings = as_dict(await self._read("settings", control=True))
        overclock = as_dict(as_dict(settings.get("miner")).get("overclock"))
        if not overclock:
            raise APIDecodeError(f"{self.host}: GET {API}/settings holds no overclock settings")
        return overclock
