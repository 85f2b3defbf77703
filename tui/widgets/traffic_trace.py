"""Why: the selected decision's outcome and every step the routing engine took, in order."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from store.routing import Decision

from .styling import CHANNEL_STYLE, DIM, STATUS_STYLE
from .traffic_table import INBOUND_STYLE, outcome_text, platform_text


def trace_renderable(d: Decision | None, by_hand: bool = False):
    if d is None:
        return Text("Select a row to see why it was routed that way.", style=DIM)
    head = Text()
    outbound = d.direction == "OUTBOUND"
    head.append(d.status, style=STATUS_STYLE.get(d.status, ""))
    head.append(" ")
    head.append(outcome_text(d), style=STATUS_STYLE["ROUTED"] if d.routed else STATUS_STYLE["REJECTED"])
    if by_hand:
        head.append("  ● sent by hand", style="bold #f6ae2d")
    facts = Table.grid(padding=(0, 1))
    facts.add_column(style=DIM, no_wrap=True)
    facts.add_column()
    facts.add_row("at", d.at.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3])
    facts.add_row("channel", Text(d.channel or "", style=CHANNEL_STYLE.get(d.channel or "", "")))
    if outbound:
        facts.add_row("to", f"{d.to or '—'}" + (f"  ({d.country})" if d.country else ""))
        facts.add_row("platform", platform_text(d))
        facts.add_row("sender", f"{d.sender} ({d.sender_type})" if d.sender else Text("none", style=DIM))
        if d.sending_strategy_id:
            facts.add_row("strategy", d.sending_strategy_id)
    else:
        facts.add_row("from", d.from_ or "—")
        facts.add_row("to", d.to or "—")
        facts.add_row("landed", Text(platform_text(d), style=INBOUND_STYLE) if d.routed else Text("nowhere", style=DIM))
        if d.keyword:
            facts.add_row("keyword", d.keyword)
    if d.error_description:
        facts.add_row("error", Text(d.error_description, style=STATUS_STYLE["REJECTED"]))
    steps = Table.grid(padding=(0, 1))
    steps.add_column(style=DIM, justify="right", no_wrap=True)
    steps.add_column(ratio=1)
    for number, step in enumerate(d.trace, start=1):
        steps.add_row(str(number), Text.assemble((step.step, "bold #56b6e8"), "\n", step.detail))
    return Group(head, facts, Text("trace", style=f"bold {DIM}"), steps)


class TracePane(VerticalScroll):
    """The trace of the decision under the table's cursor."""

    DEFAULT_CSS = """
    TracePane { width: 38; border-left: tall $panel; padding: 0 1; background: $surface; }
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
