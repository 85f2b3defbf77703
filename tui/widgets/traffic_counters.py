"""Counters per application and per entity (sent, rejected by code, inbound landed), side by side."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from store.traffic_stats import Counts, CountsRow, TrafficStats

from .styling import DIM, STATUS_STYLE
from .traffic_table import INBOUND_STYLE

MAX_ROWS = 200  # busiest first; a store with thousands of entities still draws quickly


def counts_table(title: str, rows: list[CountsRow], total: Counts, none_label: str, caption: str = "") -> Table:
    table = Table(box=None, expand=True, padding=(0, 1), header_style=f"bold {DIM}", show_footer=bool(rows),
                  footer_style="bold", caption=caption or None, caption_style=DIM, caption_justify="left")
    table.add_column(title, ratio=2, no_wrap=True, overflow="ellipsis", footer="total")
    table.add_column("sent", justify="right", style=STATUS_STYLE["ROUTED"], footer=f"{total.sent:,}")
    table.add_column("rejected", justify="right", style=STATUS_STYLE["REJECTED"], footer=f"{total.rejected_total:,}")
    table.add_column("landed", justify="right", style=INBOUND_STYLE, footer=f"{total.landed:,}")
    table.add_column("rejected by code", ratio=3, no_wrap=True, overflow="ellipsis", style=DIM)
    for row in rows[:MAX_ROWS]:
        c = row.counts
        name = Text(row.key) if row.key is not None else Text(none_label, style=DIM)
        table.add_row(name, f"{c.sent:,}", f"{c.rejected_total:,}", f"{c.landed:,}", c.codes())
    if not rows:
        table.add_row(Text("no traffic yet", style=DIM), "", "", "", "")
    return table


def unrouted_caption(stats: TrafficStats) -> str:
    """Inbound messages that landed in no application are counted apart, by code."""
    if not stats.inbound_rejected:
        return ""
    counts = Counts(rejected=stats.inbound_rejected)
    return f"inbound landed nowhere: {counts.codes()}"


class TrafficCounters(Horizontal):
    """Each table scrolls on its own; every figure is an aggregate of the whole run."""

    DEFAULT_CSS = """
    TrafficCounters { height: 10; border-top: tall $panel; }
    TrafficCounters > VerticalScroll { width: 1fr; height: 1fr; scrollbar-size-vertical: 1; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="counters-applications", can_focus=False):
            yield Static(counts_table("application", [], Counts(), "—"), id="counts-applications")
        with VerticalScroll(id="counters-entities", can_focus=False):
            yield Static(counts_table("entity", [], Counts(), "—"), id="counts-entities")

    def show(self, stats: TrafficStats) -> None:
        self.query_one("#counts-applications", Static).update(
            counts_table("application", stats.application_rows(), stats.total, "(none)", unrouted_caption(stats))
        )
        self.query_one("#counts-entities", Static).update(
            counts_table("entity", stats.entity_rows(), stats.total, "(no entity)")
        )
