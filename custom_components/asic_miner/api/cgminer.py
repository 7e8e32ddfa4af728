"""Stock cgminer (API 3.x) and the forks read like it; the family the other cgminer-derived
firmwares extend.

The generic reading (this class, ``UnknownAPI``, ``VNishAPI``, ``BMMinerAPI``; the families
with a mapping of their own override it) plans each poll by the layout the miner showed on its
first one (``CGMinerAPI.layout``; Antminer firmwares declare theirs, ``known_layout``):

- unknown yet: ``summary+devs+pools+stats`` in one request;
- ``antminer``: ``stats`` holds the Antminer chain data (stock Antminer, VNish, Hiveon, clones
  such as Hammer or VolcMiner): ``stats`` alone each poll (``GHS 5s``, ``Elapsed``, chains,
  fans, ideal hashrate; ``antminer_stats``), ``summary`` and ``pools`` rarely (``rare``);
- ``cgminer``: ``summary+devs`` each poll (total, uptime, one board per ASC/PGA entry, StrongU's
  ``Fan1``/``Fan2``), ``pools`` rarely.

What is asked rarely (pool URLs and users, the summary's share counters and best share) is
read on the first poll, after a restart, and every ``refresh.REFRESH_SECONDS``; between those
reads the last replies are used again (``refresh``), so a steady poll is one request even on
firmware that cannot join commands. A command the miner refuses is left out, never the poll:
``summary`` missing → the hashrate and uptime from ``stats``; ``version`` refused or empty
(VNish 1.3) → the identity from the ``stats`` header, and what neither says stays None (read
again after the next refresh).

Families with their own mapping (Avalon, Braiins OS, LuxOS, Goldshell, Whatsminer) implement
their own identity, poll and mapping.
"""

from __future__ import annotations

from dataclasses import replace
import time
from typing import Any, ClassVar, Final

from .antminer_stats import (
    FanMemory,
    StatsHeader,
    has_chains,
    map_antminer,
    miner_stats,
    remember_fans,
    split_type,
    stats_header,
)
from .base import BaseMinerAPI, Command
from .decoding import as_int
from .errors import APIDecodeError, APIRefusalError
from .mapping import (
    build_data,
    dev_boards,
    first,
    map_pools,
    summary_counters,
    summary_fans,
    summary_of,
    text,
    total_hashrate,
    unwrap,
)
from .models import MinerData, MinerIdentity
from .refresh import REFRESHED, Refresh

#: Layouts the generic reading knows (``CGMinerAPI.layout``).
ANTMINER: Final = "antminer"
CGMINER: Final = "cgminer"
#: What a steady poll asks, per layout, and what it asks rarely.
_STEADY: Final = {ANTMINER: ("stats",), CGMINER: ("summary", "devs")}
_RARE: Final = {ANTMINER: ("summary", "pools"), CGMINER: ("pools",)}
#: What the first poll (layout unknown) asks besides ``poll_commands``' steady part: the rare
#: commands of every layout (already among ``poll_commands``), recorded as read.
_FIRST_RARE: Final = ("summary", "pools")
#: The keys naming the mining software in ``version``, in the order they are looked for.
_SOFTWARE: Final = ("CGMiner", "BMMiner", "BFGMiner", "SGMiner", "LUXminer", "BOSminer")


def uptime_of(replies: dict[str, Any]) -> int | None:
    """The mining software's uptime in one poll's replies (``stats``, else ``summary``)."""
    uptime = as_int(miner_stats(unwrap(replies, "stats")).get("Elapsed"))
    return uptime if uptime is not None else as_int(summary_of(replies).get("Elapsed"))


class CGMinerAPI(BaseMinerAPI):
    """Stock cgminer and generic forks; the base of the cgminer-derived families."""

    family = "cgminer"
    #: Every command of a poll whose layout is not known yet (and of families with their own
    #: mapping, each poll).
    poll_commands: ClassVar[tuple[str, ...]] = ("summary", "devs", "pools", "stats")
    #: The layout the family always has (Antminer firmwares), else learned at the first poll.
    known_layout: ClassVar[str | None] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """As ``BaseMinerAPI``; nothing is sent yet."""
        super().__init__(*args, **kwargs)
        #: Learned from the first poll: ``ANTMINER``, ``CGMINER`` or None (not known yet).
        self.layout: str | None = self.known_layout
        #: The rarely asked replies and when to read them again.
        self.refresh = Refresh()
        #: The fan slots of this miner that have spun (kept between polls, see _remember).
        self.fan_memory = FanMemory()
        #: The last identity read failed as a whole: read it again at the next poll.
        self._identity_unread = False

    # --- commands (cgminer API-README) -------------------------------------------------------

    version = Command("Miner software and API versions.")
    config = Command("Device counts, strategy, OS.")
    summary = Command("Totals: hashrate, shares, uptime.")
    pools = Command("Configured pools and their share counts.")
    devs = Command("Per-device (hash board) status.")
    devdetails = Command("Per-device driver and model.")
    stats = Command("Driver statistics (where most firmwares put fans and temperatures).")
    coin = Command("Coin and network difficulty.")

    # --- identity ----------------------------------------------------------------------------

    async def _fetch_identity(self) -> MinerIdentity:
        replies = await self._identity_replies()
        self._identity_unread = not replies
        version = first(unwrap(replies, "version"), "VERSION")
        identity = self._identity_from_version(version)
        header = stats_header(unwrap(replies, "stats"))
        if identity.model is None and header.model is not None:
            identity = replace(identity, make=identity.make or header.make, model=header.model)
        return self._complete_identity(identity, version, header)

    async def _identity_replies(self) -> dict[str, Any]:
        """``version`` and ``stats`` (for its header and ``miner_id``): joined where the miner
        joins, else one after another, each allowed to fail alone (refused, or answered with
        nothing as VNish 1.3 answers ``version``)."""
        try:
            return await self.multicommand("version", "stats")
        except APIRefusalError, APIDecodeError:
            pass
        replies: dict[str, Any] = {}
        for command in ("version", "stats"):
            try:
                replies[command] = [await self.send_command(command)]
            except APIRefusalError, APIDecodeError:
                continue
        return replies

    def _identity_from_version(self, version: dict[str, Any]) -> MinerIdentity:
        firmware = next((text(version[key]) for key in _SOFTWARE if key in version), None)
        make, model, _ = split_type(version.get("Type") or version.get("PROD"))
        if model is None:
            model = text(version.get("Model"))
        return MinerIdentity(make=self.make or make, model=model, firmware=firmware)

    def _complete_identity(
        self, identity: MinerIdentity, version: dict[str, Any], header: StatsHeader
    ) -> MinerIdentity:
        """What the ``stats`` header adds: the firmware when ``version`` named none, the
        firmware's own ``miner_id``."""
        firmware = identity.firmware
        if firmware is None and header.software is not None:
            firmware = header.software[1]
        return replace(identity, firmware=firmware, miner_id=header.miner_id)

    def _identity_incomplete(self, data: MinerData) -> bool:
        """Neither ``version`` nor ``stats`` answered: read them again after each refresh."""
        return self._identity_unread and self.refresh.just_read

    # --- polling -----------------------------------------------------------------------------

    def _plan(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(asked each poll, asked rarely) for the layout learned so far; before it is known,
        everything (its rare part recorded as read)."""
        if self.layout is None:
            return self.poll_commands, _FIRST_RARE
        return _STEADY[self.layout], _RARE[self.layout]

    async def _poll(self) -> dict[str, Any]:
        steady, rare = self._plan()
        asked = list(rare) if self.refresh.wanted(time.monotonic()) else []
        try:
            replies = await self.multicommand(*steady, *asked)
        except APIRefusalError:
            if self.layout is None:
                raise
            # The layout's own command refused (a firmware update?): ask everything again.
            replies = await self.multicommand(*self.poll_commands)
            asked = [command for command in rare if command in self.poll_commands]
        replies[REFRESHED] = asked
        return replies

    def _remember(self, replies: dict[str, Any], identity: MinerIdentity) -> None:
        """The layout (from the first ``stats`` the miner answered, or its refusal), the rare
        replies read in this poll (``refresh``), and the fan slots spinning."""
        stats = unwrap(replies, "stats")
        if self.known_layout is not None:
            self.layout = self.known_layout
        elif stats is not None:
            self.layout = ANTMINER if has_chains(miner_stats(stats)) else CGMINER
        elif self.layout is None:
            self.layout = CGMINER
        self.refresh = self.refresh.after(replies, uptime=uptime_of(replies), now=time.monotonic())
        self.fan_memory = remember_fans(self.fan_memory, stats, identity)

    def _map(self, replies: dict[str, Any], identity: MinerIdentity) -> MinerData:
        polled, replies = replies, self.refresh.merged(replies)
        if has_chains(miner_stats(unwrap(replies, "stats"))):
            return map_antminer(
                replies, identity, self.fan_memory, polled=polled, **self._extra(replies)
            )
        summary = summary_of(replies)
        boards = dev_boards(unwrap(replies, "devs"))
        pools = map_pools(unwrap(replies, "pools"))
        uptime = as_int(summary.get("Elapsed"))
        fields: dict[str, Any] = {
            **summary_counters(summary, pools),
            **self._extra(replies),
        }
        return build_data(
            identity,
            hashrate=total_hashrate(summary, boards, uptime=uptime),
            boards=boards,
            fans=summary_fans(summary),
            pools=pools,
            uptime=uptime,
            **fields,
        )

    def _extra(self, replies: dict[str, Any]) -> dict[str, Any]:
        """What a generic family reads besides (``build_data`` fields); nothing here."""
        return {}
