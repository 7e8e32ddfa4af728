"""The stock Antminer personalities speak the layouts real firmware writes (the S19 Pro of
2022 and the S9 of 2017 in the real captures, a sleeping T17+), on the wire: the cgminer API
and the digest-protected web CGIs."""

from __future__ import annotations

import json
import time
from typing import Any

import aiohttp
import pytest

from simulator import MinerSimulator

from .test_personalities import ask


def _reply(raw: bytes) -> dict[str, Any]:
    text = raw.rstrip(b"\x00").decode().replace("}{", "},{")
    reply: dict[str, Any] = json.loads(text)
    return reply


async def _cgi(sim: MinerSimulator, name: str, body: Any = None) -> dict[str, Any]:
    url = f"http://127.0.0.1:{sim.web_port}/cgi-bin/{name}.cgi"
    auth = aiohttp.DigestAuthMiddleware("root", sim.state.password)
    method = "GET" if body is None else "POST"
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, url, json=body, middlewares=(auth,)) as reply,
    ):
        assert reply.status == 200
        result: dict[str, Any] = json.loads(await reply.text())
    return result


async def test_s19_replies_as_2022_stock_firmware() -> None:
    async with MinerSimulator("antminer-s19", jitter=False) as sim:
        version = json.loads((await ask(sim.port, {"command": "version"})).rstrip(b"\x00"))
        assert version["STATUS"][0]["Description"] == "cgminer 1.0.0"
        assert version["STATUS"][0]["Msg"] == "CGMiner versions"
        assert version["VERSION"][0]["CGMiner"] == "1.0.0"
        assert version["VERSION"][0]["Type"] == "Antminer S19"
        raw = await ask(sim.port, {"command": "stats"})
        stats = json.loads(raw.rstrip(b"\x00"))  # valid JSON on 2022+ firmware
        header, miner = stats["STATS"]
        assert header["CGMiner"] == "1.0.0"
        assert miner["ID"] == "BTM_SOC0"
        assert miner["Mode"] == 2
        assert "total rate" in miner
        assert "total_rate" not in miner
        assert miner["temp_max"] == 0
        assert miner["rate_unit"] == "GH"
        assert miner["miner_id"]
        assert (miner["chain_acn4"], miner["chain_rate4"], miner["chain_acs4"]) == (0, "", "")
        assert miner["temp_pcb4"] == miner["temp_chip4"] == miner["temp_pic4"] == "0-0-0-0"
        assert miner["temp_pcb1"].split("-")[0] == str(miner["temp1"])
        devs = json.loads((await ask(sim.port, {"command": "devs"})).rstrip(b"\x00"))
        assert len(devs["DEVS"]) == 1
        assert devs["DEVS"][0]["Name"] == "BTM_SOC"
        assert devs["DEVS"][0]["Tenperature"] == 0.0
        assert devs["DEVS"][0]["MHS 5s"] == 0.0
        summary = _reply(await ask(sim.port, {"command": "summary"}))["SUMMARY"][0]
        assert "Getwork" in summary
        assert summary["GHS 30m"] == summary["GHS av"]
        pools = _reply(await ask(sim.port, {"command": "pools"}))["POOLS"]
        assert "Pool Stale%%" in pools[0]
        joined = _reply(await ask(sim.port, {"command": "summary+stats"}))
        assert joined["STATUS"][0]["STATUS"] == "E"


async def test_s9_replies_as_2017_bmminer() -> None:
    async with MinerSimulator("antminer-s9", jitter=False) as sim:
        raw = await ask(sim.port, {"command": "stats"})
        assert b"}{" in raw
        reply = _reply(raw)
        assert reply["STATUS"][0]["Description"] == "bmminer 1.0.0"
        header, miner = reply["STATS"]
        assert header["BMMiner"] == "2.0.0"
        assert miner["ID"] == "BC50"
        assert isinstance(miner["GHS 5s"], str)
        assert [chain for chain in range(1, 17) if miner[f"chain_acn{chain}"]] == [6, 7, 8]
        assert all(f"temp3_{chain}" in miner for chain in range(1, 17))
        assert miner["total_rate"] == pytest.approx(13500, rel=0.01)
        assert "Mode" not in miner


async def test_web_read_only_cgis() -> None:
    async with MinerSimulator("antminer-s19", web_port=0, jitter=False) as sim:
        assert await _cgi(sim, "get_blink_status") == {"blink": False}
        sim.state.fault_light = True
        assert await _cgi(sim, "get_blink_status") == {"blink": True}
        network = await _cgi(sim, "get_network_info")
        assert network["macaddr"] == "02:3A:19:00:00:19"
        assert network["conf_hostname"] == "Antminer"
        summary = await _cgi(sim, "summary")
        assert summary["STATUS"]["api_version"] == "1.0.0"
        assert summary["INFO"]["type"] == "Antminer S19"
        assert summary["SUMMARY"][0]["rate_unit"] == "GH/s"
        assert [s["type"] for s in summary["SUMMARY"][0]["status"]] == [
            "rate",
            "network",
            "fans",
            "temp",
        ]
        stats = await _cgi(sim, "stats")
        chains = stats["STATS"][0]["chain"]
        assert [chain["index"] for chain in chains] == [0, 1, 2]
        assert chains[0]["asic_num"] == 76
        assert len(chains[0]["temp_pcb"]) == 4
        assert stats["STATS"][0]["fan"] == [5520, 5580, 5640, 5460]


@pytest.mark.parametrize(("key", "value"), [("miner-mode", 3), ("bitmain-work-mode", "2")])
async def test_set_miner_conf_takes_either_key(key: str, value: object) -> None:
    async with MinerSimulator("antminer-s19", web_port=0, jitter=False) as sim:
        reply = await _cgi(sim, "set_miner_conf", {key: value, "pools": []})
        assert reply["stats"] == "success"
        assert sim.state.work_mode == {3: "low", "2": "high"}[value]  # type: ignore[index]


async def test_set_miner_conf_answers_slowly() -> None:
    async with MinerSimulator("antminer-s19", web_port=0, jitter=False) as sim:
        sim.set_conf_seconds = 0.3  # type: ignore[attr-defined]
        start = time.monotonic()
        await _cgi(sim, "set_miner_conf", {"miner-mode": 1})
        assert time.monotonic() - start >= 0.3
        assert sim.state.paused


async def test_old_generation_set_miner_conf_reads_a_form() -> None:
    """The S9 generation's script: ``_ant_*`` form fields set the pools and it answers ``ok``;
    a JSON body is written out as the first pool's URL (the pools are lost)."""
    async with MinerSimulator("antminer-s9", web_port=0, jitter=False) as sim:
        assert sim.web_port is not None
        url = f"http://127.0.0.1:{sim.web_port}/cgi-bin/set_miner_conf.cgi"
        auth = aiohttp.DigestAuthMiddleware("root", "root")
        form = {"_ant_pool1url": "stratum+tcp://a.example:3333", "_ant_pool1user": "me.1"}
        async with aiohttp.ClientSession(middlewares=(auth,)) as session:
            async with session.get(url.replace("set_", "get_")) as reply:
                conf = json.loads(await reply.text())
            assert not {"miner-mode", "bitmain-pwth", "bitmain-work-mode"} & conf.keys()
            async with session.post(url, data=form) as reply:
                assert (await reply.text()).strip() == "ok"
            assert [(p.url, p.user) for p in sim.state.pools] == [
                ("stratum+tcp://a.example:3333", "me.1")
            ]
            async with session.post(url, data=json.dumps({"miner-mode": 1})) as reply:
                assert reply.status == 200
        assert [(p.url, p.user) for p in sim.state.pools] == [('{"miner-mode":', "")]
        assert not sim.state.paused
