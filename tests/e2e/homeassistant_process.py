"""A real Home Assistant in a subprocess, driven only through its public HTTP APIs.

Nothing here reaches into Home Assistant's internals: onboarding, the config flow and the
registries are used the way the frontend uses them, so the end-to-end test sees what a person
sees.
"""

import asyncio
from collections.abc import Mapping
import contextlib
import ctypes
import itertools
import os
from pathlib import Path
import re
import signal
import socket
import sys
import time
from typing import Any, Self

import aiohttp

PR_SET_PDEATHSIG = 1  # linux/prctl.h
REPO = Path(__file__).resolve().parents[2]
LAUNCHER = Path(__file__).with_name("run_homeassistant.py")

CONFIGURATION = """\
homeassistant:
  name: ASIC Miner end-to-end
  unit_system: metric
  time_zone: UTC
  country: US
  currency: USD
  language: en
http:
  server_host: 127.0.0.1
  server_port: {port}
frontend:
config:
history:
energy:
logger:
  default: warning
  logs:
    custom_components.asic_miner: debug
"""


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when the test process dies, however it dies.

    A test killed by a timeout or Ctrl-C may never reach its cleanup; Home Assistant must not
    outlive it on some random port.
    """
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    """Pick a free loopback port for Home Assistant's HTTP server."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# "2026-11-30 18:00:22.975 ERROR (MainThread) [homeassistant.components.met] message"
# (Home Assistant 2026.11 adds the UTC offset to the time: "18:00:22.975+00:00").
LOG_RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\S* (?P<level>[A-Z]+) \([^)]*\) \[(?P<logger>[^\]]+)\] "
    r"(?P<message>.*)$"
)
# Home Assistant says this about every custom integration; nothing to fix.
UNTESTED_CUSTOM_INTEGRATION = "We found a custom integration asic_miner which has not been tested"


def log_problems(log: str, domain: str = "asic_miner") -> list[str]:
    """The lines of a Home Assistant log that someone would have to act on.

    Errors of any part (this integration's and Home Assistant's: a quiet log is what lets
    this integration's own errors stand out), tracebacks (with their last line, the
    exception), warnings of this integration, and Home Assistant's warnings about it
    (``report_usage``: a use that a later release breaks).
    """
    problems: list[str] = []
    lines = log.splitlines()
    for index, line in enumerate(lines):
        record = LOG_RECORD.match(line)
        if record is None:
            if line.startswith("Traceback"):
                block = itertools.takewhile(
                    lambda following: LOG_RECORD.match(following) is None, lines[index + 1 :]
                )
                last = [text for text in block if text.strip()][-1:]
                problems.append(" … ".join([line, *last]))
            continue
        level, logger, message = record["level"], record["logger"], record["message"]
        if (
            level in ("ERROR", "CRITICAL")
            or (level == "WARNING" and logger.startswith(f"custom_components.{domain}"))
            or (
                level == "WARNING"
                and domain in message
                and not message.startswith(UNTESTED_CUSTOM_INTEGRATION)
            )
        ):
            problems.append(line)
    return problems


class HomeAssistantError(AssertionError):
    """Home Assistant did not do what the test needed; carries the end of its log."""


class HomeAssistantProcess:
    """Start, onboard, query and stop one Home Assistant; every wait is bounded."""

    def __init__(
        self, config_dir: Path, *, extra_config: str = "", python: str = sys.executable
    ) -> None:
        """Prepare a fresh configuration folder with this repository's integration.

        ``python`` is the interpreter whose Home Assistant runs (see environments.py).
        """
        self.config_dir = config_dir
        self.python = python
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.client_id = f"{self.url}/"
        self.tokens: dict[str, Any] = {}
        self._process: asyncio.subprocess.Process | None = None
        self._session: aiohttp.ClientSession | None = None
        self._log_path = config_dir / "e2e-homeassistant.log"
        self._ws_ids = itertools.count(1)
        config_dir.mkdir(parents=True, exist_ok=True)
        (config_dir / "configuration.yaml").write_text(
            CONFIGURATION.format(port=self.port) + extra_config
        )
        (config_dir / "custom_components").symlink_to(REPO / "custom_components")

    async def __aenter__(self) -> Self:
        """Start Home Assistant and wait until its HTTP API answers."""
        try:
            await self.start()
        except BaseException:
            await self.stop()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Stop Home Assistant, whatever happened."""
        await self.stop()

    async def start(self, timeout: float = 90.0) -> None:
        """Run Home Assistant; return once /api/onboarding answers."""
        log = self._log_path.open("wb")
        try:
            self._process = await asyncio.create_subprocess_exec(
                self.python,
                str(LAUNCHER),
                "--loopback-only",
                "--config",
                str(self.config_dir),
                "--skip-pip",
                cwd=REPO,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                preexec_fn=_die_with_parent,
            )
        finally:
            log.close()
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        deadline = time.monotonic() + timeout
        while True:
            if self._process.returncode is not None:
                raise HomeAssistantError(f"Home Assistant exited early\n{self.log_tail()}")
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with self._session.get(
                    f"{self.url}/api/onboarding", timeout=aiohttp.ClientTimeout(total=2)
                ) as response:
                    if response.status == 200:
                        return
            if time.monotonic() > deadline:
                raise HomeAssistantError(
                    f"Home Assistant did not answer in {timeout} s\n{self.log_tail()}"
                )
            await asyncio.sleep(0.25)

    async def stop(self, timeout: float = 20.0) -> None:
        """Stop Home Assistant gently, then for good; close the HTTP session."""
        if self._session is not None:
            await self._session.close()
            self._session = None
        process, self._process = self._process, None
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), timeout)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await asyncio.wait_for(process.wait(), 5)

    def log(self) -> str:
        """Home Assistant's whole log so far (its standard output and error)."""
        try:
            return self._log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 60) -> str:
        """The end of Home Assistant's log, for failure messages."""
        try:
            text = self._log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    @property
    def session(self) -> aiohttp.ClientSession:
        """The HTTP session to Home Assistant (only while it runs)."""
        assert self._session is not None, "Home Assistant is not running"
        return self._session

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens['access_token']}"}

    async def request(self, method: str, path: str, *, json: Any = None, auth: bool = True) -> Any:
        """One REST call; a non-2xx answer fails with Home Assistant's log attached."""
        async with self.session.request(
            method, f"{self.url}{path}", json=json, headers=self._headers() if auth else None
        ) as response:
            body = await response.text()
            if response.status >= 300:
                raise HomeAssistantError(
                    f"{method} {path} -> {response.status}: {body}\n{self.log_tail()}"
                )
            return await response.json() if body else None

    async def onboard(self, username: str = "miner", password: str = "e2e-password") -> None:
        """Finish onboarding through its REST API, as the onboarding pages do."""
        user = await self.request(
            "POST",
            "/api/onboarding/users",
            json={
                "client_id": self.client_id,
                "name": "Miner Owner",
                "username": username,
                "password": password,
                "language": "en",
            },
            auth=False,
        )
        await self._exchange_code(user["auth_code"])
        await self.request("POST", "/api/onboarding/core_config", json={})
        await self.request("POST", "/api/onboarding/analytics", json={})
        integration = await self.request(
            "POST",
            "/api/onboarding/integration",
            json={"client_id": self.client_id, "redirect_uri": f"{self.url}/?auth_callback=1"},
        )
        assert integration["auth_code"]
        steps = await self.request("GET", "/api/onboarding", auth=False)
        assert all(step["done"] for step in steps), steps

    async def _exchange_code(self, code: str) -> None:
        async with self.session.post(
            f"{self.url}/auth/token",
            data={"grant_type": "authorization_code", "code": code, "client_id": self.client_id},
        ) as response:
            if response.status != 200:
                raise HomeAssistantError(f"/auth/token -> {response.status}")
            self.tokens = await response.json()
        self.tokens["expires"] = int((time.time() + self.tokens["expires_in"]) * 1000)

    def frontend_tokens(self) -> dict[str, Any]:
        """The tokens as the frontend keeps them in localStorage ("hassTokens")."""
        return {**self.tokens, "hassUrl": self.url, "clientId": self.client_id}

    async def config_flow(
        self,
        handler: str,
        answers: Mapping[str, Any],
        *,
        max_steps: int = 5,
        entry_id: str | None = None,
    ) -> dict[str, Any]:
        """Run a config flow to its end, answering each menu and form from ``answers``.

        Fields are filled by name wherever they are, also inside collapsible sections, so the
        test does not depend on how the form is laid out. With ``entry_id`` it is the entry's
        reconfigure flow (*Reconfigure* in the entry's menu).
        """
        start: dict[str, Any] = {"handler": handler, "show_advanced_options": True}
        if entry_id is not None:
            start["entry_id"] = entry_id
        result = await self.request("POST", "/api/config/config_entries/flow", json=start)
        for _ in range(max_steps):
            if result["type"] == "menu":
                # A menu is answered like a person would: the option named in ``answers``
                # under "next_step_id", else the first one.
                choice = answers.get("next_step_id", result["menu_options"][0])
                result = await self.request(
                    "POST",
                    f"/api/config/config_entries/flow/{result['flow_id']}",
                    json={"next_step_id": choice},
                )
                continue
            if result["type"] != "form":
                return dict(result)
            if result.get("errors"):
                raise HomeAssistantError(f"config flow form errors: {result}")
            user_input = _fill_form(result["data_schema"], answers)
            result = await self.request(
                "POST", f"/api/config/config_entries/flow/{result['flow_id']}", json=user_input
            )
        raise HomeAssistantError(f"config flow did not finish in {max_steps} steps: {result}")

    async def websocket(self, *messages: Mapping[str, Any]) -> list[Any]:
        """Send websocket commands over one authenticated connection; return their results."""
        results = []
        async with self.session.ws_connect(f"{self.url}/api/websocket") as ws:
            assert (await ws.receive_json(timeout=10))["type"] == "auth_required"
            await ws.send_json({"type": "auth", "access_token": self.tokens["access_token"]})
            assert (await ws.receive_json(timeout=10))["type"] == "auth_ok"
            for message in messages:
                message_id = next(self._ws_ids)
                await ws.send_json({**message, "id": message_id})
                while (reply := await ws.receive_json(timeout=20))["id"] != message_id:
                    pass
                if not reply["success"]:
                    raise HomeAssistantError(f"{message} -> {reply}")
                results.append(reply["result"])
        return results

    async def states(self) -> dict[str, dict[str, Any]]:
        """All current states by entity id."""
        return {state["entity_id"]: state for state in await self.request("GET", "/api/states")}


def _fill_form(schema: list[dict[str, Any]], answers: Mapping[str, Any]) -> dict[str, Any]:
    user_input: dict[str, Any] = {}
    for field in schema:
        name = field["name"]
        if field.get("type") == "expandable":
            nested = _fill_form(field["schema"], answers)
            if nested:
                user_input[name] = nested
        elif name in answers:
            user_input[name] = answers[name]
    return user_input
