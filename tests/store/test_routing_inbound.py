"""Inbound routing (DOMAIN.md "Inbound routing"): keyword > catch-all > number level; VOICE by association."""

from __future__ import annotations

from sqlmodel import select

from store.db import Store
from store.routing import InboundRequest
from store.tables import MessageLog

from .routing_setup import ALPHA, NY, NY_SHOP, SF, TORONTO, make_store, router, steps

INBOUND = f"""
inboundConfigurations:
  - {{resourceId: "{SF}", channel: SMS, keyword: JOIN, applicationId: shop, entityId: bigcola}}
  - {{resourceId: "{SF}", channel: SMS, keyword: HELP, applicationId: support}}
  - {{resourceId: "{SF}", channel: SMS, keyword: null, applicationId: support, entityId: pawpal}}
  - {{resourceId: "{SF}", channel: MMS, keyword: PIC, applicationId: default}}
  - {{resourceId: "{NY_SHOP}", channel: SMS, keyword: null, applicationId: default}}
associations:
  - {{resourceType: NUMBER, resourceId: "{NY}", channel: VOICE, applicationId: support, entityId: pawpal}}
"""
CUSTOMER = "+16505550199"


def receive(store, to, text="", channel="SMS"):
    return router(store).receive(InboundRequest(from_=CUSTOMER, to=to, channel=channel, text=text))


def test_keyword_matches_the_first_word_case_insensitively(store: Store):
    d = receive(make_store(store, INBOUND), SF, "join   the club")
    assert (d.status, d.reason, d.application_id, d.entity_id) == ("ROUTED", "KEYWORD", "shop", "bigcola")
    assert (d.keyword, d.clean_text) == ("JOIN", "the club")
    assert steps(d)["keyword"] == "first word 'join' matches keyword JOIN"


def test_keyword_only_as_the_first_word(store: Store):
    d = receive(make_store(store, INBOUND), SF, "please JOIN")
    assert (d.reason, d.application_id, d.entity_id, d.keyword) == ("INBOUND_CONFIGURATION", "support", "pawpal", None)
    assert d.clean_text == "please JOIN"


def test_catch_all_configuration_beats_the_number_level(store: Store):
    d = receive(make_store(store, INBOUND), SF, "hello there")
    assert (d.reason, d.application_id, d.entity_id) == ("INBOUND_CONFIGURATION", "support", "pawpal")


def test_number_level_when_no_configuration_matches(store: Store):
    d = receive(make_store(store, INBOUND), NY, "hello")
    assert (d.reason, d.application_id, d.entity_id) == ("NUMBER", "shop", "bigcola")


def test_configuration_without_a_platform_of_its_own_takes_the_numbers(store: Store):
    make_store(store, INBOUND)
    d = receive(store, SF, "pic of the day", channel="MMS")  # keyword configured with app default, no entity
    assert (d.reason, d.application_id, d.entity_id, d.keyword) == ("KEYWORD", "shop", "bigcola", "PIC")
    d = receive(store, NY_SHOP, "anything")  # catch-all with app default: the number's own (shop, no entity)
    assert (d.reason, d.application_id, d.entity_id) == ("INBOUND_CONFIGURATION", "shop", None)


def test_unknown_number(store: Store):
    d = receive(make_store(store), "+14155559999", "hi")
    assert (d.status, d.error_code, d.application_id) == ("REJECTED", "UNKNOWN_NUMBER", None)


def test_an_alphanumeric_sender_is_not_a_number(store: Store):
    assert receive(make_store(store), ALPHA, "hi").error_code == "UNKNOWN_NUMBER"


def test_channel_the_number_does_not_support(store: Store):
    assert receive(make_store(store), TORONTO, "", channel="MMS").error_code == "CHANNEL_NOT_SUPPORTED"


def test_voice_lands_only_through_a_voice_association(store: Store):
    d = receive(make_store(store, INBOUND), NY, channel="VOICE")
    assert (d.reason, d.application_id, d.entity_id) == ("VOICE_ASSOCIATION", "support", "pawpal")


def test_voice_without_association_is_not_associated(store: Store):
    make_store(store, f"""
resources:
  - {{resourceId: "+13105550106", resourceType: NUMBER, capabilities: [SMS, VOICE], applicationId: shop}}
""")
    d = receive(store, "+13105550106", channel="VOICE")
    assert (d.status, d.error_code) == ("REJECTED", "NOT_ASSOCIATED")


def test_inbound_decisions_are_logged(store: Store):
    make_store(store, INBOUND)
    r = router(store)
    decisions = r.receive_many([
        InboundRequest(from_=CUSTOMER, to=SF, text="JOIN now"),
        InboundRequest(from_=CUSTOMER, to="+1999", text="?"),
    ])
    with store.read() as session:
        rows = session.exec(select(MessageLog).order_by(MessageLog.id)).all()
    assert [(r.direction, r.status, r.reason, r.error_code) for r in rows] == [
        ("INBOUND", "ROUTED", "KEYWORD", None), ("INBOUND", "REJECTED", None, "UNKNOWN_NUMBER"),
    ]
    assert (rows[0].source, rows[0].destination, rows[0].keyword) == (CUSTOMER, SF, "JOIN")
    assert (rows[0].application_id, rows[0].entity_id) == ("shop", "bigcola")
    assert decisions[0].as_json()["cleanText"] == "now"
