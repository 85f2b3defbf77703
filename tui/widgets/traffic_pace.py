"""How fast the live traffic runs: the rate ladder, the batch tick, redraw pacing, start options."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from store.traffic_feed import counting_ids, stepping_clock

if TYPE_CHECKING:
    from store.delivery_profile import DeliveryProfile

from .traffic_table import WINDOW

RATES = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
TICK = 0.1  # seconds between batches
DELIVERY_EVERY = 0.5  # seconds between delivery checks while traffic is paused


@dataclass
class TrafficOptions:
    """How the panel starts. `live=False` is deterministic mode: fixed clock and ids, no timer."""

    seed: int = 7
    rate: int = 20
    running: bool = False
    live: bool = True
    window: int = WINDOW
    clock: Callable[[], datetime] | None = None
    message_ids: Callable[[], str] | None = None
    delivery: "DeliveryProfile | None" = None  # None: the shipped default profile

    @classmethod
    def deterministic(cls, seed: int = 7, rate: int = 20, window: int = WINDOW) -> "TrafficOptions":
        return cls(seed=seed, rate=rate, live=False, window=window, clock=stepping_clock(),
                   message_ids=counting_ids())


def frame_interval(rate: int) -> float:
    """Seconds between redraws of running traffic: every batch up to 100 msg/s, then four a second."""
    return TICK if rate <= 100 else 0.25


def next_rate(rate: int, direction: int) -> int:
    """The next rate up or down the 1-2-5 ladder."""
    if direction > 0:
        return next((r for r in RATES if r > rate), RATES[-1])
    return next((r for r in reversed(RATES) if r < rate), RATES[0])


def clamp_rate(rate: int) -> int:
    return max(RATES[0], min(RATES[-1], int(rate)))
