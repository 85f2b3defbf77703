"""Home/End and PageUp/PageDown move the row cursor in every table (then `d` acts on the row shown)."""

from __future__ import annotations

from store.platforms import create_application
from store.requests import submit_request
from tui.widgets.confirm import ConfirmDelete

from ..store.request_data import GB_ALPHA
from .conftest import SIZE, press, settle


async def test_home_and_end_go_to_the_first_and_last_row_then_delete_asks_about_that_row(make_app):
    app = make_app("resources")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.table
        ids = [r["resourceId"] for r in table.rows]
        await press(pilot, "end")
        assert table.current_id() == ids[-1]
        await press(pilot, "home")
        assert table.current_id() == ids[0]
        await press(pilot, "end", "d")
        assert isinstance(app.screen, ConfirmDelete)
        assert app.screen.ident == ids[-1]


async def test_page_down_and_up_move_by_a_screenful(make_app, tui_store):
    with tui_store.write() as session:
        for i in range(40):
            create_application(session, f"app-{i:02}", None)
    app = make_app("applications")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.table
        await press(pilot, "pagedown")
        down = table.data_table.cursor_row
        assert 10 < down < 41
        await press(pilot, "pageup")
        assert table.data_table.cursor_row == 0
        await press(pilot, "end")
        assert table.data_table.cursor_row == len(table.rows) - 1


async def test_requests_table_home_and_end(make_app, tui_store):
    with tui_store.write() as session:
        for sender in ("BigColaA", "BigColaB", "BigColaC"):
            submit_request(session, "ALPHANUMERIC_REGISTRATION", "GB", sender_name=sender, requirements=GB_ALPHA)
    app = make_app("requests")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.table
        assert table.cursor_row == 0
        await press(pilot, "end")
        assert table.cursor_row == 2
        await press(pilot, "home")
        assert table.cursor_row == 0
