"""End-to-end test: a real Home Assistant, simulated miners and a real browser."""
