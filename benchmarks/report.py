"""Markdown tables from a benchmark report, and docs/benchmarks.md regenerated from one.

``scripts/python -m benchmarks --json build/benchmarks.json`` measures;
``scripts/python -m benchmarks.report build/benchmarks.json`` then rewrites every generated
section of docs/benchmarks.md (between ``<!-- generated:PART -->`` and
``<!-- /generated:PART -->``) from that report and leaves the prose around them alone. A part
missing from the report keeps its section; the machine section is rewritten only from a report
of every part, so the machine always matches the figures. A ``--quick`` report (a smoke run)
is refused unless ``--allow-quick``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
import json
from pathlib import Path
import re
import sys
from typing import Any

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
SECTION = re.compile(
    r"(<!-- generated:(?P<part>[a-z]+) -->\n)(?P<body>.*?)(<!-- /generated:(?P=part) -->)",
    re.DOTALL,
)


TIMES = "\N{MULTIPLICATION SIGN}"


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _table(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> str:
    lines = [_row(*header), _row(*("---" for _ in header))]
    lines.extend(_row(*row) for row in rows)
    return "\n".join(lines)


def _ms(value: float) -> str:
    if value < 10:
        return f"{value:.2f} ms"
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def machine(figures: dict[str, Any]) -> str:
    """The machine the figures come from."""
    rows = [
        ("CPUs (`os.cpu_count()`)", figures["cpus"]),
        ("CPU model (`/proc/cpuinfo`)", figures["cpu_model"]),
        ("Memory (`/proc/meminfo`)", f"{figures['memory']} total"),
        ("Open files limit (soft/hard)", figures["nofile_limit"].replace("/", " / ")),
        ("Python", figures["python"]),
        ("Home Assistant", figures["home_assistant"]),
        ("Platform", figures["platform"]),
    ]
    date = figures.get("date", "an unrecorded date")
    return _table(("", ""), rows) + f"\n\nFigures from one full run on {date}."


def poll(figures: dict[str, Any]) -> str:
    """One poll of one S19, many times."""
    rows = [
        ("p50 latency", _ms(figures["p50_ms"]), f"≤ {figures['target_p50_ms']:g} ms"),
        ("p99 latency", _ms(figures["p99_ms"]), f"≤ {figures['target_p99_ms']:g} ms"),
        ("max latency", _ms(figures["max_ms"]), ""),
        ("client CPU per poll", _ms(figures["client_cpu_ms_per_poll"]), ""),
        ("simulator CPU per poll", _ms(figures["simulator_cpu_ms_per_poll"]), ""),
    ]
    return (
        f"{figures['polls']} consecutive `get_data()` calls after warm-up (identity cached, as in "
        f"real use), {figures['boards']} boards.\n\n" + _table(("", "measured", "target"), rows)
    )


def fleet(figures: dict[str, Any]) -> str:
    """A fleet polled concurrently."""
    rss = figures["rss_mib_after_round"]
    traced = figures["traced_growth_kib_over_rounds"]
    rows = [
        ("first round (identities read too)", f"{figures['first_round_s']:.2f} s", ""),
        (
            "round p50 / p90 / max",
            " / ".join(
                f"{figures[key]:.2f} s" for key in ("round_p50_s", "round_p90_s", "round_max_s")
            ),
            f"≤ {figures['target_round_s']:g} s",
        ),
        (f"failed polls in {figures['rounds']} rounds", figures["failed_polls"], 0),
        (
            "peak polls in flight",
            figures["peak_polls_in_flight"],
            f"≤ {figures['concurrency_limit']}",
        ),
        ("file descriptors leaked", figures["fds_leaked"], 0),
        ("client CPU per round", f"{figures['client_cpu_s_per_round']:.2f} s", ""),
        ("simulator CPU per round", f"{figures['simulator_cpu_s_per_round']:.2f} s", ""),
        (
            f"RSS after round {' / '.join(rss)}",
            " / ".join(f"{value:.1f}" for value in rss.values()) + " MiB",
            "flat",
        ),
        ("RSS growth after warm-up", f"{figures['rss_growth_kib_after_warmup']:+} KiB", ""),
        (
            f"traced Python heap growth over {traced['rounds']} more rounds",
            f"{traced['kib']:+.0f} KiB",
            "",
        ),
    ]
    return (
        f"{figures['miners']} simulators ({figures['personalities']} personalities), "
        f"{figures['rounds']} rounds, at most {figures['concurrency_limit']} polls (and so "
        "sockets) open at once.\n\n" + _table(("", "measured", "target"), rows)
    )


def decode(figures: dict[str, Any]) -> str:
    """Big replies decoded, an endless one refused."""
    names = {"huge_stats": "huge stats", "whatsminer_error_spam": "Whatsminer error spam"}
    rows = []
    for key, name in names.items():
        shape = figures[key]
        sizes = [(k.removesuffix("_MB_ms"), v) for k, v in shape.items() if k.endswith("_MB_ms")]
        (small, small_ms), (big, big_ms) = sizes
        per_mb = " / ".join(f"{value:g}" for value in shape["ms_per_MB"])
        rows.append(
            (
                f"{name} ({small} / {big} MB)",
                _ms(small_ms),
                _ms(big_ms),
                per_mb,
                shape["linearity_big_vs_small"],
            )
        )
    oversized = figures["oversized"]
    return (
        _table(("reply", "small", "big", "ms per MB (small / big)", "big ÷ small per MB"), rows)
        + f"\n\nA miner that never stops sending (simulator `OVERSIZED`) is refused after "
        f"{_ms(oversized['refused_after_ms'])} with `{oversized['error'].split(': ', 1)[-1]}`."
    )


def hass(figures: dict[str, Any]) -> str:
    """Home Assistant with a fleet of entries."""
    memory = figures["memory_per_miner_kib"]
    rows = [
        ("entries loaded / entities", f"{figures['entries_loaded']} / {figures['entities']}"),
        (
            f"setup of {figures['miners'] - 1} entries (after the first)",
            f"{figures['setup_s']:.2f} s",
        ),
        (
            "refresh round p50 / max",
            f"{figures['round_p50_s']:.2f} s / {figures['round_max_s']:.2f} s",
        ),
        (
            "CPU per round (Home Assistant + client)",
            f"{figures['cpu_s_per_round']:.2f} s, i.e. {figures['cpu_ms_per_miner_per_round']:.1f} ms per miner",
        ),
        ("simulator CPU per round", f"{figures['simulator_cpu_s_per_round']:.2f} s"),
        ("failed refreshes in the last round", figures["failed_refreshes_last_round"]),
        ("memory per miner, traced Python heap", f"{memory['traced_python']:.0f} KiB"),
        ("memory per miner, RSS", f"{memory['rss']:.0f} KiB"),
    ]
    return (
        f"{figures['miners']} config entries, {figures['refresh_rounds']} refresh rounds.\n\n"
        + _table(("", "measured"), rows)
    )


def requests(figures: dict[str, Any]) -> str:
    """Requests per poll, per personality, with the reason where more than one."""
    rows = []
    reasons = []
    for name, counts in figures.items():
        if not isinstance(counts, dict):
            continue
        steady = counts["steady_poll"]
        listed = ", ".join(f"`{request}`" for request in counts["requests"])
        rows.append(
            (
                name,
                counts["family"],
                counts["first_poll"],
                f"**{steady}**" if steady > 1 else steady,
                listed,
            )
        )
        if steady > 1:
            reasons.append(f"- **{name}**: {counts['why'] or '(no reason given)'}")
    text = _table(("personality", "family", "first poll", "steady poll", "requests"), rows)
    if reasons:
        text += "\n\nWhere a steady poll takes more than one request, and why:\n\n" + "\n".join(
            reasons
        )
    return text


_MINER_NAMES = {
    "antminer-s19": "Antminer S19 (stock, with web interface)",
    "whatsminer-m30s": "Whatsminer M30S",
}


def pyasic(figures: dict[str, Any]) -> str:
    """Ours against pyasic, with pyasic's figure divided by ours."""
    version = figures["pyasic_version"]
    rows = []
    polls = None
    for key, miner in figures.items():
        if not isinstance(miner, dict) or "ours" not in miner:
            continue
        name = _MINER_NAMES.get(key, key)
        for client, label in (("ours", "ours"), ("pyasic", f"pyasic {version}")):
            if client not in miner:
                continue
            side = miner[client]
            polls = side["polls"]
            hashrate = side["hashrate_th"]
            rows.append(
                (
                    name if client == "ours" else "",
                    label,
                    _ms(side["median_ms"]),
                    _ms(side["p90_ms"]),
                    _ms(side["cpu_ms_per_poll"]),
                    f"{side['connections_per_poll']:g}",
                    f"{side['requests_per_poll']:g}",
                    "none" if hashrate is None else f"{hashrate:.2f} TH/s",
                )
            )
        if ratio := miner.get("pyasic_over_ours"):
            cells = [
                ratio["median_latency"],
                None,
                ratio["cpu_per_poll"],
                ratio["connections_per_poll"],
            ]
            shown = ["" if cell is None else f"**{cell:g}{TIMES}**" for cell in cells]
            rows.append(("", "pyasic ÷ ours", *shown, "", ""))
    header = (
        "miner",
        "client",
        "median poll",
        "p90 poll",
        "CPU per poll",
        "connections per poll",
        "requests per poll",
        "hashrate read",
    )
    intro = (
        f"{polls} polls by each client after {figures['warmup_polls']} warm-up polls, one "
        "simulator process for both; connections and requests counted by the simulator.\n\n"
    )
    text = intro + _table(header, rows)
    if skipped := figures.get("pyasic_skipped"):
        text += f"\n\npyasic not measured: {skipped}."
    return text


RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "machine": machine,
    "poll": poll,
    "fleet": fleet,
    "decode": decode,
    "hass": hass,
    "requests": requests,
    "pyasic": pyasic,
}


def render_part(name: str, figures: dict[str, Any]) -> str | None:
    """The markdown of one part, or None when it has no renderer or did not run."""
    renderer = RENDERERS.get(name)
    if renderer is None or "error" in figures:
        return None
    return renderer(figures)


def update_doc(doc: str, report: dict[str, Any]) -> tuple[str, list[str]]:
    """The document with the sections the report has rewritten, and their names."""
    measured = [part for part in RENDERERS if part != "machine" and part in report]
    complete = all(part in report for part in RENDERERS if part != "machine")
    done: list[str] = []

    def replace(match: re.Match[str]) -> str:
        part = match["part"]
        if part == "machine" and not complete:
            return match[0]
        figures = report.get(part)
        text = None if figures is None else render_part(part, figures)
        if text is None:
            return match[0]
        done.append(part)
        return f"{match[1]}{text}\n{match[4]}"

    updated = SECTION.sub(replace, doc)
    missing = [part for part in measured if part not in done and "error" not in report[part]]
    if missing:
        raise ValueError(f"docs have no generated section for: {', '.join(missing)}")
    return updated, done


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.report", description=__doc__)
    parser.add_argument("report", type=Path, help="a report written by --json")
    parser.add_argument("--doc", type=Path, default=DOC, help="the markdown file to update")
    parser.add_argument("--allow-quick", action="store_true", help="accept a --quick report")
    args = parser.parse_args(argv)
    report = json.loads(args.report.read_text(encoding="utf-8"))
    if report.get("quick") and not args.allow_quick:
        print("a --quick report has no real figures; run without --quick", file=sys.stderr)
        return 1
    text, done = update_doc(args.doc.read_text(encoding="utf-8"), report)
    args.doc.write_text(text, encoding="utf-8")
    print(f"{args.doc}: updated {', '.join(done) or 'nothing'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
