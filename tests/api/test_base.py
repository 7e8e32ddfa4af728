"""``BaseMinerAPI``: construction, validation, requests, status checks, defaults."""

from __future__ import annotations

import json
from typing import Any

import pytest

from custom_components.asic_miner.api import (
    APIAuthError,
    APIConnectionError,
    APIDecodeError,
    APIError,
    APIPrivilegeDisabledError,
    APIRefusalError,
    APIUnsupportedError,
    BaseMinerAPI,
    CGMinerAPI,
    MinerIdentity,
)
from custom_components.asic_miner.api.base import api_command
from custom_components.asic_miner.api.protocol import (
    invalid_command,
    reply_status,
    validate_command,
    validate_parameter,
)
from simulator import MinerSimulator

from .conftest import SimulatorFactory


def test_base_cannot_be_instantiated() -> None:
    with pytest.raises(TypeError, match="BaseMinerAPI cannot be instantiated directly"):
        BaseMinerAPI("127.0.0.1")


def test_subclass_can_be_instantiated_and_repr() -> None:
    api = CGMinerAPI("127.0.0.1", 4029, password="x", timeout=1.5)
    assert repr(api) == "CGMinerAPI(127.0.0.1:4029)"
    assert api.timeout == 1.5
    assert api.connect_timeout == 3.0
    assert api.max_reply_bytes == 4 * 1024 * 1024
    assert api.last_replies == {}


def test_bounds_are_views_of_limits() -> None:
    """connect_timeout, timeout and max_reply_bytes read and replace the frozen Limits."""
    from custom_components.asic_miner.api import Limits, Miner

    api = CGMinerAPI("127.0.0.1")
    assert api.ip == api.host == "127.0.0.1"
    api.timeout = 0.5
    api.connect_timeout = 0.25
    api.max_reply_bytes = 1000
    assert api.limits == Limits(connect_timeout=0.25, timeout=0.5, max_bytes=1000)
    assert isinstance(api, Miner)
    assert type(Miner.timeout).__name__ == "_Bound"  # the descriptor on the class itself
    assert CGMinerAPI.summary.name == "summary"  # a Command on the class itself


@pytest.mark.parametrize(
    "command",
    ["summary+pools", "summary,pools", "sum\nmary", "sum\x00", "", "1abc", " summary", "a" * 65, 5],
)
def test_invalid_command_names(command: Any) -> None:
    with pytest.raises(ValueError, match="invalid command name"):
        validate_command(command)


@pytest.mark.parametrize("command", ["summary", "get_version", "set.miner.power", "a-b"])
def test_valid_command_names(command: str) -> None:
    assert validate_command(command) == command


def test_parameter_validation() -> None:
    assert validate_parameter("0,softoff,1:1700000000") == "0,softoff,1:1700000000"
    assert validate_parameter(3) == 3
    assert validate_parameter(None) is None
    with pytest.raises(ValueError, match="invalid characters"):
        validate_parameter("0\n,reboot")
    with pytest.raises(TypeError, match="not dict"):
        validate_parameter({"a": 1})


def test_build_request_uses_json() -> None:
    api = CGMinerAPI("127.0.0.1")
    assert json.loads(api.build_request("summary")) == {"command": "summary"}
    sneaky = '0","command":"reboot'
    assert json.loads(api.build_request("ascset", sneaky)) == {
        "command": "ascset",
        "parameter": sneaky,
    }
    assert json.loads(api.build_request("x", None, token="t")) == {"command": "x", "token": "t"}
    assert json.loads(api.build_request("summary+pools")) == {"command": "summary+pools"}
    with pytest.raises(ValueError, match="invalid request field"):
        api.build_request("x", None, cmd="reboot")
    with pytest.raises(ValueError, match="invalid request field"):
        api.build_request("x", None, **{"not valid": 1})
    with pytest.raises(ValueError, match="invalid command name"):
        api.build_request("summary+po,ols")


async def test_send_command_rejects_joined(simulator: SimulatorFactory) -> None:
    sim = await simulator("cgminer-fork")
    api = CGMinerAPI("127.0.0.1", sim.port)
    with pytest.raises(ValueError, match="invalid command name"):
        await api.send_command("summary+pools")
    assert sim.received == []


async def test_send_command_and_parameter_reach_miner(simulator: SimulatorFactory) -> None:
    sim = await simulator("avalon")
    api = CGMinerAPI("127.0.0.1", sim.port)
    reply = await api.send_command("ascset", "0,led,1-1")
    assert reply["STATUS"][0]["Msg"] == "ASC 0 set OK"
    assert sim.state.fault_light is True


async def test_error_status_raises_with_miner_message(simulator: SimulatorFactory) -> None:
    sim = await simulator("cgminer-fork")
    api = CGMinerAPI("127.0.0.1", sim.port)
    with pytest.raises(APIError, match="nosuchcommand: Invalid command"):
        await api.send_command("nosuchcommand")
    reply = await api.send_command("nosuchcommand", ignore_errors=True)
    assert reply["STATUS"][0]["STATUS"] == "E"


def test_reply_status_forms() -> None:
    assert reply_status({"STATUS": [{"STATUS": "S", "Msg": "ok"}]}) == ("S", "ok")
    assert reply_status({"STATUS": "E", "Msg": "invalid cmd"}) == ("E", "invalid cmd")
    assert reply_status({"STATUS": "RESTART"}) == ("RESTART", "")
    assert reply_status({"STATUS": []}) == (None, "")
    assert reply_status({"STATUS": [{"STATUS": 3, "msg": "x"}]}) == (None, "x")
    assert reply_status({}) == (None, "")


def test_invalid_command_forms() -> None:
    """cgminer's code 14 or its words (btminer's flat "invalid cmd") say the firmware lacks
    the command; another refusal, or a success, does not."""
    assert invalid_command({"STATUS": [{"STATUS": "E", "Code": 14, "Msg": "Invalid command"}]})
    assert invalid_command({"STATUS": [{"STATUS": "E", "Code": 14, "Msg": ""}]})
    assert invalid_command({"STATUS": "E", "Code": 14, "Msg": "invalid cmd"})
    assert invalid_command({"STATUS": "E", "Msg": "Invalid command"})
    assert not invalid_command({"STATUS": [{"STATUS": "E", "Code": 45, "Msg": "Access denied"}]})
    assert not invalid_command({"STATUS": [{"STATUS": "S", "Code": 14, "Msg": "Invalid command"}]})
    assert not invalid_command({})


def test_check_reply_warning() -> None:
    api = CGMinerAPI("127.0.0.1")
    warning = {"STATUS": [{"STATUS": "W", "Msg": "No pools"}]}
    api.check_reply("pools", warning, allow_warning=True)
    with pytest.raises(APIError, match="pools: No pools"):
        api.check_reply("pools", warning, allow_warning=False)
    with pytest.raises(APIError, match="status F"):
        api.check_reply("x", {"STATUS": [{"STATUS": "F"}]}, allow_warning=True)
    api.check_reply("x", {"no": "status"}, allow_warning=False)


def test_commands_derived_from_methods() -> None:
    class Extended(CGMinerAPI):
        @api_command
        async def lcd(self) -> dict[str, Any]:
            return await self.send_command("lcd")

        async def helper(self) -> None:
            """Not a command."""

    assert CGMinerAPI("h").commands == [
        "coin",
        "config",
        "devdetails",
        "devs",
        "pools",
        "stats",
        "summary",
        "version",
    ]
    extended = Extended("h")
    assert "lcd" in extended.get_commands()
    assert "helper" not in extended.commands
    assert "get_data" not in extended.commands


async def test_command_methods_send(simulator: SimulatorFactory) -> None:
    sim = await simulator("cgminer-fork")
    api = CGMinerAPI("127.0.0.1", sim.port)
    for name in api.commands:
        reply = await getattr(api, name)()
        assert reply["STATUS"][0]["STATUS"] == "S", name
    assert sim.received == api.commands


async def test_defaults_unsupported() -> None:
    api = CGMinerAPI("127.0.0.1")
    assert api.capabilities == frozenset()
    assert api.work_modes == ()
    assert api.power_limit_bounds is None
    for control, args in (
        (api.reboot, ()),
        (api.restart_backend, ()),
        (api.pause_mining, ()),
        (api.resume_mining, ()),
        (api.set_power_limit, (1000,)),
        (api.set_fault_light, (True,)),
        (api.set_work_mode, ("normal",)),
        (api.set_work_level, ("eco",)),
        (api.set_power_preset, ("1100",)),
        (api.set_fan_speed, (50,)),
        (api.set_fan_speed, (None,)),
        (api.set_target_temperature, (65,)),
        (api.set_frequency, (525,)),
        (api.set_core_voltage, (1150,)),
    ):
        with pytest.raises(APIUnsupportedError, match=r"CGMinerAPI \(cgminer\) cannot"):
            await control(*args)
    assert api.work_levels == ()
    assert api.power_presets == ()
    assert api.fan_speed_bounds is None
    assert api.target_temperature_bounds is None
    assert api.frequency_options == ()
    assert api.core_voltage_options == ()


def test_choice_and_range_checks() -> None:
    """The shared checks name what is allowed, for the translated error the user reads."""
    api = CGMinerAPI("h")
    api._check_choice("frequency", 525, (490, 525, 550))
    with pytest.raises(ValueError, match="unknown frequency 600; expected one of 490, 525, 550"):
        api._check_choice("frequency", 600, (490, 525, 550))
    api._check_range("fan speed", 50, (15, 100), "%")
    api._check_range("fan speed", 5, None, "%")
    with pytest.raises(ValueError, match="fan speed 5 % outside 15-100 %"):
        api._check_range("fan speed", 5, (15, 100), "%")


def test_limit_checks() -> None:
    class Limited(CGMinerAPI):
        @property
        def power_limit_bounds(self) -> tuple[int, int] | None:
            return (100, 200)

        @property
        def work_modes(self) -> tuple[str, ...]:
            return ("a", "b")

    api = Limited("h")
    api._check_power_limit(150)
    api._check_work_mode("a")
    with pytest.raises(ValueError, match="outside 100-200 W"):
        api._check_power_limit(250)
    with pytest.raises(ValueError, match="unknown work mode 'c'"):
        api._check_work_mode("c")


async def test_privileged_defaults_to_send_command(simulator: SimulatorFactory) -> None:
    sim = await simulator("cgminer-fork")
    api = CGMinerAPI("127.0.0.1", sim.port)
    reply = await api.send_privileged_command("version")
    assert reply["VERSION"][0]["SGMiner"] == "5.6.1"


async def test_identity_cached_and_forgotten(simulator: SimulatorFactory) -> None:
    sim = await simulator("cgminer-fork")
    api = CGMinerAPI("127.0.0.1", sim.port)
    first = await api.get_data()
    second = await api.get_data()
    assert sim.received.count("version") == 1
    assert first.firmware == second.firmware == "5.6.1"
    api.forget_identity()
    await api.get_identity()
    assert sim.received.count("version") == 2
    assert api.last_replies["multicommand"] is True
    # a steady poll of a plain cgminer: summary+devs (the pools of the first poll are kept
    # in the client's refresh, not asked again), no rare command asked
    assert set(api.last_replies) == {"summary", "devs", "multicommand", "refreshed"}
    assert api.last_replies["refreshed"] == []


async def test_base_identity_and_poll_hooks() -> None:
    class Bare(BaseMinerAPI):
        family = "bare"
        make = "Bare"

    api = Bare("127.0.0.1")
    assert await api.get_identity() == MinerIdentity(make="Bare")
    with pytest.raises(NotImplementedError):
        await api.get_data()
    with pytest.raises(NotImplementedError):
        api._map({}, MinerIdentity())


async def test_sim_request_is_logged(simulator: SimulatorFactory) -> None:
    sim: MinerSimulator = await simulator("cgminer-fork")
    api = CGMinerAPI("127.0.0.1", sim.port)
    await api.summary()
    assert sim.requests == ["summary"]


async def test_concurrent_identity_fetched_once(simulator: SimulatorFactory) -> None:
    import asyncio

    sim = await simulator("cgminer-fork")
    api = CGMinerAPI("127.0.0.1", sim.port)
    first, second = await asyncio.gather(api.get_identity(), api.get_identity())
    assert first is second
    assert sim.received == ["version", "stats"]  # one joined request, once


@pytest.mark.parametrize(
    ("error", "refusal"),
    [
        (APIRefusalError("E: invalid cmd"), True),
        (APIError("a plain APIError is no refusal"), False),
        (APIConnectionError("reset"), False),
        (APIDecodeError("noise"), False),
        (APIAuthError("wrong password"), False),
        (APIPrivilegeDisabledError("write API off"), False),
        (APIUnsupportedError("cannot"), False),
        (ValueError("not an API error"), False),
        ({"STATUS": "S"}, False),
    ],
    ids=lambda value: type(value).__name__,
)
def test_is_refusal(error: object, refusal: bool) -> None:
    """Only a miner's plain "no" is a refusal that may be dropped or worked around: it says so
    by its class (``APIRefusalError``), not by being none of the other errors."""
    assert isinstance(error, APIRefusalError) is refusal
