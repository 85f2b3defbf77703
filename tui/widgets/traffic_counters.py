"""Counters per application and per entity, side by side: sent, rejected, inbound landed, then the
delivery reports (delivered, undeliverable, expired) and the rejections by code."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store.display import visible
from store.traffic_stats import Counts, CountsRow, TrafficStats

from .styling import DELIVERY_STYLE, DIM, STATUS_STYLE
from .traffic_table import INBOUND_STYLE

MAX_ROWS = 200  # busiest first; a store with thousands of entities still draws quickly


NAME = 9  # with the six figures, a line fits half of a 120-column terminal


class CountsLines:
    """One counters table as fixed-width lines (a Rich table is too slow to redraw ten times a second), busiest
    row first; each line is made only when it is drawn, so a thousand entities cost the lines in view."""

    def __init__(self, title: str, rows: list[CountsRow], total: Counts, none_label: str, caption: str = ""):
        self.title, self.rows, self.total = title, rows[:MAX_ROWS], total
        self.none_label, self.caption = none_label, caption

    def __len__(self) -> int:
        return 1 + (len(self.rows) + 1 if self.rows else 1) + bool(self.caption)

    def line(self, index: int) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        rows = self.rows
        if index == 0:
            text.append(f"{self.title:<{NAME}} {'sent':>5} {'rejected':>8} {'landed':>6} {'delivered':>9}"
                        f" {'undeliv':>7} {'expired':>7}  rejected by code", style=f"bold {DIM}")
        elif index <= len(rows):
            row = rows[index - 1]
            c = row.counts
            name = visible(row.key) if row.key is not None else self.none_label
            if len(name) > NAME:
                name = name[: NAME - 1] + "…"
            text.append(f"{name:<{NAME}}", style="" if row.key is not None else DIM)
            _figures(text, c)
            text.append(f"  {c.codes()}", style=DIM)
        elif index == len(rows) + 1:
            if rows:
                text.append(f"{'total':<{NAME}}", style="bold")
                _figures(text, self.total)
            else:
                text.append("no traffic yet", style=DIM)
        else:
            text.append(self.caption, style=DIM)
        return text

    @property
    def text(self) -> Text:
        """Every line (what a test reads)."""
        return Text("\n").join(self.line(i) for i in range(len(self)))


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


class CountsView(ScrollView):
    """One counters table, drawn line by line: only the lines in view are made and rendered, so a store with
    a thousand entities costs a few lines per redraw, not a text widget re-laid out over all its rows."""

    DEFAULT_CSS = """
    CountsView { width: 1fr; height: 1fr; scrollbar-size-vertical: 1; padding: 0 1; overflow-x: hidden; }
    """

    def __init__(self, lines: CountsLines, *, id: str | None = None):
        super().__init__(id=id)
        self.lines = lines
        self._strips: dict[int, Strip] = {}  # line index -> its strip, until the lines or the width change
        self._strips_width = 0

    @property
    def text(self) -> Text:
        return self.lines.text

    def on_mount(self) -> None:
        self.show(self.lines)

    def show(self, lines: CountsLines) -> None:
        self.lines = lines
        self._strips.clear()
        self.virtual_size = Size(0, len(lines))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if width != self._strips_width:
            self._strips.clear()
            self._strips_width = width
        index = int(self.scroll_y) + y
        strip = self._strips.get(index)
        if strip is None:
            if index >= len(self.lines):
                return Strip.blank(width, base)
            line = self.lines.line(index)
            line.truncate(width, overflow="ellipsis")
            segments = [Segment(seg.text, base + seg.style if seg.style else base)
                        for seg in line.render(self.app.console) if seg.text]
            strip = self._strips[index] = Strip(segments).adjust_cell_length(width, base)
        return strip


class TrafficCounters(Horizontal):
    """Each table scrolls on its own; every figure is an aggregate of the whole run."""

    DEFAULT_CSS = """
    TrafficCounters { height: 10; border-top: tall $panel; }
    """

    def compose(self) -> ComposeResult:
        yield CountsView(CountsLines("app", [], Counts(), "—"), id="counts-applications")
        yield CountsView(CountsLines("entity", [], Counts(), "—"), id="counts-entities")

    def show(self, stats: TrafficStats) -> None:
        self.query_one("#counts-applications", CountsView).show(
            CountsLines("app", stats.application_rows(), stats.total, "(none)", unrouted_caption(stats)))
        self.query_one("#counts-entities", CountsView).show(
            CountsLines("entity", stats.entity_rows(), stats.total, "(no entity)"))
