"""The request update form shows the reviewer's feedback beside the field it concerns (issue 12, item 17):
a summary on top, the feedback under the flagged field, the form opened on it, and the feedback kept
while the value is edited."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from store.requests import get_request
from tui.widgets.request_form import RequestForm

from .conftest import SIZE, press
from .test_requests_snapshots import requests_store  # noqa: F401  (fixture)

BACK = "00000000-0000-4000-8000-000000000002"  # the request the reviewer sent back (sampleMessage)
FEEDBACK = 'The sample message must tell recipients how to opt out (e.g. "Reply STOP to opt out").'


def text_of(widget: Static) -> str:
    return str(widget.render())


async def open_update(pilot) -> RequestForm:
    await pilot.pause()
    await press(pilot, "down", "e")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, RequestForm)
    return form


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["120x36", "80x24"])
async def test_update_form_opens_on_the_flagged_field_with_the_reviewers_words_under_it(make_app, requests_store, size):
    app = make_app("requests")
    async with app.run_test(size=size) as pilot:
        form = await open_update(pilot)
        summary = text_of(form.query_one("#update-summary", Static))
        assert summary == "Sent back by the reviewer: change 1 requirement (marked ↳ below): Sample message"
        line = form.query_one("#reviewer-req-sampleMessage", Static)
        assert text_of(line) == f"↳ reviewer: {FEEDBACK}"
        assert form.query_one("#row-req-sampleMessage").has_class("flagged")
        assert app.focused is form.query_one("#field-req-sampleMessage")
        fields = form.query_one("#request-fields").region
        for widget in (form.query_one("#row-req-sampleMessage"), line):  # both in view, nothing to scroll
            assert fields.contains_region(widget.region), f"{widget!r} is out of view"
        assert len(form.query(".reviewer-feedback")) == 1  # only the flagged field has a line


async def test_the_feedback_stays_while_typing_and_the_update_goes_back_to_pending(make_app, requests_store):
    app = make_app("requests")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_update(pilot)
        field = form.query_one("#field-req-sampleMessage")
        field.value = ""
        await pilot.press(*"BigCola: your order has shipped. Reply STOP to opt out.")
        await pilot.pause()
        assert text_of(form.query_one("#reviewer-req-sampleMessage", Static)) == f"↳ reviewer: {FEEDBACK}"
        await press(pilot, "ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RequestForm)
    with requests_store.read() as session:
        row = get_request(session, BACK)
        assert row.status == "PENDING"
        given = {item["key"]: item["value"] for item in row.requirements}
        assert given["sampleMessage"] == "BigCola: your order has shipped. Reply STOP to opt out."
