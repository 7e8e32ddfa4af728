"""Diagnostics: entry, identity, last poll and raw replies, with every secret redacted."""

from collections.abc import Iterator
import json
import re
from typing import Any

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


#: Keys whose values identify the unit: each hash board's serial (Whatsminer ``PCB SN``, API v3
#: ``pcbsn0``…) and AxeOS's link-local IPv6 address (made from the MAC).
UNIT_KEYS = re.compile(r"PCB SN|pcbsn\d+|ipv6")


def values_of(value: Any, key_pattern: re.Pattern[str]) -> Iterator[tuple[str, Any]]:
    """(key, value) of every key matching ``key_pattern``, at any depth."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key_pattern.fullmatch(key):
                yield key, item
            yield from values_of(item, key_pattern)
    elif isinstance(value, list):
        for item in value:
            yield from values_of(item, key_pattern)


#: A pool configured with its worker and password in the URL, as some owners do.
POOL_URL_WITH_CREDENTIALS = "stratum+tcp://bc1qwallet.rig1:S3cretPW@pool.example.com:3333"


@pytest.mark.parametrize(
    ("personality", "sim_password"),
    [
        # A password no firmware text contains by chance ("root" is in "buildroot").
        (name, "Redact-Me-7q")
        for name in sorted(FAMILIES)
        if FAMILIES[name] in CLIENT_FAMILIES
    ],
)
async def test_diagnostics_redact_every_firmware(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    mock_config_entry: MockConfigEntry,
    sim: MinerSimulator,
) -> None:
    """Each firmware spells its identifiers its own way; none may leak, nor the worker and
    password of a pool URL (with or without its scheme, as each firmware shows it)."""
    sim.state.pools[0].url = POOL_URL_WITH_CREDENTIALS
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, mock_config_entry)
    text = json.dumps(diagnostics)
    assert sim.state.password not in text
    assert sim.mac.lower() not in text.lower()
    assert sim.mac.replace(":", "").lower() not in text.lower()
    if sim.state.serial:
        assert sim.state.serial not in text
    for pool in sim.state.pools:
        assert not pool.user or pool.user not in text  # "" (no worker set) is no secret
        if len(pool.password) > 3:  # Avalon's pools reply lists each pool's password
            assert pool.password not in text
    assert "S3cretPW" not in text
    assert "//bc1qwallet" not in text
    assert "@pool.example.com" in text  # the pool itself stays for the maintainer
    unit_values = dict(values_of(diagnostics, UNIT_KEYS))
    assert set(unit_values.values()) <= {"**REDACTED**", "", None}, unit_values


@pytest.mark.parametrize(
    ("personality", "sim_password", "keys"),
    [
        ("whatsminer-m30s", "admin", {"PCB SN"}),
        ("whatsminer-v3", "super", {"pcbsn0", "pcbsn1", "pcbsn2"}),
        ("bitaxe-gamma", None, {"ipv6"}),
    ],
)
async def test_diagnostics_redact_board_serials_and_ipv6(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    keys: set[str],
) -> None:
    """The replies that carry hash-board serials or the MAC-derived IPv6 address keep the
    keys (the maintainer sees the field exists), never the values."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    found = list(values_of(diagnostics, UNIT_KEYS))
    assert {key for key, _ in found} >= keys
    assert {value for _, value in found} == {"**REDACTED**"}


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
