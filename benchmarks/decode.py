"""Decoding big replies: time per MB at 1 MB and 8 MB, and how fast an oversized one is refused.

Two shapes: "huge stats" is valid JSON (the ``json.loads`` fast path); "Whatsminer error
spam" is a ``get_error_code`` reply written as Whatsminer 2.0.4 does, an object in list
brackets with raw newlines inside strings, so it takes the repairing pass.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from custom_components.asic_miner.api import APIConnectionError, CGMinerAPI
from custom_components.asic_miner.api.decoding import decode_reply
from simulator import Fault, MinerSimulator

MB = 1_000_000


def huge_stats(size: int) -> bytes:
    """A valid cgminer ``stats`` reply of about ``size`` bytes, NUL-terminated."""
    entry = {f"chain_acn{i}": 63 for i in range(1, 4)}
    entry.update({f"temp_pcb{i}": "41-44-55-57" for i in range(1, 4)})
    entry.update({f"chain_rate{i}": "31503.99" for i in range(1, 4)})
    entry_size = len(json.dumps(entry)) + 1
    stats = [dict(entry, STATS=index) for index in range(max(1, size // entry_size))]
    reply = {
        "STATUS": [{"STATUS": "S", "When": 1, "Code": 70, "Msg": "CGMiner stats"}],
        "STATS": stats,
        "id": 1,
    }
    return json.dumps(reply).encode() + b"\x00"


def error_spam(size: int) -> bytes:
    """A Whatsminer ``get_error_code`` reply of about ``size`` bytes, quirks included."""
    item = '"{code}":"2026-11-24 12:00:00\nfan speed error",'
    items: list[str] = []
    total = 0
    code = 100
    while total < size:
        text = item.format(code=code)
        items.append(text)
        total += len(text)
        code += 1
    body = "".join(items).rstrip(",")
    return (
        '{"STATUS":"S","When":1,"Code":133,"Msg":{"error_code":[' + body + ']},"Description":""}'
    ).encode()


def _time_decode(raw: bytes, repeats: int) -> float:
    """The best of ``repeats`` decodes, in seconds (the least disturbed by the machine)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        decode_reply(raw)
        best = min(best, time.perf_counter() - start)
    return best


async def _oversized_refusal(limit: int) -> dict[str, Any]:
    """A miner that never stops sending: how long until the client gives up."""
    async with MinerSimulator("cgminer-fork", port=0, seed=1, jitter=False) as sim:
        sim.set_fault(Fault.OVERSIZED)
        api = CGMinerAPI("127.0.0.1", sim.port, timeout=10.0, max_reply_bytes=limit)
        start = time.perf_counter()
        try:
            await api.send_command("summary")
        except APIConnectionError as err:
            message = str(err)
        else:
            message = "accepted (bug: no size bound)"
        elapsed = time.perf_counter() - start
    return {
        "max_reply_bytes": limit,
        "refused_after_ms": round(elapsed * 1000, 1),
        "error": message,
    }


async def run(*, quick: bool) -> dict[str, Any]:
    """Decode each shape at 1 MB and 8 MB (smaller in quick mode)."""
    small, big = (100_000, 800_000) if quick else (MB, 8 * MB)
    repeats = 2 if quick else 3
    shapes: dict[str, Any] = {}
    for name, build in (("huge_stats", huge_stats), ("whatsminer_error_spam", error_spam)):
        figures: dict[str, Any] = {}
        per_mb: list[float] = []
        for size in (small, big):
            raw = build(size)
            seconds = await asyncio.to_thread(_time_decode, raw, repeats)
            per_mb.append(seconds / (len(raw) / MB))
            figures[f"{len(raw) / MB:.1f}_MB_ms"] = round(seconds * 1000, 1)
        figures["ms_per_MB"] = [round(value * 1000, 1) for value in per_mb]
        # 1.0 is perfectly linear; well above it would mean super-linear decoding.
        figures["linearity_big_vs_small"] = round(per_mb[1] / per_mb[0], 2)
        shapes[name] = figures
    shapes["oversized"] = await _oversized_refusal(4 * 1024 * 1024)
    return shapes
