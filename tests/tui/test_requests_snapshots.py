"""Snapshots of the Requests area: the list with its detail, the guided form with feedback, a completed request."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from store.requests import advance, submit_request
from tui.widgets.request_form import RequestForm

from ..store.request_data import GB_ALPHA, ten_dlc
from .conftest import FIXED_NOW, SIZE, press, settle


@pytest.fixture
def requests_store(tui_store, monkeypatch):
    """Four requests in four statuses, with fixed ids and times."""
    ids = (f"00000000-0000-4000-8000-{n:012d}" for n in itertools.count(1))
    monkeypatch.setattr("store.requests.submit.new_request_id", lambda: next(ids))
    at = [FIXED_NOW + timedelta(minutes=m) for m in range(10)]
    with tui_store.write() as session:
        done = submit_request(session, "NUMBER_PURCHASE", "US", "TEN_DIGIT_LONG_CODE", ["SMS", "MMS"], 2,
                              requirements=ten_dlc(state="NY", npa="212"), application_id="shop",
                              entity_id="bigcola", now=at[0]).request.id
        advance(session, done, now=at[1])
        advance(session, done, now=at[2])
        back = submit_request(session, "NUMBER_PURCHASE", "US", "TEN_DIGIT_LONG_CODE", ["SMS"], 1,
                              requirements=ten_dlc(sampleMessage="BigCola: your order has shipped today."),
                              application_id="shop", entity_id="fizz", now=at[3]).request.id
        advance(session, back, now=at[4])
        advance(session, back, now=at[5])
        submit_request(session, "ALPHANUMERIC_REGISTRATION", "GB", sender_name="BigColaUK", requirements=GB_ALPHA,
                       now=at[6])
    return tui_store


def test_requests_area(snap_compare, make_app, requests_store):
    async def run_before(pilot):
        await settle(pilot)
        await press(pilot, "down")  # the one sent back for an update: feedback in the detail

    assert snap_compare(make_app("requests"), terminal_size=SIZE, run_before=run_before)


def test_completed_request(snap_compare, make_app, requests_store):
    async def run_before(pilot):
        await settle(pilot)
        await press(pilot, "down", "down")

    assert snap_compare(make_app("requests"), terminal_size=SIZE, run_before=run_before)


def test_guided_form_with_feedback(snap_compare, make_app):
    async def run_before(pilot):
        await settle(pilot)
        await press(pilot, "n")
        form = pilot.app.screen
        assert isinstance(form, RequestForm)
        form.query_one("#field-countryCode").value = "HR"
        form.query_one("#field-numberType").value = "VIRTUAL_LONG_NUMBER"
        await press(pilot, "ctrl+l")
        values = {"companyName": "B", "vatNumber": "HR123", "expectedMonthlyMessages": "50",
                  "companyWebsite": "https://bigcola.example.com", "companyRegistrationDocument": "NOPE"}
        for key, value in values.items():
            form.query_one(f"#field-req-{key}").value = value
        await press(pilot, "ctrl+s")

    assert snap_compare(make_app("requests"), terminal_size=SIZE, run_before=run_before)
