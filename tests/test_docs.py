"""The README's list of entities and actions per firmware is what each firmware really gets:
every simulated firmware is set up in Home Assistant and its entities compared with its
column of the table."""

import json
from pathlib import Path
import re

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.asic_miner.api import Capability
from custom_components.asic_miner.const import DOMAIN

ROOT = Path(__file__).parent.parent
#: README column -> (personality, password), as in ``test_snapshot`` of each platform. The
#: columns are spread over the README's tables (rack miners, home miners).
COLUMNS = {
    "Antminer stock, web password": ("antminer-s19", "root"),
    "Antminer stock, no password": ("antminer-s9", None),
    "Whatsminer": ("whatsminer-m30s", "admin"),
    "Whatsminer API v3": ("whatsminer-v3", "admin"),
    "Braiins OS": ("braiins-os", None),
    "LuxOS": ("luxos", None),
    "Avalon A-series": ("avalon", None),
    "Goldshell": ("goldshell", None),
    "other CGMiner forks": ("cgminer-fork", None),
    "VNish": ("vnish-s19", "admin"),
    "Braiins OS 25.07+": ("braiins-os-s19xp", "root"),
    "ePIC": ("epic-s19jpro", "letmein"),
    "Avalon Q": ("avalon-q", None),
    "Avalon Nano 3S": ("avalon-nano3s", None),
    "Avalon Mini 3": ("avalon-mini3", None),
    "Bitaxe, AxeOS 2.15": ("bitaxe-gt", None),
    "Bitaxe, AxeOS 2.1": ("bitaxe-ultra", None),
    "NerdQAxe": ("nerdqaxe-plus", None),
}
ACTIONS = {
    "asic_miner.reboot": Capability.REBOOT,
    "asic_miner.restart_backend": Capability.RESTART_BACKEND,
    "asic_miner.set_power_limit": Capability.POWER_LIMIT,
}
KINDS = {"sensor", "binary sensor", "switch", "number", "select", "button", "action"}


def readme_tables() -> list[str]:
    """The README's tables of entities per firmware (each between its two markers)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [
        part.split("<!-- /entities-per-firmware")[0]
        for part in text.split("<!-- entities-per-firmware")[1:]
    ]


def readme_table() -> dict[str, set[tuple[str, str, str]]]:
    """Column -> {(name, kind, qualifiers)} it ticks, from the README's tables: every column
    in exactly one table, each row naming an entity that table's firmwares may have."""
    ticked: dict[str, set[tuple[str, str, str]]] = {}
    for table in readme_tables():
        rows = [
            [cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in table.splitlines()
            if line.startswith("|")
        ]
        header, rows = rows[0], rows[2:]
        columns = header[2:]
        assert not set(columns) & set(ticked), "a column in two tables"
        ticked.update({column: set() for column in columns})
        for name, kinds, *cells in rows:
            assert len(cells) == len(columns), name
            kind, _, qualifiers = kinds.partition(", ")
            assert kind in KINDS, kind
            assert any(cells), f"{name} ticked for no firmware"
            for column, cell in zip(columns, cells, strict=True):
                assert cell in ("✓", ""), cell
                if cell:
                    ticked[column].add((name.strip("`"), kind, qualifiers))
    assert list(ticked) == list(COLUMNS)
    return ticked


def _kind(entry: er.RegistryEntry) -> str:
    return entry.domain.replace("_", " ")


def _qualifiers(entry: er.RegistryEntry, disabled: bool) -> str:
    parts = [entry.entity_category.value] if entry.entity_category else []
    return ", ".join([*parts, "disabled"] if disabled else parts)


@pytest.fixture(params=list(COLUMNS), ids=list(COLUMNS))
def column(request: pytest.FixtureRequest) -> str:
    """One column of the table."""
    return request.param


@pytest.fixture
def personality(column: str) -> str:
    """The firmware of the column."""
    return COLUMNS[column][0]


@pytest.fixture
def sim_password(column: str) -> str | None:
    """Its password, if the column has one."""
    return COLUMNS[column][1]


async def test_readme_lists_what_each_firmware_gets(
    hass: HomeAssistant, init_integration: MockConfigEntry, column: str
) -> None:
    """Each ✓ is an entity (by its English name, kind and category) or an action the
    firmware has, and each entity or action it has is ticked."""
    registry = er.async_get(hass)
    names = json.loads(
        (ROOT / "custom_components" / DOMAIN / "translations" / "en.json").read_text("utf-8")
    )["entity"]
    actual = set()
    for entry in er.async_entries_for_config_entry(registry, init_integration.entry_id):
        name = names[entry.domain][entry.translation_key]["name"]
        name = re.sub(r"\{\w+\}", "N", name)
        disabled = entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
        actual.add((name, _kind(entry), _qualifiers(entry, disabled)))
    capabilities = init_integration.runtime_data.api.capabilities
    actual |= {
        (action, "action", "")
        for action, capability in ACTIONS.items()
        if capability in capabilities
    }
    assert readme_table()[column] == actual
