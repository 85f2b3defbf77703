""""What would happen": route a message against the current setup without sending it."""

from __future__ import annotations

import threading

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Select, Static

from store.display import visible

from . import styling as st
from .fields import FormInput, StoreSuggester, text_or_none
from .workers import in_background

_router_lock = threading.Lock()


def explain_decision(app, request_fields: dict):
    """The routing engine's decision for these fields; nothing is written (no log, no binding)."""
    from store.routing import OutboundRequest, Router

    with _router_lock:  # one router per app, its index patched when the store's revision moves
        router = getattr(app, "_explain_router", None)
        if router is None:
            router = app._explain_router = Router(app.store, clock=app.clock)
        else:
            router.refresh()
        return router.explain(OutboundRequest(**request_fields))


class ExplainBox(Vertical):
    """Destination, channel, application, entity, optional sender and key → decision and trace."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.border_title = "Explain · what would happen"
        self.decision = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="explain-columns"):
            with Vertical(id="explain-inputs"):
                yield from self._inputs()
            with VerticalScroll(id="explain-result"):
                yield Static(
                    Text("Type a destination and press enter: the decision and its trace appear here.\n"
                         "Nothing is sent, logged or remembered.", style=st.DIM),
                    id="explain-outcome",
                )

    def _inputs(self) -> ComposeResult:
        store = self.app.store
        with Horizontal(classes="form-row"):
            yield Label("To", classes="form-label")
            yield FormInput(placeholder="+12125550123", id="explain-to", compact=True)
        with Horizontal(classes="form-row"):
            yield Label("Channel", classes="form-label")
            yield Select([("SMS", "SMS"), ("MMS", "MMS")], value="SMS", allow_blank=False, id="explain-channel", compact=True)
        with Horizontal(classes="form-row"):
            yield Label("Application", classes="form-label")
            yield Select([("default", "default")], prompt="default", id="explain-app", compact=True)
        with Horizontal(classes="form-row"):
            yield Label("Entity", classes="form-label")
            yield FormInput(placeholder="none", suggester=StoreSuggester(store, "entity"), id="explain-entity", compact=True)
        with Horizontal(classes="form-row"):
            yield Label("Sender", classes="form-label")
            yield FormInput(placeholder="from the strategy", suggester=StoreSuggester(store, "resource"), id="explain-sender", compact=True)
        with Horizontal(classes="form-row"):
            yield Label("API key", classes="form-label")
            yield FormInput(placeholder="secret (optional)", password=True, id="explain-key", compact=True)
        with Horizontal(classes="dialog-buttons"):
            yield Button("Explain", variant="primary", id="explain-run", compact=True)

    def set_applications(self, ids: list[str]) -> None:
        select = self.query_one("#explain-app", Select)
        current = select.value
        select.set_options([(st.plain(i), i) for i in ids])
        if current in ids:
            select.value = current

    def request_fields(self) -> dict:
        app = self.query_one("#explain-app", Select).value
        return {
            "to": (self.query_one("#explain-to", FormInput).value or "").strip(),
            "channel": self.query_one("#explain-channel", Select).value,
            "application_id": None if app in (Select.NULL, Select.BLANK) else app,
            "entity_id": text_or_none(self.query_one("#explain-entity", FormInput).value),
            "sender": text_or_none(self.query_one("#explain-sender", FormInput).value),
            "api_key": text_or_none(self.query_one("#explain-key", FormInput).value),
        }

    @on(FormInput.Submitted)
    @on(Button.Pressed, "#explain-run")
    def run(self, event=None) -> None:
        if event is not None:
            event.stop()
        fields = self.request_fields()
        app = self.app
        in_background(self, lambda _session: explain_decision(app, fields), self.show_decision, group="explain")

    def show_decision(self, decision) -> None:
        self.decision = decision
        self.query_one("#explain-outcome", Static).update(render_decision(decision))


def render_decision(d) -> Group:
    """Outcome lines, then the trace as a table whose details wrap under their own column."""
    out = Text()
    out.append(f" {d.status} ", style=("reverse " + st.STATUS_STYLE.get(d.status, "")))
    if d.status == "ROUTED":
        out.append("  sender ")
        out.append(visible(d.sender or ""), style="bold")
        out.append(" ")
        out.append_text(st.sender_type(d.sender_type))
        out.append("\nreason ")
        out.append(d.reason or "", style="bold #f6ae2d")
    else:
        out.append("  ")
        out.append(d.error_code or "", style="bold #ee6352")
        if d.error_description:
            out.append(f"\n{visible(d.error_description)}")
    out.append("\n")
    out.append_text(st.platform(d.application_id, d.entity_id))
    out.append("  ")
    out.append_text(st.channel(d.channel))
    if d.country:
        out.append(f"  {visible(d.country)}")
    if d.sending_strategy_id:
        out.append(f"  strategy {d.sending_strategy_id}", style=st.DIM)
    trace = Table.grid(padding=(0, 1))
    trace.add_column(style=st.DIM, justify="right")
    trace.add_column(style="#56b6e8", no_wrap=True)
    trace.add_column(ratio=1)
    for i, step in enumerate(d.trace, 1):
        trace.add_row(str(i), Text(visible(step.step)), Text(visible(step.detail)))  # never markup
    return Group(out, Text("\nTrace", style="bold"), trace)
