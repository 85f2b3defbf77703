"""The words of messages: articles and possessives; the traffic feed counts the sticky bindings
already there before its first step (issue 12 item 22; the status line: tests/tui/test_traffic_status_line.py)."""

from __future__ import annotations

import pytest

from store.db import Store
from store.routing import InboundRequest, OutboundRequest, Router
from store.traffic_feed import TrafficFeed
from store.words import possessive

from .routing_setup import ALPHA, make_store, steps


@pytest.fixture
def sqlite_store(sqlite_url):
    s = make_store(Store.open(sqlite_url, create=True), """
applications: [{applicationId: alerts, applicationName: Alerts}]
sendingStrategies:
  - {platform: {applicationId: alerts}, channel: SMS, destinationCountryCode: GB, priorities: []}
  - {platform: {applicationId: alerts}, channel: SMS, destinationCountryCode: HR, priorities: []}
""")
    yield s
    s.dispose()


def test_possessive():
    assert (possessive("shop"), possessive("alerts"), possessive("BUS")) == ("shop's", "alerts'", "BUS'")


def test_a_name_ending_in_s_takes_the_apostrophe_alone(sqlite_store):
    d = Router(sqlite_store).explain(OutboundRequest(to="+14155550123", application_id="alerts"))
    assert d.error_description == "none of alerts' 2 sending strategies covers SMS to US"


def test_an_alpha_sender_takes_an(sqlite_store):
    d = Router(sqlite_store).receive(InboundRequest(from_="+16505550199", to=ALPHA, text="hi"))
    assert d.error_description == f"{ALPHA} is an ALPHA sender, not a number"


def test_sticky_bindings_are_counted_before_the_first_step(sqlite_store):
    router = Router(sqlite_store)
    sticky = """
sendingStrategies:
  - {platform: {applicationId: shop, entityId: bigcola}, channel: SMS, destinationCountryCode: US, useStickySender: true}
"""
    make_store(sqlite_store, sticky)
    for n in range(3):
        router.send(OutboundRequest(to=f"+1415555012{n}", application_id="shop", entity_id="bigcola"))
    feed = TrafficFeed(sqlite_store)
    assert feed.stats.sticky_bindings == 3 and feed.stats.snapshot().sticky_bindings == 3


def test_resource_type_errors_take_the_right_article(sqlite_store):
    from store.associations import create_association
    from store.errors import InvalidInput
    from store.setup_file import apply_setup, load_setup

    with pytest.raises(InvalidInput) as wrong, sqlite_store.write() as session:
        create_association(session, "NUMBER", ALPHA, "SMS", "shop")
    assert str(wrong.value) == f"resourceType: {ALPHA} is an ALPHA, not a NUMBER"
    with sqlite_store.write() as session:
        apply_setup(session, load_setup("resources: [{resourceId: shop.com, resourceType: DOMAIN}]"))
    with pytest.raises(InvalidInput) as again, sqlite_store.write() as session:
        apply_setup(session, load_setup("resources: [{resourceId: shop.com, resourceType: ALPHA, country: GB}]"))
    assert str(again.value) == "resources[0].resourceType: shop.com is already a DOMAIN"
