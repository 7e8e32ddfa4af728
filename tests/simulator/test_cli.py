"""``python -m simulator``: argument handling, the fleet plan, a real run in a subprocess."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import pytest

from custom_components.asic_miner.api import CGMinerAPI, detect_api
from simulator import PERSONALITIES
from simulator.__main__ import _plan, build_parser, main, serve

from .test_http import WebOnly, fetch


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--list"]) == 0
    out = capsys.readouterr().out
    assert "antminer-s19       bmminer (web interface)" in out
    assert "cgminer-fork       unknown" in out
    assert "bitaxe-gamma       axeos (web interface only)" in out
    assert "epic-s19jpro       epic (HTTP API)" in out
    assert "vnish-s19          vnish (web interface)" in out


def test_requires_a_choice(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([])
    with pytest.raises(SystemExit):
        main(["--personality", "antminer-s19", "--fault-param", "seconds"])
    with pytest.raises(SystemExit):
        main(["--personality", "antminer-s19", "--fault-param", "seconds=x"])
    assert "KEY=NUMBER" in capsys.readouterr().err


def test_fleet_plan() -> None:
    args = build_parser().parse_args(["--fleet", "--port", "5000", "--web-port", "8000"])
    plan = _plan(args)
    names = sorted(n for n in PERSONALITIES if not n.startswith("test-"))
    assert [name for name, _, _ in plan] == names
    assert [port for _, port, _ in plan] == list(range(5000, 5000 + len(names)))
    webs = [web for name, _, web in plan if PERSONALITIES[name].has_web]
    assert webs == list(range(8000, 8000 + len(webs)))
    assert all(web is None for name, _, web in plan if not PERSONALITIES[name].has_web)
    single = _plan(build_parser().parse_args(["--personality", "avalon", "--port", "0"]))
    assert single == [("avalon", 0, None)]


async def ready(capsys: pytest.CaptureFixture[str]) -> str:
    """What ``serve`` printed once it says ready."""
    out = ""
    for _ in range(100):
        out += capsys.readouterr().out
        if "ready" in out:
            break
        await asyncio.sleep(0.02)
    return out


async def test_serve_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    args = build_parser().parse_args(
        ["--fleet", "--port", "0", "--web-port", "0", "--seed", "3", "--no-jitter"]
    )
    stop = asyncio.Event()
    task = asyncio.ensure_future(serve(args, stop))
    assert "ready" in await ready(capsys)
    stop.set()
    await asyncio.wait_for(task, 5)


async def test_serve_with_fault(capsys: pytest.CaptureFixture[str]) -> None:
    args = build_parser().parse_args(
        ["--personality", "cgminer-fork", "--port", "0", "--fault", "silent"]
    )
    stop = asyncio.Event()
    task = asyncio.ensure_future(serve(args, stop))
    out = await ready(capsys)
    port = int(out.splitlines()[1].split()[3])
    with pytest.raises(Exception, match="no complete reply"):
        await CGMinerAPI("127.0.0.1", port, timeout=0.2).summary()
    stop.set()
    await asyncio.wait_for(task, 5)


def test_port_in_use(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["--personality", "cgminer-fork", "--port", str(port)]) == 1
    assert "cannot listen" in capsys.readouterr().err


async def test_subprocess_run_and_sigterm() -> None:
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulator",
        "--personality",
        "antminer-s9",
        "--port",
        "0",
        stdout=asyncio.subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None
    try:
        async with asyncio.timeout(20):
            header = await proc.stdout.readline()
            line = await proc.stdout.readline()
            await proc.stdout.readline()  # ready
        assert b"personality" in header
        name, family, host, port, web = line.decode().split()
        assert (name, family, host, web) == ("antminer-s9", "bmminer", "127.0.0.1", "-")
        api = await detect_api("127.0.0.1", int(port), timeout=3.0)
        assert (await api.get_data()).model == "S9"
    finally:
        proc.send_signal(signal.SIGTERM)
        async with asyncio.timeout(10):
            code = await proc.wait()
    assert code == 0


async def test_web_only_personality_listens_on_its_port(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A firmware with nothing on its API port serves its web interface on --port (or on
    --web-port when given), in the fleet on its consecutive port; the table shows no API port."""
    monkeypatch.setitem(PERSONALITIES, WebOnly.name, WebOnly)
    single = build_parser().parse_args(["--personality", WebOnly.name, "--port", "5000"])
    assert _plan(single) == [(WebOnly.name, 5000, 5000)]
    given = ["--personality", WebOnly.name, "--port", "5000", "--web-port", "80"]
    assert _plan(build_parser().parse_args(given)) == [(WebOnly.name, 5000, 80)]
    fleet = _plan(build_parser().parse_args(["--fleet", "--port", "5000"]))
    slot = 5000 + sorted(PERSONALITIES).index(WebOnly.name)
    assert (WebOnly.name, slot, slot) in fleet
    assert all(web is None for name, _, web in fleet if PERSONALITIES[name].api_protocol)

    stop = asyncio.Event()
    args = build_parser().parse_args(["--personality", WebOnly.name, "--port", "0"])
    task = asyncio.ensure_future(serve(args, stop))
    out = await ready(capsys)
    name, _family, _host, port, web = out.splitlines()[1].split()
    assert (name, port) == (WebOnly.name, "-")
    assert (await fetch(int(web), "/api/system/info"))[0] == 200
    stop.set()
    await asyncio.wait_for(task, 5)
