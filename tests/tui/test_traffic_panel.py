"""The Traffic area driven from the keyboard: step, pause, rate, filter, trace, send one, setup changes."""

from __future__ import annotations

import asyncio
import io
import os
import time

from rich.console import Console
from sqlalchemy import func
from sqlmodel import select
from textual.widgets import Select, Static

from store.routing import OutboundRequest
from store.tables import MessageLog
from store.traffic_remote import RemoteFeed
from store.strategies import update_strategy
from tui.screens.traffic import TrafficOptions
from tui.widgets.traffic_send import SendOneModal
from tui.widgets.traffic_trace import TracePane

from .conftest import SIZE, choose, press, settle, type_text
from .traffic_fixtures import demo_store, panel, traffic_app  # noqa: F401  (fixture)


def status(app) -> str:
    return str(panel(app).query_one("#traffic-state", Static).content)


def plain(renderable) -> str:
    console = Console(width=36, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def counters(app, which: str) -> str:
    return panel(app).query_one(f"#counts-{which}").text.plain


async def test_step_routes_one_message_at_a_time(demo_store):
    app = traffic_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = panel(app)
        assert "0 decisions" in status(app) and "PAUSED" in status(app)
        await press(pilot, "s", "s", "n")
        assert screen.stats.decisions == 3
        assert [row.seq for row in screen.table.rows] == [0, 1, 2]
        assert "3 decisions" in status(app)
        # The cursor follows the newest row and the trace pane explains it.
        newest = screen.table.rows[-1].decision
        assert screen.table.current.decision is newest
        assert screen.query_one(TracePane).decision is newest


async def test_rate_goes_up_and_down_the_ladder_within_bounds(demo_store):
    app = traffic_app(demo_store, TrafficOptions.deterministic(rate=20))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = panel(app)
        await press(pilot, "plus")
        assert screen.rate == 50 and "50 msg/s" in status(app)
        await press(pilot, "minus", "minus", "minus")
        assert screen.rate == 5 and "5 msg/s" in status(app)
        await press(pilot, *["minus"] * 5)
        assert screen.rate == 1
        await press(pilot, *["plus"] * 12)
        assert screen.rate == 1000 and "1,000 msg/s" in status(app)


async def test_pause_stops_the_traffic_and_space_resumes_it(demo_store):
    # Real time here: the pacing worker never completes, so keys are pressed without `settle`.
    app = traffic_app(demo_store, TrafficOptions(rate=200, running=True))
    async with app.run_test(size=SIZE) as pilot:
        screen = panel(app)
        await wait_for(pilot, lambda: screen.stats is not None and screen.stats.decisions >= 40)
        assert isinstance(screen.feed, RemoteFeed) and screen.feed.pid != os.getpid()  # routed in its own process
        await pilot.press("space")
        assert not screen.running and "PAUSED" in status(app)
        await asyncio.sleep(0.6)  # a batch already routed may still arrive (redraws come every 0.25 s)
        await pilot.pause()
        paused_at = screen.stats.decisions
        await asyncio.sleep(0.4)
        await pilot.pause()
        assert screen.stats.decisions == paused_at
        await pilot.press("s")
        await wait_for(pilot, lambda: screen.stats.decisions == paused_at + 1)
        await asyncio.sleep(0.3)
        assert screen.stats.decisions == paused_at + 1 and not screen.running
        await pilot.press("space")
        assert screen.running and "RUNNING" in status(app)
        await wait_for(pilot, lambda: screen.stats.decisions >= paused_at + 20)
        await pilot.press("space")
        await asyncio.sleep(0.6)
        await pilot.pause()
        # Every message the other process routed reached the panel: its rows and counters match the store's log.
        with demo_store.read() as session:
            logged = session.exec(select(func.count()).select_from(MessageLog)).one()
        assert screen.stats.decisions == screen.seq == logged


async def wait_for(pilot, condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)
        await pilot.pause()


async def test_filter_by_application_entity_and_outcome(demo_store):
    app = traffic_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = panel(app)
        screen.run_batch(300)
        await settle(pilot)
        window = [row.decision for row in screen.window]

        await press(pilot, "f")  # the application drop-down
        await choose(pilot, "shop")
        await settle(pilot)
        shown = [row.decision for row in screen.table.rows]
        assert shown == [d for d in window if d.application_id == "shop"] and shown

        await press(pilot, "tab")
        await choose(pilot, "bigcola")
        await press(pilot, "tab")
        await choose(pilot, "REJECTED")
        shown = [row.decision for row in screen.table.rows]
        expected = [d for d in window if (d.application_id, d.entity_id, d.status) == ("shop", "bigcola", "REJECTED")]
        assert shown == expected and shown

        # New traffic is filtered as it arrives; the counters still count everything.
        screen.run_batch(200)
        await settle(pilot)
        assert all((d.application_id, d.entity_id, d.status) == ("shop", "bigcola", "REJECTED")
                   for d in (row.decision for row in screen.table.rows))
        assert screen.stats.decisions == 500

        await press(pilot, "escape", "x")
        assert len(screen.table.rows) == 500 and screen.filter.active is False


async def test_filter_by_outcome_inbound(demo_store):
    app = traffic_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = panel(app)
        screen.run_batch(100)
        await press(pilot, "f", "tab", "tab")
        await choose(pilot, "INBOUND")
        shown = [row.decision for row in screen.table.rows]
        assert shown and all(d.direction == "INBOUND" for d in shown)
        assert len(shown) == sum(1 for row in screen.window if row.decision.direction == "INBOUND")


async def test_moving_the_cursor_shows_that_rows_trace(demo_store):
    app = traffic_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = panel(app)
        screen.run_batch(40)
        await press(pilot, "up", "up", "up")
        row = screen.table.rows[-4]
        pane = screen.query_one(TracePane)
        assert screen.table.current is row and pane.decision is row.decision
        body = plain(pane.query_one("#trace-body", Static).content)
        assert row.decision.trace and all(step.step in body for step in row.decision.trace)
        # The cursor stays on its row while new traffic arrives.
        screen.run_batch(10)
        await settle(pilot)
        assert screen.table.current is row and pane.decision is row.decision
        await press(pilot, "end")
        assert screen.table.current is screen.table.rows[-1]


async def test_counters_per_application_and_entity(demo_store):
    app = traffic_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = panel(app)
        screen.run_batch(200)
        await settle(pilot)
        decisions = [row.decision for row in screen.window]
        shop_sent = sum(1 for d in decisions if d.application_id == "shop" and d.direction == "OUTBOUND" and d.routed)
        shop = screen.stats.by_application["shop"]
        assert shop.sent == shop_sent
        line = next(line for line in counters(app, "applications").splitlines() if line.startswith("shop "))
        assert line.split()[:7] == ["shop", str(shop.sent), str(shop.rejected_total), str(shop.landed),
                                    str(shop.delivered), str(shop.undeliverable), str(shop.expired)]
        assert shop.delivered > 0
        total = next(line for line in counters(app, "entities").splitlines() if line.startswith("total"))
        assert total.split()[1:4] == [str(screen.stats.total.sent), str(screen.stats.total.rejected_total),
                                      str(screen.stats.total.landed)]
        # At 120 columns the line says "sticky" for "sticky bindings" (and drops the seed).
        assert f"sticky {screen.stats.sticky_bindings:,}" in status(app)


async def test_send_one_by_hand_is_highlighted_with_its_trace(demo_store):
    app = traffic_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = panel(app)
        screen.run_batch(30)
        await press(pilot, "m")
        assert isinstance(app.screen, SendOneModal)
        await type_text(pilot, "+12125551234")
        await press(pilot, "tab", "tab")  # channel, then application
        await choose(pilot, "shop")
        await press(pilot, "tab")
        await type_text(pilot, "bigcola")
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, SendOneModal)
        row = screen.table.current
        assert row.by_hand and row is screen.table.rows[-1]
        d = row.decision
        assert (d.to, d.application_id, d.entity_id, d.status) == ("+12125551234", "shop", "bigcola", "ROUTED")
        assert screen.query_one(TracePane).decision is d
        assert screen.stats.decisions == 31

        # Shown even when the filter would hide it: the user is looking for it.
        screen.query_one("#filter-application", Select).value = "alerts"
        await settle(pilot)
        assert screen.table.rows[-1] is row and all(
            r.decision.application_id == "alerts" for r in list(screen.table.rows)[:-1]
        )
        screen.send(OutboundRequest(to="+12125550000", application_id="shop"))
        await settle(pilot)
        assert screen.table.current.by_hand and screen.table.current.decision.application_id == "shop"


async def test_send_one_bad_input_stays_in_the_form(demo_store):
    app = traffic_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = panel(app)
        await press(pilot, "m", "ctrl+s")
        assert isinstance(app.screen, SendOneModal)
        assert "is required" in str(app.screen.query_one("#error-out-to", Static).content)  # beside the field
        assert app.focused.id == "out-to"
        await press(pilot, "escape")
        assert screen.stats.decisions == 0


async def test_inject_inbound_by_hand(demo_store):
    app = traffic_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = panel(app)
        await press(pilot, "i")
        await type_text(pilot, "+13125550000")
        await press(pilot, "tab")
        await type_text(pilot, "24680")
        await press(pilot, "tab", "tab")
        await type_text(pilot, "stop please")
        await press(pilot, "enter")
        d = screen.table.current.decision
        assert (d.direction, d.status, d.to, d.reason, d.keyword) == ("INBOUND", "ROUTED", "24680", "KEYWORD", "STOP")
        assert (d.application_id, d.entity_id) == ("alerts", "harbourbank")


async def test_inject_form_says_inbound_refuses_empty_text_and_errors_sit_beside_the_field(demo_store):
    app = traffic_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = panel(app)
        await press(pilot, "i")
        modal = app.screen
        assert "Inject one inbound message" in str(modal.query_one("#send-title", Static).content)
        assert "e.g." in modal.query_one("#in-from").placeholder  # a hint, not a value
        await type_text(pilot, "+13125550000")
        await press(pilot, "tab")
        await type_text(pilot, "24680")
        await press(pilot, "ctrl+s")  # no text typed
        assert app.screen is modal and app.focused.id == "in-text"
        assert "is required" in str(modal.query_one("#error-in-text", Static).content)
        assert modal.query_one("#row-in-text").has_class("invalid")
        await press(pilot, "escape")
        assert screen.stats.decisions == 0


async def test_a_setup_change_shows_in_the_next_decision(demo_store):
    """Turn sticky on for a strategy while the panel runs: the next two messages to one recipient bind."""
    app = traffic_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = panel(app)
        screen.run_batch(50)
        request = OutboundRequest(to="+13125550123", channel="SMS", application_id="shop", entity_id="bigcola")
        screen.send(request)
        screen.send(request)
        before = [row.decision for row in list(screen.table.rows)[-2:]]
        assert [d.reason for d in before] == ["GEOLOCATED", "GEOLOCATED"]
        strategy_id = before[1].sending_strategy_id
        with demo_store.write() as session:  # what the Strategies area does
            update_strategy(session, strategy_id, use_sticky_sender=True)
        revision = demo_store.revision()
        screen.send(request)
        screen.send(request)
        await settle(pilot)
        first, second = [row.decision for row in list(screen.table.rows)[-2:]]
        assert (first.reason, second.reason) == ("GEOLOCATED", "STICKY") and second.sender == first.sender
        sticky_step = next(step.detail for step in second.trace if step.step == "sticky")
        assert first.sender in sticky_step
        assert screen.revision == revision and f"setup #{revision:,}" in status(app)


async def test_the_window_stays_bounded_after_twenty_thousand_messages(demo_store):
    app = traffic_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = panel(app)
        for _ in range(20):
            screen.run_batch(1000)
        await settle(pilot)
        assert screen.stats.decisions == 20_000
        assert len(screen.window) == 500 and len(screen.table.rows) == 500
        assert [row.seq for row in screen.table.rows] == list(range(19_500, 20_000))
        assert screen.table.current is screen.table.rows[-1]
        assert len(screen.stats.throughput) == 20 and sum(screen.stats.throughput) == 20_000
        # Counters are aggregates: one row per application and entity, whatever the traffic.
        assert set(screen.stats.by_application) <= {"default", "shop", "shop-test", "alerts", "support"}
        assert screen.stats.total.total + sum(screen.stats.inbound_rejected.values()) == 20_000


async def test_the_batch_path_merges_waiting_batches(demo_store):
    """Batches delivered faster than the screen takes them arrive as one update, order kept."""
    app = traffic_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = panel(app)
        batches = [screen.feed.run_batch(300) for _ in range(3)]
        for batch in batches:
            screen._deliver(batch)
        await settle(pilot)
        assert screen.stats.decisions == 900
        assert [row.decision for row in screen.table.rows] == (batches[1].decisions + batches[2].decisions)[-500:]
        assert [row.seq for row in screen.table.rows] == list(range(400, 900))
