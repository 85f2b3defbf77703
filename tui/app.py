"""The dashboard: one mode per area, a header naming the open store, polling for outside changes."""

from __future__ import annotations

import threading

from collections.abc import Callable
from datetime import datetime

from textual import work
from textual.actions import SkipAction
from textual.app import App
from textual.binding import Binding
from textual.theme import Theme

from store.db import Store
from store.display import visible

from .screens import AREAS, area
from .screens.palette import DashboardCommands

THEME = Theme(
    name="cpaasx",
    primary="#56b6e8",
    secondary="#c792ea",
    accent="#f6ae2d",
    warning="#f6ae2d",
    error="#ee6352",
    success="#59cd90",
    foreground="#dbe4ec",
    background="#0f1720",
    surface="#16212c",
    panel="#1f2d3a",
    dark=True,
)


class Dashboard(App):
    """Manage the whole setup from the keyboard: applications, entities, resources, strategies, keys."""

    CSS_PATH = "app.tcss"
    TITLE = "cpaasx"
    COMMANDS = App.COMMANDS | {DashboardCommands}
    MODES = {a.mode: a.factory() for a in AREAS}
    BINDINGS = [Binding(a.key, f"area('{a.mode}')", a.title, show=False) for a in AREAS] + [
        Binding("q", "quit", "Quit"),
        Binding("ctrl+c", "interrupt", "Quit", show=False, priority=True),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("escape", "close_help", "Close help", show=False, priority=True),
    ]

    def __init__(
        self,
        store: Store,
        demo: bool = False,
        clock: Callable[[], datetime] | None = None,
        poll_seconds: float | None = 2.0,
        blink: bool = True,
        start: str | None = None,
        label: str | None = None,
        api_host=None,
    ):
        super().__init__()
        self.api_host = api_host  # tui.api_host.ApiHost when `cpaasx serve` hosts the HTTP API here
        self.opening_notice: str | None = None
        self.store_problem: str | None = None  # what the last failed revision poll said, until one works
        self.store = store
        self.demo = demo
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.blink = blink
        self.start = start or ("traffic" if demo and area("traffic") else AREAS[0].mode)
        self.seen_revision: int | None = None
        self.store_label = label or store.label

    def on_mount(self) -> None:
        self.register_theme(THEME)
        self.theme = "cpaasx"
        self.sub_title = self.store_label
        if self.opening_notice:
            self.notify(self.opening_notice, title="API", timeout=30)
        if self.api_host is not None:
            self.show_api()
            self.set_interval(1.0, self.show_api)
        self.switch_mode(self.start)
        if self.poll_seconds:
            self.set_interval(self.poll_seconds, self.check_revision)

    def check_action(self, action: str, parameters) -> bool | None:
        # Ctrl+C stops the dashboard only while it serves the API (as it stops a headless server);
        # otherwise the key keeps Textual's meaning (copy in a text box, else how to quit).
        if action == "interrupt":
            return self.api_host is not None
        return super().check_action(action, parameters)

    def action_interrupt(self) -> None:
        self.exit()

    def show_api(self) -> None:
        """The header names the served API: its address, requests per second and the sandbox key."""
        host = self.api_host
        key = f" · key {visible(host.key_name)}" if host.key_name else ""
        self.sub_title = f"{self.store_label} · API {host.address} · {host.rate():,.1f} req/s{key}"

    # -- outside changes -------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="revision", exit_on_error=False)
    def check_revision(self) -> None:
        """Cheap: one row read. When another process changed the setup, the screens read again."""
        try:
            revision = self.store.revision()
        except Exception as exc:  # the store is unavailable: say so once, and try again at the next tick
            self.call_from_thread(self.revision_failed, exc)
            return
        self.call_from_thread(self.revision_seen, revision)

    def revision_failed(self, exc: Exception) -> None:
        from store.db import failure_cause

        cause = failure_cause(exc)
        if cause != self.store_problem:  # the same problem again is not news
            self.store_problem = cause
            self.notify(f"cannot read the store ({cause}); trying again every {self.poll_seconds:g} s",
                        title="Store unavailable", severity="error", timeout=10)

    def revision_seen(self, revision: int) -> None:
        if self.store_problem is not None:
            self.store_problem = None
            self.notify("the store answers again", title="Store back", timeout=4)
        if self.seen_revision is not None and revision != self.seen_revision:
            self.setup_changed()
        self.seen_revision = revision

    def setup_changed(self) -> None:
        """Mark every open area stale; the one on screen reads again now."""
        for stack in self._screen_stacks.values():
            for screen in stack:
                if hasattr(screen, "refresh_data"):
                    screen.stale = True
        current = self.screen
        if getattr(current, "stale", False):
            current.refresh_data()

    # -- navigation ------------------------------------------------------------------------------
    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = False) -> None:
        """Every toast is plain text, whatever `markup` says (widgets' notify passes True): messages quote
        ids, names and keywords, which are never markup. Control characters are shown as escapes; a
        message's own line breaks stay."""
        message = "\n".join(visible(line) for line in str(message).split("\n"))
        super().notify(message, title=visible(title), severity=severity, timeout=timeout, markup=False)

    def action_area(self, mode: str) -> None:
        if self.current_mode != mode:
            self.switch_mode(mode)

    def area_screen(self, mode: str):
        """The area's own screen (beneath any modal open on it)."""
        self.action_area(mode)
        stack = self._screen_stacks.get(mode) or []
        return stack[0] if stack else None

    def open_record(self, mode: str, ident: str) -> None:
        """Go to `mode` and put the cursor on record `ident`."""
        self.action_area(mode)
        self.call_after_refresh(lambda: self._show_record(mode, ident))

    def _show_record(self, mode: str, ident: str) -> None:
        screen = self.area_screen(mode)
        if screen is not None and hasattr(screen, "show_record"):
            screen.show_record(ident)

    def run_in_area(self, mode: str, action: str, *args) -> None:
        """Go to `mode`, then run one of its screen's actions (`new`, `edit`, `delete`, …)."""
        self.action_area(mode)
        self.call_after_refresh(lambda: self._run(mode, action, args))

    def _run(self, mode: str, action: str, args: tuple = ()) -> None:
        screen = self.area_screen(mode)
        method = getattr(screen, f"action_{action}", None)
        if method is not None:
            method(*args)

    def help_shown(self) -> bool:
        return bool(self.screen.query("HelpPanel"))

    def action_help(self) -> None:
        """`?` opens the keys panel and closes it again."""
        if self.help_shown():
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def tell_store_busy(self, message: str) -> None:
        """A write waits for another process's: a toast, from whichever thread the write runs in."""
        if threading.get_ident() == self._thread_id:
            self.notify(message, title="Store busy", severity="warning")
        else:
            self.call_from_thread(self.notify, message, title="Store busy", severity="warning")

    def action_close_help(self) -> None:
        """Escape closes the keys panel first; otherwise escape does what the screen says."""
        if not self.help_shown():
            raise SkipAction()
        self.action_hide_help_panel()


def run_dashboard(store: Store, demo: bool = False, traffic_options=None, api_host=None, start: str | None = None,
                  notice: str | None = None) -> int:
    """Open the dashboard on `store` (on the Traffic area with `demo`, when that area exists);
    `api_host` is the HTTP API it shows (`cpaasx serve`), `notice` a toast to open with."""
    # With the API served here, objects it creates show in their areas within a second.
    app = Dashboard(store, demo=demo, api_host=api_host, start=start, poll_seconds=0.5 if api_host else 2.0)
    app.opening_notice = notice
    store.on_wait = app.tell_store_busy  # not stderr: the screen is the dashboard's
    if traffic_options is not None:
        app.traffic_options = traffic_options
    app.run()
    return 0
