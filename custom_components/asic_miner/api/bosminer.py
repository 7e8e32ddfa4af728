"""Braiins OS / Braiins OS+ (bosminer and BOSer), through their cgminer-compatible API.

One poll is ``summary+devs+devdetails+temps+fans+tunerstatus+pools`` in one request. Mapping:

- ``summary``: ``MHS 1m`` (or 5s/av) → hashrate, ``Elapsed`` → uptime;
- ``devs``: one board per entry (``ID``), ``MHS 1m`` → board rate, the sum of
  ``Nominal MHS`` → expected hashrate;
- ``devdetails``: ``Chips`` per board (by ``ID``);
- ``temps``: ``Board`` and ``Chip`` per board (by ``ID``); falls back to ``devs``'
  ``Temperature``;
- ``fans``: ``RPM`` per fan;
- ``tunerstatus``: ``ApproximateMinerPowerConsumption`` → power, ``PowerLimit`` → power limit
  (reading only: setting it needs Braiins' gRPC API, not this one);
- ``pools``: as cgminer.

Identity (once): ``version`` (``BOSer``/``BOSminer``/``BOSminer+`` → firmware) and
``devdetails`` (``Model`` such as ``Antminer S19j Pro`` → make and model). This API reports
no MAC, hostname or serial: they are ``None``.

Controls: ``pause`` / ``resume``.
"""

from __future__ import annotations

from typing import Any, Final

from .base import Command
from .cgminer import CGMinerAPI
from .decoding import as_float, as_int
from .mapping import (
    build_data,
    first,
    map_pools,
    rate_ths,
    section,
    split_make,
    sum_of,
    summary_of,
    text,
    total_hashrate,
    unwrap,
)
from .models import Capability, Fan, HashBoard, MinerData, MinerIdentity

_FIRMWARE_KEYS: Final = ("BOSer", "BOSminer+", "BOSminer")


def _by_id(entries: list[dict[str, Any]], key: str) -> dict[int, dict[str, Any]]:
    """Entries keyed by their ``ID`` (else their ``key`` index, else their position)."""
    result: dict[int, dict[str, Any]] = {}
    for position, entry in enumerate(entries):
        index = as_int(entry.get("ID", entry.get(key)))
        result[position if index is None else index] = entry
    return result


class BOSMinerAPI(CGMinerAPI):
    """Braiins OS (bosminer / BOSer)."""

    family = "bosminer"
    poll_commands = ("summary", "devs", "devdetails", "temps", "fans", "tunerstatus", "pools")
    #: Pause and resume are the only controls on this API.
    controls = frozenset({Capability.PAUSE_RESUME})

    # --- commands ----------------------------------------------------------------------------

    fans = Command("Fan speeds.")
    temps = Command("Board and chip temperatures.")
    tunerstatus = Command("Autotuner: power limit and estimated consumption.")
    pause = Command("Stop hashing.")
    resume = Command("Resume hashing.")

    # --- controls ----------------------------------------------------------------------------

    async def pause_mining(self) -> None:
        """``pause``."""
        await self.pause()

    async def resume_mining(self) -> None:
        """``resume``."""
        await self.resume()

    # --- polling -----------------------------------------------------------------------------

    async def _fetch_identity(self) -> MinerIdentity:
        replies = await self.multicommand("version", "devdetails")
        version = first(unwrap(replies, "version"), "VERSION")
        firmware = next((str(version[key]) for key in _FIRMWARE_KEYS if version.get(key)), None)
        make, model = split_make(
            text(first(unwrap(replies, "devdetails"), "DEVDETAILS").get("Model"))
        )
        return MinerIdentity(make=make, model=model, firmware=firmware)

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        summary = summary_of(replies)
        devs = section(unwrap(replies, "devs"), "DEVS")
        boards = self._bos_boards(
            devs,
            _by_id(section(unwrap(replies, "devdetails"), "DEVDETAILS"), "DEVDETAILS"),
            _by_id(section(unwrap(replies, "temps"), "TEMPS"), "TEMP"),
        )
        nominal = sum_of(as_float(entry.get("Nominal MHS")) for entry in devs)
        tuner = first(unwrap(replies, "tunerstatus"), "TUNERSTATUS")
        return build_data(
            identity,
            hashrate=total_hashrate(summary, boards),
            expected_hashrate=None if not nominal else nominal * 1e-6,
            power=as_float(tuner.get("ApproximateMinerPowerConsumption")),
            power_limit=as_float(tuner.get("PowerLimit")) or None,
            boards=boards,
            fans=[
                Fan(index=index, rpm=as_int(entry.get("RPM")))
                for index, entry in enumerate(section(unwrap(replies, "fans"), "FANS"))
            ],
            pools=map_pools(unwrap(replies, "pools")),
            uptime=as_int(summary.get("Elapsed")),
        )

    @staticmethod
    def _bos_boards(
        devs: list[dict[str, Any]],
        details: dict[int, dict[str, Any]],
        temps: dict[int, dict[str, Any]],
    ) -> list[HashBoard]:
        boards = []
        for index, entry in _by_id(devs, "ASC").items():
            temp = temps.get(index, {})
            board_temp = as_float(temp.get("Board"))
            boards.append(
                HashBoard(
                    index=index,
                    hashrate=rate_ths(entry),
                    temperature=board_temp
                    if board_temp is not None
                    else as_float(entry.get("Temperature")),
                    chip_temperature=as_float(temp.get("Chip")),
                    chips=as_int(details.get(index, {}).get("Chips")),
                )
            )
        return boards
