"""The panel's top line: running or paused, rate, totals, sticky bindings, and a throughput sparkline."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Sparkline, Static

from store.traffic_stats import TrafficStats

from .styling import DIM


@dataclass(slots=True)
class RunState:
    running: bool
    rate: int
    seed: int
    revision: int
    measured: float | None = None  # decisions per second actually routed, when running in real time


def status_text(state: RunState, stats: TrafficStats) -> Text:
    text = Text()
    if state.running:
        text.append(" ▶ RUNNING ", style="bold #1b2b34 on #59cd90")
    else:
        text.append(" ❚❚ PAUSED ", style="bold #1b2b34 on #f6ae2d")
    text.append(f" {state.rate:,} msg/s", style="bold")
    if state.measured is not None and state.running:
        text.append(f" (now {state.measured:,.0f})", style=DIM)
    text.append(f" seed {state.seed}", style=DIM)
    text.append(" │ ", style=DIM)
    text.append(f"{stats.decisions:,} decisions")
    text.append(" │ ", style=DIM)
    bindings = stats.sticky_bindings
    text.append(f"sticky bindings {'…' if bindings is None else f'{bindings:,}'}")
    text.append(f" │ setup #{state.revision:,}", style=DIM)  # the store's setup version: +1 per change
    return text


class TrafficStatus(Horizontal):
    DEFAULT_CSS = """
    TrafficStatus { height: 1; background: $panel; }
    TrafficStatus > #traffic-state { width: 1fr; height: 1; }
    TrafficStatus > #throughput-label { width: auto; height: 1; color: $text-muted; padding: 0 1; }
    TrafficStatus > Sparkline { width: 16; height: 1; margin-right: 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="traffic-state")
        yield Static("throughput", id="throughput-label")
        yield Sparkline([], id="throughput")

    def show(self, state: RunState, stats: TrafficStats) -> None:
        self.query_one("#traffic-state", Static).update(status_text(state, stats), layout=False)
        self.query_one(Sparkline).data = list(stats.throughput)[-48:]
