"""The panel's top line: running or paused, rate, totals, sticky bindings, and a throughput sparkline."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Sparkline, Static

from store.display import visible
from store.traffic_stats import TrafficStats

from .styling import DIM


@dataclass(slots=True)
class RunState:
    running: bool
    rate: int
    seed: int
    revision: int
    measured: float | None = None  # decisions per second actually routed, when running in real time
    profile: str | None = None  # the delivery profile's name


def status_text(state: RunState, stats: TrafficStats, width: int | None = None) -> Text:
    """The whole line when it fits in `width`; else without the seed, then without the setup number
    and the measured rate, "sticky bindings" said as "sticky"."""
    for level in range(3):
        text = _status_text(state, stats, level)
        if width is None or text.cell_len <= width:
            break
    return text


def _status_text(state: RunState, stats: TrafficStats, level: int) -> Text:
    text = Text()
    if state.running:
        text.append(" ▶ RUNNING ", style="bold #1b2b34 on #59cd90")
    else:
        text.append(" ❚❚ PAUSED ", style="bold #1b2b34 on #f6ae2d")
    text.append(f" {state.rate:,} msg/s", style="bold")
    if state.measured is not None and state.running and level < 2:
        text.append(f" (now {state.measured:,.0f})", style=DIM)
    if level == 0:
        text.append(f" seed {state.seed}", style=DIM)
    text.append(" │ ", style=DIM)
    text.append(f"{stats.decisions:,} decision{'' if stats.decisions == 1 else 's'}")
    text.append(" │ ", style=DIM)
    bindings = stats.sticky_bindings
    text.append(f"{'sticky bindings' if level == 0 else 'sticky'} {'…' if bindings is None else f'{bindings:,}'}")
    if state.profile:
        text.append(" │ ", style=DIM)
        text.append(f"delivery {visible(state.profile)}")
    if level < 2:
        text.append(f" │ setup #{state.revision:,}", style=DIM)  # the store's setup version: +1 per change
    return text


class TrafficStatus(Horizontal):
    DEFAULT_CSS = """
    TrafficStatus { height: 1; background: $panel; }
    TrafficStatus > #traffic-state { width: 1fr; height: 1; }
    TrafficStatus > #throughput-label { width: auto; height: 1; color: $text-muted; padding: 0 1; }
    TrafficStatus > Sparkline { width: 16; height: 1; margin-right: 1; }

    TrafficStatus.narrow > #throughput-label, TrafficStatus.narrow > Sparkline { display: none; }
    """

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self._last: tuple[RunState, TrafficStats] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="traffic-state")
        yield Static("throughput", id="throughput-label")
        yield Sparkline([], id="throughput")

    def on_resize(self) -> None:
        # On a classic 80-column terminal the figures matter more than the sparkline.
        self.set_class(self.size.width < 100, "narrow")
        if self._last is not None:
            self.show(*self._last)

    def show(self, state: RunState, stats: TrafficStats) -> None:
        self._last = (state, stats)
        line = self.query_one("#traffic-state", Static)
        line.update(status_text(state, stats, line.size.width or None), layout=False)
        self.query_one(Sparkline).data = list(stats.throughput)[-48:]
