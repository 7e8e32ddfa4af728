"""Every config-flow path: user, errors, duplicates, identity fallbacks, reauth, reconfigure,
options; against the simulator over loopback."""

from datetime import timedelta
import json
from pathlib import Path
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState, ConfigFlowResult
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_SCAN_INTERVAL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.asic_miner import miner as miner_module
from custom_components.asic_miner.api import MinerIdentity, detect as detect_module
from custom_components.asic_miner.const import (
    CONF_ADVANCED,
    CONF_FAMILY,
    CONF_REMOVE_PASSWORD,
    CONF_WEB_PORT,
    DOMAIN,
)
from custom_components.asic_miner.miner import (
    GENERATED_PREFIX,
    PASSWORDS,
    FoundMiner,
    describe_miner,
    generated_unique_id,
    host_error,
    miner_title,
    miner_unique_id,
    shown_identity,
)
from simulator import Fault, MinerSimulator
from simulator.personalities.whatsminer_v3 import WhatsminerV3

from .flow_helpers import abort_text, closed_port, suggested, translated

S19_MAC = "02:3a:19:00:00:19"
PASSWORD_STEPS = {use.step for use in PASSWORDS.values()}


def user_input(sim: MinerSimulator, password: str | None = "root", host: str = "127.0.0.1"):
    """What the user types into the reconfigure form for ``sim``."""
    data: dict = manual_input(sim, host)
    if password is not None:
        data[CONF_PASSWORD] = password
    return data


def manual_input(sim: MinerSimulator, host: str = "127.0.0.1") -> dict:
    """What the user types into the first form for ``sim``: its address (and, under
    Advanced, the simulator's ports)."""
    return {
        CONF_HOST: host,
        CONF_ADVANCED: {
            CONF_PORT: sim.port or closed_port(),
            CONF_WEB_PORT: sim.web_port or closed_port(),
        },
    }


async def _start(hass: HomeAssistant, choice: str = "manual") -> str:
    """Open the flow and pick ``choice`` in its first menu."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "user"
    assert result["menu_options"] == ["manual", "scan"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": choice}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == choice
    assert result["errors"] == {}
    return result["flow_id"]


async def _add(
    hass: HomeAssistant, sim: MinerSimulator, password: str | None = "root", host: str = "127.0.0.1"
) -> ConfigFlowResult:
    """Add ``sim`` as a person does: its address, then its password where one is asked,
    then the confirmation a miner without identity needs."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, manual_input(sim, host))
    return await _finish(hass, result, password)


async def _finish(
    hass: HomeAssistant, result: ConfigFlowResult, password: str | None = None
) -> ConfigFlowResult:
    """Answer the password form (if shown) and confirm (if asked)."""
    if result["type"] is FlowResultType.FORM and result["step_id"] in PASSWORD_STEPS:
        typed = {CONF_PASSWORD: password} if password is not None else {}
        result = await hass.config_entries.flow.async_configure(result["flow_id"], typed)
    if result["type"] is FlowResultType.FORM and result["step_id"] == "no_identity":
        result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    await hass.async_block_till_done()
    return result


async def _wrong_then_right(
    hass: HomeAssistant, result: ConfigFlowResult, password: str
) -> ConfigFlowResult:
    """A wrong password on the password form is an error there; the right one goes on."""
    step = result["step_id"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: f"not-{password}"}
    )
    assert result["type"] is FlowResultType.FORM
    assert (result["step_id"], result["errors"]) == (step, {"base": "invalid_auth"})
    assert suggested(result, CONF_PASSWORD) is None  # never sent back
    return await _finish(hass, result, password)


async def test_user_creates_entry(hass: HomeAssistant, sim: MinerSimulator) -> None:
    """The address alone is asked first; a stock Antminer's web password next, naming the
    miner and the factory password. The entry is named after its model and address and keyed
    by the MAC the password shows."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, manual_input(sim))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "web_password"
    assert result["description_placeholders"]["default"] == "root"
    assert result["description_placeholders"]["model"] == "Antminer S19"
    assert result["description_placeholders"]["host"] == f"127.0.0.1:{sim.port}"
    texts = await async_get_translations(hass, "en", "config", [DOMAIN])
    description = texts[f"component.{DOMAIN}.config.step.web_password.description"]
    assert "the factory password is root" in description.format(
        **result["description_placeholders"]
    )
    assert "Leave it empty to add the miner read-only" in description
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "root"}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Antminer S19 (127.0.0.1)"
    assert result.get("description") is None  # the password was checked
    assert result["result"].unique_id == S19_MAC
    assert result["data"] == {
        CONF_HOST: "127.0.0.1",
        CONF_PORT: sim.port,
        CONF_WEB_PORT: sim.web_port,
        CONF_FAMILY: "bmminer",
        CONF_PASSWORD: "root",
    }


async def test_first_form_asks_no_password(hass: HomeAssistant) -> None:
    """The first form is the address (ports under Advanced): no password field."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "manual"}
    )
    assert {str(key) for key in result["data_schema"].schema} == {CONF_HOST, CONF_ADVANCED}


@pytest.mark.parametrize(
    ("host", "error"),
    [
        ("", "host_empty"),
        ("   ", "host_empty"),
        ("http://127.0.0.1", "host_is_url"),
        ("127.0.0.1/admin", "host_is_url"),
        ("127.0.0.1:4028", "host_has_port"),
        ("miner one", "invalid_host"),
        ("-miner.lan", "invalid_host"),
    ],
)
async def test_user_rejects_bad_host(
    hass: HomeAssistant, sim: MinerSimulator, host: str, error: str
) -> None:
    """URLs, ports in the host field and empty input are field errors; nothing is contacted."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, manual_input(sim, host))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_HOST: error}
    assert sim.received == []

    result = await hass.config_entries.flow.async_configure(flow_id, manual_input(sim))
    assert (await _finish(hass, result, "root"))["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    ("host", "error"),
    [
        ("127.0.0.1", None),
        ("::1", None),
        ("miner-01.lan", None),
        ("miner-01.lan.", None),
        ("a" * 64 + ".lan", "invalid_host"),
        ("[::1]:4028", "host_has_port"),
    ],
)
def test_host_error(host: str, error: str | None) -> None:
    """Bare IPs (v4 and v6) and host names pass; the rest gets a precise error."""
    assert host_error(host) == error


async def test_user_cannot_connect_then_recovers(hass: HomeAssistant, sim: MinerSimulator) -> None:
    """An unreachable miner is a form error; the same form works once it answers."""
    flow_id = await _start(hass)
    sim.set_fault(Fault.REFUSE)
    result = await hass.config_entries.flow.async_configure(flow_id, manual_input(sim))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}

    sim.set_fault(Fault.NONE)
    result = await hass.config_entries.flow.async_configure(flow_id, manual_input(sim))
    assert (await _finish(hass, result, "root"))["type"] is FlowResultType.CREATE_ENTRY


async def test_user_invalid_auth(hass: HomeAssistant, sim: MinerSimulator) -> None:
    """A rejected web password is an error on the password form (which never shows it
    again), and a correct one then works."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, manual_input(sim))
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "wrong"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "web_password"
    assert result["errors"] == {"base": "invalid_auth"}
    assert suggested(result, CONF_PASSWORD) is None

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "root"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_without_password_is_read_only(hass: HomeAssistant, sim: MinerSimulator) -> None:
    """The web password left empty: the miner is added without one (read-only)."""
    result = await _add(hass, sim, password=None)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert CONF_PASSWORD not in result["data"]
    assert result["result"].unique_id == S19_MAC  # read with the factory password
    assert result["result"].state is ConfigEntryState.LOADED
    assert hass.states.async_entity_ids("switch") == []


async def test_user_unknown_error(hass: HomeAssistant, sim: MinerSimulator) -> None:
    """A bug while detecting is logged and shown as "unknown", never a crashed flow.

    The simulator cannot make the client raise a non-API exception, so detection is patched.
    """
    flow_id = await _start(hass)
    with patch("custom_components.asic_miner.miner.detect_api", side_effect=RuntimeError("bug")):
        result = await hass.config_entries.flow.async_configure(flow_id, manual_input(sim))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}

    result = await hass.config_entries.flow.async_configure(flow_id, manual_input(sim))
    assert (await _finish(hass, result, "root"))["type"] is FlowResultType.CREATE_ENTRY


async def test_user_already_configured_updates_address(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """The same miner (same MAC) at a new port aborts, updates the stored address and says
    so, naming the miner; added again unchanged, it says only that it is there."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Rack 3 S19",
        unique_id=S19_MAC,
        data={CONF_HOST: "127.0.0.1", CONF_PORT: 1, CONF_WEB_PORT: 1, CONF_FAMILY: "bmminer"},
    )
    entry.add_to_hass(hass)
    result = await _add(hass, sim)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured_moved"
    assert await abort_text(hass, result) == (
        f"Rack 3 S19 is already configured; it is now reached at 127.0.0.1, port {sim.port}."
    )
    assert entry.data[CONF_PORT] == sim.port
    assert entry.data[CONF_WEB_PORT] == sim.web_port

    result = await _add(hass, sim)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert await abort_text(hass, result) == "Rack 3 S19 is already configured at this address."


@pytest.mark.parametrize(
    ("personality", "sim_password"), [("goldshell", None), ("cgminer-fork", None)]
)
async def test_user_without_identity_confirms_and_is_added_once(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """A firmware that shows no MAC, serial or id of its own: the form says what that means,
    and only once the owner confirms is it added, with a generated id (never its address);
    the same address added again is that miner."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, manual_input(sim))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "no_identity"
    texts = await async_get_translations(hass, "en", "config", [DOMAIN])
    description = texts[f"component.{DOMAIN}.config.step.no_identity.description"].format(
        **result["description_placeholders"]
    )
    assert f"answered at 127.0.0.1:{sim.port}, but it reports no MAC address" in description
    assert "use Reconfigure" in description
    assert hass.config_entries.async_entries(DOMAIN) == []

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    unique_id = result["result"].unique_id
    assert unique_id.startswith(GENERATED_PREFIX)
    assert "127.0.0.1" not in unique_id
    assert CONF_PASSWORD not in result["data"]
    assert result["title"] in {"Goldshell KD5 (127.0.0.1)", "CGMiner-compatible miner (127.0.0.1)"}

    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, manual_input(sim))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert (
        await abort_text(hass, result)
        == f"{result['description_placeholders']['name']} is already configured at this address."
    )
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1
    for entry in hass.config_entries.async_entries(DOMAIN):
        assert await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.parametrize("personality", ["antminer-s9"])
async def test_user_stock_antminer_without_password_keyed_by_mac(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """No password given: the MAC comes from the web interface with the factory password,
    read-only (the miner stays without controls)."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, manual_input(sim))
    assert (result["type"], result["step_id"]) == (FlowResultType.FORM, "web_password")
    result = await _finish(hass, result, None)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == "02:3a:09:00:00:09"
    assert CONF_PASSWORD not in result["data"]
    assert hass.states.async_entity_ids("switch") == []


@pytest.mark.parametrize("personality", ["antminer-s9"])
async def test_user_stock_antminer_with_a_changed_password_keyed_by_miner_id(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """The owner changed the web password and gave none: the factory one reads no MAC or
    serial, so the firmware's own id of the unit (``stats`` ``miner_id``) keys the entry, with
    no confirmation asked; added again, it is that miner."""
    sim.state.password = "changed-by-the-owner"
    result = await _add(hass, sim, password=None)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == "miner_id:80749dc610350909"
    assert CONF_PASSWORD not in result["data"]
    assert result["title"] == "Antminer S9 (127.0.0.1)"

    result = await _add(hass, sim, password=None)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_user_zero_mac_falls_back_to_serial(hass: HomeAssistant, sim: MinerSimulator) -> None:
    """All-zero MACs are not an identity: the serial number is used instead."""
    sim.mac = "00:00:00:00:00:00"
    result = await _add(hass, sim)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == "serial:JYZZA3BBCJDBF0123"


@pytest.mark.parametrize(
    ("identity", "expected"),
    [
        (MinerIdentity(mac="02:3A:19:00:00:19", serial="X1", miner_id="I"), "02:3a:19:00:00:19"),
        (MinerIdentity(mac="023a19000019"), "02:3a:19:00:00:19"),
        (MinerIdentity(mac="00:00:00:00:00:00", serial="X1"), "serial:X1"),
        (MinerIdentity(mac="ff:ff:ff:ff:ff:ff", serial=" X1 "), "serial:X1"),
        (MinerIdentity(serial="N/A", miner_id="0020003532325109333636FF"), "miner_id:0020003532325109333636FF"),
        (MinerIdentity(serial="0000000000", miner_id=" 8A3C "), "miner_id:8A3C"),
        (MinerIdentity(miner_id="FFFFFFFF"), None),
        (MinerIdentity(mac="garbage", serial="unknown"), None),
        (MinerIdentity(mac="zz:zz:zz:zz:zz:zz"), None),
        (MinerIdentity(mac="", serial="", miner_id=""), None),
        (MinerIdentity(), None),
    ],
)  # fmt: skip
def test_unique_id_fallbacks(identity: MinerIdentity, expected: str | None) -> None:
    """MAC, else serial, else the firmware's own id; placeholders never count as
    identities, and an address never does: None, the flow's last resort."""
    assert miner_unique_id(identity) == expected


def test_identity_kinds() -> None:
    """Entries are compared by their own kind of identity, and only when the miner shows it;
    an entry keyed by a generated id (or by its address, before version 1.2) by none."""
    assert shown_identity("miner_id:X", MinerIdentity(mac="02:00:00:00:00:01", miner_id="Y")) == (
        "miner_id:Y"
    )
    assert shown_identity("miner_id:X", MinerIdentity(mac="02:00:00:00:00:01")) is None
    assert shown_identity("serial:S", MinerIdentity(miner_id="X")) is None
    assert shown_identity("02:00:00:00:00:01", MinerIdentity(mac="02-00-00-00-00-02")) == (
        "02:00:00:00:00:02"
    )
    assert shown_identity("host:10.0.0.9:4028", MinerIdentity(mac="02:00:00:00:00:01")) is None
    generated = generated_unique_id()
    assert generated.startswith(GENERATED_PREFIX)
    assert generated != generated_unique_id()
    assert shown_identity(generated, MinerIdentity(mac="02:00:00:00:00:01")) is None


def test_another_identity_kind_slots_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """A further kind is one line in ``IDENTITY_KINDS``: it keys miners without the others,
    and entries keyed by it are compared by it. The firmware string stands in for one."""
    by_firmware = miner_module.IdentityKind("fw:", lambda identity: identity.firmware)
    monkeypatch.setattr(miner_module, "IDENTITY_KINDS", (*miner_module.IDENTITY_KINDS, by_firmware))
    assert miner_unique_id(MinerIdentity(firmware="X")) == "fw:X"
    assert miner_unique_id(MinerIdentity(serial="S", firmware="X")) == "serial:S"
    assert shown_identity("fw:X", MinerIdentity(mac="02:00:00:00:00:01", firmware="Y")) == "fw:Y"


@pytest.mark.parametrize(
    ("identity", "family", "expected"),
    [
        # No host name, or the factory's: the address tells miners of one model apart.
        (MinerIdentity(make="Antminer", model="S19"), "bmminer", "Antminer S19 (10.0.0.9)"),
        (MinerIdentity(make="Antminer", model="S9", hostname="antMiner"), "bmminer", "Antminer S9 (10.0.0.9)"),
        (MinerIdentity(make="Whatsminer", model="M30S", hostname="WhatsMiner"), "btminer", "Whatsminer M30S (10.0.0.9)"),
        (MinerIdentity(make="Whatsminer", model="M60S", hostname="WhatsMiner-M60S"), "btminer-v3", "Whatsminer M60S (10.0.0.9)"),
        (MinerIdentity(make="Antminer", model="S19j Pro", hostname="luxos-miner"), "luxos", "Antminer S19j Pro (10.0.0.9)"),
        (MinerIdentity(model="Ultra", hostname="bitaxe"), "unknown", "Ultra (10.0.0.9)"),
        (MinerIdentity(make="Avalon", model="1246", hostname="10.0.0.9"), "avalon", "Avalon 1246 (10.0.0.9)"),
        (MinerIdentity(make="Antminer", model="S19", hostname=" "), "bmminer", "Antminer S19 (10.0.0.9)"),
        # The owner's host name.
        (MinerIdentity(make="Antminer", model="S19", hostname="rack3-07"), "bmminer", "Antminer S19 (rack3-07)"),
        (MinerIdentity(make="Whatsminer", model="M30S", hostname="WhatsMiner-2"), "btminer", "Whatsminer M30S (WhatsMiner-2)"),
        # Make and model once.
        (MinerIdentity(make="Whatsminer", model="Whatsminer M30S"), "btminer", "Whatsminer M30S (10.0.0.9)"),
        (MinerIdentity(model="KD5"), "bfgminer", "KD5 (10.0.0.9)"),
        # Neither make nor model: the firmware, never a bare address.
        (MinerIdentity(), "unknown", "CGMiner-compatible miner (10.0.0.9)"),
        (MinerIdentity(hostname="garage"), "unknown", "CGMiner-compatible miner (garage)"),
        (MinerIdentity(), "bosminer", "Braiins OS miner (10.0.0.9)"),
        (MinerIdentity(), "future-firmware", "future-firmware miner (10.0.0.9)"),
    ],
)  # fmt: skip
def test_title(identity: MinerIdentity, family: str, expected: str) -> None:
    """Model and host name, else model and address; the firmware when the model is unknown."""
    assert miner_title(FoundMiner("10.0.0.9", 4028, family, identity)) == expected


@pytest.mark.parametrize(
    ("identity", "expected"),
    [
        (MinerIdentity(make="Antminer", model="S19", mac="02:3A:19:00:00:19", serial="S1"), "Antminer S19, MAC 02:3a:19:00:00:19, serial number S1"),
        (MinerIdentity(make="Antminer", model="S19", serial="S1"), "Antminer S19, serial number S1"),
        (MinerIdentity(mac="00:00:00:00:00:00", serial="unknown"), "CGMiner-compatible miner"),
    ],
)  # fmt: skip
def test_describe_miner(identity: MinerIdentity, expected: str) -> None:
    """Which miner answered: its model and the identities it shows, placeholders left out."""
    assert describe_miner(FoundMiner("10.0.0.9", 4028, "unknown", identity)) == expected


def test_title_with_port() -> None:
    """Miners behind one address (port forwarding) differ by port; IPv6 is bracketed."""
    s19 = MinerIdentity(make="Antminer", model="S19")
    assert miner_title(FoundMiner("10.0.0.9", 4029, "bmminer", s19), with_port=True) == (
        "Antminer S19 (10.0.0.9:4029)"
    )
    assert miner_title(FoundMiner("fd00::9", 4028, "bmminer", s19)) == "Antminer S19 ([fd00::9])"
    named = MinerIdentity(make="Antminer", model="S19", hostname="rack3-07")
    assert miner_title(FoundMiner("10.0.0.9", 4029, "bmminer", named), with_port=True) == (
        "Antminer S19 (rack3-07)"
    )


async def test_two_miners_of_one_model(
    hass: HomeAssistant, sim: MinerSimulator, entity_registry: er.EntityRegistry
) -> None:
    """Two Antminer S19 get two names, two devices and entity ids without "_2": by host name
    when the owner gave one, else by address (with the port when both share one address)."""
    async with (
        MinerSimulator("antminer-s19", port=0, password="root", web_port=0, seed=2) as other,
        MinerSimulator("antminer-s19", port=0, password="root", web_port=0, seed=3) as third,
    ):
        other.mac = "02:3a:19:00:00:20"
        third.mac = "02:3a:19:00:00:21"
        third.state.hostname = "rack3-07"
        titles = []
        for miner in (sim, other, third):
            result = await _add(hass, miner)
            assert result["type"] is FlowResultType.CREATE_ENTRY
            titles.append(result["title"])
        assert titles == [
            "Antminer S19 (127.0.0.1)",
            f"Antminer S19 (127.0.0.1:{other.port})",
            "Antminer S19 (rack3-07)",
        ]
        devices = {
            device.name
            for entry in hass.config_entries.async_entries(DOMAIN)
            for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
        }
        assert devices == set(titles)
        hashrates = [
            entity_registry.async_get_entity_id("sensor", DOMAIN, f"{entry.unique_id}_hashrate")
            for entry in hass.config_entries.async_entries(DOMAIN)
        ]
        assert hashrates == [
            "sensor.antminer_s19_127_0_0_1_hashrate",
            f"sensor.antminer_s19_127_0_0_1_{other.port}_hashrate",
            "sensor.antminer_s19_rack3_07_hashrate",
        ]
        for entry in hass.config_entries.async_entries(DOMAIN):
            assert await hass.config_entries.async_unload(entry.entry_id)


async def test_reauth(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A new password is checked against the miner before it is stored."""
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"

    sim.state.password = "new-secret"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "root"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "new-secret"}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert mock_config_entry.data[CONF_PASSWORD] == "new-secret"


async def test_reauth_another_miner(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A different miner now at the address is refused, saying which one answered."""
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reauth_flow(hass)
    sim.mac = "02:3a:19:00:00:20"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "root"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "another_miner"
    assert await abort_text(hass, result) == (
        "A different miner answered at 127.0.0.1: Antminer S19, MAC 02:3a:19:00:00:20, serial "
        "number JYZZA3BBCJDBF0123. Antminer S19 was left unchanged; if the miner moved, "
        "reconfigure it with its new address."
    )
    assert mock_config_entry.data[CONF_PASSWORD] == "root"


async def test_reconfigure(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    sim: MinerSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Host, ports and password can change as long as it is the same miner; the entry is
    reloaded once, by the flow (no update listener: Home Assistant 2026.12 refuses one
    together with ``async_update_reload_and_abort``)."""
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    hass.config_entries.async_update_entry(
        mock_config_entry, data={**mock_config_entry.data, CONF_PORT: 1}
    )
    result = await mock_config_entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"

    sim.set_fault(Fault.REFUSE)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input(sim))
    assert result["errors"] == {"base": "cannot_connect"}

    sim.set_fault(Fault.NONE)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input(sim))
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert mock_config_entry.data[CONF_PORT] == sim.port
    assert mock_config_entry.data[CONF_PASSWORD] == "root"
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert "update listener" not in caplog.text


@pytest.mark.parametrize(
    ("personality", "sim_password"),
    [("luxos", None), ("bitaxe-gamma", None), ("avalon-mini3", None), ("goldshell", None)],
)
async def test_reconfigure_asks_no_password_where_none_is_used(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A family that never uses a password is asked none on Reconfigure, and keeps none: a
    password stored by an earlier version is dropped rather than kept unused."""
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, data={**mock_config_entry.data, CONF_PASSWORD: "stale"}
    )
    result = await mock_config_entry.start_reconfigure_flow(hass)
    assert {str(field) for field in result["data_schema"].schema} == {CONF_HOST, CONF_ADVANCED}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(sim, password=None)
    )
    await hass.async_block_till_done()
    assert result["reason"] == "reconfigure_successful"
    assert CONF_PASSWORD not in mock_config_entry.data


async def test_vnish_without_rest_api_is_asked_no_password(
    hass: HomeAssistant, socket_enabled: None
) -> None:
    """A VNish that answers only on CGMiner's API (VNish 3.x has no REST API; here its web
    port is out of reach) has nothing to use or check its web password with: it is added
    read-only without the password form."""
    async with MinerSimulator(
        "vnish-s19", port=0, password="admin", web_port=0, seed=1, jitter=False
    ) as sim:
        flow_id = await _start(hass)
        typed = manual_input(sim)
        typed[CONF_ADVANCED][CONF_WEB_PORT] = closed_port()
        result = await hass.config_entries.flow.async_configure(flow_id, typed)
        await hass.async_block_till_done()
        assert result["type"] is FlowResultType.CREATE_ENTRY
        assert result["data"][CONF_FAMILY] == "vnish"
        assert CONF_PASSWORD not in result["data"]
        assert await hass.config_entries.async_unload(result["result"].entry_id)


async def test_reconfigure_another_miner(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: MinerSimulator
) -> None:
    """Pointing an entry at a different miner (other MAC) is a form error saying which miner
    answered; what was typed stays (not the password), the entry is unchanged, and the right
    address then works."""
    mock_config_entry.add_to_hass(hass)
    before = dict(mock_config_entry.data)
    sim.mac = "02:3a:19:00:00:20"
    result = await mock_config_entry.start_reconfigure_flow(hass)
    typed = user_input(sim, password="root")
    typed[CONF_ADVANCED][CONF_WEB_PORT] = sim.web_port
    result = await hass.config_entries.flow.async_configure(result["flow_id"], typed)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "another_miner"}
    assert (await translated(hass, result))["base"] == (
        "A different miner answered at this address: Antminer S19, MAC 02:3a:19:00:00:20, "
        "serial number JYZZA3BBCJDBF0123. Check the address, or add that miner as a new one."
    )
    assert suggested(result, CONF_HOST) == "127.0.0.1"
    assert suggested(result, CONF_PORT, CONF_ADVANCED) == sim.port
    assert suggested(result, CONF_WEB_PORT, CONF_ADVANCED) == sim.web_port
    assert suggested(result, CONF_PASSWORD) is None
    assert mock_config_entry.data == before

    sim.mac = S19_MAC
    result = await hass.config_entries.flow.async_configure(result["flow_id"], typed)
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"


@pytest.mark.parametrize(("personality", "sim_password"), [("goldshell", None)])
async def test_reconfigure_miner_without_identity(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A miner that shows no identity may move: nothing can check it, and it keeps its id."""
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, data={**mock_config_entry.data, CONF_PORT: 1}
    )
    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(sim, password=None)
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert mock_config_entry.data[CONF_PORT] == sim.port
    assert mock_config_entry.unique_id == f"{GENERATED_PREFIX}test"


async def test_reconfigure_miner_without_identity_given_its_password(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    sim: MinerSimulator,
    entity_registry: er.EntityRegistry,
) -> None:
    """A stock Antminer keyed by a generated id (it showed no MAC, serial or ``miner_id`` when
    it was added: its owner's web password unknown, a firmware without ``miner_id``) can be
    given its password later: the MAC it then shows is no reason to refuse; the entry reloads
    keyed by that MAC, its entities keep their ids and history."""
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(mock_config_entry, unique_id=f"{GENERATED_PREFIX}x")
    entity_registry.async_get_or_create(
        "sensor", DOMAIN, f"{GENERATED_PREFIX}x_hashrate", config_entry=mock_config_entry
    )
    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input(sim))
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert mock_config_entry.data[CONF_PASSWORD] == "root"
    assert mock_config_entry.unique_id == S19_MAC
    assert entity_registry.async_get_entity_id("sensor", DOMAIN, f"{S19_MAC}_hashrate") == (
        "sensor.asic_miner_generated_x_hashrate"  # the entity id it had
    )


@pytest.mark.parametrize(
    ("entry_serial", "reason"),
    [("serial:S19-SERIAL", None), ("serial:ANOTHER-ONE", "another_miner")],
)
async def test_reconfigure_serial_keyed_miner(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    sim: MinerSimulator,
    entry_serial: str,
    reason: str | None,
) -> None:
    """An entry keyed by serial is checked by serial, whatever MAC the miner shows now."""
    entry_serial = entry_serial.replace("S19-SERIAL", str(sim.state.serial))
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(mock_config_entry, unique_id=entry_serial)
    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input(sim))
    await hass.async_block_till_done()
    if reason is None:
        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == "reconfigure_successful"
    else:
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {"base": reason}


@pytest.mark.parametrize("miner_password", ["root", "changed-by-the-owner"])
async def test_reconfigure_removing_password_keeps_identity(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    sim: MinerSimulator,
    miner_password: str,
) -> None:
    """ "Remove the stored password": the entry keeps its identity, whether the MAC is still
    read with the factory password (and checked) or, the owner having changed the password,
    cannot be read at all (nothing to check it against)."""
    mock_config_entry.add_to_hass(hass)
    sim.state.password = miner_password
    result = await mock_config_entry.start_reconfigure_flow(hass)
    sim.received.clear()
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**user_input(sim, password=None), CONF_REMOVE_PASSWORD: True}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert CONF_PASSWORD not in mock_config_entry.data
    assert mock_config_entry.unique_id == S19_MAC
    # The MAC read with the factory password where it is still the miner's.
    assert ("get_system_info.cgi" in sim.received) is (miner_password == "root")


async def test_reconfigure_never_sends_the_password(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    mock_config_entry: MockConfigEntry,
    sim: MinerSimulator,
) -> None:
    """The form the browser receives holds no password, only a box to remove it; submitted
    with the password left empty, the stored one is kept (and used: the MAC, read through the
    web interface with it, is checked)."""
    assert await async_setup_component(hass, "config", {})
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reconfigure_flow(hass)
    client = await hass_client()
    response = await client.get(f"/api/config/config_entries/flow/{result['flow_id']}")
    assert response.status == 200
    sent = await response.text()
    assert "root" not in sent
    fields = {field["name"] for field in json.loads(sent)["data_schema"]}
    assert fields == {CONF_HOST, CONF_PASSWORD, CONF_REMOVE_PASSWORD, CONF_ADVANCED}

    sim.received.clear()
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(sim, password=None)
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert mock_config_entry.data[CONF_PASSWORD] == "root"
    assert "get_system_info.cgi" in sim.received  # the MAC, read with the stored password


@pytest.mark.parametrize("sim_password", [None])
async def test_reconfigure_without_stored_password_has_no_remove_box(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """Nothing to remove, no box."""
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reconfigure_flow(hass)
    assert CONF_REMOVE_PASSWORD not in result["data_schema"].schema


async def test_reconfigure_remove_and_new_password(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A new password and "remove" at once is a question back, not a guess."""
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reconfigure_flow(hass)
    sim.received.clear()
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**user_input(sim, password="new"), CONF_REMOVE_PASSWORD: True}
    )
    assert result["errors"] == {CONF_REMOVE_PASSWORD: "remove_or_new_password"}
    assert (await translated(hass, result))[CONF_REMOVE_PASSWORD] == (
        "Either enter a new password or remove the stored one, not both."
    )
    assert sim.received == []
    assert mock_config_entry.data[CONF_PASSWORD] == "root"


@pytest.mark.parametrize(
    ("title", "renamed"),
    [("Antminer S19 (127.0.0.1:1)", True), ("Rack 3", False), ("Antminer S19", False)],
)
async def test_reconfigure_name_follows_the_address(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    sim: MinerSimulator,
    title: str,
    renamed: bool,
) -> None:
    """A name this integration gave, holding the old address, follows the miner to its new
    one; a name the owner chose (or an older default) stays."""
    MockConfigEntry(
        domain=DOMAIN, unique_id="02:3a:19:00:00:99", data={CONF_HOST: "127.0.0.1"}
    ).add_to_hass(hass)
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, title=title, data={**mock_config_entry.data, CONF_PORT: 1}
    )
    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input(sim))
    await hass.async_block_till_done()
    assert result["reason"] == "reconfigure_successful"
    assert mock_config_entry.title == (f"Antminer S19 (127.0.0.1:{sim.port})" if renamed else title)


async def test_options(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sim: MinerSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The interval is stored and applied to the running coordinator, without a reload."""
    coordinator = init_integration.runtime_data
    assert not init_integration.update_listeners  # HA 2026.12 refuses them with reloading flows
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 60}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {CONF_SCAN_INTERVAL: 60}
    assert init_integration.runtime_data is coordinator  # not reloaded
    assert coordinator.update_interval.total_seconds() == 60

    # From the change on, the miner is polled every minute (Home Assistant rounds the time of
    # a poll to its second: within a second of the minute).
    sim.received.clear()
    freezer.tick(timedelta(seconds=55))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert sim.received == []
    freezer.tick(timedelta(seconds=6))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert sim.received != []


async def test_options_shorter_interval_applies_at_once(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    sim: MinerSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """From ten minutes to ten seconds: the next poll comes ten seconds after the change, not
    when the poll scheduled at the old interval was due."""
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(mock_config_entry, options={CONF_SCAN_INTERVAL: 600})
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 10}
    )
    await hass.async_block_till_done()
    sim.received.clear()
    freezer.tick(timedelta(seconds=11))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert sim.received != []


@pytest.mark.parametrize("seconds", [5, 601, 30.5])
async def test_options_out_of_range(
    hass: HomeAssistant, init_integration: MockConfigEntry, seconds: float
) -> None:
    """Outside 10-600 s, or not whole seconds: the field says so in seconds, with the range;
    what was typed stays in the form, and nothing changes."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: seconds}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_SCAN_INTERVAL: "scan_interval_out_of_range"}
    assert await translated(hass, result, "options") == {
        CONF_SCAN_INTERVAL: "Enter a whole number of seconds from 10 to 600."
    }
    assert suggested(result, CONF_SCAN_INTERVAL) == seconds
    assert init_integration.options == {}
    assert init_integration.runtime_data.update_interval.total_seconds() == 30


async def test_options_of_a_miner_not_loaded(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """An offline miner's interval can be changed too; setup applies it later."""
    mock_config_entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 120}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.runtime_data.update_interval.total_seconds() == 120


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_user_wrong_privileged_password_is_caught_in_the_form(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """A Whatsminer answers reads without a password, so the password is checked explicitly:
    a typo is a form error, not a surprise at the first control. The form names the factory
    password, which an empty field uses."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, manual_input(sim))
    assert result["step_id"] == "api_password"
    assert result["description_placeholders"]["default"] == "admin"
    texts = await async_get_translations(hass, "en", "config", [DOMAIN])
    assert (
        "Leave it empty to use the factory password"
        in (texts[f"component.{DOMAIN}.config.step.api_password.description"])
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "typo"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "admin"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_FAMILY] == "btminer"
    assert result["data"][CONF_PASSWORD] == "admin"


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_user_empty_api_password_uses_the_factory_one(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """Left empty, nothing is stored: the client's controls use the factory password."""
    result = await _add(hass, sim, password=None)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert CONF_PASSWORD not in result["data"]
    assert result["result"].unique_id == "c4:08:28:00:30:01"


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_user_adds_miner_whose_privileged_api_is_off(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """Monitoring needs no privileged API: a miner with it switched off is still added."""
    sim.personality.write_enabled = False
    result = await _add(hass, sim, password="admin")
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert "enc" in sim.received  # the password check did reach the locked API


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-v3", "admin")])
async def test_user_stores_the_port_the_miner_answered_on(
    hass: HomeAssistant, sim: MinerSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Whatsminer with API v3 only answers on its own port (4433) although the form says
    4028: the entry keeps the port that answered, or every later poll would fail."""
    api_port = closed_port()  # "4028"
    monkeypatch.setattr(detect_module, "CGMINER_PORT", api_port)
    monkeypatch.setattr(detect_module, "V3_PORT", sim.port)
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: "127.0.0.1", CONF_ADVANCED: {CONF_PORT: api_port}}
    )
    assert result["step_id"] == "api_password"
    assert result["description_placeholders"]["default"] == "super"
    result = await _finish(hass, result, "admin")
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_PORT] == sim.port
    assert result["data"][CONF_FAMILY] == "btminer-v3"
    assert result["result"].state is ConfigEntryState.LOADED
    # Its password was checked (a signed write that changes nothing): nothing to add.
    assert result.get("description") is None
    assert "set.system.led" in sim.received
    assert sim.state.fault_light is False


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-v3", "admin")])
async def test_whatsminer_v3_password_is_checked(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    sim: MinerSimulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 12 #7: a wrong API v3 password is refused in the form (add, reauth,
    reconfigure) instead of being stored as "successful"; the right one is accepted."""
    result = await _add(hass, sim, password="wrong")
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}

    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "wrong"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "admin"}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert mock_config_entry.data[CONF_PASSWORD] == "admin"

    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(sim, password="wrong")
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}
    assert sim.state.fault_light is False  # every check left the LED as it was


class WhatsminerV3WithoutLed(WhatsminerV3):
    """A Whatsminer API v3 firmware that does not report its fault light."""

    def _device_info(self) -> dict[str, Any]:
        info = super()._device_info()
        del info["system"]["ledstatus"]
        return info


async def test_whatsminer_v3_without_led_password_checked_at_the_first_control(
    hass: HomeAssistant, socket_enabled: None
) -> None:
    """The one password no form can check: a Whatsminer API v3 that does not report its fault
    light has no write that changes nothing. The form says so before, the password is stored,
    and the first control with a wrong one asks for it again (no step pretends otherwise)."""
    texts = await async_get_translations(hass, "en", "config", [DOMAIN])
    assert (
        "does not report its fault light"
        in (texts[f"component.{DOMAIN}.config.step.api_password.description"])
    )
    async with MinerSimulator(
        WhatsminerV3WithoutLed, port=0, password="admin", web_port=0, seed=1, jitter=False
    ) as sim:
        result = await _add(hass, sim, password="wrong")
        assert result["type"] is FlowResultType.CREATE_ENTRY
        assert "set.system.led" not in sim.received  # nothing it could check with
        entry = result["result"]
        reboot = er.async_get(hass).async_get_entity_id(
            "button", DOMAIN, f"{entry.unique_id}_reboot"
        )
        with pytest.raises(HomeAssistantError):
            await hass.services.async_call("button", "press", {"entity_id": reboot}, blocking=True)
        await hass.async_block_till_done()
        flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        assert [flow["step_id"] for flow in flows] == ["reauth_confirm"]
        assert flows[0]["context"]["entry_id"] == entry.entry_id
        assert await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.parametrize(("personality", "sim_password"), [("bitaxe-gt", None)])
async def test_bitaxe_with_the_host_alone(hass: HomeAssistant, sim: MinerSimulator) -> None:
    """An AxeOS device (nothing on the API port) is added with its address and web port
    only: no password to ask, named by the host name its firmware made unique."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, manual_input(sim))
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Bitaxe GammaTurbo (bitaxe-f00d)"
    assert result["data"][CONF_FAMILY] == "axeos"
    assert result["data"][CONF_WEB_PORT] == sim.web_port
    assert CONF_PASSWORD not in result["data"]
    assert result["result"].unique_id == "02:ae:00:02:15:00"
    assert result["result"].state is ConfigEntryState.LOADED
    assert await hass.config_entries.async_unload(result["result"].entry_id)


@pytest.mark.parametrize(("personality", "sim_password"), [("bitaxe-gt", None)])
async def test_bitaxe_moved_to_another_web_port(hass: HomeAssistant, sim: MinerSimulator) -> None:
    """A known Bitaxe found at another web port: the entry follows, and the message names the
    port it is reached at (its web port: it has no API port)."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Desk Bitaxe",
        unique_id="02:ae:00:02:15:00",
        data={CONF_HOST: "127.0.0.1", CONF_PORT: 4028, CONF_WEB_PORT: 1, CONF_FAMILY: "axeos"},
    )
    entry.add_to_hass(hass)
    result = await _add(hass, sim)
    assert result["reason"] == "already_configured_moved"
    assert await abort_text(hass, result) == (
        f"Desk Bitaxe is already configured; it is now reached at 127.0.0.1, port {sim.web_port}."
    )
    assert entry.data[CONF_WEB_PORT] == sim.web_port


@pytest.mark.parametrize(("personality", "sim_password"), [("bitaxe-ultra", None)])
async def test_two_bitaxes_without_identity_on_one_address(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """AxeOS 2.1 shows no MAC: the owner confirms; two such devices behind one address
    differ by their web port (their API port is the same unused 4028), never taken for one."""
    first = await _add(hass, sim)
    assert first["type"] is FlowResultType.CREATE_ENTRY
    assert first["result"].unique_id.startswith(GENERATED_PREFIX)
    async with MinerSimulator("bitaxe-ultra", port=0, web_port=0, seed=2) as other:
        port = closed_port()
        flow_id = await _start(hass)
        result = await hass.config_entries.flow.async_configure(
            flow_id,
            {
                CONF_HOST: "127.0.0.1",
                CONF_ADVANCED: {CONF_PORT: port, CONF_WEB_PORT: other.web_port},
            },
        )
        assert result["step_id"] == "no_identity"
        assert result["description_placeholders"]["name"] == (
            f"Bitaxe Ultra (127.0.0.1:{other.web_port})"
        )
        result = await _finish(hass, result)
        assert result["type"] is FlowResultType.CREATE_ENTRY
        assert result["result"].unique_id != first["result"].unique_id
        for entry in hass.config_entries.async_entries(DOMAIN):
            assert await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.parametrize(("personality", "sim_password"), [("bitaxe-gamma", None)])
async def test_bitaxe_refusing_home_assistant_says_why(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """AxeOS answers only private addresses: its refusal is the form's error, in its words,
    not a "failed to connect"."""
    sim.set_fault(Fault.HTTP_401)
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, manual_input(sim))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "refused"}
    text = (await translated(hass, result))["base"]
    assert text.startswith("The miner answered but refused: ")
    assert "private networks" in text


@pytest.mark.parametrize(("personality", "sim_password"), [("epic-s19jpro", "letmein")])
async def test_epic_asks_its_password(hass: HomeAssistant, sim: MinerSimulator) -> None:
    """ePIC (HTTP on the API port): the password form names its factory password; a wrong
    one is refused there, the right one stored."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, manual_input(sim))
    assert result["step_id"] == "api_password"
    assert result["description_placeholders"]["default"] == "letmein"
    result = await _wrong_then_right(hass, result, "letmein")
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_FAMILY] == "epic"
    assert result["data"][CONF_PASSWORD] == "letmein"
    assert result["result"].unique_id == "e6:00:00:19:4a:01"
    assert await hass.config_entries.async_unload(result["result"].entry_id)


@pytest.mark.parametrize(("personality", "sim_password"), [("braiins-os", None)])
async def test_braiins_os_without_root_password(hass: HomeAssistant, sim: MinerSimulator) -> None:
    """Braiins OS over its CGMiner API: root's password is offered for the REST API of
    25.07+; left empty, the miner is read over the CGMiner API (it shows no identity there,
    so the owner confirms)."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, manual_input(sim))
    assert result["step_id"] == "root_password"
    texts = await async_get_translations(hass, "en", "config", [DOMAIN])
    assert (
        "Leave it empty to use its CGMiner API instead"
        in (texts[f"component.{DOMAIN}.config.step.root_password.description"])
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["step_id"] == "no_identity"
    result = await _finish(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_FAMILY] == "bosminer"
    assert CONF_PASSWORD not in result["data"]
    assert await hass.config_entries.async_unload(result["result"].entry_id)


@pytest.mark.parametrize(("personality", "sim_password"), [("vnish-s19", "admin")])
@pytest.mark.parametrize("password", ["admin", None])
async def test_vnish_asks_its_web_password(
    hass: HomeAssistant, sim: MinerSimulator, password: str | None
) -> None:
    """VNish (REST on the web port): read without a password; its web password (factory
    admin) gives the controls, left empty the miner is read-only. Keyed by its MAC either
    way (its REST info shows it openly)."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, manual_input(sim))
    assert result["step_id"] == "web_password"
    assert result["description_placeholders"]["default"] == "admin"
    result = await _finish(hass, result, password)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_FAMILY] == "vnish"
    assert result["data"].get(CONF_PASSWORD) == password
    assert result["result"].unique_id == "02:7a:a5:00:01:26"
    capabilities = result["result"].runtime_data.api.capabilities
    assert bool(capabilities) is (password is not None)
    assert await hass.config_entries.async_unload(result["result"].entry_id)


@pytest.mark.parametrize(("personality", "sim_password"), [("braiins-os-s19xp", "root")])
async def test_braiins_os_rest_with_root_password(hass: HomeAssistant, sim: MinerSimulator) -> None:
    """Braiins OS 25.07+: found as its CGMiner API, then root's password shows the REST API
    (its MAC, its controls); a wrong one is said in the form, not stored unused."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, manual_input(sim))
    assert result["step_id"] == "root_password"
    result = await _wrong_then_right(hass, result, "root")
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_FAMILY] == "braiins-os"
    assert result["data"][CONF_PASSWORD] == "root"
    assert result["result"].unique_id == "02:ee:da:00:25:07"
    assert result["title"] == "Antminer S19 XP (127.0.0.1)"
    assert await hass.config_entries.async_unload(result["result"].entry_id)


@pytest.mark.parametrize(("personality", "sim_password"), [("braiins-os", "root")])
async def test_old_braiins_os_with_a_root_password(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """Braiins OS without the REST API (nothing on its web port): a root password typed
    changes nothing; it is read over its CGMiner API."""
    result = await _add(hass, sim, password="root")
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_FAMILY] == "bosminer"
    assert await hass.config_entries.async_unload(result["result"].entry_id)


def test_readme_documents_every_field() -> None:
    """docs-installation-parameters and docs-configuration-parameters: every field of every
    form (its label as the form shows it) is in the README; strings.json and the English
    translation are one text."""
    integration = Path(__file__).parent.parent / "custom_components" / DOMAIN
    strings = json.loads((integration / "strings.json").read_text(encoding="utf-8"))
    english = json.loads((integration / "translations" / "en.json").read_text(encoding="utf-8"))
    assert strings == english
    readme = (integration.parent.parent / "README.md").read_text(encoding="utf-8")
    labels = set()
    for flow in ("config", "options"):
        for step in strings[flow]["step"].values():
            labels.update(step.get("data", {}).values())
            for section_ in step.get("sections", {}).values():
                labels.update(section_.get("data", {}).values())
    labels.discard("Miner")  # the pick list's choice, not a parameter
    missing = {label for label in labels if f"**{label}**" not in readme}
    assert labels >= {"Host", "Password", "API port", "Web interface port", "Polling interval"}
    assert missing == set()
