"""Braiins OS 25.07+ over its public REST API (``/api/v1`` on the web port), composed with the
bosminer API (``BOSMinerAPI``, TCP) for what the REST API cannot do here.

The REST API needs the root password: ``POST /api/v1/auth/login {"username": "root",
"password"}`` → ``{"token", "timeout_s"}``; the token goes raw in ``Authorization`` (API 1.3
rejects ``Bearer``), each request renews it, and a 401 logs in again once. Without a password,
or where the login is not found (older Braiins OS has no REST API: 404), the miner is read and
controlled over bosminer's API exactly as ``BOSMinerAPI`` does (the REST API tried again every
5 minutes). A login that fails otherwise (500 or 503 while the firmware boots, 429, a garbled
reply, no connection) decides nothing: bosminer's API reads that poll, the next poll logs in
again, and the REST controls stay offered (one pressed meanwhile fails with the login's error).
A poll whose REST replies are all refused or unreadable is read over bosminer's API too. The
token and the password never reach logs, errors or ``last_replies`` (nor do pool users).
Requests go through ``http.MinerHTTP``: Home Assistant's session, or one of the client's own
per poll or control; ``miner/details`` is read once for the identity and the poll beside it
(``PollReplies``).

A steady poll is four requests, one at a time: the REST API has no endpoint holding more
(``benchmarks/per_poll.py`` says so):

- ``miner/details``: ``status`` (2 NORMAL → mining; 1 NOT_STARTED, 3 PAUSED, 4 SUSPENDED → not;
  5 RESTRICTED: not stated publicly, the hashrate decides), ``bosminer_uptime_s`` → uptime
  (0: bosminer is not running), ``sticker_hashrate`` (expected hashrate when the nominal one
  is missing);
- ``miner/stats``: ``real_hashrate`` windows → hashrate (the freshest, ``last_5s``) and
  average (``since_restart``), ``nominal_hashrate`` → expected hashrate (it follows the power
  target), ``power_stats.approximated_consumption`` → power, ``pool_stats`` → shares,
  ``best_share`` → best session difficulty, ``found_blocks``;
- ``miner/hw/hashboards``: boards by ``id`` (from "1"): freshest rate, ``board_temp``,
  ``highest_chip_temp``, ``chips_count``; ``lowest_inlet_temp`` / ``highest_outlet_temp`` →
  inlet (lowest) and outlet (highest) temperatures; a disabled board is not hashing: no board;
- ``cooling/state``: fans by ``position``, rpm and ``target_speed_ratio`` (0-1) → %.

Rarely (``refresh.Refresh``: first poll, every 5 minutes, after a control, after bosminer
restarted; their last replies stand in between):
``performance/tuner-state`` (the power target → ``power_limit``), ``configuration/constraints``
(``tuner_constraints.power_target`` min/max → ``power_limit_bounds``), ``pools/``,
``miner/errors`` and ``actions/locate`` (a bare boolean → ``fault_light``).

``miner/errors`` is a log kept across reboots (weeks-old pool DNS failures on a miner mining
fine): ``errors`` holds the distinct messages logged since bosminer started, on the miner's own
clock (the time of the last share, else the newest entry); an entry stamped before the clock
was set (1970-2015 at boot) cannot be placed and is left out.

Identity (once): ``miner/details``: ``miner_identity.miner_model`` → make and model,
``bos_version.current`` → firmware, ``mac_address``, ``hostname``, ``serial_number``, ``uid``
(the firmware's own id).

Controls: pause / resume (``PUT actions/pause|resume`` → a boolean "already so", not a
failure), restart of bosminer (``actions/restart``), reboot (``actions/reboot`` → 204; both
accepted when the miner drops the connection after the request, or answers with nothing, as
it goes down: ``errors.accept_dropped``), the locate LED (``PUT actions/locate`` with ``true``/``false`` → the new state), power target
(``PUT performance/power-target {"watt"}`` within the constraints). Over bosminer's API: pause
and resume only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
import math
import time
from typing import Any, Final

from .bosminer import BOSMinerAPI
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
from .mapping import as_dict, build_data, dicts, lower_mac, max_of, min_of, split_make, sum_of, text
from .miner import Miner
from .models import CLASSIC_CONTROLS, Capability, Fan, HashBoard, MinerData, MinerIdentity, Pool
from .poll_replies import PollReplies, web_poll
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
USERNAME: Final = "root"
#: Keys of ``last_replies``: the REST paths read.
DETAILS: Final = "miner/details"
STATS: Final = "miner/stats"
HASHBOARDS: Final = "miner/hw/hashboards"
COOLING: Final = "cooling/state"
TUNER: Final = "performance/tuner-state"
CONSTRAINTS: Final = "configuration/constraints"
POOLS: Final = "pools/"
ERRORS: Final = "miner/errors"
LOCATE: Final = "actions/locate"
#: What Braiins OS's front page (``GET /``, no login) says it is: the fingerprint pyasic
#: (``factory._parse_web_type``) and asic-rs (``identify_web``) identify it by.
FRONT_PAGE_NAME: Final = "Braiins OS"
#: Read every poll, and now and then (``refresh``).
STEADY: Final = (DETAILS, STATS, HASHBOARDS, COOLING)
RARE: Final = (TUNER, CONSTRAINTS, POOLS, ERRORS, LOCATE)
#: ``real_hashrate`` windows, freshest first.
WINDOWS: Final = (
    "last_5s", "last_15s", "last_30s", "last_1m", "last_5m", "last_15m", "last_30m", "last_1h",
    "last_24h", "since_restart",
)  # fmt: skip
#: ``miner/details.status`` (bos-plus-api ``MinerStatus``) → is_mining; others: the hashrate.
_MINING: Final = {1: False, 2: True, 3: False, 4: False}
#: A timestamp earlier than this is a clock not yet set at boot.
_CLOCK_SET: Final = datetime.fromisoformat("2016-01-01T00:00:00+00:00")
_HTTP_FORBIDDEN: Final = 403
#: Statuses whose body says why a control was refused (all but 401, which renews the token).
_ANSWERED: Final = frozenset(range(200, 600)) - {401}
#: No miner's power target reaches a megawatt: a bound past it is no bound (and an integer
#: Home Assistant could not store).
_MAX_WATTS: Final = 1_000_000
REST_CONTROLS: Final = CLASSIC_CONTROLS - {Capability.WORK_MODE, Capability.POWER_LIMIT}


class Login(SessionToken):
    """Braiins OS's ``TokenAuth``: root's password for a token, sent raw (API 1.3 refuses
    ``Bearer``)."""

    def authorization(self, token: str) -> Mapping[str, str]:
        """``Authorization: <token>``."""
        return {"Authorization": token}

    async def login(self, http: HTTPClient) -> str:
        """``POST /api/v1/auth/login``: a token; 401/403 is a wrong password, 404 no REST API
        here (``NotServedError``)."""
        reply = await http.request(
            "POST",
            f"{API}/auth/login",
            json={"username": USERNAME, "password": self.password(http)},
            accept=(200, _HTTP_FORBIDDEN, HTTP_NOT_FOUND),
            authenticate=False,
        )
        if reply.status == _HTTP_FORBIDDEN:
            raise APIAuthError(f"{reply.what}: the miner rejected the password (HTTP 403)")
        if reply.status == HTTP_NOT_FOUND:
            raise not_served(reply)
        return token_of(reply)


async def probe(http: HTTPClient, password: str | None = None) -> type[Miner] | None:
    """Detection: a web interface whose front page names Braiins OS, where a login with root's
    password is answered with a token, is Braiins OS's REST API.

    The password goes only to a web interface that said it is Braiins OS without one: the
    front page (``GET /``, open) names it (``FRONT_PAGE_NAME``, the fingerprint pyasic and
    asic-rs identify Braiins OS's web interface by; the OpenAPI names no REST endpoint open
    without a token). Without a password, or where the login is refused (a wrong password),
    it is not known here: bosminer's API tells.
    """
    if password is None:
        return None
    front = await http.request("GET", "/", accept=ANY_STATUS, authenticate=False)
    if front.status != 200 or FRONT_PAGE_NAME not in front.text():
        return None
    reply = await http.request(
        "POST",
        f"{API}/auth/login",
        json={"username": USERNAME, "password": password},
        accept=ANY_STATUS,
        authenticate=False,
    )
    if reply.status != 200:
        return None
    try:
        token_of(reply)
    except APIDecodeError:
        return None
    return BraiinsOSAPI


# --- mapping (plain functions of the replies) --------------------------------------------------


def _unit(value: Any, unit: str) -> float | None:
    """A value in a unit wrapper (``{"watt": 3137}``)."""
    return as_float(as_dict(value).get(unit))


def _positive(value: float | None) -> float | None:
    """0 (or less) stands for "none" in these readings (a temperature, a power, a share)."""
    return value if value is not None and value > 0 else None


def _ths(value: Any) -> float | None:
    """``{"gigahash_per_second": x}`` → TH/s."""
    rate = _unit(value, "gigahash_per_second")
    return None if rate is None else rate / 1000


def freshest(rates: Any) -> float | None:
    """The freshest window of ``real_hashrate`` (TH/s)."""
    windows = as_dict(rates)
    return next(
        (rate for window in WINDOWS if (rate := _ths(windows.get(window))) is not None), None
    )


def _temperature(value: Any) -> float | None:
    return _positive(_unit(value, "degree_c"))


def identity_from_details(details: dict[str, Any]) -> MinerIdentity:
    """Make, model, firmware, MAC, hostname, serial and the firmware's id of ``miner/details``."""
    identity = as_dict(details.get("miner_identity"))
    make, model = split_make(text(identity.get("miner_model")) or text(identity.get("name")))
    return MinerIdentity(
        make=make,
        model=model,
        firmware=text(as_dict(details.get("bos_version")).get("current")),
        mac=lower_mac(details.get("mac_address")),
        hostname=text(details.get("hostname")),
        serial=text(details.get("serial_number")),
        miner_id=text(details.get("uid")),
    )


def map_hashboards(reply: Any) -> list[HashBoard]:
    """The enabled boards of ``miner/hw/hashboards``, indexed from 0 (ids from "1")."""
    entries = dicts(as_dict(reply).get("hashboards"))
    ids = [as_int(entry.get("id")) for entry in entries]
    base = 0 if any(index is not None and index < 1 for index in ids) else 1
    boards = []
    for position, (entry, board_id) in enumerate(zip(entries, ids, strict=True)):
        if entry.get("enabled") is False:
            continue
        boards.append(
            HashBoard(
                index=position if board_id is None else board_id - base,
                hashrate=freshest(as_dict(entry.get("stats")).get("real_hashrate")),
                temperature=_temperature(entry.get("board_temp")),
                chip_temperature=_temperature(
                    as_dict(entry.get("highest_chip_temp")).get("temperature")
                ),
                chips=as_int(entry.get("chips_count")) or None,
            )
        )
    return boards


def map_cooling(reply: Any) -> list[Fan]:
    """Fans of ``cooling/state``: rpm and the speed ratio in %."""
    fans = []
    for position, fan in enumerate(dicts(as_dict(reply).get("fans"))):
        index = as_int(fan.get("position"))
        ratio = as_float(fan.get("target_speed_ratio"))
        # A ratio near the float range's end is inf once in %: no percent (round would raise).
        percent = None if ratio is None else ratio * 100
        fans.append(
            Fan(
                index=position if index is None else index,
                rpm=as_int(fan.get("rpm")),
                percent=round(percent) if percent is not None and math.isfinite(percent) else None,
            )
        )
    return fans


def map_pools(reply: Any) -> list[Pool]:
    """Every pool of every group of ``pools/``."""
    pools = []
    for group in dicts(reply):
        for pool in dicts(group.get("pools")):
            url = text(pool.get("url"))
            if url is None:
                continue
            stats = as_dict(pool.get("stats"))
            alive, active = pool.get("alive"), pool.get("active")
            pools.append(
                Pool(
                    url=url,
                    user=text(pool.get("user")),
                    alive=alive if isinstance(alive, bool) else None,
                    active=active if isinstance(active, bool) else None,
                    accepted=as_int(stats.get("accepted_shares")),
                    rejected=as_int(stats.get("rejected_shares")),
                )
            )
    return pools


def power_target_bounds(reply: Any) -> tuple[int, int] | None:
    """``tuner_constraints.power_target`` min and max (W) of ``configuration/constraints``."""
    target = as_dict(as_dict(as_dict(reply).get("tuner_constraints")).get("power_target"))
    low, high = _unit(target.get("min"), "watt"), _unit(target.get("max"), "watt")
    if low is None or high is None or low > high or high > _MAX_WATTS:
        return None
    return round(low), round(high)


def power_target(reply: Any) -> float | None:
    """The current power target (W) of ``performance/tuner-state`` (power target mode only)."""
    state = as_dict(as_dict(as_dict(reply).get("mode_state")).get("powertargetmodestate"))
    return _positive(_unit(state.get("current_target"), "watt"))


def _when(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def errors_since_start(
    log: Iterable[dict[str, Any]], uptime: int | None, miner_now: float | None
) -> list[str]:
    """Distinct messages of ``miner/errors`` logged since bosminer started.

    ``miner_now`` is the miner's clock as far as the replies tell (epoch seconds); entries are
    placed on it, never on ours (the miner's clock may be off). Without it, the newest entry
    stands for "now".
    """
    entries = [
        (moment, text(entry.get("message")))
        for entry in log
        if (moment := _when(entry.get("timestamp")))
    ]
    entries = [(moment, message) for moment, message in entries if message and moment >= _CLOCK_SET]
    if not entries:
        return []
    now = max([moment.timestamp() for moment, _ in entries] + ([miner_now] if miner_now else []))
    start = now - (uptime or 0)
    messages: list[str] = []
    for moment, message in sorted(entries, key=lambda item: item[0]):
        if moment.timestamp() >= start and message is not None and message not in messages:
            messages.append(message)
    return messages


class BraiinsOSAPI(Miner):
    """Braiins OS 25.07+: the REST API with the root password, bosminer's API without."""

    family = "braiins-os"
    reports_errors = True

    def __init__(self, host: str, port: int = 4028, **kwargs: Any) -> None:
        """As ``Miner``; ``password`` is root's (the REST API needs it)."""
        super().__init__(host, port, **kwargs)
        self.auth = Login(lambda: self.password)
        self.web = rest_api(self, self.auth)
        #: bosminer's API: the whole client where the REST API is not used. It shares
        #: ``device_lock``: never two connections to the miner at once.
        self.bosminer = BOSMinerAPI(
            host, port, web_port=self.web_port, web_session=self.web_session
        )
        self.bosminer.device_lock = self.device_lock
        #: Whether the REST API is used: None until a login decided it; False is tried again
        #: when ``rest_retry`` wants it (every ``refresh.REFRESH_SECONDS``).
        self.rest: bool | None = None
        self.rest_retry = Refresh()
        #: The rarely read replies and when to read them again.
        self.refresh = Refresh()
        #: ``miner/details`` is read once for the identity and the poll beside it.
        self._replies = PollReplies()

    # --- which API -------------------------------------------------------------------------------

    def _tcp(self) -> BOSMinerAPI:
        """bosminer's client, with the bounds as they are now."""
        self.bosminer.limits = self.limits
        return self.bosminer

    async def _on_rest(self) -> bool:
        """Whether to use the REST API now; a login that fails without saying there is none
        (``_rest_decided``) makes bosminer's API read this time, and decides nothing."""
        try:
            return await self._rest_decided()
        except APIConnectionError, APIRefusalError, APIDecodeError:
            return False

    async def _rest_decided(self) -> bool:
        """Whether to use the REST API; the first time (and every 5 minutes while it was not
        there) a login decides: not found (404) means no REST API here. Any other failure of
        the login (no connection, 500/503 while booting, 429, a garbled reply) is raised and
        decides nothing; a wrong password is ``APIAuthError``."""
        if self.password is None:
            return False
        if self.rest:
            return True
        now = time.monotonic()
        if self.rest is False and not self.rest_retry.wanted(now):
            return False
        try:
            async with self.web.open(self.limits) as http:
                await self.auth.headers(http, renew=True)
        except NotServedError:
            self.rest = False  # no REST API here (older Braiins OS): bosminer's API
            self.rest_retry = self.rest_retry.read(now)
            return False
        self.rest = True
        return True

    @property
    def on_bosminer(self) -> bool:
        """Whether bosminer's API reads and controls this miner (as far as known now)."""
        return self.password is None or self.rest is False

    # --- what this miner can do --------------------------------------------------------------

    @property
    def capabilities(self) -> frozenset[Capability]:
        """REST: pause/resume, restart, reboot, locate, power limit (once its range is known);
        bosminer's API: pause/resume."""
        if self.on_bosminer:
            return self.bosminer.capabilities
        if self.power_limit_bounds is None:
            return REST_CONTROLS
        return REST_CONTROLS | {Capability.POWER_LIMIT}

    @property
    def power_limit_bounds(self) -> tuple[int, int] | None:
        """The tuner's power target range (W), as the miner states it."""
        if not self.rest:
            return None
        return power_target_bounds(self.refresh.replies.get(CONSTRAINTS))

    @property
    def identity(self) -> MinerIdentity | None:
        """The cached identity (bosminer client's while it reads the miner)."""
        return self.bosminer.identity if self.on_bosminer else self._identity

    def forget_identity(self) -> None:
        """Forget it on both sides; the next poll also decides the API again."""
        super().forget_identity()
        self.bosminer.forget_identity()
        if self.rest is False:
            self.rest = None

    # --- polling -------------------------------------------------------------------------------

    async def get_data(self) -> MinerData:
        """REST when it is there (one web session for the poll, pool users kept out of
        ``last_replies``); bosminer's API otherwise, or when every REST reply of the poll was
        refused or unreadable (the same readings, fewer of them)."""
        self._replies.clear()
        if not await self._on_rest():
            return await self._tcp_data()
        try:
            return await web_poll(self, self.web, super().get_data)
        except (APIRefusalError, APIDecodeError) as err:
            try:
                return await self._tcp_data()
            except APIError:
                raise err from None

    async def _tcp_data(self) -> MinerData:
        bosminer = self._tcp()
        data = await bosminer.get_data()
        self.last_replies = bosminer.last_replies
        return data

    async def _fetch_identity(self) -> MinerIdentity:
        """``miner/details`` (bosminer's ``version`` and ``devdetails`` without REST); a refused
        or unreadable one leaves the identity unknown, read again at the next poll."""
        if not await self._on_rest():
            return await self._tcp().get_identity()
        try:
            details = await self._details()
        except APIRefusalError, APIDecodeError:
            return MinerIdentity()
        return identity_from_details(as_dict(details))

    def _identity_incomplete(self, data: MinerData) -> bool:
        return data.model is None

    async def _read(self, path: str) -> Any:
        async with self.web.open(self.limits) as http:
            return (await http.request("GET", f"{API}/{path}")).json()

    async def _details(self) -> Any:
        return await self._replies.read(DETAILS, lambda: self._read(DETAILS))

    async def _poll(self) -> dict[str, Any]:
        """The four steady reads and, when due, the rare ones; one refused or unreadable read
        is left out, all of them refused fails the poll (then bosminer's API answers)."""
        replies: dict[str, Any] = {}
        failure: APIError | None = None
        rare = list(RARE) if self.refresh.wanted(time.monotonic()) else []
        for path in (*STEADY, *rare):
            try:
                replies[path] = await (self._details() if path == DETAILS else self._read(path))
            except (APIRefusalError, APIDecodeError) as err:
                failure = failure or err
        if failure is not None and not any(path in replies for path in STEADY):
            raise failure
        replies[REFRESHED] = rare
        return replies

    def _remember(self, replies: dict[str, Any], identity: MinerIdentity) -> None:
        """The rare replies, kept until read again (sooner when bosminer restarted)."""
        uptime = as_int(as_dict(replies.get(DETAILS)).get("bosminer_uptime_s"))
        self.refresh = self.refresh.after(replies, uptime=uptime, now=time.monotonic())

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        rare = self.refresh.merged(replies)
        details = as_dict(replies.get(DETAILS))
        stats = as_dict(replies.get(STATS))
        miner_stats = as_dict(stats.get("miner_stats"))
        pool_stats = as_dict(stats.get("pool_stats"))
        boards = map_hashboards(replies.get(HASHBOARDS))
        hashrate = freshest(miner_stats.get("real_hashrate"))
        uptime = as_int(details.get("bosminer_uptime_s"))
        expected = _ths(miner_stats.get("nominal_hashrate")) or _ths(
            details.get("sticker_hashrate")
        )
        last_share = as_float(as_dict(pool_stats.get("last_share_time")).get("seconds"))
        hashboards = dicts(as_dict(replies.get(HASHBOARDS)).get("hashboards"))
        light = rare.get(LOCATE)
        data = build_data(
            identity,
            hashrate=hashrate if hashrate is not None else sum_of(b.hashrate for b in boards),
            expected_hashrate=_positive(expected),
            power=_positive(
                _unit(as_dict(stats.get("power_stats")).get("approximated_consumption"), "watt")
            ),
            power_limit=power_target(rare.get(TUNER)),
            boards=boards,
            fans=map_cooling(replies.get(COOLING)),
            pools=map_pools(rare.get(POOLS)),
            uptime=uptime or None,
            is_mining=_MINING.get(as_int(details.get("status")) or 0),
            errors=None
            if ERRORS not in rare
            else errors_since_start(
                dicts(as_dict(rare.get(ERRORS)).get("errors")),
                uptime or as_int(details.get("system_uptime_s")),
                _positive(last_share),
            ),
            fault_light=light if isinstance(light, bool) else None,
        )
        return replace(
            data,
            average_hashrate=_ths(as_dict(miner_stats.get("real_hashrate")).get("since_restart")),
            shares_accepted=as_int(pool_stats.get("accepted_shares")),
            shares_rejected=as_int(pool_stats.get("rejected_shares")),
            best_session_difficulty=_positive(as_float(miner_stats.get("best_share"))),
            blocks_found=as_int(miner_stats.get("found_blocks")),
            inlet_temperature=min_of(
                _temperature(board.get("lowest_inlet_temp")) for board in hashboards
            ),
            outlet_temperature=max_of(
                _temperature(board.get("highest_outlet_temp")) for board in hashboards
            ),
        )

    # --- controls ------------------------------------------------------------------------------

    async def check_password(self) -> None:
        """A login: 401/403 is a wrong password; a miner without the REST API (404) does not use
        the password, so there is nothing to check."""
        if self.password is None:
            return
        try:
            async with self.web.open(self.limits) as http:
                await self.auth.headers(http, renew=True)
        except APIRefusalError, APIDecodeError:
            return

    async def _send(self, method: str, path: str, body: Any = None) -> HTTPReply:
        """A control through the REST API; the miner's reason for a refusal is in the error."""
        self._replies.clear()
        async with self.web.open(self.limits) as http:
            reply = await http.request(method, f"{API}/{path}", json=body, accept=_ANSWERED)
        if not 200 <= reply.status < 300:
            raise APIRefusalError(
                f"{reply.what} answered HTTP {reply.status}: {excerpt(reply.text())}"
            )
        self.refresh = self.refresh.soon()
        return reply

    async def _need_rest(self, action: str) -> None:
        """``APIUnsupportedError`` where bosminer's API reads this miner: it cannot ``action``;
        the login's error where it failed without deciding."""
        if not await self._rest_decided():
            raise self._unsupported(f"{action} without the REST API (it needs root's password)")

    async def pause_mining(self) -> None:
        """``PUT actions/pause`` (bosminer's ``pause`` without REST)."""
        if not await self._on_rest():
            await self._tcp().pause_mining()
            return
        await self._send("PUT", "actions/pause")

    async def resume_mining(self) -> None:
        """``PUT actions/resume`` (bosminer's ``resume`` without REST)."""
        if not await self._on_rest():
            await self._tcp().resume_mining()
            return
        await self._send("PUT", "actions/resume")

    async def restart_backend(self) -> None:
        """``PUT actions/restart``: bosminer restarts."""
        await self._need_rest("restart bosminer")
        await self._restart("actions/restart")

    async def reboot(self) -> None:
        """``PUT actions/reboot`` (204); the miner forgets the token."""
        await self._need_rest("reboot")
        await self._restart("actions/reboot")
        self.auth.forget()
        self.forget_identity()

    async def _restart(self, path: str) -> None:
        """A control that restarts the miner or bosminer: dropped unanswered once sent, it is
        accepted (``errors.accept_dropped``)."""
        await accept_dropped(self._send("PUT", path))
        self.refresh = self.refresh.soon()

    async def set_fault_light(self, on: bool) -> None:
        """``PUT actions/locate`` with ``true``/``false``; the reply is the new state."""
        await self._need_rest("switch the locate LED")
        state = (await self._send("PUT", "actions/locate", on)).json()
        if isinstance(state, bool) and state is not on:
            raise APIRefusalError(f"{self.host}: the locate LED stayed {'on' if state else 'off'}")

    async def set_power_limit(self, watts: int) -> None:
        """``PUT performance/power-target {"watt"}`` within the constraints."""
        await self._need_rest("set a power target")
        self._check_power_limit(watts)
        reply = (await self._send("PUT", "performance/power-target", {"watt": watts})).json()
        applied = as_int(as_dict(reply).get("watt"))
        if applied is not None and applied != watts:
            raise APIRefusalError(f"{self.host}: the miner set the power target to {applied} W")

    async def close(self) -> None:
        """bosminer's client (the web sessions close with each operation)."""
        await self.bosminer.close()
