"""Secrets kept out of ``Miner.last_replies``.

Firmwares put secrets in plain replies: pool users and workers, which are often wallet
addresses (cgminer's ``pools`` ``User`` on every TCP firmware, Whatsminer API v3's
``account``), pool passwords (Avalon's ``pools``, ePIC ``StratumConfigs``, LuckyMiner
``stratumPassword``), the Wi-Fi password (AxeOS 2.0 ``wifiPass``), and a pool URL may carry
``user:password@``. A client that keeps raw replies for diagnostics keeps only a copy with
those values replaced (``Miner.secret_keys``), so they never reach a log or a diagnostics
download even if a redaction list elsewhere misses a spelling.
"""

from __future__ import annotations

from collections.abc import Collection
import re
from typing import Any, Final

#: What a removed secret reads as (the string Home Assistant's diagnostics use).
REDACTED: Final = "**REDACTED**"
#: Pool logins as the CGMiner-family and Whatsminer replies spell them: users and workers
#: (often wallet addresses), passwords.
POOL_SECRETS: Final = frozenset(
    {"User", "user", "Worker", "worker", "account", "Pass", "pass", "Password", "password"}
)
#: The ``user[:password]@`` of a URL: pools are configured as
#: ``stratum+tcp://wallet.worker:password@pool:3333`` by some owners, and some firmwares show
#: the pool without its scheme (``wallet.worker:password@pool:3333``). Everything before the
#: last ``@`` of the authority goes; the scheme and the pool stay for the maintainer. A match
#: starts only where a word does (the text's start, after white space or a ``/``), so a long
#: reply string costs one pass, not one per character (this runs at every poll).
_URL_CREDENTIALS: Final = re.compile(r"(?<![^\s/])([A-Za-z][A-Za-z0-9+.-]*://)?[^\s/]+@")


def without_url_credentials(text: str) -> str:
    """``text`` with the ``user[:password]@`` of every URL in it replaced."""
    if "@" not in text:
        return text
    return _URL_CREDENTIALS.sub(lambda match: f"{match[1] or ''}{REDACTED}@", text)


def redacted(value: Any, keys: Collection[str]) -> Any:
    """A copy of ``value`` with the value of every ``keys`` entry, at any depth, replaced
    (empty strings and nulls are kept: they show a field is unset without revealing one),
    and the credentials of URLs in strings too."""
    if isinstance(value, dict):
        return {
            key: REDACTED if key in keys and item not in (None, "") else redacted(item, keys)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redacted(item, keys) for item in value]
    if isinstance(value, str):
        return without_url_credentials(value)
    return value
