"""Client for the stock Antminer web interface (the ``/cgi-bin/*.cgi`` JSON endpoints).

Stock Bitmain firmware exposes no controls over its TCP API; reboot, sleep/normal mode and the
locate LED live behind the web interface, protected by HTTP digest authentication (user
``root``). Digest is done by aiohttp's ``DigestAuthMiddleware``, never by hand.

Endpoints (modern firmware, JSON bodies):

- ``get_system_info.cgi``: ``minertype``, ``macaddr``, ``hostname``, ``serinum``,
  ``system_filesystem_version``, …
- ``get_miner_conf.cgi`` / ``set_miner_conf.cgi``: pools and ``bitmain-*`` settings; the work
  mode is ``miner-mode`` (newer firmware) or ``bitmain-work-mode`` (older): 0 normal, 1 sleep,
  2 high, 3 low power (asic-rs; pyasic, foreman). The firmware replaces the configuration with
  what is posted, so callers post back what they read, modified. It answers only after it has
  written the configuration and started reloading the miner: ~20-30 s on real units (asic-rs
  waits at least 30 s), so that one request is bounded by ``SET_CONF_TIMEOUT``, never the
  client's usual timeout, and a slow answer is not a failure.
- ``get_blink_status.cgi``: ``{"blink": false}`` (older firmware ``{"isBlinking": …}``);
  ``blink.cgi`` with ``{"blink": "true" | "false"}``; ``reboot.cgi`` (its answer, if any, is
  not read: the miner is going down).

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
from .errors import APIRefusalError, accept_dropped
from .http import HTTPClient, HTTPReply
from .limits import Limits
from .mapping import flag

#: Bound on a CGI reply; real ones are a few kB.
MAX_REPLY_BYTES: Final = 1024 * 1024
#: The modern firmware's success markers.
_CONF_OK: Final = "success"
#: Seconds ``set_miner_conf.cgi`` may take: it answers after writing the configuration and
#: starting the reload (~20-30 s seen; asic-rs waits at least 30 s).
SET_CONF_TIMEOUT: Final = 45.0
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

    async def _send(
        self, cgi: str, body: dict[str, Any] | None = None, *, at_least: float = 0.0
    ) -> HTTPReply:
        """GET (no body) or POST JSON to ``/cgi-bin/<cgi>.cgi``; its 200 reply.
        ``at_least``: seconds this request may take even when the client's timeout is shorter."""
        limits = self._http.limits
        if at_least > limits.timeout:
            limits = replace(limits, timeout=at_least)
        return await self._http.request(
            "GET" if body is None else "POST",
            f"/cgi-bin/{cgi}.cgi",
            data=None if body is None else json.dumps(body),
            headers=None if body is None else _JSON,
            limits=limits,
        )

    async def _request(
        self, cgi: str, body: dict[str, Any] | None = None, *, at_least: float = 0.0
    ) -> dict[str, Any]:
        """As ``_send``; the decoded JSON object."""
        return (await self._send(cgi, body, at_least=at_least)).json_object()

    async def get_system_info(self) -> dict[str, Any]:
        """Identity: ``macaddr``, ``hostname``, ``serinum``, ``minertype``, firmware date."""
        return await self._request("get_system_info")

    async def get_miner_conf(self) -> dict[str, Any]:
        """The miner configuration (pools, ``bitmain-work-mode``, …)."""
        return await self._request("get_miner_conf")

    async def set_miner_conf(self, conf: dict[str, Any]) -> None:
        """Write the configuration (``SET_CONF_TIMEOUT`` for the answer); ``APIRefusalError``
        when the miner refuses it."""
        reply = await self._request("set_miner_conf", conf, at_least=SET_CONF_TIMEOUT)
        if str(reply.get("stats", "")).lower() != _CONF_OK:
            detail = reply.get("msg") or excerpt(json.dumps(reply))
            raise APIRefusalError(f"{self.host}: set_miner_conf refused: {detail}")

    async def reboot(self) -> None:
        """Ask the miner to reboot (it goes offline for a minute or two afterwards). It may go
        down before its answer is out: a 200 is accepted whatever its body (JSON on S19-era
        firmware; nothing, a page or a word elsewhere), and so is a connection dropped once
        the request went out (``errors.accept_dropped``)."""
        await accept_dropped(self._send("reboot"))

    async def get_blink_status(self) -> bool | None:
        """Whether the locate LED blinks (``blink``, older firmware ``isBlinking``); None when
        the reply says neither."""
        reply = await self._request("get_blink_status")
        for key in ("blink", "isBlinking"):
            if key in reply:
                return flag(reply[key])
        return None

    async def blink(self, on: bool) -> None:
        """Start or stop blinking the locate LED."""
        await self._request("blink", {"blink": "true" if on else "false"})

    async def close(self) -> None:
        """Close the session if this client opened it (safe to call twice)."""
        await self._http.close()
