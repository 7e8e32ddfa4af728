"""Client for the stock Antminer web interface (the ``/cgi-bin/*.cgi`` JSON endpoints).

Stock Bitmain firmware exposes no controls over its TCP API; reboot, sleep/normal mode and the
locate LED live behind the web interface, protected by HTTP digest authentication (user
``root``). Digest is done by aiohttp's ``DigestAuthMiddleware``, never by hand.

Endpoints (modern firmware, JSON bodies):

- ``get_system_info.cgi``: ``minertype``, ``macaddr``, ``hostname``, ``serinum``,
  ``system_filesystem_version``, …
- ``get_miner_conf.cgi`` / ``set_miner_conf.cgi``: pools and ``bitmain-*`` settings;
  ``bitmain-work-mode`` is ``"0"`` normal, ``"1"`` sleep, ``"3"`` low power. The firmware
  replaces the whole configuration, so callers post back what they read, modified.
- ``reboot.cgi``; ``blink.cgi`` with ``{"blink": "true" | "false"}``.

Usable without Home Assistant: it opens its own ``aiohttp.ClientSession`` lazily (or uses one
given to it, which it then never closes).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Final

import aiohttp

from .errors import APIAuthError, APIConnectionError, APIDecodeError, APIError

#: Bound on a CGI reply; real ones are a few kB.
MAX_REPLY_BYTES: Final = 1024 * 1024
#: The modern firmware's success markers.
_CONF_OK: Final = "success"


class AntminerWebClient:
    """The CGI endpoints of one Antminer, with digest auth and bounded waits."""

    def __init__(
        self,
        host: str,
        port: int = 80,
        *,
        username: str = "root",
        password: str,
        timeout: float = 10.0,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        """Nothing is opened until the first request."""
        self.host = host
        self.port = port
        self.username = username
        self.timeout = timeout
        self._password = password
        self._session = session
        self._owns_session = session is None
        # One middleware per client so the nonce it learns is reused (preemptive auth).
        self._auth = aiohttp.DigestAuthMiddleware(username, password)

    @property
    def base_url(self) -> str:
        """``http://host:port``; IPv6 literals are bracketed."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            if not self._owns_session:
                raise APIError("the aiohttp session given to AntminerWebClient is closed")
            self._session = aiohttp.ClientSession()
        return self._session

    async def _request(self, cgi: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """GET (no body) or POST JSON to ``/cgi-bin/<cgi>.cgi``; the decoded JSON object."""
        url = f"{self.base_url}/cgi-bin/{cgi}.cgi"
        method = "GET" if body is None else "POST"
        session = self._get_session()
        try:
            async with (
                asyncio.timeout(self.timeout),
                session.request(
                    method,
                    url,
                    data=None if body is None else json.dumps(body),
                    headers=None if body is None else {"Content-Type": "application/json"},
                    middlewares=(self._auth,),
                    allow_redirects=False,
                ) as response,
            ):
                if response.status == 401:
                    raise APIAuthError(f"{self.host}: the web interface rejected the password")
                if response.status != 200:
                    raise APIError(f"{self.host}: {cgi}.cgi answered HTTP {response.status}")
                raw = await _read_bounded(response)
        except TimeoutError as err:
            raise APIConnectionError(f"{self.host}: {cgi}.cgi timed out") from err
        except (aiohttp.ClientError, OSError) as err:
            raise APIConnectionError(f"{self.host}: {cgi}.cgi failed: {err!r}") from err
        if len(raw) > MAX_REPLY_BYTES:
            raise APIDecodeError(f"{self.host}: {cgi}.cgi reply exceeds {MAX_REPLY_BYTES} bytes")
        return _decode(cgi, raw)

    async def get_system_info(self) -> dict[str, Any]:
        """Identity: ``macaddr``, ``hostname``, ``serinum``, ``minertype``, firmware date."""
        return await self._request("get_system_info")

    async def get_miner_conf(self) -> dict[str, Any]:
        """The miner configuration (pools, ``bitmain-work-mode``, …)."""
        return await self._request("get_miner_conf")

    async def set_miner_conf(self, conf: dict[str, Any]) -> None:
        """Write the whole configuration; raises ``APIError`` when the miner refuses it."""
        reply = await self._request("set_miner_conf", conf)
        if str(reply.get("stats", "")).lower() != _CONF_OK:
            raise APIError(f"{self.host}: set_miner_conf refused: {_excerpt(reply)}")

    async def reboot(self) -> None:
        """Ask the miner to reboot (it goes offline for a minute or two afterwards)."""
        await self._request("reboot")

    async def blink(self, on: bool) -> None:
        """Start or stop blinking the locate LED."""
        await self._request("blink", {"blink": "true" if on else "false"})

    async def close(self) -> None:
        """Close the session if this client opened it."""
        if self._owns_session and self._session is not None:
            await self._session.close()
        self._session = None if self._owns_session else self._session


async def _read_bounded(response: aiohttp.ClientResponse) -> bytes:
    """The body, but never more than one byte past ``MAX_REPLY_BYTES``."""
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_REPLY_BYTES:
        chunk = await response.content.read(MAX_REPLY_BYTES + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _excerpt(value: Any, limit: int = 120) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _decode(cgi: str, raw: bytes) -> dict[str, Any]:
    """JSON object from a CGI body; old firmwares send it as text/plain, hence no ``.json()``."""
    text = raw.decode("utf-8", "replace").strip().rstrip("\x00")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise APIDecodeError(f"{cgi}.cgi reply is not JSON: {_excerpt(text, 60)!r}") from err
    if not isinstance(value, dict):
        raise APIDecodeError(f"{cgi}.cgi reply is not a JSON object: {_excerpt(text, 60)!r}")
    return value
