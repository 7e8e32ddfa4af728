"""BTMinerAPI (Whatsminer) against the simulated M30S over loopback sockets, including the
encrypted privileged API: token cache and renewal, wrong password, write API disabled."""

from __future__ import annotations

import asyncio
from dataclasses import replace
import json
from typing import Any

import pytest

from custom_components.asic_miner.api import Capability, MinerIdentity
from custom_components.asic_miner.api.btminer import IDENTITY_RETRY_INTERVAL, BTMinerAPI
from custom_components.asic_miner.api.errors import (
    APIAuthError,
    APIConnectionError,
    APIDecodeError,
    APIError,
    APIPrivilegeDisabledError,
    APIWarning,
)
from custom_components.asic_miner.api.refresh import REFRESH_SECONDS
from simulator import Fault, MinerSimulator
from simulator.personalities import WhatsminerM30S

from .conftest import SimulatorFactory


async def _whatsminer(
    simulator: SimulatorFactory, **kwargs: Any
) -> tuple[MinerSimulator, BTMinerAPI]:
    sim = await simulator("whatsminer-m30s", jitter=False, **kwargs)
    api = BTMinerAPI("127.0.0.1", sim.port, password=kwargs.get("password"), timeout=1.0)
    return sim, api


def _personality(sim: MinerSimulator) -> WhatsminerM30S:
    personality = sim.personality
    assert isinstance(personality, WhatsminerM30S)
    return personality


async def test_poll_maps_everything(simulator: SimulatorFactory) -> None:
    """One poll gives identity, power, limit, boards, fans, pools, mode, LED and state."""
    _sim, api = await _whatsminer(simulator)
    data = await api.get_data()
    assert data.make == "Whatsminer"
    assert data.model == "M30S"
    assert data.firmware == "20210322.22.REL"
    assert data.mac == "c4:08:28:00:30:01"
    assert data.hostname == "WhatsMiner"
    assert data.serial == "HTM30S2021ZYX0001"
    assert data.hashrate == pytest.approx(87.9, rel=1e-3)
    assert data.average_hashrate == pytest.approx(87.9, rel=1e-3)
    assert data.expected_hashrate == pytest.approx(87.9)
    assert data.power == 3400
    assert data.power_limit == 3600
    assert data.efficiency == pytest.approx(3400 / 87.9, rel=1e-3)
    assert [board.chips for board in data.boards] == [156, 156, 156]
    assert data.temperature == 68.0
    assert data.chip_temperature == 79.0
    assert data.inlet_temperature == 28.0
    assert [fan.rpm for fan in data.fans] == [5400, 5300]
    assert data.pools[0].url == "stratum+tcp://btc.f2pool.com:3333"
    assert data.pools[0].active
    assert (data.shares_accepted, data.shares_rejected) == (12345, 12)
    assert data.best_session_difficulty == 123456789
    assert data.best_difficulty is None
    assert data.blocks_found == 0
    assert data.uptime is not None
    assert data.is_mining is True
    assert data.work_mode == "normal"
    assert data.errors == []
    assert data.fault_light is False
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


async def test_one_request_per_steady_poll(simulator: SimulatorFactory) -> None:
    """summary+devs in one request; pools and the LED with it every few minutes only."""
    sim, api = await _whatsminer(simulator)
    await api.get_data()
    assert sim.requests[-2:] == ["summary+devs+pools", "get_miner_info"]
    for _ in range(3):
        sim.requests.clear()
        data = await api.get_data()
        assert sim.requests == ["summary+devs"]
        assert data.pools[0].user == "whatsminer.001"  # as last read
        assert data.fault_light is False
    assert api.refresh.read_at is not None
    api.refresh = replace(api.refresh, read_at=api.refresh.read_at - REFRESH_SECONDS)
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == ["summary+devs+pools", "get_miner_info"]


async def test_pool_change_shows_at_the_rare_read(simulator: SimulatorFactory) -> None:
    """Pools read every few minutes: a change on the miner shows at the next rare read."""
    sim, api = await _whatsminer(simulator)
    await api.get_data()
    sim.state.pools[0].user = "renamed.001"
    assert (await api.get_data()).pools[0].user == "whatsminer.001"
    assert api.refresh.read_at is not None
    api.refresh = replace(api.refresh, read_at=api.refresh.read_at - REFRESH_SECONDS)
    assert (await api.get_data()).pools[0].user == "renamed.001"


async def test_uptime_reset_reads_pools_again(simulator: SimulatorFactory) -> None:
    """A restart (uptime backwards) reads pools and the LED at the next poll."""
    sim, api = await _whatsminer(simulator)
    sim.state.started_at -= 1000
    await api.get_data()
    sim.state.reset_uptime()
    await api.get_data()  # notices the restart
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == ["summary+devs+pools", "get_miner_info"]


async def test_joined_get_commands_are_refused_by_the_miner(simulator: SimulatorFactory) -> None:
    """The simulator refuses get_* inside a join, which is why the client splits them."""
    _sim, api = await _whatsminer(simulator)
    reply = await api._exchange(api.build_request("summary+get_version"))
    assert reply["STATUS"] == "E"
    assert reply["Msg"] == "invalid cmd"


async def test_error_codes_with_2_0_4_quirk(simulator: SimulatorFactory) -> None:
    """API 2.0.4's dict-in-list error codes are read, with the time they were raised, once
    while the summary counts the same codes."""
    sim, api = await _whatsminer(simulator)
    personality = _personality(sim)
    personality.api_version = "2.0.4"  # type: ignore[misc]
    await api.get_data()
    personality.error_codes = {"110": "2021-12-20 13:02:22", "530": "2021-12-21 01:00:00"}
    sim.requests.clear()
    data = await api.get_data()
    assert data.errors == [
        "error 110 since 2021-12-20 13:02:22",
        "error 530 since 2021-12-21 01:00:00",
    ]
    assert sim.requests == ["summary+devs", "get_error_code"]
    sim.requests.clear()
    assert (await api.get_data()).errors == data.errors  # unchanged: not asked again
    assert sim.requests == ["summary+devs"]
    personality.error_codes["111"] = "2021-12-22 08:00:00"
    assert len((await api.get_data()).errors) == 3
    assert "get_error_code" in sim.requests
    personality.error_codes.clear()
    sim.requests.clear()
    assert (await api.get_data()).errors == []
    assert sim.requests == ["summary+devs"]


async def test_error_code_count_is_no_loop_bound(
    simulator: SimulatorFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A summary counting 10**18 error codes while listing two: the codes present are read
    (those below the count, in their order), never one key per number counted."""
    sim, api = await _whatsminer(simulator)
    personality = _personality(sim)
    personality.cmd_get_error_code = lambda parameter: personality.error(14, "invalid cmd")  # type: ignore[method-assign]
    personality.error_codes = {"131": "", "110": ""}
    fields = personality.summary_fields
    monkeypatch.setattr(
        personality, "summary_fields", lambda: {**fields(), "Error Code Count": 10**18}
    )
    with pytest.warns(APIWarning, match="get_error_code"):
        assert (await api.get_data()).errors == ["error 131", "error 110"]
    monkeypatch.setattr(personality, "summary_fields", lambda: {**fields(), "Error Code Count": 1})
    assert (await api.get_data()).errors == ["error 131"]  # only those the count covers


async def test_error_codes_newer_format(simulator: SimulatorFactory) -> None:
    """Later API versions write a proper list of one-key objects."""
    sim, api = await _whatsminer(simulator)
    personality = _personality(sim)
    personality.api_version = "2.0.5"  # type: ignore[misc]
    personality.error_codes = {"202": "2024-01-01 12:00:00"}
    assert (await api.get_data()).errors == ["error 202 since 2024-01-01 12:00:00"]


async def test_error_codes_refused_come_from_summary(simulator: SimulatorFactory) -> None:
    """Firmware without get_error_code: the codes summary lists, asked for once only."""
    sim, api = await _whatsminer(simulator)
    personality = _personality(sim)
    personality.cmd_get_error_code = lambda parameter: personality.error(14, "invalid cmd")  # type: ignore[method-assign]
    personality.error_codes = {"110": "", "131": ""}
    with pytest.warns(APIWarning, match="get_error_code"):
        assert (await api.get_data()).errors == ["error 110", "error 131"]
    sim.requests.clear()
    assert (await api.get_data()).errors == ["error 110", "error 131"]
    assert sim.requests == ["summary+devs"]


async def test_errors_nobody_read_are_unknown_not_none(
    simulator: SimulatorFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Firmware whose summary counts no errors and that refuses get_error_code: the errors are
    unknown (None), never an all-clear; once get_error_code answers, they are read again."""
    sim, api = await _whatsminer(simulator)
    personality = _personality(sim)
    fields = personality.summary_fields

    def without_count() -> dict[str, Any]:
        return {key: value for key, value in fields().items() if "Error Code" not in key}

    monkeypatch.setattr(personality, "summary_fields", without_count)
    answer = personality.cmd_get_error_code
    personality.cmd_get_error_code = lambda parameter: personality.error(14, "invalid cmd")  # type: ignore[method-assign]
    personality.error_codes = {"110": ""}
    with pytest.warns(APIWarning, match="get_error_code"):
        assert (await api.get_data()).errors is None
    personality.cmd_get_error_code = answer  # type: ignore[method-assign]
    api.refresh = api.refresh.soon()  # the rare read is due again (a restart, or minutes)
    assert (await api.get_data()).errors == ["error 110"]


def test_status_code_forms() -> None:
    """The Code is read from btminer's flat form and from cgminer's STATUS list."""
    from custom_components.asic_miner.api.btminer import _code

    assert _code({"STATUS": "E", "Code": 135}) == 135
    assert _code({"STATUS": [{"STATUS": "E", "Code": 45}]}) == 45
    assert _code({"STATUS": []}) is None


def test_error_code_shapes() -> None:
    """Bare codes, a single dict, summary's Error Code N fallback (never the factory's)."""
    errors = BTMinerAPI._errors
    assert errors({}, {"Msg": {"error_code": ["110", "", None]}}) == ["error 110"]
    assert errors({}, {"Msg": {"error_code": {"111": ""}}}) == ["error 111"]
    summary = {
        "Error Code Count": 3,
        "Error Code 0": 120,
        "Error Code 1": 0,
        "Error Code 2": "",
        "Factory Error Code Count": 1,
        "Factory Error Code 0": 208,
    }
    assert errors(summary, None) == ["error 120"]
    assert errors({"Error Code Count": 0}, {"Msg": {"error_code": [{"110": ""}]}}) == []
    assert errors({}, {"Msg": "oops"}) == []  # read, and it lists nothing
    assert errors({}, None) is None  # neither summary's count nor get_error_code: unknown


def test_model_and_version_strings() -> None:
    """Models split on ``.`` and ``_``; versions lose the quotes and newline firmware adds."""
    from custom_components.asic_miner.api.btminer import _version_text, model_name

    assert model_name("M30S.VG20") == "M30S"
    assert model_name("M30S+_VE40") == "M30S+"
    assert model_name("M60S_VK40") == "M60S"
    assert model_name("") is None
    assert model_name("_VK40") is None
    assert _version_text("'20210322.22.REL'") == "20210322.22.REL"
    assert _version_text("'20230110.22.REL'\n") == "20230110.22.REL"
    assert _version_text("''") is None


async def test_pause_resume_and_status(simulator: SimulatorFactory) -> None:
    """power_off stops hashing (status mineroff), power_on resumes."""
    sim, api = await _whatsminer(simulator)
    await api.pause_mining()
    assert sim.state.paused
    data = await api.get_data()
    assert data.is_mining is False
    assert data.hashrate == 0
    assert data.efficiency is None
    await api.resume_mining()
    assert (await api.get_data()).is_mining is True
    assert "power_off" in sim.received
    assert "power_on" in sim.received


async def test_power_limit_work_mode_led_restart(simulator: SimulatorFactory) -> None:
    """Each control reaches the miner and changes its state."""
    sim, api = await _whatsminer(simulator)
    await api.set_power_limit(3000)
    assert sim.state.power_limit == 3000
    data = await api.get_data()
    assert data.power_limit == 3000
    assert data.power == pytest.approx(3000)
    with pytest.raises(ValueError, match="outside"):
        await api.set_power_limit(20000)

    await api.set_work_mode("low")
    assert (await api.get_data()).work_mode == "low"
    await api.set_work_mode("high")
    assert sim.state.work_mode == "high"
    await api.set_work_mode("normal")
    assert sim.state.work_mode == "normal"
    with pytest.raises(ValueError, match="unknown work mode"):
        await api.set_work_mode("turbo")

    await api.set_fault_light(True)
    assert sim.state.fault_light
    assert (await api.get_data()).fault_light is True
    await api.set_fault_light(False)
    assert not sim.state.fault_light

    sim.state.started_at -= 500
    await api.restart_backend()
    assert sim.state.uptime() < 100


async def test_token_is_cached_and_renewed(simulator: SimulatorFactory) -> None:
    """One get_token serves several commands; an expired token is renewed transparently."""
    sim, api = await _whatsminer(simulator)
    await api.set_fault_light(True)
    await api.set_fault_light(False)
    assert sim.received.count("get_token") == 1

    _personality(sim).tokens.clear()  # the miner forgot it (expired, restarted)
    await api.pause_mining()
    assert sim.received.count("get_token") == 2
    assert sim.state.paused

    api.token_lifetime = 0.0  # the client considers its token too old
    await api.resume_mining()
    assert sim.received.count("get_token") == 3


async def test_miner_side_token_expiry(simulator: SimulatorFactory) -> None:
    """A token the miner expired after its lifetime is renewed once, then the command runs."""
    sim, api = await _whatsminer(simulator)
    personality = _personality(sim)
    await api.set_fault_light(True)
    # Age the issued tokens past the miner's lifetime (deterministic, no sleeping).
    personality.tokens = {
        token: issued - personality.token_lifetime - 1
        for token, issued in personality.tokens.items()
    }
    await api.set_fault_light(False)
    assert sim.received.count("get_token") == 2
    assert sim.received.count("set_led") == 3  # the rejected attempt, then the retry


async def test_wrong_password_is_auth_error(simulator: SimulatorFactory) -> None:
    """A wrong password cannot be fixed by renewing the token: APIAuthError."""
    sim = await simulator("whatsminer-m30s", password="s3cret")
    api = BTMinerAPI("127.0.0.1", sim.port, password="admin", timeout=1.0)
    with pytest.raises(APIAuthError, match="password"):
        await api.reboot()
    assert not sim.offline
    right = BTMinerAPI("127.0.0.1", sim.port, password="s3cret", timeout=1.0)
    await right.set_fault_light(True)
    assert sim.state.fault_light


async def test_password_changed_on_the_miner(simulator: SimulatorFactory) -> None:
    """WRONG_PASSWORD: a cached token first, then a fresh one, both rejected -> APIAuthError."""
    sim, api = await _whatsminer(simulator)
    await api.set_fault_light(True)
    sim.set_fault(Fault.WRONG_PASSWORD)
    with pytest.raises(APIAuthError):
        await api.set_fault_light(False)
    assert sim.received.count("get_token") == 2
    sim.set_fault(Fault.NONE)
    await api.set_fault_light(False)
    assert not sim.state.fault_light


async def test_write_api_disabled(simulator: SimulatorFactory) -> None:
    """The miner's "can't access write cmd" is APIPrivilegeDisabledError (a repair issue, not reauth)."""
    sim, api = await _whatsminer(simulator)
    _personality(sim).write_enabled = False
    with pytest.raises(APIPrivilegeDisabledError, match="WhatsminerTool"):
        await api.pause_mining()
    assert not sim.state.paused


async def test_refused_privileged_command(simulator: SimulatorFactory) -> None:
    """A command the miner refuses raises APIError with its message."""
    _sim, api = await _whatsminer(simulator)
    with pytest.raises(APIError, match="invalid power_limit"):
        await api.send_privileged_command("adjust_power_limit", power_limit="lots")
    with pytest.raises(APIError, match="invalid power_limit"):
        await api.send_privileged_command("adjust_power_limit", power_limit="0")
    with pytest.raises(APIError, match="invalid cmd"):
        await api.send_privileged_command("self_destruct", "now")
    with pytest.raises(ValueError, match="invalid request field"):
        await api.send_privileged_command("set_led", cmd="reboot")
    with pytest.raises(ValueError, match="invalid command"):
        await api.send_privileged_command("reboot+power_off")


async def test_reboot_goes_offline_and_forgets_identity(simulator: SimulatorFactory) -> None:
    """reboot answers, then the miner is unreachable for a while; identity is re-read."""
    sim, api = await _whatsminer(simulator)
    _personality(sim).reboot_seconds = 1.0  # wide margin for loaded test machines
    await api.get_data()
    await api.reboot()
    assert api._identity is None
    await asyncio.sleep(0.15)
    with pytest.raises(APIConnectionError):
        await api.get_data()
    for _ in range(100):
        await asyncio.sleep(0.05)
        if not sim.offline:
            break
    assert (await api.get_data()).mac == "c4:08:28:00:30:01"


async def test_undecryptable_reply_is_auth_error(simulator: SimulatorFactory) -> None:
    """An encrypted reply that does not decrypt with our key points at the password."""
    sim, api = await _whatsminer(simulator)
    personality = _personality(sim)
    original = personality.handle_encrypted

    def garbled(data: Any) -> Any:
        original(data)
        return {"enc": "QUJD" * 8}  # whole AES blocks, noise after decryption

    personality.handle_encrypted = garbled  # type: ignore[method-assign]
    with pytest.raises(APIAuthError, match="decrypt"):
        await api.set_fault_light(True)


async def test_malformed_token_reply(simulator: SimulatorFactory) -> None:
    """A get_token reply without salt is a decode error, not a crash."""
    sim, api = await _whatsminer(simulator)
    personality = _personality(sim)
    personality.cmd_get_token = lambda parameter: personality.message({"time": "1234"}, 134)  # type: ignore[method-assign]
    with pytest.raises(APIDecodeError, match="salt"):
        await api.set_fault_light(True)


async def test_identity_falls_back_to_summary_mac(simulator: SimulatorFactory) -> None:
    """Older firmware without get_miner_info: MAC from summary, hostname unknown."""
    sim, api = await _whatsminer(simulator)
    personality = _personality(sim)
    personality.cmd_get_miner_info = lambda parameter: personality.error(14, "invalid cmd")  # type: ignore[method-assign]
    with pytest.warns(APIWarning, match="get_miner_info"):
        identity = await api.get_identity()
    assert identity.mac == "c4:08:28:00:30:01"
    assert identity.hostname is None
    assert identity.serial is None
    assert identity.model == "M30S"


@pytest.mark.parametrize(
    ("refused", "model", "firmware", "hostname"),
    [
        ({"get_version"}, "M30S", "20210322.22.REL", "WhatsMiner"),
        ({"devdetails"}, None, "20210322.22.REL", "WhatsMiner"),
        ({"get_version", "get_miner_info", "devdetails"}, None, "20210322.22.REL", None),
    ],
    ids=["get_version", "devdetails", "all"],
)
async def test_each_identity_command_may_be_refused(
    simulator: SimulatorFactory,
    refused: set[str],
    model: str | None,
    firmware: str,
    hostname: str | None,
) -> None:
    """A refused identity command leaves what only it knows None (the firmware comes from
    summary's quoted ``Firmware Version``), and the readings still come back."""
    sim, api = await _whatsminer(simulator)
    personality = _personality(sim)
    personality.missing = frozenset(refused)  # type: ignore[misc]
    with pytest.warns(APIWarning):
        data = await api.get_data()
    assert (data.model, data.firmware, data.hostname) == (model, firmware, hostname)
    assert data.mac == "c4:08:28:00:30:01"
    assert data.hashrate == pytest.approx(87.9)


async def test_incomplete_identity_is_read_again_later(simulator: SimulatorFactory) -> None:
    """A model the firmware would not give is asked again after an hour, not each poll."""
    sim, api = await _whatsminer(simulator)
    personality = _personality(sim)
    personality.missing = frozenset({"devdetails"})  # type: ignore[misc]
    with pytest.warns(APIWarning):
        assert (await api.get_data()).model is None
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == ["summary+devs"]
    personality.missing = frozenset()  # type: ignore[misc]
    assert api.identity_retry.read_at is not None
    retried = api.identity_retry.read_at - IDENTITY_RETRY_INTERVAL
    api.identity_retry = replace(api.identity_retry, read_at=retried)
    await api.get_data()  # due: forgotten after this poll
    assert (await api.get_data()).model == "M30S"


async def test_identity_without_any_mac(simulator: SimulatorFactory) -> None:
    """No get_miner_info and a refused summary: MAC unknown (None), never invented."""
    sim, api = await _whatsminer(simulator)
    personality = _personality(sim)
    personality.cmd_get_miner_info = lambda parameter: personality.error(14, "invalid cmd")  # type: ignore[method-assign]
    personality.cmd_summary = lambda parameter: personality.error(14, "invalid cmd")  # type: ignore[method-assign]
    with pytest.warns(APIWarning):
        identity = await api.get_identity()
    assert identity.mac is None


async def test_identity_summary_unreachable_propagates(simulator: SimulatorFactory) -> None:
    """A connection failure while completing the identity is not cached as 'no MAC'."""
    sim, api = await _whatsminer(simulator)
    personality = _personality(sim)
    personality.cmd_get_miner_info = lambda parameter: personality.error(14, "invalid cmd")  # type: ignore[method-assign]
    personality.cmd_summary = lambda parameter: b"\xff{garbage"  # type: ignore[method-assign]
    with pytest.warns(APIWarning), pytest.raises(APIDecodeError):
        await api.get_identity()
    assert api._identity is None


async def test_missing_values_are_none(simulator: SimulatorFactory) -> None:
    """Power -1 (then Power_RT), no factory rate, placeholders, no devs: None, never 0."""
    sim, api = await _whatsminer(simulator)
    personality = _personality(sim)
    base_summary = personality.summary_fields

    def summary_fields() -> dict[str, Any]:
        fields = base_summary()
        fields.update(
            {
                "Power": -1,
                "Power_RT": -1,
                "Factory GHS": 0,
                "Power Limit": 0,
                "Power Mode": "",
                "Env Temp": 0.0,
                "Best Share": None,
            }
        )
        del fields["Found Blocks"]
        return fields

    personality.summary_fields = summary_fields  # type: ignore[method-assign]
    personality.cmd_devs = lambda parameter: personality.ok(9, "0 ASC(s)", "DEVS", [])  # type: ignore[method-assign]
    data = await api.get_data()
    assert data.power is None
    assert data.expected_hashrate is None
    assert data.power_limit is None
    assert data.work_mode is None
    assert data.inlet_temperature is None
    assert data.best_session_difficulty is None
    assert data.blocks_found is None
    assert data.is_mining is True  # from the hashrate
    assert data.boards == []
    assert data.hashrate is not None
    # no boards: the summary's own hottest readings
    assert (data.temperature, data.chip_temperature) == (68.0, 79.0)


async def test_power_rt_when_power_is_unknown(simulator: SimulatorFactory) -> None:
    """``Power`` -1 with a real-time reading beside it: the real-time reading."""
    sim, api = await _whatsminer(simulator)
    personality = _personality(sim)
    base_summary = personality.summary_fields
    personality.summary_fields = lambda: {**base_summary(), "Power": -1, "Power_RT": 3333}  # type: ignore[method-assign]
    assert (await api.get_data()).power == 3333


async def test_hashrate_from_boards_when_summary_lacks_it(simulator: SimulatorFactory) -> None:
    """No summary at all: hashrate is the sum of the boards, chip temperature from Avg,
    fans from a board (btminer writes them on every board too)."""
    sim, api = await _whatsminer(simulator)
    personality = _personality(sim)
    personality.cmd_summary = lambda parameter: personality.ok(11, "Summary", "SUMMARY", [{}])  # type: ignore[method-assign]
    base_dev = personality.dev_fields

    def dev_fields(index: int, board: Any) -> dict[str, Any]:
        fields = base_dev(index, board)
        del fields["Chip Temp Max"]
        del fields["ASC"]
        del fields["Slot"]
        fields["Temperature"] = 0.0  # no sensor
        return fields

    personality.dev_fields = dev_fields  # type: ignore[method-assign]
    data = await api.get_data()
    assert data.hashrate == pytest.approx(87.9)
    assert data.chip_temperature == 75.0
    assert [board.temperature for board in data.boards] == [None, None, None]
    assert data.temperature is None
    assert [board.index for board in data.boards] == [0, 1, 2]
    assert [fan.rpm for fan in data.fans] == [5400, 5300]


async def test_a_stopped_fan_is_a_reading(simulator: SimulatorFactory) -> None:
    """``Fan Speed Out 0`` beside a spinning intake (the M31S capture): 0 rpm, not dropped."""
    sim, api = await _whatsminer(simulator)
    sim.state.fans = [5700, 0]
    assert [(fan.index, fan.rpm) for fan in (await api.get_data()).fans] == [(0, 5700), (1, 0)]


async def test_read_commands(simulator: SimulatorFactory) -> None:
    """The get_* and edevs command methods return the miner's replies (API 1.4.0 keys)."""
    _sim, api = await _whatsminer(simulator)
    assert (await api.get_psu())["Msg"]["model"] == "P21-12-3600-E"
    version = await api.get_version()
    assert version["Msg"] == {"api_ver": "whatsminer v1.4.0", "fw_ver": "20210322.22.REL"}
    assert version["Description"] == "whatsminer v1.4.0"
    assert len((await api.edevs())["DEVS"]) == 3
    assert (await api.get_miner_info())["Msg"]["ledstat"] == "auto"
    assert (await api.status())["Msg"] == {
        "Firmware Version": "'20210322.22.REL'",
        "btmineroff": "false",
    }
    assert (await api.get_error_code())["Msg"]["error_code"] == []
    assert [pool["POOL"] for pool in (await api.pools())["POOLS"]] == [1, 2]
    assert {"get_psu", "get_token", "status", "edevs", "summary"} <= set(api.commands)


async def test_api_2_status_keys(simulator: SimulatorFactory) -> None:
    """API 2.0.x names things otherwise: ``mineroff``, ``FirmwareVersion``, ``power_mode``."""
    sim = await simulator("whatsminer-m50s", jitter=False)
    api = BTMinerAPI("127.0.0.1", sim.port, timeout=1.0)
    status = (await api.status())["Msg"]
    assert status["mineroff"] == "false"
    assert status["FirmwareVersion"] == "20230110.22.REL"
    assert status["power_mode"] == "normal"
    assert "btmineroff" not in status
    assert (await api.get_version())["Msg"]["api_ver"] == "2.0.5"
    assert (await api.get_psu())["Msg"]["fan_speed"] == "6896"
    await api.pause_mining()
    data = await api.get_data()
    assert (data.is_mining, data.hashrate) == (False, 0)


async def test_plain_request_to_privileged_port_forms(simulator: SimulatorFactory) -> None:
    """The simulator's cmd alias answers get_version, as detection uses it."""
    sim, _api = await _whatsminer(simulator)
    from custom_components.asic_miner.api.limits import Limits
    from custom_components.asic_miner.api.transport import exchange

    raw = await exchange(
        "127.0.0.1",
        sim.port,
        json.dumps({"cmd": "get_version"}).encode(),
        Limits(connect_timeout=1.0, timeout=1.0, max_bytes=65536),
    )
    assert b"api_ver" in raw


@pytest.mark.parametrize("personality", ["whatsminer-m30s", "whatsminer-m50s", "whatsminer-m31s"])
async def test_detect_api_finds_whatsminer(simulator: SimulatorFactory, personality: str) -> None:
    """detect_api returns BTMinerAPI for every simulated btminer generation, also the one
    that answers only summary, edevs and pools."""
    from custom_components.asic_miner.api import detect_api

    sim = await simulator(personality)
    api = await detect_api("127.0.0.1", sim.port, timeout=2.0)
    assert isinstance(api, BTMinerAPI)


async def test_powered_off_miner_that_refuses_reads(simulator: SimulatorFactory) -> None:
    """btminer off refuses summary/devs/pools: the poll still says 'not mining', hashrate 0."""
    sim, api = await _whatsminer(simulator)
    personality = _personality(sim)
    personality.refuse_reads_when_off = True
    await api.get_data()
    await api.pause_mining()
    with pytest.warns(APIWarning):
        data = await api.get_data()
    assert data.is_mining is False
    assert data.hashrate == 0.0
    assert data.power is None
    assert data.boards == []
    assert data.mac == "c4:08:28:00:30:01"
    await api.resume_mining()
    sim.requests.clear()
    data = await api.get_data()
    assert data.is_mining is True
    assert data.hashrate == pytest.approx(87.9)
    assert "summary+devs+pools" in sim.requests  # batching is not given up for good
    assert api.memory.boards_command == "devs"  # devs refused while off says nothing


async def test_paused_miner_asks_status(simulator: SimulatorFactory) -> None:
    """Hashrate 0: status is read (powered off → not mining); hashing again: not read."""
    sim, api = await _whatsminer(simulator)
    await api.get_data()
    await api.pause_mining()
    sim.requests.clear()
    data = await api.get_data()
    assert (data.is_mining, data.hashrate) == (False, 0)
    assert sim.requests == ["summary+devs+pools", "get_miner_info", "status"]
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == ["summary+devs", "status"]
    await api.resume_mining()
    await api.get_data()
    sim.requests.clear()
    assert (await api.get_data()).is_mining is True
    assert sim.requests == ["summary+devs"]


def _replies(summary: dict[str, Any], status: dict[str, Any] | None = None) -> dict[str, Any]:
    """Replies as a poll returns them, built from the shapes of real units."""
    replies: dict[str, Any] = {"summary": [{"SUMMARY": [summary]}]}
    if status is not None:
        replies["status"] = [{"STATUS": "S", "Code": 131, "Msg": status}]
    return replies


def test_hashrate_wins_over_btmineroff() -> None:
    """Firmware 20210322 says ``btmineroff "true"`` while its boards hash at 67 TH/s: mining.
    With nothing hashed, status decides: powered off is paused, on is starting up."""
    api = BTMinerAPI("127.0.0.1")
    identity = MinerIdentity(make="Whatsminer")
    hashing = {"MHS 5s": 70668114.52, "MHS 1m": 67439352.49, "MHS av": 67753251.19}
    off = {"Firmware Version": "'20210322.22.REL'", "btmineroff": "true"}
    on = {"Firmware Version": "'20210322.22.REL'", "btmineroff": "false"}
    data = api._map(_replies(hashing, off), identity)
    assert data.is_mining is True
    assert data.hashrate == pytest.approx(70.668114)  # MHS 5s, the freshest window
    assert data.average_hashrate == pytest.approx(67.753251)
    idle = {"MHS 5s": 0, "MHS 1m": 0, "MHS av": 12.0}
    assert api._map(_replies(idle, off), identity).is_mining is False
    assert api._map(_replies(idle, on), identity).is_mining is True
    assert api._map(_replies(idle), identity).is_mining is False
    assert api._map(_replies(idle, {"mineroff": "true"}), identity).is_mining is False


async def test_old_firmware_with_edevs_only(simulator: SimulatorFactory) -> None:
    """Firmware 20201202 (M31S): no devs, devdetails, get_version, get_miner_info nor
    get_error_code. edevs is learned at the first poll; the firmware and MAC come from
    summary; the model stays unknown; the readings all come back, one request a poll."""
    sim = await simulator("whatsminer-m31s", jitter=False)
    api = BTMinerAPI("127.0.0.1", sim.port, timeout=1.0)
    with pytest.warns(APIWarning):
        data = await api.get_data()
    assert sim.requests[-3:] == ["summary+devs+pools", "edevs", "get_miner_info"]
    assert (data.make, data.model, data.firmware) == ("Whatsminer", None, "20201202.22.REL")
    assert (data.mac, data.hostname, data.serial) == ("c6:06:12:00:2d:63", None, None)
    assert [board.chips for board in data.boards] == [105, 105, 105]
    assert data.hashrate == pytest.approx(76.5)
    assert data.work_mode == "high"
    assert data.input_voltage == 229.5
    assert data.input_current == pytest.approx(3550 / 229.5, abs=0.01)
    assert data.errors == []  # the factory's own codes are not current errors
    assert data.fault_light is None
    sim.requests.clear()
    data = await api.get_data()
    assert sim.requests == ["summary+edevs"]
    assert data.pools[0].url == "stratum+tcp://btc.f2pool.com:3333"


async def test_unreadable_reads_are_not_masked(simulator: SimulatorFactory) -> None:
    """A garbled summary is a decode error even when status says the miner is off."""
    sim, api = await _whatsminer(simulator)
    personality = _personality(sim)
    await api.get_identity()
    sim.state.paused = True
    personality.cmd_summary = lambda parameter: b"\xff{garbage"  # type: ignore[method-assign]
    with pytest.raises(APIDecodeError):
        await api.get_data()


async def test_refused_reads_while_running_still_fail(simulator: SimulatorFactory) -> None:
    """Refused reads are an error when status does not confirm the miner is off."""
    sim, api = await _whatsminer(simulator)
    personality = _personality(sim)
    personality.refuse_reads_when_off = True
    await api.get_identity()
    sim.state.paused = True  # reads refused...
    personality.cmd_status = lambda parameter: personality.message({"other": "x"})  # type: ignore[method-assign]
    with pytest.warns(APIWarning), pytest.raises(APIError, match="refused every read"):
        await api.get_data()


async def test_status_and_error_codes_refused(simulator: SimulatorFactory) -> None:
    """Firmware without status and get_error_code still polls (is_mining from hashrate)."""
    sim, api = await _whatsminer(simulator)
    personality = _personality(sim)
    personality.missing = frozenset({"status", "get_error_code"})  # type: ignore[misc]
    personality.error_codes = {"110": ""}
    with pytest.warns(APIWarning):
        data = await api.get_data()
    assert data.is_mining is True
    assert data.errors == ["error 110"]
    await api.pause_mining()
    with pytest.warns(APIWarning, match="status"):
        data = await api.get_data()
    assert (data.is_mining, data.hashrate) == (False, 0)


async def test_m50s_firmware_slips_repaired_end_to_end(simulator: SimulatorFactory) -> None:
    """The 2023 firmware's ""temp0 and raw newline reach the client and are repaired; its
    model has a ``_`` (``M50S_VH30``)."""
    from custom_components.asic_miner.api.limits import Limits
    from custom_components.asic_miner.api.transport import exchange

    sim = await simulator("whatsminer-m50s", jitter=False)
    for command in ("devs", "summary", "summary+devs+pools"):
        raw = await exchange(
            "127.0.0.1",
            sim.port,
            json.dumps({"command": command}).encode(),
            Limits(connect_timeout=1.0, timeout=1.0, max_bytes=1 << 20),
        )
        with pytest.raises(json.JSONDecodeError):
            json.loads(raw.rstrip(b"\x00"))  # really broken on the wire
    api = BTMinerAPI("127.0.0.1", sim.port, timeout=1.0)
    details = await api.devdetails()
    assert details["DEVDETAILS"][0]["Model"] == "M50S_VH30"
    data = await api.get_data()
    assert data.model == "M50S"
    assert data.firmware == "20230110.22.REL"
    assert [board.chips for board in data.boards] == [129, 129, 129]
    assert data.hashrate == pytest.approx(126.0)
    assert (await api.get_error_code())["Msg"]["error_code"] == []


async def test_identity_completed_after_power_on(simulator: SimulatorFactory) -> None:
    """Identity first read while btminer was off lacks the model; it is read again once
    the boards hash."""
    sim, api = await _whatsminer(simulator)
    personality = _personality(sim)
    personality.refuse_reads_when_off = True
    sim.state.paused = True
    with pytest.warns(APIWarning):
        data = await api.get_data()
    assert data.model is None
    assert data.mac == "c4:08:28:00:30:01"
    sim.state.paused = False
    assert (await api.get_data()).is_mining is True  # hashing: the identity is due
    assert (await api.get_data()).model == "M30S"
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == ["summary+devs"]  # identity cached again: one request a poll


async def test_led_is_read_back_after_a_led_control(simulator: SimulatorFactory) -> None:
    """The LED is what the miner reports (get_miner_info's ledstat), read at the first poll,
    in the poll after any control and every few minutes; between reads the last one read."""
    sim, api = await _whatsminer(simulator)
    await api.get_data()
    await api.set_fault_light(True)
    sim.requests.clear()
    assert (await api.get_data()).fault_light is True
    assert "get_miner_info" in sim.requests
    sim.requests.clear()
    assert (await api.get_data()).fault_light is True
    assert "get_miner_info" not in sim.requests
    sim.state.fault_light = False  # the miner gave the LED back to its firmware meanwhile
    assert (await api.get_data()).fault_light is True  # not read yet
    assert api.refresh.read_at is not None
    api.refresh = replace(api.refresh, read_at=api.refresh.read_at - REFRESH_SECONDS)
    assert (await api.get_data()).fault_light is False


async def test_btmineroff_while_hashing_end_to_end(simulator: SimulatorFactory) -> None:
    """The simulated 20210322 firmware saying ``btmineroff "true"`` all along: mining while
    it hashes (status is not even asked), paused once it hashes nothing."""
    sim, api = await _whatsminer(simulator)
    _personality(sim).btmineroff_stuck = True
    assert (await api.status())["Msg"]["btmineroff"] == "true"
    sim.requests.clear()
    assert (await api.get_data()).is_mining is True
    assert "status" not in sim.requests
    await api.pause_mining()
    assert (await api.get_data()).is_mining is False
