"""Submit checks every requirement: one feedback code per wrong field, and nothing stored then."""

from __future__ import annotations

import pytest
from sqlmodel import select

from store.errors import StoreError
from store.platforms import create_application, create_entity
from store.requests import ResourceRequest, RequestEvent, add_document, submit_request
from store.requests.validate import check_value

from .request_data import GB_ALPHA, PDF, ten_dlc

TEXT = {"key": "t", "type": "TEXT", "validation": {"minLength": 3, "maxLength": 5, "pattern": "^[a-z]+$"}}
OPTIONS = {"key": "o", "type": "TEXT", "options": ["OTP", "Alerts"]}
INTEGER = {"key": "i", "type": "INTEGER", "validation": {"minValue": 10, "maxValue": 20}}
EMAIL = {"key": "e", "type": "EMAIL"}
MANY_EMAILS = {"key": "m", "type": "EMAIL", "multipleValuesSupported": True}
URL = {"key": "u", "type": "URL"}
GSM = {"key": "g", "type": "GSM"}
DOCUMENT = {"key": "d", "type": "DOCUMENT"}


@pytest.mark.parametrize(
    "spec, value, code",
    [
        (TEXT, "abcd", None),
        (TEXT, "ab", "RES_REQ_FEED_LENGTH_OOR"),
        (TEXT, "abcdef", "RES_REQ_FEED_LENGTH_OOR"),
        (TEXT, "ab1d", "RES_REQ_FEED_FORMAT"),
        (TEXT, 1234, "RES_REQ_FEED_FORMAT"),
        (OPTIONS, "Alerts", None),
        (OPTIONS, "alerts", "RES_REQ_FEED_FORMAT"),
        (INTEGER, 10, None),
        (INTEGER, "20", None),
        (INTEGER, 9, "RES_REQ_FEED_VALUE_OOR"),
        (INTEGER, "21", "RES_REQ_FEED_VALUE_OOR"),
        (INTEGER, "12.5", "RES_REQ_FEED_FORMAT"),
        (INTEGER, True, "RES_REQ_FEED_FORMAT"),
        (EMAIL, "ops@example.com", None),
        (EMAIL, "ops@example", "RES_REQ_FEED_FORMAT"),
        (EMAIL, ["a@example.com", "b@example.com"], "RES_REQ_FEED_FORMAT"),
        (MANY_EMAILS, ["a@example.com", "b@example.com"], None),
        (MANY_EMAILS, ["a@example.com", "b@"], "RES_REQ_FEED_FORMAT"),
        (URL, "https://example.com/about", None),
        (URL, "example.com", "RES_REQ_FEED_FORMAT"),
        (URL, "ftp://example.com", "RES_REQ_FEED_FORMAT"),
        (GSM, "+385911234567", None),
        (GSM, "385911234567", None),
        (GSM, "+1212555", "RES_REQ_FEED_FORMAT"),
        (GSM, "call me", "RES_REQ_FEED_FORMAT"),
        (DOCUMENT, "NOPE", "RES_REQ_FEED_FORMAT"),
    ],
)
def test_each_type_and_rule(store, spec, value, code):
    with store.read() as session:
        problem = check_value(session, spec, value)
    assert (problem[0] if problem else None) == code


def test_an_uploaded_document_id_passes(store):
    with store.write() as session:
        doc = add_document(session, "reg.pdf", PDF)
        assert check_value(session, DOCUMENT, doc.document_id) is None


@pytest.fixture
def platform(store):
    with store.write() as session:
        create_application(session, "shop")
        create_entity(session, "bigcola")
    return store


def _submit(store, requirements, **kw):
    args = dict(type="NUMBER_PURCHASE", country_code="US", number_type="TEN_DIGIT_LONG_CODE", capabilities=["SMS"])
    args.update(kw)
    with store.write() as session:
        return submit_request(session, requirements=requirements, **args)


def _stored(store):
    with store.read() as session:
        return session.exec(select(ResourceRequest)).all(), session.exec(select(RequestEvent)).all()


def test_feedback_on_every_wrong_field_and_nothing_stored(platform):
    filled = ten_dlc(contactEmail="ops@", monthlyVolume="0", brandName="B", ein="123", npa="12")
    del filled["companyName"]
    result = _submit(platform, filled, application_id="shop", entity_id="bigcola")
    assert not result.ok and result.request is None
    assert {(f["key"], f["code"]) for f in result.feedback} == {
        ("companyName", "RES_REQ_FEED_REQUIRED"),
        ("contactEmail", "RES_REQ_FEED_FORMAT"),
        ("monthlyVolume", "RES_REQ_FEED_VALUE_OOR"),
        ("brandName", "RES_REQ_FEED_LENGTH_OOR"),
        ("ein", "RES_REQ_FEED_FORMAT"),
        ("npa", "RES_REQ_FEED_FORMAT"),
    }
    assert _stored(platform) == ([], [])


def test_unknown_requirement_key_is_feedback(platform):
    result = _submit(platform, ten_dlc(favouriteColour="red"))
    assert result.feedback == [
        {"key": "favouriteColour", "code": "RES_REQ_FEED_OTHER", "feedback": "Not a requirement of this request."}
    ]


def test_a_valid_submit_stores_a_pending_request_with_one_event(platform):
    result = _submit(platform, ten_dlc(state="NY"), quantity=2, application_id="shop", entity_id="bigcola")
    assert result.ok and result.feedback == []
    requests, events = _stored(platform)
    assert [(r.status, r.quantity, r.application_id, r.entity_id) for r in requests] == [("PENDING", 2, "shop", "bigcola")]
    assert {"key": "monthlyVolume", "value": 5000} in requests[0].requirements
    assert [(e.event, e.previous_status, e.status) for e in events] == [
        ("RESOURCE_REQUEST_STATUS_UPDATE", None, "PENDING")
    ]


@pytest.mark.parametrize(
    "prefs, code, field",
    [
        ({"nxx": "555", "npa": "212"}, "RR-NUMBER-PURCHASE-NXX-REQUIRES-NPA-STATE400", "requirements.nxx"),
        ({"state": "CA", "npa": "212"}, "RR-NUMBER-PURCHASE-INVALID-STATE-NPA-COMBO400", "requirements.npa"),
        ({"npa": "416"}, "RR-NUMBER-PURCHASE-INVALID-STATE-NPA-COMBO400", "requirements.npa"),
        ({"state": "ZZ"}, "RR-NUMBER-PURCHASE-INVALID-STATE-NPA-COMBO400", "requirements.state"),
    ],
)
def test_impossible_area_preferences_are_refused(platform, prefs, code, field):
    with pytest.raises(StoreError) as err:
        _submit(platform, ten_dlc(**prefs))
    assert (err.value.code, err.value.field) == (code, field)
    assert _stored(platform) == ([], [])


def test_unknown_platform_is_refused(platform):
    with pytest.raises(StoreError) as err:
        _submit(platform, ten_dlc(), application_id="shop", entity_id="nobody")
    assert (err.value.code, err.value.field) == ("NOT_FOUND", "entityId")


def _alpha(store, sender="BigCola", country="GB"):
    with store.write() as session:
        return submit_request(
            session, "ALPHANUMERIC_REGISTRATION", country, sender_name=sender, requirements=GB_ALPHA
        )


def test_at_most_two_pending_alphanumeric_requests_per_sender(platform):
    assert _alpha(platform).ok and _alpha(platform).ok
    with pytest.raises(StoreError) as err:
        _alpha(platform)
    assert (err.value.code, err.value.field) == ("RR-ALPHA-SS-LIMIT400", "senderName")
    assert _alpha(platform, sender="OtherName").ok
    assert len(_stored(platform)[0]) == 3


def test_alphanumeric_sender_rules(platform):
    with pytest.raises(StoreError) as err:
        _alpha(platform, sender="12345")
    assert (err.value.code, err.value.field) == ("INVALID_INPUT", "senderName")
    from store.resources import add_resource

    with platform.write() as session:
        add_resource(session, "BigCola", "ALPHA", country="GB")
    with pytest.raises(StoreError) as err:
        _alpha(platform)
    assert (err.value.code, err.value.field) == ("RR-ALPHA-SENDER-ALREADY-EXISTS400", "senderName")
