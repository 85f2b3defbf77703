"""The API area: the requests `cpaasx serve` answered, newest first, and a selected one's bodies;
`w` switches to the webhook calls the server made (delivery reports, inbound messages, request
status changes), each with its state, attempts and last error.

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
from textual.widgets import DataTable, Header, Static

from store.display import visible

from ..widgets.footer import AreaFooter
from ..widgets.row_table import RowTable
from ..widgets.styling import DIM
from .base import AreaBar, AreaBase

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


def status_line(host) -> Text:
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
    hooks = host.webhooks.counts() if host.webhooks is not None else {}
    if any(hooks.values()):
        waiting = hooks.get("QUEUED", 0) + hooks.get("RETRYING", 0)
        failed = hooks.get("FAILED", 0) + hooks.get("DROPPED", 0)
        text.append(f" │ webhooks {hooks.get('DELIVERED', 0):,} delivered, {waiting:,} waiting")
        text.append(f", {failed:,} failed", style=HOOK_STYLE["FAILED"] if failed else "")
    return text


HOOK_STYLE = {"DELIVERED": "#59cd90", "QUEUED": "#56b6e8", "RETRYING": "#f6ae2d", "FAILED": "bold #ee6352",
              "DROPPED": "bold #ee6352"}


def hook_row(a) -> tuple:
    return (a.last_at or a.queued_at).strftime("%H:%M:%S"), Text(a.state, style=HOOK_STYLE.get(a.state, "")), \
        a.kind.replace("_", " ").lower(), str(a.attempts), str(a.status_code or "—"), \
        Text(visible(a.url), overflow="ellipsis")


def hook_detail(a) -> Text:
    head = Text.assemble((f"POST ", "bold"), visible(a.url), "  ", (a.state, HOOK_STYLE.get(a.state, "")))
    lines = [head, Text(f"{a.kind} · queued {a.queued_at:%H:%M:%S} · {a.attempts} attempt"
                        f"{'' if a.attempts == 1 else 's'}" + (f" · answered {a.status_code}" if a.status_code else ""),
                        style=DIM)]
    if a.error:
        lines.append(Text(f"last error: {visible(a.error)}", style=HOOK_STYLE["FAILED"]))
    if a.next_delay is not None and a.state == "RETRYING":
        lines.append(Text(f"next try in {a.next_delay:g} s", style=DIM))
    lines += [Text("\nbody", style=f"bold {DIM}"), body_text(json.dumps(a.body).encode(), False)]
    return Text("\n").join(lines)


class ApiScreen(AreaBase):
    """Every request the served API answered: method, path, status, time; Enter/↑↓ show its bodies."""

    DEFAULT_CSS = """
    ApiScreen #api-status { height: auto; background: $panel; padding: 0 1 0 0; }
    ApiScreen #api-main { height: 1fr; }
    ApiScreen #api-requests { width: 1fr; }
    ApiScreen #api-detail { width: 42%; border-left: tall $panel; padding: 0 1; background: $surface; }
    """
    BINDINGS = [Binding("c", "follow", "Newest"), Binding("w", "switch_view", "Requests/webhooks")]
    COLUMNS = {"requests": ("time", "status", "method", "ms", "key", "path"),  # the last is the one cut
               "webhooks": ("time", "state", "kind", "tries", "code", "url")}

    def __init__(self):
        super().__init__()
        self.records: list = []
        self.seen_total = -1
        self.view = "requests"
        self._seen_hooks: tuple = ()

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
        table.add_columns(*self.COLUMNS[self.view])
        self.refresh_requests()
        self.set_interval(0.5, self.refresh_requests)
        table.focus()

    def action_switch_view(self) -> None:
        """Between the requests answered and the webhook calls made."""
        self.view = "webhooks" if self.view == "requests" else "requests"
        table = self.query_one(RowTable)
        table.clear(columns=True)
        table.add_columns(*self.COLUMNS[self.view])
        self.records, self.seen_total, self._seen_hooks = [], -1, ()
        self.query_one("#api-body", Static).update(Text("Select a row to see its bodies.", style=DIM))
        self.refresh_requests()

    def on_screen_resume(self) -> None:
        self.refresh_requests()

    def refresh_requests(self) -> None:
        if not self.is_current:  # behind another area or a dialog: the table is rebuilt when it comes back
            return
        host = self.host
        self.query_one("#api-status", Static).update(status_line(host))
        if host is None:
            return
        if self.view == "webhooks":
            self._refresh_hooks(host)
            return
        if host.recorder.total == self.seen_total:
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

    def _refresh_hooks(self, host) -> None:
        calls = host.webhooks.recent(SHOWN) if host.webhooks is not None else []
        seen = tuple((a.id, a.state, a.attempts) for a in calls)
        if seen == self._seen_hooks:
            return
        self._seen_hooks = seen
        table = self.query_one(RowTable)
        row = table.cursor_row if self.records else 0
        self.records = calls
        table.clear()
        for i, a in enumerate(calls):
            table.add_row(*hook_row(a), key=str(i))
        if row:
            table.move_cursor(row=min(len(calls) - 1, row))
        self._show(table.cursor_row if calls else 0)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show(event.cursor_row)

    def _show(self, index: int) -> None:
        if not self.records or not 0 <= index < len(self.records):
            return
        if self.view == "webhooks":
            self.query_one("#api-body", Static).update(hook_detail(self.records[index]))
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
