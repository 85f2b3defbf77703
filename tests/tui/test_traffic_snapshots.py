"""Snapshots of the Traffic area in deterministic mode: the same run always gives the same screen."""

from __future__ import annotations

from store.routing import OutboundRequest

from .conftest import SIZE, choose, press, settle, type_text
from .traffic_fixtures import demo_store, panel, traffic_app  # noqa: F401  (fixture)


def test_panel_after_120_messages(snap_compare, demo_store):
    async def run_before(pilot):
        await settle(pilot)
        panel(pilot.app).run_batch(120)
        await settle(pilot)

    assert snap_compare(traffic_app(demo_store), terminal_size=SIZE, run_before=run_before)


def test_trace_of_a_selected_row(snap_compare, demo_store):
    """A row further up (a geolocated choice) with the routing engine's steps beside the table."""

    async def run_before(pilot):
        await settle(pilot)
        screen = panel(pilot.app)
        screen.run_batch(120)
        await settle(pilot)
        rows = list(screen.table.rows)
        target = max(i for i, row in enumerate(rows) if row.decision.reason == "GEOLOCATED_REGION")
        await press(pilot, *["up"] * (len(rows) - 1 - target))

    assert snap_compare(traffic_app(demo_store), terminal_size=SIZE, run_before=run_before)


def test_trace_scrolled_to_its_last_steps(snap_compare, demo_store):
    """`t` moves into the trace pane: the steps that chose the sender, down to the result."""

    async def run_before(pilot):
        await settle(pilot)
        screen = panel(pilot.app)
        screen.run_batch(120)
        await settle(pilot)
        rows = list(screen.table.rows)
        target = max(i for i, row in enumerate(rows) if row.decision.reason == "GEOLOCATED_REGION")
        await press(pilot, *["up"] * (len(rows) - 1 - target), "t", "end")

    assert snap_compare(traffic_app(demo_store), terminal_size=SIZE, run_before=run_before)


def test_filtered_to_rejections(snap_compare, demo_store):
    async def run_before(pilot):
        await settle(pilot)
        panel(pilot.app).run_batch(200)
        await press(pilot, "f", "tab", "tab")
        await choose(pilot, "REJECTED")
        await press(pilot, "escape")

    assert snap_compare(traffic_app(demo_store), terminal_size=SIZE, run_before=run_before)


def test_send_one_form(snap_compare, demo_store):
    async def run_before(pilot):
        await settle(pilot)
        panel(pilot.app).run_batch(60)
        await press(pilot, "m")
        await type_text(pilot, "+19175550123")
        await press(pilot, "tab", "tab")
        await choose(pilot, "shop")
        await press(pilot, "tab")
        await type_text(pilot, "maplemart")
        await press(pilot, "tab")

    assert snap_compare(traffic_app(demo_store), terminal_size=SIZE, run_before=run_before)


def test_sent_by_hand_is_highlighted(snap_compare, demo_store):
    async def run_before(pilot):
        await settle(pilot)
        screen = panel(pilot.app)
        screen.run_batch(60)
        screen.send(OutboundRequest(to="+19175550123", channel="SMS", application_id="shop", entity_id="maplemart"))
        await settle(pilot)

    assert snap_compare(traffic_app(demo_store), terminal_size=SIZE, run_before=run_before)
