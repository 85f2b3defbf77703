"""Choose the delivery profile live traffic is planned with: a shipped one, or a file."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from store.delivery_profile import SHIPPED, DeliveryProfile, load_profile, shipped_profile
from store.display import visible
from store.errors import InvalidInput

from .fields import FormInput


class DeliveryChoice(ModalScreen[DeliveryProfile | None]):
    """Returns the profile chosen (read and checked), or None when cancelled."""

    DEFAULT_CSS = """
    DeliveryChoice { align: center middle; }
    DeliveryChoice > #delivery-dialog {
        width: 76; max-width: 100%; height: auto; max-height: 100%; background: $panel;
        border: thick $primary; padding: 0 1;
    }
    DeliveryChoice .dialog-title { text-style: bold; padding: 0 0 1 0; }
    DeliveryChoice OptionList { height: auto; max-height: 8; margin-bottom: 1; }
    DeliveryChoice .file-row { height: 1; }
    DeliveryChoice .file-row > Label { width: 6; color: $text-muted; }
    DeliveryChoice .file-row > FormInput { width: 1fr; }
    DeliveryChoice #delivery-error { color: $error; height: auto; }
    DeliveryChoice .dialog-note { color: $text-muted; height: auto; margin-top: 1; }
    DeliveryChoice .dialog-buttons { height: 1; margin-top: 1; }
    DeliveryChoice .dialog-buttons > Button { margin-right: 2; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: DeliveryProfile):
        super().__init__()
        self.current = current
        self.profiles = [shipped_profile(name) for name in SHIPPED]

    def compose(self) -> ComposeResult:
        with Vertical(id="delivery-dialog"):
            yield Static(Text.assemble("Delivery profile — now ", (visible(self.current.describe()), "bold")),
                         classes="dialog-title")
            yield OptionList(*[Option(visible(p.describe()), id=p.name) for p in self.profiles], id="delivery-shipped")
            with Horizontal(classes="file-row"):
                yield Label("file")
                yield FormInput(placeholder="or a profile file (YAML, see docs/delivery.md)", id="delivery-file",
                                compact=True)
            yield Static("", id="delivery-error")
            yield Static("Messages routed from now on are planned with it; those already on their way keep "
                         "their plan.", classes="dialog-note")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Use", variant="primary", id="use", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        names = [p.name for p in self.profiles]
        options.highlighted = names.index(self.current.name) if self.current.name in names else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.profiles[event.option_index])

    @on(FormInput.Submitted, "#delivery-file")
    def _file_submitted(self) -> None:
        self._use()

    @on(Button.Pressed, "#use")
    def _use(self) -> None:
        path = self.query_one("#delivery-file", FormInput).value.strip()
        if not path:
            index = self.query_one(OptionList).highlighted
            self.dismiss(self.profiles[index or 0])
            return
        try:
            profile = load_profile(path, "file")
        except InvalidInput as exc:
            where = f"{exc.field}: " if exc.field else ""
            self.query_one("#delivery-error", Static).update(Text(visible(where + exc.message)))
            return
        self.dismiss(profile)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
