"""Modals that ask or tell once: delete confirmation with its impact, and an API key's new secret."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmDelete(ModalScreen[bool]):
    """Shows what a delete resets and removes (the store's preview) and asks before anything happens."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", "Keep"),
        Binding("y", "answer(True)", "Delete"),
    ]

    def __init__(self, what: str, ident: str, lines: list[str]):
        super().__init__()
        self.what = what
        self.ident = ident
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="confirm-dialog"):
            yield Static(Text.assemble("Delete ", self.what, " ", (self.ident, "bold"), "?"), classes="dialog-title danger")
            with VerticalScroll(classes="impact"):
                if self.lines:
                    yield Static("This will also change:", classes="dialog-note")
                    for line in self.lines:
                        yield Static(Text.assemble(("• ", "#ee6352"), line), classes="impact-line")
                else:
                    yield Static("Nothing else changes.", classes="dialog-note")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Delete", variant="error", id="yes", compact=True)
                yield Button("Keep it", id="no", compact=True)
            yield Static("y delete · n / esc keep", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class SecretModal(ModalScreen[None]):
    """A new API key's secret: shown this once (the store keeps only its hash)."""

    BINDINGS = [
        Binding("escape,enter", "close", "Done"),
        Binding("c", "copy", "Copy"),
    ]

    def __init__(self, name: str, secret: str):
        super().__init__()
        self.key_name = name
        self.secret = secret

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="secret-dialog"):
            yield Static(Text.assemble("Secret for API key ", (self.key_name, "bold")), classes="dialog-title")
            yield Static(self.secret, classes="secret", id="secret")
            yield Static(
                "Copy it now: it is shown only this once. The store keeps a hash, not the secret.",
                classes="dialog-note",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Done", variant="primary", id="done", compact=True)
            yield Static("c copy · enter done", classes="dialog-keys")

    @on(Button.Pressed, "#done")
    def action_close(self) -> None:
        self.dismiss(None)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.secret)
        self.notify("secret copied to the clipboard", timeout=2)
