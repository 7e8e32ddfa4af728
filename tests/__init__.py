"""Tests of the ASIC Miner integration."""
