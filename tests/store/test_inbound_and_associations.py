"""Inbound configurations (keywords, one catch-all) and resource associations (channel, uniqueness)."""

import pytest

from store.associations import create_association, delete_association, find_association, list_associations
from store.db import Store
from store.errors import Conflict, InvalidId, InvalidInput, NotFound, UnsupportedChannel
from store.inbound_config import (
    add_inbound_configuration,
    get_inbound_configuration,
    list_inbound_configurations,
    remove_inbound_configuration,
)
from store.platforms import create_application, create_entity
from store.resources import add_resource, get_resource

NUMBER = "+14155550100"


@pytest.fixture
def owned(store: Store) -> Store:
    """A store with a number (SMS, VOICE), an alpha sender, a domain, an application and an entity."""
    with store.write() as session:
        create_application(session, "shop")
        create_entity(session, "bigcola")
        add_resource(session, NUMBER, "NUMBER", capabilities=["SMS", "VOICE"])
        add_resource(session, "InfoSMS", "ALPHA", country="GB")
        add_resource(session, "mail.example.com", "DOMAIN")
    return store


def _inbound(store: Store, *args, **kwargs):
    with store.write() as session:
        return add_inbound_configuration(session, *args, **kwargs)


def _configs(store: Store) -> list[tuple]:
    with store.read() as session:
        return [(c.channel, c.keyword, c.application_id, c.entity_id) for c in list_inbound_configurations(session)]


def test_keywords_are_unique_per_number_and_channel_ignoring_case(owned: Store):
    _inbound(owned, NUMBER, "SMS", "Join", "shop", "bigcola")
    for clash in ("JOIN", "join", "jOiN"):
        with pytest.raises(Conflict) as caught:
            _inbound(owned, NUMBER, "SMS", clash, "shop")
        assert (caught.value.code, caught.value.field) == ("CONFLICT", "keyword")
    _inbound(owned, NUMBER, "VOICE", "JOIN", "shop")  # another channel is another list
    assert _configs(owned) == [("SMS", "Join", "shop", "bigcola"), ("VOICE", "JOIN", "shop", None)]


def test_at_most_one_catch_all_per_number_and_channel(owned: Store):
    _inbound(owned, NUMBER, "SMS", None, "shop")
    with pytest.raises(Conflict) as caught:
        _inbound(owned, NUMBER, "SMS", "", "default")  # an empty keyword is the catch-all too
    assert "catch-all" in caught.value.message
    _inbound(owned, NUMBER, "VOICE")
    assert _configs(owned) == [("SMS", None, "shop", None), ("VOICE", None, None, None)]


@pytest.mark.parametrize(
    ("args", "error", "field"),
    [
        ((NUMBER, "SMS", "k" * 51), InvalidInput, "keyword"),
        ((NUMBER, "SMS", "two words"), InvalidInput, "keyword"),
        ((NUMBER, "SMS", 42), InvalidInput, "keyword"),
        ((NUMBER, "MMS", "JOIN"), UnsupportedChannel, "channel"),
        ((NUMBER, "EMAIL", "JOIN"), InvalidInput, "channel"),
        (("+14155550199", "SMS", "JOIN"), NotFound, "resourceId"),
        (("InfoSMS", "SMS", "JOIN"), InvalidInput, "resourceId"),
        ((NUMBER, "SMS", "JOIN", "ghost"), NotFound, "applicationId"),
        ((NUMBER, "SMS", "JOIN", "bad id"), InvalidId, "applicationId"),
        ((NUMBER, "SMS", "JOIN", "shop", "ghost"), NotFound, "entityId"),
        ((NUMBER, "SMS", "JOIN", None, "bigcola"), InvalidInput, "applicationId"),
    ],
)
def test_bad_inbound_configurations_are_refused(owned: Store, args, error, field):
    with pytest.raises(error) as caught:
        _inbound(owned, *args)
    assert caught.value.field == field
    assert _configs(owned) == []


def test_keyword_of_50_characters_is_fine_and_configs_can_be_removed(owned: Store):
    row = _inbound(owned, NUMBER, "SMS", "k" * 50, "shop")
    with owned.write() as session:
        remove_inbound_configuration(session, row.id)
    assert _configs(owned) == []
    with owned.read() as session, pytest.raises(NotFound):
        get_inbound_configuration(session, row.id)


def _associate(store: Store, *args):
    with store.write() as session:
        return create_association(session, *args)


def test_association_channel_must_be_supported(owned: Store):
    for args in (
        ("NUMBER", NUMBER, "MMS", "shop"),
        ("NUMBER", NUMBER, "EMAIL", "shop"),
        ("ALPHA", "InfoSMS", "VOICE", "shop"),
        ("DOMAIN", "mail.example.com", "SMS", "shop"),
    ):
        with pytest.raises(UnsupportedChannel) as caught:
            _associate(owned, *args)
        assert (caught.value.code, caught.value.field) == ("UNSUPPORTED_CHANNEL", "channel")
    _associate(owned, "DOMAIN", "mail.example.com", "EMAIL", "shop")
    _associate(owned, "ALPHA", "InfoSMS", "SMS", "shop", "bigcola")


def test_association_is_unique_on_all_five_fields(owned: Store):
    _associate(owned, "NUMBER", NUMBER, "SMS", "shop", "bigcola")
    with pytest.raises(Conflict) as caught:
        _associate(owned, "NUMBER", NUMBER, "SMS", "shop", "bigcola")
    assert caught.value.code == "CONFLICT"
    # Any one field different is another association.
    _associate(owned, "NUMBER", NUMBER, "SMS", "shop")
    _associate(owned, "NUMBER", NUMBER, "VOICE", "shop", "bigcola")
    _associate(owned, "NUMBER", NUMBER, "SMS", "default", "bigcola")
    with pytest.raises(Conflict):
        _associate(owned, "NUMBER", NUMBER, "SMS", "shop")
    with owned.read() as session:
        page = list_associations(session, application_id="shop")
        # (Where a null entity sorts is the database's choice, so compare as a set.)
        assert {(a.channel, a.entity_id) for a in page.results} == {
            ("SMS", None), ("SMS", "bigcola"), ("VOICE", "bigcola")}
        assert page.paging["totalResults"] == 3
        assert find_association(session, "NUMBER", NUMBER, "SMS", "shop", None) is not None


@pytest.mark.parametrize(
    ("args", "error", "field"),
    [
        (("ALPHA", NUMBER, "SMS", "shop"), InvalidInput, "resourceType"),
        (("FAX", NUMBER, "SMS", "shop"), InvalidInput, "resourceType"),
        (("NUMBER", "+14155550199", "SMS", "shop"), NotFound, "resourceId"),
        (("NUMBER", NUMBER, "SMS", "ghost"), NotFound, "applicationId"),
        (("NUMBER", NUMBER, "SMS", "shop", "ghost"), NotFound, "entityId"),
        (("NUMBER", NUMBER, "SMS", None), InvalidId, "applicationId"),
    ],
)
def test_bad_associations_are_refused(owned: Store, args, error, field):
    with pytest.raises(error) as caught:
        _associate(owned, *args)
    assert caught.value.field == field
    with owned.read() as session:
        assert list_associations(session).results == []


def test_deleting_an_association_keeps_the_resource(owned: Store):
    row = _associate(owned, "NUMBER", NUMBER, "SMS", "shop")
    with owned.write() as session:
        delete_association(session, row.id)
    with owned.read() as session:
        assert list_associations(session).results == []
        assert get_resource(session, NUMBER).resource_id == NUMBER
    with pytest.raises(NotFound), owned.write() as session:
        delete_association(session, row.id)
