"""Constants of the ASIC Miner integration."""

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "asic_miner"
LOGGER = logging.getLogger(__package__)

CONF_FAMILY: Final = "family"
CONF_WEB_PORT: Final = "web_port"
CONF_ADVANCED: Final = "advanced"
CONF_MINER: Final = "miner"
CONF_NETWORKS: Final = "networks"
CONF_REMOVE_PASSWORD: Final = "remove_password"  # noqa: S105  # a form field, not a password

DEFAULT_PORT: Final = 4028
DEFAULT_WEB_PORT: Final = 80

#: Polling interval bounds (seconds): miners refresh their own counters every few seconds,
#: and slower than ten minutes would make the energy integration meaningless.
DEFAULT_SCAN_INTERVAL: Final = 30
MIN_SCAN_INTERVAL: Final = 10
MAX_SCAN_INTERVAL: Final = 600

#: How long detecting one miner may take, all probes together (config flow, scan, and setup
#: of an entry whose family is unknown): a miner busy hashing can take seconds to answer.
DETECT_TIMEOUT: Final = 10.0

#: Uptime-derived start times closer than this are the same boot (poll timing jitter).
UPTIME_TOLERANCE: Final = timedelta(minutes=1)
