"""The fault table every fault test shares: how each simulator fault is set up, what the client
raises for it, and the leak checks that follow (tasks left running, file descriptors)."""

from __future__ import annotations

import asyncio
import os
from typing import Any

from custom_components.asic_miner.api import (
    APIAuthError,
    APIConnectionError,
    APIDecodeError,
    APIError,
    APIRefusalError,
)
from simulator import Fault

#: fault -> the parameters the tests set it with.
FAULTS: dict[Fault, dict[str, Any]] = {
    Fault.REFUSE: {},
    Fault.SILENT: {},
    Fault.TRICKLE: {"interval": 0.05},
    Fault.RESET: {"fraction": 0.5},
    Fault.GARBAGE: {"size": 2000},
    Fault.TRUNCATED: {"fraction": 0.5},
    Fault.OVERSIZED: {},
    Fault.REBOOT: {"seconds": 5},
}

#: fault -> what the client raises for it: nothing usable arrived, or something unreadable did.
CLIENT_ERRORS: dict[Fault, type[APIError]] = {
    Fault.REFUSE: APIConnectionError,
    Fault.SILENT: APIConnectionError,
    Fault.TRICKLE: APIConnectionError,
    Fault.RESET: APIConnectionError,
    Fault.GARBAGE: APIDecodeError,
    Fault.TRUNCATED: APIDecodeError,
    Fault.OVERSIZED: APIConnectionError,
    Fault.REBOOT: APIConnectionError,
}


#: Faults only HTTP has (a TCP API ignores them), with the parameters the tests set them with.
HTTP_FAULTS: dict[Fault, dict[str, Any]] = {Fault.HTTP_401: {}, Fault.HTTP_500: {}}

#: fault -> what a client raises for it over HTTP. HTTP frames its replies, so a cut one is a
#: broken exchange; a body past the bound is an unreadable reply (``HTTPClient``'s contract);
#: 401 is a rejected password (a family whose 401 means something else says so), another
#: error status a refusal.
HTTP_CLIENT_ERRORS: dict[Fault, type[APIError]] = {
    **CLIENT_ERRORS,
    Fault.TRUNCATED: APIConnectionError,
    Fault.OVERSIZED: APIDecodeError,
    Fault.HTTP_401: APIAuthError,
    Fault.HTTP_500: APIRefusalError,
}


def open_fds() -> int:
    """Open file descriptors of this process (for leak checks)."""
    return len(os.listdir("/proc/self/fd"))


async def settle_fds(limit: int) -> int:
    """Open fds once the simulator (same process) has noticed the closed connections."""
    for _ in range(40):
        if open_fds() <= limit:
            break
        await asyncio.sleep(0.05)
    return open_fds()


def tasks_running(directory: str) -> list[asyncio.Task[Any]]:
    """Tasks other than the current one still running code from ``directory``."""
    current = asyncio.current_task()
    return [
        task
        for task in asyncio.all_tasks()
        if task is not current
        and (code := getattr(task.get_coro(), "cr_code", None)) is not None
        and code.co_filename.startswith(directory)
    ]
