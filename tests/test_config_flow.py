"""Every config-flow path: user, errors, duplicates, identity fallbacks, reauth, reconfigure,
options; against the simulator over loopback."""

from collections.abc import Mapping
from datetime import timedelta
import socket
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_SCAN_INTERVAL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.asic_miner.api import MinerIdentity, detect as detect_module
from custom_components.asic_miner.const import CONF_ADVANCED, CONF_FAMILY, CONF_WEB_PORT, DOMAIN
from custom_components.asic_miner.miner import host_error, miner_title, miner_unique_id
from simulator import Fault, MinerSimulator

S19_MAC = "02:3a:19:00:00:19"


async def translated(
    hass: HomeAssistant, result: Mapping[str, Any], category: str = "config"
) -> dict[str, str]:
    """The form's errors as the user reads them: each key has a text in translations/en.json
    and every placeholder of that text is filled."""
    texts = await async_get_translations(hass, "en", category, [DOMAIN])
    placeholders = result.get("description_placeholders") or {}
    shown = {}
    for field, key in result["errors"].items():
        text = texts.get(f"component.{DOMAIN}.{category}.error.{key}")
        assert text, f"no translation for {category}.error.{key}"
        shown[field] = text.format(**placeholders)
    return shown


async def abort_text(hass: HomeAssistant, result: Mapping[str, Any]) -> str:
    """The abort message as the user reads it, placeholders filled."""
    texts = await async_get_translations(hass, "en", "config", [DOMAIN])
    text = texts.get(f"component.{DOMAIN}.config.abort.{result['reason']}")
    assert text, f"no translation for config.abort.{result['reason']}"
    return text.format(**(result.get("description_placeholders") or {}))


def suggested(result: Mapping[str, Any], field: str, section: str | None = None) -> Any:
    """The value a form shows pre-filled in ``field`` (None when empty)."""
    schema = result["data_schema"].schema
    if section is not None:
        schema = next(key for key in schema if key == section)
        schema = result["data_schema"].schema[schema].schema.schema
    for key in schema:
        if key == field:
            return (key.description or {}).get("suggested_value")
    raise KeyError(field)


def user_input(sim: MinerSimulator, password: str | None = "root", host: str = "127.0.0.1"):
    """What the user types into the form for ``sim``."""
    data: dict = {
        CONF_HOST: host,
        CONF_ADVANCED: {CONF_PORT: sim.port, CONF_WEB_PORT: sim.web_port or 80},
    }
    if password is not None:
        data[CONF_PASSWORD] = password
    return data


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


async def test_user_creates_entry(hass: HomeAssistant, sim: MinerSimulator) -> None:
    """The miner is detected; the entry is named after it and keyed by its MAC."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, user_input(sim))
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Antminer S19"
    assert result["result"].unique_id == S19_MAC
    assert result["data"] == {
        CONF_HOST: "127.0.0.1",
        CONF_PORT: sim.port,
        CONF_WEB_PORT: sim.web_port,
        CONF_FAMILY: "bmminer",
        CONF_PASSWORD: "root",
    }


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
    result = await hass.config_entries.flow.async_configure(flow_id, user_input(sim, host=host))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_HOST: error}
    assert sim.received == []

    result = await hass.config_entries.flow.async_configure(flow_id, user_input(sim))
    assert result["type"] is FlowResultType.CREATE_ENTRY


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
    result = await hass.config_entries.flow.async_configure(flow_id, user_input(sim))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}

    sim.set_fault(Fault.NONE)
    result = await hass.config_entries.flow.async_configure(flow_id, user_input(sim))
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_invalid_auth(hass: HomeAssistant, sim: MinerSimulator) -> None:
    """A rejected web password is reported as such, and a correct one then works."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(sim, password="wrong")
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(flow_id, user_input(sim))
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_unknown_error(hass: HomeAssistant, sim: MinerSimulator) -> None:
    """A bug while detecting is logged and shown as "unknown", never a crashed flow.

    The simulator cannot make the client raise a non-API exception, so detection is patched.
    """
    flow_id = await _start(hass)
    with patch("custom_components.asic_miner.miner.detect_api", side_effect=RuntimeError("bug")):
        result = await hass.config_entries.flow.async_configure(flow_id, user_input(sim))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}

    result = await hass.config_entries.flow.async_configure(flow_id, user_input(sim))
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_already_configured_updates_address(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """The same miner (same MAC) at a new port aborts and updates the stored address."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=S19_MAC,
        data={CONF_HOST: "127.0.0.1", CONF_PORT: 1, CONF_WEB_PORT: 1, CONF_FAMILY: "bmminer"},
    )
    entry.add_to_hass(hass)
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, user_input(sim))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_PORT] == sim.port
    assert entry.data[CONF_WEB_PORT] == sim.web_port


@pytest.mark.parametrize("personality", ["antminer-s9", "cgminer-fork"])
async def test_user_without_mac_is_keyed_by_address_once(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """A firmware that gives no MAC or serial over its API is addable, exactly once."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, user_input(sim, password=None))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == f"host:127.0.0.1:{sim.port}"
    assert CONF_PASSWORD not in result["data"]

    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, user_input(sim, password=None))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_user_zero_mac_falls_back_to_serial(hass: HomeAssistant, sim: MinerSimulator) -> None:
    """All-zero MACs are not an identity: the serial number is used instead."""
    sim.mac = "00:00:00:00:00:00"
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, user_input(sim))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == "serial:JYZZA3BBCJDBF0123"


@pytest.mark.parametrize(
    ("identity", "expected"),
    [
        (MinerIdentity(mac="02:3A:19:00:00:19", serial="X1"), "02:3a:19:00:00:19"),
        (MinerIdentity(mac="023a19000019"), "02:3a:19:00:00:19"),
        (MinerIdentity(mac="00:00:00:00:00:00", serial="X1"), "serial:X1"),
        (MinerIdentity(mac="ff:ff:ff:ff:ff:ff", serial=" X1 "), "serial:X1"),
        (MinerIdentity(mac="garbage", serial="unknown"), "host:10.0.0.9:4028"),
        (MinerIdentity(mac="zz:zz:zz:zz:zz:zz"), "host:10.0.0.9:4028"),
        (MinerIdentity(mac="", serial=""), "host:10.0.0.9:4028"),
        (MinerIdentity(), "host:10.0.0.9:4028"),
    ],
)
def test_unique_id_fallbacks(identity: MinerIdentity, expected: str) -> None:
    """MAC, else serial, else address; placeholders never count as identities."""
    assert miner_unique_id(identity, "10.0.0.9", 4028) == expected


@pytest.mark.parametrize(
    ("identity", "expected"),
    [
        (MinerIdentity(make="Antminer", model="S19"), "Antminer S19"),
        (MinerIdentity(make="Whatsminer", model="Whatsminer M30S"), "Whatsminer M30S"),
        (MinerIdentity(model="KD5"), "KD5"),
        (MinerIdentity(), "10.0.0.9"),
    ],
)
def test_title(identity: MinerIdentity, expected: str) -> None:
    """Make and model, without repeating the make; the address when nothing is known."""
    assert miner_title(identity, "10.0.0.9") == expected


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
    """A different miner now at the address is refused."""
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reauth_flow(hass)
    sim.mac = "02:3a:19:00:00:20"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "root"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "another_miner"
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


async def test_reconfigure_another_miner(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: MinerSimulator
) -> None:
    """Pointing an entry at a different miner (other MAC) aborts and changes nothing."""
    mock_config_entry.add_to_hass(hass)
    sim.mac = "02:3a:19:00:00:20"
    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input(sim))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "another_miner"


@pytest.mark.parametrize("sim_password", [None])
async def test_reconfigure_address_keyed_miner(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A miner known only by its address may move: its identity cannot be checked."""
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(mock_config_entry, unique_id="host:127.0.0.1:1")
    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(sim, password=None)
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert mock_config_entry.data[CONF_PORT] == sim.port
    assert mock_config_entry.unique_id == "host:127.0.0.1:1"


async def test_reconfigure_address_keyed_miner_given_its_password(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: MinerSimulator
) -> None:
    """A stock Antminer added without its web password can be given one later: the MAC it
    then shows is no reason to refuse, and the entry keeps its unique id (and so its
    entities and their history)."""
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(mock_config_entry, unique_id="host:127.0.0.1:1")
    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input(sim))
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert mock_config_entry.data[CONF_PASSWORD] == "root"
    assert mock_config_entry.unique_id == "host:127.0.0.1:1"


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
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == (reason or "reconfigure_successful")


async def test_reconfigure_removing_password_keeps_identity(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: MinerSimulator
) -> None:
    """Without the web password the MAC is unreadable; the entry keeps its identity."""
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(sim, password=None)
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert CONF_PASSWORD not in mock_config_entry.data
    assert mock_config_entry.unique_id == S19_MAC


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

    # The poll already scheduled happens; from then on the miner is polled every minute.
    freezer.tick(timedelta(seconds=30))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    sim.received.clear()
    freezer.tick(timedelta(seconds=31))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert sim.received == []
    freezer.tick(timedelta(seconds=30))
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
    a typo is a form error, not a surprise at the first control."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(sim, password="typo")
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(sim, password="admin")
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_FAMILY] == "btminer"


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-m30s", "admin")])
async def test_user_adds_miner_whose_privileged_api_is_off(
    hass: HomeAssistant, sim: MinerSimulator
) -> None:
    """Monitoring needs no privileged API: a miner with it switched off is still added."""
    sim.personality.write_enabled = False
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(sim, password="admin")
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert "enc" in sim.received  # the password check did reach the locked API


@pytest.mark.parametrize(("personality", "sim_password"), [("whatsminer-v3", "admin")])
async def test_user_stores_the_port_the_miner_answered_on(
    hass: HomeAssistant, sim: MinerSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Whatsminer with API v3 only answers on its own port (4433) although the form says
    4028: the entry keeps the port that answered, or every later poll would fail."""
    with socket.socket() as closed:  # a loopback port with nothing behind it: "4028"
        closed.bind(("127.0.0.1", 0))
        api_port = closed.getsockname()[1]
    monkeypatch.setattr(detect_module, "CGMINER_PORT", api_port)
    monkeypatch.setattr(detect_module, "V3_PORT", sim.port)
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id,
        {CONF_HOST: "127.0.0.1", CONF_PASSWORD: "admin", CONF_ADVANCED: {CONF_PORT: api_port}},
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_PORT] == sim.port
    assert result["data"][CONF_FAMILY] == "btminer-v3"
    assert result["result"].state is ConfigEntryState.LOADED
