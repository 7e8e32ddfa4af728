"""WhatsminerV3API against the ``whatsminer-v3`` personality over loopback sockets (framed
JSON, signed writes, salt renewal, wrong password, faults)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
import json
import socket
from typing import Any

import pytest

from custom_components.asic_miner.api import Capability, MinerIdentity
from custom_components.asic_miner.api.btminer import IDENTITY_RETRY_INTERVAL
from custom_components.asic_miner.api.errors import (
    APIAuthError,
    APIConnectionError,
    APIDecodeError,
    APIError,
)
from custom_components.asic_miner.api.refresh import REFRESH_SECONDS
from custom_components.asic_miner.api.whatsminer_v3 import WhatsminerV3API, v3_token
from simulator import Fault, MinerSimulator

from .conftest import open_fds


@pytest.fixture
async def sim() -> AsyncIterator[MinerSimulator]:
    """A v3 Whatsminer on an ephemeral loopback port (a reboot takes it offline 0.2 s)."""
    async with MinerSimulator("whatsminer-v3", jitter=False) as simulator:
        simulator.reboot_seconds = 0.2
        yield simulator


def _device_info(
    sim: MinerSimulator, change: Callable[[dict[str, Any]], None]
) -> Callable[[], None]:
    """Let ``change`` edit every ``get.device.info`` the miner sends; returns the undo."""
    personality = sim.personality
    original = personality._device_info  # type: ignore[attr-defined]

    def changed() -> dict[str, Any]:
        info: dict[str, Any] = original()
        change(info)
        return info

    personality._device_info = changed  # type: ignore[attr-defined]
    return lambda: setattr(personality, "_device_info", original)


def _api(sim: MinerSimulator, **kwargs: object) -> WhatsminerV3API:
    return WhatsminerV3API("127.0.0.1", sim.port, timeout=0.5, connect_timeout=0.5, **kwargs)  # type: ignore[arg-type]


def test_token_matches_published_recipe() -> None:
    """base64(sha256(cmd + password + salt + ts)) cut to 8 characters."""
    import base64
    import hashlib

    digest = hashlib.sha256(b"set.system.rebootsuperBQ5hoXV91700000000").digest()
    expected = base64.b64encode(digest).decode()[:8]
    assert v3_token("set.system.reboot", "super", "BQ5hoXV9", 1700000000) == expected
    assert len(expected) == 8


async def test_poll(sim: MinerSimulator) -> None:
    """Identity, summary, boards, pools, mode, LED and mining state (the keys of a real 2025
    unit)."""
    api = _api(sim)
    assert api.port == sim.port
    assert WhatsminerV3API("10.0.0.1").port == 4433
    data = await api.get_data()
    assert data.make == "Whatsminer"
    assert data.model == "M60S"
    assert data.firmware == "20251209.16.Rel2"
    assert data.mac == "c4:08:28:00:60:01"
    assert data.hostname == "WhatsMiner-M60S"
    assert data.serial == "HKM60S2024ABC0001"
    assert data.hashrate == pytest.approx(186.0)
    assert data.average_hashrate == pytest.approx(186.0)
    assert data.expected_hashrate == pytest.approx(186.0)
    assert data.power == 3420
    assert data.power_limit == 3600
    assert [board.chips for board in data.boards] == [172, 172, 172]
    assert [board.temperature for board in data.boards] == [41.0, 41.0, 41.0]
    assert data.temperature == 41.0
    assert data.chip_temperature == 78.0
    assert data.inlet_temperature == 25.0
    assert [fan.rpm for fan in data.fans] == [4800, 4700]
    assert data.pools[0].user == "m60.001"
    assert data.pools[0].active is True
    assert data.pools[0].alive is True
    assert data.is_mining is True
    assert data.fault_light is False
    assert data.work_mode == "normal"
    assert data.errors == []
    assert api.capabilities == {
        Capability.REBOOT,
        Capability.RESTART_BACKEND,
        Capability.PAUSE_RESUME,
        Capability.POWER_LIMIT,
        Capability.FAULT_LIGHT,
        Capability.WORK_MODE,
    }
    assert api.work_modes == ("low", "normal", "high")
    assert api.power_limit_bounds == (500, 10000)
    assert {"get_device_info", "get_miner_status"} <= set(api.commands)


async def test_controls(sim: MinerSimulator) -> None:
    """Every control is a signed write that changes the miner; one salt read serves all."""
    api = _api(sim)
    await api.pause_mining()
    assert sim.state.paused
    assert (await api.get_data()).is_mining is False
    await api.resume_mining()
    assert not sim.state.paused
    await api.set_power_limit(3000)
    assert sim.state.power_limit == 3000
    await api.set_work_mode("low")
    assert (await api.get_data()).work_mode == "low"
    await api.set_fault_light(True)
    assert (await api.get_data()).fault_light is True
    await api.set_fault_light(False)
    assert not sim.state.fault_light
    sim.state.started_at -= 500
    await api.restart_backend()
    assert sim.state.uptime() < 100
    sim.state.started_at -= 500
    await api.reboot()
    # A reboot takes the miner offline, then it is back with its uptime reset.
    went_offline = False
    for _ in range(100):
        went_offline = went_offline or sim.offline
        if not sim.offline and sim.state.uptime() < 100:
            break
        await asyncio.sleep(0.02)
    assert went_offline
    assert sim.state.uptime() < 100
    assert api._identity is None
    device_info_reads = sum(1 for command in sim.received if command == "get.device.info")
    # The salt once, the identity, and each of the three polls after a control (LED, mode).
    assert device_info_reads == 5
    with pytest.raises(ValueError, match="outside"):
        await api.set_power_limit(50)
    with pytest.raises(ValueError, match="unknown work mode"):
        await api.set_work_mode("turbo")


async def test_salt_renewed_once(sim: MinerSimulator) -> None:
    """A salt that changed on the miner is re-read and the write retried."""
    api = _api(sim)
    await api.set_fault_light(True)
    sim.personality.salt = "NEWSALT1"  # type: ignore[attr-defined]
    await api.set_fault_light(False)
    assert not sim.state.fault_light
    assert sim.received.count("set.system.led") == 3


async def test_wrong_password(sim: MinerSimulator) -> None:
    """A rejected token with a fresh salt is APIAuthError; the fault does the same."""
    with pytest.raises(APIAuthError, match="super"):
        await _api(sim, password="wrong").pause_mining()
    assert not sim.state.paused
    api = _api(sim)
    sim.set_fault(Fault.WRONG_PASSWORD)
    with pytest.raises(APIAuthError):
        await api.pause_mining()


async def test_refusals(sim: MinerSimulator) -> None:
    """A refused write or unknown command raises APIError with the miner's message."""
    api = _api(sim)
    with pytest.raises(APIError, match="invalid param"):
        await api.send_privileged_command("set.miner.service", "explode")
    with pytest.raises(APIError, match="invalid command"):
        await api.send_command("get.everything")
    with pytest.raises(ValueError, match="invalid request field"):
        api.build_request("get.device.info", None, cmd="x")
    request = json.loads(api.build_request("set.system.led", [{"color": "red", "period": 1}]))
    assert request == {"cmd": "set.system.led", "param": [{"color": "red", "period": 1}]}
    with pytest.raises(ValueError, match="invalid characters"):
        api.build_request("set.system.led", {"color": "red\n"})


async def test_error_codes_and_fallbacks(sim: MinerSimulator) -> None:
    """Error codes with their time (``reason`` is no code); odd shapes are skipped."""
    sim.personality.error_codes = {"530": "2024-06-01 10:00:00"}  # type: ignore[attr-defined]
    data = await _api(sim).get_data()
    assert data.errors == ["error 530 since 2024-06-01 10:00:00"]
    errors = WhatsminerV3API._errors
    assert errors([{"111": "", "reason": "fan"}, "junk"]) == ["error 111"]
    assert errors(None) == []
    status = {"edevs": [{"hash-average": 1.0, "temperature": 50}, "junk"]}
    boards = WhatsminerV3API._boards(status)
    assert boards[0].index == 0
    assert boards[0].temperature == 50
    assert boards[0].chip_temperature is None
    assert WhatsminerV3API._boards({}) == []
    listed = {"summary": {"board-temperature": [40.5, 0]}, "edevs": [{"id": 0}, {"id": 1}]}
    assert [b.temperature for b in WhatsminerV3API._boards(listed)] == [40.5, None]
    pools = WhatsminerV3API._pools([{"url": ""}, {"url": "stratum+tcp://x:1"}, 3])
    assert [(p.url, p.alive, p.active, p.user) for p in pools] == [
        ("stratum+tcp://x:1", None, None, None)
    ]
    assert WhatsminerV3API._pools(None) == []


async def test_missing_values_are_none(sim: MinerSimulator) -> None:
    """A status without summary: hashrate from the boards, the rest None."""
    api = _api(sim)
    identity = await api.get_identity()
    replies = {
        "get.miner.status": {"code": 0, "msg": {"edevs": [{"hash-average": 2.5}]}},
        "get.device.info": {"code": 0, "msg": {}},
    }
    data = api._map(replies, identity)
    assert data.hashrate == 2.5
    assert data.power is None
    assert data.power_limit is None
    assert data.expected_hashrate is None
    assert data.fans == []
    assert data.is_mining is True
    assert data.fault_light is None
    assert data.work_mode is None
    assert data.inlet_temperature is None
    windows = {"hash-average": 7.0, "hash-1min": 7.5, "power-5min": 3000}
    older = api._map({"get.miner.status": {"msg": {"summary": windows}}}, identity)
    assert (older.hashrate, older.average_hashrate, older.power) == (7.5, 7.0, 3000)
    assert api._identity_from({}).model is None


def test_hashrate_wins_over_working_flag() -> None:
    """A hashing miner is mining whatever ``working`` says; one hashing nothing is stopped
    only when ``working`` says so (else starting up), unknown without it."""
    api = WhatsminerV3API("127.0.0.1")
    identity = MinerIdentity(make="Whatsminer")

    def mining(hashrate: float, working: str | None) -> bool | None:
        info = {} if working is None else {"miner": {"working": working}}
        replies = {
            "get.miner.status": {"msg": {"summary": {"hash-realtime": hashrate}}},
            "get.device.info": {"msg": info},
        }
        return api._map(replies, identity).is_mining

    assert mining(171.2, "false") is True
    assert mining(0.0, "false") is False
    assert mining(0.0, "true") is True
    assert mining(0.0, None) is False


async def test_one_request_per_steady_poll(sim: MinerSimulator) -> None:
    """``get.miner.status`` summary+edevs each poll; pools and the device info at the first
    poll, every few minutes and after a control; the device info also while nothing hashes."""
    api = _api(sim)
    await api.get_data()
    assert sim.requests == ["get.device.info", "get.miner.status", "get.device.info"]
    for _ in range(3):
        sim.requests.clear()
        data = await api.get_data()
        assert sim.requests == ["get.miner.status"]
        assert data.pools[0].user == "m60.001"  # as last read
        assert (data.fault_light, data.work_mode) == (False, "normal")
    assert api.refresh.read_at is not None
    api.refresh = replace(api.refresh, read_at=api.refresh.read_at - REFRESH_SECONDS)
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == ["get.miner.status", "get.device.info"]
    await api.pause_mining()
    await api.get_data()
    sim.requests.clear()
    assert (await api.get_data()).is_mining is False
    assert sim.requests == ["get.miner.status", "get.device.info"]


async def test_uptime_reset_reads_device_info_again(sim: MinerSimulator) -> None:
    """A restart (uptime backwards) reads the pools and device info at the next poll."""
    api = _api(sim)
    sim.state.started_at -= 1000
    await api.get_data()
    sim.state.reset_uptime()
    await api.get_data()
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == ["get.miner.status", "get.device.info"]


async def test_incomplete_identity_is_read_again_later(sim: MinerSimulator) -> None:
    """A device info without the model: read again after an hour, not each poll."""
    api = _api(sim)
    undo = _device_info(sim, lambda info: info["miner"].pop("type"))
    assert (await api.get_data()).model is None
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == ["get.miner.status"]
    undo()
    assert api.identity_retry.read_at is not None
    retried = api.identity_retry.read_at - IDENTITY_RETRY_INTERVAL
    api.identity_retry = replace(api.identity_retry, read_at=retried)
    await api.get_data()
    assert (await api.get_data()).model == "M60S"


async def test_check_password_signs_a_write_that_changes_nothing(sim: MinerSimulator) -> None:
    """The LED set to the state the miner reports: verified, and nothing changed."""
    api = _api(sim, password="super")
    await api.check_password()
    assert sim.received == ["get.device.info", "set.system.led"]
    assert sim.state.fault_light is False
    sim.state.fault_light = True  # someone is locating the miner
    await api.check_password()
    assert sim.state.fault_light is True
    assert await _api(sim).check_password() is None  # no password: nothing to check
    with pytest.raises(APIAuthError):
        await _api(sim, password="wrong").check_password()
    assert sim.received.count("get.device.info") == 3  # a fresh salt each time, no retry


async def test_check_password_without_a_reported_led(sim: MinerSimulator) -> None:
    """Firmware that does not report its LED offers no harmless write: nothing is sent."""
    _device_info(sim, lambda info: info["system"].pop("ledstatus"))
    await _api(sim, password="wrong").check_password()
    assert sim.received == ["get.device.info"]
    sim.personality.salt = ""  # type: ignore[attr-defined]
    with pytest.raises(APIDecodeError, match="no salt"):
        await _api(sim, password="super").check_password()


async def test_check_password_refused_led_still_proves_it(sim: MinerSimulator) -> None:
    """A write the miner refuses after accepting its signature proves the password."""
    personality = sim.personality
    _device_info(sim, lambda info: info["system"].update(ledstatus="manual"))
    original_write = personality._write  # type: ignore[attr-defined]

    def refuse(command: str, param: Any, request: dict[str, Any]) -> dict[str, Any]:
        reply: dict[str, Any] = original_write(command, param, request)
        return reply if reply["code"] != 0 else {**reply, "code": -1, "msg": "busy"}

    personality._write = refuse  # type: ignore[attr-defined]
    await _api(sim, password="super").check_password()
    assert sim.state.fault_light is True  # our blink, as the miner showed a blink


def test_reply_without_code_is_decode_error() -> None:
    """A reply that is not a v3 envelope is reported."""
    api = WhatsminerV3API("127.0.0.1")
    with pytest.raises(APIDecodeError, match="without a code"):
        api.check_reply("get.device.info", {"STATUS": "S"}, allow_warning=True)


async def test_salt_missing_is_decode_error(sim: MinerSimulator) -> None:
    """No salt in get.device.info: nothing can be signed."""
    sim.personality.salt = ""  # type: ignore[attr-defined]
    with pytest.raises(APIDecodeError, match="no salt"):
        await _api(sim).pause_mining()


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault.SILENT, APIConnectionError),
        (Fault.TRUNCATED, APIConnectionError),
        (Fault.GARBAGE, APIDecodeError),
        (Fault.OVERSIZED, APIConnectionError),
        (Fault.REFUSE, APIConnectionError),
    ],
    ids=str,
)
async def test_faults(sim: MinerSimulator, fault: Fault, error: type[APIError]) -> None:
    """Framing faults end in APIError within the bound, without leaking sockets."""
    api = _api(sim, max_reply_bytes=65536)
    await api.get_data()
    before = open_fds()
    sim.set_fault(fault)
    with pytest.raises(error):
        await api.get_data()
    with pytest.raises(error):
        await api.pause_mining()
    for _ in range(40):
        if open_fds() <= before:
            break
        await asyncio.sleep(0.05)
    assert open_fds() <= before


async def test_connect_failures(sim: MinerSimulator) -> None:
    """Refused and not-connected-in-time are both APIConnectionError."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(APIConnectionError, match="cannot connect"):
        await WhatsminerV3API("127.0.0.1", port).get_device_info()
    with pytest.raises(APIConnectionError, match="no connection within"):
        await WhatsminerV3API("127.0.0.1", sim.port, connect_timeout=0.0).get_device_info()
