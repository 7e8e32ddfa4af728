"""AxeOS personalities (Bitaxe boards, the TCH build, LuckyMiner) over real loopback HTTP: the
field set and formatting of each release, controls changing the state, version differences."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import json
from typing import Any, ClassVar

import aiohttp
import pytest

from simulator import PERSONALITIES, MinerSimulator
from simulator.personalities.axeos import (
    WHEN_SET,
    AxeOS,
    BitaxeGamma,
    BitaxeGT,
    Version,
    cjson_print,
    info_keys,
    si_suffix,
    valueint,
    whole_numbers,
)

from .web import call

AXEOS = sorted(
    name
    for name, cls in PERSONALITIES.items()
    if issubclass(cls, AxeOS) and name != "nerdqaxe-plus"
)


class Gamma(BitaxeGamma):
    """A Gamma on another release (a test's own, not in the table)."""

    name: ClassVar[str] = "test-gamma"
    release: ClassVar[Version] = (2, 10, 0)
    version: ClassVar[str] = "v2.10.0"


def on(release: Version) -> type[AxeOS]:
    """A Bitaxe Gamma personality on ``release``."""
    return type(
        f"Gamma{release}", (Gamma,), {"release": release, "version": "v{}.{}.{}".format(*release)}
    )


async def info(sim: MinerSimulator) -> dict[str, Any]:
    reply = await call(sim.web_port, "/api/system/info")
    assert reply.status == 200
    data: dict[str, Any] = reply.json()
    return data


async def patch(sim: MinerSimulator, settings: Any) -> Any:
    body = settings if isinstance(settings, bytes) else json.dumps(settings).encode()
    return await call(
        sim.web_port,
        "/api/system",
        "PATCH",
        data=body,
        headers={"Content-Type": "application/json"},
    )


async def wait_until(condition: Callable[[], bool], seconds: float = 3.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not reached")


async def rebooted(sim: MinerSimulator) -> None:
    """Wait for the miner to go down and come back."""
    await wait_until(lambda: sim.offline)
    await wait_until(lambda: not sim.offline)


# --- pure helpers ----------------------------------------------------------------------------


def test_cjson_print_is_cjson_formatted() -> None:
    data = {"a": 1, "b": [1, 2], "c": [{"m": "x", "n": 2}], "d": {}, "e": [], "f": "é"}
    assert cjson_print(data) == (
        '{\n\t"a":\t1,\n\t"b":\t[1, 2],\n\t"c":\t[{\n\t\t\t"m":\t"x",\n\t\t\t"n":\t2\n\t\t}],'
        '\n\t"d":\t{\n\t},\n\t"e":\t[],\n\t"f":\t"é"\n}'
    )
    assert whole_numbers({"a": [525.0, 48.5, True]}) == {"a": [525, 48.5, True]}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (999, "999"),
        (1500, "1.5k"),
        (13_400_000, "13.4M"),
        (89_600_000, "89.6M"),
        (5_560_000_000, "5.56G"),
        (193_400_000_000, "193G"),
        (2_100_000_000_000, "2.1T"),
        (4_000_000_000_000_000, "4P"),
        (7_000_000_000_000_000_000, "7E"),
    ],
)
def test_si_suffix(value: int, text: str) -> None:
    assert si_suffix(value) == text


def test_valueint_and_release_tables() -> None:
    assert [valueint(v) for v in (True, False, 12.9, "50", None, 2**40)] == [
        1,
        0,
        12,
        0,
        0,
        2**31 - 1,
    ]
    assert "fanSpeed" in info_keys((2, 1, 3))
    assert "fanSpeed" not in info_keys((2, 1, 4))
    assert {"overheat", "fanrpm"} <= info_keys((2, 1, 9))
    assert "overheat" not in info_keys((2, 1, 10))
    assert "asicCount" in info_keys((2, 8, 0))
    assert "asicCount" not in info_keys((2, 9, 0))
    assert "miningPaused" in info_keys((2, 14, 0))
    assert "poolAddrFamily" not in info_keys((2, 13, 0))


# --- what each release says --------------------------------------------------------------------


@pytest.mark.parametrize("name", AXEOS)
async def test_field_set_and_formatting(name: str) -> None:
    """Exactly the release's keys (fork extras included), formatted as the release prints."""
    cls = PERSONALITIES[name]
    assert issubclass(cls, AxeOS)
    async with MinerSimulator(name, jitter=False) as sim:
        assert sim.port is None
        reply = await call(sim.web_port, "/api/system/info")
        assert reply.status == 200
        assert reply.content_type == "application/json"
        assert reply.headers["Access-Control-Allow-Origin"] == "*"
        data = reply.json()
        expected = (info_keys(cls.release) | cls.extra_keys) - cls.missing_keys - WHEN_SET
        assert set(data) == expected
        if cls.release >= (2, 14, 0):
            assert "\n" not in reply.text
        else:
            assert reply.text.startswith('{\n\t"power":\t')
        assert sim.received == ["GET /api/system/info"]
        assert sim.requests == []  # nothing on the API port


async def test_oldest_release_bitaxe_ultra() -> None:
    async with MinerSimulator("bitaxe-ultra", jitter=False) as sim:
        data = await info(sim)
        assert data["version"] == "v2.1.3"
        assert data["boardVersion"] == "0.11"
        assert data["bestDiff"] == "13.4M"  # a string before 2.11
        assert data["fanSpeed"] > 0  # rpm, capital S
        assert data["fanspeed"] == 100  # the configured manual %, not the live duty
        assert "hostname" not in data
        assert "macAddr" not in data
        assert data["hashRate"] == pytest.approx(525 * 894 / 1000)
        assert isinstance(data["frequency"], int)
        # No /api/system/asic before 2.7: the web UI's catch-all redirects.
        asic = await call(sim.web_port, "/api/system/asic")
        assert (asic.status, asic.headers["Location"], asic.text) == (
            302,
            "/",
            "Redirect to the captive portal",
        )
        # Neither identify nor pause: a POST to an unknown URI is refused (ESP-IDF 405).
        for path in ("/api/system/identify", "/api/system/pause"):
            refused = await call(sim.web_port, path, "POST")
            assert refused.status == 405
            assert refused.content_type == "text/html"


async def test_gamma_2_12() -> None:
    async with MinerSimulator("bitaxe-gamma", jitter=False) as sim:
        data = await info(sim)
        assert data["temp2"] == -1  # no second ASIC
        assert data["bestDiff"] == 4_290_000_000  # a number from 2.11
        assert data["expectedHashrate"] == 1071
        assert data["isUsingFallbackStratum"] == 1
        assert data["fallbackStratumURL"] == "solo.example.org"
        assert data["macAddr"] == "02:AE:00:02:12:02"
        assert data["manualFanSpeed"] == 100
        assert data["autofanspeed"] == 1
        assert data["temptarget"] == 60
        assert data["temp"] == pytest.approx(60.0)  # the fan holds the target
        assert "miningPaused" not in data
        asic = (await call(sim.web_port, "/api/system/asic")).json()
        assert asic == {
            "ASICModel": "BM1370",
            "deviceModel": "Gamma",
            "swarmColor": "green",
            "asicCount": 1,
            "defaultFrequency": 525,
            "frequencyOptions": [400, 490, 525, 550, 600, 625],
            "defaultVoltage": 1150,
            "voltageOptions": [1000, 1060, 1100, 1150, 1200, 1250],
        }
        # >= 2.9: an unknown API route, any method, is a JSON 404.
        for method, path in (("GET", "/api/nope"), ("POST", "/api/system/info")):
            missing = await call(sim.web_port, path, method)
            assert missing.status == 404
            assert missing.json() == {"error": "unknown route"}
        pause = await call(sim.web_port, "/api/system/pause", "POST")
        assert pause.status == 404  # pause is 2.14's


async def test_gt_2_15_two_asics_two_fans() -> None:
    async with MinerSimulator("bitaxe-gt", jitter=False) as sim:
        data = await info(sim)
        assert data["miningPaused"] is False
        assert data["temp2"] != -1
        assert data["fan2rpm"] == data["fanrpm"] > 0
        assert data["expectedHashrate"] == 525 * 2040 * 2 / 1000
        assert data["pools"][0]["stratumPassword"] == "*****"
        assert data["fullHostname"] == "bitaxe-f00d.local"
        assert len(data["hashrateMonitor"]["asics"]) == 2
        asic = (await call(sim.web_port, "/api/system/asic")).json()
        assert (asic["deviceModel"], asic["asicCount"], asic["hashDomains"]) == ("GammaTurbo", 2, 4)


async def test_tch_suprahex_and_luckyminer_quirks() -> None:
    async with MinerSimulator("bitaxe-suprahex", jitter=False) as sim:
        data = await info(sim)
        assert data["version"] == "2.7.0-TCH-All-In-One"
        assert json.loads(data["chipSubmitStr"]) == [25700 + 61 * i for i in range(6)]
        assert data["asicCount"] == 6
        assert data["hostname"] == ""
        assert "temptarget" not in data
        assert data["bestDiff"] == "193G"
        asic = (await call(sim.web_port, "/api/system/asic")).json()
        assert set(asic) == {"ASICModel", "frequencyOptions", "voltageOptions"}  # 2.7's shape
        missing = await call(sim.web_port, "/api/nope")
        assert missing.status == 302  # before 2.9, no JSON 404
    async with MinerSimulator("luckyminer-lv07", jitter=False) as sim:
        data = await info(sim)
        assert "voltage" not in data
        assert data["voltagei"] > 12000
        assert (data["minerModel"], data["version"], data["initMiner"]) == (
            "LV07",
            "1.1.0",
            "lucky",
        )
        assert data["stratumPassword"] == "x"
        assert data["hashRate"] == pytest.approx(2 * 575 * 894 / 1000)


# --- controls --------------------------------------------------------------------------------


async def test_readings_follow_the_settings() -> None:
    """Frequency, voltage, fan mode and target temperature move hashrate, power, temperature
    and fan; the settings read back in the next poll."""
    async with MinerSimulator("bitaxe-gamma", jitter=False) as sim:
        before = await info(sim)
        reply = await patch(sim, {"frequency": 600, "coreVoltage": 1200})
        assert (reply.status, reply.body, reply.headers["Transfer-Encoding"]) == (
            200,
            b"",
            "chunked",
        )
        faster = await info(sim)
        assert (faster["frequency"], faster["coreVoltage"]) == (600, 1200)
        assert sim.state.boards[0].frequency == 600
        assert sim.state.boards[0].voltage == 1.2
        assert faster["hashRate"] == pytest.approx(600 * 2040 / 1000)
        assert faster["expectedHashrate"] == 1224
        assert faster["power"] > before["power"]
        assert faster["fanspeed"] > before["fanspeed"]  # more heat, same target: more air
        await patch(sim, {"autofanspeed": 0, "manualFanSpeed": 100})
        assert (sim.state.fan_mode, sim.state.fan_percent) == ("manual", 100)
        manual = await info(sim)
        assert (manual["autofanspeed"], manual["fanspeed"], manual["manualFanSpeed"]) == (
            0,
            100,
            100,
        )
        assert manual["fanrpm"] == BitaxeGamma.max_fan_rpm
        assert manual["temp"] < faster["temp"]
        await patch(sim, {"autofanspeed": 1, "temptarget": 50})
        assert sim.state.target_temperature == 50
        cooler = await info(sim)
        assert cooler["temptarget"] == 50
        assert cooler["fanspeed"] > faster["fanspeed"]
        assert cooler["temp"] < faster["temp"]
        await patch(sim, {"frequency": 512.5, "minFanSpeed": 40, "overclockEnabled": 1})
        tuned = await info(sim)
        assert (tuned["frequency"], tuned["minFanSpeed"], tuned["overclockEnabled"]) == (
            512.5,
            40,
            1,
        )


async def test_validation_2_11_and_later() -> None:
    """A value out of range or of the wrong type: 400 Wrong API input, nothing applied;
    unknown keys (``fanspeed`` on >= 2.11) are ignored."""
    async with MinerSimulator("bitaxe-gamma", jitter=False) as sim:
        for bad in (
            {"frequency": 0, "coreVoltage": 1200},
            {"temptarget": 70},
            {"manualFanSpeed": 101},
            {"autofanspeed": 2},
            {"coreVoltage": "1200"},
            {"frequency": True},
            {"hostname": ""},
            {"autofanspeed": "1"},
        ):
            reply = await patch(sim, bad)
            assert (reply.status, reply.text, reply.content_type) == (
                400,
                "Wrong API input",
                "text/html",
            ), bad
        assert sim.state.boards[0].voltage == 1.15
        ignored = await patch(sim, {"fanspeed": 20, "autofanspeed": 0, "somethingElse": 1})
        assert ignored.status == 200
        assert (sim.state.fan_mode, sim.state.fan_percent) == ("manual", 100)
        invalid = await patch(sim, b"{not json")
        assert (invalid.status, invalid.text) == (400, "Invalid JSON")
        too_long = await patch(sim, b"{" + b" " * 10240 + b"}")
        assert (too_long.status, too_long.text) == (500, "content too long")
        renamed = await patch(sim, {"hostname": "gamma-2"})
        assert (renamed.status, renamed.body) == (200, b"")  # the redirect is 2.15's
        assert sim.state.hostname == "gamma-2"


async def test_hostname_change_redirects_on_2_15() -> None:
    async with MinerSimulator("bitaxe-gt", jitter=False) as sim:
        reply = await patch(sim, {"hostname": "gt-office"})
        assert reply.json()["redirect"]["url"] == "http://gt-office.local"
        assert (await info(sim))["hostname"] == "gt-office"
        same = await patch(sim, {"hostname": "gt-office", "manualFanSpeed": 55})
        assert same.body == b""
        assert sim.state.fan_percent == 55


async def test_legacy_settings_before_2_11() -> None:
    """<= 2.10: ``fanspeed`` is the manual fan key, no range checks (cJSON valueint)."""
    async with MinerSimulator(on((2, 10, 0)), jitter=False) as sim:
        reply = await patch(sim, {"autofanspeed": 0, "fanspeed": 40, "temptarget": 70})
        assert reply.status == 200
        data = await info(sim)
        assert (data["autofanspeed"], data["fanspeed"], data["temptarget"]) == (0, 40, 70)
        assert "manualFanSpeed" not in data
        await patch(sim, {"frequency": 512.5, "coreVoltage": 0, "minFanSpeed": 30})
        assert sim.state.boards[0].frequency == 512.5  # a float from 2.10
        assert sim.state.boards[0].voltage == 1.15  # 0 is not > 0
        assert (await info(sim))["minFanSpeed"] == 30
        assert (await patch(sim, b"[")).status == 400
        await patch(sim, {"hostname": "ten", "overclockEnabled": 1})
        assert (sim.state.hostname, sim.personality.overclock_enabled) == ("ten", 1)  # type: ignore[attr-defined]
    async with MinerSimulator(on((2, 7, 0)), jitter=False) as sim:
        await patch(sim, {"frequency": 550.9})
        assert sim.state.boards[0].frequency == 550  # integers before 2.10


async def test_oldest_release_applies_tuning_at_restart() -> None:
    """2.1: settings are read back at once, the ASIC runs them after a restart; invalid JSON
    is answered 200 and changes nothing; restart drops the connection without a reply."""
    async with MinerSimulator("bitaxe-ultra", jitter=False) as sim:
        sim.reboot_seconds = 0.2
        assert (await patch(sim, b"nonsense")).status == 200
        await patch(sim, {"frequency": 575, "coreVoltage": 1250, "autofanspeed": 0, "fanspeed": 60})
        data = await info(sim)
        assert (data["frequency"], data["coreVoltage"]) == (575, 1250)
        assert data["hashRate"] == pytest.approx(525 * 894 / 1000)  # not yet
        assert (sim.state.fan_mode, data["fanspeed"]) == ("manual", 60)
        with pytest.raises(aiohttp.ClientError):
            await call(sim.web_port, "/api/system/restart", "POST")
        await rebooted(sim)
        after = await info(sim)
        assert after["hashRate"] == pytest.approx(575 * 894 / 1000)
        assert after["coreVoltage"] == 1250
        assert sim.received.count("POST /api/system/restart") == 1


@pytest.mark.parametrize(
    ("name", "content_type", "body"),
    [
        ("bitaxe-suprahex", "text/html", b"System will restart shortly."),
        ("bitaxe-gamma", "text/plain", b"System will restart shortly."),
        ("bitaxe-gt", "application/json", b'{"message":"System will restart shortly."}'),
    ],
)
async def test_restart_reply_per_release(name: str, content_type: str, body: bytes) -> None:
    """The reply, then the miner is offline for a moment and back with its uptime reset."""
    async with MinerSimulator(name, jitter=False) as sim:
        sim.reboot_seconds = 0.2
        sim.state.started_at -= 1000
        reply = await call(sim.web_port, "/api/system/restart", "POST")
        assert (reply.status, reply.content_type, reply.body) == (200, content_type, body)
        await rebooted(sim)
        assert (await info(sim))["uptimeSeconds"] < 100


async def test_identify() -> None:
    """>= 2.12: a toggle of 30 s (``identify_seconds``); text in 2.12, JSON from 2.13."""
    async with MinerSimulator("bitaxe-gamma") as sim:
        reply = await call(sim.web_port, "/api/system/identify", "POST")
        assert (reply.content_type, reply.text) == (
            "text/plain",
            'The device says "Hi!" for 30 seconds.',
        )
        assert sim.state.fault_light
        reply = await call(sim.web_port, "/api/system/identify", "POST")
        assert reply.text == 'The device no longer says "Hi!".'
        assert not sim.state.fault_light
    async with MinerSimulator("bitaxe-gt") as sim:
        sim.personality.identify_seconds = 0.1  # type: ignore[attr-defined]
        for _ in range(3):  # on, off, on: only the last one's timer ends it
            reply = await call(sim.web_port, "/api/system/identify", "POST")
        assert reply.json() == {"message": 'The device says "Hi!" for 30 seconds.'}
        assert sim.state.fault_light
        await wait_until(lambda: not sim.state.fault_light)


async def test_pause_and_resume_2_14() -> None:
    async with MinerSimulator("bitaxe-gt", jitter=False) as sim:
        sim.reboot_seconds = 0.2
        mining = await info(sim)
        reply = await call(sim.web_port, "/api/system/pause", "POST")
        assert reply.json() == {"message": "Mining paused"}
        assert sim.state.paused
        paused = await info(sim)
        assert paused["miningPaused"] is True
        assert paused["hashRate"] == 0
        assert paused["power"] == sim.state.idle_power
        assert paused["temp"] < mining["temp"]
        assert paused["fanspeed"] < mining["fanspeed"]
        reply = await call(sim.web_port, "/api/system/resume", "POST")
        assert reply.json() == {"message": "Mining resumed"}
        assert (await info(sim))["hashRate"] == mining["hashRate"]
        # Not persisted: a restart mines again.
        await call(sim.web_port, "/api/system/pause", "POST")
        await call(sim.web_port, "/api/system/restart", "POST")
        await rebooted(sim)
        assert (await info(sim))["miningPaused"] is False


async def test_errors_show_as_faults() -> None:
    async with MinerSimulator("bitaxe-gt") as sim:
        sim.state.errors = ["Input voltage too low"]
        data = await info(sim)
        assert data["power_fault"] == data["hardware_fault"] == "Input voltage too low"
    async with MinerSimulator("bitaxe-gamma") as sim:
        assert "power_fault" not in await info(sim)
        sim.state.errors = ["Over current"]
        data = await info(sim)
        assert data["power_fault"] == "Over current"
        assert "hardware_fault" not in data  # 2.14's


async def test_deterministic_without_jitter_and_with_a_seed() -> None:
    async def twice(**kwargs: Any) -> list[dict[str, Any]]:
        result = []
        for _ in range(2):
            async with MinerSimulator("bitaxe-gt", **kwargs) as sim:
                result.append(await info(sim))
        return result

    first, second = await twice(jitter=False)
    assert first == second
    first, second = await twice(seed=7)
    assert first == second
    assert first["hashRate"] != BitaxeGT.asic.small_cores * 525 * 2 / 1000  # jitter on
