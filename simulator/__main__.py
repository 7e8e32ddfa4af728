"""Command line: serve one simulated miner, or a whole fleet, until interrupted.

python -m simulator --personality antminer-s19 --port 4028 [--web-port 8080]
python -m simulator --fleet [--port 4028] [--web-port 8080]
python -m simulator --list
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys

from simulator.faults import Fault
from simulator.personalities import PERSONALITIES
from simulator.personality import Personality
from simulator.server import MinerSimulator


def _fault_param(text: str) -> tuple[str, float]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=NUMBER, got {text!r}")
    try:
        return key, float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number in {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    """The CLI's arguments."""
    names = sorted(PERSONALITIES)
    parser = argparse.ArgumentParser(
        prog="python -m simulator",
        description="Simulated Bitcoin ASIC miners speaking the CGMiner-family API.",
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--personality", choices=names, help="the firmware to simulate")
    what.add_argument(
        "--fleet", action="store_true", help="one miner of each personality, consecutive ports"
    )
    what.add_argument("--list", action="store_true", help="list the personalities and exit")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument(
        "--port", type=int, default=4028, help="API port (first port with --fleet; 0: any)"
    )
    parser.add_argument(
        "--web-port",
        type=int,
        default=None,
        help="web interface port for firmwares that have one (first one with --fleet); a "
        "firmware with only a web interface listens on --port without it",
    )
    parser.add_argument("--password", default=None, help="privileged/web password")
    parser.add_argument(
        "--fault", choices=[fault.value for fault in Fault], default=Fault.NONE.value
    )
    parser.add_argument(
        "--fault-param",
        type=_fault_param,
        action="append",
        default=[],
        metavar="KEY=NUMBER",
        help="fault parameter, e.g. seconds=5 or interval=0.1",
    )
    parser.add_argument("--seed", type=int, default=None, help="seed the value jitter")
    parser.add_argument("--no-jitter", action="store_true", help="constant values")
    return parser


def _listeners(personality: type[Personality]) -> str:
    """What a personality serves besides a TCP API, for ``--list``."""
    if personality.api_protocol is None:
        return " (web interface only)"
    if personality.api_protocol == "http":
        return " (HTTP API)"
    return " (web interface)" if personality.has_web else ""


def _web_port(name: str, port: int, web_port: int | None) -> int | None:
    """A personality with nothing on its API port serves its web interface on ``port``,
    unless a web port is given."""
    if web_port is None and PERSONALITIES[name].api_protocol is None:
        return port
    return web_port


def _plan(args: argparse.Namespace) -> list[tuple[str, int, int | None]]:
    """(personality, port, web port) of each miner to start."""
    if not args.fleet:
        return [
            (args.personality, args.port, _web_port(args.personality, args.port, args.web_port))
        ]
    names = sorted(PERSONALITIES)
    plan: list[tuple[str, int, int | None]] = []
    web_next = args.web_port
    for offset, name in enumerate(names):
        port = 0 if args.port == 0 else args.port + offset
        web: int | None = None
        if PERSONALITIES[name].has_web and web_next is not None:
            web = web_next
            web_next = web_next + 1 if web_next else 0
        plan.append((name, port, _web_port(name, port, web)))
    return plan


async def serve(args: argparse.Namespace, stop: asyncio.Event | None = None) -> None:
    """Start the planned simulators, print where they listen, run until ``stop``."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    params = dict(args.fault_param)
    sims: list[MinerSimulator] = []
    try:
        for name, port, web_port in _plan(args):
            sim = MinerSimulator(
                name,
                host=args.host,
                port=port,
                password=args.password,
                web_port=web_port,
                seed=args.seed,
                jitter=not args.no_jitter,
            )
            await sim.start()
            sims.append(sim)
            if args.fault != Fault.NONE.value:
                sim.set_fault(Fault(args.fault), **params)
        print(f"{'personality':<18} {'family':<10} {'host':<15} {'port':>6} {'web':>6}")
        for sim in sims:
            family = PERSONALITIES[sim.personality_name].family
            api = "-" if sim.port is None else str(sim.port)
            web = "-" if sim.web_port is None else str(sim.web_port)
            print(f"{sim.personality_name:<18} {family:<10} {sim.host:<15} {api:>6} {web:>6}")
        print("ready; Ctrl-C to stop", flush=True)
        await stop.wait()
    finally:
        for sim in sims:
            await sim.stop()


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = build_parser().parse_args(argv)
    if args.list:
        for name in sorted(PERSONALITIES):
            personality = PERSONALITIES[name]
            print(f"{name:<18} {personality.family}{_listeners(personality)}")
        return 0
    try:
        asyncio.run(serve(args))
    except OSError as err:
        print(f"cannot listen: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
