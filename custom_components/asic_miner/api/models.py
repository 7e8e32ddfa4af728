"""Typed, firmware-independent view of one miner poll.

Units are fixed so that no caller converts: hashrate in TH/s, power in W, efficiency in J/TH,
temperatures in °C, uptime in seconds, voltages in V (the ASIC core voltage in mV, as every
firmware that has it states and sets it), currents in A, frequencies in MHz, fan duty in %,
Wi-Fi signal in dBm. A value the miner did not report is ``None``, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
import math
from typing import Final

#: Decimals kept per unit: finer digits are sensor noise, and Home Assistant records every
#: change of state, so 95.06866103 TH/s would be history churn, not information.
HASHRATE_DECIMALS: Final = 3  # TH/s
POWER_DECIMALS: Final = 1  # W
EFFICIENCY_DECIMALS: Final = 2  # J/TH
TEMPERATURE_DECIMALS: Final = 1  # °C
VOLTAGE_DECIMALS: Final = 2  # V
CURRENT_DECIMALS: Final = 2  # A
FREQUENCY_DECIMALS: Final = 1  # MHz


class Capability(StrEnum):
    """Controls a firmware family can perform; the integration only offers these."""

    REBOOT = "reboot"
    RESTART_BACKEND = "restart_backend"
    PAUSE_RESUME = "pause_resume"
    POWER_LIMIT = "power_limit"
    FAULT_LIGHT = "fault_light"
    WORK_MODE = "work_mode"
    #: A second choice beside the work mode (Avalon home units: Super / Eco).
    WORK_LEVEL = "work_level"
    #: One of the firmware's tuned power presets (VNish ``autotune/presets``).
    POWER_PRESET = "power_preset"
    #: Manual fan duty in %, and back to the firmware's automatic control.
    FAN_SPEED = "fan_speed"
    #: The temperature the firmware's fan/frequency control aims at.
    TARGET_TEMPERATURE = "target_temperature"
    #: ASIC frequency in MHz (AxeOS), among ``frequency_options``.
    FREQUENCY = "frequency"
    #: ASIC core voltage in mV (AxeOS), among ``core_voltage_options``.
    CORE_VOLTAGE = "core_voltage"
    #: A momentary "here I am" the device ends by itself (AxeOS shows "Hi!" for 30 s): a
    #: button, since the firmware reports no state a switch could show.
    IDENTIFY = "identify"
    #: The unit's own screen on or off (Avalon Mini 3 and Q: ``ascset`` ``lcd``).
    DISPLAY = "display"


#: The six controls of the classic CGMiner-API firmwares: those whose API offers them all
#: (Whatsminer API 2 and 3) use it as is, the others name what they lack
#: (``CLASSIC_CONTROLS - {Capability.WORK_MODE}``). Newer capabilities are always named.
CLASSIC_CONTROLS: Final = frozenset(
    {
        Capability.REBOOT,
        Capability.RESTART_BACKEND,
        Capability.PAUSE_RESUME,
        Capability.POWER_LIMIT,
        Capability.FAULT_LIGHT,
        Capability.WORK_MODE,
    }
)


@dataclass(frozen=True, slots=True)
class HashBoard:
    """One hash board (chain)."""

    index: int
    hashrate: float | None = None
    temperature: float | None = None
    chip_temperature: float | None = None
    #: Chips that answer (working chips).
    chips: int | None = None
    #: Chips the firmware marks as failed (Antminer ``x`` in ``chain_acs``); None: not reported.
    dead_chips: int | None = None


@dataclass(frozen=True, slots=True)
class Fan:
    """One fan."""

    index: int
    rpm: int | None = None
    #: Duty (or speed) in % of the maximum, where the firmware reports it.
    percent: int | None = None


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
    #: The firmware's own id of the unit, where it has one besides MAC and serial.
    miner_id: str | None = None


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
    #: The firmware's own error messages; None when this poll read no error source (the
    #: firmware has none, or the reply holding them was refused or missing), never a
    #: "no errors" nobody read.
    errors: list[str] | None = None
    work_mode: str | None = None
    #: The LED as the firmware reports it; None when it does not (never the value last set).
    fault_light: bool | None = None
    #: Whether the unit's own screen is on, as the firmware reports it (Avalon ``LcdOnoff``).
    display_on: bool | None = None
    #: A lifetime or session average hashrate (TH/s), beside ``hashrate``, the freshest window.
    average_hashrate: float | None = None
    #: Voltage regulator / power stage temperature (AxeOS ``vrTemp``).
    vr_temperature: float | None = None
    #: Inlet and outlet temperatures (water on hydro models, air where a firmware reports it).
    inlet_temperature: float | None = None
    outlet_temperature: float | None = None
    #: Supply side: input voltage (V) and current (A).
    input_voltage: float | None = None
    input_current: float | None = None
    #: ASIC core voltage actually measured (mV) and the configured one (mV).
    core_voltage: float | None = None
    core_voltage_setting: int | None = None
    #: ASIC frequency (MHz), as configured.
    frequency: float | None = None
    #: Shares since the mining software started, where the firmware totals them.
    shares_accepted: int | None = None
    shares_rejected: int | None = None
    #: Best share difficulty: ever (all-time) and since the mining software started.
    best_difficulty: float | None = None
    best_session_difficulty: float | None = None
    #: Blocks found by this miner, where reported.
    blocks_found: int | None = None
    #: Wi-Fi signal (dBm) of Wi-Fi miners.
    wifi_rssi: int | None = None
    #: Whether the fans run under the firmware's automatic control (False: manual duty).
    fan_auto: bool | None = None
    #: Settings as read back from the miner (None where the firmware does not report them).
    target_temperature: float | None = None
    work_level: str | None = None
    power_preset: str | None = None


def _round(value: float | None, decimals: int) -> float | None:
    """``value`` to ``decimals``; None for no value, and for inf or nan (a reading derived
    from huge ones, such as a sum or a ratio that overflowed, is no reading)."""
    return None if value is None or not math.isfinite(value) else round(value, decimals)


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
        average_hashrate=_round(data.average_hashrate, HASHRATE_DECIMALS),
        vr_temperature=_round(data.vr_temperature, TEMPERATURE_DECIMALS),
        inlet_temperature=_round(data.inlet_temperature, TEMPERATURE_DECIMALS),
        outlet_temperature=_round(data.outlet_temperature, TEMPERATURE_DECIMALS),
        input_voltage=_round(data.input_voltage, VOLTAGE_DECIMALS),
        input_current=_round(data.input_current, CURRENT_DECIMALS),
        core_voltage=_round(data.core_voltage, 0),
        frequency=_round(data.frequency, FREQUENCY_DECIMALS),
        target_temperature=_round(data.target_temperature, TEMPERATURE_DECIMALS),
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
