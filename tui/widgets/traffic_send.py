"""Send one message by hand (outbound) or inject one arriving message (inbound)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static, TabbedContent, TabPane

from store.errors import InvalidInput, StoreError
from store.routing import InboundRequest, OutboundRequest
from store.routing.checks import check_inbound, check_outbound

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
    SendOneModal .send-field-error { color: $error; height: auto; padding-left: 14; display: none; }
    SendOneModal .send-field-error.shown { display: block; margin-bottom: 1; }
    SendOneModal .send-row.invalid { margin-bottom: 0; }
    SendOneModal .send-row.invalid > Label { color: $error; text-style: bold; }
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
            yield Static(self._title(self.start_inbound), classes="send-title", id="send-title")
            with TabbedContent(initial="inbound" if self.start_inbound else "outbound", id="send-tabs"):
                with TabPane("Outbound (send)", id="outbound"):
                    yield from self._row("to", FormInput(placeholder="e.g. +14155550123 (E.164)", id="out-to", compact=True))
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
                    yield from self._row("text", FormInput(placeholder="the message (optional: routing does not read it)", id="out-text", compact=True))
                with TabPane("Inbound (receive)", id="inbound"):
                    yield from self._row("from", FormInput(placeholder="sender's number, e.g. +14155550123", id="in-from", compact=True))
                    yield from self._row("to (ours)", FormInput(placeholder="one of your numbers (suggested as you type)", id="in-to",
                                                                suggester=StoreSuggester(self.store, "resource"),
                                                                compact=True))
                    yield from self._row("channel", Select(IN_CHANNELS, value="SMS", allow_blank=False,
                                                           id="in-channel", compact=True))
                    yield from self._row("text", FormInput(placeholder="the message (required; a keyword first, e.g. JOIN)", id="in-text", compact=True))
            yield Static("", id="send-error")
            with Horizontal(classes="send-buttons"):
                yield Button("Send", variant="primary", id="send", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Static("ctrl+s send · esc cancel · tab next field", classes="send-keys")

    @staticmethod
    def _title(inbound: bool) -> str:
        if inbound:
            return "Inject one inbound message: it arrives at your number, its decision is highlighted"
        return "Send one message: its decision is highlighted in the stream"

    @staticmethod
    def _row(label: str, control) -> ComposeResult:
        with Horizontal(classes="send-row", id=f"row-{control.id}"):
            yield Label(label)
            yield control
        yield Static("", classes="send-field-error", id=f"error-{control.id}")

    @on(TabbedContent.TabActivated, "#send-tabs")
    def _tab_changed(self) -> None:
        self.query_one("#send-title", Static).update(self._title(self.direction == "INBOUND"))

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
        self._clear_errors()
        try:
            if isinstance(request, InboundRequest) and not (request.text or "").strip():
                # a placeholder is not a message (and inbound routing reads its first word): say so
                raise InvalidInput("is required: type the message to route", "text")
            check_inbound(request) if isinstance(request, InboundRequest) else check_outbound(request)
        except StoreError as error:
            self._show_error(error)
            return
        self.dismiss(request)

    def on_input_submitted(self, event: FormInput.Submitted) -> None:
        event.stop()
        self.action_submit()

    def _show_error(self, error: StoreError) -> None:
        """Bad input stays in the form, beside the field it names; nothing is routed or written."""
        target = ERROR_FIELDS[self.direction].get(error.field or "")
        if not target:
            self.query_one("#send-error", Static).update(f"✗ {error}")
            return
        label = self.query_one(f"#error-{target}", Static)
        label.update(f"✗ {error.message}")
        label.add_class("shown")
        self.query_one(f"#row-{target}").add_class("invalid")
        self.query_one(f"#{target}").focus()

    def _clear_errors(self) -> None:
        self.query_one("#send-error", Static).update("")
        for label in self.query(".send-field-error.shown"):
            label.update("")
            label.remove_class("shown")
        for row in self.query(".send-row.invalid"):
            row.remove_class("invalid")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
