"""ePIC UMC (PowerPlay-BMS on umcOS, an ePIC control board in an Antminer): HTTP on the API
port (4028), not the cgminer protocol.

Facts from the ePIC UMC API (OpenAPI 1.30.0, as saved in 256foundation/asic-rs
``meta/epic/1.30.0/powerplay.json``) and the clients that use it (asic-rs, pyasic):

- Reads need no authentication. One steady poll is ``GET /summary``: ``HBs[]`` (per board
  ``Hashrate`` as ``[MH/s, % of ideal, error %]``, ``Temperature`` °C), ``Fans Rpm``
  (``"Fans Speed 1"`` … ``12``, null where no fan is fitted) and ``Fans`` (duty %, the fan
  mode and its target temperature), ``Power Supply Stats`` (``Input Power`` W),
  ``PresetInfo`` (``Target Power`` W), ``Status`` (``Operating State``: Mining, Idling,
  Stopping, Initializing, …; ``Last Error``), ``Session`` (``Uptime`` s, ``Average MHs``,
  shares), ``Stratum`` (the current pool as ``host:port``), ``StratumConfigs`` (pool URL,
  worker and password in clear), ``Misc`` (``Locate Miner State``), ``Software``,
  ``Hostname``. A GET the miner cannot answer says ``{"result": false, "error": …}``.
- Identity: ``/capabilities`` (``Model`` such as ``AntMiner S19j Pro``, ``Miner Serial
  Number`` (nullable), the control board's ``cpuSerial``), ``/network`` (``{"dhcp"|"static":
  {…, "mac_address"}}``), and ``Software``/``Hostname`` of ``/summary``.
- Controls: every POST carries ``{"param": …, "password": <miner password>}`` (``letmein``
  unless the owner changed it) and answers 200 ``{"result": true|false, "error": null |
  "BadPassword" | "MissingParam" | {…}}``: ``/miner`` ``"Stop"``/``"Autostart"`` (pause,
  resume), ``/reboot`` (delay 0), ``/softreboot`` (the mining software only), ``/identify``
  true/false (the locate LED, read back as ``Locate Miner State``); ``/authenticate`` checks a
  password (1.30). ``BadPassword`` is ``APIAuthError``, another error a refusal. A reboot or
  soft reboot that the miner drops once sent, or answers with nothing, as it goes down, is
  accepted (``errors.accept_dropped``).

Readings: the hashrate is the boards' current sum (the session average is
``average_hashrate``), the expected hashrate the boards' ideal (each board's MH/s ÷ its % of
ideal), is_mining false while Idling or Stopping. Pool passwords and workers are kept out of
``last_replies``; the password is only ever in a request body.
"""

from __future__ import annotations

from dataclasses import replace
import json
import re
from typing import Any, ClassVar, Final

from .decoding import as_float, as_int, excerpt
from .errors import APIAuthError, APIDecodeError, APIRefusalError, accept_dropped
from .http import HTTPClient, HTTPReply, MinerHTTP
from .mapping import as_dict, build_data, lower_mac, sum_of, text
from .miner import Miner
from .models import Capability, Fan, HashBoard, MinerData, MinerIdentity, Pool
from .poll_replies import PollReplies, web_poll
from .redact import POOL_SECRETS

SUMMARY: Final = "/summary"
CAPABILITIES: Final = "/capabilities"
NETWORK: Final = "/network"
#: The factory password of ePIC firmware (its API documentation's example, pyasic's default).
DEFAULT_PASSWORD: Final = "letmein"  # noqa: S105  # the documented factory default
#: Pool passwords and workers never kept in last_replies.
SECRET_KEYS: Final = POOL_SECRETS | {"password", "login", "Current User"}
#: Operating states in which the miner does not hash and is not on its way to.
_STOPPED: Final = frozenset({"idling", "stopping"})
#: Brands ePIC writes in ``Model`` ("AntMiner S19j Pro") as they are usually spelt.
_MAKES: Final = {"antminer": "Antminer", "whatsminer": "Whatsminer", "avalon": "Avalon"}
#: The slot number ending a ``Fans Rpm`` key (``Fans Speed 12``): ASCII digits, at most three
#: (a longer number names no fan and is no loop of ``int`` over thousands of digits).
_FAN_SLOT: Final = re.compile(r"(?<![0-9])([0-9]{1,3})\s*$")
_ANY_STATUS: Final = range(100, 600)
#: A firmware error quoted whole up to this length.
_ERROR_CHARS: Final = 120


def split_model(model: str | None) -> tuple[str | None, str | None]:
    """``"AntMiner S19j Pro"`` -> ``("Antminer", "S19j Pro")``."""
    if model:
        head, _, rest = model.partition(" ")
        make = _MAKES.get(head.lower())
        if make is not None and rest:
            return make, rest
    return None, model or None


def _positive(value: Any) -> float | None:
    number = as_float(value)
    return number if number is not None and number > 0 else None


def _boards(summary: dict[str, Any]) -> list[tuple[HashBoard, float | None]]:
    """Each board and its ideal rate (TH/s) where it reports one."""
    entries = summary.get("HBs")
    boards = []
    for position, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict):
            continue
        rates = entry.get("Hashrate")
        rates = rates if isinstance(rates, list) else [rates]
        mhs = as_float(rates[0]) if rates else None
        percent = as_float(rates[1]) if len(rates) > 1 else None
        ideal = mhs / percent * 100 / 1e6 if mhs is not None and percent else None
        index = as_int(entry.get("Index"))
        board = HashBoard(
            index=position if index is None else index,
            hashrate=None if mhs is None else mhs / 1e6,
            temperature=_positive(entry.get("Temperature")),
        )
        boards.append((board, ideal))
    return boards


def _fans(summary: dict[str, Any]) -> list[Fan]:
    """Fitted fans (``Fans Rpm`` slots that are not null), with the common duty."""
    rpms = summary.get("Fans Rpm")
    fans_info = summary.get("Fans")
    duty = as_float(fans_info.get("Fans Speed")) if isinstance(fans_info, dict) else None
    fans = []
    for name, rpm in rpms.items() if isinstance(rpms, dict) else ():
        slot = _FAN_SLOT.search(name) if isinstance(name, str) else None
        if rpm is None or slot is None or int(slot.group(1)) < 1:
            continue
        fans.append(
            Fan(
                index=int(slot.group(1)) - 1,
                rpm=as_int(rpm),
                percent=None if duty is None else round(duty),
            )
        )
    return sorted(fans, key=lambda fan: fan.index)


def _fan_mode(summary: dict[str, Any]) -> tuple[bool | None, float | None]:
    """(automatic, its target temperature)."""
    fans = summary.get("Fans")
    mode = fans.get("Fan Mode") if isinstance(fans, dict) else None
    if not isinstance(mode, dict):
        return None, None
    auto = mode.get("Auto")
    if isinstance(auto, dict):
        return True, _positive(auto.get("Target Temperature"))
    return (False if "Manual" in mode else None), None


def _pools(summary: dict[str, Any]) -> list[Pool]:
    """``StratumConfigs``; the one ``Stratum."Current Pool"`` names is active."""
    stratum = summary.get("Stratum")
    stratum = stratum if isinstance(stratum, dict) else {}
    current = text(stratum.get("Current Pool"))
    connected = stratum.get("IsPoolConnected")
    configs = summary.get("StratumConfigs")
    pools = []
    for config in configs if isinstance(configs, list) else []:
        url = text(config.get("pool")) if isinstance(config, dict) else None
        if url is None:
            continue
        active = current is not None and url.split("://")[-1] == current.split("://")[-1]
        pools.append(
            Pool(
                url=url,
                user=text(config.get("login")),
                alive=connected if active and isinstance(connected, bool) else None,
                active=active,
            )
        )
    return pools


def _error_text(error: Any) -> str:
    """An ApiError or MinerError: a name, or an object naming it (short, or cut)."""
    words = error if isinstance(error, str) else json.dumps(error)
    return words if len(words) <= _ERROR_CHARS else excerpt(words)


def map_summary(summary: dict[str, Any], identity: MinerIdentity) -> MinerData:
    """``/summary`` as ``MinerData``."""
    boards_and_ideals = _boards(summary)
    boards = [board for board, _ in boards_and_ideals]
    status = as_dict(summary.get("Status"))
    state = text(status.get("Operating State"))
    is_mining = None if state is None else state.lower() not in _STOPPED
    hashrate = sum_of(board.hashrate for board in boards)
    if hashrate is None and is_mining is False:
        hashrate = 0.0
    ideals = [ideal for _, ideal in boards_and_ideals]
    session = as_dict(summary.get("Session"))
    supply = as_dict(summary.get("Power Supply Stats"))
    locate = as_dict(summary.get("Misc")).get("Locate Miner State")
    average = as_float(session.get("Average MHs"))
    fan_auto, target = _fan_mode(summary)
    error = status.get("Last Error")
    data = build_data(
        identity,
        hashrate=hashrate,
        expected_hashrate=sum_of(ideals) if None not in ideals else None,
        power=_positive(supply.get("Input Power")),
        power_limit=_positive(as_dict(summary.get("PresetInfo")).get("Target Power")),
        boards=boards,
        fans=_fans(summary),
        pools=_pools(summary),
        uptime=as_int(session.get("Uptime")),
        is_mining=is_mining,
        errors=[] if error in (None, "") else [_error_text(error)],
        fault_light=locate if isinstance(locate, bool) else None,
    )
    return replace(
        data,
        average_hashrate=None if average is None else average / 1e6,
        input_voltage=_positive(supply.get("Input Voltage")),
        input_current=_positive(supply.get("Input Current")),
        shares_accepted=as_int(session.get("Accepted")),
        shares_rejected=as_int(session.get("Rejected")),
        fan_auto=fan_auto,
        target_temperature=target,
    )


def _checked(reply: Any, what: str) -> dict[str, Any]:
    """A GET's object; ``{"result": false, "error": …}`` is the miner saying it cannot."""
    if not isinstance(reply, dict):
        raise APIDecodeError(f"{what}: reply is not a JSON object")
    if reply.get("result") is False:
        raise APIRefusalError(f"{what} refused: {_error_text(reply.get('error'))}")
    return reply


class EPicAPI(Miner):
    """An ePIC UMC control board, over its HTTP API on ``port`` (4028)."""

    family: ClassVar[str] = "epic"
    secret_keys: ClassVar[frozenset[str]] = SECRET_KEYS
    #: ``Status."Last Error"``.
    reports_errors: ClassVar[bool] = True
    controls: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.REBOOT,
            Capability.RESTART_BACKEND,
            Capability.PAUSE_RESUME,
            Capability.FAULT_LIGHT,
        }
    )

    def __init__(self, host: str, port: int = 4028, **kwargs: Any) -> None:
        """As ``Miner``; the HTTP API is on ``port``."""
        super().__init__(host, port, **kwargs)
        self._replies = PollReplies()
        self._http = MinerHTTP(
            self.host, self.port, lock=self.device_lock, session=self.web_session
        )

    async def _send(self, method: str, path: str, body: Any = None, **kwargs: Any) -> HTTPReply:
        async with self._http.open(self.limits) as http:
            return await http.request(method, path, json=body, **kwargs)

    async def _get(self, path: str) -> dict[str, Any]:
        reply = await self._send("GET", path)
        return _checked(reply.json(), reply.what)

    async def _summary(self) -> dict[str, Any]:
        return await self._replies.read(SUMMARY, lambda: self._get(SUMMARY))

    # --- polling -------------------------------------------------------------------------------

    async def _fetch_identity(self) -> MinerIdentity:
        summary = await self._summary()
        capabilities = await self._get(CAPABILITIES)
        try:
            network = await self._get(NETWORK)
        except APIRefusalError, APIDecodeError:
            network = {}
        address = next((entry for entry in network.values() if isinstance(entry, dict)), {})
        board = capabilities.get("Control Board Version")
        make, model = split_model(text(capabilities.get("Model")))
        return MinerIdentity(
            make=make,
            model=model,
            firmware=text(summary.get("Software")),
            mac=lower_mac(address.get("mac_address")),
            hostname=text(summary.get("Hostname")),
            serial=text(capabilities.get("Miner Serial Number")),
            miner_id=text(board.get("cpuSerial")) if isinstance(board, dict) else None,
        )

    async def _poll(self) -> dict[str, Any]:
        return {"summary": await self._summary()}

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        return map_summary(replies["summary"], identity)

    async def get_data(self) -> MinerData:
        """One poll on one session; pool passwords and workers are kept out of
        ``last_replies``."""
        poll = super().get_data
        return await web_poll(self, self._http, poll, replies=self._replies)

    # --- controls ------------------------------------------------------------------------------

    async def _post(self, path: str, param: Any = None, *, with_param: bool = True) -> None:
        """``POST path`` with the password; ``BadPassword`` is an ``APIAuthError``."""
        self._replies.clear()
        body: dict[str, Any] = {"password": self.password or DEFAULT_PASSWORD}
        if with_param:
            body["param"] = param
        reply = await self._send("POST", path, body)
        result = reply.json()
        if not isinstance(result, dict):
            raise APIDecodeError(f"{reply.what}: reply is not a JSON object")
        if result.get("result") is True:
            return
        error = result.get("error")
        if error == "BadPassword":
            raise APIAuthError(f"{reply.what}: the miner rejected the password")
        raise APIRefusalError(f"{reply.what} refused: {_error_text(error)}")

    async def check_password(self) -> None:
        """``POST /authenticate`` (1.30); firmwares without it cannot check (quiet)."""
        if not self.password:
            return
        reply = await self._send(
            "POST", "/authenticate", {"password": self.password}, accept=_ANY_STATUS
        )
        if reply.status == 200:
            result = reply.json()
            if isinstance(result, dict) and result.get("error") == "BadPassword":
                raise APIAuthError(f"{reply.what}: the miner rejected the password")

    async def reboot(self) -> None:
        """``POST /reboot`` now (dropped unanswered once sent: accepted)."""
        await accept_dropped(self._post("/reboot", 0))
        self.forget_identity()

    async def restart_backend(self) -> None:
        """``POST /softreboot``: the mining software only (dropped unanswered once sent:
        accepted)."""
        await accept_dropped(self._post("/softreboot", with_param=False))

    async def pause_mining(self) -> None:
        """``POST /miner`` Stop."""
        await self._post("/miner", "Stop")

    async def resume_mining(self) -> None:
        """``POST /miner`` Autostart."""
        await self._post("/miner", "Autostart")

    async def set_fault_light(self, on: bool) -> None:
        """``POST /identify`` true/false."""
        await self._post("/identify", on)


async def probe_api(http: HTTPClient, password: str | None) -> type[Miner] | None:
    """Detection on an API port that answered in HTTP: ``GET /summary`` of an ePIC."""
    reply = await http.request("GET", SUMMARY, accept=_ANY_STATUS)
    if reply.status != 200:
        return None
    try:
        summary = reply.json()
    except APIDecodeError:
        return None
    status = summary.get("Status") if isinstance(summary, dict) else None
    if isinstance(status, dict) and "Operating State" in status:
        return EPicAPI
    return None
