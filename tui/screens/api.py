"""The API area: the requests `cpaasx serve` answered, newest first, and a selected one's bodies.

Records arrive on the server's thread (api.recording.Recorder); the screen reads the recorder's
recent list twice a second, so a busy server never waits for the screen.
"""

from __future__ import annotations

import json

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from store.display import visible

from ..widgets.footer import AreaFooter
from ..widgets.row_table import RowTable
from ..widgets.styling import DIM
from .base import AreaBar

SHOWN = 200  # rows in the table (the recorder keeps more)
BODY_SHOWN = 8_000  # characters of a body drawn in the side pane
STATUS_STYLE = {2: "#59cd90", 3: "#56b6e8", 4: "#f6ae2d", 5: "bold #ee6352"}
NOT_SERVING = ("No API is served from this dashboard. `cpaasx serve` opens it with the platform's HTTP API "
               "live on localhost; every request then shows here.")


def body_text(raw: bytes, truncated: bool) -> Text:
    """A body as the pane shows it: JSON indented, anything else as text, control characters visible."""
    if not raw:
        return Text("(empty)", style=DIM)
    text = raw.decode("utf-8", errors="replace")
    try:
        text = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        pass
    lines = [visible(line) for line in text[:BODY_SHOWN].split("\n")]
    out = Text("\n".join(lines))
    if truncated or len(text) > BODY_SHOWN:
        out.append("\n… (cut)", style=DIM)
    return out


def status_line(host, shown: int) -> Text:
    if host is None:
        return Text(NOT_SERVING, style=DIM)
    text = Text()
    if host.running:
        text.append(" ● SERVING ", style="bold #1b2b34 on #59cd90")
    else:
        text.append(" ○ STOPPED ", style="bold #1b2b34 on #f6ae2d")
    text.append(f" {host.address}", style="bold")
    text.append(f" │ {host.rate():,.1f} req/s │ {host.recorder.total:,} answered", style="")
    if host.key_name:
        text.append(f" │ key {visible(host.key_name)}", style=DIM)
    return text


class ApiScreen(Screen):
    """Every request the served API answered: method, path, status, time; Enter/↑↓ show its bodies."""

    DEFAULT_CSS = """
    ApiScreen #api-status { height: auto; background: $panel; padding: 0 1 0 0; }
    ApiScreen #api-main { height: 1fr; }
    ApiScreen #api-requests { width: 1fr; }
    ApiScreen #api-detail { width: 42%; border-left: tall $panel; padding: 0 1; background: $surface; }
    """
    BINDINGS = [Binding("c", "follow", "Newest")]

    def __init__(self):
        super().__init__()
        self.records: list = []
        self.seen_total = -1

    def compose(self) -> ComposeResult:
        yield Header()
        yield AreaBar("api")
        yield Static(id="api-status")
        with Horizontal(id="api-main"):
            yield RowTable(id="api-requests")
            with VerticalScroll(id="api-detail", can_focus=True):
                yield Static(Text("Select a request to see its bodies.", style=DIM), id="api-body")
        yield AreaFooter()

    @property
    def host(self):
        return getattr(self.app, "api_host", None)

    def on_resize(self) -> None:
        # The paths are what a reader scans: on a classic 80-column terminal the bodies pane narrows.
        self.query_one("#api-detail").styles.width = 30 if self.size.width < 100 else "42%"

    def on_mount(self) -> None:
        table = self.query_one(RowTable)
        table.add_columns("time", "status", "method", "ms", "key", "path")  # the path last: it is the one cut
        self.refresh_requests()
        self.set_interval(0.5, self.refresh_requests)
        table.focus()

    def refresh_requests(self) -> None:
        host = self.host
        self.query_one("#api-status", Static).update(status_line(host, len(self.records)))
        if host is None or host.recorder.total == self.seen_total:
            return
        self.seen_total = host.recorder.total
        table = self.query_one(RowTable)
        row = table.cursor_row if self.records else 0
        following = row == 0
        self.records = list(reversed(host.recorder.recent(SHOWN)))
        table.clear()
        for i, r in enumerate(self.records):
            table.add_row(
                r.at.strftime("%H:%M:%S"), Text(str(r.status), style=STATUS_STYLE.get(r.status // 100, "")), r.method,
                Text(f"{r.duration_ms:,.1f}", justify="right"),
                Text(visible(r.key_name or "—"), style="" if r.key_name else DIM),
                Text(visible(r.target), overflow="ellipsis"), key=str(i),
            )
        if not following:  # stay near the request being read: new ones arrived above it
            table.move_cursor(row=min(len(self.records) - 1, row))
        self._show(0 if following else table.cursor_row)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show(event.cursor_row)

    def _show(self, index: int) -> None:
        if not self.records or not 0 <= index < len(self.records):
            return
        r = self.records[index]
        head = Text.assemble((f"{r.method} ", "bold"), visible(r.target), "  ",
                             (str(r.status), STATUS_STYLE.get(r.status // 100, "")),
                             (f"  {r.duration_ms:,.1f} ms", DIM))
        parts = [head, Text(f"{r.at:%Y-%m-%d %H:%M:%S} · {visible(r.client or '-')} · key "
                            f"{visible(r.key_name or '—')}", style=DIM),
                 Text("\nrequest", style=f"bold {DIM}"), body_text(r.request_body, r.request_truncated),
                 Text("\nresponse", style=f"bold {DIM}"), body_text(r.response_body, r.response_truncated)]
        self.query_one("#api-body", Static).update(Text("\n").join(parts))

    def action_follow(self) -> None:
        """Back to the newest request."""
        table = self.query_one(RowTable)
        if self.records:
            table.move_cursor(row=0)
