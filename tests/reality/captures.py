"""Loopback servers that answer with the replies of one capture folder, and the comparison of
what the client read with what a person reads off those replies.

TCP folders hold one ``<command>.raw`` per command (``<command>@<parameter>.raw`` for a command
sent with a parameter, matched by prefix since parameters carry timestamps). The server speaks
cgminer's protocol: one request per connection, the reply bytes exactly as captured, then NUL
and close; a command without a file gets cgminer's refusal (``Invalid command``, code 14); a
``+`` join is answered per command inside one object, as cgminer writes it (the captured bytes
are spliced in verbatim, so their quirks survive), or refused as a whole for a firmware that
cannot join.

HTTP folders hold ``<METHOD>__<path with / as __>.json`` per endpoint; the server answers each
with status 200 and the captured body, 404 for anything else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, is_dataclass
import importlib
import json
from pathlib import Path
import socket
from types import ModuleType
from typing import Any, Self

from aiohttp import web
import pytest

#: ``../shared/captures`` beside the repository (CI has it; elsewhere the tests skip).
CAPTURES = Path(__file__).resolve().parents[2].parent / "shared" / "captures"

REFUSAL = b'{"STATUS":[{"STATUS":"E","When":0,"Code":14,"Msg":"Invalid command","Description":"cgminer"}],"id":1}'


def capture_folders(kind: str) -> list[Any]:
    """One pytest param per folder of ``CAPTURES/kind``, or one skipped param saying why."""
    root = CAPTURES / kind
    if not root.is_dir():
        return [
            pytest.param(
                None,
                marks=pytest.mark.skip(reason=f"no real captures here ({root} is absent)"),
                id="no-captures",
            )
        ]
    return [
        pytest.param(path.name, id=path.name) for path in sorted(root.iterdir()) if path.is_dir()
    ]


def expectations(kind: str, folder: str) -> ModuleType:
    """The expectation module of one folder (``tests.reality.expected_<kind>.<folder>``)."""
    try:
        return importlib.import_module(f"tests.reality.expected_{kind}.{folder}")
    except ModuleNotFoundError:
        pytest.fail(f"no expectations written for the real capture {kind}/{folder}")


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


class TCPCapture:
    """A cgminer-protocol server on 127.0.0.1 answering with one folder's replies."""

    def __init__(self, folder: Path, *, joins: bool = True) -> None:
        """Nothing listens until entered."""
        self.folder = folder
        self.joins = joins
        self.received: list[tuple[str, str | None]] = []
        self.port = 0
        self._server: Any = None

    async def __aenter__(self) -> Self:
        import asyncio

        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._server.close()
        await self._server.wait_closed()

    def reply_for(self, command: str, parameter: str | None) -> bytes | None:
        """The captured bytes for one command, None when the folder has none."""
        if parameter is not None:
            best: Path | None = None
            for path in self.folder.glob(f"{command}@*.raw"):
                prefix = path.stem.split("@", 1)[1]
                if parameter.startswith(prefix) and (
                    best is None or len(path.stem) > len(best.stem)
                ):
                    best = path
            if best is not None:
                return best.read_bytes().rstrip(b"\x00\r\n")
        path = self.folder / f"{command}.raw"
        return path.read_bytes().rstrip(b"\x00\r\n") if path.is_file() else None

    def reply(self, command: str, parameter: str | None) -> bytes:
        """The whole reply to one request, as the firmware would write it."""
        names = command.split("+")
        for name in names:
            self.received.append((name, parameter))
        if len(names) == 1:
            return self.reply_for(command, parameter) or REFUSAL
        if not self.joins:
            return REFUSAL
        parts = [
            b'"' + name.encode() + b'":[' + (self.reply_for(name, parameter) or REFUSAL) + b"]"
            for name in names
        ]
        return b"{" + b",".join(parts) + b',"id":1}'

    async def _serve(self, reader: Any, writer: Any) -> None:
        try:
            request = await self._read_request(reader)
            if request is not None:
                writer.write(self.reply(*request) + b"\x00")
                await writer.drain()
        finally:
            writer.close()

    @staticmethod
    async def _read_request(reader: Any) -> tuple[str, str | None] | None:
        buffer = b""
        decoder = json.JSONDecoder()
        while len(buffer) < 65536:
            chunk = await reader.read(4096)
            buffer += chunk
            text = buffer.decode("utf-8", "replace").strip().rstrip("\x00")
            if text.startswith("{"):
                try:
                    payload, _ = decoder.raw_decode(text)
                except json.JSONDecodeError:
                    if not chunk:
                        return None
                    continue
                command = str(payload.get("command", ""))
                parameter = payload.get("parameter")
                return command, None if parameter is None else str(parameter)
            if text and (not chunk or "\n" in text):
                command, _, parameter = text.partition("|")
                return command.strip(), parameter.strip() or None
            if not chunk:
                return None
        return None


class HTTPCapture:
    """An HTTP server on 127.0.0.1 answering with one folder's captured endpoints."""

    def __init__(self, folder: Path, extra: Mapping[str, tuple[int, Any]] | None = None) -> None:
        """Nothing listens until entered; ``extra`` answers what was not captured:
        ``"METHOD /path": (status, body)``, the body as JSON, or as an HTML page when a string."""
        self.folder = folder
        self.extra = dict(extra or {})
        self.received: list[str] = []
        self.port = 0
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server  # the only way to learn the bound port
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    def file_for(self, method: str, path: str) -> Path | None:
        """The captured body of ``METHOD /path`` (trailing slashes ignored)."""
        segments = [segment for segment in path.split("/") if segment]
        candidate = self.folder / f"{method}__{'__'.join(segments)}.json"
        return candidate if candidate.is_file() else None

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        key = f"{request.method} {request.path}"
        self.received.append(key)
        await request.read()
        for route, (status, body) in self.extra.items():
            if route.rstrip("/") == key.rstrip("/"):
                if isinstance(body, str):  # a page, not JSON
                    return web.Response(text=body, status=status, content_type="text/html")
                return web.json_response(body, status=status)
        path = self.file_for(request.method, request.path)
        if path is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=path.read_bytes(), content_type="application/json")


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def assert_reads(data: Any, reads: Mapping[str, Any]) -> None:
    """Every value in ``reads`` is what the client read (``MinerData`` attribute names).

    Lists of boards, fans and pools compare item by item and length; each expected item is a
    mapping of the fields a person reads off the replies (fields left out are not compared);
    lists of plain values (errors) compare item by item.
    Floats compare exactly as rounded by the client (TH/s 3 decimals, °C 1, W 1 …).
    """
    mismatches: list[str] = []
    for key, want in reads.items():
        got = _plain(getattr(data, key))
        if isinstance(want, Sequence) and not isinstance(want, str):
            if not isinstance(got, list) or len(got) != len(want):
                mismatches.append(f"{key}: expected {len(want)} items {want!r}, read {got!r}")
                continue
            for position, (item, read) in enumerate(zip(want, got, strict=True)):
                if not isinstance(item, Mapping):  # a list of plain values (errors)
                    if read != item:
                        mismatches.append(f"{key}[{position}]: expected {item!r}, read {read!r}")
                    continue
                for field, value in item.items():
                    if read.get(field) != value:
                        mismatches.append(
                            f"{key}[{position}].{field}: expected {value!r}, read {read.get(field)!r}"
                        )
        elif got != want:
            mismatches.append(f"{key}: expected {want!r}, read {got!r}")
    assert not mismatches, "\n".join(mismatches)
