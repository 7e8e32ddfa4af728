"""Pieces the REST personalities share (VNish, Braiins OS, ePIC): tokens, guards, readers,
the answer to a restart."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import json
import secrets
import string
from typing import TYPE_CHECKING, Any

from aiohttp import web

from simulator.serve_http import drop_connection

if TYPE_CHECKING:
    from simulator.server import MinerSimulator

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_ALPHABET = string.ascii_letters + string.digits


def new_token(length: int) -> str:
    """A session token of letters and digits, as VNish and Braiins OS issue them."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def sent_token(request: web.Request) -> str:
    """The token in ``Authorization``, with or without ``Bearer``."""
    return request.headers.get("Authorization", "").removeprefix("Bearer ").strip()


async def json_body(request: web.Request) -> Any:
    """The request's JSON body, None when it is not JSON."""
    try:
        return json.loads(await request.read())
    except ValueError:
        return None


def guarded(
    authorized: Callable[[web.Request], bool], refuse: Callable[[], web.Response], handler: Handler
) -> Handler:
    """``handler`` behind a check: a request ``authorized`` refuses gets ``refuse()``."""

    async def guard(request: web.Request) -> web.StreamResponse:
        if not authorized(request):
            return refuse()
        return await handler(request)

    return guard


def json_reader(render: Callable[[], Any]) -> Handler:
    """A GET handler answering ``render()`` as JSON."""

    async def read(request: web.Request) -> web.StreamResponse:
        return web.json_response(render())

    return read


def restart_answer(sim: MinerSimulator, request: web.Request, reply: web.Response) -> web.Response:
    """``reply`` to a reboot or a restart already under way, or what ``sim.restart_reply``
    makes of it: the connection dropped unanswered, an empty 200, or a 200 of text."""
    if sim.restart_reply == "drop":
        drop_connection(request)
    if sim.restart_reply == "empty":
        return web.Response(status=200)
    if sim.restart_reply == "text":
        return web.Response(status=200, text="<html><body>Rebooting...</body></html>")
    return reply
