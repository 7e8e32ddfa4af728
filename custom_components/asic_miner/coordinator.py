"""One poll per interval: a single ``get_data()`` (one multicommand) per miner."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, HomeAssistantError
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .api import (
    APIAuthError,
    APIConnectionError,
    APIDecodeError,
    APIError,
    MinerData,
    MinerIdentity,
)
from .const import DEFAULT_SCAN_INTERVAL, DOMAIN, LOGGER
from .miner import describe_identity, shown_identity, valid_mac

if TYPE_CHECKING:
    from .api.miner import Miner

type AsicMinerConfigEntry = ConfigEntry[AsicMinerCoordinator]


@contextmanager
def translated_api_errors(
    host: str, failure: type[HomeAssistantError] = UpdateFailed
) -> Iterator[None]:
    """The client's errors as Home Assistant's, in one place for setup and polls.

    A rejected password starts reauthentication; anything else raises ``failure`` (a failed
    poll, which the coordinator logs once per outage, or ``ConfigEntryNotReady`` at setup) with
    the translated reason.
    """
    try:
        yield
    except APIAuthError as err:
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="invalid_auth"
        ) from err
    except APIError as err:
        if isinstance(err, APIConnectionError):
            key = "cannot_connect"
        elif isinstance(err, APIDecodeError):
            key = "invalid_reply"
        else:
            key = "update_error"
        raise failure(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders={"host": host, "error": str(err) or type(err).__name__},
        ) from err


class AsicMinerCoordinator(DataUpdateCoordinator[MinerData]):
    """Polls one miner; its identity is read in ``_async_setup`` and kept by the client."""

    config_entry: AsicMinerConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        config_entry: AsicMinerConfigEntry,
        api: Miner,
        update_interval: timedelta = timedelta(seconds=DEFAULT_SCAN_INTERVAL),
    ) -> None:
        """Bind the client; the interval comes from the entry's options."""
        super().__init__(
            hass,
            logger=LOGGER,
            config_entry=config_entry,
            # Log lines read "Error fetching <name> data": the miner's name, not its address.
            name=config_entry.title,
            update_interval=update_interval,
        )
        self.api = api
        # One callback for every restart watch this entry will run.
        config_entry.async_on_unload(self._async_end_restart_watch)

    @property
    def host(self) -> str:
        """Where the miner is reached, for messages."""
        return str(self.config_entry.data[CONF_HOST])

    @property
    def identity(self) -> MinerIdentity:
        """The miner's identity as the client holds it (read again by the client itself
        after a restart or when another miner answers); a firmware that reports no MAC has
        the one DHCP discovery saw, which keys the entry (the device's network connection, by
        which Home Assistant recognises it at its next address)."""
        identity = self.api.identity or MinerIdentity()
        if identity.mac is None and (mac := valid_mac(self.config_entry.unique_id)):
            return replace(identity, mac=mac)
        return identity

    @override
    async def _async_setup(self) -> None:
        """Fetch the facts that do not change between polls."""
        with translated_api_errors(self.host):
            await self.api.get_identity()

    @override
    async def _async_update_data(self) -> MinerData:
        """One poll; a different miner answering at this address is a failure, not data.

        The identity in the data is the client's: it reads it again by itself when the uptime
        shows a restart (a firmware upgrade) or another miner put in this one's place.
        """
        with translated_api_errors(self.host):
            data = await self.api.get_data()
        # Compared by the kind of identity the entry is keyed by (MAC, serial number, the
        # firmware's own id), as the client now reads it; nothing to compare for an entry keyed
        # by none, or while the miner does not show that kind.
        expected = str(self.config_entry.unique_id)
        shown = shown_identity(expected, self.identity)
        if shown is not None and shown != expected:
            # Typically a DHCP reshuffle: only the owner knows the miner's new address. The
            # client confirms the identity at its next poll, so this miner coming back shows.
            answered = describe_identity(shown)
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                self.another_miner_issue_id,
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key="another_miner",
                translation_placeholders={
                    "name": self.config_entry.title,
                    "host": self.host,
                    "identity": answered,
                },
            )
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="another_miner",
                translation_placeholders={"host": self.host, "identity": answered},
            )
        ir.async_delete_issue(self.hass, DOMAIN, self.another_miner_issue_id)
        self._track_firmware(data.firmware)
        return data

    @callback
    def async_set_update_interval(self, interval: timedelta) -> None:
        """Poll every ``interval`` from now on: the next poll comes ``interval`` from now, not
        when the old interval would have had it (up to ten minutes away)."""
        self.update_interval = interval
        if self._listeners:
            self._schedule_refresh()

    #: While a restart is expected: the polling interval, and how long to keep it at most.
    restart_poll_interval = timedelta(seconds=5)
    restart_watch_limit = timedelta(minutes=10)
    _end_restart_watch: CALLBACK_TYPE | None = None

    @callback
    def async_expect_restart(self) -> None:
        """Poll on a short cadence until the miner has restarted, so that a reboot shows at
        once (unavailable, then back with its new start time) instead of a poll later.

        The watch ends with the first successful poll after a failed one, or one whose uptime
        went backwards (a restart too quick to miss a poll), and at the latest after
        ``restart_watch_limit``; the interval then returns to what it was, unless the options
        changed it meanwhile. Calling it again starts a new watch. Failed polls during the
        watch are logged at debug level (the miner was asked to go away); a miner still away
        when the watch gives up is logged as an error then.
        """
        self._async_end_restart_watch()
        normal = self.update_interval
        uptime = self.data.uptime if self.data is not None else None
        went_down = False

        @callback
        def _check() -> None:
            nonlocal went_down
            if not self.last_update_success:
                went_down = True
            elif went_down or (
                uptime is not None and self.data.uptime is not None and self.data.uptime < uptime
            ):
                _end()

        @callback
        def _end(_now: object = None) -> None:
            if self._end_restart_watch is not _end:
                return
            self._end_restart_watch = None
            remove_listener()
            cancel_timer()
            if self.update_interval == self.restart_poll_interval:
                self.update_interval = normal

        @callback
        def _give_up(_now: object) -> None:
            # The failures were not logged while a restart was expected: one that outlasts
            # the watch is.
            if not self.last_update_success:
                LOGGER.error(
                    "%s did not come back within %d minutes of its restart: %s",
                    self.name,
                    self.restart_watch_limit.total_seconds() // 60,
                    self.last_exception,
                )
            _end()

        remove_listener = self.async_add_listener(_check)
        cancel_timer = async_call_later(self.hass, self.restart_watch_limit, _give_up)
        self._end_restart_watch = _end
        self.update_interval = self.restart_poll_interval
        self._schedule_refresh()  # the next poll comes at the new cadence, not the old one

    @override
    async def _async_refresh(
        self,
        log_failures: bool = True,
        raise_on_auth_failed: bool = False,
        scheduled: bool = False,
        raise_on_entry_error: bool = False,
    ) -> None:
        """As Home Assistant's, except that while a restart is expected the miner not
        answering is what was asked for, not an error to log (a debug line says it)."""
        watching = self._end_restart_watch is not None
        await super()._async_refresh(
            log_failures=log_failures and not watching,
            raise_on_auth_failed=raise_on_auth_failed,
            scheduled=scheduled,
            raise_on_entry_error=raise_on_entry_error,
        )
        if watching and not self.last_update_success:
            LOGGER.debug(
                "%s is not answering while it restarts: %s", self.name, self.last_exception
            )

    @callback
    def _async_end_restart_watch(self) -> None:
        """End the restart watch, if one runs (a new watch, or the entry unloading)."""
        if self._end_restart_watch is not None:
            self._end_restart_watch()

    @property
    def another_miner_issue_id(self) -> str:
        """The repair issue raised while another miner answers at this entry's address."""
        return f"another_miner_{self.config_entry.entry_id}"

    def _track_firmware(self, firmware: str | None) -> None:
        """Keep the device's sw_version current after a firmware upgrade."""
        if not firmware:
            return
        registry = dr.async_get(self.hass)
        device = registry.async_get_device_by_identifier(
            (DOMAIN, str(self.config_entry.unique_id)), self.config_entry.entry_id
        )
        if device is not None and device.sw_version != firmware:
            registry.async_update_device(device.id, sw_version=firmware)
