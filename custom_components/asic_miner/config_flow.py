"""Config flow: one entry per miner, identified by its MAC (else serial, else address)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any, override

from homeassistant.config_entries import ConfigEntryState, ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_SCAN_INTERVAL
from homeassistant.core import callback
from homeassistant.data_entry_flow import AbortFlow, section
from homeassistant.helpers.selector import (
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

from .api import APIAuthError, APIError, MinerIdentity
from .const import (
    CONF_ADVANCED,
    CONF_FAMILY,
    CONF_MINER,
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
    FoundMiner,
    async_detect,
    entry_data,
    host_error,
    miner_title,
    miner_unique_id,
    parse_miner_form,
    valid_mac,
    valid_serial,
)
from .scan import async_get_scan_networks, async_scan, scan_hosts

_PORT_SELECTOR = NumberSelector(
    NumberSelectorConfig(min=1, max=65535, step=1, mode=NumberSelectorMode.BOX)
)
_PASSWORD_SELECTOR = TextSelector(
    TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="current-password")
)


def _miner_schema(advanced_collapsed: bool) -> probatio.Schema:
    return probatio.Schema(
        {
            probatio.Required(CONF_HOST): TextSelector(),
            probatio.Optional(CONF_PASSWORD): _PASSWORD_SELECTOR,
            probatio.Required(CONF_ADVANCED): section(
                probatio.Schema(
                    {
                        probatio.Required(CONF_PORT, default=DEFAULT_PORT): _PORT_SELECTOR,
                        probatio.Required(CONF_WEB_PORT, default=DEFAULT_WEB_PORT): (
                            _PORT_SELECTOR
                        ),
                    }
                ),
                {"collapsed": advanced_collapsed},
            ),
        }
    )


class AsicMinerConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a miner by address; reauthenticate and reconfigure it later."""

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

    def _async_abort_if_another_miner(
        self, entry: AsicMinerConfigEntry, identity: MinerIdentity
    ) -> None:
        """Abort when the miner that answered is provably not the entry's miner.

        The entry's own kind of identity is compared, and only when the miner shows it: an
        entry keyed by its address cannot be checked (and may now show a MAC, for example once
        its web password is given), an entry keyed by serial is compared by serial, one keyed
        by MAC by MAC. The entry keeps its unique id either way: entity ids hang on it.
        """
        expected = str(entry.unique_id)
        if expected.startswith("host:"):
            return
        if expected.startswith("serial:"):
            serial = valid_serial(identity.serial)
            reported = None if serial is None else f"serial:{serial}"
        else:
            reported = valid_mac(identity.mac)
        if reported is not None and reported != expected:
            raise AbortFlow("another_miner")

    @override
    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Type the address, or look for miners on Home Assistant's own networks."""
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
                _miner_schema(advanced_collapsed=True), user_input
            ),
            errors=errors,
        )

    async def async_step_scan(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Scan the subnets of Home Assistant's adapters (each at most a /24) for miners."""
        networks = await async_get_scan_networks(self.hass)
        errors: dict[str, str] = {}
        if user_input is not None:
            port = int(user_input[CONF_PORT])
            configured = {entry.unique_id for entry in self._async_current_entries()}
            self._found = {
                f"{miner.host}:{miner.port}": miner
                for miner in await async_scan(scan_hosts(networks), port)
                if miner_unique_id(miner.identity, miner.host, miner.port) not in configured
            }
            if self._found:
                return await self.async_step_pick()
            errors["base"] = "no_miners_found"
        return self.async_show_form(
            step_id="scan",
            data_schema=probatio.Schema(
                {probatio.Required(CONF_PORT, default=DEFAULT_PORT): _PORT_SELECTOR}
            ),
            description_placeholders={
                "networks": ", ".join(str(subnet) for subnet in networks) or "-"
            },
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
            SelectOptionDict(value=key, label=f"{miner_title(miner.identity, miner.host)} ({key})")
            for key, miner in self._found.items()
        ]
        return self.async_show_form(
            step_id="pick",
            data_schema=probatio.Schema(
                {
                    probatio.Required(CONF_MINER): SelectSelector(
                        SelectSelectorConfig(options=options)
                    ),
                    probatio.Optional(CONF_PASSWORD): _PASSWORD_SELECTOR,
                    probatio.Required(CONF_ADVANCED): section(
                        probatio.Schema(
                            {
                                probatio.Required(
                                    CONF_WEB_PORT, default=DEFAULT_WEB_PORT
                                ): _PORT_SELECTOR
                            }
                        ),
                        {"collapsed": True},
                    ),
                }
            ),
            errors=errors,
        )

    async def _async_create_miner(
        self, found: FoundMiner, password: str | None, web_port: int
    ) -> ConfigFlowResult:
        """The entry of a miner that answered; a known miner gets its new address instead."""
        await self.async_set_unique_id(miner_unique_id(found.identity, found.host, found.port))
        self._abort_if_unique_id_configured(
            updates={CONF_HOST: found.host, CONF_PORT: found.port, CONF_WEB_PORT: web_port}
        )
        return self.async_create_entry(
            title=miner_title(found.identity, found.host),
            data=entry_data(found, password, web_port),
        )

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
                self._async_abort_if_another_miner(entry, found.identity)
                return self.async_update_reload_and_abort(
                    entry,
                    data_updates={
                        CONF_PASSWORD: password,
                        CONF_PORT: found.port,
                        CONF_FAMILY: found.family,
                    },
                )
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=probatio.Schema({probatio.Required(CONF_PASSWORD): _PASSWORD_SELECTOR}),
            description_placeholders={"name": entry.title, "host": entry.data[CONF_HOST]},
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change address or password of a configured miner; it must stay the same miner."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            host, port, password, web_port = parse_miner_form(user_input)
            if (found := await self._async_try(host, port, password, web_port, errors)) is not None:
                self._async_abort_if_another_miner(entry, found.identity)
                return self.async_update_reload_and_abort(
                    entry, data=entry_data(found, password, web_port)
                )
        suggested = user_input or {
            CONF_HOST: entry.data[CONF_HOST],
            CONF_PASSWORD: entry.data.get(CONF_PASSWORD, ""),
            CONF_ADVANCED: {
                CONF_PORT: entry.data.get(CONF_PORT, DEFAULT_PORT),
                CONF_WEB_PORT: entry.data.get(CONF_WEB_PORT, DEFAULT_WEB_PORT),
            },
        }
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                _miner_schema(advanced_collapsed=False), suggested
            ),
            description_placeholders={"name": entry.title},
            errors=errors,
        )


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
