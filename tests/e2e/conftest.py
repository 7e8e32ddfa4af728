"""Fixtures of the end-to-end test: Debian's Chromium driven by Playwright.

These tests start their own Home Assistant in a subprocess, so the in-process ``hass`` of the
Home Assistant test harness is not wanted here.
"""

from collections.abc import AsyncIterator
import os
from pathlib import Path
import shutil

from playwright.async_api import Browser, async_playwright
import pytest

from tests.e2e import environments
from tests.e2e.environments import HomeAssistantEnvironment

# The machine has no network: Chromium must not try to reach anything but loopback.
CHROMIUM_ARGS = [
    "--no-sandbox",  # Chromium refuses to run as root with its sandbox
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def find_chromium() -> str | None:
    """Debian's Chromium (scripts/setup installs it), or one named by ASIC_MINER_CHROMIUM."""
    if explicit := os.environ.get("ASIC_MINER_CHROMIUM"):
        return explicit if Path(explicit).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    return None


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(socket_enabled: None) -> None:
    """Override the suite's autouse fixture: no in-process Home Assistant here.

    Sockets are allowed (pytest-socket still limits connections to 127.0.0.1).
    """


@pytest.fixture(params=["pinned", "newest"])
def home_assistant_environment(request: pytest.FixtureRequest) -> HomeAssistantEnvironment:
    """Each test runs on the pinned Home Assistant and on the newest release.

    Without the second environment (scripts/setup builds it) the newest run is skipped, and
    fails in CI.
    """
    if request.param == "pinned":
        return environments.pinned()
    found = environments.newest()
    if isinstance(found, str):
        if os.environ.get("CI"):
            pytest.fail(f"{found} (CI must run the end-to-end test on both releases)")
        pytest.skip(found)
    return found


@pytest.fixture
def chromium_path() -> str:
    """The browser binary; the test is skipped without one, and fails in CI without one."""
    path = find_chromium()
    if path is None:
        message = "no Chromium found: run scripts/setup as root or install Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI must run the end-to-end test)")
        pytest.skip(message)
    return path


@pytest.fixture
async def browser(chromium_path: str) -> AsyncIterator[Browser]:
    """A headless Chromium, closed after the test whatever happens."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, timeout=60_000
        )
        try:
            yield browser
        finally:
            await browser.close()
