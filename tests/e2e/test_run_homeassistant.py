"""The launcher's adjustments and the log check, without starting Home Assistant's process.

No connection outside loopback is ever attempted here: the guard must refuse before connecting,
and pytest-socket (loopback only) would stop a broken guard anyway.
"""

import errno
import socket
from types import ModuleType
from typing import Any

from homeassistant import config_entries, data_entry_flow
from homeassistant.core import HomeAssistant
from homeassistant.helpers import service
import pytest

from tests.e2e import run_homeassistant
from tests.e2e.homeassistant_process import log_problems

DOCUMENTATION_ADDRESS = ("192.0.2.1", 80)  # TEST-NET-1 (RFC 5737): never routed


def test_guard_refuses_anything_but_loopback() -> None:
    """Refused before any packet; loopback and Unix sockets pass."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        assert not run_homeassistant._is_loopback(sock, DOCUMENTATION_ADDRESS)
        assert run_homeassistant._is_loopback(sock, ("127.0.0.1", 80))
        assert run_homeassistant._is_loopback(sock, ("127.8.9.10", 80))
        assert not run_homeassistant._is_loopback(sock, ("miner.example", 80))
        with pytest.raises(OSError, match="loopback only") as err:
            run_homeassistant._guarded_connect(sock, DOCUMENTATION_ADDRESS)
        assert err.value.errno == errno.ENETUNREACH
        assert (
            run_homeassistant._guarded_connect_ex(sock, DOCUMENTATION_ADDRESS) == errno.ENETUNREACH
        )
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
        assert run_homeassistant._is_loopback(sock, ("::1", 53, 0, 0))
        with pytest.raises(OSError, match="loopback only"):
            run_homeassistant._guarded_sendto(sock, b"x", ("2001:db8::1", 53, 0, 0))
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        assert run_homeassistant._is_loopback(sock, "/run/anything")


def test_guard_lets_loopback_through() -> None:
    """A real loopback connection still works through the guard."""
    with socket.socket() as server, socket.socket() as client:
        server.bind(("127.0.0.1", 0))
        server.listen()
        run_homeassistant._guarded_connect(client, server.getsockname())
        connection, _ = server.accept()
        connection.close()


def test_base_components_tolerate_missing_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    """With one base component unimportable, the others are still served."""
    monkeypatch.setattr(service, "_base_components", service._base_components)

    def broken() -> dict[str, ModuleType]:
        raise ModuleNotFoundError("No module named 'hassil'")

    real_import = run_homeassistant.importlib.import_module

    def import_module(name: str) -> ModuleType:
        if name == "homeassistant.components.ai_task":
            raise ModuleNotFoundError("No module named 'hassil'")
        return real_import(name)

    monkeypatch.setattr(run_homeassistant.importlib, "import_module", import_module)
    run_homeassistant._importable_base_components(broken)
    modules = service._base_components()
    assert "ai_task" not in modules
    assert modules["light"].__name__ == "homeassistant.components.light"
    assert set(modules) < set(run_homeassistant.BASE_COMPONENTS)


def test_base_components_left_alone_when_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where every package is installed, Home Assistant's own function stays."""
    monkeypatch.setattr(service, "_base_components", service._base_components)
    before = service._base_components
    run_homeassistant._importable_base_components(dict)
    assert service._base_components is before


def test_unimportable_default_integrations_are_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """Importable defaults stay; one that cannot be imported is dropped and named."""
    from homeassistant import bootstrap

    monkeypatch.setattr(bootstrap, "DEFAULT_INTEGRATIONS", {"light", "ai_task_missing_here"})
    real_import = run_homeassistant.importlib.import_module

    def import_module(name: str) -> ModuleType:
        if name.endswith(".ai_task_missing_here"):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return real_import(name)

    monkeypatch.setattr(run_homeassistant.importlib, "import_module", import_module)
    assert run_homeassistant._skip_unimportable_defaults() == ["ai_task_missing_here"]
    remaining = set(bootstrap.DEFAULT_INTEGRATIONS)
    assert remaining == {"light"}


async def test_onboarding_integrations_that_cannot_work_are_not_started(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Onboarding's own flows: Met.no (internet only) is skipped with one line; a local one
    (Shopping list) and every flow of another source reach Home Assistant's flow manager."""
    started: list[tuple[str, str]] = []

    async def flow_manager(
        self: config_entries.ConfigEntriesFlowManager,
        handler: str,
        *,
        context: Any = None,
        data: Any = None,
    ) -> Any:
        started.append((handler, context["source"]))
        return {"type": "create_entry"}

    monkeypatch.setattr(config_entries.ConfigEntriesFlowManager, "async_init", flow_manager)
    run_homeassistant._skip_onboarding_integrations_that_cannot_work(loopback_only=True)
    flows = hass.config_entries.flow

    result = await flows.async_init("met", context={"source": "onboarding"})
    assert result["type"] is data_entry_flow.FlowResultType.ABORT
    assert result["reason"] == "not_started_here"
    assert "onboarding: not starting met" in caplog.text
    await flows.async_init("shopping_list", context={"source": "onboarding"})
    await flows.async_init("met", context={"source": "user"})
    assert started == [("shopping_list", "onboarding"), ("met", "user")]


async def test_why_an_integration_cannot_work_here(hass: HomeAssistant) -> None:
    """A missing package or, loopback only, an internet-only integration; None otherwise."""
    assert await run_homeassistant._why_not_here(hass, "shopping_list", loopback_only=True) is None
    # Met.no needs the internet; its package is not installed here either. Either reason stops it.
    assert await run_homeassistant._why_not_here(hass, "met", loopback_only=True)
    missing = await run_homeassistant._why_not_here(
        hass, "definitely_not_an_integration", loopback_only=False
    )
    assert missing is not None
    assert "not installed" in missing


PINNED_LOG = """\
2026-11-30 18:00:22.577 WARNING (SyncWorker_0) [homeassistant.loader] We found a custom integration asic_miner which has not been tested by Home Assistant.
2026-11-30 18:00:22.641 WARNING (MainThread) [aiohttp_fast_zlib] zlib_ng and isal are not available
2026-11-30 18:00:22.980 ERROR (MainThread) [homeassistant] Error doing job: Task exception was never retrieved (task: None)
Traceback (most recent call last):
  File "/opt/venv/lib/python3.14/site-packages/homeassistant/config_entries.py", line 4359, in _load_integration
ModuleNotFoundError: No module named 'radios'
2026-11-30 18:00:23.001 DEBUG (MainThread) [custom_components.asic_miner] Finished fetching
"""
NEWEST_LOG = """\
2026-11-30 18:08:53.203+00:00 WARNING (MainThread) [homeassistant.components.sun] something else
2026-11-30 18:09:03.955+00:00 WARNING (MainThread) [homeassistant.helpers.frame] Detected that custom integration 'asic_miner' has an update listener
2026-11-30 18:09:04.000+00:00 WARNING (MainThread) [custom_components.asic_miner.coordinator] miner unreachable
2026-11-30 18:09:05.000+00:00 INFO (MainThread) [custom_components.asic_miner] reloaded
"""


def test_log_problems_in_both_releases_formats() -> None:
    """Errors and tracebacks of any part, warnings of or about this integration; not the rest."""
    assert log_problems(PINNED_LOG) == [
        PINNED_LOG.splitlines()[2],
        "Traceback (most recent call last): … ModuleNotFoundError: No module named 'radios'",
    ]
    assert log_problems(NEWEST_LOG) == NEWEST_LOG.splitlines()[1:3]
