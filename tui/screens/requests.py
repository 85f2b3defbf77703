"""The Requests area: resource requests with a status filter, the guided form, the simulated reviewer."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Label, Select, Static

from store.platforms import list_applications, list_entities
from store.requests import (
    STATUSES,
    advance,
    auto_review,
    cancel_request,
    get_request,
    list_events,
    list_requests,
    views,
)

from store.words import count

from ..widgets import styling as st
from ..widgets.footer import AreaFooter
from ..widgets.request_detail import RequestDetail, describe, status_text
from ..widgets.request_form import RequestForm
from ..widgets.request_upload import UploadDocument
from ..widgets.relations import RelationsPane
from ..widgets.row_table import RowTable
from ..widgets.workers import in_background
from .base import AreaBar, AreaBase

PAGE_SIZE = 200
TYPE_LABELS = {"NUMBER_PURCHASE": "numbers", "ALPHANUMERIC_REGISTRATION": "alpha"}
AUTO_REVIEW_SECONDS = 2.0
COLUMNS = ("Status", "Type", "Ctry", "What", "Entity")
GIVE_WAY = ("Type", "Entity", "Ctry")  # dropped in this order when the list is too narrow (What says the type)


def request_cells(r: dict) -> dict:
    return {
        "Status": status_text(r["status"]),
        "Type": st.plain(TYPE_LABELS.get(r["type"], r["type"])),
        "Ctry": st.plain(r["countryCode"]),
        "What": st.plain(describe(r)),
        "Entity": st.plain(r["platform"]["entityId"] or "—"),
    }


def fitting_columns(rows: list[dict], width: int) -> tuple[str, ...]:
    """The columns whose widest cell (or title), plus a cell's two padding cells, fit in `width`."""
    need = {c: max([len(c)] + [request_cells(r)[c].cell_len for r in rows]) + 2 for c in COLUMNS}
    shown = list(COLUMNS)
    for column in GIVE_WAY:
        if sum(need[c] for c in shown) <= width:
            break
        shown.remove(column)
    return tuple(shown)


class RequestsScreen(AreaBase):
    """Requests newest first beside the highlighted one's detail; `a` plays the reviewer."""

    DEFAULT_CSS = """
    RequestsScreen .request-list {
        width: 1fr;
        min-width: 44;
        height: 1fr;
        border: round $primary 40%;
    }
    RequestsScreen .request-list:focus-within {
        border: round $primary;
    }
    RequestsScreen #requests {
        height: 1fr;
        background: $surface;
    }
    RequestsScreen #status-filter {
        width: 24;
    }
    """

    BINDINGS = [
        Binding("n", "new", "New", tooltip="new request"),
        Binding("a", "advance", "Advance"),
        Binding("e", "update", "Update"),
        Binding("x", "cancel_request", "Cancel", tooltip="cancel the request"),
        Binding("u", "upload", "Upload", tooltip="upload a document"),
        Binding("f", "filter", "Status filter"),
        Binding("t", "auto_review", "Auto review"),
        Binding("r", "reload", "Refresh", show=False),
        # The keys every other area has: here each does its nearest equivalent or says why not.
        Binding("slash", "filter", "Filter", show=False),
        Binding("s", "explain_key('sort')", "Sort", show=False),
        Binding("d", "explain_key('delete')", "Delete", show=False),
        Binding("right_square_bracket,left_square_bracket", "explain_key('page')", "Page", show=False),
    ]
    KEY_ANSWERS = {
        "sort": "requests are listed newest first (f filters them by status)",
        "delete": "requests are never deleted: x cancels one waiting for an update (UPDATE_REQUESTED)",
        "page": "every request is on this one page (the newest {limit:,})",
    }

    def __init__(self):
        super().__init__()
        self.stale = False
        self.rows: dict[str, dict] = {}
        self.auto_timer = None
        self.shown_columns: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield Header()
        yield AreaBar("requests")
        with Horizontal(id="body"):
            with Vertical(classes="request-list"):
                with Horizontal(classes="filter-bar"):
                    yield Label("Status", classes="filter-label")
                    yield Select([(s, s) for s in STATUSES], prompt="all", compact=True, id="status-filter")
                yield RowTable(id="requests")
                yield Static("", classes="pager", id="requests-pager")
            yield RequestDetail(id="side", classes="side-pane request-detail")
        yield AreaFooter()

    @property
    def table(self) -> DataTable:
        return self.query_one("#requests", DataTable)

    def on_mount(self) -> None:
        self.reload()
        self.table.focus()

    def on_screen_resume(self) -> None:
        if self.stale:
            self.refresh_data()

    def refresh_data(self) -> None:
        self.stale = False
        self.reload()

    # -- list ------------------------------------------------------------------------------------
    def status_filter(self) -> str | None:
        value = self.query_one("#status-filter", Select).value
        return None if value in (Select.NULL, Select.BLANK) else value

    def reload(self, keep: str | None = None) -> None:
        status = self.status_filter()

        def read(session):
            page = list_requests(session, status=status, size=PAGE_SIZE)
            return [views.request(r) for r in page.results], page.total_results

        in_background(self, read, lambda result: self._show_rows(*result, keep=keep), group="requests-list")

    def _fill_table(self, current: str | None) -> None:
        """The rows with the columns that fit the list's width (Type, then Entity, then Ctry give way)."""
        table = self.table
        rows = list(self.rows.values())
        self.shown_columns = fitting_columns(rows, table.size.width - 1 if table.size.width else 200)
        table.clear(columns=True)
        table.add_columns(*self.shown_columns)
        for r in rows:
            cells = request_cells(r)
            table.add_row(*(cells[c] for c in self.shown_columns), key=r["id"])
        if current in self.rows:
            table.move_cursor(row=table.get_row_index(current))

    def on_resize(self) -> None:
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        width = self.table.size.width - 1
        if self.rows and fitting_columns(list(self.rows.values()), width) != self.shown_columns:
            self._fill_table(self.current_id())

    def _show_rows(self, rows: list[dict], total: int, keep: str | None) -> None:
        current = keep or self.current_id()
        self.rows = {r["id"]: r for r in rows}
        self._fill_table(current)
        self.query_one("#requests-pager", Static).update(f" {len(rows):,} of {count(total, 'request')}")
        if rows:
            self.load_detail(self.current_id())
        else:
            self.query_one(RequestDetail).clear("no requests — n to request resources")

    def current_id(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return key.value if key else None

    @on(DataTable.RowHighlighted, "#requests")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key and event.row_key.value:
            self.load_detail(event.row_key.value)

    @on(Select.Changed, "#status-filter")
    def _filter_changed(self) -> None:
        self.reload()

    def load_detail(self, request_id: str | None) -> None:
        if request_id is None:
            return

        def read(session):
            row = get_request(session, request_id)
            return views.request(row), [views.event(e) for e in list_events(session, request_id, size=1000).results]

        in_background(self, read, lambda result: self.query_one(RequestDetail).show_request(*result),
                      group="request-detail")

    @on(RelationsPane.Chosen)
    def _jump(self, event: RelationsPane.Chosen) -> None:
        mode, ident = event.target
        self.app.open_record(mode, ident)

    # -- actions ---------------------------------------------------------------------------------
    def _selected(self) -> dict | None:
        row = self.rows.get(self.current_id() or "")
        if row is None:
            self.notify("no request selected", severity="warning", timeout=3)
        return row

    def action_new(self) -> None:
        def read(session):
            apps = [a.application_id for a in list_applications(session, size=1000).results]
            return apps, [e.entity_id for e in list_entities(session, size=1000).results]

        in_background(self, read, lambda choices: self._open_form(*choices), group="request-form")

    def _open_form(self, applications: list[str], entities: list[str], update_of: dict | None = None) -> None:
        self.app.push_screen(RequestForm(applications, entities, update_of), self._form_done)

    def _form_done(self, request_id: str | None) -> None:
        if request_id:
            self.notify(f"request {request_id} submitted: PENDING", timeout=4)
            self.reload(keep=request_id)

    def action_update(self) -> None:
        row = self._selected()
        if row is None:
            return
        if row["status"] != "UPDATE_REQUESTED":
            self.notify(f"only a request in UPDATE_REQUESTED can be updated (this one is {row['status']})",
                        severity="warning", timeout=4)
            return
        self._open_form([row["platform"]["applicationId"]], [row["platform"]["entityId"]] if row["platform"]["entityId"] else [], row)

    def action_advance(self) -> None:
        row = self._selected()
        if row is None:
            return
        in_background(self, lambda s: views.request(advance(s, row["id"])), self._advanced, group="advance", write=True)

    def _advanced(self, data: dict) -> None:
        message = f"{data['id'][:8]} → {data['status']}"
        if data["status"] == "COMPLETED":
            message += f": {count(len(data['resources']), 'resource')} created"
        if data.get("note"):
            message += f"\n{data['note']}"
        self.notify(message, title="Reviewer", timeout=5)
        self.reload(keep=data["id"])

    def action_cancel_request(self) -> None:
        row = self._selected()
        if row is None:
            return
        in_background(self, lambda s: views.request(cancel_request(s, row["id"])), self._advanced,
                      group="advance", write=True)

    def action_upload(self) -> None:
        def uploaded(doc: dict | None) -> None:
            if doc:
                self.notify(f"{doc['fileName']}: documentId {doc['documentId']}", title="Document uploaded", timeout=8)

        self.app.push_screen(UploadDocument(), uploaded)

    def action_filter(self) -> None:
        self.query_one("#status-filter", Select).focus()

    def action_reload(self) -> None:
        self.refresh_data()

    def action_explain_key(self, what: str) -> None:
        self.notify(self.KEY_ANSWERS[what].format(limit=PAGE_SIZE), timeout=4)

    def action_auto_review(self) -> None:
        """Toggle the time-based reviewer: requests resting long enough move on by themselves."""
        if self.auto_timer is None:
            self.auto_timer = self.set_interval(AUTO_REVIEW_SECONDS, self._auto_tick)
            self.notify("auto review on: requests move on every few seconds", timeout=3)
        else:
            self.auto_timer.stop()
            self.auto_timer = None
            self.notify("auto review off", timeout=3)

    def _auto_tick(self) -> None:
        in_background(self, lambda s: auto_review(s), lambda moved: moved and self.reload(), group="auto-review",
                      write=True)
