"""``scripts/python -m benchmarks [--quick] [--only PART …] [--json FILE]``: run and report.

Each part prints its figures and the table that docs/benchmarks.md shows;
``python -m benchmarks.report FILE`` puts a ``--json`` report's tables into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
import json
import sys
import time
from typing import Any

import custom_components  # noqa: F401  # isort: skip  # our integration owns the name

from . import decode, fleet, hass_round, per_poll, poll, versus_pyasic
from .machine import machine_facts
from .report import render_part

PARTS: dict[str, Callable[..., Awaitable[dict[str, Any]]]] = {
    "poll": poll.run,
    "fleet": fleet.run,
    "decode": decode.run,
    "requests": per_poll.run,
    "hass": hass_round.run,
    "pyasic": versus_pyasic.run,
}


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument(
        "--only", action="append", choices=list(PARTS), help="run only this part (repeatable)"
    )
    parser.add_argument("--json", metavar="FILE", help="also write the report as JSON")
    return parser


def _print_section(name: str, figures: dict[str, Any]) -> None:
    print(f"\n== {name}")
    for key, value in figures.items():
        if isinstance(value, dict):
            print(f"  {key}:")
            for sub, subvalue in value.items():
                print(f"    {sub}: {subvalue}")
        else:
            print(f"  {key}: {value}")
    if (table := render_part(name, figures)) is not None:
        print(f"\n{table}")


async def run_parts(parts: list[str], *, quick: bool) -> dict[str, Any]:
    """Run the parts in order; a part that fails is reported, the others still run."""
    report: dict[str, Any] = {"machine": machine_facts(), "quick": quick}
    _print_section("machine", report["machine"])
    for name in parts:
        start = time.perf_counter()
        try:
            figures = await PARTS[name](quick=quick)
        except Exception as err:  # noqa: BLE001  # a broken part must not hide the others
            figures = {"error": f"{type(err).__name__}: {err}"}
        figures["seconds"] = round(time.perf_counter() - start, 2)
        report[name] = figures
        _print_section(name, figures)
    return report


def main(argv: list[str] | None = None) -> int:
    """Entry point; the exit code is 1 when a part failed to run (never for a missed target)."""
    args = build_parser().parse_args(argv)
    parts = args.only or list(PARTS)
    report = asyncio.run(run_parts(parts, quick=args.quick))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(report, out, indent=2)
    return 1 if any("error" in report[part] for part in parts) else 0


if __name__ == "__main__":
    sys.exit(main())
