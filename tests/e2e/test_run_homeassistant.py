"""The launcher's two adjustments, checked without starting Home Assistant.

No connection outside loopback is ever attempted here: the guard must refuse before connecting,
and pytest-socket (loopback only) would stop a broken guard anyway.
"""

import errno
import socket
from types import ModuleType

from homeassistant.helpers import service
import pytest

from tests.e2e import run_homeassistant

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
