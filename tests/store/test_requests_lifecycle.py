"""The review lifecycle: allowed and refused moves, events, and what COMPLETED creates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import phonenumbers
import pytest

from store.errors import StoreError
from store.number_forms import derived_key
from store.platforms import create_application, create_entity
from store.requests import advance, auto_review, cancel_request, get_request, list_events, submit_request, update_request
from store.resources import add_resource, get_resource, list_resources
from store.routing.nanp import lookup

from .request_data import GB_ALPHA, ten_dlc

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def platform(store):
    with store.write() as session:
        create_application(session, "shop")
        create_entity(session, "bigcola")
    return store


def submit(store, requirements=None, quantity=2, **kw):
    args = dict(
        type="NUMBER_PURCHASE", country_code="US", number_type="TEN_DIGIT_LONG_CODE", capabilities=["SMS", "MMS"],
        quantity=quantity, application_id="shop", entity_id="bigcola",
    )
    args.update(kw)
    with store.write() as session:
        result = submit_request(session, requirements=ten_dlc() if requirements is None else requirements, now=T0, **args)
    assert result.ok, result.feedback
    return result.request.id


def step(store, request_id, **kw):
    with store.write() as session:
        return advance(session, request_id, **kw)


def status(store, request_id):
    with store.read() as session:
        return get_request(session, request_id).status


def events(store, request_id):
    with store.read() as session:
        return [(e.previous_status, e.status) for e in list_events(session, request_id).results]


def test_completed_creates_exactly_the_numbers_in_the_preferred_state(platform):
    rid = submit(platform, ten_dlc(state="NY"))
    assert step(platform, rid).status == "IN_REVIEW"
    row = step(platform, rid)
    assert row.status == "COMPLETED" and row.note is None
    assert len(row.numbers) == 2 and row.resources == [n["number"] for n in row.numbers]
    with platform.read() as session:
        for number in row.resources:
            res = get_resource(session, number)
            assert (res.resource_type, res.number_type, res.country) == ("NUMBER", "TEN_DIGIT_LONG_CODE", "US")
            assert (res.application_id, res.entity_id, res.capabilities) == ("shop", "bigcola", ["SMS", "MMS"])
            assert phonenumbers.is_valid_number(phonenumbers.parse(number))
            assert lookup(number[2:5]).region == "NY"
        assert list_resources(session).total_results == 2
    assert events(platform, rid) == [(None, "PENDING"), ("PENDING", "IN_REVIEW"), ("IN_REVIEW", "COMPLETED")]


def test_npa_and_nxx_preference_and_fewer_than_asked_with_a_note(platform):
    rid = submit(platform, ten_dlc(state="NY", npa="212", nxx="555"), quantity=25)
    step(platform, rid)
    row = step(platform, rid)
    assert row.status == "COMPLETED"
    assert len(row.resources) == 20 and all(n.startswith("+1212555") for n in row.resources)
    assert row.note == "20 of 25 numbers delivered: the state NY, NPA 212, NXX 555 inventory has no more free numbers."
    assert {"number", "numberKey", "status"} == set(row.numbers[0]) and row.numbers[0]["status"] == "SUCCESS"
    with platform.read() as session:  # the key a request hands out is the number's own stored key
        stored = {n: get_resource(session, n).number_key for n in row.resources}
    assert {n["number"]: n["numberKey"] for n in row.numbers} == stored == {n: derived_key(n) for n in row.resources}
    # The block is now empty: a second request gets none and says so.
    rid2 = submit(platform, ten_dlc(state="NY", npa="212", nxx="555"), quantity=1)
    step(platform, rid2)
    assert step(platform, rid2).note.startswith("0 of 1 numbers delivered")


def test_numbers_skip_ones_already_owned(platform):
    first = submit(platform, ten_dlc(npa="646", state="NY"), quantity=1)
    step(platform, first)
    taken = step(platform, first).resources[0]
    second = submit(platform, ten_dlc(npa="646", state="NY"), quantity=1)
    step(platform, second)
    again = step(platform, second).resources[0]
    assert again != taken and again.startswith("+1646")


@pytest.mark.parametrize(
    "country, number_type, requirements, check",
    [
        ("US", "TOLL_FREE_NUMBER", None, lambda n: phonenumbers.number_type(phonenumbers.parse(n)) == 3),
        ("GB", "VIRTUAL_LONG_NUMBER", {}, lambda n: n.startswith("+44")),
        ("CA", "VIRTUAL_LONG_NUMBER", {"companyName": "BigCola", "contactEmail": "a@b.ca"}, lambda n: lookup(n[2:5]).country == "CA"),
    ],
)
def test_numbers_without_preference_are_valid_for_the_country(platform, country, number_type, requirements, check):
    if requirements is None:
        requirements = {k: ten_dlc()[k] for k in ("companyName", "companyWebsite", "contactEmail", "sampleMessage", "monthlyVolume", "messageFlow")}
        requirements["useCase"] = "Alerts"
    rid = submit(platform, requirements, quantity=3, country_code=country, number_type=number_type, capabilities=["SMS"])
    step(platform, rid)
    row = step(platform, rid)
    assert len(row.resources) == 3
    for number in row.resources:
        parsed = phonenumbers.parse(number)
        assert phonenumbers.is_valid_number(parsed) and phonenumbers.region_code_for_number(parsed) == country
        assert check(number)


def test_alpha_completion_creates_the_sender(platform):
    with platform.write() as session:
        rid = submit_request(
            session, "ALPHANUMERIC_REGISTRATION", "GB", sender_name="BigCola", requirements=GB_ALPHA,
            application_id="shop", entity_id="bigcola",
        ).request.id
    step(platform, rid)
    assert step(platform, rid).resources == ["BigCola"]
    with platform.read() as session:
        res = get_resource(session, "BigCola")
    assert (res.resource_type, res.country, res.application_id, res.entity_id) == ("ALPHA", "GB", "shop", "bigcola")


def test_reviewer_requests_an_update_then_the_requester_fixes_it(platform):
    rid = submit(platform, ten_dlc(sampleMessage="BigCola: your order 123 has shipped today."))
    step(platform, rid)
    row = step(platform, rid)
    assert row.status == "UPDATE_REQUESTED"
    assert [(f["key"], f["code"]) for f in row.requirements_feedback] == [("sampleMessage", "RES_REQ_FEED_OTHER")]
    with platform.read() as session:
        event = list_events(session, rid).results[-1]
    assert event.content["requirementsFeedback"] == row.requirements_feedback
    with pytest.raises(StoreError) as err:
        step(platform, rid)
    assert err.value.code == "RR-INVALID-STATUS400"
    with platform.write() as session:
        bad = update_request(session, rid, ten_dlc(contactEmail="nope"))
    assert [f["code"] for f in bad.feedback] == ["RES_REQ_FEED_FORMAT"] and status(platform, rid) == "UPDATE_REQUESTED"
    with platform.write() as session:
        assert update_request(session, rid, ten_dlc()).request.status == "PENDING"
    step(platform, rid)
    assert step(platform, rid).status == "COMPLETED"
    assert [s for _, s in events(platform, rid)] == [
        "PENDING", "IN_REVIEW", "UPDATE_REQUESTED", "PENDING", "IN_REVIEW", "COMPLETED"
    ]


def test_explicit_moves_with_feedback_and_note(platform):
    rid = submit(platform)
    step(platform, rid)
    row = step(platform, rid, to="UPDATE_REQUESTED", feedback={"ein": "The EIN does not match the company."})
    assert row.requirements_feedback == [
        {"key": "ein", "code": "RES_REQ_FEED_OTHER", "feedback": "The EIN does not match the company."}
    ]
    with platform.write() as session:
        assert cancel_request(session, rid).status == "CANCELED"
    rid2 = submit(platform)
    step(platform, rid2)
    row = step(platform, rid2, to="REJECTED", note="Brand could not be verified.")
    assert (row.status, row.note, row.resources) == ("REJECTED", "Brand could not be verified.", [])


@pytest.mark.parametrize(
    "path, move",
    [
        ([], "COMPLETED"),
        ([], "UPDATE_REQUESTED"),
        (["IN_REVIEW"], "PENDING"),
        (["IN_REVIEW", "COMPLETED"], "REJECTED"),
        (["IN_REVIEW", "REJECTED"], "IN_REVIEW"),
    ],
)
def test_refused_reviewer_moves(platform, path, move):
    rid = submit(platform)
    for to in path:
        step(platform, rid, to=to)
    before = events(platform, rid)
    with pytest.raises(StoreError) as err:
        step(platform, rid, to=move)
    assert err.value.code == "RR-INVALID-STATUS400" and err.value.field == "status"
    assert events(platform, rid) == before


@pytest.mark.parametrize("path", [[], ["IN_REVIEW"], ["IN_REVIEW", "COMPLETED"]])
def test_update_and_cancel_only_when_an_update_was_requested(platform, path):
    rid = submit(platform)
    for to in path:
        step(platform, rid, to=to)
    for action in (lambda s: cancel_request(s, rid), lambda s: update_request(s, rid, ten_dlc())):
        with pytest.raises(StoreError) as err, platform.write() as session:
            action(session)
        assert err.value.code == "RR-INVALID-STATUS400"


def test_feedback_must_name_a_requirement(platform):
    rid = submit(platform)
    step(platform, rid)
    with pytest.raises(StoreError) as err:
        step(platform, rid, to="UPDATE_REQUESTED", feedback={"shoeSize": "too big"})
    assert err.value.field == "feedback[0].key"
    with pytest.raises(StoreError) as err:
        step(platform, rid, to="UPDATE_REQUESTED")
    assert err.value.field == "feedback"


def test_unknown_request(platform):
    with pytest.raises(StoreError) as err:
        step(platform, "nope")
    assert (err.value.code, err.value.field) == ("RR404", "id")


def test_auto_review_moves_requests_that_rested_long_enough(platform):
    rid = submit(platform)
    with platform.write() as session:
        assert auto_review(session, now=T0 + timedelta(seconds=2)) == []
        assert auto_review(session, now=T0 + timedelta(seconds=5)) == [rid]
    assert status(platform, rid) == "IN_REVIEW"
    with platform.write() as session:
        assert auto_review(session, now=T0 + timedelta(seconds=6)) == []
        assert auto_review(session, now=T0 + timedelta(seconds=10)) == [rid]
    assert status(platform, rid) == "COMPLETED"


def test_completion_never_takes_an_owned_number(platform):
    with platform.write() as session:
        add_resource(session, "+12125550100", "NUMBER")
    rid = submit(platform, ten_dlc(npa="212", state="NY"), quantity=3)
    step(platform, rid)
    assert "+12125550100" not in step(platform, rid).resources
