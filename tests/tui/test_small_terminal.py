"""The classic 80x24 terminal: every area laid out whole (all area tabs, side panes' right edge, ? Help)."""

from __future__ import annotations

import pytest

from .conftest import SIZE, settle
from .test_requests_snapshots import requests_store  # noqa: F401  (fixture)

SMALL = (80, 24)
AREAS = ["applications", "entities", "resources", "strategies", "api-keys", "requests"]


@pytest.mark.parametrize("mode", AREAS)
def test_area_at_80x24(snap_compare, make_app, mode):
    async def run_before(pilot):
        await settle(pilot)

    assert snap_compare(make_app(mode), terminal_size=SMALL, run_before=run_before)


@pytest.mark.parametrize("mode", AREAS)
async def test_every_area_tab_and_help_fit_at_80_columns(make_app, mode):
    app = make_app(mode)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        bar = str(app.screen.query_one(".area-bar").render())
        assert "7 Requests" in bar and "6 Traffic" in bar
        side = app.screen.query("#side")
        if side:
            assert side.first().region.right <= 80


@pytest.mark.parametrize("mode, keys", [("strategies", ["x"]), ("resources", ["slash"])], ids=["explain-box", "filter"])
async def test_typing_in_a_text_box_the_footer_says_how_to_get_out(make_app, mode, keys):
    app = make_app(mode)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
        await settle(pilot)
        labels = [str(label.render()) for label in app.screen.query("AreaFooter FooterLabel")]
        assert labels == ["typing · esc back to the table · tab next field"]
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused is app.screen.table.data_table
        assert not app.screen.query("AreaFooter FooterLabel")
        assert app.screen.query("AreaFooter FooterKey").first().key_display == "?"


@pytest.mark.parametrize("size, columns", [(SMALL, ["Status", "What"]), (SIZE, ["Status", "Type", "Ctry", "What", "Entity"])],
                         ids=["80x24", "120x36"])
async def test_request_list_columns_give_way_instead_of_scrolling(make_app, requests_store, size, columns):
    app = make_app("requests")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        table = app.screen.table
        assert [str(c.label) for c in table.columns.values()] == columns
        assert table.virtual_size.width <= table.size.width  # nothing hidden to the right


@pytest.mark.parametrize("mode, columns", [
    ("applications", ["Id", "Name"]),
    ("resources", ["Resource", "Type", "Channels"]),
    ("api-keys", ["Name", "On", "Limited to"]),
    ("strategies", ["Application", "Entity", "Channel", "Ctry", "Sticky", "Geo", "Priorities"]),
])
async def test_table_columns_give_way_at_80_columns_and_come_back_when_wider(make_app, mode, columns):
    app = make_app(mode)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        table = app.screen.table.data_table
        labels = [c.label.plain.rstrip(" ▲▼") for c in table.columns.values()]
        assert labels == columns
        assert table.virtual_size.width <= table.size.width  # nothing hidden to the right
        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        assert len(table.columns) == len(app.screen.table.columns)


def test_fit_columns_drops_the_highest_give_way_first_and_narrows_a_shrinking_one():
    from tui.widgets.record_table import Column, fit_columns

    cols = [Column("a", "A", width=10), Column("b", "B", width=10, give_way=1, shrink_to=4),
            Column("c", "C", width=10, give_way=2)]
    assert [(c.key, w) for c, w in fit_columns(cols, 36)] == [("a", 10), ("b", 10), ("c", 10)]
    assert [(c.key, w) for c, w in fit_columns(cols, 35)] == [("a", 10), ("b", 10)]
    assert [(c.key, w) for c, w in fit_columns(cols, 20)] == [("a", 10), ("b", 6)]
    assert [(c.key, w) for c, w in fit_columns(cols, 17)] == [("a", 10)]
    assert [(c.key, w) for c, w in fit_columns(cols, 0)] == [("a", 10), ("b", 10), ("c", 10)]
