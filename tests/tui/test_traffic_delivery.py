"""Delivery in the Traffic area: rows turn to their final status in place, the counters and the
trace follow, and the delivery profile can be switched."""

from __future__ import annotations

import io

from rich.console import Console
from sqlmodel import select

from store.delivery_profile import shipped_profile
from store.message_status import DELIVERED_TO_HANDSET
from store.tables import MessageLog
from tui.screens.traffic import TrafficOptions
from tui.widgets.delivery_choice import DeliveryChoice
from tui.widgets.traffic_trace import TracePane, trace_renderable

from .conftest import SIZE, press, settle, type_text
from .traffic_fixtures import demo_store, panel, traffic_app  # noqa: F401  (fixture)

SMALL = (80, 24)


def flaky_app(store):
    options = TrafficOptions.deterministic()
    options.delivery = shipped_profile("flaky")
    return traffic_app(store, options)


def status_text(app) -> str:
    return str(app.screen.query_one("#traffic-state").render())


def trace_text(row) -> str:
    console = Console(width=60, record=True, file=io.StringIO())
    console.print(trace_renderable(row))
    return console.export_text()


def log_row(store, message_id):
    with store.read() as session:
        return session.exec(select(MessageLog).where(MessageLog.message_id == message_id)).one()


async def test_a_pending_row_turns_delivered_in_place(demo_store):
    app = traffic_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = panel(app)
        screen.run_batch(10)
        await pilot.pause()
        first = next(r for r in screen.table.rows if r.decision.routed and r.decision.direction == "OUTBOUND")
        assert first.cells[6][0] == "PENDING"
        position = list(screen.table.rows).index(first)
        due = first.decision.at + first.decision.delivery.delay
        while not screen.feed.latest or screen.feed.latest < due:  # 50 ms of the driven clock per message
            screen.run_batch(10)
        await pilot.pause()
        assert screen.table.rows[position] is first
        assert first.cells[6][0] == "DELIVERED" and first.final.done_at == due
        row = log_row(demo_store, first.decision.message_id)
        assert (row.general_status, row.status_id) == ("DELIVERED", DELIVERED_TO_HANDSET.id)
        delivered = sum(1 for r in screen.table.rows if r.cells[6][0] == "DELIVERED")
        assert screen.stats.total.delivered == delivered > 0


async def test_the_trace_ends_with_the_delivery_steps(demo_store):
    app = flaky_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = panel(app)
        screen.run_batch(200)
        await pilot.pause()
        rows = list(screen.table.rows)
        target = max(i for i, r in enumerate(rows) if r.cells[6][0] == "UNDELIVERABLE")
        await press(pilot, *["up"] * (len(rows) - 1 - target))
        trace = app.screen.query_one(TracePane)
        assert trace.row is rows[target]
        text = trace_text(rows[target])
        assert "PENDING_ACCEPTED" in text and "UNDELIVERABLE_NOT_DELIVERED" in text
        assert "doneAt" in text and "error EC_" in text


async def test_switching_the_profile_plans_later_messages_with_it(demo_store):
    app = flaky_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = panel(app)
        assert "delivery flaky" in status_text(app)
        await press(pilot, "p")
        assert isinstance(app.screen, DeliveryChoice)
        await press(pilot, "home", "down", "enter")  # default, reliable, flaky: reliable
        assert not isinstance(app.screen, DeliveryChoice)
        assert screen.feed.profile.name == "reliable"
        assert "delivery reliable" in status_text(app)
        batch = screen.run_batch(100)
        routed = [d for d in batch.decisions if d.routed and d.direction == "OUTBOUND"]
        assert routed
        with demo_store.read() as session:
            statuses = set(session.exec(select(MessageLog.due_status_id).where(
                MessageLog.message_id.in_([d.message_id for d in routed]))).all())
        assert statuses == {DELIVERED_TO_HANDSET.id}


async def test_a_bad_profile_file_is_refused_in_the_dialog(demo_store, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("mix: [{status: DELIVERED, share: 0.5, delay: 1}]\n")
    app = traffic_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "p", "tab")
        await type_text(pilot, str(bad))
        await press(pilot, "enter")
        assert isinstance(app.screen, DeliveryChoice)
        error = str(app.screen.query_one("#delivery-error").render())
        assert "file" in error and "mix" in error
        assert panel(app).feed.profile.name == "default"
        await press(pilot, "escape")
        assert not isinstance(app.screen, DeliveryChoice)


def test_snapshot_delivered_and_undeliverable_rows(snap_compare, demo_store):
    async def run_before(pilot):
        await settle(pilot)
        panel(pilot.app).run_batch(240)
        await settle(pilot)
        rows = list(panel(pilot.app).table.rows)
        target = max(i for i, r in enumerate(rows) if r.cells[6][0] == "UNDELIVERABLE")
        await press(pilot, *["up"] * (len(rows) - 1 - target))

    assert snap_compare(flaky_app(demo_store), terminal_size=SIZE, run_before=run_before)


def test_snapshot_traffic_at_80x24(snap_compare, demo_store):
    async def run_before(pilot):
        await settle(pilot)
        panel(pilot.app).run_batch(120)
        await settle(pilot)

    assert snap_compare(traffic_app(demo_store), terminal_size=SMALL, run_before=run_before)


def test_snapshot_traffic_at_200x50(snap_compare, demo_store):
    async def run_before(pilot):
        await settle(pilot)
        panel(pilot.app).run_batch(240)
        await settle(pilot)

    assert snap_compare(flaky_app(demo_store), terminal_size=(200, 50), run_before=run_before)


def test_snapshot_profile_dialog(snap_compare, demo_store):
    assert snap_compare(traffic_app(demo_store), terminal_size=SIZE, press=["p"])


def test_snapshot_profile_dialog_at_80x24_with_an_error(snap_compare, demo_store, tmp_path):
    async def run_before(pilot):
        await settle(pilot)
        await press(pilot, "p", "tab")
        await type_text(pilot, "/no/such/profile.yaml")
        await press(pilot, "enter")

    assert snap_compare(traffic_app(demo_store), terminal_size=SMALL, run_before=run_before)


async def test_a_message_sent_by_another_program_appears_marked_with_its_trace(demo_store):
    from store.routing import OutboundRequest, Router

    app = traffic_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = panel(app)
        screen.run_batch(3)
        sent = Router(demo_store).send(OutboundRequest(to="+19175550123", channel="SMS", application_id="shop",
                                                       entity_id="maplemart"))
        screen.run_batch(1)
        await pilot.pause()
        rows = [r for r in screen.table.rows if r.elsewhere]
        assert [r.decision.message_id for r in rows] == [sent.message_id]
        row = rows[0]
        assert row.cells[0][0] == "◆" and row.cells[4][0] == "+19175550123" and row.cells[5][0] == sent.sender
        assert row.cells[6][0] == "PENDING"
        assert screen.stats.decisions == 5
        assert "from another program" in trace_text(row)
