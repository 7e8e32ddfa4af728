"""Every family's ``get_data`` rounds in one place: hashrate TH/s to 3 decimals, power W to
1, efficiency J/TH to 2, temperatures to 1, so Home Assistant history carries no noise."""

from __future__ import annotations

from decimal import Decimal

import pytest

from custom_components.asic_miner.api import MinerData, api_class
from custom_components.asic_miner.api.detect import FAMILIES
from custom_components.asic_miner.api.models import HashBoard, rounded
from simulator import PERSONALITIES

from .conftest import SimulatorFactory


def _decimals(value: float | None) -> int:
    if value is None:
        return 0
    exponent = Decimal(repr(value)).as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def test_rounded_cuts_every_measured_float() -> None:
    """Totals and per-board values; integers, text and None pass through."""
    data = MinerData(
        hashrate=95.06866103,
        expected_hashrate=95.0100001,
        power=3249.96,
        power_limit=3300.04,
        efficiency=34.185719,
        temperature=62.449,
        chip_temperature=77.05001,
        boards=[HashBoard(index=0, hashrate=31.66666, temperature=None, chips=76)],
        uptime=42,
        model="S19",
    )
    result = rounded(data)
    assert result.hashrate == 95.069
    assert result.expected_hashrate == 95.01
    assert result.power == 3250.0
    assert result.power_limit == 3300.0
    assert result.efficiency == 34.19
    assert result.temperature == 62.4
    assert result.chip_temperature == 77.1
    assert result.boards == [HashBoard(index=0, hashrate=31.667, temperature=None, chips=76)]
    assert (result.uptime, result.model) == (42, "S19")
    assert rounded(MinerData()) == MinerData()


def test_rounded_drops_what_is_not_finite() -> None:
    """A reading derived from huge ones (a sum or a ratio past the largest float) is inf:
    no reading, never an infinite sensor value."""
    data = rounded(
        MinerData(
            hashrate=1e308 * 10,
            efficiency=float("nan"),
            power=-1e308 * 10,
            boards=[HashBoard(index=0, hashrate=float("inf"), temperature=60.04)],
        )
    )
    assert (data.hashrate, data.efficiency, data.power) == (None, None, None)
    assert data.boards == [HashBoard(index=0, hashrate=None, temperature=60.0)]


def test_rounded_cuts_the_newer_readings() -> None:
    """Voltages to 2 decimals, currents to 2, core mV and frequency MHz as stated, the other
    temperatures to 1; counters and settings pass through."""
    result = rounded(
        MinerData(
            average_hashrate=1.23456,
            vr_temperature=45.678,
            inlet_temperature=30.04,
            outlet_temperature=38.96,
            input_voltage=5.12345,
            input_current=3.14159,
            core_voltage=1148.6,
            frequency=524.96,
            target_temperature=64.96,
            best_difficulty=1.5e9,
            shares_accepted=12,
            wifi_rssi=-61,
        )
    )
    assert (result.average_hashrate, result.vr_temperature) == (1.235, 45.7)
    assert (result.inlet_temperature, result.outlet_temperature) == (30.0, 39.0)
    assert (result.input_voltage, result.input_current) == (5.12, 3.14)
    assert (result.core_voltage, result.frequency, result.target_temperature) == (
        1149.0,
        525.0,
        65.0,
    )
    assert (result.best_difficulty, result.shares_accepted, result.wifi_rssi) == (1.5e9, 12, -61)


@pytest.mark.parametrize(
    "personality", sorted(n for n, cls in PERSONALITIES.items() if cls.family in FAMILIES)
)
async def test_every_family_reports_rounded_values(
    simulator: SimulatorFactory, personality: str
) -> None:
    """With jitter on (noisy floats on the wire), no family reports more decimals."""
    sim = await simulator(personality, jitter=True, web_port=0)
    api = api_class(PERSONALITIES[personality].family)(
        "127.0.0.1",
        sim.port or 4028,
        password=sim.state.password,
        web_port=sim.web_port or 80,
        timeout=1.0,
    )
    data = await api.get_data()
    await api.close()
    assert data.hashrate is not None
    assert _decimals(data.hashrate) <= 3
    assert _decimals(data.expected_hashrate) <= 3
    assert _decimals(data.power) <= 1
    assert _decimals(data.power_limit) <= 1
    assert _decimals(data.efficiency) <= 2
    assert _decimals(data.temperature) <= 1
    assert _decimals(data.chip_temperature) <= 1
    for board in data.boards:
        assert _decimals(board.hashrate) <= 3
        assert _decimals(board.temperature) <= 1
        assert _decimals(board.chip_temperature) <= 1
