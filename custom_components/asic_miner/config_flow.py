"""Config flow: one entry per miner, keyed by the strongest identity it shows (``miner.py``)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any, Final, override

from homeassistant.config_entries import (
    SOURCE_DHCP,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_SCAN_INTERVAL
from homeassistant.core import callback
from homeassistant.data_entry_flow import AbortFlow, section
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.device_registry import format_mac
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
import probatio

from .api import APIAuthError, APIError, APIRefusalError
from .const import (
    CONF_ADVANCED,
    CONF_FAMILY,
    CONF_MINER,
    CONF_NETWORKS,
    CONF_REMOVE_PASSWORD,
    CONF_WEB_PORT,
    DEFAULT_PORT,
    DEFAULT_SCAN_INTERVAL,
    DEFAULT_WEB_PORT,
    DOMAIN,
    LOGGER,
    MAX_SCAN_INTERVAL,
    MIN_SCAN_INTERVAL,
)
from .coordinator import AsicMinerConfigEntry, AsicMinerCoordinator
from .miner import (
    PASSWORDS,
    UNKNOWN_FAMILY,
    FoundMiner,
    PasswordUse,
    address_taken,
    async_detect,
    async_rekey,
    describe_miner,
    entry_data,
    firmware_name,
    generated_unique_id,
    host_error,
    identity_kind,
    miner_title,
    miner_unique_id,
    model_name,
    parse_miner_form,
    pick_label,
    shown_identity,
)
from .scan import (
    DEADLINE,
    MAX_RANGE_HOSTS,
    MAX_SCAN_HOSTS,
    ScanRangeError,
    async_get_scan_networks,
    async_scan,
    parse_scan_ranges,
    scan_hosts,
)

#: A miner asks for its address as it boots, before its API listens: a discovered address is
#: probed this many times, this many seconds apart, before the flow gives up.
DHCP_ATTEMPTS: Final = 3
DHCP_RETRY_SECONDS: Final = 10.0
#: Where a discovered miner is asked: the factory ports (a miner moved to other ports is
#: followed by its MAC, without asking).
DHCP_PORT: Final = DEFAULT_PORT
DHCP_WEB_PORT: Final = DEFAULT_WEB_PORT

_PORT_SELECTOR = NumberSelector(
    NumberSelectorConfig(min=1, max=65535, step=1, mode=NumberSelectorMode.BOX)
)
_PASSWORD_SELECTOR = TextSelector(
    TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="current-password")
)


def _miner_schema(
    advanced_collapsed: bool, *, with_password: bool = True, stored_password: bool = False
) -> probatio.Schema:
    """Address, password and ports; with a stored password, a box to remove it."""
    fields: dict[Any, Any] = {probatio.Required(CONF_HOST): TextSelector()}
    if with_password:
        fields[probatio.Optional(CONF_PASSWORD)] = _PASSWORD_SELECTOR
    if stored_password:
        fields[probatio.Optional(CONF_REMOVE_PASSWORD, default=False)] = BooleanSelector()
    fields[probatio.Required(CONF_ADVANCED)] = section(
        probatio.Schema(
            {
                probatio.Required(CONF_PORT, default=DEFAULT_PORT): _PORT_SELECTOR,
                probatio.Required(CONF_WEB_PORT, default=DEFAULT_WEB_PORT): _PORT_SELECTOR,
            }
        ),
        {"collapsed": advanced_collapsed},
    )
    return probatio.Schema(fields)


def _without_password(user_input: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """What was typed, to show again, without the password: a secret never goes back to the
    browser."""
    if user_input is None:
        return None
    return {key: value for key, value in user_input.items() if key != CONF_PASSWORD}


class AsicMinerConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a miner by address, from a scan or from DHCP discovery; reauthenticate and
    reconfigure it later.

    Adding is detection first, without a password: a family whose controls need one
    (``miner.PASSWORDS``) is then asked for it on a form that names the miner, its factory
    password and what an empty field means; a miner that shows no identity is added only once
    the owner confirms what that means (``no_identity``); a discovered one once the owner
    confirms it (``discovery_confirm``, or its password form).
    """

    VERSION = 1
    #: 2: no entry is keyed by its address (``async_migrate_entry``).
    MINOR_VERSION = 2

    def __init__(self) -> None:
        """Nothing found yet."""
        self._scanned: dict[str, FoundMiner] = {}
        #: The network scan while it runs, what was typed for it, and whether it found nothing.
        self._scan_task: asyncio.Task[list[FoundMiner]] | None = None
        self._scan_input: dict[str, Any] | None = None
        self._scan_text = ""
        self._scan_found_nothing = False
        self._found: FoundMiner | None = None
        self._password: str | None = None
        #: The MAC DHCP discovery saw: the identity of a miner whose firmware shows none.
        self._dhcp_mac: str | None = None
        #: The last refusal a miner answered with, quoted by the "refused" error.
        self._refusal = ""

    @staticmethod
    @callback
    @override
    def async_get_options_flow(config_entry: AsicMinerConfigEntry) -> OptionsFlow:
        """Options: the polling interval."""
        return AsicMinerOptionsFlow()

    async def _async_try(
        self, host: str, port: int, password: str | None, web_port: int, errors: dict[str, str]
    ) -> FoundMiner | None:
        """Detect, filling ``errors`` instead of raising."""
        if error := host_error(host):
            errors[CONF_HOST] = error
            return None
        try:
            return await async_detect(self.hass, host, port, password, web_port)
        except APIAuthError:
            errors["base"] = "invalid_auth"
        except APIRefusalError as err:
            # The miner answered and said no (AxeOS refusing a public address, say): its own
            # words tell the owner more than "failed to connect".
            LOGGER.debug("The miner at %s:%s refused: %s", host, port, err)
            errors["base"] = "refused"
            self._refusal = str(err)
        except APIError as err:
            LOGGER.debug("Cannot reach a miner at %s:%s: %s", host, port, err)
            errors["base"] = "cannot_connect"
        except Exception:  # noqa: BLE001  # a config flow must never crash on a bad reply
            LOGGER.exception("Unexpected error while detecting the miner at %s:%s", host, port)
            errors["base"] = "unknown"
        return None

    def _error_placeholders(self) -> dict[str, str]:
        """What an error text quotes (the miner's refusal)."""
        return {"error": self._refusal}

    def _address_shared(self, host: str, entry_id: str | None = None) -> bool:
        """Whether another entry reaches its miner at ``host`` (on another port)."""
        return any(
            entry.data.get(CONF_HOST) == host
            for entry in self._async_current_entries(include_ignore=False)
            if entry.entry_id != entry_id
        )

    @override
    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Type the address, or look for miners on the network."""
        return self.async_show_menu(step_id="user", menu_options=["manual", "scan"])

    async def async_step_manual(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the address alone (ports under Advanced); the miner is detected before
        anything else is asked."""
        errors: dict[str, str] = {}
        if user_input is not None:
            host, port, _, web_port = parse_miner_form(user_input)
            if (found := await self._async_try(host, port, None, web_port, errors)) is not None:
                return await self._async_found(found)
        return self.async_show_form(
            step_id="manual",
            data_schema=self.add_suggested_values_to_schema(
                _miner_schema(advanced_collapsed=True, with_password=False), user_input
            ),
            description_placeholders=self._error_placeholders(),
            errors=errors,
        )

    async def async_step_dhcp(self, discovery_info: DhcpServiceInfo) -> ConfigFlowResult:
        """A miner asked for an address (its host name matched, or its MAC is a device of
        ours): a known one follows to its new address silently; a new one is proposed.

        The MAC is checked before anything is sent: a known miner costs no request. A new
        address is probed (detection, no password) a few times, as a miner asks for its
        address while it boots, before its API listens.
        """
        mac = format_mac(discovery_info.macaddress)
        host = discovery_info.ip
        await self.async_set_unique_id(mac)
        self._abort_if_configured_at(host)
        self._abort_if_device_known(mac, host)
        found = await self._async_discover(host)
        unique_id = miner_unique_id(found.identity) or mac
        if unique_id != mac:
            await self.async_set_unique_id(unique_id)
            self._abort_if_configured_at(host)
        entries = self._async_current_entries(include_ignore=False)
        if (known := address_taken(entries, found)) is not None and (
            identity_kind(str(known.unique_id)) is None
        ):
            # The entry that polls this address showed no identity: now it has one.
            async_rekey(self.hass, known, unique_id)
            raise AbortFlow("already_configured", {"name": known.title})
        self._dhcp_mac = mac
        self.context["title_placeholders"] = {"name": miner_title(found)}
        return await self._async_found(found)

    def _abort_if_configured_at(self, host: str) -> None:
        """The entry with this flow's unique id follows its miner to ``host``, and the flow
        ends naming it (``already_configured`` says which miner)."""
        known = self.hass.config_entries.async_entry_for_domain_unique_id(
            DOMAIN, str(self.unique_id)
        )
        self._abort_if_unique_id_configured(
            updates={CONF_HOST: host},
            description_placeholders={"name": known.title} if known is not None else None,
        )

    def _abort_if_device_known(self, mac: str, host: str) -> None:
        """A miner of ours with this MAC, keyed by another identity (its serial number): its
        entry follows it to ``host`` as ``_abort_if_unique_id_configured`` does."""
        devices = dr.async_get(self.hass).async_get_devices(
            connections={(dr.CONNECTION_NETWORK_MAC, mac)}
        )
        for device in devices:
            entry = self.hass.config_entries.async_get_entry(device.config_entry_id)
            if entry is None or entry.domain != DOMAIN:
                continue
            if entry.data.get(CONF_HOST) != host:
                self.hass.config_entries.async_update_entry(
                    entry, data={**entry.data, CONF_HOST: host}
                )
                self.hass.config_entries.async_schedule_reload(entry.entry_id)
            raise AbortFlow("already_configured", {"name": entry.title})

    async def _async_discover(self, host: str) -> FoundMiner:
        """Detect the miner at a discovered address, trying again while it boots."""
        errors: dict[str, str] = {}
        for attempt in range(DHCP_ATTEMPTS):
            if attempt:
                await asyncio.sleep(DHCP_RETRY_SECONDS)
            errors.clear()
            found = await self._async_try(host, DHCP_PORT, None, DHCP_WEB_PORT, errors)
            if found is not None:
                return found
            if errors.get("base") == "unknown":
                break
        raise AbortFlow("not_supported", {"host": host})

    async def async_step_scan(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Scan networks, ranges or addresses (Home Assistant's own subnets by default).

        The scan runs while the form shows its progress (it may take up to ``scan.DEADLINE``
        seconds); then the miners found are offered (``pick``), or the form comes back with
        what was typed, saying nothing new answered.
        """
        if self._scan_task is not None:
            return self._async_scan_progress()
        own = ", ".join(str(subnet) for subnet in await async_get_scan_networks(self.hass))
        errors: dict[str, str] = {}
        placeholders = {
            "networks": own or "-",
            "max_range": str(MAX_RANGE_HOSTS),
            "max_total": str(MAX_SCAN_HOSTS),
            "entry": "",
            "scanned": "",
        }
        if self._scan_found_nothing:
            self._scan_found_nothing = False
            user_input = self._scan_input
            errors["base"] = "no_miners_found"
            placeholders["scanned"] = self._scan_text
        elif user_input is not None:
            port = int(user_input[CONF_PORT])
            web_port = int(user_input.get(CONF_WEB_PORT, DEFAULT_WEB_PORT))
            try:
                ranges = parse_scan_ranges(str(user_input.get(CONF_NETWORKS, "")))
            except ScanRangeError as err:
                errors[CONF_NETWORKS] = err.key
                placeholders["entry"] = err.entry
            else:
                self._scan_input = user_input
                self._scan_text = ", ".join(scan_range.text for scan_range in ranges)
                self._scan_task = self.hass.async_create_task(
                    async_scan(
                        scan_hosts(ranges),
                        port,
                        web_port,
                        web_session=async_get_clientsession(self.hass),
                    ),
                    "asic_miner network scan",
                )
                return self._async_scan_progress()
        schema = probatio.Schema(
            {
                probatio.Required(CONF_NETWORKS, default=own): TextSelector(),
                probatio.Required(CONF_PORT, default=DEFAULT_PORT): _PORT_SELECTOR,
                probatio.Required(CONF_WEB_PORT, default=DEFAULT_WEB_PORT): _PORT_SELECTOR,
            }
        )
        return self.async_show_form(
            step_id="scan",
            data_schema=self.add_suggested_values_to_schema(schema, user_input),
            description_placeholders=placeholders,
            errors=errors,
        )

    def _async_scan_progress(self) -> ConfigFlowResult:
        """The scan's progress while it runs; once done, on to the miners it found (those
        not configured yet), or back to the form."""
        task = self._scan_task
        assert task is not None
        if not task.done():
            return self.async_show_progress(
                step_id="scan",
                progress_action="scanning",
                progress_task=task,
                description_placeholders={"scanned": self._scan_text, "deadline": f"{DEADLINE:g}"},
            )
        self._scan_task = None
        # Known by identity, or by address: a scan reads no password-protected identity, so a
        # stock Antminer keyed by its MAC shows none here.
        entries = self._async_current_entries()
        configured = {entry.unique_id for entry in entries}
        self._scanned = {
            "{}:{}".format(*miner.address): miner
            for miner in task.result()
            if miner_unique_id(miner.identity) not in configured
            and address_taken(entries, miner) is None
        }
        if self._scanned:
            return self.async_show_progress_done(next_step_id="pick")
        self._scan_found_nothing = True
        return self.async_show_progress_done(next_step_id="scan")

    async def async_step_pick(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose one of the miners the scan found."""
        if user_input is not None:
            return await self._async_found(self._scanned[user_input[CONF_MINER]])
        options = [
            SelectOptionDict(value=key, label=pick_label(miner))
            for key, miner in self._scanned.items()
        ]
        schema = probatio.Schema(
            {probatio.Required(CONF_MINER): SelectSelector(SelectSelectorConfig(options=options))}
        )
        return self.async_show_form(step_id="pick", data_schema=schema)

    # --- after detection: the password, the confirmations, the entry --------------------------

    async def _async_found(self, found: FoundMiner) -> ConfigFlowResult:
        """A miner answered: a known one is updated; else ask what is left to ask."""
        self._found = found
        unique_id = miner_unique_id(found.identity) or self._dhcp_mac
        if unique_id is not None:
            await self.async_set_unique_id(unique_id)
            self._abort_if_known(unique_id, found)
        elif (known := address_taken(self._async_current_entries(), found)) is not None:
            # Nothing but its address tells this miner apart: the entry there is this miner.
            raise AbortFlow("already_configured", {"name": known.title})
        if (use := found.password_use) is not None and self._password is None:
            step: Callable[[], Awaitable[ConfigFlowResult]] = getattr(
                self, f"async_step_{use.step}"
            )
            return await step()
        if unique_id is None:
            return await self.async_step_no_identity()
        if self.source == SOURCE_DHCP and self._password is None:
            # Discovered: the owner confirms (a password form, answered, confirmed it).
            return await self.async_step_discovery_confirm()
        return self._async_create_miner()

    def _abort_if_known(self, unique_id: str, found: FoundMiner) -> None:
        """A configured miner gets its new address instead, and the flow says so."""
        known = self.hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, unique_id)
        if known is None:
            return
        where = {CONF_HOST: found.host, CONF_PORT: found.port, CONF_WEB_PORT: found.web_port}
        stored = {
            CONF_HOST: known.data.get(CONF_HOST),
            CONF_PORT: known.data.get(CONF_PORT, DEFAULT_PORT),
            CONF_WEB_PORT: known.data.get(CONF_WEB_PORT, DEFAULT_WEB_PORT),
        }
        host, port = found.address
        self._abort_if_unique_id_configured(
            updates=where,
            error="already_configured" if where == stored else "already_configured_moved",
            description_placeholders={"name": known.title, "host": host, "port": str(port)},
        )

    def _async_show_password(
        self, use: PasswordUse, errors: dict[str, str] | None = None
    ) -> ConfigFlowResult:
        """The family's password form, naming the miner and its factory password."""
        found = self._require_found()
        host, port = found.address
        return self.async_show_form(
            step_id=use.step,
            data_schema=probatio.Schema({probatio.Optional(CONF_PASSWORD): _PASSWORD_SELECTOR}),
            description_placeholders={
                "name": miner_title(found, with_port=self._address_shared(found.host)),
                "model": model_name(found.identity) or firmware_name(found.family),
                "host": f"{host}:{port}",
                "default": use.default,
                **self._error_placeholders(),
            },
            errors=errors or {},
        )

    async def async_step_web_password(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The web interface password (stock Antminer, VNish): empty leaves it read-only."""
        return await self._async_password(user_input)

    async def async_step_api_password(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The password controls are signed with (Whatsminer, ePIC): empty uses the factory
        password."""
        return await self._async_password(user_input)

    async def async_step_root_password(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Braiins OS root's password: the REST API of 25.07+; empty keeps the CGMiner API."""
        return await self._async_password(user_input)

    async def _async_password(self, user_input: dict[str, Any] | None) -> ConfigFlowResult:
        """Check a typed password by detecting again with it (it may show the MAC, or a REST
        API); an empty one goes on with what was found."""
        found = self._require_found()
        use = PASSWORDS[found.family]
        if user_input is None:
            return self._async_show_password(use)
        password: str | None = user_input.get(CONF_PASSWORD) or None
        if password is not None:
            errors: dict[str, str] = {}
            again = await self._async_try(found.host, found.port, password, found.web_port, errors)
            if again is None:
                return self._async_show_password(use, errors)
            found = again
        self._password = password or ""
        return await self._async_found(found)

    async def async_step_no_identity(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The last resort: the miner shows nothing to recognise it by. Added once the owner
        confirms, with an id of its own (``miner.GENERATED_PREFIX``)."""
        found = self._require_found()
        if user_input is not None:
            await self.async_set_unique_id(generated_unique_id())
            return self._async_create_miner()
        host, port = found.address
        return self.async_show_form(
            step_id="no_identity",
            description_placeholders={
                "name": miner_title(found, with_port=self._address_shared(found.host)),
                "host": f"{host}:{port}",
            },
        )

    async def async_step_discovery_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """A discovered miner is added once the owner says so."""
        found = self._require_found()
        if user_input is not None:
            return self._async_create_miner()
        self._set_confirm_only()
        host, port = found.address
        return self.async_show_form(
            step_id="discovery_confirm",
            description_placeholders={
                "name": miner_title(found, with_port=self._address_shared(found.host)),
                "model": model_name(found.identity) or firmware_name(found.family),
                "firmware": found.identity.firmware or firmware_name(found.family),
                "host": f"{host}:{port}",
            },
        )

    def _require_found(self) -> FoundMiner:
        if self._found is None:  # pragma: no cover  # steps after detection only
            raise AbortFlow("unknown")
        return self._found

    def _async_create_miner(self) -> ConfigFlowResult:
        """The entry of the miner found, with the password given (if any)."""
        found = self._require_found()
        password = self._password or None
        title = miner_title(found, with_port=self._address_shared(found.host))
        return self.async_create_entry(
            title=title, data=entry_data(found, password, found.web_port)
        )

    def _async_abort_if_another_miner(self, entry: AsicMinerConfigEntry, found: FoundMiner) -> None:
        """Abort when the miner that answered is provably not the entry's miner."""
        if self._another_miner(entry, found):
            raise AbortFlow(
                "another_miner",
                {"name": entry.title, "host": found.host, "answered": describe_miner(found)},
            )

    @staticmethod
    def _another_miner(entry: AsicMinerConfigEntry, found: FoundMiner) -> bool:
        """Whether the miner that answered is provably not the entry's miner.

        The entry's own kind of identity is compared, and only when the miner shows it: an
        entry keyed by no identity cannot be checked (and may now show a MAC, for example once
        its web password is given: setup then keys it by that), an entry keyed by serial is
        compared by serial, one keyed by MAC by MAC.
        """
        unique_id = str(entry.unique_id)
        shown = shown_identity(unique_id, found.identity)
        return shown is not None and shown != unique_id

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The miner refused the stored password."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the new password and check it against the same miner."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            password = user_input[CONF_PASSWORD]
            host = entry.data[CONF_HOST]
            port = entry.data.get(CONF_PORT, DEFAULT_PORT)
            web_port = entry.data.get(CONF_WEB_PORT, DEFAULT_WEB_PORT)
            if (found := await self._async_try(host, port, password, web_port, errors)) is not None:
                self._async_abort_if_another_miner(entry, found)
                data = {CONF_PASSWORD: password, CONF_PORT: found.port, CONF_FAMILY: found.family}
                return self.async_update_reload_and_abort(entry, data_updates=data)
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=probatio.Schema({probatio.Required(CONF_PASSWORD): _PASSWORD_SELECTOR}),
            description_placeholders={
                "name": entry.title,
                "host": entry.data[CONF_HOST],
                **self._error_placeholders(),
            },
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change address, ports or password of a configured miner; it must stay the same miner.

        The stored password is never shown: an empty password field keeps it, a new one
        replaces it, and "Remove the stored password" removes it. A family that never uses a
        password (AxeOS, LuxOS, Avalon, Goldshell, …) is asked none, and keeps none.
        """
        entry = self._get_reconfigure_entry()
        family = entry.data.get(CONF_FAMILY)
        # An unknown family may turn out to be one that uses a password.
        with_password = family in PASSWORDS or family in (None, UNKNOWN_FAMILY)
        stored: str | None = entry.data.get(CONF_PASSWORD) or None
        errors: dict[str, str] = {}
        placeholders = {"name": entry.title, "answered": ""}
        if user_input is not None:
            host, port, typed, web_port = parse_miner_form(user_input)
            remove = bool(user_input.get(CONF_REMOVE_PASSWORD))
            password = None if remove else typed or stored
            if remove and typed:
                errors[CONF_REMOVE_PASSWORD] = "remove_or_new_password"
            elif (found := await self._async_try(host, port, password, web_port, errors)) is None:
                pass
            elif self._another_miner(entry, found):
                errors["base"] = "another_miner"
                placeholders["answered"] = describe_miner(found)
            else:
                return self.async_update_reload_and_abort(
                    entry,
                    title=self._title_after_move(entry, found),
                    data=entry_data(
                        found, password if found.family in PASSWORDS else None, web_port
                    ),
                )
        suggested = _without_password(user_input) or {
            CONF_HOST: entry.data[CONF_HOST],
            CONF_ADVANCED: {
                CONF_PORT: entry.data.get(CONF_PORT, DEFAULT_PORT),
                CONF_WEB_PORT: entry.data.get(CONF_WEB_PORT, DEFAULT_WEB_PORT),
            },
        }
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                _miner_schema(
                    advanced_collapsed=False,
                    with_password=with_password,
                    stored_password=with_password and stored is not None,
                ),
                suggested,
            ),
            description_placeholders={**placeholders, **self._error_placeholders()},
            errors=errors,
        )

    def _title_after_move(self, entry: AsicMinerConfigEntry, found: FoundMiner) -> str:
        """The entry's name after a reconfigure: a name this integration gave it, which holds
        the old address, follows the miner to its new one; a name the owner chose stays."""
        before = FoundMiner(
            entry.data[CONF_HOST],
            entry.data.get(CONF_PORT, DEFAULT_PORT),
            found.family,
            found.identity,
            entry.data.get(CONF_WEB_PORT, DEFAULT_WEB_PORT),
        )
        given = {miner_title(before), miner_title(before, with_port=True)}
        if entry.title not in given:
            return entry.title
        return miner_title(found, with_port=self._address_shared(found.host, entry.entry_id))


class AsicMinerOptionsFlow(OptionsFlow):
    """The polling interval, applied to the running coordinator: no reload, no update listener.

    The range is checked here rather than by the selector, whose own message ("Value 5.0 is too
    small") names neither the unit nor the range.
    """

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show, check, apply and store the interval."""
        errors: dict[str, str] = {}
        if user_input is not None:
            seconds = float(user_input[CONF_SCAN_INTERVAL])
            if seconds.is_integer() and MIN_SCAN_INTERVAL <= seconds <= MAX_SCAN_INTERVAL:
                if self.config_entry.state is ConfigEntryState.LOADED:
                    coordinator: AsicMinerCoordinator = self.config_entry.runtime_data
                    coordinator.async_set_update_interval(timedelta(seconds=seconds))
                return self.async_create_entry(data={CONF_SCAN_INTERVAL: int(seconds)})
            errors[CONF_SCAN_INTERVAL] = "scan_interval_out_of_range"
        schema = probatio.Schema(
            {
                probatio.Required(CONF_SCAN_INTERVAL, default=DEFAULT_SCAN_INTERVAL): (
                    NumberSelector(
                        NumberSelectorConfig(
                            step=1, unit_of_measurement="s", mode=NumberSelectorMode.BOX
                        )
                    )
                ),
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input or self.config_entry.options
            ),
            description_placeholders={
                "min": str(MIN_SCAN_INTERVAL),
                "max": str(MAX_SCAN_INTERVAL),
            },
            errors=errors,
        )
