"""Home Assistant with a fleet of config entries: setup, one refresh round, memory per miner.

A real ``hass`` from the test harness (``async_test_home_assistant``), used outside pytest;
the miners are simulators in another process, so the CPU figures are Home Assistant's and
the client's only.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import time
import tracemalloc
from typing import Any

from homeassistant import loader
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_test_home_assistant

from custom_components.asic_miner.const import CONF_FAMILY, CONF_WEB_PORT, DOMAIN
from simulator import PERSONALITIES

from .fleet import FLEET_PERSONALITIES
from .machine import percentile, process_cpu_seconds, rss_bytes
from .simhost import PASSWORD, SimHost


async def run(*, quick: bool) -> dict[str, Any]:
    """Set up ``miners`` entries, then time refresh rounds of all their coordinators."""
    miners, rounds = (10, 2) if quick else (100, 10)
    with SimHost(FLEET_PERSONALITIES, miners) as host:
        async with async_test_home_assistant() as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)  # load ours from custom_components/
            entries = [
                MockConfigEntry(
                    domain=DOMAIN,
                    title=f"{name} {port}",
                    unique_id=f"host:127.0.0.1:{port}",
                    data={
                        CONF_HOST: "127.0.0.1",
                        CONF_PORT: port,
                        CONF_WEB_PORT: web_port,
                        CONF_PASSWORD: PASSWORD,
                        CONF_FAMILY: PERSONALITIES[name].family,
                    },
                )
                for name, port, web_port in host.miners
            ]
            # Load the integration and its platforms once, so the figures are per miner.
            entries[0].add_to_hass(hass)
            await hass.config_entries.async_setup(entries[0].entry_id)
            await hass.async_block_till_done()
            gc.collect()
            rss_before = rss_bytes()
            tracemalloc.start()
            traced_before = tracemalloc.get_traced_memory()[0]
            start = time.perf_counter()
            for entry in entries[1:]:
                entry.add_to_hass(hass)
            await asyncio.gather(
                *(hass.config_entries.async_setup(entry.entry_id) for entry in entries[1:])
            )
            await hass.async_block_till_done()
            setup_s = time.perf_counter() - start
            gc.collect()
            traced_per_miner = (tracemalloc.get_traced_memory()[0] - traced_before) / (miners - 1)
            tracemalloc.stop()
            rss_per_miner = (rss_bytes() - rss_before) / (miners - 1)
            loaded = sum(entry.state is ConfigEntryState.LOADED for entry in entries)
            entity_count = len(hass.states.async_entity_ids())

            coordinators = [entry.runtime_data for entry in entries if entry.runtime_data]
            walls: list[float] = []
            cpus: list[float] = []
            sim_cpu = process_cpu_seconds(host.pid)
            for _ in range(rounds):
                cpu = time.process_time()
                start = time.perf_counter()
                await asyncio.gather(*(c.async_refresh() for c in coordinators))
                await hass.async_block_till_done()
                walls.append(time.perf_counter() - start)
                cpus.append(time.process_time() - cpu)
            sim_cpu = process_cpu_seconds(host.pid) - sim_cpu
            failed = sum(not c.last_update_success for c in coordinators)
            for entry in entries:
                await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_block_till_done()
            await hass.async_stop(force=True)
    return {
        "miners": miners,
        "entries_loaded": loaded,
        "entities": entity_count,
        "setup_s": round(setup_s, 2),
        "refresh_rounds": rounds,
        "round_p50_s": round(statistics.median(walls), 3),
        "round_max_s": round(max(walls), 3),
        "round_p90_s": round(percentile(walls, 0.9), 3),
        "cpu_s_per_round": round(statistics.median(cpus), 3),
        "cpu_ms_per_miner_per_round": round(statistics.median(cpus) / miners * 1000, 2),
        "simulator_cpu_s_per_round": round(sim_cpu / rounds, 3),
        "failed_refreshes_last_round": failed,
        "memory_per_miner_kib": {
            "traced_python": round(traced_per_miner / 1024, 1),
            "rss": round(rss_per_miner / 1024, 1),
        },
    }
