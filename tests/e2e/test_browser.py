"""A person's path, for real: Home Assistant, simulated miners and headless Chromium.

Home Assistant runs as its own process on a free loopback port; the simulated miners run in this
test's event loop so the test can read what each received. Onboarding and adding the miners go
through Home Assistant's REST API (two Whatsminer M30S, which must get two names, and a Bitaxe
GT over its HTTP API alone); the device pages are checked and used in the browser.
The whole path runs on the pinned Home Assistant and on the newest release (environments.py),
and ends with Home Assistant's log free of errors and of warnings about this integration.
Screenshots of what the person sees are saved to build/screenshots/<release>/ (ignored by git);
scripts/screenshots copies the pinned run's into docs/images/ for the README.
"""

import asyncio
import json
from pathlib import Path
import re
import time
from typing import Any

from playwright.async_api import Browser, Locator, Page
import pytest
import yaml

from simulator import MinerSimulator
from tests.e2e.environments import HomeAssistantEnvironment
from tests.e2e.homeassistant_process import REPO, HomeAssistantProcess, log_problems
from tests.flow_helpers import closed_port

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

SCREENSHOTS = REPO / "build" / "screenshots"
# A miner with every control (pause, power limit, restart) behind Whatsminer's encrypted API.
PERSONALITY = "whatsminer-m30s"
PASSWORD = "admin"
# An AxeOS device: nothing on the API port, no password.
BITAXE = "bitaxe-gt"
DASHBOARD = "asic-miner"
DOMAIN = "asic_miner"
WAIT_MS = 30_000
# Log lines (a fragment of each) that are known and being fixed elsewhere, with the reason.
# Strict both ways: a listed line that no longer appears fails too, so the list cannot rot.
KNOWN_LOG_PROBLEMS: dict[str, str] = {}

# Text of an element and of every open shadow root below it: Home Assistant's frontend is built
# from web components, and innerText stops at shadow roots.
DEEP_TEXT = """(element) => {
    const parts = [];
    const walk = (node) => {
        if (node.shadowRoot) walk(node.shadowRoot);
        for (const child of node.childNodes) {
            if (child.nodeType === Node.TEXT_NODE) parts.push(child.textContent);
            else walk(child);
        }
    };
    walk(element);
    return parts.join(" ").replace(/\\s+/g, " ").trim();
}"""


async def _wait_for(predicate: Any, what: str, timeout: float = 30.0) -> Any:
    """Poll an async predicate until it returns something truthy; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not (result := await predicate()):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.25)
    return result


async def _open(browser: Browser, ha: HomeAssistantProcess) -> Page:
    """A page logged in the way the frontend keeps a login: tokens in localStorage."""
    context = await browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(WAIT_MS)
    tokens = json.dumps(json.dumps(ha.frontend_tokens()))
    await context.add_init_script(f"window.localStorage.setItem('hassTokens', {tokens});")
    # Belt and braces next to Chromium's resolver rules: nothing leaves loopback.
    await context.route(
        re.compile(r"^(?!(https?|wss?)://127\.0\.0\.1[:/]).*"), lambda route: route.abort()
    )
    return await context.new_page()


def _row(page: Page, tag: str, name: str) -> Locator:
    """The entity row (``tag``) whose name is exactly ``name`` ("Hashrate", not "Board 1
    hashrate")."""
    return page.locator(tag).filter(has=page.get_by_text(name, exact=True))


async def _row_text(page: Page, tag: str, name: str) -> str:
    row = _row(page, tag, name)
    await row.first.wait_for(state="visible")
    assert await row.count() == 1, f"{await row.count()} rows named {name!r}"
    return str(await row.evaluate(DEEP_TEXT))


async def test_add_miner_and_use_its_device_page(
    browser: Browser, tmp_path: Path, home_assistant_environment: HomeAssistantEnvironment
) -> None:
    """Onboard, add miners, see live values on their device pages, press restart and reboot,
    reconfigure."""
    environment = home_assistant_environment
    images = SCREENSHOTS / environment.name
    images.mkdir(parents=True, exist_ok=True)
    ha = HomeAssistantProcess(tmp_path / "config", python=environment.python)
    async with (
        MinerSimulator(PERSONALITY, "127.0.0.1", 0, password=PASSWORD) as sim,
        MinerSimulator(PERSONALITY, "127.0.0.1", 0, password=PASSWORD, seed=2) as twin,
        MinerSimulator(BITAXE, "127.0.0.1", 0) as bitaxe,
        ha,
    ):
        twin.mac = "c4:08:28:00:30:02"
        await ha.onboard()
        config = await ha.request("GET", "/api/config")
        assert config["version"] == environment.version, (config["version"], environment)
        # The YAML http settings arrive as a trial; confirm them as a person would.
        await ha.websocket({"type": "http/config/promote"})

        # The address first, then (a second form) the password its controls need.
        entry_id = await _add(ha, {"host": "127.0.0.1", "port": sim.port, "password": PASSWORD})
        twin_id = await _add(ha, {"host": "127.0.0.1", "port": twin.port, "password": PASSWORD})
        # A Bitaxe: its address and web port alone (nothing listens on its API port).
        bitaxe_id = await _add(
            ha, {"host": "127.0.0.1", "port": closed_port(), "web_port": bitaxe.web_port}
        )

        devices, entities = await ha.websocket(
            {"type": "config/device_registry/list"}, {"type": "config/entity_registry/list"}
        )

        def device_of(entry: str) -> dict[str, Any]:
            return next(d for d in devices if entry in d["config_entries"])

        def entities_of(entry: str) -> set[str]:
            return {e["entity_id"] for e in entities if e["config_entry_id"] == entry}

        device, mine = device_of(entry_id), entities_of(entry_id)
        # Two miners of one model: two names, told apart by the address (here the port).
        names = [device["name"], device_of(twin_id)["name"]]
        assert names == ["Whatsminer M30S (127.0.0.1)", f"Whatsminer M30S (127.0.0.1:{twin.port})"]
        hashrate, temperature, restart = await _wait_for(
            lambda: _miner_entities(ha, mine), "the miner's first values in Home Assistant"
        )
        bitaxe_entities = await _wait_for(
            lambda: _bitaxe_entities(ha, entities_of(bitaxe_id)), "the Bitaxe's first values"
        )

        page = await _open(browser, ha)
        try:
            await _use_the_browser(page, ha, sim, device, (hashrate, temperature, restart), images)
            await page.goto(f"{ha.url}/config/integrations/integration/{DOMAIN}")
            for name in names:
                await page.get_by_text(name, exact=True).first.wait_for()
            await _use_the_bitaxe(page, ha, bitaxe, device_of(bitaxe_id), bitaxe_entities)
        except (Exception, pytest.fail.Exception) as err:
            picture = tmp_path / "failure.png"
            await page.screenshot(path=picture, full_page=True)
            raise AssertionError(
                f"{err}\nbrowser at {page.url}, screenshot {picture}\n{ha.log_tail()}"
            ) from err
        await _reconfigure_the_miner(ha, entry_id, sim, mine)
    _check_the_log(ha.log(), environment)


async def _add(ha: HomeAssistantProcess, answers: dict[str, Any]) -> str:
    """Add a miner through the config flow's REST API; its entry id."""
    result = await ha.config_flow(DOMAIN, answers)
    assert result["type"] == "create_entry", result
    return str(result["result"]["entry_id"])


async def _check_readings(
    page: Page, device_name: str, hashrate: dict[str, Any], temperature: dict[str, Any]
) -> None:
    """The device page's rows of the hashrate and the temperature show numbers with units."""
    for state, unit in ((hashrate, r"[TGPE]?H/s"), (temperature, "°C")):
        name = _shown_name(state, device_name)
        text = await _row_text(page, "hui-sensor-entity-row", name)
        assert re.search(rf"\d+(\.\d+)?\s*{unit}", text), (name, text)
        assert "Unavailable" not in text, (name, text)


async def _press(page: Page, sim: MinerSimulator, button: str, command: str) -> None:
    """Press the device page's button named ``button`` and wait until the miner received a
    request containing ``command``."""
    before = len(sim.received)
    await _row(page, "hui-button-entity-row", button).get_by_role("button").click()

    async def received() -> bool:
        return any(command in request for request in sim.received[before:])

    await _wait_for(received, f"the miner to receive {command!r} ({button})")


async def _use_the_browser(
    page: Page,
    ha: HomeAssistantProcess,
    sim: MinerSimulator,
    device: dict[str, Any],
    entities: tuple[dict[str, Any], ...],
    images: Path,
) -> None:
    """The part a person does with the mouse, on the pages the README shows."""
    hashrate, temperature, restart = entities
    device_name = device["name_by_user"] or device["name"]
    await page.goto(f"{ha.url}/config/devices/device/{device['id']}")
    await page.get_by_text(device_name).first.wait_for()

    await _check_readings(page, device_name, hashrate, temperature)

    # The active pool: a short host:port, not the long stratum URL (that is an attribute).
    pool = await _row_text(page, "hui-sensor-entity-row", "Active pool")
    assert re.search(r"\b[\w.-]+:\d+\b", pool), pool
    assert "stratum+tcp://" not in pool, pool

    await _screenshot(page, images / "device-page.png", height=1560)

    await _press(page, sim, _shown_name(restart, device_name), "restart")

    await page.goto(f"{ha.url}/config/integrations/integration/{DOMAIN}")
    await page.get_by_text(device_name).first.wait_for()
    await _screenshot(page, images / "integration-page.png", height=820)

    await _check_dashboard_example(ha, page, images)
    await _check_energy_sensor(ha, f"sensor.{_entity_prefix()}_energy")
    await _picture_of_the_config_flow(ha, page, images)


async def _miner_entities(
    ha: HomeAssistantProcess, entity_ids: set[str]
) -> tuple[dict[str, Any], ...] | None:
    """Hashrate, hottest board temperature and restart button, once the sensors have values."""
    states = [s for k, s in (await ha.states()).items() if k in entity_ids]

    def first(match: Any) -> dict[str, Any] | None:
        found = sorted((s for s in states if match(s)), key=lambda s: len(s["entity_id"]))
        return found[0] if found else None

    def numeric(state: dict[str, Any] | None) -> bool:
        return state is not None and re.fullmatch(r"-?\d+(\.\d+)?", state["state"]) is not None

    hashrate = first(lambda s: s["entity_id"].endswith("_hashrate"))
    temperature = first(lambda s: s["entity_id"].endswith("_hottest_board_temperature"))
    restart = first(lambda s: s["entity_id"].endswith("_restart_mining_software"))
    if numeric(hashrate) and numeric(temperature) and restart is not None:
        return hashrate, temperature, restart  # type: ignore[return-value]
    return None


async def _bitaxe_entities(
    ha: HomeAssistantProcess, entity_ids: set[str]
) -> tuple[dict[str, Any], ...] | None:
    """The Bitaxe's hashrate, its hottest temperature (the ASIC's) and its reboot button,
    once the sensors have values."""
    states = [s for k, s in (await ha.states()).items() if k in entity_ids]

    def numeric(state: dict[str, Any]) -> bool:
        return re.fullmatch(r"-?\d+(\.\d+)?", state["state"]) is not None

    hashrate = [s for s in states if s["entity_id"].endswith("_hashrate") and numeric(s)]
    celsius = [
        s
        for s in states
        if s["attributes"].get("unit_of_measurement") == "°C"
        and s["entity_id"].startswith("sensor.")
        and numeric(s)
    ]
    reboot = [s for s in states if s["entity_id"].endswith("_reboot")]
    if not (hashrate and celsius and reboot):
        return None
    shortest = min(hashrate, key=lambda s: len(s["entity_id"]))
    hottest = min(celsius, key=lambda s: len(s["entity_id"]))
    return shortest, hottest, reboot[0]


async def _use_the_bitaxe(
    page: Page,
    ha: HomeAssistantProcess,
    bitaxe: MinerSimulator,
    device: dict[str, Any],
    entities: tuple[dict[str, Any], ...],
) -> None:
    """The Bitaxe's device page shows its hashrate and temperature; *Reboot* reaches it."""
    hashrate, temperature, reboot = entities
    device_name = device["name_by_user"] or device["name"]
    assert device_name == "Bitaxe GammaTurbo (bitaxe-f00d)", device_name
    await page.goto(f"{ha.url}/config/devices/device/{device['id']}")
    await page.get_by_text(device_name).first.wait_for()
    await _check_readings(page, device_name, hashrate, temperature)

    await _press(page, bitaxe, _shown_name(reboot, device_name), "POST /api/system/restart")


async def _screenshot(page: Page, path: Path, *, height: int) -> None:
    """A picture of the page at a height that fits its content, once the cards have settled."""
    await page.set_viewport_size({"width": 1280, "height": height})
    await page.wait_for_timeout(700)
    await page.screenshot(path=path)


def _entity_prefix() -> str:
    """The miner's entity prefix as the README's dashboard example writes it."""
    hashrate = re.search(r"\bsensor\.([a-z0-9_]+)_hashrate\b", str(_dashboard_example()))
    assert hashrate is not None, "the README's dashboard example shows no hashrate sensor"
    return hashrate[1]


def _dashboard_example() -> dict[str, Any]:
    """The dashboard YAML the README shows, exactly as a reader would paste it."""
    readme = (REPO / "README.md").read_text()
    after = readme.split("<!-- dashboard-example", 1)[1]
    block = after.split("```yaml\n", 1)[1].split("```", 1)[0]
    return dict(yaml.safe_load(block))


async def _check_dashboard_example(ha: HomeAssistantProcess, page: Page, images: Path) -> None:
    """Every entity the README's dashboard names exists; the dashboard renders its cards."""
    config = _dashboard_example()
    named = set(re.findall(r"\b(?:sensor|switch|number|select|button)\.[a-z0-9_]+", str(config)))
    states = await ha.states()
    assert named, config
    assert not named - set(states), f"README names missing entities: {named - set(states)}"
    missing = [e for e in named if states[e]["state"] in ("unknown", "unavailable")]
    assert not [e for e in missing if not e.startswith("button.")], missing

    # As the README says: a new dashboard, its raw configuration replaced by the example.
    await ha.websocket(
        {
            "type": "lovelace/dashboards/create",
            "url_path": DASHBOARD,
            "title": "Mining",
            "icon": "mdi:pickaxe",
            "mode": "storage",
            "show_in_sidebar": True,
            "require_admin": False,
        },
        {"type": "lovelace/config/save", "url_path": DASHBOARD, "config": config},
    )
    view = config["views"][0]["path"]
    await page.set_viewport_size({"width": 1280, "height": 1000})
    await page.goto(f"{ha.url}/{DASHBOARD}/{view}")
    for card in ("hui-history-graph-card", "hui-glance-card", "hui-gauge-card"):
        await page.locator(card).first.wait_for()
    await page.get_by_text("Hottest board").first.wait_for()
    await _screenshot(page, images / "dashboard.png", height=760)


async def _check_energy_sensor(ha: HomeAssistantProcess, entity_id: str) -> None:
    """The energy sensor added as a device passes the Energy dashboard's own validation."""
    await ha.websocket(
        {"type": "energy/save_prefs", "device_consumption": [{"stat_consumption": entity_id}]}
    )
    (validation,) = await ha.websocket({"type": "energy/validate"})
    (issues,) = validation["device_consumption"]
    # Long-term statistics are first compiled at the next five-minute mark; every other check
    # (recorded, numeric, kWh, total_increasing) runs on the live state and must pass.
    assert {issue["type"] for issue in issues} <= {"statistics_not_defined"}, validation


async def _picture_of_the_config_flow(ha: HomeAssistantProcess, page: Page, images: Path) -> None:
    """The form a person fills in to add a miner, with its Advanced section open."""
    await page.set_viewport_size({"width": 1280, "height": 1000})
    await page.goto(f"{ha.url}/config/integrations/dashboard/add?domain={DOMAIN}")
    await page.get_by_role("button", name="OK").click()  # "Do you want to set up ASIC Miner?"
    dialog = page.locator("dialog-data-entry-flow")
    await dialog.get_by_text("Enter the address", exact=True).click()  # the first menu
    # As the README tells it for scripts/develop's simulated Whatsminer M30S (its password
    # comes on the next form).
    # The labels live in other shadow roots than the inputs; the form's order is fixed.
    await dialog.get_by_text("Advanced", exact=True).click()
    fields = dialog.locator("input")  # host, then the API port and the web port
    await fields.nth(2).wait_for()
    for index, value in enumerate(("127.0.0.1", "4048")):
        await fields.nth(index).fill(value)
    await page.wait_for_timeout(700)
    await page.screenshot(path=images / "config-flow.png")
    await page.keyboard.press("Escape")


def _shown_name(state: dict[str, Any], device_name: str) -> str:
    """The name the device page shows: the friendly name without the device's name."""
    return str(state["attributes"]["friendly_name"]).removeprefix(device_name).strip()


async def _reconfigure_the_miner(
    ha: HomeAssistantProcess, entry_id: str, sim: MinerSimulator, entity_ids: set[str]
) -> None:
    """*Reconfigure* with the same address: the entry reloads and the miner's values return.

    This is the path (``async_update_reload_and_abort``) that Home Assistant 2026.12 changes.
    """
    result = await ha.config_flow(
        DOMAIN, {"host": "127.0.0.1", "port": sim.port, "password": PASSWORD}, entry_id=entry_id
    )
    assert result["type"] == "abort", result
    assert result["reason"] == "reconfigure_successful", result
    before = len(sim.received)

    async def reloaded() -> bool:
        entries = await ha.request("GET", "/api/config/config_entries/entry")
        (entry,) = [e for e in entries if e["entry_id"] == entry_id]
        return entry["state"] == "loaded" and len(sim.received) > before

    await _wait_for(reloaded, "the miner's entry to load again after reconfiguring")
    await _wait_for(
        lambda: _miner_entities(ha, entity_ids), "the miner's values after reconfiguring"
    )


def _check_the_log(log: str, environment: HomeAssistantEnvironment) -> None:
    """No errors, tracebacks or warnings about this integration in Home Assistant's log."""
    problems = log_problems(log)
    known = {
        fragment: reason
        for fragment, reason in KNOWN_LOG_PROBLEMS.items()
        if any(fragment in line for line in problems)
    }
    unknown = [line for line in problems if not any(fragment in line for fragment in known)]
    assert not unknown, f"Home Assistant {environment.version} logged problems:\n" + "\n".join(
        unknown
    )
    gone = set(KNOWN_LOG_PROBLEMS) - set(known)
    assert not gone, f"fixed: remove from KNOWN_LOG_PROBLEMS: {gone}"
