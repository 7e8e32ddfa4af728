"""One HTTP request to a simulated miner over loopback, with a plain aiohttp client."""

from __future__ import annotations

from dataclasses import dataclass
import json
from typing import Any

import aiohttp
from multidict import CIMultiDictProxy


@dataclass
class Reply:
    """Status, headers and the raw body of one answered request."""

    status: int
    headers: CIMultiDictProxy[str]
    body: bytes

    def json(self) -> Any:
        """The body decoded as JSON."""
        return json.loads(self.body)

    @property
    def text(self) -> str:
        """The body as text."""
        return self.body.decode()

    @property
    def content_type(self) -> str:
        """The Content-Type without parameters."""
        return self.headers.get("Content-Type", "").split(";")[0]


async def call(
    port: int | None,
    path: str,
    method: str = "GET",
    *,
    timeout: float = 3.0,
    **kwargs: Any,
) -> Reply:
    """One request on a fresh connection; redirects are not followed."""
    assert port is not None
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session,
        session.request(
            method, f"http://127.0.0.1:{port}{path}", allow_redirects=False, **kwargs
        ) as response,
    ):
        return Reply(response.status, response.headers, await response.read())
