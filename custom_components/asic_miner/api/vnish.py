"""VNish (Vnish's firmware for Antminers): its REST API ``/api/v1`` on the web port (web API
1.2.x/1.3.x), composed with cgminer's TCP API on the API port, which reads the miner where
there is no REST API (VNish 3.x on the S9 has none) and where the REST summary fails.

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
  and its system uptime in ``/info`` has a resolution of one minute). cgminer's ``Elapsed``
  is another clock (cgminer starts before the mining state, and runs on through a pause): a
  poll read over cgminer while REST's clock is the reference continues REST's clock, so a
  summary failing now and then moves neither the uptime nor the restart checks
  (``MiningClock``);
- ``found_blocks``; ``best_share`` → best session difficulty (0: none yet).

Rarely (``refresh.Refresh``: first poll, every 5 minutes, after a control, after the mining
uptime went back): ``/status`` (``find_miner`` → ``fault_light``), ``/perf-summary``
(``current_preset.name`` → ``power_preset``) and, with the password, ``/autotune/presets``
(→ ``power_presets``); between two reads their last replies stand.

Without REST: where the web port cannot be reached, or ``/api/v1/info``, ``/summary`` (or the
unlock before them) is not found (404), while cgminer answers on the API port, the miner is
read over cgminer's API (``VNishCGMinerAPI``) until REST is asked again, with the next rare
reads (every 5 minutes, after a restart, after a control): a steady poll is then ``stats``
alone (``summary`` and ``pools`` rarely), one request as on REST, and the dead web port is
not asked each poll. A summary that fails otherwise (500, garbage, a ``null`` miner) does not fail the poll either:
that poll's readings come from cgminer, and the next poll asks REST again; when cgminer cannot
answer, ``/status`` still gives the state. Only a miner that cannot be reached fails the poll.
The two ports are never asked at once (one ``device_lock``).

Identity (once): ``GET /api/v1/info``: ``miner`` ("Antminer S19 (88)") → make and model,
``fw_name`` + ``fw_version`` → firmware, ``system.network_status`` → MAC and hostname,
``serial`` ("N/A" is none), ``hr_measure`` → the unit of every hashrate. Without REST, what
cgminer's ``version`` and ``stats`` say (no MAC), read from ``/info`` again once REST answers.
An ``/info`` that is refused, unreadable or names no model is read again every
``refresh.REFRESH_SECONDS`` (``identity_retry``, a ``refresh.Refresh``), not at every poll:
the summary alone stays the steady poll.

Over cgminer's API VNish keeps Bitmain's driver: its ``stats`` is the stock Antminer layout
(``antminer_stats``: chains 6-8 on the S9, ``fan<N>`` by slot), with a few extras of its own
(``chain_vol<N>``, ``chain_consumption<N>``, ``build_version``). Its ``version`` answers with a
``CGMiner`` key (the cgminer it is built on, 4.11.1) and ``Type "Antminer S9 (vnish 3.8.6)"``:
the model is what comes before the note, the firmware the version in it; VNish 1.3 answers
``version`` with nothing (the ``stats`` header says the same). Not read, no public fact says
what it is: ``chain_consumption<N>`` (495 per chain on a VNish S9, not documented as measured
watts). The dev-fee pool cgminer lists (``URL "DevFee"``) stays in the pools as the firmware
lists it there (REST marks it ``DevFee`` by its ``pool_type``: left out).

With the web password the requests carry a token: ``POST /api/v1/unlock {"pw"}`` →
``{"token"}``, sent as ``Authorization: Bearer <token>`` (VNish's OpenAPI ``bearerAuth``),
unlocked again once when the miner answers 401. A wrong password (403) is ``APIAuthError``;
too many attempts (429, ``unlock_timeout`` seconds) is ``APIRefusalError`` naming the wait,
and no unlock is tried again before it ends. The token and the password are never logged,
raised or kept in ``last_replies``. An authorised summary shows the real pool users (kept out of
``last_replies`` too). Requests go through ``http.MinerHTTP``: Home Assistant's session, or one
of the client's own for one poll or one control.

Controls (all need the password, and the REST API: without it the miner is read-only): pause
/ resume (``mining/pause|resume``; VNish answers ``500 {"err"}`` when it cannot, e.g. in its
failure state), restart of the mining software (``mining/restart``), reboot (``system/reboot``
→ ``{"after": s}``; both accepted when the miner drops the connection after the request, or
answers with nothing, as it goes down: ``errors.accept_dropped``), the locate LED
(``find-miner`` toggles it and answers ``{"on"}``: the state is read first from ``/status``),
power preset (``POST /settings`` with the ``overclock`` object read from ``GET /settings``
and its ``preset`` replaced; VNish answers ``{"restart_required", "reboot_required"}``
even when nothing changed, so the preset is read back).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
import math
import time
from typing import Any, ClassVar, Final

from .antminer_stats import StatsHeader, split_type
from .cgminer import ANTMINER, CGMinerAPI, uptime_of
from .decoding import as_float, as_int, excerpt
from .errors import (
    APIAuthError,
    APIConnectionError,
    APIDecodeError,
    APIError,
    APIRefusalError,
    accept_dropped,
)
from .http import HTTPClient, HTTPReply
from .identity import UPTIME_SLACK, UptimeWatch
from .mapping import as_dict, build_data, dicts, lower_mac, max_of, min_of, split_make, text
from .miner import Miner
from .models import Capability, Fan, HashBoard, MinerData, MinerIdentity, Pool
from .poll_replies import web_poll
from .refresh import REFRESHED, Refresh
from .rest import (
    ANY_STATUS,
    HTTP_NOT_FOUND,
    NotServedError,
    SessionToken,
    not_served,
    rest_api,
    token_of,
)

API: Final = "/api/v1"
#: Keys of ``last_replies`` (and of a poll's replies).
SUMMARY: Final = "summary"
STATUS: Final = "status"
PERF_SUMMARY: Final = "perf-summary"
PRESETS: Final = "autotune/presets"
#: cgminer's replies on the API port, when REST is not there or its summary could not be used.
TCP: Final = "tcp"
#: The firmware's name in cgminer's ``Type`` note (``vnish 3.8.6``).
_NAME: Final = "vnish"
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
#: Statuses whose body says why (``{"err"}``, ``{"unlock_timeout"}``), and "not found".
_WORDED: Final = frozenset({_HTTP_OK, HTTP_NOT_FOUND, _HTTP_ERROR})
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
            accept=(_HTTP_OK, HTTP_NOT_FOUND, _HTTP_FORBIDDEN, _HTTP_TOO_MANY, _HTTP_ERROR),
            authenticate=False,
        )
        if reply.status == HTTP_NOT_FOUND:
            raise not_served(reply)
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


@dataclass(frozen=True, slots=True)
class MiningClock:
    """A poll's uptime on one clock, whichever API read the poll.

    REST's ``miner_state_time`` (seconds in the mining state) and cgminer's ``Elapsed``
    (seconds since cgminer started: before the chains were initialised, and through a pause)
    are two clocks; mixed, each change of source would look like a restart (the identity read
    again, the rare reads due, the start time moving). While REST's clock is the reference (the
    last REST reading), a poll read over cgminer (its summary failed once) continues it, unless
    cgminer restarted after that reading (its ``Elapsed`` is shorter than the time since, give
    or take ``identity.UPTIME_SLACK``): then cgminer's clock is the reference until REST answers
    again. Changing the reference to REST's clock (``switched``) is no restart.
    """

    #: ``time.monotonic()`` of the last REST reading; None while cgminer's clock is the
    #: reference.
    rest_at: float | None = None
    #: ``time.monotonic()`` at which REST's mining state began (None: not mining then).
    since: float | None = None
    #: This poll's uptime on the reference clock.
    uptime: int | None = None
    #: This poll made REST's clock the reference again (or for the first time).
    switched: bool = False

    def rest(self, uptime: int | None, now: float) -> MiningClock:
        """After a poll of REST: ``miner_state_time`` while mining, else None."""
        return MiningClock(
            rest_at=now,
            since=None if uptime is None else now - uptime,
            uptime=uptime,
            switched=self.rest_at is None,
        )

    def tcp(self, elapsed: int | None, now: float) -> MiningClock:
        """After a poll of cgminer: its ``Elapsed``, or REST's clock continued."""
        if self.rest_at is None or (
            elapsed is not None and elapsed + UPTIME_SLACK < now - self.rest_at
        ):
            return MiningClock(uptime=elapsed)
        uptime = None if self.since is None else int(now - self.since)
        return replace(self, uptime=uptime, switched=False)


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


class VNishCGMinerAPI(CGMinerAPI):
    """VNish's cgminer on the API port, read-only: the stock Antminer layout, the firmware from
    the ``Type`` note. ``VNishAPI`` reads the miner through it where REST is not there (or its
    summary fails); the public steps below are those of one of its polls."""

    family = "vnish"
    make: ClassVar[str | None] = "Antminer"
    known_layout = ANTMINER

    def _complete_identity(
        self, identity: MinerIdentity, version: dict[str, Any], header: StatsHeader
    ) -> MinerIdentity:
        """The firmware is VNish's own version (the ``Type`` note), never the cgminer one."""
        identity = super()._complete_identity(identity, version, header)
        note = split_type(version.get("Type"))[2] or header.note or ""
        firmware = note[len(_NAME) :].strip() if note.lower().startswith(_NAME) else None
        return replace(identity, firmware=firmware or identity.firmware)

    async def read_identity(self) -> MinerIdentity:
        """``version`` and ``stats`` (either may fail alone: what neither says stays None)."""
        return await self._fetch_identity()

    def identity_unread(self, data: MinerData) -> bool:
        """Whether the identity is to be read again (neither command answered)."""
        return self._identity_incomplete(data)

    async def read(self) -> dict[str, Any]:
        """One poll's replies: ``stats`` alone, ``summary`` and ``pools`` when due."""
        return await self._poll()

    def remember(self, replies: dict[str, Any], identity: MinerIdentity) -> None:
        """Keep what the next polls need of them (the rare replies, the fans that spun)."""
        self._remember(replies, identity)

    def reading(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        """``MinerData`` from them (``antminer_stats``)."""
        return self._map(replies, identity)


class VNishAPI(Miner):
    """VNish: REST readings and controls; cgminer's API where REST is not there or fails."""

    family = "vnish"
    make = "Antminer"
    reports_errors = True

    def __init__(self, host: str, port: int = 4028, **kwargs: Any) -> None:
        """As ``Miner``; ``password`` is the web interface's (VNish's default is ``admin``)."""
        super().__init__(host, port, **kwargs)
        self.auth = Unlock(lambda: self.password)
        self.web = rest_api(self, self.auth)
        #: cgminer on the API port; never connected at the same time as the web port: it
        #: shares ``device_lock``.
        self.cgminer = VNishCGMinerAPI(host, port, web_session=self.web_session)
        self.cgminer.device_lock = self.device_lock
        #: Whether REST answers: None until a request told; False while it is not there
        #: (cgminer reads the miner; REST is asked again when ``refresh`` is due).
        self.rest: bool | None = None
        #: The identity was read from cgminer (no MAC): read from ``/info`` once REST answers.
        self.identity_from_cgminer = False
        #: The summary's hashrate unit (``info.hr_measure``), learned with the identity.
        self.hashrate_factor = _MEASURES["GH/s"]
        #: The rarely read replies (``/status``, ``/perf-summary``, ``/autotune/presets``) and
        #: when to read them again (REST itself, while it is not there).
        self.refresh = Refresh()
        #: When to read an incomplete identity again (``/info`` refused, unreadable, without a
        #: model; or read from cgminer while REST answers).
        self.identity_retry = Refresh()
        #: Which clock the uptime follows (REST's or cgminer's), and where it stands.
        self.clock = MiningClock()

    # --- what this miner can do --------------------------------------------------------------

    @property
    def capabilities(self) -> frozenset[Capability]:
        """Every control needs the web password and REST; the power preset also presets."""
        if self.password is None or self.rest is False:
            return frozenset()
        if self.power_presets:
            return CONTROLS | {Capability.POWER_PRESET}
        return CONTROLS

    @property
    def power_presets(self) -> tuple[str, ...]:
        """The autotune presets (names, e.g. ``"3250"`` or ``"disabled"``) the miner offers."""
        if self.password is None or self.rest is False:
            return ()
        return preset_names(self.refresh.replies.get(PRESETS))

    # --- requests ------------------------------------------------------------------------------

    async def _request(
        self, method: str, path: str, *, json: Any = None, control: bool = False
    ) -> HTTPReply:
        """One request, authorised when the password is known (for a read, unless the miner
        rejected it: reads need none); VNish's ``{"err"}`` of a 500 is the refusal's message,
        a 404 is ``NotServedError``."""
        authenticate = self.password is not None and (control or not self.auth.rejected)
        async with self.web.open(self.limits) as http:
            reply = await http.request(
                method, f"{API}/{path}", json=json, accept=_WORDED, authenticate=authenticate
            )
        if reply.status == HTTP_NOT_FOUND:
            raise not_served(reply)
        if reply.status != _HTTP_OK:
            raise APIRefusalError(f"{reply.what} answered HTTP {reply.status}: {_err(reply)}")
        return reply

    async def _read(self, path: str, *, control: bool = False) -> Any:
        return (await self._request("GET", path, control=control)).json()

    async def _control(self, path: str, *, json: Any = None) -> HTTPReply:
        """A control: the password is needed; the next poll reads what it may have changed
        (and asks REST again, had it been away)."""
        if self.password is None:
            raise self._unsupported(f"be controlled ({path}) without the web password")
        reply = await self._request("POST", path, json=json, control=True)
        self.refresh = self.refresh.soon()
        return reply

    # --- which API -----------------------------------------------------------------------------

    def _tcp(self) -> VNishCGMinerAPI:
        """cgminer's client, with the bounds as they are now."""
        self.cgminer.limits = self.limits
        return self.cgminer

    def _rest_due(self) -> bool:
        """Whether this poll asks REST: unless it was not there, and its next rare read (which
        asks it again) is not due yet."""
        return self.rest is not False or self.refresh.wanted(time.monotonic())

    def _rare(self) -> list[str]:
        """REST's rare reads (the presets only with the password)."""
        return [STATUS, PERF_SUMMARY] + ([PRESETS] if self.password is not None else [])

    def _rest_gone(self) -> None:
        """REST is not there (no connection, or 404) and cgminer answered: cgminer reads the
        miner, and REST's rare reads count as made now, with nothing (none of their replies
        stands), so REST is asked again ``REFRESH_SECONDS`` from now, or after a restart or a
        control."""
        self.rest = False
        self.refresh = self.refresh.after(
            {REFRESHED: self._rare()}, uptime=self.refresh.uptime, now=time.monotonic()
        )

    # --- identity and polling ------------------------------------------------------------------

    async def get_data(self) -> MinerData:
        """One poll on one web session; pool users are kept out of ``last_replies``."""
        return await web_poll(self, self.web, super().get_data)

    async def _fetch_identity(self) -> MinerIdentity:
        """``/api/v1/info``; where REST is not there, cgminer's ``version`` and ``stats``. A
        refused or unreadable ``/info`` leaves model and firmware unknown (read again when
        ``identity_retry`` wants it)."""
        self.identity_retry = self.identity_retry.read(time.monotonic())
        if not self._rest_due():
            return await self._cgminer_identity()
        try:
            info = await self._read("info")
        except (APIConnectionError, NotServedError) as err:
            try:
                identity = await self._cgminer_identity()
            except APIError:
                raise err from None
            self._rest_gone()
            return identity
        except APIRefusalError, APIDecodeError:
            return MinerIdentity(make=self.make)
        info = as_dict(info)
        self.identity_from_cgminer = False
        self.hashrate_factor = hashrate_factor(info)
        return identity_from_info(info)

    async def _cgminer_identity(self) -> MinerIdentity:
        identity = await self._tcp().read_identity()
        self.identity_from_cgminer = True
        return identity

    def _identity_incomplete(self, data: MinerData) -> bool:
        """An identity cgminer itself wants read again (on its own schedule); or, when
        ``identity_retry`` wants it (every ``REFRESH_SECONDS``, at once when REST came back),
        a model unknown, or an identity read from cgminer while REST answers (``/info`` has
        the MAC)."""
        if self.identity_from_cgminer and self.rest is not True:
            return self.cgminer.identity_unread(data)
        if not self.identity_from_cgminer and data.model is not None:
            return False
        return self.identity_retry.wanted(time.monotonic())

    async def _poll(self) -> dict[str, Any]:
        """``/summary`` (or what stands in for it), and the rare reads when they are due;
        cgminer's ``stats`` alone while REST is not there."""
        if not self._rest_due():
            return {TCP: await self._tcp().read()}
        replies: dict[str, Any] = {}
        try:
            replies[SUMMARY] = await self._summary()
        except (APIConnectionError, APIRefusalError, APIDecodeError) as err:
            replies.update(await self._fallback(err))
            if self.rest is False:
                return replies  # REST is not there: nothing more to ask it
        else:
            if self.rest is not True and self.identity_from_cgminer:
                self.identity_retry = self.identity_retry.soon()  # /info has the MAC
            self.rest = True
        if self.refresh.wanted(time.monotonic()):
            asked = self._rare()
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
        """The summary could not be used: cgminer's readings (REST left until its next rare
        read when it is not there: no connection, or 404), else ``/status`` alone while the web
        port answers; when neither answers usably, the summary's error."""
        try:
            replies = {TCP: await self._tcp().read()}
        except APIError:
            pass
        else:
            if isinstance(err, (APIConnectionError, NotServedError)):
                self._rest_gone()
            return replies
        if not isinstance(err, APIConnectionError):
            try:
                return {STATUS: await self._read(STATUS)}
            except APIRefusalError, APIDecodeError:
                pass
        raise err

    def _remember(self, replies: dict[str, Any], identity: MinerIdentity) -> None:
        """The uptime on its clock (``MiningClock``); the rare reads (due again when that
        uptime went back), and what cgminer's client keeps of its replies."""
        now = time.monotonic()
        if TCP in replies:
            self.cgminer.remember(replies[TCP], identity)
            self.clock = self.clock.tcp(uptime_of(replies[TCP]), now)
        else:
            miner = as_dict(as_dict(replies.get(SUMMARY)).get("miner"))
            status = as_dict(miner.get("miner_status")) if miner else as_dict(replies.get(STATUS))
            self.clock = self.clock.rest(_uptime(status), now)
        if self.clock.switched:
            # Another clock, not a restart: the restart checks start again on it.
            self._uptime = UptimeWatch()
            self.refresh = replace(self.refresh, uptime=None)
        self.refresh = self.refresh.after(replies, uptime=self.clock.uptime, now=now)

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        if SUMMARY in replies:
            data = map_summary(replies[SUMMARY]["miner"], identity, self.hashrate_factor)
        elif TCP in replies:
            data = replace(self.cgminer.reading(replies[TCP], identity), uptime=self.clock.uptime)
        else:
            status = as_dict(replies.get(STATUS))
            is_mining, errors = state_of(status)
            data = build_data(
                identity,
                hashrate=None,
                is_mining=is_mining,
                errors=errors if status else None,
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
        """``POST /api/v1/unlock``: 403 is a wrong password (``APIAuthError``). Without REST
        (none found, or 404 now) the password is not used: there is nothing to check."""
        if self.password is None or self.rest is False:
            return
        try:
            async with self.web.open(self.limits) as http:
                await self.auth.headers(http, renew=True)
        except NotServedError:
            return

    async def pause_mining(self) -> None:
        """``POST mining/pause``."""
        await self._control("mining/pause")

    async def resume_mining(self) -> None:
        """``POST mining/resume``."""
        await self._control("mining/resume")

    async def restart_backend(self) -> None:
        """``POST mining/restart``."""
        await self._restart("mining/restart")

    async def reboot(self) -> None:
        """``POST system/reboot``; the miner forgets every token."""
        await self._restart("system/reboot")
        self.auth.forget()
        self.forget_identity()

    async def _restart(self, path: str) -> None:
        """A control that restarts the miner or its mining software: dropped unanswered once
        sent, it is accepted (``errors.accept_dropped``)."""
        await accept_dropped(self._control(path))
        self.refresh = self.refresh.soon()

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

    async def close(self) -> None:
        """cgminer's client (the web sessions close with each operation)."""
        await self.cgminer.close()
