"""One poll per interval: a single ``get_data()`` (one multicommand) per miner."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed, HomeAssistantError
from homeassistant.helpers import device_registry as dr, issue_registry as ir
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
from .miner import valid_mac

if TYPE_CHECKING:
    from .api.base import BaseMinerAPI

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
    """Polls one miner; identity is fetched once, in ``_async_setup``."""

    config_entry: AsicMinerConfigEntry
    identity: MinerIdentity

    def __init__(
        self,
        hass: HomeAssistant,
        config_entry: AsicMinerConfigEntry,
        api: BaseMinerAPI,
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
        self.identity = MinerIdentity()
        self._last_uptime: int | None = None

    @property
    def host(self) -> str:
        """Where the miner is reached, for messages."""
        return str(self.config_entry.data[CONF_HOST])

    @override
    async def _async_setup(self) -> None:
        """Fetch the facts that do not change between polls."""
        with translated_api_errors(self.host):
            self.identity = await self.api.get_identity()

    @override
    async def _async_update_data(self) -> MinerData:
        """One poll; a different miner answering at this address is a failure, not data.

        The identity is cached by the client; when the uptime goes backwards the miner has
        restarted (a firmware upgrade, or another miner put in its place), so the identity
        is read again and the poll repeated once.
        """
        with translated_api_errors(self.host):
            data = await self.api.get_data()
            if self._restarted(data.uptime):
                self.api.forget_identity()
                data = await self.api.get_data()
        expected = valid_mac(self.config_entry.unique_id)
        reported = valid_mac(data.mac)
        if expected is not None and reported is not None and reported != expected:
            # Typically a DHCP reshuffle: only the owner knows the miner's new address. The
            # identity is read afresh at the next poll, to notice when this miner is back.
            self.api.forget_identity()
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
                    "mac": reported,
                },
            )
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="another_miner",
                translation_placeholders={"host": self.host, "mac": reported},
            )
        ir.async_delete_issue(self.hass, DOMAIN, self.another_miner_issue_id)
        self._track_firmware(data.firmware)
        return data

    @property
    def another_miner_issue_id(self) -> str:
        """The repair issue raised while another miner answers at this entry's address."""
        return f"another_miner_{self.config_entry.entry_id}"

    def _restarted(self, uptime: int | None) -> bool:
        """Whether the uptime counter went backwards since the last successful poll."""
        previous, self._last_uptime = self._last_uptime, uptime
        return previous is not None and uptime is not None and uptime < previous

    def _track_firmware(self, firmware: str | None) -> None:
        """Keep the device's sw_version current after a firmware upgrade."""
        if not firmware or firmware == self.identity.firmware:
            return
        if self.identity.firmware is not None:
            registry = dr.async_get(self.hass)
            device = registry.async_get_device_by_identifier(
                (DOMAIN, str(self.config_entry.unique_id)), self.config_entry.entry_id
            )
            if device is not None:
                registry.async_update_device(device.id, sw_version=firmware)
        self.identity = replace(self.identity, firmware=firmware)
