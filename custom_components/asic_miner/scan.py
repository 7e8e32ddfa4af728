"""Finding miners on the local network for the config flow, within safe bounds.

Only the IPv4 subnets of Home Assistant's own enabled network adapters are scanned, each
narrowed to the /24 around the adapter's address (a /16 office network is 65,534 hosts, not
something to sweep from a form), with a bounded number of connections at once and a deadline
for the whole scan. A host is only asked for its firmware once its API port accepted a
connection, so the rest of the network sees one TCP SYN per host.
"""

from __future__ import annotations

import asyncio
import ipaddress
from typing import Final

from homeassistant.components import network
from homeassistant.core import HomeAssistant

from .api import APIError
from .api.detect import detect_api
from .const import DETECT_TIMEOUT, LOGGER
from .miner import FoundMiner

#: The widest block scanned around one adapter address.
WIDEST_PREFIX: Final = 24
CONCURRENCY: Final = 64
CONNECT_TIMEOUT: Final = 0.5
DEADLINE: Final = 30.0


async def async_get_scan_networks(hass: HomeAssistant) -> list[ipaddress.IPv4Network]:
    """The subnets of Home Assistant's enabled adapters, each at most a /24."""
    networks: list[ipaddress.IPv4Network] = []
    for adapter in await network.async_get_adapters(hass):
        if not adapter["enabled"]:
            continue
        for configured in adapter["ipv4"]:
            prefix = max(configured["network_prefix"], WIDEST_PREFIX)
            subnet = ipaddress.IPv4Interface(f"{configured['address']}/{prefix}").network
            if subnet not in networks:
                networks.append(subnet)
    return networks


def scan_hosts(networks: list[ipaddress.IPv4Network]) -> list[str]:
    """Every host address of ``networks`` (a /31 or /32 has no network/broadcast address)."""
    hosts: dict[str, None] = {}
    for subnet in networks:
        members = subnet.hosts() if subnet.prefixlen < 31 else iter(subnet)
        hosts.update((str(host), None) for host in members)
    return list(hosts)


async def _port_open(host: str, port: int, seconds: float) -> bool:
    try:
        async with asyncio.timeout(seconds):
            _, writer = await asyncio.open_connection(host, port)
    except OSError, TimeoutError:
        return False
    writer.close()
    return True


async def async_scan(
    hosts: list[str],
    port: int,
    *,
    concurrency: int = CONCURRENCY,
    connect_timeout: float = CONNECT_TIMEOUT,
    detect_timeout: float = DETECT_TIMEOUT,
    deadline: float = DEADLINE,
) -> list[FoundMiner]:
    """The miners among ``hosts``; whatever was found when the deadline passes."""
    found: list[FoundMiner] = []
    limit = asyncio.Semaphore(concurrency)

    async def probe(host: str) -> None:
        async with limit:
            if not await _port_open(host, port, connect_timeout):
                return
            try:
                api = await detect_api(host, port, timeout=detect_timeout)
                identity = await api.get_identity()
            except APIError as err:
                LOGGER.debug("Port %s open on %s but no miner answered: %s", port, host, err)
                return
            found.append(FoundMiner(host, port, api.family, identity))

    try:
        async with asyncio.timeout(deadline):
            await asyncio.gather(*(probe(host) for host in hosts))
    except TimeoutError:
        LOGGER.debug("Network scan stopped at its %s s deadline", deadline)
    return sorted(found, key=lambda miner: ipaddress.ip_address(miner.host))
