"""Finding miners for the config flow, within safe bounds.

What is scanned is what the user confirms in the form: by default the IPv4 subnets of Home
Assistant's own enabled network adapters, each narrowed to the /24 around the adapter's address
(a /16 office network is 65,534 hosts, not something to sweep from a form); or networks,
ranges and addresses the user types (a farm on another VLAN). Each entry is at most the size of
a /24 (``MAX_RANGE_HOSTS``) and all together at most ``MAX_SCAN_HOSTS`` addresses, asked
``CONCURRENCY`` at a time within one ``DEADLINE``. A host is only asked for its firmware once
its API port or its web port accepted a connection, so the rest of the network sees one or two
TCP SYNs per host. Miners with only a web interface (AxeOS: Bitaxe, NerdQAxe, LuckyMiner) are
found through the web port: detection asks it one ``GET /api/system/info`` first (and the
other web firmwares' probe after it, one request at a time), so a printer or router with a web
page costs a request or two and is no miner.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
import ipaddress
import re
from typing import Final

import aiohttp
from homeassistant.components import network
from homeassistant.core import HomeAssistant

from .api import APIError
from .api.detect import detect_api
from .const import DEFAULT_WEB_PORT, DETECT_TIMEOUT, LOGGER
from .miner import FoundMiner, password_unused

#: The widest block scanned around one adapter address.
WIDEST_PREFIX: Final = 24
#: The most addresses one typed entry may cover (a /24's 256), and all entries together.
MAX_RANGE_HOSTS: Final = 256
MAX_SCAN_HOSTS: Final = 1024
CONCURRENCY: Final = 64
CONNECT_TIMEOUT: Final = 0.5
DEADLINE: Final = 30.0

_SEPARATORS = re.compile(r"[\s,;]+")


class ScanRangeError(ValueError):
    """A typed entry that cannot be scanned; ``key`` is the form error, ``entry`` the entry."""

    def __init__(self, key: str, entry: str) -> None:
        """Keep the error key and the offending entry for the form."""
        super().__init__(f"{key}: {entry}")
        self.key = key
        self.entry = entry


@dataclass(frozen=True, slots=True)
class ScanRange:
    """Consecutive IPv4 host addresses, and how the user wrote them."""

    text: str
    first: ipaddress.IPv4Address
    last: ipaddress.IPv4Address

    def __len__(self) -> int:
        """How many addresses."""
        return int(self.last) - int(self.first) + 1

    def hosts(self) -> Iterator[str]:
        """Each address, in order."""
        for value in range(int(self.first), int(self.last) + 1):
            yield str(ipaddress.IPv4Address(value))

    @classmethod
    def of_network(cls, subnet: ipaddress.IPv4Network) -> ScanRange:
        """The host addresses of ``subnet`` (a /31 or /32 has no network/broadcast address)."""
        if subnet.prefixlen >= 31:
            return cls(str(subnet), subnet.network_address, subnet.broadcast_address)
        return cls(str(subnet), subnet.network_address + 1, subnet.broadcast_address - 1)


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


def _address(text: str, entry: str) -> ipaddress.IPv4Address:
    try:
        address = ipaddress.IPv4Address(text)
    except ValueError:
        raise ScanRangeError("scan_invalid", entry) from None
    if address.is_multicast or address.is_unspecified or address.is_reserved:
        raise ScanRangeError("scan_invalid", entry)
    return address


def _parse_entry(entry: str) -> ScanRange:
    """One network (``192.168.10.0/24``), range (``10.0.0.10-10.0.0.50`` or ``10.0.0.10-50``)
    or address (``127.0.0.1``)."""
    if "/" in entry:
        try:
            subnet = ipaddress.IPv4Network(entry, strict=False)
        except ValueError:
            raise ScanRangeError("scan_invalid", entry) from None
        _address(str(subnet.network_address), entry)
        if subnet.num_addresses > MAX_RANGE_HOSTS:
            raise ScanRangeError("scan_range_too_large", entry)
        return ScanRange.of_network(subnet)
    start, dash, end = entry.partition("-")
    first = _address(start, entry)
    if not dash:
        return ScanRange(entry, first, first)
    if end.isdigit() and "." not in end:  # 10.0.0.10-50: the last part of the first address
        end = f"{start.rsplit('.', 1)[0]}.{end}"
    last = _address(end, entry)
    if last < first:
        raise ScanRangeError("scan_invalid", entry)
    if int(last) - int(first) + 1 > MAX_RANGE_HOSTS:
        raise ScanRangeError("scan_range_too_large", entry)
    return ScanRange(entry, first, last)


def parse_scan_ranges(text: str) -> list[ScanRange]:
    """The entries of ``text`` (separated by commas, semicolons or spaces), within the bounds;
    raises ``ScanRangeError``."""
    entries = [entry for entry in _SEPARATORS.split(text.strip()) if entry]
    if not entries:
        raise ScanRangeError("scan_empty", "")
    ranges = [_parse_entry(entry) for entry in entries]
    if sum(len(scan_range) for scan_range in ranges) > MAX_SCAN_HOSTS:
        raise ScanRangeError("scan_too_many", text.strip())
    return ranges


def scan_hosts(ranges: list[ScanRange]) -> list[str]:
    """Every address of ``ranges``, each once, in the order given."""
    hosts: dict[str, None] = {}
    for scan_range in ranges:
        hosts.update((host, None) for host in scan_range.hosts())
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
    web_port: int = DEFAULT_WEB_PORT,
    *,
    concurrency: int = CONCURRENCY,
    connect_timeout: float = CONNECT_TIMEOUT,
    detect_timeout: float = DETECT_TIMEOUT,
    deadline: float = DEADLINE,
    web_session: aiohttp.ClientSession | None = None,
) -> list[FoundMiner]:
    """The miners among ``hosts`` (API ``port``, web ``web_port``); whatever was found when the
    deadline passes. ``web_session`` is Home Assistant's shared HTTP session: without it, each
    probe of a web firmware would open a session of its own."""
    found: list[FoundMiner] = []
    limit = asyncio.Semaphore(concurrency)

    async def probe(host: str) -> None:
        async with limit:
            if not (
                await _port_open(host, port, connect_timeout)
                or await _port_open(host, web_port, connect_timeout)
            ):
                return
            try:
                api = await detect_api(
                    host, port, timeout=detect_timeout, web_port=web_port, web_session=web_session
                )
                try:
                    identity = await api.get_identity()
                finally:
                    await api.close()
            except APIError as err:
                LOGGER.debug(
                    "%s answers on port %s or %s, but no miner: %s", host, port, web_port, err
                )
                return
            except Exception:  # noqa: BLE001  # one host never ends the whole scan
                # A reply the client could not handle is that host's problem: the other
                # hosts' probes go on, and the scan shows what they found.
                LOGGER.exception("Unexpected error while asking %s for its firmware", host)
                return
            found.append(
                FoundMiner(host, api.port, api.family, identity, web_port, password_unused(api))
            )

    try:
        async with asyncio.timeout(deadline):
            await asyncio.gather(*(probe(host) for host in hosts))
    except TimeoutError:
        LOGGER.debug("Network scan stopped at its %s s deadline", deadline)
    return sorted(found, key=lambda miner: ipaddress.ip_address(miner.host))
