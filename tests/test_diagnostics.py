"""Diagnostics: entry, identity, last poll and raw replies, with every secret redacted."""

import json

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.asic_miner.api.detect import FAMILIES as CLIENT_FAMILIES
from simulator import MinerSimulator

from .conftest import FAMILIES


@pytest.mark.parametrize(
    ("personality", "sim_password"),
    [("antminer-s19", "root"), ("whatsminer-m30s", "admin")],
)
async def test_diagnostics(
    frozen_clock: FrozenDateTimeFactory,
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    snapshot: SnapshotAssertion,
) -> None:
    """Everything a maintainer needs; no password, MAC, serial or pool worker."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    assert diagnostics == snapshot(exclude=props("port", "web_port"))

    text = json.dumps(diagnostics)
    assert sim.state.password not in text
    assert sim.mac.lower() not in text.lower()
    assert sim.mac.replace(":", "").lower() not in text.lower()
    if sim.state.serial:
        assert sim.state.serial not in text
    for pool in sim.state.pools:
        assert not pool.user or pool.user not in text  # "" (no worker set) is no secret
    assert diagnostics["last_replies"]  # the raw replies are there, redacted


@pytest.mark.parametrize(
    ("personality", "sim_password"),
    [
        # A password no firmware text contains by chance ("root" is in "buildroot").
        (name, "Redact-Me-7q")
        for name in sorted(FAMILIES)
        if name not in {"antminer-s19", "whatsminer-m30s"} and FAMILIES[name] in CLIENT_FAMILIES
    ],
)
async def test_diagnostics_redact_every_firmware(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
) -> None:
    """Each firmware spells its identifiers its own way; none may leak."""
    text = json.dumps(await get_diagnostics_for_config_entry(hass, hass_client, init_integration))
    assert sim.state.password not in text
    assert sim.mac.lower() not in text.lower()
    assert sim.mac.replace(":", "").lower() not in text.lower()
    if sim.state.serial:
        assert sim.state.serial not in text
    for pool in sim.state.pools:
        assert not pool.user or pool.user not in text  # "" (no worker set) is no secret
        if len(pool.password) > 3:  # Avalon's pools reply lists each pool's password
            assert pool.password not in text


@pytest.mark.parametrize(
    ("personality", "sim_password"), [("avalon-mini3", None), ("avalon", None)]
)
async def test_diagnostics_scrub_secrets_inside_the_avalon_text(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
) -> None:
    """Canaan's ``MM ID`` text carries the unit's DNA (its serial) and the owner's Wi-Fi
    name inside one string: both are replaced there, the rest of the text stays for the
    maintainer, and an empty SSID stays empty."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    text = json.dumps(diagnostics)
    assert sim.state.serial
    assert sim.state.serial not in text
    assert "home-wifi" not in text
    assert "DNA[**REDACTED**]" in text
    assert "Ver[" in text  # the text itself is kept
    if sim.personality_name == "avalon-mini3":
        assert "SSID[**REDACTED**]" in text
    assert diagnostics["identity"]["serial"] == "**REDACTED**"


@pytest.fixture
def pool_login(sim: MinerSimulator) -> tuple[str, str]:
    """The first pool's worker and a password in its URL, set before the entry is set up."""
    pool = sim.state.pools[0]
    pool.user = "bc1qdiagwallet.rig9"
    pool.url = "stratum+tcp://urluser:UrlPass-9z@pool.example.com:3333"
    return pool.user, "UrlPass-9z"


@pytest.mark.parametrize(
    ("personality", "sim_password"),
    [("avalon", None), ("luxos", None), ("whatsminer-m30s", "admin"), ("whatsminer-v3", "super")],
)
async def test_diagnostics_of_tcp_pool_logins(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    sim: MinerSimulator,
    pool_login: tuple[str, str],
    init_integration: MockConfigEntry,
) -> None:
    """A TCP firmware's pool worker and the login in a pool URL are in no raw reply the
    client keeps, nor anywhere in the diagnostics."""
    worker, url_password = pool_login
    kept = json.dumps(init_integration.runtime_data.api.last_replies)
    assert worker not in kept
    assert url_password not in kept
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    text = json.dumps(diagnostics)
    assert worker not in text
    assert url_password not in text
    assert "//**REDACTED**@pool.example.com" in json.dumps(diagnostics["last_replies"])
