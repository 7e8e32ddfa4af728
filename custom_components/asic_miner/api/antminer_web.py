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

Built on ``http.HTTPClient`` (bounded, one request at a time per miner, errors mapped). Usable
without Home Assistant: it opens its own ``aiohttp.ClientSession`` lazily (or uses one given to
it, which it then never closes).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
import json
from typing import Any, Final

import aiohttp

from .decoding import excerpt
from .errors import APIRefusalError
from .http import HTTPClient
from .limits import Limits

#: Bound on a CGI reply; real ones are a few kB.
MAX_REPLY_BYTES: Final = 1024 * 1024
#: The modern firmware's success markers.
_CONF_OK: Final = "success"
_JSON: Final = {"Content-Type": "application/json"}


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
        connect_timeout: float | None = None,
        session: aiohttp.ClientSession | None = None,
        lock: asyncio.Lock | None = None,
    ) -> None:
        """Nothing is opened until the first request; ``lock`` is the miner's
        one-connection-at-a-time lock, shared with its TCP API."""
        self.username = username
        self._http = HTTPClient(
            host,
            port,
            limits=Limits(
                connect_timeout=timeout if connect_timeout is None else connect_timeout,
                timeout=timeout,
                max_bytes=MAX_REPLY_BYTES,
            ),
            session=session,
            lock=lock,
            # One middleware per client so the nonce it learns is reused (preemptive auth).
            middlewares=(aiohttp.DigestAuthMiddleware(username, password),),
        )

    @property
    def host(self) -> str:
        """The miner's address."""
        return self._http.host

    @property
    def timeout(self) -> float:
        """Seconds one request may take, its reply included."""
        return self._http.limits.timeout

    @timeout.setter
    def timeout(self, value: float) -> None:
        self._http.limits = replace(self._http.limits, timeout=value)

    @property
    def base_url(self) -> str:
        """``http://host:port``; IPv6 literals are bracketed."""
        return self._http.base_url

    async def _request(self, cgi: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """GET (no body) or POST JSON to ``/cgi-bin/<cgi>.cgi``; the decoded JSON object."""
        reply = await self._http.request(
            "GET" if body is None else "POST",
            f"/cgi-bin/{cgi}.cgi",
            data=None if body is None else json.dumps(body),
            headers=None if body is None else _JSON,
        )
        return reply.json_object()

    async def get_system_info(self) -> dict[str, Any]:
        """Identity: ``macaddr``, ``hostname``, ``serinum``, ``minertype``, firmware date."""
        return await self._request("get_system_info")

    async def get_miner_conf(self) -> dict[str, Any]:
        """The miner configuration (pools, ``bitmain-work-mode``, …)."""
        return await self._request("get_miner_conf")

    async def set_miner_conf(self, conf: dict[str, Any]) -> None:
        """Write the whole configuration; ``APIRefusalError`` when the miner refuses it."""
        reply = await self._request("set_miner_conf", conf)
        if str(reply.get("stats", "")).lower() != _CONF_OK:
            detail = reply.get("msg") or excerpt(json.dumps(reply))
            raise APIRefusalError(f"{self.host}: set_miner_conf refused: {detail}")

    async def reboot(self) -> None:
        """Ask the miner to reboot (it goes offline for a minute or two afterwards)."""
        await self._request("reboot")

    async def blink(self, on: bool) -> None:
        """Start or stop blinking the locate LED."""
        await self._request("blink", {"blink": "true" if on else "false"})

    async def close(self) -> None:
        """Close the session if this client opened it (safe to call twice)."""
        await self._http.close()
