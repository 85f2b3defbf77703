"""The Requests area end to end: two 10DLC numbers in New York for an entity, from the form to Resources."""

from __future__ import annotations

import asyncio

from textual.widgets import DataTable, Input, Select, Static

from store.requests import list_requests
from store.resources import list_resources
from store.routing.nanp import lookup
from tui.widgets.request_form import RequestForm

from ..store.request_data import ten_dlc
from .conftest import SIZE, press, settle


def fill(form: RequestForm, values: dict) -> None:
    for key, value in values.items():
        widget = form.query_one(f"#field-req-{key}")
        widget.value = value


def test_request_two_new_york_numbers_fix_a_field_and_find_them_in_resources(make_app, tui_store):
    asyncio.run(journey(make_app("requests"), tui_store))


async def journey(app, tui_store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "n")
        form = app.screen
        assert isinstance(form, RequestForm)
        form.query_one("#field-quantity", Input).value = "2"
        form.query_one("#field-applicationId", Select).value = "shop"
        form.query_one("#field-entityId", Select).value = "bigcola"
        await press(pilot, "ctrl+l")
        assert [r["key"] for r in form.requirements][:2] == ["companyName", "brandName"]
        fill(form, ten_dlc(contactEmail="ops@bigcola", state="NY", npa="212"))
        await settle(pilot)
        inline = form.query_one("#error-req-contactEmail", Static)
        assert "email address" in str(inline.render())  # checked as typed
        await press(pilot, "ctrl+s")
        assert app.screen is form
        assert "RES_REQ_FEED_FORMAT" in str(form.query_one("#error-req-contactEmail", Static).render())
        with tui_store.read() as session:
            assert list_requests(session).total_results == 0  # feedback, nothing stored

        fill(form, {"contactEmail": "ops@bigcola.example.com"})
        await press(pilot, "ctrl+s")
        assert app.screen is not form
        table = app.screen.query_one("#requests", DataTable)
        assert table.row_count == 1
        await press(pilot, "a")
        await press(pilot, "a")
        with tui_store.read() as session:
            request = list_requests(session).results[0]
            numbers = list_resources(session, entity_id="bigcola", query="+1212").results
        assert request.status == "COMPLETED"
        created = [r for r in numbers if r.resource_id in request.resources]
        assert len(created) == 2 and len(request.resources) == 2
        for res in created:
            assert (res.application_id, res.entity_id, res.number_type) == ("shop", "bigcola", "TEN_DIGIT_LONG_CODE")
            assert res.resource_id[2:5] == "212" and lookup("212").region == "NY"
        detail = str(app.screen.query_one("#pane-summary", Static).render())
        assert "COMPLETED" in detail
        # The detail links the new numbers: choosing one opens it in Resources, ready to associate.
        pane_list = app.screen.query_one("#pane-list")
        pane_list.focus()
        pane_list.highlighted = 1
        await press(pilot, "enter")
        assert app.current_mode == "resources"
