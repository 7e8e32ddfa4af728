"""The README's table of simulated miners is what ``scripts/develop`` starts: every personality,
the ports the fleet gives it, and the password its password form wants."""

from pathlib import Path

from custom_components.asic_miner.miner import PASSWORDS
from simulator import MinerSimulator
from simulator.__main__ import _plan, build_parser
from simulator.personalities import PERSONALITIES

ROOT = Path(__file__).parent.parent
#: The command scripts/develop runs.
DEVELOP_FLEET = ["--fleet", "--port", "4028", "--web-port", "8080"]


def readme_rows() -> list[tuple[str, str, str, str]]:
    """(personality, port, web port, password) of each row, in the README's order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- simulator-fleet")[1].split("<!-- /simulator-fleet")[0]
    rows = []
    for line in table.splitlines()[3:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        _, personality, port, web_port, password = cells
        rows.append((personality.strip("`"), port, web_port, password.strip("`")))
    return rows


def fleet_rows() -> list[tuple[str, str, str, str]]:
    """The same, from the fleet's own plan: nothing is shown for the API port of a miner
    with nothing there (the default does), and a password only where the flow stores one."""
    rows = []
    for name, port, web_port in _plan(build_parser().parse_args(DEVELOP_FLEET)):
        personality = PERSONALITIES[name]
        use = PASSWORDS.get(personality.family)
        # Braiins OS found over its CGMiner API: root's password only serves a REST API.
        password = ""
        if use is not None and (use.checked_by is None or personality.has_web):
            password = MinerSimulator(name, port=0).state.password
        rows.append(
            (
                name,
                "" if personality.api_protocol is None else str(port),
                "" if web_port is None else str(web_port),
                password,
            )
        )
    return rows


def test_readme_lists_the_fleet_scripts_develop_starts() -> None:
    """Regenerate the README's rows from ``scripts/python -m simulator --fleet --port 4028
    --web-port 8080`` when this fails (the expected rows are in the message)."""
    expected = fleet_rows()
    assert readme_rows() == expected, "\n".join(
        f"| … | `{name}` | {port} | {web} | {f'`{pw}`' if pw else ''} |"
        for name, port, web, pw in expected
    )
