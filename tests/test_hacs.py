"""What HACS checks before it lists the repository: hacs.json, the README and the licence.

The rules are HACS 2's own validators: hacs.json accepts only the keys below (``name``
required); a README is the information file (HACS 2 no longer reads info.md); the licence
must be one GitHub recognises as open source, which it does only when the text is the
standard one.
"""

import json
from pathlib import Path
import re

ROOT = Path(__file__).parent.parent

# HACS 2's hacs.json schema (extra keys are refused).
HACS_JSON_KEYS = {
    "name",
    "content_in_root",
    "country",
    "filename",
    "hacs",
    "hide_default_branch",
    "homeassistant",
    "persistent_directory",
    "render_readme",
    "zip_release",
}

MIT_BODY = """\
Permission is hereby granted, free of charge, to any person obtaining a copy of this software
and associated documentation files (the "Software"), to deal in the Software without
restriction, including without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def _words(text: str) -> list[str]:
    return text.split()


def test_hacs_json_has_only_keys_hacs_accepts() -> None:
    hacs = json.loads((ROOT / "hacs.json").read_text(encoding="utf-8"))
    assert isinstance(hacs["name"], str)
    assert set(hacs) <= HACS_JSON_KEYS, set(hacs) - HACS_JSON_KEYS
    assert hacs.get("content_in_root", False) is False  # the integration is in custom_components/
    # HACS 2 renders README.md; an info.md would be a second description nothing shows.
    assert (ROOT / "README.md").is_file()
    assert not (ROOT / "info.md").exists()


def test_licence_is_the_standard_mit_text() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    title, _, rest = text.partition("\n")
    assert title == "MIT License"
    assert re.search(r"^Copyright \(c\) \d{4} ASIC Miner contributors$", rest, re.MULTILINE)
    body = rest.split("contributors", 1)[1]
    assert _words(body) == _words(MIT_BODY)
