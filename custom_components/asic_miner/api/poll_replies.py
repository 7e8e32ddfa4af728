"""What one poll of an HTTP firmware shares: ``PollReplies`` (the identity read and the poll
beside it share one request) and ``web_poll`` (one web session for the poll, secrets kept out
of ``last_replies``).

One ``Miner.get_data`` can need the same reply twice: the identity is read just before the
first poll, and read again right after a poll that shows a restart or another machine. On an
HTTP firmware both come from the request the poll makes anyway (AxeOS ``/api/system/info``,
ePIC ``/summary``); asking a fragile web server twice within one poll tells nothing new. A
client clears the replies when a poll starts and after a control, so nothing read in one poll
stands in for the next.

``web_poll`` runs one ``Miner.get_data`` of an HTTP firmware (AxeOS, ePIC, VNish, Braiins OS's
REST API) on one web session (Home Assistant's, or one of the client's own closed at its end);
``Miner.get_data`` keeps the raw replies for diagnostics without their secrets
(``Miner.secret_keys``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from .http import MinerHTTP
    from .miner import Miner
    from .models import MinerData


class PollReplies:
    """The replies read so far in the current poll, by name."""

    def __init__(self) -> None:
        """Nothing read yet."""
        self._replies: dict[str, Any] = {}

    async def read[T](self, name: str, fetch: Callable[[], Awaitable[T]]) -> T:
        """``name``'s reply if this poll has read it, else ``fetch()``'s (kept)."""
        if name in self._replies:
            return cast("T", self._replies[name])
        value = await fetch()
        self._replies[name] = value
        return value

    def clear(self) -> None:
        """Forget every reply (a new poll starts, or a control changed the miner)."""
        self._replies.clear()


async def web_poll(
    miner: Miner,
    web: MinerHTTP,
    poll: Callable[[], Awaitable[MinerData]],
    *,
    replies: PollReplies | None = None,
) -> MinerData:
    """``poll()`` (the ``Miner.get_data`` of ``miner``) with its requests on one session of
    ``web``, after forgetting the ``replies`` of the last poll."""
    if replies is not None:
        replies.clear()
    async with web.open(miner.limits):
        return await poll()
