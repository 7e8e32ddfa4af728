"""Secrets kept out of ``Miner.last_replies``.

HTTP firmwares put secrets in plain replies: the pool password (ePIC ``StratumConfigs``,
LuckyMiner ``stratumPassword``), the Wi-Fi password (AxeOS 2.0 ``wifiPass``) and pool workers,
which are often wallet addresses. A client that keeps raw replies for diagnostics replaces
those values before keeping them, so they never reach a log or a diagnostics download even if
a redaction list elsewhere misses a spelling.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Final

#: What a removed secret reads as (the string Home Assistant's diagnostics use).
REDACTED: Final = "**REDACTED**"


def redacted(value: Any, keys: Collection[str]) -> Any:
    """A copy of ``value`` with the value of every ``keys`` entry, at any depth, replaced
    (empty strings and nulls are kept: they show a field is unset without revealing one)."""
    if isinstance(value, dict):
        return {
            key: REDACTED if key in keys and item not in (None, "") else redacted(item, keys)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redacted(item, keys) for item in value]
    return value
