"""Sending strategies: one per (application, entity, channel, country), priorities 1–4, default sender."""

import pytest

from store.db import Store
from store.errors import Conflict, DuplicateId, InvalidId, InvalidInput, NotFound
from store.platforms import create_application, create_entity
from store.resources import add_resource
from store.strategies import (
    STRATEGY_ID,
    create_strategy,
    find_strategy,
    get_strategy,
    list_strategies,
    update_strategy,
)


@pytest.fixture
def shop(store: Store) -> Store:
    with store.write() as session:
        create_application(session, "shop")
        create_entity(session, "bigcola")
        add_resource(session, "+14155550100", "NUMBER")
    return store


def _create(store: Store, *args, **kwargs):
    with store.write() as session:
        return create_strategy(session, *args, **kwargs)


def test_create_generates_a_32_character_uppercase_id(shop: Store):
    row = _create(shop, "shop", "bigcola", "SMS", "us", use_sticky_sender=True,
                  priorities=[{"senderType": "TOLL_FREE_NUMBER", "priority": 2},
                              {"senderType": "SHORT_CODE", "priority": 1}],
                  default_sender="+14155550100")
    assert STRATEGY_ID.fullmatch(row.sending_strategy_id)
    with shop.read() as session:
        got = get_strategy(session, row.sending_strategy_id)
    assert (got.application_id, got.entity_id, got.channel, got.destination_country_code) == (
        "shop", "bigcola", "SMS", "US")
    assert (got.use_sticky_sender, got.use_geolocated_sender, got.default_sender) == (True, False, "+14155550100")
    assert got.priorities == [{"senderType": "SHORT_CODE", "priority": 1},
                              {"senderType": "TOLL_FREE_NUMBER", "priority": 2}]


def test_one_strategy_per_application_entity_channel_and_country(shop: Store):
    _create(shop, "shop")
    _create(shop, "shop", "bigcola")
    _create(shop, "shop", None, "SMS")
    _create(shop, "shop", None, None, "US")
    _create(shop, "shop", None, "SMS", "US")
    _create(shop, "default")
    for args in (("shop",), ("shop", "bigcola"), ("shop", None, "SMS"), ("shop", None, None, "us"),
                 ("shop", None, "SMS", "US")):
        with pytest.raises(Conflict) as caught:
            _create(shop, *args, use_geolocated_sender=True)
        assert (caught.value.code, caught.value.field) == ("CONFLICT", "platform")
    with shop.read() as session:
        assert list_strategies(session).paging["totalResults"] == 6
        assert find_strategy(session, "shop", None, None, "US") is not None
        assert find_strategy(session, "shop", "bigcola", "SMS", None) is None


@pytest.mark.parametrize("priority", [0, 5, -1, 1.5, "1", True, None])
def test_priorities_are_whole_numbers_from_1_to_4(shop: Store, priority):
    with pytest.raises(InvalidInput) as caught:
        _create(shop, "shop", priorities=[{"senderType": "SHORT_CODE", "priority": priority}])
    assert caught.value.field == "priorities[0].priority"


def test_priority_lists_are_checked(shop: Store):
    for priorities, field in (
        ([{"senderType": "FAX", "priority": 1}], "priorities[0].senderType"),
        ([{"senderType": "TEN_DIGIT_LONG_CODE", "priority": 1}], "priorities[0].senderType"),
        ([{"senderType": "SHORT_CODE", "priority": 1}, {"senderType": "SHORT_CODE", "priority": 2}],
         "priorities[1].senderType"),
        (["SHORT_CODE"], "priorities[0]"),
        ("SHORT_CODE", "priorities"),
    ):
        with pytest.raises(InvalidInput) as caught:
            _create(shop, "shop", priorities=priorities)
        assert caught.value.field == field
    row = _create(shop, "shop", priorities=[{"senderType": s, "priority": p} for s, p in (
        ("ALPHANUMERIC", 4), ("SHORT_CODE", 3), ("TOLL_FREE_NUMBER", 2), ("VIRTUAL_LONG_NUMBER", 1))])
    assert [p["priority"] for p in row.priorities] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        (dict(application_id="ghost"), NotFound, "platform.applicationId"),
        (dict(application_id="bad id"), InvalidId, "platform.applicationId"),
        (dict(application_id="shop", entity_id="ghost"), NotFound, "platform.entityId"),
        (dict(application_id="shop", channel="VOICE"), InvalidInput, "channel"),
        (dict(application_id="shop", channel="EMAIL"), InvalidInput, "channel"),
        (dict(application_id="shop", destination_country_code="XX"), InvalidInput, "destinationCountryCode"),
        (dict(application_id="shop", default_sender="+14155550199"), NotFound, "defaultSender"),
        (dict(application_id="shop", use_sticky_sender="yes"), InvalidInput, "useStickySender"),
        (dict(application_id="shop", use_geolocated_sender=1), InvalidInput, "useGeolocatedSender"),
        (dict(application_id="shop", sending_strategy_id="short"), InvalidInput, "sendingStrategyId"),
        (dict(application_id="shop", sending_strategy_id="a" * 32), InvalidInput, "sendingStrategyId"),
    ],
)
def test_bad_strategies_are_refused(shop: Store, kwargs, error, field):
    with pytest.raises(error) as caught:
        _create(shop, **kwargs)
    assert caught.value.field == field
    with shop.read() as session:
        assert list_strategies(session).results == []


def test_given_ids_are_kept_and_unique(shop: Store):
    ident = "A" * 32
    assert _create(shop, "shop", sending_strategy_id=ident).sending_strategy_id == ident
    with pytest.raises(DuplicateId) as caught:
        _create(shop, "default", sending_strategy_id=ident)
    assert caught.value.field == "sendingStrategyId"


def test_update_keeps_the_key_unique(shop: Store):
    first = _create(shop, "shop", channel="SMS")
    second = _create(shop, "shop", channel="MMS")
    with pytest.raises(Conflict), shop.write() as session:
        update_strategy(session, second.sending_strategy_id, channel="SMS")
    with shop.write() as session:
        update_strategy(session, first.sending_strategy_id, channel=None, use_geolocated_sender=True,
                        default_sender="+14155550100")
        update_strategy(session, first.sending_strategy_id, channel=None)  # its own key is no clash
    with shop.read() as session:
        row = get_strategy(session, first.sending_strategy_id)
        assert (row.channel, row.use_geolocated_sender, row.default_sender) == (None, True, "+14155550100")
        assert get_strategy(session, second.sending_strategy_id).channel == "MMS"
    with pytest.raises(InvalidInput) as caught, shop.write() as session:
        update_strategy(session, first.sending_strategy_id, name="renamed")
    assert caught.value.field == "name"
    with pytest.raises(NotFound), shop.write() as session:
        update_strategy(session, "C" * 32, channel="SMS")


def test_list_strategies_by_platform(shop: Store):
    _create(shop, "shop")
    _create(shop, "shop", "bigcola")
    _create(shop, "default")
    with shop.read() as session:
        assert list_strategies(session, application_id="shop").paging["totalResults"] == 2
        assert [s.entity_id for s in list_strategies(session, entity_id="bigcola").results] == ["bigcola"]
        assert list_strategies(session, size=1, page=5).results == []
