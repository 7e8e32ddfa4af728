"""Run Home Assistant from this repository's test environment, as a person would run it.

``python tests/e2e/run_homeassistant.py [--loopback-only] --config DIR …`` (Home Assistant's own
arguments follow). Used by the end-to-end test and by scripts/develop.

- The test environment has Home Assistant's core requirements but not the optional packages of
  the voice and camera integrations (some need a C compiler). Home Assistant's service-description
  loader imports all of its base entity components at once, so one missing package would break
  every ``get_services`` call and leave the frontend at "Loading…". Here the loader gets the base
  components that do import; services of the others are skipped with a warning, as Home
  Assistant already does for an invalid services.yaml.
- For the same reason the built-in default integrations that cannot even be imported here
  (voice, camera, infrared) are left out of the start, instead of failing with a page of
  tracebacks each time; one line in the log names them.
- ``--loopback-only`` refuses every outgoing connection outside 127.0.0.0/8 and ::1, so the
  end-to-end test provably stays on this machine (built-in integrations reach for brand images
  and probe for a source address); Home Assistant copes as it does offline.
"""

from collections.abc import Callable
import errno
import functools
import importlib
import ipaddress
import runpy
import socket
import sys
from types import ModuleType
from typing import Any

# The names Home Assistant 2026.10's homeassistant.helpers.service._base_components imports.
BASE_COMPONENTS = (
    "ai_task",
    "alarm_control_panel",
    "assist_satellite",
    "calendar",
    "camera",
    "climate",
    "cover",
    "fan",
    "humidifier",
    "light",
    "lock",
    "media_player",
    "notify",
    "remote",
    "siren",
    "todo",
    "update",
    "vacuum",
    "water_heater",
)


def _importable_base_components(original: Callable[[], dict[str, ModuleType]]) -> None:
    try:
        original()
    except ImportError:
        pass
    else:
        return
    modules: dict[str, ModuleType] = {}
    for name in BASE_COMPONENTS:
        try:
            modules[name] = importlib.import_module(f"homeassistant.components.{name}")
        except ImportError:
            continue
    from homeassistant.helpers import service

    service._base_components = functools.cache(lambda: modules)


def _skip_unimportable_defaults() -> list[str]:
    """Drop default integrations whose packages are missing; return their names."""
    from homeassistant import bootstrap

    missing = []
    for domain in sorted(bootstrap.DEFAULT_INTEGRATIONS):
        try:
            importlib.import_module(f"homeassistant.components.{domain}")
        except ImportError:
            missing.append(domain)
    bootstrap.DEFAULT_INTEGRATIONS.difference_update(missing)
    return missing


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_sendto = socket.socket.sendto


def _is_loopback(sock: socket.socket, address: Any) -> bool:
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return True
    try:
        return ipaddress.ip_address(address[0]).is_loopback
    except TypeError, ValueError, IndexError:
        return False


def _refuse(address: Any) -> OSError:
    return OSError(errno.ENETUNREACH, f"loopback only: {address!r} refused")


def _guarded_connect(sock: socket.socket, address: Any) -> None:
    if not _is_loopback(sock, address):
        raise _refuse(address)
    _connect(sock, address)


def _guarded_connect_ex(sock: socket.socket, address: Any) -> int:
    if not _is_loopback(sock, address):
        return errno.ENETUNREACH
    return _connect_ex(sock, address)


def _guarded_sendto(sock: socket.socket, data: Any, *args: Any) -> int:
    if not _is_loopback(sock, args[-1]):
        raise _refuse(args[-1])
    return _sendto(sock, data, *args)


def main() -> None:
    """Apply the adjustments, then hand over to Home Assistant's own entry point."""
    args = sys.argv[1:]
    if "--loopback-only" in args:
        args.remove("--loopback-only")
        socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
        socket.socket.sendto = _guarded_sendto  # type: ignore[method-assign,assignment]
    from homeassistant.helpers import service

    _importable_base_components(service._base_components)
    if skipped := _skip_unimportable_defaults():
        print(
            "run_homeassistant: not starting built-in integrations whose optional packages "
            f"are not installed here: {', '.join(skipped)}",
            file=sys.stderr,
        )
    sys.argv = ["homeassistant", *args]
    runpy.run_module("homeassistant", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
