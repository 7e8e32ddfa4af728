"""Constants of the ASIC Miner integration."""

from typing import Final

DOMAIN: Final = "asic_miner"
