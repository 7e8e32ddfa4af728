"""Whatsminer (btminer) with its encrypted privileged API, in the firmware generations real
units answer with.

Firmware, API version and key names belong together, as in the captures of real units:

- ``whatsminer-m30s``: firmware 20210322.22.REL speaking API 1.4.0 (the M3xS capture):
  ``get_version`` says ``api_ver "whatsminer v1.4.0"``, its ``get_*`` replies carry the
  Description ``whatsminer v1.4.0``, ``status`` is ``{"Firmware Version": "'…'",
  "btmineroff": …}`` and the cgminer-style replies say ``cgminer 4.9.2``;
- ``whatsminer-m50s``: firmware of 2023 speaking API 2.0.5: ``status`` with ``mineroff``,
  ``mineroff_reason``, ``mineroff_time``, ``FirmwareVersion``, ``power_mode``,
  ``power_limit_set``, ``hash_percent``; ``get_*`` Descriptions empty; a model with ``_``
  (``M50S_VH30``); its JSON slips (see ``WhatsminerM50S``);
- ``whatsminer-m31s``: firmware 20201202.22.REL (the M31S capture): ``edevs`` and no
  ``devs``, no ``devdetails``, ``get_version``, ``get_miner_info`` nor ``get_error_code``
  (the firmware's version and MAC are in ``summary``), Description ``btminer`` everywhere.

Read commands answer as btminer does: cgminer-style sections for ``summary``/``devs``/
``pools``/``edevs``/``devdetails`` (pools numbered from 1); a bare ``{"STATUS": "S", "Code":
131, "Msg": {…}}`` for the ``get_*`` commands and ``status``, which cannot be joined with ``+``
(the join is refused). ``version`` is not a btminer command. The request key may be ``cmd`` or
``command``.

Privileged commands arrive as ``{"enc": 1, "data": base64(AES-256-ECB(json))}``: the key comes
from the password and the device's fixed salt; the JSON carries ``token``, the signature of a
token handed out by ``get_token`` (valid ``token_lifetime`` seconds). Replies:

- undecryptable request (wrong password, or the WRONG_PASSWORD fault) → code 23 "invalid JSON
  message", unencrypted;
- unknown or expired token → code 135 "check token err";
- write API switched off (``write_enabled = False``) → code 45 "can't access write cmd";
- otherwise the command runs and the reply comes back as ``{"enc": base64(…)}``.

Quirks a test can switch on: API 2.0.4 writes ``get_error_code``'s list as ``["110":"…",
"111":"…"]`` (a dict in list brackets; ``api_version = "2.0.4"``); firmware 20210322 answers
``status`` with ``btmineroff "true"`` while its boards hash (``btmineroff_stuck``); a powered
off btminer may refuse the cgminer-style reads (``refuse_reads_when_off``).
"""

from __future__ import annotations

import json
import re
import secrets
import string
import time
from typing import Any, ClassVar

from custom_components.asic_miner.api.errors import APIDecodeError
from custom_components.asic_miner.api.whatsminer_crypto import (
    decrypt,
    derive_key,
    encrypt,
    sign_token,
)
from simulator.personality import Reply
from simulator.state import BoardState, MinerState, PoolState

from .cgminer import CGMinerPersonality

_SALT_ALPHABET = string.ascii_letters + string.digits
_OK = "API command OK"
#: cgminer-style reads served by the btminer process itself.
_READS = frozenset({"summary", "devs", "edevs", "pools", "devdetails"})
#: Whatsminer work modes <-> MinerState.work_mode
POWER_MODES = {"low": "Low", "normal": "Normal", "high": "High"}


def _random_salt(length: int = 8) -> str:
    return "".join(secrets.choice(_SALT_ALPHABET) for _ in range(length))


class WhatsminerM30S(CGMinerPersonality):
    """MicroBT Whatsminer M30S, firmware 20210322.22.REL speaking API 1.4.0."""

    name: ClassVar[str] = "whatsminer-m30s"
    family: ClassVar[str] = "btminer"
    #: The Description of the cgminer-style replies (summary, devs, pools).
    description: ClassVar[str] = "cgminer 4.9.2"
    device_kind: ClassVar[str] = "ASC"
    driver: ClassVar[str] = "SM"
    #: ``get_version``'s ``api_ver``, as the firmware writes it; "whatsminer v1.x" is API 1.x.
    api_version: ClassVar[str] = "whatsminer v1.4.0"
    firmware_version: ClassVar[str] = "20210322.22.REL"
    #: ``devdetails`` ``Model``: the model and the hash board variant.
    variant: ClassVar[str] = "{model}.VG20"
    #: Commands this firmware does not have ("invalid cmd").
    missing: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """A fixed per-device salt, as the firmware has; no tokens issued yet."""
        super().__init__(*args, **kwargs)
        self.salt = _random_salt()
        #: token signature -> monotonic time it was issued
        self.tokens: dict[str, float] = {}
        self.token_lifetime = 30 * 60.0
        self.write_enabled = True
        self.reboot_seconds = 1.0
        #: error code -> "YYYY-MM-DD HH:MM:SS" it was raised (``get_error_code``)
        self.error_codes: dict[str, str] = {}
        #: Whether, while powered off, btminer refuses the cgminer-style reads (and joins).
        self.refuse_reads_when_off = False
        #: API 1.4.0's ``btmineroff "true"`` while the boards hash (seen on a real unit).
        self.btmineroff_stuck = False

    @property
    def api_1(self) -> bool:
        """API 1.x (``btmineroff``, ``Firmware Version``) rather than 2.x."""
        return self.api_version.startswith("whatsminer v1")

    @classmethod
    def initial_state(cls) -> MinerState:
        """Three 29 TH/s boards, intake/exhaust fans, 3400 W, factory password ``admin``."""
        return MinerState(
            make="Whatsminer",
            model="M30S",
            firmware=cls.firmware_version,
            mac="C4:08:28:00:30:01",
            hostname="WhatsMiner",
            serial="HTM30S2021ZYX0001",
            password="admin",
            nominal_power=3400.0,
            power_limit=3600,
            work_mode="normal",
            boards=[
                BoardState(hashrate=29.3, temperature=68.0, chip_temperature=79.0, chips=156)
                for _ in range(3)
            ],
            fans=[5400, 5300],
            pools=[
                PoolState(
                    url="stratum+tcp://btc.f2pool.com:3333",
                    user="whatsminer.001",
                    active=True,
                    accepted=3000,
                    rejected=4,
                ),
                PoolState(url="stratum+tcp://btc.viabtc.com:3333", user="wm.001", priority=1),
            ],
        )

    # --- request handling --------------------------------------------------------------------

    def handle_request(self, payload: dict[str, Any]) -> Reply:
        """Encrypted privileged requests, ``cmd`` as an alias of ``command``, no ``get_*`` joins."""
        if payload.get("enc") is not None:
            return self.handle_encrypted(payload.get("data"))
        command = payload.get("command", payload.get("cmd"))
        if isinstance(command, str) and "+" in command:
            parts = command.split("+")
            if any(part.startswith("get_") or part == "status" for part in parts) or (
                self._reads_refused() and set(parts) & _READS
            ):
                self.sim.received.append(command)
                return self.error(14, "invalid cmd")
        return super().handle_request({**payload, "command": command})

    def _reads_refused(self) -> bool:
        return self.refuse_reads_when_off and self.state.paused

    def handle(self, command: str, parameter: str | None) -> Reply:
        """Commands the firmware lacks, and (so configured) reads while powered off, are
        refused."""
        if command in self.missing or (command in _READS and self._reads_refused()):
            return self.error(14, "invalid cmd")
        return super().handle(command, parameter)

    def error(self, code: int, msg: str) -> dict[str, Any]:
        """btminer's flat error object."""
        return {
            "STATUS": "E",
            "When": int(time.time()),
            "Code": code,
            "Msg": msg,
            "Description": "",
        }

    def message(self, msg: Any, code: int = 131) -> dict[str, Any]:
        """btminer's flat success object (``get_*``, ``status``, privileged replies); API 1.x
        names itself in the Description."""
        return {
            "STATUS": "S",
            "When": int(time.time()),
            "Code": code,
            "Msg": msg,
            "Description": self.api_version if self.api_1 else "",
        }

    def _key(self) -> bytes:
        password = self.state.password
        if not self.sim.check_password(password):
            password += "\x00changed"  # WRONG_PASSWORD: the miner's password is not ours
        return derive_key(password, self.salt)[1]

    def _token_valid(self, sign: Any) -> bool:
        now = time.monotonic()
        self.tokens = {
            token: issued
            for token, issued in self.tokens.items()
            if now - issued < self.token_lifetime
        }
        return isinstance(sign, str) and sign in self.tokens

    def handle_encrypted(self, data: Any) -> Reply:
        """Decrypt, check the token, run the privileged command, encrypt the reply."""
        if not self.write_enabled:
            self.sim.received.append("enc")
            return self.error(45, "can't access write cmd")
        key = self._key()
        try:
            request = json.loads(decrypt(key, data if isinstance(data, str) else ""))
        except APIDecodeError, json.JSONDecodeError:
            request = None
        if not isinstance(request, dict) or not isinstance(request.get("cmd"), str):
            self.sim.received.append("enc")
            return self.error(23, "invalid JSON message")
        command = request["cmd"]
        self.sim.received.append(command)
        if not self._token_valid(request.get("token")):
            return self.error(135, "check token err")
        method = getattr(self, f"priv_{command}", None) if command.isidentifier() else None
        reply = self.error(14, "invalid cmd") if method is None else method(request)
        if isinstance(reply, bytes):  # nothing to encrypt: the empty answer to a restart
            return reply
        return {"enc": encrypt(key, json.dumps(reply))}

    # --- read-only commands ------------------------------------------------------------------

    def summary_fields(self) -> dict[str, Any]:
        """btminer's SUMMARY: cgminer totals plus power, fans, mode, MAC, firmware and error
        codes (the keys of the M3xS and M31S captures)."""
        state = self.state
        fields = super().summary_fields()
        mhs = fields["MHS 1m"]
        chip_temps = [state.chip_temperature(board) for board in state.boards]
        fields.update(
            {
                "HS RT": mhs,
                "Temperature": max(
                    (state.board_temperature(board) for board in state.boards), default=0.0
                ),
                "freq_avg": 610,
                "Fan Speed In": state.fan_rpm(0),
                "Fan Speed Out": state.fan_rpm(1),
                "Voltage": 1330,
                "Power": round(state.current_power()),
                "Power_RT": round(state.current_power()),
                "Power Current": 261,
                "Power Fanspeed": 6896,
                "Uptime": state.uptime() + 600,
                "Error Code Count": len(self.error_codes),
                "Factory Error Code Count": 0,
                "Security Mode": 0,
                "Liquid Cooling": False,
                "Hash Stable": True,
                "Hash Stable Cost Seconds": 1538,
                "Hash Deviation%": 0.1061,
                "Target Freq": 610,
                "Target MHS": round(state.nominal_hashrate * 1_000_000, 2),
                "Env Temp": 28.0,
                "Power Mode": POWER_MODES.get(state.work_mode or "normal", "Normal"),
                "Firmware Version": f"'{state.firmware}'",
                "CB Platform": "ALLWINNER_H6OS",
                "CB Version": "V10",
                "MAC": state.mac.upper(),
                "Factory GHS": round(state.nominal_hashrate * 1000),
                "Power Limit": state.power_limit,
                "Chip Temp Min": min(chip_temps, default=0.0) - 8,
                "Chip Temp Max": max(chip_temps, default=0.0),
                "Chip Temp Avg": max(chip_temps, default=0.0) - 4,
                "Btminer Fast Boot": "disable",
                "Upfreq Complete": 1,
            }
        )
        for index, code in enumerate(self.error_codes):
            fields[f"Error Code {index}"] = int(code)
            fields[f"Error {index} Time"] = ""
        return fields

    def dev_fields(self, index: int, board: BoardState) -> dict[str, Any]:
        """btminer's DEVS entry: slot, chip temperatures, effective chips, board serial."""
        fields = super().dev_fields(index, board)
        chip = self.state.chip_temperature(board)
        fields.update(
            {
                "Slot": index,
                "Chip Frequency": 610,
                "Fan Speed In": self.state.fan_rpm(0),
                "Fan Speed Out": self.state.fan_rpm(1),
                "HS RT": fields["MHS 1m"],
                "Upfreq Complete": 1,
                "Effective Chips": board.chips if board.alive else 0,
                "PCB SN": f"BCM30S{index:04d}",
                "Chip Temp Min": chip - 8,
                "Chip Temp Max": chip,
                "Chip Temp Avg": chip - 4,
                "chip_vol_diff": 6,
            }
        )
        return fields

    def pool_fields(self, index: int, pool: PoolState) -> dict[str, Any]:
        """btminer numbers its pools from 1."""
        return {**super().pool_fields(index, pool), "POOL": index + 1}

    def cmd_edevs(self, parameter: str | None) -> Reply:
        """``edevs``: the enabled devices (all of them here)."""
        return self.cmd_devs(parameter)

    def cmd_devdetails(self, parameter: str | None) -> Reply:
        """``devdetails`` with the ``bitmicro`` driver and the board model."""
        items = [
            {
                "DEVDETAILS": index,
                "Name": self.driver,
                "ID": index,
                "Driver": "bitmicro",
                "Kernel": "",
                "Model": self.variant.format(model=self.state.model),
            }
            for index, _ in enumerate(self.state.boards)
        ]
        return self.ok(69, "Device Details", "DEVDETAILS", items)

    def cmd_version(self, parameter: str | None) -> Reply:
        """btminer has no ``version`` command (``get_version`` instead)."""
        return self.error(14, "invalid cmd")

    def cmd_get_version(self, parameter: str | None) -> Reply:
        """API and firmware versions (API 2.x adds the control board platform)."""
        versions = {"api_ver": self.api_version, "fw_ver": self.state.firmware}
        if not self.api_1:
            versions["platform"] = "H616"
        return self.message(versions)

    def cmd_get_psu(self, parameter: str | None) -> Reply:
        """Power supply facts (strings, as the firmware writes them)."""
        psu = {
            "hw_version": "",
            "model": "P21-12-3600-E",
            "name": "P21",
            "sw_version": "102220.009",
        }
        if not self.api_1:
            psu.update({"fan_speed": "6896", "iin": "8718", "vin": "22400"})
        return self.message(psu)

    def cmd_get_miner_info(self, parameter: str | None) -> Reply:
        """Network identity and LED state."""
        return self.message(
            {
                "ip": "127.0.0.1",
                "proto": "dhcp",
                "netmask": "255.0.0.0",
                "dns": "127.0.0.53",
                "mac": self.state.mac.upper(),
                "ledstat": "manual" if self.state.fault_light else "auto",
                "gateway": "127.0.0.1",
                "hostname": self.state.hostname,
                "minersn": self.state.serial,
            }
        )

    def cmd_status(self, parameter: str | None) -> Reply:
        """Whether btminer is powered off (``power_off``): API 1.x ``btmineroff`` with the
        quoted ``Firmware Version``; API 2.x ``mineroff`` and its companions."""
        state = self.state
        off = "true" if state.paused or self.btmineroff_stuck else "false"
        if self.api_1:
            return self.message({"Firmware Version": f"'{state.firmware}'", "btmineroff": off})
        return self.message(
            {
                "mineroff": "true" if state.paused else "false",
                "mineroff_reason": "power off by api" if state.paused else "",
                "mineroff_time": "",
                "FirmwareVersion": state.firmware,
                "power_mode": state.work_mode or "normal",
                "power_limit_set": str(state.power_limit or ""),
                "hash_percent": "0",
            }
        )

    def cmd_get_error_code(self, parameter: str | None) -> Reply:
        """Active error codes; API 2.0.4 writes the list as a dict in list brackets."""
        if self.api_version == "2.0.4":
            items = ",".join(
                f"{json.dumps(code)}:{json.dumps(when)}" for code, when in self.error_codes.items()
            )
            head = json.dumps(self.message({"error_code": []}))
            return head.replace('"error_code": []', f'"error_code":[{items}]').encode()
        return self.message(
            {"error_code": [{code: when} for code, when in self.error_codes.items()]}
        )

    def cmd_get_token(self, parameter: str | None) -> Reply:
        """A new token: ``time`` (4 digits), the device ``salt`` and a fresh ``newsalt``."""
        stamp = str(int(time.time()))[-4:]
        newsalt = _random_salt()
        pwd_hash, _ = derive_key(self.state.password, self.salt)
        self.tokens[sign_token(pwd_hash, stamp, newsalt)] = time.monotonic()
        return self.message({"time": stamp, "salt": self.salt, "newsalt": newsalt}, code=134)

    # --- privileged commands (after decryption and token check) ------------------------------

    def priv_reboot(self, request: dict[str, Any]) -> Reply:
        """Reboot: answer (as ``sim.restart_reply`` says), then go offline for
        ``reboot_seconds``."""
        self.sim.reboot(self.reboot_seconds)
        return self.restart_reply(self.message(_OK))

    def priv_restart_btminer(self, request: dict[str, Any]) -> Reply:
        """Restart the mining software (its uptime starts again); answered as
        ``sim.restart_reply`` says."""
        self.state.reset_uptime()
        return self.restart_reply(self.message(_OK))

    def priv_power_off(self, request: dict[str, Any]) -> dict[str, Any]:
        """Stop hashing; the API keeps answering."""
        self.state.paused = True
        return self.message(_OK)

    def priv_power_on(self, request: dict[str, Any]) -> dict[str, Any]:
        """Resume hashing."""
        self.state.paused = False
        return self.message(_OK)

    def priv_adjust_power_limit(self, request: dict[str, Any]) -> dict[str, Any]:
        """Cap the power draw (watts as a string, 0 < limit <= 99999)."""
        try:
            watts = int(str(request.get("power_limit")))
        except ValueError:
            return self.error(132, "invalid power_limit")
        if not 0 < watts <= 99999:
            return self.error(132, "invalid power_limit")
        self.state.power_limit = watts
        return self.message(_OK)

    def priv_set_led(self, request: dict[str, Any]) -> dict[str, Any]:
        """``param: auto`` gives the LED back to the firmware; a colour/period makes it blink."""
        self.state.fault_light = request.get("param") != "auto"
        return self.message(_OK)

    def _set_mode(self, mode: str) -> dict[str, Any]:
        self.state.work_mode = mode
        return self.message(_OK)

    def priv_set_low_power(self, request: dict[str, Any]) -> dict[str, Any]:
        """Low power mode."""
        return self._set_mode("low")

    def priv_set_normal_power(self, request: dict[str, Any]) -> dict[str, Any]:
        """Normal power mode."""
        return self._set_mode("normal")

    def priv_set_high_power(self, request: dict[str, Any]) -> dict[str, Any]:
        """High power mode."""
        return self._set_mode("high")


class WhatsminerM50S(WhatsminerM30S):
    """Whatsminer M50S, firmware of January 2023 (API 2.0.5) and its JSON slips.

    ``devs`` writes ``"Chip Data":"…""temp0":…`` (no comma between a string value and the
    next key) and ``summary`` carries a raw newline inside ``Firmware Version``; both also
    inside joined replies. ``get_error_code`` is a proper list on this API version.
    """

    name: ClassVar[str] = "whatsminer-m50s"
    api_version: ClassVar[str] = "2.0.5"
    firmware_version: ClassVar[str] = "20230110.22.REL"
    variant: ClassVar[str] = "{model}_VH30"

    @classmethod
    def initial_state(cls) -> MinerState:
        """Three 42 TH/s boards, 3276 W."""
        state = super().initial_state()
        state.model = "M50S"
        state.mac = "C4:08:28:00:50:01"
        state.serial = "HTM50S2023ZYX0001"
        state.nominal_power = 3276.0
        state.power_limit = 3500
        for board in state.boards:
            board.hashrate = 42.0
            board.chips = 129
        return state

    def dev_fields(self, index: int, board: BoardState) -> dict[str, Any]:
        """The 2023 DEVS entry with its per-chip summary and sensor temperatures."""
        fields = super().dev_fields(index, board)
        fields["Chip Data"] = f"K7-{index}-a"
        temperature = self.state.board_temperature(board)
        fields.update({f"temp{sensor}": temperature - sensor for sensor in range(4)})
        return fields

    def cmd_devs(self, parameter: str | None) -> Reply:
        """Valid JSON, then the firmware's missing comma before ``temp0``."""
        reply = super().cmd_devs(parameter)
        assert isinstance(reply, dict)
        text = json.dumps(reply, separators=(",", ":"))
        return re.sub(r'("Chip Data":"[^"]*"),("temp0")', r"\1\2", text).encode()

    def summary_fields(self) -> dict[str, Any]:
        """``Firmware Version`` with the raw newline this firmware writes after it."""
        fields = super().summary_fields()
        fields["Firmware Version"] = f"'{self.state.firmware}'\n"
        return fields

    def cmd_summary(self, parameter: str | None) -> Reply:
        """The newline in ``Firmware Version`` is written raw, not escaped."""
        reply = super().cmd_summary(parameter)
        assert isinstance(reply, dict)
        return json.dumps(reply, separators=(",", ":")).replace("'\\n\"", "'\n\"").encode()


class WhatsminerM31S(WhatsminerM30S):
    """Whatsminer M31S on firmware 20201202.22.REL: ``edevs`` and no ``devs``.

    As the M31S capture: every reply says ``btminer``; ``summary`` names the firmware and the
    MAC and carries the supply's input voltage and current, the environment temperature and
    the factory's own error codes beside the current ones; no ``devdetails``,
    ``get_version``, ``get_miner_info`` nor ``get_error_code`` (so nothing names the model).
    ``status`` writes ``btmineroff`` (API 1.3).
    """

    name: ClassVar[str] = "whatsminer-m31s"
    description: ClassVar[str] = "btminer"
    api_version: ClassVar[str] = "whatsminer v1.3"
    firmware_version: ClassVar[str] = "20201202.22.REL"
    missing: ClassVar[frozenset[str]] = frozenset(
        {"devs", "devdetails", "get_version", "get_miner_info", "get_error_code"}
    )

    @classmethod
    def initial_state(cls) -> MinerState:
        """Three 25.5 TH/s boards of 105 chips, 3550 W, in high power mode."""
        state = super().initial_state()
        state.model = "M31S"
        state.mac = "C6:06:12:00:2D:63"
        state.serial = None
        state.nominal_power = 3550.0
        state.work_mode = "high"
        for board in state.boards:
            board.hashrate = 25.5
            board.chips = 105
        return state

    def summary_fields(self) -> dict[str, Any]:
        """The 2020 summary: supply input, power rate, factory error codes, debug line."""
        fields = super().summary_fields()
        for key in ("Btminer Fast Boot", "Upfreq Complete", "Hash Deviation%"):
            fields.pop(key, None)
        hashrate = self.state.current_hashrate()
        power = fields["Power"]
        fields.update(
            {
                "Power Rate": round(power / hashrate, 2) if hashrate else 0,
                "Power Voltage Input": 229.5,
                "Power Current Input": round(power / 229.5, 2),
                "Factory Error Code Count": 1,
                "Factory Error Code 0": 208,
                "Debug": "76.5/77.9T_46.4W_100.3/98.5_-3",
            }
        )
        return fields

    def dev_fields(self, index: int, board: BoardState) -> dict[str, Any]:
        """The 2020 edevs entry: its chip data and no ``HS RT``."""
        fields = super().dev_fields(index, board)
        fields.pop("HS RT", None)
        fields["Chip Data"] = "HPJA05-20070601 BINV02-193005F"
        return fields
