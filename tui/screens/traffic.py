"""Live traffic: generated messages routed as they happen, each decision with its reason and trace.

A thread worker paces the traffic: every tick (100 ms) it routes what the rate allows as one batch
and hands it over; the routing itself runs in a child process (store.traffic_remote) when the store is
a file or PostgreSQL, so it never holds this process's GIL. Batches waiting for the UI are merged, so however fast traffic runs the UI sees at
most one message per screen update, and only the newest `WINDOW` rows of it are ever drawn. In
deterministic mode (tests, recorded demos) nothing runs on its own: `run_batch(n)` and the step key
route messages with a fixed seed, clock and message ids, so the same run gives the same screen.
"""

from __future__ import annotations

import gc
import threading
import time
from collections import deque
from collections.abc import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Header
from textual.worker import get_current_worker

from store.display import visible
from store.errors import StoreError
from store.listing import all_ids
from store.traffic_feed import Batch, TrafficFeed
from store.traffic_remote import FeedProcessFailed, RemoteFeed, shareable
from store.traffic_stats import TrafficStats

from ..widgets.delivery_choice import DeliveryChoice
from ..widgets.footer import AreaFooter
from ..widgets.traffic_counters import TrafficCounters
from ..widgets.workers import in_background
from ..widgets.traffic_filter import FilterBar, TrafficFilter
from ..widgets.traffic_send import SendOneModal
from ..widgets.traffic_status import RunState, TrafficStatus
from ..widgets.traffic_table import DecisionTable, FeedRow
from ..widgets.traffic_pace import DELIVERY_EVERY, TICK, TrafficOptions, clamp_rate, frame_interval, next_rate
from ..widgets.traffic_trace import TracePane
from .base import AreaBar, AreaBase

CHOICE_LIMIT = 1000
TRACE_EVERY = 0.5  # seconds between trace redraws while following running traffic


class TrafficScreen(AreaBase):
    """The Traffic area. Options come from the constructor, else from `app.traffic_options`."""

    DEFAULT_CSS = """
    TrafficScreen #traffic-main { height: 1fr; }
    """
    BINDINGS = [
        Binding("space", "toggle", "Pause/run"),
        Binding("s,n", "step", "Step"),
        Binding("plus,equals_sign", "rate(1)", "Faster", key_display="+"),
        Binding("minus", "rate(-1)", "Slower", key_display="-"),
        Binding("m", "send_one", "Send one"),
        Binding("i", "send_one(True)", "Inject inbound"),
        Binding("f", "focus_filter", "Filter"),
        Binding("p", "choose_delivery", "Delivery"),
        Binding("t", "focus_trace", "Trace", show=False),
        Binding("x", "clear_filter", "Clear filter", show=False),
        Binding("escape", "focus_table", "Table", show=False),
    ]

    class Delivered(Message):
        """Batches are waiting in the outbox (posted from the pacing thread)."""

    def __init__(self, options: TrafficOptions | None = None):
        super().__init__()
        self.options = options
        self.feed: TrafficFeed | None = None
        self.window: deque[FeedRow] = deque()
        self.filter = TrafficFilter()
        self.rate = 20
        self.running = False
        self.seq = 0
        self.revision = 0
        self.stats = TrafficStats()
        self.store = None
        self.measured: float | None = None
        self._outbox: deque[Batch] = deque()
        self._outbox_lock = threading.Lock()
        self._posted = False
        self._trace_row: FeedRow | None = None
        self._trace_timer = None
        self._frozen = False
        self._last_apply = 0.0

    def compose(self) -> ComposeResult:
        yield Header()
        yield AreaBar("traffic")
        yield TrafficStatus(id="traffic-status")
        yield FilterBar(id="traffic-filter")
        with Horizontal(id="traffic-main"):
            yield DecisionTable(id="decisions")
            yield TracePane(id="trace")
        yield TrafficCounters(id="counters")
        yield AreaFooter()

    def on_mount(self) -> None:
        # The demo opens with traffic flowing; otherwise nothing is routed until the user says so
        # (generated traffic writes log rows and sticky bindings into the open store).
        options = self.options or getattr(self.app, "traffic_options", None)
        options = options or TrafficOptions(running=bool(getattr(self.app, "demo", False)))
        self.options = options
        self.window = deque(maxlen=options.window)
        self.table.limit = options.window
        self.rate = options.rate
        self.store = self.app.store
        self.running = options.running and options.live
        self._show_status()
        self.table.focus()
        if options.live:
            self._pump()  # reads the setup (a large store takes a moment) off the UI thread
        else:
            self._feed_ready(self._new_feed(), self._read_choices(self.app.store))

    def _new_feed(self) -> TrafficFeed:
        options = self.options
        return TrafficFeed(self.store, seed=options.seed, clock=options.clock, message_ids=options.message_ids,
                           delivery=options.delivery)

    def _feed_ready(self, feed: TrafficFeed, choices: tuple[list[str], list[str]]) -> None:
        self.feed = feed
        self.revision = feed.revision
        self.stats = feed.stats.snapshot()  # what the store holds already (sticky bindings)
        self.query_one(FilterBar).set_choices(*choices)
        self._show_status()

    def _live_feed(self) -> TrafficFeed | RemoteFeed:
        """Live traffic is routed in a process of its own when the store can be opened from one: routing
        then never holds this process's GIL, which kept keys and first visits waiting at 1,000 msg/s."""
        options = self.options
        if shareable(self.store) and options.clock is None and options.message_ids is None:
            try:
                return RemoteFeed(self.store, seed=options.seed, delivery=options.delivery, on_wait=self._told_wait)
            except FeedProcessFailed:
                pass  # no child process here (a frozen build, a sandbox): route in this process as before
        return self._new_feed()

    def _told_wait(self, message: str) -> None:
        if self.store.on_wait is not None:
            self.store.on_wait(message)

    @property
    def table(self) -> DecisionTable:
        return self.query_one("#decisions", DecisionTable)

    @property
    def live(self) -> bool:
        return bool(self.options and self.options.live)

    # -- producing traffic ---------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="traffic-pump", exit_on_error=False)
    def _pump(self) -> None:
        """Route what the rate allows every tick, until the screen goes away."""
        try:
            feed, choices = self._live_feed(), self._read_choices(self.store)
        except Exception as exc:
            self.running = False
            self.app.call_from_thread(self._failed, exc)
            return
        try:
            self.app.call_from_thread(self._feed_ready, feed, choices)
            self._pace(feed)
        finally:
            if isinstance(feed, RemoteFeed):
                feed.close()

    def _pace(self, feed: TrafficFeed | RemoteFeed) -> None:
        worker = get_current_worker()
        credit, last = 0.0, time.monotonic()
        delivered_at = last
        recent: deque[tuple[float, int]] = deque()
        next_tick = last + TICK
        while not worker.is_cancelled:
            time.sleep(max(0.0, next_tick - time.monotonic()))
            next_tick += TICK
            now = time.monotonic()
            if next_tick < now:  # fell behind (a slow disk): start afresh rather than rush
                next_tick = now + TICK
            elapsed, last = now - last, now
            if not self.running:
                credit, self.measured = 0.0, None
                recent.clear()
                if now - delivered_at >= DELIVERY_EVERY:  # reports (and other programs' messages) keep arriving
                    delivered_at = now
                    self._deliver_reports(feed)
                continue
            credit = min(credit + self.rate * elapsed, float(self.rate))
            count = int(credit)
            if not count:
                continue
            credit -= count
            try:
                batch = feed.run_batch(count)
            except Exception as exc:  # keep the dashboard up; say what broke and stop the traffic
                self.running = False
                self.app.call_from_thread(self._failed, exc)
                continue
            recent.append((now, len(batch.decisions)))
            while recent and recent[0][0] < now - 1.0:
                recent.popleft()
            span = max(TICK, now - recent[0][0] + TICK) if recent else 1.0
            self.measured = sum(n for _, n in recent) / span
            self._deliver(batch)

    def _deliver_reports(self, feed: TrafficFeed) -> None:
        try:
            batch = feed.advance()
        except Exception as exc:  # a busy store: try again at the next check
            self.app.call_from_thread(self.notify, f"delivery check failed: {exc}", severity="warning")
            return
        if batch.moved or batch.foreign:
            self._deliver(batch)

    def _deliver(self, batch: Batch) -> None:
        """From any thread: queue the batch and wake the UI once, however many batches are waiting."""
        with self._outbox_lock:
            self._outbox.append(batch)
            if self._posted:
                return
            self._posted = True
        self.post_message(self.Delivered())

    def on_traffic_screen_delivered(self, _message: Delivered) -> None:
        # At high rates the screen is redrawn a few times a second, not at every batch: rows fly
        # past either way, and the time saved keeps keys answering at once. Until the redraw the
        # outbox is still marked as posted, so the pacing thread only adds to it.
        wait = self._last_apply + frame_interval(self.rate) - time.monotonic()
        if wait > 0:
            self.set_timer(wait, self._drain)
        else:
            self._drain()

    def _drain(self) -> None:
        self._last_apply = time.monotonic()
        with self._outbox_lock:
            self._posted = False
            batches = list(self._outbox)
            self._outbox.clear()
        self._apply(batches)
        if not self._frozen:
            # Everything alive once traffic flows (the app, the routing index, number metadata)
            # stays alive; taking it out of the collector's view keeps full collections short,
            # which at 1,000 messages/s would otherwise stall the screen for 100 ms and more.
            self._frozen = True
            gc.freeze()

    def _failed(self, exc: Exception) -> None:
        message = str(exc) if isinstance(exc, StoreError) else f"{type(exc).__name__}: {exc}"
        self.notify(message, title="Traffic stopped", severity="error")
        self._show_status()

    def run_batch(self, count: int) -> Batch:
        """Route `count` generated messages now and show them (deterministic mode and tests)."""
        batch = self.feed.run_batch(count)
        self._apply([batch])
        return batch

    # -- showing it ------------------------------------------------------------------------------
    def _apply(self, batches: list[Batch]) -> None:
        if not batches:
            return
        rows: list[FeedRow] = []
        select: FeedRow | None = None
        for batch in batches:
            self.seq += len(batch.decisions)
            # Only the newest rows can ever be seen; older ones in a big batch are counted, not drawn.
            keep = batch.decisions[-self.window.maxlen:]
            first = self.seq - len(keep)
            for offset, decision in enumerate(keep):
                row = FeedRow(first + offset, decision, batch.by_hand)
                rows.append(row)
                if batch.by_hand:
                    select = row
            for decision, final in batch.foreign[-self.window.maxlen:]:
                self.seq += 1
                rows.append(FeedRow(self.seq - 1, decision, final=final, elsewhere=True,
                                    origin=self._origin(decision.message_id)))
        rows = rows[-self.window.maxlen:]
        self.window.extend(rows)
        self._show_delivered([m for batch in batches for m in batch.moved])
        # A message sent by hand is always shown, whatever the filter: the user is looking for it.
        shown = [row for row in rows if row.by_hand or self.filter.matches(row.decision)]
        self.table.append(shown, select=select)
        last = batches[-1]
        self.stats = last.stats
        if any(b.setup_changed for b in batches):
            self.revision = last.revision
            self._load_choices()
        self.query_one(TrafficCounters).show(self.stats)
        self._show_status()

    def _origin(self, message_id: str) -> str | None:
        """'the HTTP API, key NAME' for a message the API hosted in this dashboard sent."""
        host = getattr(self.app, "api_host", None)
        if host is None:
            return None
        over_http, key = host.sent_with(message_id)
        if not over_http:
            return None
        return f"the HTTP API, key {key}" if key else "the HTTP API"

    def _show_delivered(self, moved: list) -> None:
        """Rows whose delivery report arrived turn to their final status in place."""
        if not moved:
            return
        rows = {row.decision.message_id: row for row in self.window}
        changed = set()
        for final in moved:
            row = rows.get(final.message_id)
            if row is not None:
                row.delivered(final)
                changed.add(final.message_id)
        if changed:
            self.table.refresh()
            traced = self._trace_row
            if traced is not None and traced.decision.message_id in changed:
                self.query_one(TracePane).show(traced, force=True)

    def on_resize(self) -> None:
        # The trace pane narrows on a classic 80-column terminal (the table keeps its outcome
        # columns) and takes a third of a wide one.
        width = self.size.width
        self.query_one(TracePane).styles.width = 26 if width < 100 else 37 if width < 160 else width // 3
        # Rows matter more than the counters on a 24-line terminal (the counters scroll).
        self.query_one(TrafficCounters).styles.height = 6 if self.size.height < 30 else 10

    def _show_status(self) -> None:
        state = RunState(self.running, self.rate, self.options.seed if self.options else 0, self.revision,
                         self.measured if self.live else None, self.feed.profile.name if self.feed else None)
        self.query_one(TrafficStatus).show(state, self.stats)

    @on(DecisionTable.Highlighted)
    def _highlighted(self, event: DecisionTable.Highlighted) -> None:
        self._trace_row = event.row
        # Following the newest row at full rate, a trace redrawn every batch could not be read
        # anyway and would cost a layout each time: then it is redrawn at most twice a second.
        if self.running and self.table.follow:
            if self._trace_timer is None:
                self._trace_timer = self.set_timer(TRACE_EVERY, self._show_trace)
            return
        self._show_trace()

    def _show_trace(self) -> None:
        if self._trace_timer is not None:
            self._trace_timer.stop()
            self._trace_timer = None
        self.query_one(TracePane).show(self._trace_row)

    # -- filter ----------------------------------------------------------------------------------
    @staticmethod
    def _read_choices(store) -> tuple[list[str], list[str]]:
        with store.read() as session:
            applications, _ = all_ids(session, "application", limit=CHOICE_LIMIT)
            entities, _ = all_ids(session, "entity", limit=CHOICE_LIMIT)
        return applications, entities

    def _load_choices(self) -> None:
        """The filter's choices, read again (the setup changed); in a worker when traffic runs live."""
        bar = self.query_one(FilterBar)
        if not self.live:
            bar.set_choices(*self._read_choices(self.store))
            return
        in_background(self, lambda _session: self._read_choices(self.store), lambda c: bar.set_choices(*c),
                      group="traffic-choices")

    @on(FilterBar.Changed)
    def _filter_changed(self, event: FilterBar.Changed) -> None:
        self.set_filter(event.value)

    def set_filter(self, value: TrafficFilter) -> None:
        self.filter = value
        self.table.replace(row for row in self.window if row.by_hand or value.matches(row.decision))

    def action_focus_filter(self) -> None:
        self.query_one("#filter-application").focus()

    def action_clear_filter(self) -> None:
        self.query_one(FilterBar).choose()

    def action_focus_trace(self) -> None:
        """Into the trace pane, to scroll a long trace (escape goes back to the table)."""
        self.query_one(TracePane).focus()

    def action_focus_table(self) -> None:
        self.table.focus()

    # -- keys ------------------------------------------------------------------------------------
    def action_toggle(self) -> None:
        if not self.live:
            self.notify("deterministic mode: traffic moves only by steps", timeout=3)
            return
        self.running = not self.running
        self._show_status()

    def action_step(self) -> None:
        """One message, then stay paused."""
        self.running = False
        if self.feed is None:
            return
        if self.live:
            self._in_thread(lambda: self.feed.run_batch(1))
        else:
            self.run_batch(1)

    def action_rate(self, direction: int) -> None:
        self.set_rate(next_rate(self.rate, direction))

    def set_rate(self, rate: int) -> None:
        self.rate = clamp_rate(rate)
        self._show_status()

    def action_send_one(self, inbound: bool = False) -> None:
        if self.feed is None:
            return

        def ask(choices: tuple[list[str], list[str]]) -> None:
            self.app.push_screen(SendOneModal(self.app.store, choices[0], inbound), self._send_chosen)

        if self.live:
            in_background(self, lambda _session: self._read_choices(self.store), ask, group="traffic-send-form")
        else:
            ask(self._read_choices(self.store))

    def action_choose_delivery(self) -> None:
        """Switch the delivery profile that plans the messages routed from now on."""
        if self.feed is not None:
            self.app.push_screen(DeliveryChoice(self.feed.profile), self._delivery_chosen)

    def _delivery_chosen(self, profile) -> None:
        if profile is None or self.feed is None:
            return
        self.feed.set_profile(profile)
        self.notify(visible(profile.describe()), title="Delivery profile", timeout=4)
        self._show_status()

    def _send_chosen(self, request) -> None:
        if request is not None:
            self.send(request)

    def send(self, request) -> None:
        """Route one message written by hand; its row is highlighted and its trace shown."""
        if self.feed is None:
            return
        if self.live:
            self._in_thread(lambda: self.feed.send(request))
            return
        try:
            self._apply([self.feed.send(request)])
        except StoreError as exc:
            self.notify(f"{exc} (code {exc.code})", title="Not routed", severity="error")

    def _in_thread(self, job: Callable[[], Batch]) -> None:
        def run() -> None:
            try:
                self._deliver(job())
            except Exception as exc:
                self.app.call_from_thread(self._failed_one, exc)

        self.run_worker(run, thread=True, group="traffic-one", exit_on_error=False)

    def _failed_one(self, exc: Exception) -> None:
        if isinstance(exc, StoreError):
            self.notify(f"{exc} (code {exc.code})", title="Not routed", severity="error")
        else:
            self.notify(f"{type(exc).__name__}: {exc}", title="Not routed", severity="error")
