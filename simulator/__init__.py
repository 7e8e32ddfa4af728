"""Miner simulator: speaks each firmware's API, quirks included, and injects faults."""
