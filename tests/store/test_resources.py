"""Resources: numbers (E.164, country derived), short codes, alphanumeric senders, domains."""

import pytest

from store.associations import create_association
from store.db import Store
from store.errors import Conflict, DuplicateId, InvalidInput, NotFound
from store.inbound_config import add_inbound_configuration
from store.platforms import create_application, create_entity
from store.resources import add_resource, edit_resource, get_resource, list_resources


def _add(store: Store, *args, **kwargs):
    with store.write() as session:
        return add_resource(session, *args, **kwargs)


def _refused(store: Store, field: str, *args, error=InvalidInput, **kwargs):
    """The add fails naming `field`, and nothing was written."""
    with store.read() as session:
        before = list_resources(session).paging["totalResults"]
    with pytest.raises(error) as caught:
        _add(store, *args, **kwargs)
    assert caught.value.field == field, str(caught.value)
    with store.read() as session:
        assert list_resources(session).paging["totalResults"] == before
    return caught.value


@pytest.mark.parametrize(
    ("number", "country", "number_type"),
    [
        ("+14155550100", "US", "TEN_DIGIT_LONG_CODE"),
        ("+16135550100", "CA", "TEN_DIGIT_LONG_CODE"),
        ("+18005550100", "US", "TOLL_FREE_NUMBER"),
        ("+385911234567", "HR", "VIRTUAL_LONG_NUMBER"),
        ("+4915112345678", "DE", "VIRTUAL_LONG_NUMBER"),
    ],
)
def test_e164_number_country_comes_from_the_number(store: Store, number, country, number_type):
    row = _add(store, number, "NUMBER", capabilities=["SMS", "VOICE"])
    assert (row.country, row.number_type, row.destination_countries) == (country, number_type, [country])
    assert row.capabilities == ["SMS", "VOICE"]
    assert (row.application_id, row.entity_id) == ("default", None)


def test_given_country_must_match_the_number(store: Store):
    assert _add(store, "+14155550100", "NUMBER", country="us").country == "US"
    err = _refused(store, "country", "+16135550101", "NUMBER", country="US")
    assert "CA number" in err.message


@pytest.mark.parametrize("bad", ["14155550100x", "+1415555010", "+1 415 555 0100", "+99912345678", "+", "+1415555O100",
                                 "+14155550100\n"])
def test_bad_e164_numbers_are_refused(store: Store, bad):
    _refused(store, "resourceId", bad, "NUMBER")


def test_short_code_needs_a_country_and_digits(store: Store):
    _refused(store, "country", "12345", "NUMBER")
    _refused(store, "country", "12345", "NUMBER", country="XX")
    _refused(store, "resourceId", "12", "NUMBER", country="US")
    _refused(store, "numberType", "12345", "NUMBER", number_type="TOLL_FREE_NUMBER", country="US")
    _refused(store, "numberType", "+14155550100", "NUMBER", number_type="SHORT_CODE")
    row = _add(store, "12345", "NUMBER", country="US")
    assert (row.number_type, row.country, row.capabilities, row.destination_countries) == (
        "SHORT_CODE", "US", ["SMS"], ["US"])


@pytest.mark.parametrize("name", ["Abc", "InfoSMS", "Bank 24", "A1234567890", "ÄÖÜ-Shop"])
def test_alpha_senders_of_3_to_11_gsm_chars_with_a_letter(store: Store, name):
    row = _add(store, name, "ALPHA", country="GB", destination_countries=["GB", "hr"])
    assert (row.resource_type, row.number_type, row.capabilities) == ("ALPHA", None, ["SMS"])
    assert row.destination_countries == ["GB", "HR"]


@pytest.mark.parametrize("name", ["Ab", "ABCDEFGHIJKL", "12345", "Info😀", "Infoç", ""])
def test_bad_alpha_senders_are_refused(store: Store, name):
    _refused(store, "resourceId", name, "ALPHA", country="GB")


def test_alpha_sender_rules(store: Store):
    _refused(store, "country", "InfoSMS", "ALPHA")
    _refused(store, "capabilities[0]", "InfoSMS", "ALPHA", country="GB", capabilities=["VOICE"])
    _refused(store, "numberType", "InfoSMS", "ALPHA", country="GB", number_type="SHORT_CODE")


def test_domains(store: Store):
    row = _add(store, "Mail.Example.COM", "DOMAIN")
    assert (row.resource_id, row.capabilities, row.country, row.destination_countries) == (
        "mail.example.com", ["EMAIL"], None, [])
    for bad in ("not a domain", "no_underscores.example.com", "localhost", "example.com\n"):
        with pytest.raises(InvalidInput) as caught:
            _add(store, bad, "DOMAIN")
        assert caught.value.field == "resourceId"
    with pytest.raises(InvalidInput) as caught:
        _add(store, "example.com", "DOMAIN", capabilities=["SMS"])
    assert caught.value.field == "capabilities[0]"
    with pytest.raises(DuplicateId):
        _add(store, "MAIL.example.com", "DOMAIN")


def test_resource_field_checks(store: Store):
    _refused(store, "resourceType", "+14155550100", "FAX")
    _refused(store, "capabilities[0]", "+14155550100", "NUMBER", capabilities=["EMAIL"])
    _refused(store, "capabilities", "+14155550100", "NUMBER", capabilities=["SMS", "SMS"])
    _refused(store, "destinationCountries[1]", "+14155550100", "NUMBER", destination_countries=["US", "ZZ"])
    _refused(store, "destinationCountries", "+14155550100", "NUMBER", destination_countries=["US", "us"])
    _refused(store, "applicationId", "+14155550100", "NUMBER", application_id="ghost", error=NotFound)
    _refused(store, "entityId", "+14155550100", "NUMBER", entity_id="ghost", error=NotFound)


def test_duplicate_and_missing_resources(store: Store):
    _add(store, "+14155550100", "NUMBER")
    with pytest.raises(DuplicateId) as caught:
        _add(store, "+14155550100", "NUMBER", capabilities=["MMS"])
    assert (caught.value.code, caught.value.field) == ("DUPLICATE_ID", "resourceId")
    with store.read() as session, pytest.raises(NotFound) as caught:
        get_resource(session, "+14155550199")
    assert caught.value.field == "resourceId"


def test_number_level_platform(store: Store):
    with store.write() as session:
        create_application(session, "shop")
        create_entity(session, "bigcola")
    row = _add(store, "+14155550100", "NUMBER", application_id="shop", entity_id="bigcola")
    assert (row.application_id, row.entity_id) == ("shop", "bigcola")
    with store.write() as session:
        edit_resource(session, "+14155550100", application_id=None, entity_id=None)
    with store.read() as session:
        row = get_resource(session, "+14155550100")
    assert (row.application_id, row.entity_id) == ("default", None)


def test_edit_resource(store: Store):
    _add(store, "12345", "NUMBER", country="US")
    with store.write() as session:
        edit_resource(session, "12345", country="CA")
    with store.read() as session:
        row = get_resource(session, "12345")
    assert (row.country, row.destination_countries) == ("CA", ["CA"])  # destinations follow the country
    with store.write() as session:
        edit_resource(session, "12345", capabilities=["SMS", "MMS"], destination_countries=["CA", "US"])
    with pytest.raises(InvalidInput) as caught, store.write() as session:
        edit_resource(session, "12345", resource_type="ALPHA")
    assert caught.value.field == "resource_type"
    with pytest.raises(InvalidInput) as caught, store.write() as session:
        edit_resource(session, "12345", capabilities=["EMAIL"])
    with store.read() as session:
        row = get_resource(session, "12345")
    assert (row.capabilities, row.destination_countries) == (["SMS", "MMS"], ["CA", "US"])
    with pytest.raises(NotFound), store.write() as session:
        edit_resource(session, "54321", country="US")


def test_a_capability_in_use_cannot_be_dropped(store: Store):
    _add(store, "+14155550100", "NUMBER", capabilities=["SMS", "MMS", "VOICE"])
    with store.write() as session:
        create_association(session, "NUMBER", "+14155550100", "MMS", "default")
        add_inbound_configuration(session, "+14155550100", "VOICE")
    for kept in (["SMS", "VOICE"], ["SMS", "MMS"]):
        with pytest.raises(Conflict) as caught, store.write() as session:
            edit_resource(session, "+14155550100", capabilities=kept)
        assert caught.value.field == "capabilities"
    with store.read() as session:
        assert get_resource(session, "+14155550100").capabilities == ["SMS", "MMS", "VOICE"]
    with store.write() as session:
        edit_resource(session, "+14155550100", capabilities=["MMS", "VOICE"])


def test_list_resources_filters_and_pages(store: Store):
    for number in ("+14155550102", "+14155550100", "+16135550100"):
        _add(store, number, "NUMBER")
    _add(store, "InfoSMS", "ALPHA", country="GB")
    with store.read() as session:
        page = list_resources(session, size=2)
        assert [r.resource_id for r in page.results] == ["+14155550100", "+14155550102"]
        assert page.paging == {"page": 0, "size": 2, "totalPages": 2, "totalResults": 4}
        assert [r.resource_id for r in list_resources(session, country="CA").results] == ["+16135550100"]
        assert [r.resource_id for r in list_resources(session, resource_type="ALPHA").results] == ["InfoSMS"]
        assert [r.resource_id for r in list_resources(session, query="infosms").results] == ["InfoSMS"]
        assert list_resources(session, page=3, size=2).results == []
