"""Shared fixtures.

``custom_components`` is imported before anything else: pytest-homeassistant-custom-component
ships a ``testing_config/custom_components`` package of its own, and whichever is imported first
owns the name. Importing ours first makes Home Assistant find this repository's integration.

Integration tests run the real client against a real simulated miner on a loopback port:
``sim`` starts one (deterministic: fixed seed, no jitter), ``mock_config_entry`` points an
entry at it, ``init_integration`` sets it up.
"""

import custom_components  # noqa: F401  # isort: skip

from collections.abc import AsyncGenerator, Generator
from unittest.mock import PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.asic_miner.api.detect import detect_api
from custom_components.asic_miner.const import CONF_FAMILY, CONF_WEB_PORT, DOMAIN
from custom_components.asic_miner.miner import GENERATED_PREFIX, miner_unique_id, model_name
from simulator import PERSONALITIES, MinerSimulator

#: personality -> client family, as detection stores it in the entry.
FAMILIES = {name: cls.family for name, cls in PERSONALITIES.items()}


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    enable_custom_integrations: None,
) -> None:
    """Let Home Assistant load integrations from custom_components/ in every test."""


@pytest.fixture
def personality() -> str:
    """The simulated miner model; override with ``@pytest.mark.parametrize``."""
    return "antminer-s19"


@pytest.fixture
def sim_password() -> str | None:
    """The miner's password, also stored in the entry (None: no password configured)."""
    return "root"


@pytest.fixture
async def sim(
    socket_enabled: None, personality: str, sim_password: str | None
) -> AsyncGenerator[MinerSimulator]:
    """A deterministic simulated miner on an ephemeral loopback port."""
    async with MinerSimulator(
        personality,
        port=0,
        password=sim_password or "root",
        web_port=0,
        seed=1,
        jitter=False,
    ) as simulator:
        # Restart the uptime clock through ``time.monotonic`` as looked up now, so that a
        # frozen clock (``frozen_clock``) also freezes the miner's uptime.
        simulator.state.reset_uptime()
        yield simulator


def entry_data(sim: MinerSimulator, password: str | None) -> dict[str, object]:
    """Config entry data pointing at ``sim``."""
    data: dict[str, object] = {
        CONF_HOST: "127.0.0.1",
        CONF_PORT: sim.port,
        CONF_WEB_PORT: sim.web_port or 80,
        CONF_FAMILY: type(sim.personality).family,
    }
    if password:
        data[CONF_PASSWORD] = password
    return data


@pytest.fixture
async def mock_config_entry(sim: MinerSimulator, sim_password: str | None) -> MockConfigEntry:
    """An entry for ``sim`` with the identity the config flow would give it.

    The miner is detected for real (as the flow does), then its request log is cleared.
    """
    api = await detect_api(
        "127.0.0.1", sim.port, password=sim_password, web_port=sim.web_port or 80
    )
    identity = await api.get_identity()
    await api.close()  # a REST firmware's client opened a session of its own
    sim.received.clear()
    return MockConfigEntry(
        domain=DOMAIN,
        # Make and model, as entries were named before names held the host name or address:
        # entries keep their title, and entity ids in snapshots stay short.
        title=model_name(identity) or "127.0.0.1",
        # A miner that shows no identity gets a generated id when it is added; a fixed one
        # here keeps snapshots stable.
        unique_id=miner_unique_id(identity) or f"{GENERATED_PREFIX}test",
        minor_version=2,
        data=entry_data(sim, sim_password),
    )


@pytest.fixture
def platforms() -> list[str] | None:
    """Platforms to load (None: all); snapshot tests load one at a time."""
    return None


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, platforms: list[str] | None
) -> MockConfigEntry:
    """The entry, set up against the simulator."""
    mock_config_entry.add_to_hass(hass)
    if platforms is None:
        assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    else:
        with patch("custom_components.asic_miner.PLATFORMS", platforms):
            assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry


@pytest.fixture
def frozen_clock(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    """A fixed instant, requested before ``sim`` so the miner's uptime clock is frozen too."""
    freezer.move_to("2026-11-24T12:00:00+00:00")
    return freezer


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots with Home Assistant's serializer (stable ids) in ``tests/snapshots``."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create entities that are disabled by default as enabled, to test them too."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield
