"""``PollReplies``: the identity read and the poll beside it share one request.

One ``Miner.get_data`` can need the same reply twice: the identity is read just before the
first poll, and read again right after a poll that shows a restart or another machine. On an
HTTP firmware both come from the request the poll makes anyway (AxeOS ``/api/system/info``,
ePIC ``/summary``); asking a fragile web server twice within one poll tells nothing new. A
client clears the replies when a poll starts and after a control, so nothing read in one poll
stands in for the next.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, cast


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
