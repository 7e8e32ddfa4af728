"""Entity snapshots a person can review: one block of a few lines per entity.

``snapshot_platform`` writes some 28 lines per entity, most of them fields every entity of this
integration has at the same value, so a firmware's page of sensors ran to a thousand lines and
the 11,000-line sensor snapshot was reviewed by nobody. Here each entity is a short block:

    sensor.antminer_s19_hashrate = '95.01'
      entry: unique_id=<entry>_hashrate translation_key='hashrate' ...
      attributes: friendly_name='Antminer S19 Hashrate' ...

with every registry field that ``snapshot_platform`` compares, except those at the value listed
in ``REGISTRY_DEFAULTS``, which are left out. Nothing is loosened: a field that leaves its
default shows up in the block (and fails the comparison), and a field Home Assistant adds to the
registry one day is always shown. ``<entry>`` stands for the config entry's unique id, given
once in the first line. ``enabled_by_default=False`` marks the entities that are created
disabled (the snapshot itself runs with every entity enabled, so their states are compared
too).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import Enum, IntFlag
from typing import Any

import attrs
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_platform, entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.asic_miner.const import DOMAIN

#: Registry fields whose value changes from one run to the next, or that Home Assistant's own
#: snapshot serializer leaves out.
VOLATILE = frozenset(
    {
        "id",
        "config_entry_id",
        "config_subentry_id",
        "device_id",
        "created_at",
        "modified_at",
        "categories",
        "compat_aliases",
        "original_name_unprefixed",
        "_cache",
    }
)

#: Registry fields left out of a block while they have this value (a callable gets the entry).
REGISTRY_DEFAULTS: Mapping[str, Any] = {
    "aliases": [None],
    "area_id": None,
    "capabilities": None,
    "device_class": None,
    "disabled_by": None,
    "domain": lambda entry: entry.entity_id.split(".")[0],
    "entity_category": None,
    "entity_id": lambda entry: entry.entity_id,  # it heads the block
    "has_entity_name": True,
    "hidden_by": None,
    "icon": None,
    "labels": set(),
    "name": None,
    "object_id_base": lambda entry: entry.original_name,
    "options": {},
    "original_device_class": None,
    "original_icon": None,
    "platform": DOMAIN,
    "previous_unique_id": None,
    "suggested_object_id": None,
    "supported_features": 0,
    "unit_of_measurement": None,
}

_NO_DEFAULT = object()

#: Shown first in each block, whatever their value.
ALWAYS = ("unique_id", "translation_key", "original_name")


def fmt(value: Any) -> str:
    """A short, stable rendering: enums by value, containers sorted, strings quoted."""
    if isinstance(value, IntFlag):
        return str(int(value))
    if isinstance(value, Enum):
        return fmt(value.value)
    if isinstance(value, Mapping):
        items = sorted((fmt(key), fmt(item)) for key, item in value.items())
        return "{" + ", ".join(f"{key}: {item}" for key, item in items) + "}"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(fmt(item) for item in value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(fmt(item) for item in value) + "]"
    if isinstance(value, datetime):
        return repr(value.isoformat())
    return repr(value)


def _registry_fields(entry: er.RegistryEntry, entry_unique_id: str) -> list[str]:
    fields = attrs.asdict(entry, recurse=False)
    fields["aliases"] = er._serialize_aliases(fields["aliases"])
    fields["options"] = {key: dict(value) for key, value in entry.options.items()}
    prefix = f"{entry_unique_id}_"
    shown = [
        f"unique_id=<entry>_{entry.unique_id.removeprefix(prefix)}"
        if entry.unique_id.startswith(prefix)
        else f"unique_id={fmt(entry.unique_id)}"
    ]
    shown += [f"{key}={fmt(fields[key])}" for key in ALWAYS if key != "unique_id"]
    for key in sorted(fields):
        if key in VOLATILE or key in ALWAYS:
            continue
        default = REGISTRY_DEFAULTS.get(key, _NO_DEFAULT)
        if callable(default):
            default = default(entry)
        if fields[key] != default:
            shown.append(f"{key}={fmt(fields[key])}")
    return shown


def _enabled_by_default(hass: HomeAssistant, entity_id: str) -> bool:
    """What the entity itself asks for (the snapshot runs with every entity enabled)."""
    for platform in entity_platform.async_get_platforms(hass, DOMAIN):
        if (entity := platform.entities.get(entity_id)) is not None:
            description = getattr(entity, "entity_description", None)
            if description is not None:
                return bool(description.entity_registry_enabled_default)
            return bool(getattr(entity, "_attr_entity_registry_enabled_default", True))
    raise AssertionError(f"{entity_id} is registered but no entity object was added")


def describe_entities(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """The entities of ``entry``, one block each, in entity id order."""
    registry = er.async_get(hass)
    entries = sorted(
        er.async_entries_for_config_entry(registry, entry.entry_id), key=lambda e: e.entity_id
    )
    assert entries, "no entity to snapshot"
    lines = [f"<entry> = {fmt(entry.unique_id)}"]
    for registry_entry in entries:
        assert registry_entry.disabled_by is None, "enable every entity for the snapshot"
        state = hass.states.get(registry_entry.entity_id)
        assert state is not None, f"{registry_entry.entity_id} has no state"
        lines.append(f"{registry_entry.entity_id} = {fmt(state.state)}")
        fields = _registry_fields(registry_entry, str(entry.unique_id))
        if not _enabled_by_default(hass, registry_entry.entity_id):
            fields.append("enabled_by_default=False")
        lines.append("  entry: " + " ".join(fields))
        attributes = " ".join(
            f"{key}={fmt(value)}" for key, value in sorted(state.attributes.items())
        )
        lines.append(f"  attributes: {attributes}")
    return "\n".join(lines)


async def snapshot_entities(
    hass: HomeAssistant, snapshot: SnapshotAssertion, entry: MockConfigEntry
) -> None:
    """Compare the entities of ``entry`` with the stored snapshot."""
    await hass.async_block_till_done()
    assert describe_entities(hass, entry) == snapshot
