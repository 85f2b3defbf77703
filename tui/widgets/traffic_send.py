"""Send one message by hand (outbound) or inject one arriving message (inbound)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static, TabbedContent, TabPane

from store.errors import StoreError
from store.routing import InboundRequest, OutboundRequest
from store.routing.router import check_inbound, check_outbound

from .fields import FormInput, StoreSuggester, text_or_none

OUT_CHANNELS = [("SMS", "SMS"), ("MMS", "MMS")]
IN_CHANNELS = [("SMS", "SMS"), ("MMS", "MMS"), ("VOICE", "VOICE")]
# The router names fields as the API does; each maps to the control that holds it.
ERROR_FIELDS = {
    "OUTBOUND": {"to": "out-to", "channel": "out-channel", "applicationId": "out-app", "entityId": "out-entity",
                 "from": "out-sender", "apiKey": "out-key", "text": "out-text"},
    "INBOUND": {"from": "in-from", "to": "in-to", "channel": "in-channel", "text": "in-text"},
}


class SendOneModal(ModalScreen[OutboundRequest | InboundRequest | None]):
    """Returns the request to route (checked for bad input first), or None when cancelled."""

    DEFAULT_CSS = """
    SendOneModal { align: center middle; }
    SendOneModal > #send-dialog {
        width: 72; height: auto; max-height: 90%; background: $panel; border: thick $primary; padding: 0 1;
    }
    SendOneModal .send-title { text-style: bold; padding: 0 0 1 0; }
    SendOneModal TabbedContent { height: auto; }
    SendOneModal TabPane { height: auto; padding: 1 0 0 0; }
    SendOneModal .send-row { height: 1; margin-bottom: 1; }
    SendOneModal .send-row > Label { width: 14; color: $text-muted; }
    SendOneModal .send-row > FormInput, SendOneModal .send-row > Select { width: 1fr; }
    SendOneModal #send-error { color: $error; height: auto; }
    SendOneModal .send-buttons { height: 1; margin-top: 1; }
    SendOneModal .send-buttons > Button { margin-right: 2; }
    SendOneModal .send-keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Send"),
    ]

    def __init__(self, store, applications: list[str], inbound: bool = False):
        super().__init__()
        self.store = store
        self.applications = applications or ["default"]
        self.start_inbound = inbound

    def compose(self) -> ComposeResult:
        with Vertical(id="send-dialog"):
            yield Static("Send one message: its decision is highlighted in the stream", classes="send-title")
            with TabbedContent(initial="inbound" if self.start_inbound else "outbound", id="send-tabs"):
                with TabPane("Outbound (send)", id="outbound"):
                    yield from self._row("to", FormInput(placeholder="+14155550123", id="out-to", compact=True))
                    yield from self._row("channel", Select(OUT_CHANNELS, value="SMS", allow_blank=False,
                                                           id="out-channel", compact=True))
                    yield from self._row("application", Select([(a, a) for a in self.applications],
                                                               value="default" if "default" in self.applications
                                                               else self.applications[0],
                                                               allow_blank=False, id="out-app", compact=True))
                    yield from self._row("entity", FormInput(placeholder="none (optional)", id="out-entity",
                                                             suggester=StoreSuggester(self.store, "entity"),
                                                             compact=True))
                    yield from self._row("sender (from)", FormInput(placeholder="let the strategy choose",
                                                                    id="out-sender",
                                                                    suggester=StoreSuggester(self.store, "resource"),
                                                                    compact=True))
                    yield from self._row("API key", FormInput(placeholder="secret (optional)", password=True,
                                                              id="out-key", compact=True))
                    yield from self._row("text", FormInput(placeholder="Hello", id="out-text", compact=True))
                with TabPane("Inbound (receive)", id="inbound"):
                    yield from self._row("from", FormInput(placeholder="+14155550123", id="in-from", compact=True))
                    yield from self._row("to (ours)", FormInput(placeholder="one of the store's numbers", id="in-to",
                                                                suggester=StoreSuggester(self.store, "resource"),
                                                                compact=True))
                    yield from self._row("channel", Select(IN_CHANNELS, value="SMS", allow_blank=False,
                                                           id="in-channel", compact=True))
                    yield from self._row("text", FormInput(placeholder="JOIN now", id="in-text", compact=True))
            yield Static("", id="send-error")
            with Horizontal(classes="send-buttons"):
                yield Button("Send", variant="primary", id="send", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Static("ctrl+s send · esc cancel · tab next field", classes="send-keys")

    @staticmethod
    def _row(label: str, control) -> ComposeResult:
        with Horizontal(classes="send-row"):
            yield Label(label)
            yield control

    def on_mount(self) -> None:
        self.call_after_refresh(self._focus_first)

    def _focus_first(self) -> None:
        self.query_one("#in-from" if self.start_inbound else "#out-to").focus()

    @property
    def direction(self) -> str:
        return "INBOUND" if self.query_one(TabbedContent).active == "inbound" else "OUTBOUND"

    def _text(self, ident: str) -> str | None:
        return text_or_none(self.query_one(f"#{ident}", FormInput).value)

    def request(self) -> OutboundRequest | InboundRequest:
        if self.direction == "INBOUND":
            return InboundRequest(
                from_=self._text("in-from") or "",
                to=self._text("in-to") or "",
                channel=self.query_one("#in-channel", Select).value,
                text=self.query_one("#in-text", FormInput).value,
            )
        return OutboundRequest(
            to=self._text("out-to") or "",
            channel=self.query_one("#out-channel", Select).value,
            application_id=self.query_one("#out-app", Select).value,
            entity_id=self._text("out-entity"),
            sender=self._text("out-sender"),
            api_key=self._text("out-key"),
            text=self.query_one("#out-text", FormInput).value,
        )

    @on(Button.Pressed, "#send")
    def action_submit(self) -> None:
        request = self.request()
        try:
            check_inbound(request) if isinstance(request, InboundRequest) else check_outbound(request)
        except StoreError as error:
            self._show_error(error)
            return
        self.dismiss(request)

    def on_input_submitted(self, event: FormInput.Submitted) -> None:
        event.stop()
        self.action_submit()

    def _show_error(self, error: StoreError) -> None:
        """Bad input stays in the form, named by field; nothing is routed or written."""
        self.query_one("#send-error", Static).update(f"✗ {error}")
        target = ERROR_FIELDS[self.direction].get(error.field or "")
        if target:
            self.query_one(f"#{target}").focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
