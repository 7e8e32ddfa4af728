"""A web session handed to the client (Home Assistant's shared one) is used, and never closed."""

import aiohttp

from custom_components.asic_miner.api import BMMinerAPI, detect_api

from .conftest import SimulatorFactory


async def test_given_session_is_used_and_left_open(simulator: SimulatorFactory) -> None:
    sim = await simulator("antminer-s19", password="root", web_port=0)
    requests: list[str] = []

    async def on_request_start(
        session: aiohttp.ClientSession, context: object, params: aiohttp.TraceRequestStartParams
    ) -> None:
        requests.append(params.url.path)

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_request_start)
    async with aiohttp.ClientSession(trace_configs=[trace]) as session:
        api = await detect_api(
            "127.0.0.1", sim.port, password="root", web_port=sim.web_port, web_session=session
        )
        assert isinstance(api, BMMinerAPI)
        assert api.web_session is session
        await api.get_data()
        await api.set_fault_light(True)
        assert sim.state.fault_light
        assert "/cgi-bin/blink.cgi" in requests
        await api.close()
        await api.close()
        assert not session.closed


async def test_given_session_answers_the_digest_challenge_once(
    simulator: SimulatorFactory,
) -> None:
    """With a lasting session each web read is one request: the 401 challenge is met once,
    later requests authenticate preemptively."""
    sim = await simulator("antminer-s19", password="root", web_port=0)
    async with aiohttp.ClientSession() as session:
        api = BMMinerAPI(
            "127.0.0.1", sim.port, password="root", web_port=sim.web_port, web_session=session
        )
        for _ in range(3):
            assert (await api.get_data()).work_mode == "normal"
    # the identity (get_system_info.cgi) and the web readings of the first poll (the mode
    # and LED are read again only when due), one challenge in all
    assert sim.received.count("get_miner_conf.cgi") == 1
    assert sim.received.count("get_blink_status.cgi") == 1
    assert sim.web_challenges == 1
