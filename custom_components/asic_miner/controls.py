"""Which entity sets which capability: the controls the configuration rules out, and where a
read-only twin is wanted.

A control entity (a switch, button, number or select) exists for one capability of the client.
When the owner removes the stored password (Reconfigure), a stock Antminer or VNish becomes
read-only and Braiins OS falls back to its CGMiner API: the controls that needed the password are
gone for good, and are removed from the registry at setup rather than left behind as
"unavailable" forever; so are those the client finds the unit never has (``Miner.ruled_out``:
the work mode and sleep of a stock Antminer with the old generation's web configuration, once
an earlier version offered them). A control missing for any other reason (a web interface down at startup,
a range not read yet) may come back by itself, and stays.
"""

from __future__ import annotations

from typing import Final

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er

from .api import Capability
from .button import BUTTONS
from .coordinator import AsicMinerConfigEntry
from .miner import controls_need_password
from .number import NUMBERS
from .select import SELECTS
from .switch import SWITCHES

#: (platform, key) of each control entity -> the capability it sets.
CONTROLS: Final[dict[tuple[str, str], Capability]] = {
    **{(Platform.SWITCH, description.key): description.capability for description in SWITCHES},
    **{(Platform.BUTTON, description.key): description.capability for description in BUTTONS},
    **{(Platform.NUMBER, description.key): description.capability for description in NUMBERS},
    **{(Platform.SELECT, description.key): description.capability for description in SELECTS},
}


@callback
def async_remove_unconfigured_controls(hass: HomeAssistant, entry: AsicMinerConfigEntry) -> None:
    """Remove this miner's control entities that its configuration no longer allows: those
    whose capability the client does not offer, where that comes from the missing password
    (``miner.controls_need_password``), and those the client found the unit never has
    (``Miner.ruled_out``: an old firmware generation). Called at setup, after the first poll,
    before the platforms decide what to add (the read-only twins of removed controls, such as
    the mining binary sensor, then appear)."""
    api = entry.runtime_data.api
    gone = set(api.ruled_out)
    if controls_need_password(entry.data):
        gone |= set(Capability) - api.capabilities
    registry = er.async_get(hass)
    prefix = f"{entry.unique_id}_"
    for registered in er.async_entries_for_config_entry(registry, entry.entry_id):
        key = registered.unique_id.removeprefix(prefix)
        if CONTROLS.get((registered.domain, key)) in gone:
            registry.async_remove(registered.entity_id)


@callback
def async_controlled(hass: HomeAssistant, entry: AsicMinerConfigEntry) -> frozenset[Capability]:
    """The settings a control shows on this miner: the capabilities the client offers, and
    those of the control entities the registry knows (restored while their capability is
    missing for a reason of the moment). Their read-only twins are not wanted: one entity per
    concept, and no twin that would come for one start and leave at the next."""
    prefix = f"{entry.unique_id}_"
    registered = {
        capability
        for registered in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if (
            capability := CONTROLS.get(
                (registered.domain, registered.unique_id.removeprefix(prefix))
            )
        )
        is not None
    }
    return entry.runtime_data.api.capabilities | registered
