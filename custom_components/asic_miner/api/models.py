"""Typed, firmware-independent view of one miner poll.

Units are fixed so that no caller converts: hashrate in TH/s, power in W, efficiency in J/TH,
temperatures in °C, uptime in seconds. A value the miner did not report is ``None``, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Final

#: Decimals kept per unit: finer digits are sensor noise, and Home Assistant records every
#: change of state, so 95.06866103 TH/s would be history churn, not information.
HASHRATE_DECIMALS: Final = 3  # TH/s
POWER_DECIMALS: Final = 1  # W
EFFICIENCY_DECIMALS: Final = 2  # J/TH
TEMPERATURE_DECIMALS: Final = 1  # °C


class Capability(StrEnum):
    """Controls a firmware family can perform; the integration only offers these."""

    REBOOT = "reboot"
    RESTART_BACKEND = "restart_backend"
    PAUSE_RESUME = "pause_resume"
    POWER_LIMIT = "power_limit"
    FAULT_LIGHT = "fault_light"
    WORK_MODE = "work_mode"


#: Every control: the firmwares whose API offers them all (Whatsminer API 2 and 3); the others
#: name what they lack (``EVERY_CONTROL - {Capability.WORK_MODE}``).
EVERY_CONTROL: Final = frozenset(Capability)


@dataclass(frozen=True, slots=True)
class HashBoard:
    """One hash board (chain)."""

    index: int
    hashrate: float | None = None
    temperature: float | None = None
    chip_temperature: float | None = None
    chips: int | None = None


@dataclass(frozen=True, slots=True)
class Fan:
    """One fan."""

    index: int
    rpm: int | None = None


@dataclass(frozen=True, slots=True)
class Pool:
    """One configured pool."""

    url: str
    user: str | None = None
    alive: bool | None = None
    active: bool | None = None
    accepted: int | None = None
    rejected: int | None = None


@dataclass(frozen=True, slots=True)
class MinerIdentity:
    """Facts that do not change between polls; read once and cached by the client, read
    again by the client when the miner restarted or another one answers."""

    make: str | None = None
    model: str | None = None
    firmware: str | None = None
    mac: str | None = None
    hostname: str | None = None
    serial: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MinerData:
    """One poll of one miner."""

    hashrate: float | None = None
    expected_hashrate: float | None = None
    power: float | None = None
    power_limit: float | None = None
    efficiency: float | None = None
    temperature: float | None = None
    chip_temperature: float | None = None
    boards: list[HashBoard] = field(default_factory=list)
    fans: list[Fan] = field(default_factory=list)
    pools: list[Pool] = field(default_factory=list)
    uptime: int | None = None
    is_mining: bool | None = None
    make: str | None = None
    model: str | None = None
    firmware: str | None = None
    mac: str | None = None
    hostname: str | None = None
    serial: str | None = None
    errors: list[str] = field(default_factory=list)
    work_mode: str | None = None
    #: The LED as the firmware reports it; None when it does not (never the value last set).
    fault_light: bool | None = None


def _round(value: float | None, decimals: int) -> float | None:
    return None if value is None else round(value, decimals)


def rounded(data: MinerData) -> MinerData:
    """``data`` with every measured float cut to its unit's precision (the one place that
    decides it, for every family)."""
    return replace(
        data,
        hashrate=_round(data.hashrate, HASHRATE_DECIMALS),
        expected_hashrate=_round(data.expected_hashrate, HASHRATE_DECIMALS),
        power=_round(data.power, POWER_DECIMALS),
        power_limit=_round(data.power_limit, POWER_DECIMALS),
        efficiency=_round(data.efficiency, EFFICIENCY_DECIMALS),
        temperature=_round(data.temperature, TEMPERATURE_DECIMALS),
        chip_temperature=_round(data.chip_temperature, TEMPERATURE_DECIMALS),
        boards=[
            replace(
                board,
                hashrate=_round(board.hashrate, HASHRATE_DECIMALS),
                temperature=_round(board.temperature, TEMPERATURE_DECIMALS),
                chip_temperature=_round(board.chip_temperature, TEMPERATURE_DECIMALS),
            )
            for board in data.boards
        ],
    )
