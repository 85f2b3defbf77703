"""Modals that ask or tell once: delete confirmation with its impact, and an API key's new secret."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from store.display import visible
from store.words import count

from .form_modal import FitsTerminal


class Confirm(FitsTerminal, ModalScreen[bool]):
    """Asks before an action that cannot be undone: what it is, what else changes, y / n."""

    BODY = ".impact"
    BODY_CAP = 20
    BINDINGS = [
        Binding("escape,n", "answer(False)", "Keep"),
        Binding("y", "answer(True)", "Yes"),
    ]

    def __init__(self, title: Text, lines: list[str], yes: str, no: str = "Keep it", intro: str = "This will also change:",
                 nothing: str = "Nothing else changes."):
        super().__init__()
        self.question = title
        self.lines = lines
        self.yes_label = yes
        self.no_label = no
        self.intro = intro
        self.nothing = nothing

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="confirm-dialog"):
            yield Static(self.question, classes="dialog-title danger")
            with VerticalScroll(classes="impact"):
                if self.lines:
                    yield Static(self.intro, classes="dialog-note")
                    for line in self.lines:
                        yield Static(Text.assemble(("• ", "#ee6352"), visible(line)), classes="impact-line")
                else:
                    yield Static(self.nothing, classes="dialog-note")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes_label, variant="error", id="yes", compact=True)
                yield Button(self.no_label, id="no", compact=True)
            yield Static(f"y {self.yes_label.lower()} · n / esc keep", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ConfirmDelete(Confirm):
    """Shows what a delete resets and removes (the store's preview) and asks before anything happens."""

    def __init__(self, what: str, ident: str, lines: list[str], nothing: str = "Nothing else changes."):
        super().__init__(Text.assemble("Delete ", what, " ", (visible(ident), "bold"), "?"), lines, "Delete", nothing=nothing)
        self.what = what
        self.ident = ident


class ConfirmNewSecret(Confirm):
    """Before a key's secret is replaced: the old one stops working at once, for everything using it."""

    def __init__(self, name: str, links: int):
        scope = f"its {count(links, 'linked platform')}" if links else "full access"
        lines = [
            "the current secret stops working at once: every app, script or API call using it is refused "
            "(UNAUTHORIZED) until it uses the new one",
            f"the new secret is shown once; the key keeps its name, {scope} and dates",
        ]
        super().__init__(Text.assemble("New secret for API key ", (visible(name), "bold"), "?"), lines, "Replace",
                         intro="If you go on:")
        self.key_name = name


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
            yield Static(Text.assemble("Secret for API key ", (visible(self.key_name), "bold")), classes="dialog-title")
            yield Static(Text(visible(self.secret)), classes="secret", id="secret")
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
