"""A modal form for any object: saves through the store's rules, shows their errors beside the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Select, Static

from store.errors import StoreError

from . import styling as st
from .fields import FormField, FormInput, field_for_error, text_or_none
from .workers import in_background


def fit_body(screen, body, cap: int = 26, rows: int | None = None) -> None:
    """Give the dialog's scrolling `body` the rows the terminal leaves once everything else in the dialog
    (title, note, buttons, key hints) has its own: the buttons stay on screen and the body scrolls."""
    dialog = screen.query_one("#dialog")
    others = sum(
        w.outer_size.height + w.styles.margin.top + w.styles.margin.bottom
        for w in dialog.children
        if w is not body and w.display
    )
    if rows is None:
        rows = int(screen.size.height * 0.95)  # the dialog's max-height
    room = rows - dialog.styles.gutter.height - others
    room -= body.styles.margin.top + body.styles.margin.bottom
    body.styles.max_height = max(3, min(cap, room))


class FitsTerminal:
    """A dialog whose `BODY` (a scrolling container) shrinks to the terminal, so its buttons stay visible."""

    BODY = ".form-fields"
    BODY_CAP = 26

    def dialog_rows(self) -> int | None:
        """The most rows the dialog may take (None: its max-height, 95 % of the terminal)."""
        return None

    def fit(self) -> None:
        bodies = self.query(self.BODY)
        if bodies:
            fit_body(self, bodies.first(), self.BODY_CAP, self.dialog_rows())

    def on_mount(self) -> None:
        self.call_after_refresh(self.fit)

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit)


class FormModal(FitsTerminal, ModalScreen[Any]):
    """Fields, Save and Cancel. `save(session, values)` runs in one transaction; its result is dismissed."""

    AUTO_FOCUS = ".form-control, CheckGroup Checkbox"  # the first field that can be edited
    KEYS_HINT = "ctrl+s save · esc cancel · tab next field"

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, title: str, fields: list[FormField], save: Callable[[Any, dict], Any], submit: str = "Save", note: str = "", dense: bool = False):
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.save_job = save
        self.submit_label = submit
        self.note = note
        self.saving = False
        self.dense = dense

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="form-dialog dense" if self.dense else "form-dialog"):
            yield Static(st.plain(self.form_title) if isinstance(self.form_title, str) else self.form_title,
                         classes="dialog-title")  # titles quote ids: never markup
            if self.note:
                yield Static(self.note, classes="dialog-note")
            with FieldScroll(classes="form-fields"):
                for f in self.fields:
                    with Horizontal(classes="form-row hinted" if f.hint else "form-row", id=f"row-{_safe(f.name)}"):
                        yield Label(f.label, classes="form-label")
                        if f.kind != "note":
                            yield self._control(f)
                        for label, action in f.buttons:
                            yield RowButton(label, action=action, compact=True, classes="row-button")
                    if f.hint:
                        yield Static(f.hint, classes="form-hint")
                    yield Static("", classes="field-error", id=f"error-{_safe(f.name)}")
            yield Static("", classes="field-error", id="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.submit_label, variant="primary", id="save", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Static(self.KEYS_HINT, classes="dialog-keys")

    def _control(self, f: FormField):
        ident = f"field-{_safe(f.name)}"
        if f.kind == "select":
            return Select(
                [(st.plain(label) if isinstance(label, str) else label, value) for label, value in f.options],
                value=f.value if f.value is not None else Select.NULL,
                allow_blank=f.allow_blank,
                prompt=f.blank_label,
                id=ident,
                compact=True,
                disabled=f.readonly,
                classes="form-control",
            )
        if f.kind == "check":
            return Checkbox("", bool(f.value), id=ident, compact=True, classes="form-control")
        if f.kind == "multi":
            return CheckGroup(f.options, f.value or [], disabled=f.readonly, id=ident, classes="form-control")
        return FormInput(
            value="" if f.value is None else str(f.value),
            placeholder=f.placeholder,
            suggester=f.suggester,
            id=ident,
            compact=True,
            disabled=f.readonly,
            classes="form-control",
        )

    def _focus_field(self, f: FormField) -> None:
        control = self.query_one(f"#field-{_safe(f.name)}")
        if f.kind == "multi":
            control = control.query(Checkbox).first()
        control.focus()

    def values(self) -> dict:
        out: dict = {}
        for f in self.fields:
            if f.kind == "note":
                continue
            control = self.query_one(f"#field-{_safe(f.name)}")
            if f.kind == "select":
                value = control.value
                out[f.name] = None if value in (Select.NULL, Select.BLANK) else value
            elif f.kind == "check":
                out[f.name] = control.value
            elif f.kind == "multi":
                out[f.name] = control.chosen()
            else:
                out[f.name] = text_or_none(control.value)
        return out

    # -- saving ----------------------------------------------------------------------------------
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        self._clear_errors()
        values = self.values()
        in_background(
            self,
            lambda session: self.save_job(session, values),
            self._saved,
            group="form-save",
            write=True,
            failed=self._failed,
        )

    def on_input_submitted(self, event: FormInput.Submitted) -> None:
        event.stop()
        self.action_save()

    def _saved(self, result) -> None:
        self.saving = False
        self.dismiss(result)

    def _failed(self, error: StoreError) -> None:
        """Show the store's own message beside the field it names; nothing was written."""
        self.saving = False
        target = field_for_error(self.fields, error.field)
        if target is None:
            label = self.query_one("#form-error", Static)
            label.update(st.plain(f"✗ {error}"))
            label.add_class("shown")
            self.call_after_refresh(self.fit)
            return
        label = self.query_one(f"#error-{_safe(target.name)}", Static)
        label.update(st.plain(f"✗ {error.message}" + (f"  ({error.field})" if error.field not in target.error_keys() else "")))
        label.add_class("shown")
        self.query_one(f"#row-{_safe(target.name)}").add_class("invalid")
        if not target.readonly:
            self._focus_field(target)

    def _clear_errors(self) -> None:
        clear_field_errors(self)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def clear_field_errors(screen) -> None:
    """Empty every field's error line and unmark its row: a form about to be checked again."""
    for label in screen.query(".field-error"):
        label.update("")
        label.remove_class("shown")
    for row in screen.query(".form-row.invalid"):
        row.remove_class("invalid")


class FieldScroll(VerticalScroll, can_focus=False):
    """The fields, scrolled when the terminal is short; never a tab stop of its own (tab goes field to field)."""


class RowButton(Button, can_focus=False):
    """A small button beside a field, for the mouse: the keyboard has a key for the same action."""


class CheckGroup(Horizontal):
    """A row of compact check boxes: a multiple choice among a few values."""

    def __init__(self, options: list[str], chosen: list[str], disabled: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.options = options
        self.initial = set(chosen)
        self.locked = disabled

    def compose(self) -> ComposeResult:
        for option in self.options:
            yield Checkbox(option, option in self.initial, compact=True, name=option, disabled=self.locked)

    def chosen(self) -> list[str]:
        return [box.name for box in self.query(Checkbox) if box.value]


def _safe(name: str) -> str:
    return name.replace(".", "-").replace("[", "-").replace("]", "")
