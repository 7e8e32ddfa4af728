"""The Home Assistant releases the end-to-end test runs on: the pinned one and the newest.

The pinned release is this environment's (requirements_test.txt). scripts/setup builds a second
environment with the newest release (requirements_next.txt) beside it: ``<prefix>-next`` next to
this interpreter's ``sys.prefix`` (``/opt/venv-next`` in the Debian root, ``.cache/venv-next``
otherwise). ``ASIC_MINER_NEXT_PYTHON=/path/to/python`` names another interpreter.
"""

from dataclasses import dataclass
import os
from pathlib import Path
import subprocess
import sys

from homeassistant import const

NEXT_PYTHON_VARIABLE = "ASIC_MINER_NEXT_PYTHON"


@dataclass(frozen=True)
class HomeAssistantEnvironment:
    """A Python environment with one Home Assistant release installed."""

    name: str  # "pinned" or "newest": the test id and the screenshots' folder
    python: str
    version: str


def pinned() -> HomeAssistantEnvironment:
    """This interpreter, with the pinned release."""
    return HomeAssistantEnvironment("pinned", sys.executable, const.__version__)


def next_python() -> Path:
    """Where the newest release's interpreter is expected."""
    if explicit := os.environ.get(NEXT_PYTHON_VARIABLE):
        return Path(explicit)
    prefix = Path(sys.prefix)
    return prefix.with_name(f"{prefix.name}-next") / "bin" / "python"


def newest() -> HomeAssistantEnvironment | str:
    """The second environment, or why there is none."""
    python = next_python()
    if not python.is_file():
        return (
            f"no environment with the newest Home Assistant at {python}: scripts/setup builds "
            "it (.cache/setup-next.log says why when it could not)"
        )
    found = subprocess.run(
        [str(python), "-c", "from homeassistant.const import __version__; print(__version__)"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if found.returncode != 0:
        return f"{python} cannot import Home Assistant: {found.stderr.strip()[-300:]}"
    return HomeAssistantEnvironment("newest", str(python), found.stdout.strip())
