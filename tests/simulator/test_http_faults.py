"""Every HTTP fault on every HTTP firmware's personality, over real loopback sockets: refused,
silent, slow, 401, 500, garbage, oversized, cut replies, reboot. A firmware with a TCP API
beside its HTTP one (VNish, Braiins OS) keeps answering it under the HTTP status faults."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest

from simulator import PERSONALITIES, Fault, MinerSimulator

from .test_personalities import ask
from .web import Reply, call

HTTP = sorted(
    name
    for name, cls in PERSONALITIES.items()
    if cls.api_protocol != "tcp" or (cls.has_web and cls.family != "bmminer")
)

#: personality -> (status, content type, body) of its 401 and 500.
ERRORS: dict[str, dict[int, tuple[str, bytes]]] = {
    "axeos": {
        401: ("text/html", b"Unauthorized"),
        500: ("text/html", b"Server has encountered an unexpected error"),
    },
    "vnish": {401: ("", b""), 500: ("application/json", b'{"err": "Internal Server Error"}')},
    "braiins-os": {401: ("", b""), 500: ("text/plain", b"500: Internal Server Error")},
    "epic": {
        401: ("text/plain", b"401: Unauthorized"),
        500: ("text/plain", b"500: Internal Server Error"),
    },
}


async def probe(sim: MinerSimulator, *, timeout: float = 3.0) -> Reply:
    """The firmware's main reading, as a client polls it."""
    family = PERSONALITIES[sim.personality_name].family
    if family == "axeos":
        return await call(sim.web_port, "/api/system/info", timeout=timeout)
    if family == "vnish":
        return await call(sim.web_port, "/api/v1/summary", timeout=timeout)
    if family == "braiins-os":
        headers = {"Authorization": getattr(sim, "test_token", "")}
        return await call(sim.web_port, "/api/v1/miner/stats", headers=headers, timeout=timeout)
    return await call(sim.port, "/summary", timeout=timeout)


async def started(name: str) -> MinerSimulator:
    sim = MinerSimulator(name, web_port=0, jitter=False)
    await sim.start()
    sim.reboot_seconds = 0.2
    if PERSONALITIES[name].family == "braiins-os":
        login = await call(
            sim.web_port,
            "/api/v1/auth/login",
            "POST",
            json={"username": "root", "password": "root"},
        )
        sim.test_token = login.json()["token"]  # type: ignore[attr-defined]
    reply = await probe(sim)
    assert reply.status == 200
    json.loads(reply.body)
    return sim


def test_the_http_firmwares() -> None:
    assert HTTP == [
        "bitaxe-gamma",
        "bitaxe-gt",
        "bitaxe-suprahex",
        "bitaxe-ultra",
        "braiins-os-s19xp",
        "epic-s19jpro",
        "luckyminer-lv07",
        "nerdqaxe-plus",
        "vnish-s19",
    ]


@pytest.mark.parametrize("name", HTTP)
@pytest.mark.parametrize("status", [401, 500])
async def test_status_faults(name: str, status: int) -> None:
    sim = await started(name)
    try:
        sim.set_fault(Fault.HTTP_401 if status == 401 else Fault.HTTP_500)
        reply = await probe(sim)
        content_type, body = ERRORS[PERSONALITIES[name].family][status]
        assert (reply.status, reply.content_type, reply.body) == (status, content_type, body)
        if sim.port is not None and PERSONALITIES[name].api_protocol == "tcp":
            raw = await ask(sim.port, {"command": "summary"})
            assert json.loads(raw.rstrip(b"\x00"))["SUMMARY"]  # the TCP API is not HTTP
        sim.set_fault(Fault.NONE)
        assert (await probe(sim)).status == 200
    finally:
        await sim.stop()


@pytest.mark.parametrize("name", HTTP)
@pytest.mark.parametrize(
    "fault", [Fault.REFUSE, Fault.SILENT, Fault.TRICKLE, Fault.RESET, Fault.TRUNCATED]
)
async def test_unanswered(name: str, fault: Fault) -> None:
    """Refused, silent, too slow, cut by a reset or a close: no complete reply; then back."""
    sim = await started(name)
    try:
        params: dict[str, Any] = {"interval": 0.2} if fault is Fault.TRICKLE else {}
        sim.set_fault(fault, **params)
        expected: type[Exception] = TimeoutError
        if fault in (Fault.REFUSE, Fault.RESET, Fault.TRUNCATED):
            expected = aiohttp.ClientError
        with pytest.raises(expected):
            await probe(sim, timeout=0.4)
        sim.set_fault(Fault.NONE)
        assert (await probe(sim)).status == 200
    finally:
        await sim.stop()


@pytest.mark.parametrize("name", HTTP)
async def test_garbage_oversized_and_reboot(name: str) -> None:
    sim = await started(name)
    try:
        sim.set_fault(Fault.GARBAGE, size=64)
        garbage = await probe(sim)
        assert garbage.status == 200
        with pytest.raises(UnicodeDecodeError):
            garbage.body.decode()
        sim.set_fault(Fault.OVERSIZED, limit=200_000)
        huge = await probe(sim)
        assert huge.body.startswith(b'{"data":"AAAA')
        assert len(huge.body) > 200_000
        sim.set_fault(Fault.REBOOT, seconds=0.2)
        with pytest.raises(aiohttp.ClientError):
            await probe(sim)
        for _ in range(100):
            await asyncio.sleep(0.02)
            if not sim.offline:
                break
        if PERSONALITIES[name].family == "braiins-os":  # the reboot forgot the token
            assert (await probe(sim)).status == 401
        else:
            assert (await probe(sim)).status == 200
    finally:
        await sim.stop()
