"""Benchmarks of the client and the integration against the simulator on loopback.

Run ``scripts/python -m benchmarks`` (``--quick`` for a smoke run, ``--only PART`` for one part).
These are measurements, not tests: they print figures and never assert on them.
"""
