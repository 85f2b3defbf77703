"""Why: the selected decision's outcome and every step the routing engine took, in order."""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from store.routing import Decision

from .styling import CHANNEL_STYLE, DIM, STATUS_STYLE
from .traffic_table import INBOUND_STYLE, outcome_text, platform_text


def trace_renderable(d: Decision | None, by_hand: bool = False):
    """Plain text and padding only: cheap enough to redraw while traffic runs."""
    if d is None:
        return Text("Select a row to see why it was routed that way.", style=DIM)
    head = Text()
    outbound = d.direction == "OUTBOUND"
    head.append(d.status, style=STATUS_STYLE.get(d.status, ""))
    head.append(" ")
    head.append(outcome_text(d), style=STATUS_STYLE["ROUTED"] if d.routed else STATUS_STYLE["REJECTED"])
    if by_hand:
        head.append("\n● sent by hand", style="bold #f6ae2d")
    when = Text(d.at.strftime("%H:%M:%S.%f")[:-3] + "  ")
    when.append(d.channel or "", style=CHANNEL_STYLE.get(d.channel or "", ""))
    facts: list[tuple[str, str | Text]] = [("at", when)]
    if outbound:
        facts.append(("to", f"{d.to or '—'}" + (f" ({d.country})" if d.country else "")))
        facts.append(("platform", platform_text(d)))
        facts.append(("sender", d.sender or Text("none", style=DIM)))
        if d.sender_type:
            facts.append(("type", d.sender_type))
        if d.sending_strategy_id:
            facts.append(("strategy", ""))
            facts.append(("", d.sending_strategy_id))  # 32 characters: a line of its own
    else:
        facts.append(("from", d.from_ or "—"))
        facts.append(("to", d.to or "—"))
        facts.append(("landed", Text(platform_text(d), style=INBOUND_STYLE) if d.routed else Text("nowhere", style=DIM)))
        if d.keyword:
            facts.append(("keyword", d.keyword))
    parts: list = [head]
    for label, value in facts:
        parts.append(Text.assemble((f"{label:<9}", DIM), value) if label else Text.assemble(value))
    if d.error_description:
        parts.append(Padding(Text(d.error_description, style=STATUS_STYLE["REJECTED"]), (0, 0, 0, 9)))
    parts.append(Text("trace", style=f"bold {DIM}"))
    for number, step in enumerate(d.trace, start=1):
        parts.append(Text.assemble((f"{number:>2} ", DIM), (step.step, "bold #56b6e8")))
        parts.append(Padding(Text(step.detail), (0, 0, 0, 3)))
    return Group(*parts)


class TracePane(VerticalScroll):
    """The trace of the decision under the table's cursor."""

    DEFAULT_CSS = """
    TracePane {
        width: 37; border-left: tall $panel; padding: 0 1; background: $surface; scrollbar-size-vertical: 1;
    }
    TracePane > Static { width: 1fr; }
    """

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.border_title = "why"
        self.decision: Decision | None = None

    def compose(self):
        yield Static(trace_renderable(None), id="trace-body")

    def show(self, d: Decision | None, by_hand: bool = False) -> None:
        if d is self.decision:
            return
        self.decision = d
        self.query_one("#trace-body", Static).update(trace_renderable(d, by_hand))
        self.scroll_home(animate=False)
