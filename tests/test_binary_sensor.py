"""Binary sensors: connectivity that outlives the miner's answers, reported errors, and mining
where no switch shows it."""

from datetime import timedelta
from typing import ClassVar

from aiohttp import web
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from syrupy.assertion import SnapshotAssertion

from custom_components.asic_miner.api import Capability
from simulator import Fault, MinerSimulator
from simulator.personalities.vnish import VNishS19
from tests.entities import snapshot_entities


@pytest.fixture
def platforms() -> list[Platform]:
    """Only the binary sensor platform."""
    return [Platform.BINARY_SENSOR]


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    ("personality", "sim_password"),
    [("antminer-s19", "root"), ("whatsminer-m30s", "admin"), ("cgminer-fork", None)],
)
async def test_snapshot(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Mining and problem sensors."""
    await snapshot_entities(hass, snapshot, init_integration)


async def _poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    freezer.tick(timedelta(seconds=30))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_problem_follows_the_miner(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
) -> None:
    """Reported error codes turn problem on, with the messages; a miner that can be paused
    shows mining as its switch, not as a second, read-only entity."""
    problem_id = "binary_sensor.whatsminer_m30s_reported_errors"
    assert hass.states.get(problem_id).state == STATE_OFF
    assert hass.states.get("binary_sensor.whatsminer_m30s_mining") is None

    sim.personality.error_codes["110"] = "2026-11-24 11:59:00"
    await _poll(hass, freezer)

    problem = hass.states.get(problem_id)
    assert problem.state == STATE_ON
    assert problem.attributes["errors"]
    assert any("110" in error for error in problem.attributes["errors"])


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_problem_unknown_when_errors_cannot_be_read(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the miner stops saying whether it has errors (summary without its error count,
    get_error_code refused) the reported errors sensor is unknown, not a false all-clear."""
    problem_id = "binary_sensor.whatsminer_m30s_reported_errors"
    assert hass.states.get(problem_id).state == STATE_OFF
    personality = sim.personality
    fields = personality.summary_fields
    monkeypatch.setattr(
        personality,
        "summary_fields",
        lambda: {key: value for key, value in fields().items() if "Error Code" not in key},
    )
    monkeypatch.setattr(
        personality, "cmd_get_error_code", lambda parameter: personality.error(14, "invalid cmd")
    )
    personality.error_codes["110"] = ""
    api = init_integration.runtime_data.api
    api.refresh = api.refresh.soon()  # the rare reads are due (as after minutes or a restart)
    with pytest.warns(Warning, match="get_error_code"):
        await _poll(hass, freezer)
    problem = hass.states.get(problem_id)
    assert problem.state == STATE_UNKNOWN
    assert "errors" not in problem.attributes


@pytest.mark.parametrize(("personality", "sim_password"), [("cgminer-fork", None)])
async def test_mining_on_a_miner_without_controls(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
) -> None:
    """Where mining cannot be switched, a binary sensor shows it."""
    (entity_id,) = [
        entity_id
        for entity_id in hass.states.async_entity_ids("binary_sensor")
        if entity_id.endswith("_mining")
    ]
    assert hass.states.get(entity_id).state == STATE_ON
    sim.state.paused = True
    await _poll(hass, freezer)
    assert hass.states.get(entity_id).state == STATE_OFF


@pytest.mark.parametrize("fault", [Fault.REFUSE, Fault.SILENT, Fault.GARBAGE])
@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_connectivity_turns_off_and_stays_available(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    fault: Fault,
) -> None:
    """A miner that stops answering (or answers garbage) turns connectivity off, the one
    entity still available, so an automation can tell someone; it is on again with the
    first good poll."""
    coordinator = init_integration.runtime_data
    coordinator.api.timeout = 0.3  # a silent miner fails the poll quickly
    connectivity = "binary_sensor.whatsminer_m30s_connectivity"
    errors = "binary_sensor.whatsminer_m30s_reported_errors"
    assert hass.states.get(connectivity).state == STATE_ON
    assert hass.states.get(connectivity).attributes["device_class"] == "connectivity"

    sim.set_fault(fault)
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(connectivity).state == STATE_OFF
    assert hass.states.get(errors).state == STATE_UNAVAILABLE

    sim.set_fault(Fault.NONE)
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(connectivity).state == STATE_ON
    assert hass.states.get(errors).state == STATE_OFF


class _RestLater(VNishS19):
    """A VNish whose REST API is not served (404) until ``served``: read over its CGMiner API
    meanwhile, without controls."""

    name: ClassVar[str] = "test-vnish-rest-later"
    served = False

    async def _info(self, request: web.Request) -> web.Response:
        return await super()._info(request) if self.served else self.http_error(404)

    async def _summary(self, request: web.Request) -> web.Response:
        return await super()._summary(request) if self.served else self.http_error(404)


@pytest.mark.parametrize("platforms", [[Platform.BINARY_SENSOR, Platform.SWITCH]])
@pytest.mark.parametrize(("personality", "sim_password"), [(_RestLater, "admin")])
async def test_twin_leaves_when_its_control_comes(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
) -> None:
    """Set up while only the read-only mining sensor can show mining; once the REST API
    answers (read again when due), the mining switch comes and the sensor leaves the
    registry at once: one entity per concept, not two until the next start."""
    registry = er.async_get(hass)
    mining = [
        entity_id
        for entity_id in hass.states.async_entity_ids("binary_sensor")
        if entity_id.endswith("_mining")
    ]
    assert len(mining) == 1
    assert not init_integration.runtime_data.api.capabilities
    personality = sim.personality
    assert isinstance(personality, _RestLater)
    personality.served = True
    api = init_integration.runtime_data.api
    api.refresh = api.refresh.soon()  # REST is asked again with the rare reads
    await _poll(hass, freezer)
    assert Capability.PAUSE_RESUME in api.capabilities
    assert registry.async_get(mining[0]) is None
    assert hass.states.get(mining[0]) is None
    switches = [
        entity_id
        for entity_id in hass.states.async_entity_ids("switch")
        if entity_id.endswith("_mining")
    ]
    assert len(switches) == 1
    assert hass.states.get(switches[0]).state == STATE_ON
