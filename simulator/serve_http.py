"""The simulator's faults and request records on an HTTP listener (API port or web port).

``fault_middleware`` goes in front of the application a personality serves (``api_app``,
``web_app``); the faults then look on HTTP as they do on a TCP API:

- offline (REFUSE, REBOOT): the listener is closed; a request on a connection still open is
  dropped;
- SILENT: no answer while the fault lasts (a request still waiting when it clears is answered);
- GARBAGE: a 200 whose body is noise (or the ``body`` given); OVERSIZED: a 200 body that never ends (``limit`` bytes);
- HTTP_401, HTTP_500: that status, worded as the firmware does (``Personality.http_error``),
  for every request (a login too) and not recorded, as GARBAGE;
- TRICKLE, RESET, TRUNCATED: the personality's answer, a byte at a time, cut by a reset, or
  cut short by a close (the announced Content-Length is the whole body's);
- WRONG_PASSWORD: the personality's own authentication, through ``sim.check_password``.

Every request the personality answers (an error status included) is recorded in
``sim.received`` under the name ``Personality.http_record`` gives it, and on the API port also
in ``sim.requests``.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, NoReturn

from aiohttp import hdrs, web
from aiohttp.typedefs import Handler, Middleware
from multidict import CIMultiDict

from .faults import Fault
from .serve_tcp import DEFAULT_OVERSIZED_LIMIT, FILLER, reset

if TYPE_CHECKING:
    from .server import MinerSimulator

_SILENT_POLL = 0.05
_HTTP_STATUS = {Fault.HTTP_401: 401, Fault.HTTP_500: 500}


def fault_middleware(sim: MinerSimulator, *, api: bool) -> Middleware:
    """The middleware of one listener; ``api``: it serves the API port (``sim.requests``)."""

    @web.middleware
    async def faults(request: web.Request, handler: Handler) -> web.StreamResponse:
        if sim.offline:
            drop_connection(request)
        if sim.fault is Fault.SILENT:
            await _stay_silent(sim, request)
        fault = sim.fault
        params = sim.fault_params
        if fault is Fault.GARBAGE:
            return web.Response(body=sim.garbage(), content_type="text/html")
        if fault is Fault.OVERSIZED:
            return await _oversized(request, int(params.get("limit", DEFAULT_OVERSIZED_LIMIT)))
        if fault in _HTTP_STATUS:
            return sim.personality.http_error(_HTTP_STATUS[fault])
        try:
            response = await handler(request)
        except web.HTTPException as err:  # 401, 404, …: an answer too
            _record(sim, request, err, api=api)
            raise
        _record(sim, request, response, api=api)
        if fault in (Fault.TRICKLE, Fault.RESET, Fault.TRUNCATED) and isinstance(
            response, web.Response
        ):
            return await _mangled(request, response, fault, params)
        return response

    return faults


def _record(
    sim: MinerSimulator, request: web.Request, response: web.StreamResponse, *, api: bool
) -> None:
    name = sim.personality.http_record(request, response)
    if name is not None:
        sim.received.append(name)
        if api:
            sim.requests.append(name)


def drop_connection(request: web.Request) -> NoReturn:
    """Drop the connection unanswered (a miner that is down, or restarts at once)."""
    if request.transport is not None:
        request.transport.abort()
    raise web.HTTPServiceUnavailable


async def _stay_silent(sim: MinerSimulator, request: web.Request) -> None:
    """Answer nothing while SILENT; a request still open when the fault clears is answered.

    aiohttp does not cancel handlers when the peer goes away, so waiting forever would stall
    the runner's graceful shutdown: the loop also ends when the client hangs up or the
    simulator stops, and then drops the connection.
    """
    while sim.fault is Fault.SILENT:
        transport = request.transport
        if not sim.running or transport is None or transport.is_closing():
            drop_connection(request)
        await asyncio.sleep(_SILENT_POLL)


async def _oversized(request: web.Request, limit: int) -> web.StreamResponse:
    """A JSON body that never ends, chunked, until ``limit`` bytes or the client gives up."""
    response = web.StreamResponse(headers={hdrs.CONTENT_TYPE: "application/json"})
    try:
        await response.prepare(request)
        await response.write(b'{"data":"')
        sent = 0
        while sent < limit:
            await response.write(FILLER)
            sent += len(FILLER)
    except ConnectionError:
        pass  # the client stopped reading: what a bounded client does
    return response


async def _mangled(
    request: web.Request, response: web.Response, fault: Fault, params: dict[str, Any]
) -> web.StreamResponse:
    """The personality's answer, trickled or cut (by a reset or a close)."""
    body = response.body if isinstance(response.body, bytes) else b""
    headers = CIMultiDict(response.headers)
    headers.popall(hdrs.CONTENT_LENGTH, None)
    headers.popall(hdrs.TRANSFER_ENCODING, None)
    stream = web.StreamResponse(status=response.status, reason=response.reason, headers=headers)
    stream.content_length = len(body)
    try:
        await stream.prepare(request)
        if fault is Fault.TRICKLE:
            interval = float(params.get("interval", 0.05))
            for index in range(len(body)):
                await stream.write(body[index : index + 1])
                await asyncio.sleep(interval)
            return stream
        await stream.write(body[: int(len(body) * float(params.get("fraction", 0.5)))])
    except ConnectionError:
        return stream
    transport = request.transport
    if transport is not None:
        if fault is Fault.RESET:
            reset(transport)
        else:
            transport.close()
    return stream
