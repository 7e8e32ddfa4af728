"""Property tests: whatever values a miner writes in the places a poll reads, mapping gives a
``MinerData`` or an ``APIError``, quickly.

Each family's replies are taken from one real poll of its simulator over loopback; the
property then replaces values at any depth by hostile ones (huge or non-finite numbers, wrong
types, text with no UTF-8 bytes, nesting) and runs the pure half of a poll, ``_remember`` and
``_map``, then the rounding. Never another exception (``OverflowError``, ``TypeError``,
``ValueError`` from ``int`` on long text), never a hang (the deadline), never an inf or a nan
in the result.
"""

from __future__ import annotations

import asyncio
from dataclasses import fields
from functools import cache
import math
import random
from typing import Any

from hypothesis import given, strategies as st
import pytest

from custom_components.asic_miner.api import Miner, MinerData, MinerIdentity, api_class
from custom_components.asic_miner.api.errors import APIError
from custom_components.asic_miner.api.models import rounded
from custom_components.asic_miner.api.refresh import REFRESHED
from simulator import PERSONALITIES, MinerSimulator

from .conftest import bounded

BOUND = bounded(60)

#: Families whose mapping lives here (the REST firmwares, VNish, Braiins OS and ePIC, have
#: tests of their own).
PERSONALITY_NAMES = sorted(
    name
    for name, personality in PERSONALITIES.items()
    if personality.family not in {"vnish", "braiins-os", "epic"}
)
#: Values no firmware should write but some do: huge, non-finite, of the wrong type.
HOSTILE: tuple[Any, ...] = (
    None,
    "",
    "abc",
    -1,
    0,
    True,
    10**300,
    2**64,
    -1e300,
    1e308,
    1.7e308,
    "1e308",
    "1e999",
    "inf",
    "nan",
    "9" * 5000,
    "ab\ud800",
    [],
    {},
    [1, 2],
    {"a": 1},
    [[[[[]]]]],
)
#: Keys of a poll's replies that are the client's own, not the miner's.
OWN_KEYS = frozenset({REFRESHED, "multicommand"})


@cache
def _poll(name: str) -> tuple[dict[str, Any], MinerIdentity]:
    """The replies and identity of one real poll of ``name``'s simulator."""

    async def run() -> tuple[dict[str, Any], MinerIdentity]:
        async with MinerSimulator(name, seed=1, jitter=False, web_port=0) as sim:
            api = api_class(PERSONALITIES[name].family)(
                "127.0.0.1", sim.port, web_port=sim.web_port or 80
            )
            try:
                await api.get_data()
                return dict(api.last_replies), await api.get_identity()
            finally:
                await api.close()

    return asyncio.run(run())


def _mutate(value: Any, rng: random.Random, rate: float) -> Any:
    if isinstance(value, dict):
        return {
            key: rng.choice(HOSTILE) if rng.random() < rate else _mutate(item, rng, rate)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [
            rng.choice(HOSTILE) if rng.random() < rate else _mutate(item, rng, rate)
            for item in value
        ]
    if isinstance(value, str) and "[" in value and rng.random() < rate:
        # Canaan's ``Key[value]`` text: a field with a hostile value or a huge index.
        return value + rng.choice((" PVT_T99999999[1 2]", " Fan" + "9" * 5000 + "[1]", " MW3[x]"))
    return value


def _finite(data: MinerData) -> None:
    for item in (data, *data.boards):
        for field in fields(item):
            value = getattr(item, field.name)
            if isinstance(value, float):
                assert math.isfinite(value), field.name


@pytest.mark.parametrize("name", PERSONALITY_NAMES)
@BOUND
@given(seed=st.integers(0, 2**32 - 1), rate=st.sampled_from([0.02, 0.1, 0.3]))
def test_hostile_values_map_or_fail_as_api_errors(name: str, seed: int, rate: float) -> None:
    replies, identity = _poll(name)
    rng = random.Random(seed)
    mutated = {
        key: value if key in OWN_KEYS else _mutate(value, rng, rate)
        for key, value in replies.items()
    }
    api: Miner = api_class(PERSONALITIES[name].family)("127.0.0.1", 1)
    try:
        api._remember(mutated, identity)
        data = rounded(api._map(mutated, identity))
    except APIError:
        return
    _finite(data)
