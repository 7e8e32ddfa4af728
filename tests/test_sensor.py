"""Sensors: snapshots per simulated firmware, boards and fans that come and go, uptime as a
start time, and energy integrated from power without counting outages."""

from datetime import timedelta
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.icon import async_get_icons
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    mock_restore_cache_with_extra_data,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.asic_miner.api import MinerData, Pool
from custom_components.asic_miner.const import DOMAIN
from custom_components.asic_miner.sensor import (
    _accepted,
    _rejected,
    active_pool,
    pool_address,
    pool_url,
)
from simulator import BoardState, Fault, MinerSimulator
from tests.entities import snapshot_entities

POLL = timedelta(seconds=30)


@pytest.fixture
def platforms() -> list[Platform]:
    """Only the sensor platform."""
    return [Platform.SENSOR]


async def _poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    freezer.tick(POLL)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    ("personality", "sim_password"),
    [
        ("antminer-s19", "root"),
        ("antminer-s9", None),
        ("whatsminer-m30s", "admin"),
        ("whatsminer-m50s", "admin"),
        ("whatsminer-m31s", "admin"),
        ("avalon", None),
        ("avalon-nano3s", None),
        ("avalon-mini3", None),
        ("goldshell", None),
        ("cgminer-fork", None),
        ("braiins-os", None),
        ("luxos", None),
        ("vnish-s19", "admin"),
        ("braiins-os-s19xp", "root"),
        ("epic-s19jpro", "letmein"),
        ("bitaxe-gt", None),
        ("bitaxe-ultra", None),
        ("nerdqaxe-plus", None),
    ],
)
async def test_snapshot(
    frozen_clock: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every sensor the firmware reports, with device classes, units and states."""
    await snapshot_entities(hass, snapshot, init_integration)


async def test_disabled_by_default(
    hass: HomeAssistant, init_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """Noisy diagnostics start disabled."""
    for entity_id in (
        "sensor.antminer_s19_accepted_shares",
        "sensor.antminer_s19_rejected_shares",
        "sensor.antminer_s19_board_1_chip_temperature",
    ):
        entry = entity_registry.async_get(entity_id)
        assert entry is not None
        assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert hass.states.get("sensor.antminer_s19_board_1_temperature").state == "62.0"


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_board_and_fan_appear_and_vanish(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A board that shows up later gets entities; one that vanishes goes unavailable."""
    assert hass.states.get("sensor.whatsminer_m30s_board_4_hashrate") is None
    sim.state.boards.append(
        BoardState(hashrate=29.3, temperature=64.0, chip_temperature=79.0, chips=156)
    )
    await _poll(hass, freezer)
    assert float(hass.states.get("sensor.whatsminer_m30s_board_4_hashrate").state) > 0
    assert hass.states.get("sensor.whatsminer_m30s_board_4_temperature").state == "64.0"

    sim.state.boards.pop()
    await _poll(hass, freezer)
    assert hass.states.get("sensor.whatsminer_m30s_board_4_hashrate").state == STATE_UNAVAILABLE
    assert hass.states.get("sensor.whatsminer_m30s_board_1_hashrate").state != STATE_UNAVAILABLE


async def test_failed_poll_shows_nothing_stale(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """While the miner is unreachable every sensor is unavailable: no old value, no zero."""
    sim.set_fault(Fault.REFUSE)
    await _poll(hass, freezer)
    states = [
        state
        for state in hass.states.async_all("sensor")
        if state.entity_id.startswith("sensor.antminer_s19")
    ]
    assert states
    assert {state.state for state in states} == {STATE_UNAVAILABLE}


async def test_uptime_is_a_stable_start_time(
    frozen_clock: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
) -> None:
    """The start time does not move with each poll, only when the miner restarts."""
    entity_id = "sensor.antminer_s19_last_start"
    assert hass.states.get(entity_id).state == "2026-11-24T12:00:00+00:00"
    for _ in range(3):
        await _poll(hass, frozen_clock)
    assert hass.states.get(entity_id).state == "2026-11-24T12:00:00+00:00"

    sim.state.reset_uptime()  # what a reboot does
    await _poll(hass, frozen_clock)
    assert hass.states.get(entity_id).state == "2026-11-24T12:01:30+00:00"


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_energy_integrates_power_but_not_outages(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
) -> None:
    """Trapezoids between consecutive polls; an outage adds nothing for its duration."""
    entity_id = "sensor.whatsminer_m30s_energy"
    state = hass.states.get(entity_id)
    assert state.state == "0.000000"
    assert state.attributes["state_class"] == "total_increasing"
    assert state.attributes["device_class"] == "energy"
    assert state.attributes["unit_of_measurement"] == "kWh"

    # 3400 W for 30 s = 0.028333 kWh per poll.
    await _poll(hass, freezer)
    await _poll(hass, freezer)
    assert float(hass.states.get(entity_id).state) == pytest.approx(0.056667, abs=1e-6)

    sim.set_fault(Fault.REFUSE)
    for _ in range(10):
        await _poll(hass, freezer)
    assert hass.states.get(entity_id).state == STATE_UNAVAILABLE

    sim.set_fault(Fault.NONE)
    await _poll(hass, freezer)  # first reading after the outage starts a new chain
    assert float(hass.states.get(entity_id).state) == pytest.approx(0.056667, abs=1e-6)
    await _poll(hass, freezer)
    assert float(hass.states.get(entity_id).state) == pytest.approx(0.085, abs=1e-6)


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_energy_ignores_long_gaps(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
) -> None:
    """Polls far apart (HA busy or suspended) are not bridged with an assumed power."""
    freezer.tick(timedelta(hours=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get("sensor.whatsminer_m30s_energy").state == "0.000000"


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_energy_restored(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    sim: MinerSimulator,
) -> None:
    """The total continues from the stored state after a restart."""
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State("sensor.whatsminer_m30s_energy", "12.5"),
                {"native_value": 12.5, "native_unit_of_measurement": "kWh"},
            )
        ],
    )
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.whatsminer_m30s_energy").state == "12.500000"
    await _poll(hass, freezer)
    assert float(hass.states.get("sensor.whatsminer_m30s_energy").state) == pytest.approx(
        12.528333, abs=1e-6
    )


@pytest.mark.parametrize(("personality", "sim_password"), [("antminer-s19", "root")])
async def test_paused_miner_reports_zero_not_unknown(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A sleeping miner really hashes at 0: that is a reading, unlike an unreachable one."""
    sim.state.paused = True
    await _poll(hass, freezer)
    assert float(hass.states.get("sensor.antminer_s19_hashrate").state) == 0
    assert hass.states.get("sensor.antminer_s19_hashrate").state not in (
        STATE_UNKNOWN,
        STATE_UNAVAILABLE,
    )


@pytest.mark.parametrize(
    ("pools", "expected"),
    [
        ([Pool(url="a", alive=True, active=False), Pool(url="b", active=True)], "b"),
        ([Pool(url="a", alive=False), Pool(url="b", alive=True)], "b"),
        ([Pool(url="a", alive=False)], None),
        ([], None),
    ],
)
def test_active_pool(pools: list[Pool], expected: str | None) -> None:
    """The flagged pool, else the first alive one; none rather than a dead pool."""
    pool = active_pool(MinerData(pools=pools))
    assert (pool.url if pool else None) == expected


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_sensors_of_a_miner_paused_at_start(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    sim: MinerSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A miner that is paused when Home Assistant starts omits some readings; their sensors
    come when the readings do, and once known they survive the next start while paused."""
    efficiency = "sensor.whatsminer_m30s_efficiency"
    sim.state.paused = True
    mock_config_entry.add_to_hass(hass)
    with patch("custom_components.asic_miner.PLATFORMS", [Platform.SENSOR]):
        assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
        assert hass.states.get(efficiency) is None

        sim.state.paused = False
        await _poll(hass, freezer)
        assert float(hass.states.get(efficiency).state) > 0

        sim.state.paused = True
        assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
        await hass.async_block_till_done()
        assert hass.states.get(efficiency).state == STATE_UNKNOWN


@pytest.mark.parametrize(
    ("url", "address", "public_url"),
    [
        (
            "stratum+tcp://btc.f2pool.com:1314",
            "btc.f2pool.com:1314",
            "stratum+tcp://btc.f2pool.com:1314",
        ),
        ("btc.f2pool.com:3333", "btc.f2pool.com:3333", "btc.f2pool.com:3333"),
        (
            "stratum+tcp://worker.1:s3cret@pool.example.org:3333?pass=s3cret#xnsub",
            "pool.example.org:3333",
            "stratum+tcp://pool.example.org:3333#xnsub",
        ),
        (
            "stratum2+tcp://v2.stratum.braiins.com/u95GEReVMjK6k5YqiSFNqqTnKU4ypU2Wm8awa6tmbmDmk1bWt",
            "v2.stratum.braiins.com",
            "stratum2+tcp://v2.stratum.braiins.com/u95GEReVMjK6k5YqiSFNqqTnKU4ypU2Wm8awa6tmbmDmk1bWt",
        ),
        (
            "stratum+tcp://[2001:db8::1]:3333",
            "[2001:db8::1]:3333",
            "stratum+tcp://[2001:db8::1]:3333",
        ),
        (
            "stratum+tcp://pool.example.org:port",
            "pool.example.org",
            "stratum+tcp://pool.example.org:port",
        ),
        ("not a url", "not a url", "not a url"),
        ("user:s3cret@", "user:s3cret@", ""),
    ],
)
def test_pool_address_and_url(url: str, address: str, public_url: str) -> None:
    """The state is host:port; the attribute the URL without credentials or query."""
    assert pool_address(url) == address
    assert pool_url(url) == public_url


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_active_pool_keeps_credentials_out(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A pool configured with credentials in its URL shows host:port, the URL without them,
    and neither the pool password nor the account anywhere in the state."""
    entity_id = "sensor.whatsminer_m30s_active_pool"
    state = hass.states.get(entity_id)
    assert state.state == "btc.f2pool.com:3333"
    assert state.attributes["url"] == "stratum+tcp://btc.f2pool.com:3333"

    pool = (
        next(pool for pool in sim.state.pools if pool.active)
        if any(pool.active for pool in sim.state.pools)
        else sim.state.pools[0]
    )
    pool.url = "stratum+tcp://acct.rig1:hunter2@btc.f2pool.com:3333"
    await _poll(hass, freezer)
    assert "hunter2" in active_pool(init_integration.runtime_data.data).url  # what it read
    state = hass.states.get(entity_id)
    assert state.state == "btc.f2pool.com:3333"
    assert state.attributes["url"] == "stratum+tcp://btc.f2pool.com:3333"
    shown = repr(state.as_dict())
    for secret in ("hunter2", "acct.rig1", pool.user):
        assert secret not in shown


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_main_readings_first(
    hass: HomeAssistant, init_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """The device page shows the main readings as sensors; the rows per board and fan, and
    the miner's details, are diagnostics below them (still enabled: automations watch them)."""
    main = {
        entry.entity_id
        for entry in er.async_entries_for_config_entry(entity_registry, init_integration.entry_id)
        if entry.entity_category is None
    }
    assert main == {
        f"sensor.whatsminer_m30s_{key}"
        for key in (
            "hashrate",
            "power",
            "efficiency",
            "hottest_board_temperature",
            "hottest_chip_temperature",
            "inlet_temperature",
            "energy",
        )
    }
    board = entity_registry.async_get("sensor.whatsminer_m30s_board_1_temperature")
    assert board.entity_category is er.EntityCategory.DIAGNOSTIC
    assert board.disabled_by is None


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_paused_efficiency_shows_a_pause(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Efficiency has no value while the miner hashes nothing: unknown (not 0, not
    unavailable), which its icon translation shows as a pause."""
    entity_id = "sensor.whatsminer_m30s_efficiency"
    sim.state.paused = True
    await _poll(hass, freezer)
    state = hass.states.get(entity_id)
    assert state.state == STATE_UNKNOWN
    icons = await async_get_icons(hass, "entity", [DOMAIN])
    translation_key = er.async_get(hass).async_get(entity_id).translation_key
    efficiency = icons[DOMAIN]["sensor"][translation_key]
    assert efficiency["state"][state.state] == "mdi:pause-circle-outline"
    assert efficiency["default"] != efficiency["state"][state.state]


@pytest.mark.parametrize(
    ("data", "accepted", "rejected"),
    [
        (
            MinerData(shares_accepted=10, shares_rejected=0, pools=[Pool(url="a", accepted=4)]),
            10,
            0,
        ),
        (MinerData(pools=[Pool(url="a", accepted=4, rejected=1), Pool(url="b", accepted=2)]), 6, 1),
        (MinerData(pools=[Pool(url="a")]), None, None),
    ],
)
def test_shares_prefer_the_firmware_total(
    data: MinerData, accepted: int | None, rejected: int | None
) -> None:
    """One entity per count: the firmware's own total where it keeps one (the pools' counts
    can lag or leave out a removed pool), else the pools' counts added up, else unknown."""
    assert (_accepted(data), _rejected(data)) == (accepted, rejected)


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_board_readings_only_where_reported(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """Chip counts get entities only where the firmware reports them (Whatsminer: working
    chips, no dead chips); one the registry knows is kept, unknown until reported."""
    mock_config_entry.add_to_hass(hass)
    uid = mock_config_entry.unique_id
    entity_registry.async_get_or_create(
        "sensor",
        DOMAIN,
        f"{uid}_board_dead_chips_1",
        config_entry=mock_config_entry,
        suggested_object_id="whatsminer_m30s_board_2_dead_chips",
    )
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.whatsminer_m30s_board_1_chips").state == "156"
    assert hass.states.get("sensor.whatsminer_m30s_board_1_dead_chips") is None
    assert hass.states.get("sensor.whatsminer_m30s_board_2_dead_chips").state == STATE_UNKNOWN


@pytest.mark.parametrize(("personality", "sim_password"), [("braiins-os", None)])
async def test_fan_mode_read_only(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A firmware that reports its fan mode but cannot have it set here shows it as a
    sensor, with the fans' duty per fan."""
    entity_id = "sensor.antminer_s19j_pro_fan_mode"
    state = hass.states.get(entity_id)
    assert state.state == "auto"
    assert state.attributes["options"] == ["auto", "manual"]
    sim.state.fan_mode, sim.state.fan_percent = "manual", 70
    await _poll(hass, freezer)
    assert hass.states.get(entity_id).state == "manual"
    assert hass.states.get("sensor.antminer_s19j_pro_fan_1_duty").state == "70"


@pytest.mark.parametrize(("personality", "sim_password"), [("avalon-mini3", None)])
async def test_wifi_signal_disabled_by_default(
    hass: HomeAssistant, init_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """The Wi-Fi signal changes at every poll and interests few: created disabled."""
    entry = entity_registry.async_get("sensor.avalon_mini3_wi_fi_signal")
    assert entry is not None
    assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert entry.entity_category is er.EntityCategory.DIAGNOSTIC


@pytest.mark.parametrize(("personality", "sim_password"), [("vnish-s19", None)])
async def test_power_preset_read_only_without_password(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Without the web password VNish's presets cannot be chosen: the preset it runs is a
    sensor, by the firmware's own name."""
    assert hass.states.get("sensor.antminer_s19_power_preset").state == "disabled"
