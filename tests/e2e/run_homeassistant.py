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
- Finishing onboarding starts a few integrations of its own (Google Translate, Met.no weather,
  Radio Browser, Shopping list). Those whose config flow cannot be imported here (their packages
  are missing, and ``--skip-pip`` installs nothing), and with ``--loopback-only`` those that
  only talk to the internet, are not started: one log line each instead of a page of tracebacks
  (a "Task exception was never retrieved" per integration) that would bury this integration's
  own messages.
- ``--loopback-only`` refuses every outgoing connection outside 127.0.0.0/8 and ::1, so the
  end-to-end test provably stays on this machine (built-in integrations reach for brand images
  and probe for a source address); Home Assistant copes as it does offline.
"""

from collections.abc import Callable
import errno
import functools
import importlib
import ipaddress
import logging
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


ONBOARDING_SOURCE = "onboarding"  # the source of the flows onboarding starts
_LOGGER = logging.getLogger("run_homeassistant")


async def _why_not_here(hass: Any, domain: str, *, loopback_only: bool) -> str | None:
    """Why an integration cannot work in this environment, or None when it can."""
    from homeassistant import loader

    try:
        await hass.async_add_import_executor_job(
            importlib.import_module, f"homeassistant.components.{domain}.config_flow"
        )
    except ImportError as err:
        return f"its packages are not installed here ({err})"
    integration = await loader.async_get_integration(hass, domain)
    if loopback_only and str(integration.iot_class or "").startswith("cloud"):
        return "it only talks to the internet, and outgoing connections are loopback only"
    return None


def _skip_onboarding_integrations_that_cannot_work(*, loopback_only: bool) -> None:
    """Wrap the flow manager: onboarding's own integrations start only where they can work."""
    from homeassistant import config_entries, data_entry_flow

    original = config_entries.ConfigEntriesFlowManager.async_init

    async def async_init(
        self: config_entries.ConfigEntriesFlowManager,
        handler: str,
        *,
        context: Any = None,
        data: Any = None,
    ) -> Any:
        if context and context.get("source") == ONBOARDING_SOURCE:
            reason = await _why_not_here(self.hass, handler, loopback_only=loopback_only)
            if reason is not None:
                _LOGGER.warning("onboarding: not starting %s: %s", handler, reason)
                return config_entries.ConfigFlowResult(
                    type=data_entry_flow.FlowResultType.ABORT,
                    flow_id="",
                    handler=handler,
                    reason="not_started_here",
                    description_placeholders=None,
                )
        return await original(self, handler, context=context, data=data)

    config_entries.ConfigEntriesFlowManager.async_init = async_init  # type: ignore[method-assign]


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
    loopback_only = "--loopback-only" in args
    if loopback_only:
        args.remove("--loopback-only")
        socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
        socket.socket.sendto = _guarded_sendto  # type: ignore[method-assign,assignment]
    from homeassistant.helpers import service

    _importable_base_components(service._base_components)
    _skip_onboarding_integrations_that_cannot_work(loopback_only=loopback_only)
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
