"""What every area screen shares: header, area bar, a record table, a side pane, forms and deletes."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Static

from store.deletes import delete, preview_delete
from store.listing import all_ids

from ..widgets.footer import AreaFooter
from ..widgets.confirm import ConfirmDelete
from ..widgets.fields import FormField, StoreSuggester
from ..widgets.form_modal import FormModal
from ..widgets.record_table import Column, RecordTable
from ..widgets.relations import RelationsPane
from ..widgets.workers import in_background
from . import AREAS

SELECT_LIMIT = 300  # more choices than this: a text field with suggestions instead of a drop-down


class AreaBar(Static):
    """The areas, their keys, the current one lit: every area fits (short titles on a narrow terminal)."""

    def __init__(self, current: str):
        super().__init__(classes="area-bar")
        self.current = current

    def on_mount(self) -> None:
        self.update(self.tabs(self.content_size.width or self.app.size.width - 2))

    def on_resize(self) -> None:
        self.update(self.tabs(self.content_size.width))

    def tabs(self, width: int) -> Text:
        """The widest spelling that fits in `width` cells: titles two apart, one apart, then short titles
        (one apart, then side by side: each tab ends in a space)."""
        choices = [(False, "  "), (False, " "), (True, " "), (True, "")]
        for short, gap in choices:
            text = self._tabs(short, gap)
            if text.cell_len <= width:
                return text
        return text

    def _tabs(self, short: bool, gap: str) -> Text:
        text = Text(no_wrap=True, overflow="crop")
        for i, a in enumerate(AREAS):
            on_it = a.mode == self.current
            click = Style(meta={"@click": f"app.area('{a.mode}')"})  # a tab is clicked like its key is pressed
            if i:
                text.append(gap)
            title = (a.short or a.title) if short else a.title
            text.append(a.key, style=Style.parse("bold reverse #f6ae2d" if on_it else "bold #f6ae2d") + click)
            text.append(f" {title} ", style=(Style.parse("bold reverse") if on_it else Style()) + click)
        return text


class AreaBase(Screen):
    """An area's screen, restyled when it comes back, not when it is new.

    Textual restyles every node of a screen at each ScreenResume, and a new mode's screen gets two of them
    (about 1 ms a node with this stylesheet, 100 ms of a first visit of Strategies). A new screen's nodes are
    styled as they mount, so only a screen back from suspension is restyled, once."""

    _suspended = False  # since it was last restyled

    def _on_screen_suspend(self) -> None:
        self._suspended = True

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._suspended:
            event.refresh_styles = False  # read by Screen's own handler, next in the MRO
        self._suspended = False


class AreaScreen(AreaBase):
    """One area: a paged table of `KIND` rows beside a pane about the highlighted row."""

    AREA: ClassVar[str] = ""
    KIND: ClassVar[str] = ""  # store.listing kind
    DELETE_KIND: ClassVar[str] = ""  # store.deletes kind
    ID_FIELD: ClassVar[str] = ""
    NOUN: ClassVar[str] = ""
    PLACEHOLDER: ClassVar[str] = "type to filter"
    TYPING_HINT: ClassVar[str] = "typing · esc back to the table · tab next field"  # the footer, in a text box

    BINDINGS = [
        Binding("n", "new", "New"),
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
        Binding("r", "reload", "Refresh", show=False),
        Binding("escape", "clear_filter", "Table"),
    ]

    def __init__(self):
        super().__init__()
        self.stale = False
        self.side_row: dict | None = None

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        yield Header()
        yield AreaBar(self.AREA)
        with Horizontal(id="body"):
            yield RecordTable(self.KIND, self.ID_FIELD, self.columns(), self.PLACEHOLDER, id="table")
            yield from self.compose_side()
        yield AreaFooter()

    def compose_side(self) -> ComposeResult:
        yield RelationsPane(id="side", classes="side-pane")

    @property
    def table(self) -> RecordTable:
        return self.query_one("#table", RecordTable)

    def on_mount(self) -> None:
        self.table.reload()
        self.table.data_table.focus()

    def on_screen_resume(self) -> None:
        if self.stale:
            self.refresh_data()

    def refresh_data(self) -> None:
        """Read again what is shown (another process, or another area, changed the store)."""
        self.stale = False
        self.table.reload()

    def show_record(self, ident: str) -> None:
        self.table.show_record(ident)

    # -- side pane -------------------------------------------------------------------------------
    @on(RecordTable.Highlighted)
    def _row_highlighted(self, event: RecordTable.Highlighted) -> None:
        self.side_row = event.row
        if event.row is None:
            self.clear_side()
        else:
            self.load_side(event.row)

    def clear_side(self) -> None:
        pane = self.query("#side").first()
        if isinstance(pane, RelationsPane):
            pane.clear("nothing selected")

    def load_side(self, row: dict) -> None:
        """Fill the side pane for `row` (areas override)."""

    @on(RecordTable.Chosen)
    def _row_chosen(self, event: RecordTable.Chosen) -> None:
        self.action_edit()

    @on(RelationsPane.Chosen)
    def _relation_chosen(self, event: RelationsPane.Chosen) -> None:
        target = event.target
        if isinstance(target, tuple) and len(target) == 2 and isinstance(target[0], str):
            mode, ident = target
            if any(a.mode == mode for a in AREAS):
                self.app.open_record(mode, ident)
                return
        self.relation_chosen(target)

    def relation_chosen(self, target: Any) -> None:
        """A line of the side pane that is not a jump (areas override)."""

    # -- create, edit, delete --------------------------------------------------------------------
    def form(self, session, row: dict | None) -> FormModal:
        """The create (row None) or edit form, built with the choices read in `session`."""
        raise NotImplementedError

    def open_form(self, build, after=None) -> None:
        """Read the form's choices in a worker, then show it; `after(result)` runs when it saves."""

        def shown(modal: FormModal) -> None:
            self.app.push_screen(modal, lambda result: self._form_done(result, after))

        in_background(self, build, shown, group="form-open")

    def _form_done(self, result, after) -> None:
        if result is None:
            return
        if after is not None:
            after(result)
        else:
            ident = result.get(self.ID_FIELD) if isinstance(result, dict) else None
            self.notify(f"{self.NOUN} {ident} saved", timeout=3)
            self.table.reload(keep=str(ident) if ident else None)

    def action_new(self) -> None:
        self.open_form(lambda session: self.form(session, None))

    def action_edit(self) -> None:
        row = self.table.current_row()
        if row is None:
            self.notify(f"no {self.NOUN} selected", severity="warning", timeout=3)
            return
        self.open_form(lambda session: self.form(session, row))

    def action_delete(self) -> None:
        row = self.table.current_row()
        if row is None:
            self.notify(f"no {self.NOUN} selected", severity="warning", timeout=3)
            return
        self.confirm_delete(self.DELETE_KIND, str(row[self.ID_FIELD]), self.NOUN)

    def confirm_delete(self, kind: str, ident: str, noun: str) -> None:
        """Preview the cascade, ask, and only then delete (in one transaction)."""

        def ask(lines: list[str]) -> None:
            self.app.push_screen(ConfirmDelete(noun, ident, lines), lambda yes: yes and go())

        def go() -> None:
            in_background(self, lambda s: delete(s, kind, ident).lines(), deleted, group="delete", write=True)

        def deleted(lines: list[str]) -> None:
            self.notify("\n".join(lines) or "nothing else changed", title=f"Deleted {noun} {ident}", timeout=5)
            self.refresh_data()

        in_background(self, lambda s: preview_delete(s, kind, ident).lines(), ask, group="delete-preview")

    def action_reload(self) -> None:
        self.refresh_data()

    def action_clear_filter(self) -> None:
        """Escape: back to the table from elsewhere; in the table, clear the filter."""
        table = self.table
        filter_box = table.query_one("#filter")
        if table.has_focus_within and filter_box.value:
            filter_box.value = ""
        table.data_table.focus()

    def action_focus_filter(self) -> None:
        self.table.action_focus_filter()


# -- choices shared by forms ---------------------------------------------------------------------
def application_field(session, name: str, value: str | None, label: str = "Application", **kwargs) -> FormField:
    ids, _more = all_ids(session, "application", limit=1000)
    return FormField(name, label, "select", value=value, options=[(i, i) for i in ids], **kwargs)


def entity_field(session, store, name: str, value: str | None, label: str = "Entity", **kwargs) -> FormField:
    """A drop-down of entities, or a text field with suggestions when there are many."""
    ids, more = all_ids(session, "entity", limit=SELECT_LIMIT)
    if more:
        return FormField(name, label, value=value, suggester=StoreSuggester(store, "entity"), placeholder="entity id (suggested as you type)", **kwargs)
    options = [(i, i) for i in ids]
    if value and value not in ids:
        options.insert(0, (value, value))
    return FormField(name, label, "select", value=value, options=options, blank_label="none", **kwargs)


def focusable(widget: Widget) -> bool:
    return widget.focusable
