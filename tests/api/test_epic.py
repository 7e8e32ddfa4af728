"""EPicAPI against the simulated ePIC UMC (HTTP on the API port) over loopback: the summary's
readings, one request per steady poll, the controls with the password in the body, and the
secrets kept out of replies and messages."""

from __future__ import annotations

import asyncio
import json
from typing import Any, ClassVar

from aiohttp import web
import pytest

from custom_components.asic_miner.api import (
    APIAuthError,
    APIDecodeError,
    APIRefusalError,
    Capability,
    EPicAPI,
    MinerIdentity,
)
from custom_components.asic_miner.api.epic import map_summary, split_model
from simulator import Fault, MinerSimulator
from simulator.personalities.epic import EPicUMC

from .conftest import SimulatorFactory

PASSWORD = "Sekret-Pw-42"


def epic_api(sim: MinerSimulator, password: str | None = PASSWORD, **kwargs: Any) -> EPicAPI:
    assert sim.port is not None
    return EPicAPI("127.0.0.1", sim.port, password=password, timeout=2.0, **kwargs)


async def epic(simulator: SimulatorFactory, cls: Any = "epic-s19jpro") -> MinerSimulator:
    sim = await simulator(cls, jitter=False, password=PASSWORD)
    sim.reboot_seconds = 0.2
    return sim


async def test_poll(simulator: SimulatorFactory) -> None:
    sim = await epic(simulator)
    api = epic_api(sim)
    data = await api.get_data()
    assert sim.requests == ["GET /summary", "GET /capabilities", "GET /network"]
    assert (data.make, data.model, data.firmware) == (
        "Antminer",
        "S19j Pro",
        "PowerPlay-BMS v1.5.13",
    )
    assert (data.mac, data.hostname, data.serial) == ("e6:00:00:19:4a:01", "epic-s19jpro", None)
    assert api.identity is not None
    assert api.identity.miner_id == "0020003532325109333636FF"
    summary = api.last_replies["summary"]
    rates = [board["Hashrate"][0] for board in summary["HBs"]]
    assert data.hashrate == round(sum(rates) / 1e6, 3)
    assert [board.index for board in data.boards] == [0, 1, 2]
    assert data.boards[0].hashrate == round(rates[0] / 1e6, 3)
    assert data.temperature == max(board["Temperature"] for board in summary["HBs"])
    ideal = sum(b["Hashrate"][0] / b["Hashrate"][1] * 100 for b in summary["HBs"]) / 1e6
    assert data.expected_hashrate == round(ideal, 3)
    assert data.average_hashrate == round(summary["Session"]["Average MHs"] / 1e6, 3)
    assert data.power == round(summary["Power Supply Stats"]["Input Power"], 1)
    assert data.power_limit == 3000
    assert [(fan.index, fan.rpm, fan.percent) for fan in data.fans] == [
        (index, sim.state.fan_rpm(index), 100) for index in range(3)
    ]
    assert (data.fan_auto, data.target_temperature) == (True, 60.0)
    assert [(pool.url, pool.user, pool.active, pool.alive) for pool in data.pools] == [
        ("stratum+tcp://mine.example-pool.com:3334", "epicuser.s19jpro", True, True)
    ]
    assert (data.shares_accepted, data.shares_rejected) == (1862, 2)
    assert (data.is_mining, data.fault_light, data.errors) == (True, False, [])
    assert (data.input_voltage, data.input_current) == (None, None)  # 0.0: not reported
    assert api.capabilities == {
        Capability.REBOOT,
        Capability.RESTART_BACKEND,
        Capability.PAUSE_RESUME,
        Capability.FAULT_LIGHT,
    }
    sim.requests.clear()
    await api.get_data()
    assert sim.requests == ["GET /summary"]


async def test_secrets_stay_out(simulator: SimulatorFactory) -> None:
    """The stratum password and workers are not kept; a refused password is not quoted."""
    sim = await epic(simulator)
    api = epic_api(sim)
    await api.get_data()
    kept = json.dumps(api.last_replies)
    assert "epicuser" not in kept
    assert '"password": "x"' not in kept
    sim.set_fault(Fault.WRONG_PASSWORD)
    with pytest.raises(APIAuthError) as caught:
        await api.pause_mining()
    assert PASSWORD not in str(caught.value)
    assert not sim.state.paused


async def test_controls(simulator: SimulatorFactory) -> None:
    sim = await epic(simulator)
    api = epic_api(sim)
    await api.get_data()
    await api.pause_mining()
    idle = await api.get_data()
    assert sim.state.paused
    assert (idle.is_mining, idle.hashrate) == (False, 0.0)
    await api.resume_mining()
    assert (await api.get_data()).is_mining is True
    await api.set_fault_light(True)
    assert (await api.get_data()).fault_light is True
    await api.set_fault_light(False)
    assert sim.state.fault_light is False
    await asyncio.sleep(1.1)
    before = (await api.get_data()).uptime
    await api.restart_backend()
    after = (await api.get_data()).uptime
    assert before is not None
    assert after is not None
    assert after < before
    await api.reboot()
    assert api.identity is None
    for _ in range(100):
        if sim.offline:
            break
        await asyncio.sleep(0.02)
    assert sim.offline


async def test_default_password(simulator: SimulatorFactory) -> None:
    """Without a password the factory one (letmein) is sent."""
    sim = await simulator("epic-s19jpro", jitter=False)
    api = epic_api(sim, password=None)
    await api.check_password()  # nothing to check
    await api.set_fault_light(True)
    assert sim.state.fault_light


async def test_check_password(simulator: SimulatorFactory) -> None:
    sim = await epic(simulator)
    await epic_api(sim).check_password()
    with pytest.raises(APIAuthError):
        await epic_api(sim, password="wrong").check_password()


class OldUMC(EPicUMC):
    """An older firmware: no /authenticate; a command still pending refuses the next."""

    name: ClassVar[str] = "test-epic-old"

    async def _post(self, request: web.Request) -> web.Response:
        if request.path == "/authenticate":
            raise web.HTTPNotFound
        return self.result(False, {"LastCmdStillPending": "Reboot"})

    def network(self) -> dict[str, Any]:
        return {"result": False, "error": "NotImplemented"}


async def test_old_firmware_and_refusals(simulator: SimulatorFactory) -> None:
    sim = await epic(simulator, OldUMC)
    api = epic_api(sim)
    await api.check_password()  # cannot be checked there: quiet
    data = await api.get_data()  # no MAC where /network refuses
    assert (data.mac, data.model) == (None, "S19j Pro")
    with pytest.raises(APIRefusalError, match="LastCmdStillPending"):
        await api.pause_mining()


async def test_http_faults(simulator: SimulatorFactory) -> None:
    sim = await epic(simulator)
    api = epic_api(sim)
    sim.set_fault(Fault.HTTP_500)
    with pytest.raises(APIRefusalError, match="HTTP 500"):
        await api.get_data()
    sim.set_fault(Fault.HTTP_401)
    with pytest.raises(APIAuthError):
        await api.reboot()


def test_mapping_edges() -> None:
    """A GET's own refusal, placeholders and shapes of other firmware versions."""
    summary: dict[str, Any] = {
        "HBs": [{"Index": 2, "Hashrate": 30_000_000.0, "Temperature": 0}, "junk"],
        "Fans Rpm": {
            "Fans Speed 1": 4000,
            "Fans Speed 2": None,
            "Other": 1,
            # numbers no fan has: too long for int, not ASCII, no slot 0
            "Fans Speed " + "9" * 5000: 1,
            "Fans Speed 1234": 1,
            "Fans Speed ٣": 1,
            "Fans Speed 0": 1,
        },
        "Fans": {"Fan Mode": {"Manual": 80}, "Fans Speed": 80},
        "Status": {"Operating State": "Idling", "Last Error": {"ShutdownTemp": 95}},
        "StratumConfigs": [{"pool": ""}, {"pool": "stratum+tcp://a.example:3333"}, "x"],
        "Stratum": {"Current Pool": "b.example:3333"},
        "Power Supply Stats": {"Input Power": 0},
    }
    data = map_summary(summary, MinerIdentity())
    assert [(b.index, b.hashrate, b.temperature) for b in data.boards] == [(2, 30.0, None)]
    assert data.expected_hashrate is None  # no % of ideal
    assert [(fan.index, fan.rpm, fan.percent) for fan in data.fans] == [(0, 4000, 80)]
    assert (data.fan_auto, data.target_temperature) == (False, None)
    assert (data.is_mining, data.power) == (False, None)
    assert data.errors == ['{"ShutdownTemp": 95}']
    assert [(pool.url, pool.active) for pool in data.pools] == [
        ("stratum+tcp://a.example:3333", False)
    ]
    empty = map_summary({"Status": {"Operating State": "Idling"}, "Fans": {}}, MinerIdentity())
    assert (empty.hashrate, empty.fan_auto, empty.is_mining) == (0.0, None, False)
    assert map_summary({}, MinerIdentity()).is_mining is None
    assert split_model("AntMiner S19 XP") == ("Antminer", "S19 XP")
    assert split_model("Custom") == (None, "Custom")
    assert split_model(None) == (None, None)


class Refusing(EPicUMC):
    """A UMC whose summary is its JsonResponse refusal."""

    name: ClassVar[str] = "test-epic-refusing"

    def summary(self) -> dict[str, Any]:
        return {"result": False, "error": "NotReady"}


async def test_summary_refused(simulator: SimulatorFactory) -> None:
    sim = await epic(simulator, Refusing)
    api = epic_api(sim)
    with pytest.raises(APIRefusalError, match="NotReady"):
        await api.get_data()
    sim.set_fault(Fault.GARBAGE)
    with pytest.raises(APIDecodeError):
        await api.pause_mining()
