"""Braiins OS / Braiins OS+ (BOSminer, BOSminer+ and BOSer), through their cgminer-compatible
API (Braiins' "BOSminer API" documentation: cgminer's commands plus ``fans``, ``tempctrl``,
``temps``, ``tunerstatus``, ``pause``, ``resume``; ``+`` joins).

A steady poll is one joined request, ``summary+devs+temps+fans+tunerstatus``; ``devdetails``
(chips), ``pools`` and ``tempctrl`` (settings) join it on the first poll, after a restart,
every few minutes and after a control (``refresh.Refresh``). A command the firmware refuses or
lacks is left out, never failing the poll. Mapping:

- ``summary``: the freshest window (``MHS 5s``, then 1m/5m/15m; never ``MHS 24h``, which
  averages over a day, or ``MHS av``) → hashrate; ``MHS av`` → average hashrate; ``Elapsed``
  → uptime; shares, ``Best Share``, ``Found Blocks``;
- boards: every chain that ``temps``, ``devs`` or ``devdetails`` lists, by its ``ID``: the
  chain number bosminer uses (S9: 6-8, later Antminers: 1-3), numbered from 0 keeping the gaps
  of missing chains. ``devs`` ``MHS 5s`` → rate, ``Nominal MHS`` → expected hashrate;
  ``temps`` ``Board``/``Chip`` → temperatures (``0.0`` means no sensor: None; devs
  ``Temperature`` only when ``temps`` has none); ``devdetails`` ``Chips``;
- ``fans``: ``RPM`` and the duty ``Speed`` in %, empty connectors left out;
- ``tunerstatus``: ``ApproximateMinerPowerConsumption`` → power, ``PowerLimit`` → power
  limit (reading only: setting it needs Braiins' gRPC or REST API);
- ``tempctrl``: ``Target`` → target temperature, ``Mode`` → whether the fans are automatic;
- ``pools``: as cgminer.

Identity (once, and again after each refresh while the version is unreadable): ``version``
(``BOSer``/``BOSminer+``/``BOSminer`` → firmware) and ``devdetails`` (``Model``, e.g.
``Bitmain Antminer S9`` → make and model). No MAC, hostname or serial over this API.

Controls: ``pause`` / ``resume``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Final

from .antminer_stats import FanMemory
from .base import Command
from .cgminer import CGMinerAPI
from .decoding import as_float, as_int
from .errors import APIRefusalError
from .mapping import (
    build_data,
    first,
    map_pools,
    rate_ths,
    section,
    split_make,
    sum_of,
    summary_counters,
    summary_of,
    temperature,
    text,
    total_hashrate,
    unwrap,
)
from .models import Capability, HashBoard, MinerData, MinerIdentity
from .readings import fan_list, spinning, spun
from .refresh import RarelyRead, Refresh

_FIRMWARE_KEYS: Final = ("BOSer", "BOSminer+", "BOSminer")
#: Hashrate windows, freshest first; ``24h`` and ``av`` are averages, not the current rate.
RATE_WINDOWS: Final = ("5s", "1m", "5m", "15m")
#: The S9's chain numbers (its hash boards sit on connectors 6-8); other models count from 1.
_S9_CHAINS: Final = frozenset({6, 7, 8})
#: tempctrl ``Mode`` → fans under automatic control.
_FAN_MODES: Final = {"automatic": True, "manual": False}


def _chains(*sections: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """Chain number → its entries in each section (``ID``), in section order."""
    chains: dict[int, list[dict[str, Any]]] = {}
    for position, entries in enumerate(sections):
        for entry in entries:
            chain = as_int(entry.get("ID"))
            if chain is not None:
                chains.setdefault(chain, [{} for _ in sections])[position] = entry
    return chains


def _first_chain(chains: set[int]) -> int:
    """The chain number of board 0: 6 on an S9, else 1 (0 when a firmware counts from 0)."""
    if min(chains) in _S9_CHAINS:
        return 6
    return 1 if min(chains) >= 1 else 0


def bos_boards(
    devs: list[dict[str, Any]], temps: list[dict[str, Any]], details: list[dict[str, Any]]
) -> list[HashBoard]:
    """One board per chain listed anywhere, numbered from 0 by chain."""
    chains = _chains(devs, temps, details)
    if not chains:
        return []
    offset = _first_chain(set(chains))
    boards = []
    for chain in sorted(chains):
        dev, temp, detail = chains[chain]
        # devs' Temperature only stands in for a chain temps does not list.
        board_temp = (
            temperature(temp.get("Board"), positive=True)
            if temp
            else temperature(dev.get("Temperature"), positive=True)
        )
        boards.append(
            HashBoard(
                index=chain - offset,
                hashrate=rate_ths(dev, RATE_WINDOWS),
                temperature=board_temp,
                chip_temperature=temperature(temp.get("Chip"), positive=True),
                chips=as_int(detail.get("Chips")),
            )
        )
    return boards


class BOSMinerAPI(RarelyRead, CGMinerAPI):
    """Braiins OS (bosminer / BOSer)."""

    family = "bosminer"
    #: What changes every poll; ``rare_commands`` join it now and then.
    poll_commands = ("summary", "devs", "temps", "fans", "tunerstatus")
    rare_commands = ("devdetails", "pools", "tempctrl")
    #: Pause and resume are the only controls on this API.
    controls = frozenset({Capability.PAUSE_RESUME})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """As ``CGMinerAPI``; nothing read yet."""
        super().__init__(*args, **kwargs)
        self.refresh = Refresh()
        #: The fan connectors of this miner that have spun (the S9 lists four for two fans).
        self.fan_memory = FanMemory()

    # --- commands ----------------------------------------------------------------------------

    fans = Command("Fan speeds and duty.")
    temps = Command("Board and chip temperatures per chain.")
    tempctrl = Command("Temperature control: target, hot, dangerous, fan mode.")
    tunerstatus = Command("Autotuner: power limit and estimated consumption.")
    pause = Command("Stop hashing.")
    resume = Command("Resume hashing.")

    # --- controls ----------------------------------------------------------------------------

    async def pause_mining(self) -> None:
        """``pause``."""
        await self.pause()
        self.refresh = self.refresh.soon()

    async def resume_mining(self) -> None:
        """``resume``."""
        await self.resume()
        self.refresh = self.refresh.soon()

    # --- polling -----------------------------------------------------------------------------

    async def _fetch_identity(self) -> MinerIdentity:
        try:
            replies = await self.multicommand("version", "devdetails")
        except APIRefusalError:
            # Both refused: read again with the next refresh; the readings still come.
            return MinerIdentity()
        version = first(unwrap(replies, "version"), "VERSION")
        firmware = next((str(version[key]) for key in _FIRMWARE_KEYS if version.get(key)), None)
        model = text(first(unwrap(replies, "devdetails"), "DEVDETAILS").get("Model"))
        make, model = split_make(model.removeprefix("Bitmain ") if model else None)
        return MinerIdentity(make=make, model=model, firmware=firmware)

    def _remember(self, replies: dict[str, Any], identity: MinerIdentity) -> None:
        """The rare replies when this poll read them, and the fans that spin."""
        self.remember_refresh(replies)
        self.fan_memory = spun(self.fan_memory, spinning(unwrap(replies, "fans")), identity)

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        replies = self.refresh.merged(replies)
        summary = summary_of(replies)
        devs = section(unwrap(replies, "devs"), "DEVS")
        boards = bos_boards(
            devs,
            section(unwrap(replies, "temps"), "TEMPS"),
            section(unwrap(replies, "devdetails"), "DEVDETAILS"),
        )
        nominal = sum_of(as_float(entry.get("Nominal MHS")) for entry in devs)
        tuner = first(unwrap(replies, "tunerstatus"), "TUNERSTATUS")
        tempctrl = first(unwrap(replies, "tempctrl"), "TEMPCTRL")
        data = build_data(
            identity,
            hashrate=total_hashrate(summary, boards, RATE_WINDOWS),
            expected_hashrate=nominal * 1e-6 if nominal else None,
            power=as_float(tuner.get("ApproximateMinerPowerConsumption")),
            power_limit=as_float(tuner.get("PowerLimit")) or None,
            boards=boards,
            fans=fan_list(unwrap(replies, "fans"), self.fan_memory),
            pools=map_pools(unwrap(replies, "pools")),
            uptime=as_int(summary.get("Elapsed")),
        )
        readings: dict[str, Any] = {
            **summary_counters(summary),
            "target_temperature": temperature(tempctrl.get("Target"), positive=True),
            "fan_auto": _FAN_MODES.get(str(tempctrl.get("Mode", "")).lower()),
        }
        return replace(data, **readings)
