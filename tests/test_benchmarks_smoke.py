"""The benchmark entry point runs end to end in quick mode, so it cannot rot unnoticed.

Only the shape of the report is checked, never a timing: figures belong in docs/benchmarks.md.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
import shutil
import subprocess
import sys

import pytest

REPO = Path(__file__).resolve().parent.parent

EXPECTED = {
    "poll": {"p50_ms", "p99_ms", "client_cpu_ms_per_poll", "boards"},
    "fleet": {"miners", "round_p50_s", "round_max_s", "peak_polls_in_flight", "fds_leaked"},
    "decode": {"huge_stats", "whatsminer_error_spam", "oversized"},
    "requests": {"antminer-s19", "whatsminer-m30s", "braiins-os", "whatsminer-v3"},
    "hass": {"entries_loaded", "round_p50_s", "cpu_s_per_round", "memory_per_miner_kib"},
    "pyasic": {"pyasic_skipped", "antminer-s19", "whatsminer-m30s"},
}


@pytest.mark.timeout(120)
def test_quick_run_reports_every_part(socket_enabled: None, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    # A child process: the benchmarks start their own event loops, simulators and hass.
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--json", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    report = json.loads(out.read_text())
    assert report["quick"] is True
    assert {"cpus", "cpu_model", "python", "home_assistant"} <= report["machine"].keys()
    for part, keys in EXPECTED.items():
        assert "error" not in report[part], report[part]
        assert keys <= report[part].keys(), (part, report[part].keys())
    assert report["poll"]["boards"] == 3
    assert report["fleet"]["fds_leaked"] <= 0
    assert report["fleet"]["failed_polls"] == 0
    assert report["hass"]["entries_loaded"] == report["hass"]["miners"]
    assert report["requests"]["antminer-s9"]["steady_poll"] == 1
    assert "larger than" in report["decode"]["oversized"]["error"]
    assert "== poll" in result.stdout
    # Quick mode measures our side of the pyasic comparison and never installs pyasic.
    assert "--quick" in report["pyasic"]["pyasic_skipped"]
    for miner in ("antminer-s19", "whatsminer-m30s"):
        assert set(report["pyasic"][miner]) == {"ours"}
        assert report["pyasic"][miner]["ours"]["connections_per_poll"] >= 1
    assert "| ours |" in result.stdout  # the side-by-side table

    # The tables of docs/benchmarks.md come from such a report (a quick one only on request).
    doc = tmp_path / "benchmarks.md"
    shutil.copy(REPO / "docs" / "benchmarks.md", doc)
    command = [sys.executable, "-m", "benchmarks.report", str(out), "--doc", str(doc)]
    refused = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    assert refused.returncode == 1
    assert doc.read_text() == (REPO / "docs" / "benchmarks.md").read_text()
    subprocess.run([*command, "--allow-quick"], cwd=REPO, check=True, capture_output=True)
    sections = re.findall(
        r"<!-- generated:(\w+) -->\n(.*?)<!-- /generated:\1 -->", doc.read_text(), re.DOTALL
    )
    assert {name for name, _ in sections} == {"machine", *EXPECTED}
    assert all("| --- |" in body for _, body in sections), sections
