"""Registry of simulator personalities; importing a module registers its classes."""

from __future__ import annotations

from simulator.personality import REGISTRY, Personality

# Each import registers the personalities the module defines (Personality.__init_subclass__).
from . import antminer, avalon, braiins, cgminer_fork, goldshell, luxos, whatsminer, whatsminer_v3  # noqa: F401

PERSONALITIES: dict[str, type[Personality]] = REGISTRY

__all__ = ["PERSONALITIES", "Personality"]
