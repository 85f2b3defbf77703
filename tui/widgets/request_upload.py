"""Upload a supporting document from a path: the store checks its type and size and answers its id."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from store.errors import StoreError
from store.requests import upload_document, views

from .fields import FormInput
from .workers import in_background


class UploadDocument(ModalScreen[dict | None]):
    """Dismisses with the uploaded document (API form), or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="form-dialog confirm-dialog"):
            yield Static("Upload a document", classes="dialog-title")
            yield Static("pdf, png, jpg, doc(x), xls(x), mp4, mov, avi or webm; at most 10 MiB", classes="dialog-note")
            with Horizontal(classes="form-row", id="row-document"):
                yield Label("File path", classes="form-label")
                yield FormInput(id="field-document", compact=True, classes="form-control", placeholder="~/papers/registration.pdf")
            yield Static("", classes="field-error", id="error-document")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Upload", variant="primary", id="upload", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#field-document").focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#upload")
    def action_upload(self) -> None:
        path = self.query_one("#field-document", Input).value.strip()
        in_background(self, lambda s: views.document(upload_document(s, path)), self.dismiss,
                      group="upload", write=True, failed=self._failed)

    def _failed(self, error: StoreError) -> None:
        label = self.query_one("#error-document", Static)
        label.update(Text(f"✗ {error.message}"))
        label.add_class("shown")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
