"""Counters per application and per entity, side by side: sent, rejected, inbound landed, then the
delivery reports (delivered, undeliverable, expired) and the rejections by code."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from store.display import visible
from store.traffic_stats import Counts, CountsRow, TrafficStats

from .styling import DELIVERY_STYLE, DIM, STATUS_STYLE
from .traffic_table import INBOUND_STYLE

MAX_ROWS = 200  # busiest first; a store with thousands of entities still draws quickly


NAME = 9  # with the six figures, a line fits half of a 120-column terminal


def counts_text(title: str, rows: list[CountsRow], total: Counts, none_label: str, caption: str = "") -> Text:
    """Fixed-width lines (a Rich table is too slow to redraw ten times a second): one per row, busiest first."""
    head = f"bold {DIM}"
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{title:<{NAME}} {'sent':>5} {'rejected':>8} {'landed':>6} {'delivered':>9} {'undeliv':>7}"
                f" {'expired':>7}  rejected by code\n", style=head)
    for row in rows[:MAX_ROWS]:
        c = row.counts
        name = visible(row.key) if row.key is not None else none_label
        if len(name) > NAME:
            name = name[: NAME - 1] + "…"
        text.append(f"{name:<{NAME}}", style="" if row.key is not None else DIM)
        _figures(text, c)
        text.append(f"  {c.codes()}\n", style=DIM)
    if not rows:
        text.append("no traffic yet\n", style=DIM)
    else:
        text.append(f"{'total':<{NAME}}", style="bold")
        _figures(text, total)
        text.append("\n")
    if caption:
        text.append(caption + "\n", style=DIM)
    text.rstrip()
    return text


def _figures(text: Text, c: Counts) -> None:
    text.append(f" {c.sent:>5,}", style=STATUS_STYLE["ROUTED"])
    text.append(f" {c.rejected_total:>8,}", style=STATUS_STYLE["REJECTED"] if c.rejected_total else DIM)
    text.append(f" {c.landed:>6,}", style=INBOUND_STYLE)
    for group, width in (("DELIVERED", 9), ("UNDELIVERABLE", 7), ("EXPIRED", 7)):
        value = c.final[group]
        text.append(f" {value:>{width},}", style=DELIVERY_STYLE[group] if value else DIM)


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
    TrafficCounters > VerticalScroll { width: 1fr; height: 1fr; scrollbar-size-vertical: 1; padding: 0 1; }
    TrafficCounters Static { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self._lines: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="counters-applications", can_focus=False):
            yield Static(counts_text("app", [], Counts(), "—"), id="counts-applications")
        with VerticalScroll(id="counters-entities", can_focus=False):
            yield Static(counts_text("entity", [], Counts(), "—"), id="counts-entities")

    def show(self, stats: TrafficStats) -> None:
        self._update("#counts-applications",
                     counts_text("app", stats.application_rows(), stats.total, "(none)", unrouted_caption(stats)))
        self._update("#counts-entities", counts_text("entity", stats.entity_rows(), stats.total, "(no entity)"))

    def _update(self, selector: str, text: Text) -> None:
        lines = len(text.plain.splitlines())
        # A new layout only when the number of lines changed: most batches only change figures.
        self.query_one(selector, Static).update(text, layout=lines != self._lines.get(selector))
        self._lines[selector] = lines
