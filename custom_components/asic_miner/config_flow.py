"""Config flow: one entry per miner, keyed by the strongest identity it shows (``miner.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any, override

from homeassistant.config_entries import ConfigEntryState, ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_SCAN_INTERVAL
from homeassistant.core import callback
from homeassistant.data_entry_flow import AbortFlow, section
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
import probatio

from .api import APIAuthError, APIError
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
    UNCHECKED_PASSWORD_FAMILIES,
    FoundMiner,
    async_detect,
    describe_miner,
    entry_data,
    host_error,
    miner_title,
    miner_unique_id,
    parse_miner_form,
    pick_label,
    shown_identity,
)
from .scan import (
    MAX_RANGE_HOSTS,
    MAX_SCAN_HOSTS,
    ScanRangeError,
    async_get_scan_networks,
    async_scan,
    parse_scan_ranges,
    scan_hosts,
)

_PORT_SELECTOR = NumberSelector(
    NumberSelectorConfig(min=1, max=65535, step=1, mode=NumberSelectorMode.BOX)
)
_PASSWORD_SELECTOR = TextSelector(
    TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="current-password")
)


def _miner_schema(advanced_collapsed: bool, *, stored_password: bool = False) -> probatio.Schema:
    """Address, password and ports; with a stored password, a box to remove it."""
    fields: dict[Any, Any] = {
        probatio.Required(CONF_HOST): TextSelector(),
        probatio.Optional(CONF_PASSWORD): _PASSWORD_SELECTOR,
    }
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
    """Add a miner by address or from a scan; reauthenticate and reconfigure it later."""

    VERSION = 1

    def __init__(self) -> None:
        """Start with no scan results."""
        self._found: dict[str, FoundMiner] = {}

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
        except APIError as err:
            LOGGER.debug("Cannot reach a miner at %s:%s: %s", host, port, err)
            errors["base"] = "cannot_connect"
        except Exception:  # noqa: BLE001  # a config flow must never crash on a bad reply
            LOGGER.exception("Unexpected error while detecting the miner at %s:%s", host, port)
            errors["base"] = "unknown"
        return None

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
        """Ask for the address; create the entry only once the miner answered."""
        errors: dict[str, str] = {}
        if user_input is not None:
            host, port, password, web_port = parse_miner_form(user_input)
            if (found := await self._async_try(host, port, password, web_port, errors)) is not None:
                return await self._async_create_miner(found, password, web_port)
        return self.async_show_form(
            step_id="manual",
            data_schema=self.add_suggested_values_to_schema(
                _miner_schema(advanced_collapsed=True), _without_password(user_input)
            ),
            errors=errors,
        )

    async def async_step_scan(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Scan networks, ranges or addresses (Home Assistant's own subnets by default)."""
        own = ", ".join(str(subnet) for subnet in await async_get_scan_networks(self.hass))
        errors: dict[str, str] = {}
        placeholders = {
            "networks": own or "-",
            "max_range": str(MAX_RANGE_HOSTS),
            "max_total": str(MAX_SCAN_HOSTS),
            "entry": "",
            "scanned": "",
        }
        if user_input is not None:
            port = int(user_input[CONF_PORT])
            try:
                ranges = parse_scan_ranges(str(user_input.get(CONF_NETWORKS, "")))
            except ScanRangeError as err:
                errors[CONF_NETWORKS] = err.key
                placeholders["entry"] = err.entry
            else:
                # Known by identity, or by address: a scan reads no password-protected
                # identity, so a stock Antminer keyed by its MAC shows none here.
                entries = self._async_current_entries()
                configured = {entry.unique_id for entry in entries} | {
                    f"{entry.data.get(CONF_HOST)}:{entry.data.get(CONF_PORT, DEFAULT_PORT)}"
                    for entry in entries
                }
                self._found = {
                    f"{miner.host}:{miner.port}": miner
                    for miner in await async_scan(scan_hosts(ranges), port)
                    if miner_unique_id(miner.identity, miner.host, miner.port) not in configured
                    and f"{miner.host}:{miner.port}" not in configured
                }
                if self._found:
                    return await self.async_step_pick()
                errors["base"] = "no_miners_found"
                placeholders["scanned"] = ", ".join(scan_range.text for scan_range in ranges)
        schema = probatio.Schema(
            {
                probatio.Required(CONF_NETWORKS, default=own): TextSelector(),
                probatio.Required(CONF_PORT, default=DEFAULT_PORT): _PORT_SELECTOR,
            }
        )
        return self.async_show_form(
            step_id="scan",
            data_schema=self.add_suggested_values_to_schema(schema, user_input),
            description_placeholders=placeholders,
            errors=errors,
        )

    async def async_step_pick(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose one of the miners the scan found."""
        errors: dict[str, str] = {}
        if user_input is not None:
            miner = self._found[user_input[CONF_MINER]]
            password: str | None = user_input.get(CONF_PASSWORD) or None
            web_port = int(user_input.get(CONF_ADVANCED, {}).get(CONF_WEB_PORT, DEFAULT_WEB_PORT))
            found = await self._async_try(miner.host, miner.port, password, web_port, errors)
            if found is not None:
                return await self._async_create_miner(found, password, web_port)
        options = [
            SelectOptionDict(value=key, label=pick_label(miner))
            for key, miner in self._found.items()
        ]
        schema = probatio.Schema(
            {
                probatio.Required(CONF_MINER): SelectSelector(
                    SelectSelectorConfig(options=options)
                ),
                probatio.Optional(CONF_PASSWORD): _PASSWORD_SELECTOR,
                probatio.Required(CONF_ADVANCED): section(
                    probatio.Schema(
                        {probatio.Required(CONF_WEB_PORT, default=DEFAULT_WEB_PORT): _PORT_SELECTOR}
                    ),
                    {"collapsed": True},
                ),
            }
        )
        return self.async_show_form(
            step_id="pick",
            data_schema=self.add_suggested_values_to_schema(schema, _without_password(user_input)),
            errors=errors,
        )

    async def _async_create_miner(
        self, found: FoundMiner, password: str | None, web_port: int
    ) -> ConfigFlowResult:
        """The entry of a miner that answered; a known miner gets its new address instead."""
        unique_id = miner_unique_id(found.identity, found.host, found.port)
        await self.async_set_unique_id(unique_id)
        known = self.hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, unique_id)
        if known is not None:
            where = {CONF_HOST: found.host, CONF_PORT: found.port, CONF_WEB_PORT: web_port}
            stored = {
                CONF_HOST: known.data.get(CONF_HOST),
                CONF_PORT: known.data.get(CONF_PORT, DEFAULT_PORT),
                CONF_WEB_PORT: known.data.get(CONF_WEB_PORT, DEFAULT_WEB_PORT),
            }
            self._abort_if_unique_id_configured(
                updates=where,
                error="already_configured" if where == stored else "already_configured_moved",
                description_placeholders={
                    "name": known.title,
                    "host": found.host,
                    "port": str(found.port),
                },
            )
        title = miner_title(found, with_port=self._address_shared(found.host))
        if password and found.family in UNCHECKED_PASSWORD_FAMILIES:
            return self.async_create_entry(
                title=title,
                data=entry_data(found, password, web_port),
                description="password_unchecked",
                description_placeholders={"name": title},
            )
        return self.async_create_entry(title=title, data=entry_data(found, password, web_port))

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
        entry keyed by its address cannot be checked (and may now show a MAC, for example once
        its web password is given), an entry keyed by serial is compared by serial, one keyed
        by MAC by MAC. The entry keeps its unique id either way: entity ids hang on it.
        """
        unique_id = str(entry.unique_id)
        shown = shown_identity(unique_id, found.identity)
        return shown is not None and shown != unique_id

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The miner refused the stored password."""
        if self._get_reauth_entry().data.get(CONF_FAMILY) in UNCHECKED_PASSWORD_FAMILIES:
            return await self.async_step_reauth_unchecked()
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the new password and check it against the same miner."""
        return await self._async_reauth("reauth_confirm", user_input)

    async def async_step_reauth_unchecked(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """As ``reauth_confirm``, for a miner that cannot check a password (the form says so)."""
        return await self._async_reauth("reauth_unchecked", user_input)

    async def _async_reauth(
        self, step_id: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
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
                if found.family in UNCHECKED_PASSWORD_FAMILIES:
                    return self.async_update_reload_and_abort(
                        entry, data_updates=data, reason="reauth_unchecked"
                    )
                return self.async_update_reload_and_abort(entry, data_updates=data)
        return self.async_show_form(
            step_id=step_id,
            data_schema=probatio.Schema({probatio.Required(CONF_PASSWORD): _PASSWORD_SELECTOR}),
            description_placeholders={"name": entry.title, "host": entry.data[CONF_HOST]},
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change address, ports or password of a configured miner; it must stay the same miner.

        The stored password is never shown: an empty password field keeps it, a new one
        replaces it, and "Remove the stored password" removes it.
        """
        entry = self._get_reconfigure_entry()
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
                    data=entry_data(found, password, web_port),
                    reason=(
                        "reconfigure_unchecked"
                        if typed and found.family in UNCHECKED_PASSWORD_FAMILIES
                        else "reconfigure_successful"
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
                _miner_schema(advanced_collapsed=False, stored_password=stored is not None),
                suggested,
            ),
            description_placeholders=placeholders,
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
                    coordinator.update_interval = timedelta(seconds=seconds)
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
