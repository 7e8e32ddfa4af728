"""Controls that restart a REST miner (a reboot, a restart of the mining software) over real
loopback sockets: real firmware may go down before its answer is out, dropping the connection
or answering with nothing. A request that went out and was dropped counts as accepted
(``http.accept_dropped``); one that never went out, or another control dropped, does not."""

from __future__ import annotations

from typing import Literal

from aiohttp import web
import pytest

from custom_components.asic_miner.api import (
    APIConnectionError,
    BraiinsOSAPI,
    EPicAPI,
    HTTPClient,
    Limits,
    Miner,
    VNishAPI,
)
from custom_components.asic_miner.api.errors import RequestDroppedError
from simulator import MinerSimulator
from simulator.personalities.vnish import VNishS19
from simulator.serve_http import drop_connection

from .conftest import SimulatorFactory, closed_port

PASSWORD = "Restart-Secret-pw"
#: personality, client, its restart request, its reboot request (as ``sim.received`` names
#: them).
CASES = [
    ("vnish-s19", VNishAPI, "POST /api/v1/mining/restart", "POST /api/v1/system/reboot"),
    ("braiins-os-s19xp", BraiinsOSAPI, "PUT /api/v1/actions/restart", "PUT /api/v1/actions/reboot"),
    ("epic-s19jpro", EPicAPI, "POST /softreboot", "POST /reboot"),
]


async def started(
    simulator: SimulatorFactory, personality: str | type[VNishS19], cls: type[Miner]
) -> tuple[MinerSimulator, Miner]:
    sim = await simulator(personality, password=PASSWORD, web_port=0, jitter=False)
    sim.reboot_seconds = 0.2
    assert sim.port is not None
    web_port = sim.web_port if sim.web_port is not None else 80
    api = cls("127.0.0.1", sim.port, password=PASSWORD, web_port=web_port, timeout=3.0)
    await api.get_data()
    return sim, api


@pytest.mark.parametrize("reply", ["drop", "empty"])
@pytest.mark.parametrize(
    ("personality", "cls", "restart", "reboot"), CASES, ids=[case[0] for case in CASES]
)
async def test_a_restart_dropped_once_sent_is_accepted(
    simulator: SimulatorFactory,
    personality: str,
    cls: type[Miner],
    restart: str,
    reboot: str,
    reply: Literal["drop", "empty"],
) -> None:
    sim, api = await started(simulator, personality, cls)
    sim.restart_reply = reply
    sim.received.clear()
    await api.restart_backend()
    assert restart in sim.received  # delivered: the miner restarts its mining software
    await api.reboot()
    assert reboot in sim.received
    assert sim.rebooting
    assert api.identity is None  # read again when the miner is back
    await api.close()


class Dropping(VNishS19):
    """Drops the connection of an unlock (while ``unlock_drops``), and of a pause."""

    unlock_drops = True

    async def _unlock(self, request: web.Request) -> web.Response:
        if self.unlock_drops:
            drop_connection(request)
        return await super()._unlock(request)

    async def _mining(self, request: web.Request) -> web.Response:
        if request.match_info["action"] == "pause":
            drop_connection(request)
        return await super()._mining(request)


async def test_only_the_restart_itself_dropped_is_accepted(simulator: SimulatorFactory) -> None:
    """A login dropped before a reboot (the reboot never went out), another control dropped,
    a port that takes no connection: failures, as before."""
    sim = await simulator(Dropping, password=PASSWORD, web_port=0, jitter=False)
    assert sim.port is not None
    assert sim.web_port is not None
    api = VNishAPI("127.0.0.1", sim.port, password=PASSWORD, web_port=sim.web_port)
    with pytest.raises(APIConnectionError) as caught:
        await api.reboot()
    assert not isinstance(caught.value, RequestDroppedError)
    assert "POST /api/v1/system/reboot" not in sim.received
    assert not sim.rebooting
    assert isinstance(sim.personality, Dropping)
    sim.personality.unlock_drops = False
    with pytest.raises(RequestDroppedError):  # not a restart: a failure
        await api.pause_mining()
    assert "POST /api/v1/mining/pause" in sim.received
    await api.close()
    epic = EPicAPI("127.0.0.1", closed_port(), password=PASSWORD)
    with pytest.raises(APIConnectionError):
        await epic.reboot()
    await epic.close()


async def test_dropped_is_told_from_never_connected(simulator: SimulatorFactory) -> None:
    sim = await simulator("epic-s19jpro", jitter=False)
    assert sim.port is not None
    sim.restart_reply = "drop"
    http = HTTPClient("127.0.0.1", sim.port, limits=Limits(timeout=3.0))
    with pytest.raises(RequestDroppedError, match="dropped"):
        await http.request("POST", "/reboot", json={"param": 0, "password": "letmein"})
    await http.close()
    # No connection, or an answer that is no HTTP (cgminer's port): not a drop.
    cgminer = await simulator("antminer-s19", jitter=False)
    assert cgminer.port is not None
    for port in (closed_port(), cgminer.port):
        http = HTTPClient("127.0.0.1", port, limits=Limits(timeout=3.0))
        with pytest.raises(APIConnectionError) as caught:
            await http.request("POST", "/reboot")
        assert not isinstance(caught.value, RequestDroppedError)
        await http.close()
