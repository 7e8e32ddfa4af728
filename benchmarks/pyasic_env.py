"""pyasic 0.79 in a virtual environment of its own, built on demand and cached.

pyasic's pinned dependencies conflict with Home Assistant's, so it never enters the project's
environment. The benchmark runs it as a separate process from its own environment, built with
``python -m venv`` by the interpreter running the benchmark (which makes a venv of its base
Python): Debian's python3.14 inside the Debian root, or the host's Python >= 3.14.2 in the plain
venv setup. The host's own older Pythons (e.g. pyenv's 3.11) are not visible inside the root's
chroot that ``scripts/python`` runs in, and pyasic 0.79 installs on 3.14 (its compiled
dependencies ship wheels for it). The environment sits beside the project's one: ``/opt/`` in
the Debian root (``.cache/debian-root/opt/`` on the host) or ``.cache/``, never in git.
``ASIC_MINER_PYASIC_PYTHON=/path/to/python`` uses an interpreter that already has pyasic.
"""

from __future__ import annotations

import os
from pathlib import Path
import shutil
import subprocess
import sys

PYASIC_VERSION = "0.79.0"
PYASIC_PYTHON_VARIABLE = "ASIC_MINER_PYASIC_PYTHON"
INSTALL_TIMEOUT_S = 900


def environment_dir() -> Path:
    """Where the cached environment lives: beside this interpreter's environment."""
    return Path(sys.prefix).parent / f"venv-pyasic-{PYASIC_VERSION}"


def _has_pyasic(python: Path) -> bool:
    check = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('pyasic'))"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return check.returncode == 0 and check.stdout.strip() == PYASIC_VERSION


def _tail(text: str, lines: int = 3) -> str:
    return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:])


def ensure_pyasic() -> Path | str:
    """The interpreter of an environment with pyasic, or why there is none (never raises)."""
    if explicit := os.environ.get(PYASIC_PYTHON_VARIABLE):
        python = Path(explicit)
        if python.is_file() and _has_pyasic(python):
            return python
        return f"{PYASIC_PYTHON_VARIABLE}={explicit} has no pyasic {PYASIC_VERSION}"
    target = environment_dir()
    python = target / "bin" / "python"
    if python.is_file() and _has_pyasic(python):
        return python
    # Built aside and renamed when complete, so an interrupted build is never taken for one.
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    print(f"  installing pyasic {PYASIC_VERSION} into {target} (once)", flush=True)
    try:
        subprocess.run(
            [sys.executable, "-m", "venv", str(partial)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        subprocess.run(
            [
                str(partial / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                f"pyasic=={PYASIC_VERSION}",
            ],
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT_S,
            check=True,
        )
    except subprocess.CalledProcessError as err:
        shutil.rmtree(partial, ignore_errors=True)
        return f"pyasic {PYASIC_VERSION} could not be installed: {_tail(err.stderr or err.stdout)}"
    except (OSError, subprocess.TimeoutExpired) as err:
        shutil.rmtree(partial, ignore_errors=True)
        return f"pyasic {PYASIC_VERSION} could not be installed: {err}"
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    # The venv's scripts name the folder they were made in; the interpreter itself does not.
    return (
        python if _has_pyasic(python) else f"pyasic {PYASIC_VERSION} did not import after install"
    )
