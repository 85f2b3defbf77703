"""A paged, sortable table with a filter box: one page of rows is read at a time, in a worker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from store.display import visible
from store.listing import list_page

from .fields import FormInput
from .row_table import RowTable
from .workers import in_background

PAGE_SIZE = 50


@dataclass(frozen=True)
class Column:
    key: str  # field of the row dict
    label: str
    sort: str | None = None  # the store's sort name, when the column sorts
    render: Callable[[Any, dict], Any] | None = None
    width: int | None = None
    give_way: int = 0  # when the table is too narrow: 0 always shown, else the highest goes first
    shrink_to: int = 0  # instead of going, narrow down to this many cells (its cells are cropped)

    def cell(self, row: dict):
        value = row.get(self.key)
        if self.render is not None:
            return self.render(value, row)
        return Text("—", style="#7a8896") if value is None else Text(visible(value))  # never markup


CELL_PADDING = 2  # DataTable's cell padding, one cell each side


def fit_columns(columns: list[Column], width: int) -> list[tuple[Column, int | None]]:
    """The columns shown in `width` cells, each with its width: those that give way go, highest
    `give_way` first, until the rest fit; one with `shrink_to` narrows to what is left instead."""
    shown = [(c, c.width) for c in columns]
    if width <= 0:
        return shown

    def need(items):
        return sum((w if w is not None else len(c.label)) + CELL_PADDING for c, w in items)

    for column in sorted((c for c in columns if c.give_way), key=lambda c: -c.give_way):
        if need(shown) <= width:
            break
        rest = [(c, w) for c, w in shown if c is not column]
        room = width - need(rest) - CELL_PADDING
        if column.shrink_to and room >= column.shrink_to:
            shown = [(c, room if c is column else w) for c, w in shown]
            break
        shown = rest
    return shown


class RecordTable(Vertical):
    """Rows of one kind, read page by page from the store, sorted and filtered by the store."""

    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", key_display="/", show=False),  # the box says so
        Binding("right_square_bracket", "page(1)", "Page", key_display="]", tooltip="next page ([ goes back)"),
        Binding("left_square_bracket", "page(-1)", "Previous page", key_display="[", show=False),
        Binding("s", "cycle_sort", "Sort"),
        Binding("S", "reverse_sort", "Reverse", show=False),
    ]

    class Highlighted(Message):
        """The cursor moved to `row` (None when the table is empty)."""

        def __init__(self, table: "RecordTable", row: dict | None):
            super().__init__()
            self.table = table
            self.row = row

    class Chosen(Message):
        """Enter on a row."""

        def __init__(self, table: "RecordTable", row: dict):
            super().__init__()
            self.table = table
            self.row = row

    def __init__(self, kind: str, id_field: str, columns: list[Column], placeholder: str, **kwargs):
        super().__init__(**kwargs)
        self.kind = kind
        self.id_field = id_field
        self.columns = columns
        self.placeholder = placeholder
        self.page = 0
        self.total_pages = 0
        self.total_results = 0
        self.query = ""
        self.sort = next((c.sort for c in columns if c.sort), None)
        self.descending = False
        self.rows: list[dict] = []
        self._keep: str | None = None  # id to put the cursor on after the next load
        self.shown: list[tuple[Column, int | None]] = [(c, c.width) for c in columns]
        self.loads = 0  # pages shown so far (tests and the benchmark wait on it)

    def compose(self) -> ComposeResult:
        with Horizontal(classes="filter-bar"):
            yield Static("/ Filter", classes="filter-label")
            yield FormInput(placeholder=self.placeholder, id="filter", compact=True)
        yield RowTable(id="rows")
        yield Static("", id="pager", classes="pager")

    def on_mount(self) -> None:
        self._set_headers()

    @property
    def data_table(self) -> DataTable:
        return self.query_one("#rows", DataTable)

    def _set_headers(self) -> None:
        table = self.data_table
        table.clear(columns=True)
        for column, width in self.shown:
            label = Text(column.label)
            if column.sort and column.sort == self.sort:
                label.append(" ▼" if self.descending else " ▲", style="bold #f6ae2d")
            table.add_column(label, key=column.key, width=width)

    def on_resize(self) -> None:
        self._refit()

    def _refit(self) -> None:
        """Columns give way (or narrow) when the table is too narrow for all of them; chosen again on resize."""
        width = self.data_table.scrollable_content_region.width  # without the scroll bar, when shown
        shown = fit_columns(self.columns, width)
        if [(c.key, w) for c, w in shown] == [(c.key, w) for c, w in self.shown]:
            return
        keep = self.current_id()
        self.shown = shown
        self._set_headers()
        self._add_rows(keep)

    def _add_rows(self, keep: str | None) -> int:
        table = self.data_table
        for row in self.rows:
            table.add_row(*(c.cell(row) for c, _w in self.shown), key=str(row[self.id_field]))
        index = next((i for i, r in enumerate(self.rows) if str(r[self.id_field]) == keep), 0)
        if self.rows:
            table.move_cursor(row=index, animate=False)
        return index

    # -- loading ---------------------------------------------------------------------------------
    def reload(self, keep: str | None = None) -> None:
        """Read the current page again (the cursor stays on the same record when it is still there)."""
        self._keep = keep if keep is not None else self.current_id()
        kind, page, query, sort, desc = self.kind, self.page, self.query, self.sort, self.descending
        in_background(
            self,
            lambda s: list_page(s, kind, page, PAGE_SIZE, query or None, sort, desc),
            self._show,
            group=f"page-{self.id or kind}",
        )

    def _show(self, page) -> None:
        if page.total_pages and page.page >= page.total_pages:  # rows went away under us
            self.page = page.total_pages - 1
            self.reload(self._keep)
            return
        self.loads += 1
        self.rows = page.results
        self.total_pages, self.total_results = page.total_pages, page.total_results
        self.data_table.clear()
        index = self._add_rows(self._keep)
        self._update_pager()
        self.post_message(self.Highlighted(self, self.rows[index] if self.rows else None))

    def _update_pager(self) -> None:
        if not self.total_results:
            text = Text("no matching rows" if self.query else "nothing here yet — press n to create one", style="#7a8896")
        else:
            first = self.page * PAGE_SIZE + 1
            last = first + len(self.rows) - 1
            text = Text.assemble(
                (f"{first:,}–{last:,}", "bold"),
                f" of {self.total_results:,}",
                (f"   page {self.page + 1:,}/{self.total_pages:,}", "#7a8896"),
            )
            if self.total_pages > 1:
                text.append("   [ ] turn pages", style="#7a8896")
        if self.query:
            text.append(f"   filter: {visible(self.query)}", style="#f6ae2d")
        self.query_one("#pager", Static).update(text)

    def current_row(self) -> dict | None:
        table = self.data_table
        if not self.rows or table.cursor_row is None or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def current_id(self) -> str | None:
        row = self.current_row()
        return str(row[self.id_field]) if row else None

    def show_record(self, ident: str) -> None:
        """Filter on `ident` and put the cursor on it (how jumps and "open by id" land)."""
        self.query_one("#filter", FormInput).value = ident
        self.query = ident
        self.page = 0
        self.reload(keep=ident)
        self.data_table.focus()

    # -- events ----------------------------------------------------------------------------------
    @on(FormInput.Changed, "#filter")
    def _filter_changed(self, event: FormInput.Changed) -> None:
        if event.value.strip() == self.query:
            return
        self.query = event.value.strip()
        self.page = 0
        self.reload()

    @on(FormInput.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.data_table.focus()

    @on(DataTable.RowHighlighted, "#rows")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        row = self.current_row()
        self.post_message(self.Highlighted(self, row))

    @on(DataTable.RowSelected, "#rows")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.current_row()
        if row is not None:
            self.post_message(self.Chosen(self, row))

    @on(DataTable.HeaderSelected, "#rows")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        column = next((c for c in self.columns if c.key == event.column_key.value), None)
        if column and column.sort:
            self.descending = not self.descending if self.sort == column.sort else False
            self.sort = column.sort
            self._resort()

    # -- actions ---------------------------------------------------------------------------------
    def action_focus_filter(self) -> None:
        self.query_one("#filter", FormInput).focus()

    def action_page(self, step: int) -> None:
        target = self.page + step
        if 0 <= target < max(self.total_pages, 1):
            self.page = target
            self._keep = None
            self.reload(keep="")

    def action_cycle_sort(self) -> None:
        sorts = [c.sort for c in self.columns if c.sort]
        if sorts:
            self.sort = sorts[(sorts.index(self.sort) + 1) % len(sorts)] if self.sort in sorts else sorts[0]
            self.descending = False
            self._resort()

    def action_reverse_sort(self) -> None:
        self.descending = not self.descending
        self._resort()

    def _resort(self) -> None:
        self._set_headers()
        self.page = 0
        self.reload()
        label = next(c.label for c in self.columns if c.sort == self.sort)
        self.notify(f"sorted by {label} {'descending' if self.descending else 'ascending'}", timeout=2)
