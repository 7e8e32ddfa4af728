"""Custom integrations of this repository (a package so tests import it by name)."""
