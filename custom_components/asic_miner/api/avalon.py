"""Canaan AvalonMiner (cgminer with the Avalon driver).

One poll is ``summary+pools+estats``. Mapping:

- ``estats``: the ``MM ID<n>`` string of ``Key[value]`` fields (parsed by
  ``parse_mm_id``): ``GHSspd`` → hashrate (GH/s), ``GHSmm`` → expected hashrate, ``MGHS``
  per board, ``MTavg``/``MTmax`` → board/chip temperature per board, ``TMax`` → hottest chip,
  ``Fan1``-``Fan4``, power from ``MPO`` (measured, newer firmware) or else ``PS[...]``
  index 4 (W), ``SoftOFF`` → not mining, ``Led`` → fault light, ``WORKLEVEL`` → work mode;
  the firmware reports no power limit (``None``);
- ``summary``: ``Elapsed``; ``pools``: as cgminer; ``version``: ``PROD``/``MODEL`` → model,
  ``VERSION`` → firmware, ``MAC`` (12 hex digits) → MAC.

The firmware prints zero-denominator ratios as bare ``nan``/``inf``; the decoder turns them
into ``None``. Controls: ``ascset|0,softoff|softon`` (pause/resume), ``worklevel,set,N``
(work mode), ``led,1-1|1-0`` (fault light), ``reboot,0``, and cgminer ``restart``.
"""

from __future__ import annotations

from dataclasses import replace
import time
from typing import Any, ClassVar, Final

from .base import Command, api_command
from .cgminer import CGMinerAPI
from .decoding import as_float, as_int
from .errors import APIRefusalError
from .mapping import build_data, map_pools, section, summary_of, unwrap
from .models import CLASSIC_CONTROLS, Capability, Fan, HashBoard, MinerData, MinerIdentity
from .protocol import OK_STATUSES, reply_status

_WORKLEVELS: Final = {"low": 0, "normal": 1, "high": 2}
_LEVEL_NAMES: Final = {value: key for key, value in _WORKLEVELS.items()}


def parse_mm_id(text: str) -> dict[str, str]:
    """``"Ver[1246] Temp[25] MGHS[1 2 3]"`` → ``{"Ver": "1246", "Temp": "25", ...}`` (linear)."""
    fields: dict[str, str] = {}
    for part in text.split("]"):
        key, bracket, value = part.partition("[")
        if not bracket:
            continue
        name = key.strip().rsplit(" ", 1)[-1]
        if name and name not in fields:
            fields[name] = value.strip()
    return fields


def _numbers(value: str | None) -> list[float | None]:
    if not value:
        return []
    return [as_float(part) for part in value.split()]


def _format_mac(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    digits = value.replace(":", "").replace("-", "").lower()
    if len(digits) != 12 or any(c not in "0123456789abcdef" for c in digits):
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


class AvalonAPI(CGMinerAPI):
    """Canaan AvalonMiner."""

    family = "avalon"
    make: ClassVar[str | None] = "Avalon"
    poll_commands: ClassVar[tuple[str, ...]] = ("summary", "pools", "estats")
    #: Everything but a power limit, through ``ascset`` and cgminer's ``restart``.
    controls = CLASSIC_CONTROLS - {Capability.POWER_LIMIT}
    #: The firmware's work levels 0, 1, 2.
    modes = tuple(_WORKLEVELS)

    estats = Command("Extended per-module statistics (the ``MM ID`` strings).")

    @api_command
    async def ascset(self, parameter: str) -> dict[str, Any]:
        """``ascset|<n>,<option>[,<value>]``: Avalon's control command."""
        return await self.send_command("ascset", parameter)

    @api_command
    async def restart(self) -> dict[str, Any]:
        """Restart cgminer (the reply is a bare ``{"STATUS":"RESTART"}``)."""
        return await self.send_command("restart", ignore_errors=True)

    # --- controls ----------------------------------------------------------------------------

    async def _ascset(self, parameter: str) -> None:
        reply = await self.send_command("ascset", parameter, ignore_errors=True)
        status, message = reply_status(reply)
        if status not in OK_STATUSES or "failed" in message.lower():
            raise APIRefusalError(f"{self.host}: ascset {parameter}: {message or 'refused'}")

    async def pause_mining(self) -> None:
        """``ascset|0,softoff,1:<now>``."""
        await self._ascset(f"0,softoff,1:{int(time.time())}")

    async def resume_mining(self) -> None:
        """``ascset|0,softon,1:<now>``."""
        await self._ascset(f"0,softon,1:{int(time.time())}")

    async def set_work_mode(self, mode: str) -> None:
        """``ascset|0,worklevel,set,<0|1|2>``."""
        self._check_work_mode(mode)
        await self._ascset(f"0,worklevel,set,{_WORKLEVELS[mode]}")

    async def set_fault_light(self, on: bool) -> None:
        """``ascset|0,led,1-1`` / ``1-0``."""
        await self._ascset(f"0,led,1-{int(on)}")

    async def reboot(self) -> None:
        """``ascset|0,reboot,0``."""
        await self._ascset("0,reboot,0")
        self.forget_identity()

    async def restart_backend(self) -> None:
        """cgminer ``restart``."""
        reply = await self.restart()
        status, message = reply_status(reply)
        if status not in {"RESTART", *OK_STATUSES}:
            raise APIRefusalError(f"{self.host}: restart: {message or status or 'refused'}")

    # --- polling -----------------------------------------------------------------------------

    def _identity_from_version(self, version: dict[str, Any]) -> MinerIdentity:
        model = version.get("MODEL") or version.get("PROD")
        firmware = version.get("VERSION") or version.get("CGMiner")
        return MinerIdentity(
            make=self.make,
            model=str(model) if model else None,
            firmware=str(firmware) if firmware else None,
            mac=_format_mac(version.get("MAC")),
        )

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        summary = summary_of(replies)
        mm: dict[str, str] = {}
        for entry in section(unwrap(replies, "estats"), "STATS"):
            for key, value in entry.items():
                if key.startswith("MM ID") and isinstance(value, str):
                    mm = parse_mm_id(value)
                    break
            if mm:
                break
        rates = _numbers(mm.get("MGHS"))
        tavg = _numbers(mm.get("MTavg"))
        tmax = _numbers(mm.get("MTmax"))
        boards = [
            HashBoard(
                index=index,
                hashrate=None if rate is None else rate / 1000,
                temperature=tavg[index] if index < len(tavg) else None,
                chip_temperature=tmax[index] if index < len(tmax) else None,
            )
            for index, rate in enumerate(rates)
        ]
        fans = [
            Fan(index=index, rpm=as_int(mm[f"Fan{index + 1}"]))
            for index in range(8)
            if f"Fan{index + 1}" in mm
        ]
        ghs = as_float(mm.get("GHSspd"))
        if ghs is None:
            ghs = as_float(summary.get("MHS 1m"))
            ghs = None if ghs is None else ghs / 1000
        nominal = as_float(mm.get("GHSmm"))
        power = as_float(mm.get("MPO"))
        if power is None:
            power_supply = _numbers(mm.get("PS"))
            power = power_supply[4] if len(power_supply) > 4 else None
        soft_off = as_int(mm.get("SoftOFF"))
        led = as_int(mm.get("Led"))
        level = as_int(mm.get("WORKLEVEL"))
        data = build_data(
            identity,
            hashrate=None if ghs is None else ghs / 1000,
            expected_hashrate=None if nominal is None else nominal / 1000,
            power=power,
            boards=boards,
            fans=fans,
            pools=map_pools(unwrap(replies, "pools")),
            uptime=as_int(summary.get("Elapsed")),
            is_mining=None if soft_off is None else soft_off == 0,
            work_mode=None if level is None else _LEVEL_NAMES.get(level),
            fault_light=None if led is None else led == 1,
        )
        if data.chip_temperature is None:  # no per-board readings: the module's TMax
            data = replace(data, chip_temperature=as_float(mm.get("TMax")))
        return data
