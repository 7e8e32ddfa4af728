"""Mutable state of one simulated miner, shared by its API and web personalities.

Controls change this state and replies are rendered from it, so that a test can pause a miner
through the client and see the hashrate drop in the next poll.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import random
import time


@dataclass
class BoardState:
    """One hash board; ``hashrate`` is the nominal rate in TH/s."""

    hashrate: float
    temperature: float
    chip_temperature: float
    chips: int
    #: MHz (a float where the firmware takes fractions, e.g. AxeOS >= 2.10).
    frequency: float = 650
    #: V (the chips' core voltage on a single-ASIC board such as a Bitaxe).
    voltage: float = 13.5
    alive: bool = True


@dataclass
class PoolState:
    """One configured pool."""

    url: str
    user: str
    password: str = "x"
    alive: bool = True
    active: bool = False
    accepted: int = 0
    rejected: int = 0
    stale: int = 0
    priority: int = 0


@dataclass
class MinerState:
    """Everything a personality needs to render a reply; mutated by controls."""

    make: str = "Unknown"
    model: str = "Unknown"
    firmware: str = "1.0.0"
    mac: str = "02:00:00:00:00:01"
    hostname: str = "miner"
    serial: str | None = None
    password: str = "admin"
    paused: bool = False
    power_limit: int | None = None
    nominal_power: float = 3250.0
    idle_power: float = 15.0
    work_mode: str | None = None
    fault_light: bool = False
    #: Fan control: "auto" (the firmware holds ``target_temperature``), "manual" (a fixed
    #: ``fan_percent``), or a firmware's own mode name (NerdOS "pid", VNish "immersion").
    fan_mode: str = "auto"
    #: The manual fan duty in %, used while ``fan_mode`` is "manual".
    fan_percent: int = 100
    #: °C the automatic fan control holds (None: the firmware has no such setting).
    target_temperature: float | None = None
    boards: list[BoardState] = field(default_factory=list)
    fans: list[int] = field(default_factory=list)
    pools: list[PoolState] = field(default_factory=list)
    accepted: int = 12345
    rejected: int = 12
    hardware_errors: int = 7
    errors: list[str] = field(default_factory=list)
    # A lambda, not ``time.monotonic`` itself, so a clock patched later (freezegun) is used.
    started_at: float = field(default_factory=lambda: time.monotonic())  # noqa: PLW0108
    jitter: bool = True
    seed: int | None = None
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        """Seed the jitter source so snapshot tests are reproducible."""
        if self.seed is not None:
            self.rng.seed(self.seed)

    # --- derived values ----------------------------------------------------------------------

    @property
    def nominal_hashrate(self) -> float:
        """Factory hashrate in TH/s (sum of the boards)."""
        return sum(board.hashrate for board in self.boards)

    def scale(self) -> float:
        """Fraction of nominal output the current power limit and work mode allow."""
        if self.paused or self.work_mode == "sleep":
            return 0.0
        scale = 1.0
        if self.power_limit is not None and self.nominal_power > 0:
            scale = min(1.0, max(0.0, self.power_limit / self.nominal_power))
        if self.work_mode == "low":
            scale = min(scale, 0.7)
        return scale

    def noise(self) -> float:
        """A factor within ±1 % (1.0 without jitter) for one reading."""
        if not self.jitter:
            return 1.0
        return 1.0 + self.rng.uniform(-0.01, 0.01)

    @property
    def is_mining(self) -> bool:
        """False while paused or asleep."""
        return self.scale() > 0

    def board_hashrate(self, board: BoardState) -> float:
        """Current hashrate of one board in TH/s."""
        if not board.alive:
            return 0.0
        return board.hashrate * self.scale() * self.noise()

    def current_hashrate(self) -> float:
        """Current total hashrate in TH/s: 0 when paused, scaled by a power limit."""
        return sum(self.board_hashrate(board) for board in self.boards)

    def current_power(self) -> float:
        """Current wall power in W: idle power when paused, scaled by a power limit."""
        scale = self.scale()
        if scale == 0:
            return self.idle_power
        return max(self.idle_power, self.nominal_power * scale * self.noise())

    def board_temperature(self, board: BoardState) -> float:
        """Board temperature; cools towards 30 °C when not mining."""
        if not self.is_mining:
            return 30.0
        return round(board.temperature + (self.rng.uniform(-0.5, 0.5) if self.jitter else 0), 1)

    def chip_temperature(self, board: BoardState) -> float:
        """Hottest chip temperature of a board."""
        if not self.is_mining:
            return 32.0
        return round(
            board.chip_temperature + (self.rng.uniform(-0.5, 0.5) if self.jitter else 0), 1
        )

    def fan_rpm(self, index: int) -> int:
        """Current fan speed; a fan slot without a fan (removed, failed) reads 0."""
        if not 0 <= index < len(self.fans):
            return 0
        base = self.fans[index]
        if not self.is_mining:
            base = base // 3
        return int(base * self.noise())

    def uptime(self) -> int:
        """Seconds since the (simulated) boot."""
        return int(time.monotonic() - self.started_at)

    def reset_uptime(self) -> None:
        """Called after a simulated reboot."""
        self.started_at = time.monotonic()
