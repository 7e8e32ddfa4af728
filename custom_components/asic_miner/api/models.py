"""Typed, firmware-independent view of one miner poll.

Units are fixed so that no caller converts: hashrate in TH/s, power in W, efficiency in J/TH,
temperatures in °C, uptime in seconds. A value the miner did not report is ``None``, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Capability(StrEnum):
    """Controls a firmware family can perform; the integration only offers these."""

    REBOOT = "reboot"
    RESTART_BACKEND = "restart_backend"
    PAUSE_RESUME = "pause_resume"
    POWER_LIMIT = "power_limit"
    FAULT_LIGHT = "fault_light"
    WORK_MODE = "work_mode"


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
    """Facts that do not change between polls; fetched once and cached by the client."""

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
    fault_light: bool | None = None
