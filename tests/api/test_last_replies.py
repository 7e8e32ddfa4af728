"""What a client keeps of a poll: ``last_replies`` never holds a secret, not even for the
time of a poll, on HTTP and TCP firmwares alike; a poll whose identity cannot be read again
keeps its readings and the identity known. Simulators over loopback sockets."""

from __future__ import annotations

import json
from typing import Any, ClassVar

import pytest

from custom_components.asic_miner.api import AvalonAPI, LuxOSAPI, MinerIdentity
from custom_components.asic_miner.api.axeos import AxeOSAPI
from custom_components.asic_miner.api.bmminer import BMMinerAPI
from custom_components.asic_miner.api.btminer import BTMinerAPI
from custom_components.asic_miner.api.errors import APIAuthError, APIDecodeError
from custom_components.asic_miner.api.miner import Miner
from custom_components.asic_miner.api.redact import REDACTED, redacted, without_url_credentials
from custom_components.asic_miner.api.whatsminer_v3 import WhatsminerV3API
from simulator import Fault
from simulator.personalities.avalon import Avalon
from simulator.personality import Reply

from .conftest import SimulatorFactory

WALLET = "bc1qsecretwallet.rig7"
URL_PASSWORD = "s3cret-pass"


class Watching(AxeOSAPI):
    """An AxeOS client that records what ``last_replies`` holds while a poll is mapped."""

    seen: list[str]

    def _remember(self, replies: dict[str, Any], identity: MinerIdentity) -> None:
        self.seen.append(json.dumps(self.last_replies))
        super()._remember(replies, identity)


async def test_secrets_never_held_during_a_poll(simulator: SimulatorFactory) -> None:
    """The copy kept is redacted before it is kept: in the middle of a poll too."""
    sim = await simulator("luckyminer-lv07", jitter=False)
    assert sim.web_port is not None
    api = Watching("127.0.0.1", 4028, web_port=sim.web_port, timeout=2.0)
    api.seen = []
    await api.get_data()
    assert api.seen
    for held in [*api.seen, json.dumps(api.last_replies)]:
        assert "bc1qlucky" not in held
        assert REDACTED in held


@pytest.mark.parametrize(
    ("personality", "client"),
    [
        ("avalon", AvalonAPI),
        ("luxos", LuxOSAPI),
        ("whatsminer-m30s", BTMinerAPI),
        ("whatsminer-v3", WhatsminerV3API),
    ],
)
async def test_tcp_pool_logins_not_kept(
    simulator: SimulatorFactory, personality: str, client: type[Miner]
) -> None:
    """Pool users (wallets, worker names), pool passwords and the login in a pool URL never
    reach ``last_replies`` of a TCP firmware; the readings still have the pools."""
    sim = await simulator(personality, jitter=False)
    pool = sim.state.pools[0]
    pool.user = WALLET
    pool.password = URL_PASSWORD
    pool.url = f"stratum+tcp://urluser:{URL_PASSWORD}@pool.example.com:3333"
    assert sim.port is not None
    api = client("127.0.0.1", sim.port, timeout=2.0)
    data = await api.get_data()
    assert any(p.user == WALLET for p in data.pools)  # mapped from the real reply
    kept = json.dumps(api.last_replies)
    assert WALLET not in kept
    assert URL_PASSWORD not in kept
    assert f"//{REDACTED}@pool.example.com" in kept


def test_url_credentials_and_keys() -> None:
    """Keys at any depth; URLs anywhere in a string; empty values kept."""
    value = {
        "POOLS": [{"User": "w.1", "URL": "stratum+tcp://a:b@host:3333", "Pass": ""}],
        "note": "see http://host/path and stratum2+tcp://u@h:1",
    }
    assert redacted(value, {"User", "Pass"}) == {
        "POOLS": [{"User": REDACTED, "URL": f"stratum+tcp://{REDACTED}@host:3333", "Pass": ""}],
        "note": f"see http://host/path and stratum2+tcp://{REDACTED}@h:1",
    }


def test_url_credentials_in_words_only() -> None:
    """A credential starts a word (after white space or a ``/``), with or without a scheme;
    a long unbroken token is read once (each character tried as a start, 200 kB took
    minutes at every poll)."""
    assert without_url_credentials("w.1:pw@pool:3333 x") == f"{REDACTED}@pool:3333 x"
    assert without_url_credentials("a/u@h") == f"a/{REDACTED}@h"
    token = "x" * 200_000
    assert without_url_credentials(f"{token} u@h") == f"{token} {REDACTED}@h"
    assert without_url_credentials(token + "@pool") == f"{REDACTED}@pool"


class FlakyVersion(Avalon):
    """An Avalon whose ``version`` answers garbage while ``broken``."""

    name: ClassVar[str] = "test-avalon-flaky-version"
    broken = False

    def cmd_version(self, parameter: str | None) -> Reply:
        """Noise instead of the VERSION reply while broken."""
        if self.broken:
            return b"\x8f\x90 not json"
        return super().cmd_version(parameter)


async def test_identity_unreadable_after_a_restart(simulator: SimulatorFactory) -> None:
    """A restart is noticed but ``version`` cannot be read: the poll's readings come with
    the identity known (not lost, not wiped), and ``version`` is read again next poll."""
    sim = await simulator(FlakyVersion, jitter=False)  # type: ignore[arg-type]
    sim.state.started_at -= 1000
    personality = sim.personality
    assert isinstance(personality, FlakyVersion)
    assert sim.port is not None
    api = AvalonAPI("127.0.0.1", sim.port, timeout=1.0)
    before = await api.get_data()
    assert before.mac is not None
    known = api.identity

    personality.broken = True
    sim.state.reset_uptime()
    sim.state.firmware = "22010101_new"
    data = await api.get_data()
    assert sim.received.count("version") == 2
    assert data.hashrate is not None
    assert (data.mac, data.model) == (before.mac, before.model)
    assert data.uptime is not None
    assert data.uptime < (before.uptime or 0)
    assert api.identity == known

    # unconfirmed a second time: the readings may be another machine's, so no data
    with pytest.raises(APIDecodeError):
        await api.get_data()
    assert sim.received.count("version") == 3
    assert api.identity == known

    personality.broken = False
    data = await api.get_data()
    assert sim.received.count("version") == 4  # read again at the next poll
    assert data.firmware == "22010101_new"
    await api.get_data()
    assert sim.received.count("version") == 4


async def test_password_refused_after_a_restart_is_raised(simulator: SimulatorFactory) -> None:
    """A stock Antminer whose web password no longer works when its identity is read again
    after a restart (another unit took the address, or the password was changed): the poll
    fails with the refusal (Home Assistant asks for the password), never old readings."""
    sim = await simulator("antminer-s19", jitter=False, password="root", web_port=0)
    sim.state.started_at -= 1000
    assert sim.port is not None
    api = BMMinerAPI("127.0.0.1", sim.port, password="root", web_port=sim.web_port, timeout=2.0)
    await api.get_data()
    await api.get_data()
    sim.set_fault(Fault.WRONG_PASSWORD)
    sim.state.reset_uptime()
    with pytest.raises(APIAuthError):
        await api.get_data()
    await api.close()
