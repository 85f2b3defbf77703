"""Why: the selected decision's outcome and every step the routing engine took, in order."""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from store.display import visible
from store.message_status import ERRORS, by_id

from .styling import CHANNEL_STYLE, DELIVERY_STYLE, DIM, STATUS_STYLE
from .traffic_table import INBOUND_STYLE, FeedRow, outcome_text, platform_text

STEP_STYLE = "bold #56b6e8"


def _clock(at) -> str:
    return at.strftime("%H:%M:%S.%f")[:-3]


def delivery_steps(row: FeedRow) -> list:
    """After the routing steps, what the platform reports: accepted, then the final status (or when
    it is due), with the error the report carries."""
    d = row.decision
    status = d.message_status
    parts: list = [Text("delivery", style=f"bold {DIM}")]
    parts.append(Text.assemble((" 1 ", DIM), (status.name, DELIVERY_STYLE["PENDING"])))
    parts.append(Padding(Text(f"{_clock(d.at)} sent (sentAt)"), (0, 0, 0, 3)))
    final = row.final
    if final is None:
        due = f", due {_clock(d.at + d.delivery.delay)}" if d.delivery else ""
        parts.append(Padding(Text(f"waiting for the delivery report{due}", style=DIM), (0, 0, 0, 3)))
        return parts
    final_status = by_id(final.status_id)
    name = final_status.name if final_status else final.general_status
    parts.append(Text.assemble((" 2 ", DIM), (name, DELIVERY_STYLE.get(final.general_status, ""))))
    after = (final.done_at - d.at).total_seconds()
    parts.append(Padding(Text(f"{_clock(final.done_at)} (doneAt, +{after:.1f} s)"), (0, 0, 0, 3)))
    error = ERRORS.get(final.error_id) if final.error_id is not None else None
    if error is not None and error.id:
        permanent = "permanent" if error.permanent else "temporary"
        parts.append(Padding(Text(f"error {error.name} ({permanent}): {error.description}",
                                  style=STATUS_STYLE["REJECTED"]), (0, 0, 0, 3)))
    return parts


def trace_renderable(row: FeedRow | None):
    """Plain text and padding only: cheap enough to redraw while traffic runs."""
    d = row.decision if row else None
    by_hand = bool(row and row.by_hand)
    if d is None:
        return Text("Select a row to see why it was routed that way.", style=DIM)
    head = Text()
    outbound = d.direction == "OUTBOUND"
    head.append(d.status, style=STATUS_STYLE.get(d.status, ""))
    head.append(" ")
    head.append(outcome_text(d), style=STATUS_STYLE["ROUTED"] if d.routed else STATUS_STYLE["REJECTED"])
    if by_hand:
        head.append("\n● sent by hand", style="bold #f6ae2d")
    if row is not None and row.elsewhere:
        where = visible(row.origin) if row.origin else "another program (cpaasx send, the HTTP API)"
        head.append(f"\n◆ from {where}", style="bold #56b6e8")
    when = Text(d.at.strftime("%H:%M:%S.%f")[:-3] + "  ")
    when.append(d.channel or "", style=CHANNEL_STYLE.get(d.channel or "", ""))
    facts: list[tuple[str, str | Text]] = [("at", when)]
    if outbound:
        facts.append(("to", visible(d.to or "—") + (f" ({d.country})" if d.country else "")))
        facts.append(("platform", visible(platform_text(d))))
        facts.append(("sender", visible(d.sender) if d.sender else Text("none", style=DIM)))
        if d.sender_type:
            facts.append(("type", d.sender_type))
        if d.sending_strategy_id:
            facts.append(("strategy", ""))
            facts.append(("", d.sending_strategy_id))  # 32 characters: a line of its own
    else:
        facts.append(("from", visible(d.from_ or "—")))
        facts.append(("to", visible(d.to or "—")))
        facts.append(("landed", Text(visible(platform_text(d)), style=INBOUND_STYLE) if d.routed
                      else Text("nowhere", style=DIM)))
        if d.keyword:
            facts.append(("keyword", visible(d.keyword)))
    parts: list = [head]
    for label, value in facts:
        parts.append(Text.assemble((f"{label:<9}", DIM), value) if label else Text.assemble(value))
    if d.error_description:
        parts.append(Padding(Text(d.error_description, style=STATUS_STYLE["REJECTED"]), (0, 0, 0, 9)))
    parts.append(Text("trace", style=f"bold {DIM}"))
    for number, step in enumerate(d.trace, start=1):
        parts.append(Text.assemble((f"{number:>2} ", DIM), (step.step, STEP_STYLE)))
        parts.append(Padding(Text(visible(step.detail)), (0, 0, 0, 3)))
    if outbound and d.routed:
        parts.extend(delivery_steps(row))
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
        self.row: FeedRow | None = None

    @property
    def decision(self):
        return self.row.decision if self.row else None

    def compose(self):
        yield Static(trace_renderable(None), id="trace-body")

    def show(self, row: FeedRow | None, force: bool = False) -> None:
        """Show `row`'s trace; `force` redraws the same row (its delivery report arrived) where it was."""
        if row is self.row and not force:
            return
        moved_on = row is not self.row
        self.row = row
        self.query_one("#trace-body", Static).update(trace_renderable(row))
        if moved_on:
            self.scroll_home(animate=False)
