"""Outbound routing, one test per rule of DOMAIN.md "Outbound routing" (steps 2–11) and per code."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlmodel import select

from store.db import Store
from store.deletes import delete
from store.routing import OutboundRequest
from store.tables import Entity, MessageLog, SenderUsage, StickyBinding

from .routing_setup import (
    ALPHA, APP_LEVEL, LA, NY, NY_SHOP, SF, SHORT, TORONTO, log_count, make_store, router, steps,
)

US_415, US_650, US_310, US_917 = "+14155550123", "+16505550105", "+13105550106", "+19175550107"
EARLIER = datetime(2025, 2, 1, 8, 0, tzinfo=timezone.utc)
CA_647, GB, HR, FR = "+16475550108", "+447400123456", "+385911234567", "+33612345678"


def out(to, application="shop", entity="bigcola", channel="SMS", sender=None):
    return OutboundRequest(to=to, channel=channel, application_id=application, entity_id=entity, sender=sender)


def strategy(platform: str, sid: str, **fields) -> str:
    """A sendingStrategies item (YAML) with a fixed id."""
    app, _, entity = platform.partition("/")
    body = ", ".join(f"{k}: {v}" for k, v in fields.items())
    ent = f", entityId: {entity}" if entity else ""
    return f"  - {{sendingStrategyId: {sid:0<32}, platform: {{applicationId: {app}{ent}}}{', ' if body else ''}{body}}}\n"


def with_strategies(store, *items: str, extra: str = ""):
    return make_store(store, "sendingStrategies:\n" + "".join(items) + extra)


# -- 2. destination ------------------------------------------------------------------------------
def test_invalid_destination_is_rejected(store: Store):
    d = router(make_store(store)).send(out("+1415555"))
    assert (d.status, d.error_code, d.sender) == ("REJECTED", "INVALID_DESTINATION", None)


def test_a_number_that_is_not_e164_is_invalid(store: Store):
    d = router(make_store(store)).send(out("14155550123"))
    assert d.error_code == "INVALID_DESTINATION"


def test_country_is_the_numbers_region(store: Store):
    d = router(make_store(store)).send(out(HR))
    assert (d.country, d.sender, d.reason) == ("HR", ALPHA, "POOL")


# -- 3. platform ---------------------------------------------------------------------------------
def test_unknown_application_is_rejected(store: Store):
    d = router(make_store(store)).send(out(US_415, application="nope"))
    assert (d.error_code, d.application_id) == ("APPLICATION_NOT_FOUND", "nope")


def test_missing_application_means_default(store: Store):
    d = router(make_store(store)).send(out(US_415, application=None, entity=None))
    assert (d.application_id, d.error_code) == ("default", "NO_SENDING_STRATEGY")


def test_unknown_entity_is_created_and_the_trace_says_so(store: Store):
    make_store(store)
    revision = store.revision()
    r = router(store)
    d = r.send(out(US_415, entity="newco"))
    assert d.entity_id == "newco"
    assert steps(d)["platform"] == "shop, entity newco was unknown: created"
    with store.read() as session:
        assert session.get(Entity, "newco").entity_name == "newco"
    assert store.revision() == revision + 1
    assert r.index.revision == store.revision()  # patched, not stale
    assert "created" not in steps(r.send(out(US_415, entity="newco")))["platform"]


# -- 4. explicit sender --------------------------------------------------------------------------
def test_explicit_sender_overrides_every_strategy(store: Store):
    # support has no strategy at all, and TORONTO is associated with nothing.
    d = router(make_store(store)).send(out(US_415, application="support", entity=None, sender=TORONTO))
    assert (d.status, d.sender, d.reason, d.sending_strategy_id) == ("ROUTED", TORONTO, "EXPLICIT_SENDER", None)


def test_explicit_sender_must_be_owned(store: Store):
    d = router(make_store(store)).send(out(US_415, sender="+14155559999"))
    assert d.error_code == "SENDER_NOT_FOUND"


def test_explicit_sender_must_support_the_channel(store: Store):
    d = router(make_store(store)).send(out(US_415, channel="MMS", sender=LA))
    assert d.error_code == "CHANNEL_NOT_SUPPORTED"


def test_explicit_sender_must_reach_the_country(store: Store):
    d = router(make_store(store)).send(out(GB, sender=SF))
    assert d.error_code == "COUNTRY_NOT_SUPPORTED"


# -- 5. strategy ---------------------------------------------------------------------------------
def test_no_strategy_for_the_application(store: Store):
    d = router(make_store(store)).send(out(US_415, application="support", entity=None))
    assert (d.status, d.error_code) == ("REJECTED", "NO_SENDING_STRATEGY")


def test_strategies_exist_but_none_covers_the_country(store: Store):
    make_store(store, "sendingStrategies:\n" + strategy("support", "SUPUS", destinationCountryCode="US"))
    d = router(store).send(out(GB, application="support", entity=None))
    assert d.error_code == "COUNTRY_NOT_ALLOWED"
    assert router(store).send(out(US_415, application="support", entity=None)).error_code == "NO_ELIGIBLE_SENDER"


def test_entity_level_beats_a_more_specific_application_level(store: Store):
    with_strategies(
        store,
        strategy("shop/bigcola", "ENT", useGeolocatedSender="false"),
        strategy("shop", "APPUSSMS", destinationCountryCode="US", channel="SMS"),
    )
    d = router(store).send(out(US_415))
    assert d.sending_strategy_id == "ENT".ljust(32, "0")
    assert "chosen over 2 less specific" in steps(d)["strategy"]


def test_country_specific_beats_channel_specific(store: Store):
    with_strategies(
        store,
        strategy("shop/bigcola", "ENTSMS", channel="SMS"),
        strategy("shop/bigcola", "ENTUS", destinationCountryCode="US"),
    )
    assert router(store).send(out(US_415)).sending_strategy_id == "ENTUS".ljust(32, "0")


def test_channel_specific_beats_all_channels(store: Store):
    with_strategies(store, strategy("shop/bigcola", "ENTSMS", channel="SMS"), strategy("shop/bigcola", "ENTALL"))
    r = router(store)
    assert r.send(out(US_415)).sending_strategy_id == "ENTSMS".ljust(32, "0")
    assert r.send(out(US_415, channel="MMS")).sending_strategy_id == "ENTALL".ljust(32, "0")


def test_application_level_strategy_serves_a_message_without_entity(store: Store):
    d = router(make_store(store)).send(out(US_415, entity=None))
    assert (d.sending_strategy_id, d.sender, d.reason) == (APP_LEVEL, NY_SHOP, "POOL")


# -- 6. pool -------------------------------------------------------------------------------------
def test_pool_is_exactly_the_pair_and_reaches_the_country(store: Store):
    d = router(make_store(store)).send(out(GB))
    assert (d.sender, d.reason) == (ALPHA, "POOL")
    assert steps(d)["pool"] == "4 associated with shop/bigcola for SMS, 1 reach GB"


def test_pool_without_entity_is_the_application_level_associations(store: Store):
    # NY_SHOP is associated with (shop, no entity) only: bigcola never gets it, and vice versa.
    r = router(make_store(store))
    assert {r.send(out(US_415)).sender for _ in range(6)} == {SF, LA, NY, SHORT} - {SHORT}
    assert {r.send(out(US_415, entity=None)).sender for _ in range(3)} == {NY_SHOP}


def test_pool_only_holds_senders_that_support_the_channel(store: Store):
    d = router(make_store(store)).send(out(US_415, channel="MMS"))
    assert (d.sender, d.reason) == (SF, "POOL")


# -- 7. priority ---------------------------------------------------------------------------------
def test_best_ranked_sender_type_present_wins(store: Store):
    make_store(store, f"""
associations:
  - {{resourceType: NUMBER, resourceId: "{SHORT}", channel: SMS, applicationId: shop, entityId: bigcola}}
sendingStrategies:
  - {{platform: {{applicationId: shop, entityId: bigcola}}, priorities: [{{senderType: SHORT_CODE, priority: 1}}, {{senderType: VIRTUAL_LONG_NUMBER, priority: 2}}]}}
""")
    d = router(store).send(out(US_415))
    assert d.sender == SHORT and d.sender_type == "SHORT_CODE"
    assert steps(d)["priority"] == "SHORT_CODE first (priority 1): 1 of 4 kept"


def test_unlisted_types_come_after_listed_ones(store: Store):
    make_store(store, """
sendingStrategies:
  - {platform: {applicationId: shop, entityId: bigcola}, priorities: [{senderType: TOLL_FREE_NUMBER, priority: 1}, {senderType: ALPHANUMERIC, priority: 2}]}
""")
    r = router(store)
    assert r.send(out(GB)).sender == ALPHA  # the listed ALPHANUMERIC is present for GB
    d = r.send(out(US_415))  # no listed type reaches the US: the unlisted 10DLC numbers are kept
    assert d.sender in (SF, LA, NY)
    assert steps(d)["priority"] == "no listed sender type in the pool: 3 unlisted kept"


# -- 8. sticky -----------------------------------------------------------------------------------
STICKY = strategy("shop/bigcola", "STICKY", useStickySender="true")


def test_sticky_binding_is_used_and_persisted(store: Store):
    with_strategies(store, STICKY)
    r = router(store)
    first = r.send(out(US_650))
    assert (first.reason, first.sender) == ("POOL", NY)  # never used, lowest id
    assert steps(first)["sticky"] == f"no binding for {US_650} yet: the chosen sender is bound"
    for _ in range(3):
        again = r.send(out(US_650))
        assert (again.sender, again.reason) == (NY, "STICKY")
        assert steps(again)["sticky"] == f"bound to {NY} since 2025-03-01T12:00:00+00:00"
    with store.read() as session:
        row = session.get(StickyBinding, ("shop", "bigcola", "SMS", US_650))
    assert row.sender == NY
    # A fresh router (another process) reads the binding from the store.
    assert router(store).send(out(US_650)).reason == "STICKY"


def test_sticky_binding_is_per_application_entity_channel_and_destination(store: Store):
    with_strategies(store, STICKY)
    r = router(store)
    assert r.send(out(US_650)).sender == NY
    assert r.send(out(US_310)).sender == LA  # NY was just used: the least recently used is next
    assert r.send(out(US_650, channel="MMS")).reason == "POOL"


def test_binding_whose_sender_left_the_set_is_replaced(store: Store):
    with_strategies(store, STICKY)
    r = router(store)
    assert r.send(out(US_650)).sender == NY
    with store.write() as session:
        delete(session, "resource", NY)  # its associations and bindings go with it
    d = r.send(out(US_650))
    assert (d.reason, d.sender) == ("POOL", LA)


def test_binding_to_an_ineligible_sender_is_replaced_with_a_note(store: Store):
    with_strategies(store, STICKY)
    with store.write() as session:
        session.add(StickyBinding(application_id="shop", entity_key="bigcola", channel="SMS",
                                  destination=US_650, sender=NY_SHOP, bound_at=EARLIER))
    d = router(store).send(out(US_650))
    assert d.reason == "POOL" and d.sender == NY
    assert steps(d)["sticky"] == f"bound {NY_SHOP} is no longer eligible: the binding is replaced"
    with store.read() as session:
        assert session.get(StickyBinding, ("shop", "bigcola", "SMS", US_650)).sender == NY


# -- 9. geolocated -------------------------------------------------------------------------------
GEO = strategy("shop/bigcola", "GEO", useGeolocatedSender="true")


def test_geolocated_same_area_code(store: Store):
    with_strategies(store, GEO)
    d = router(store).send(out("+14155550199"))
    assert (d.sender, d.reason) == (SF, "GEOLOCATED")
    assert steps(d)["geolocated"] == "1 with area code 415"


def test_geolocated_same_state(store: Store):
    with_strategies(store, GEO)
    r = router(store)
    d = r.send(out(US_310))  # Los Angeles, no 310 sender: 415 and 213 are both in California
    assert (d.sender, d.reason) == (LA, "GEOLOCATED_REGION")
    assert steps(d)["geolocated"] == "no 310 sender, 2 in California"
    assert r.send(out(US_310)).sender == SF  # spread within the region


def test_geolocated_without_local_sender_uses_the_whole_set(store: Store):
    with_strategies(store, GEO)
    d = router(store).send(out("+13055550123"))  # Miami, Florida
    assert (d.sender, d.reason) == (NY, "POOL")
    assert steps(d)["geolocated"] == "no local sender (no 305 sender, none in Florida): whole set of 3"


def test_geolocated_does_not_apply_outside_north_america(store: Store):
    with_strategies(store, GEO)
    d = router(store).send(out(GB))
    assert (d.sender, d.reason) == (ALPHA, "POOL")
    assert steps(d)["geolocated"] == "not applicable to GB (North America only)"


def test_sticky_and_geolocated_combine(store: Store):
    with_strategies(store, strategy("shop/bigcola", "BOTH", useStickySender="true", useGeolocatedSender="true"))
    r = router(store)
    first = r.send(out(US_917))  # no 917 sender; the 212 number is in New York too
    assert (first.sender, first.reason) == (NY, "GEOLOCATED_REGION")
    assert (r.send(out(US_917)).sender, r.send(out(US_917)).reason) == (NY, "STICKY")


# -- 10. spread ----------------------------------------------------------------------------------
def test_least_recently_used_with_lowest_id_first(store: Store):
    r = router(make_store(store))
    senders = [r.send(out(US_415)).sender for _ in range(7)]
    assert senders == [NY, LA, SF, NY, LA, SF, NY]  # sorted ids: +1212… < +1213… < +1415…
    with store.read() as session:
        usage = {u.resource_id: u.last_used for u in session.exec(select(SenderUsage)).all()}
    assert usage[NY] > usage[SF] > usage[LA]


def test_any_message_counts_as_use(store: Store):
    r = router(make_store(store))
    r.send(out(US_415, sender=NY))  # explicit
    assert r.send(out(US_415)).sender == LA


# -- 11. fallback --------------------------------------------------------------------------------
def test_default_sender_when_the_pool_is_empty(store: Store):
    with_strategies(store, strategy("shop/bigcola", "DEF", defaultSender=f'"{TORONTO}"'))
    d = router(store).send(out(CA_647))
    assert (d.sender, d.reason, d.sender_type) == (TORONTO, "DEFAULT_SENDER", "TEN_DIGIT_LONG_CODE")


def test_no_eligible_sender_without_default(store: Store):
    d = router(make_store(store)).send(out(CA_647))
    assert (d.status, d.error_code, d.sending_strategy_id) == ("REJECTED", "NO_ELIGIBLE_SENDER", APP_LEVEL)


def test_default_sender_that_does_not_reach_the_country_is_no_fallback(store: Store):
    with_strategies(store, strategy("shop/bigcola", "DEF", defaultSender=f'"{SF}"'))
    d = router(store).send(out(CA_647))
    assert d.error_code == "NO_ELIGIBLE_SENDER"
    assert steps(d)["fallback"] == f"default sender {SF} does not reach CA"


# -- the log -------------------------------------------------------------------------------------
def test_every_decision_is_logged_with_its_platform(store: Store):
    r = router(make_store(store))
    decisions = [r.send(out(US_415)), r.send(out("+1")), r.send(out(US_415, application="nope"))]
    with store.read() as session:
        rows = session.exec(select(MessageLog).order_by(MessageLog.id)).all()
    assert [row.message_id for row in rows] == [d.message_id for d in decisions]
    routed, invalid, missing = rows
    assert (routed.application_id, routed.entity_id, routed.sender, routed.reason) == ("shop", "bigcola", NY, "POOL")
    assert routed.sending_strategy_id == APP_LEVEL and routed.status == "ROUTED"
    assert routed.trace == [t.as_json() for t in decisions[0].trace]
    assert (invalid.error_code, invalid.application_id, invalid.entity_id) == ("INVALID_DESTINATION", "shop", "bigcola")
    assert (missing.error_code, missing.sender) == ("APPLICATION_NOT_FOUND", None)


def test_send_many_logs_every_message_in_one_go(store: Store):
    r = router(make_store(store))
    decisions = r.send_many([out(US_415)] * 10 + [out(GB)] * 5)
    assert log_count(store) == 15
    assert [d.sender for d in decisions[:3]] == [NY, LA, SF]


def test_explain_writes_nothing_and_creates_nothing(store: Store):
    with_strategies(store, STICKY)
    revision = store.revision()
    r = router(store)
    d = r.explain(out(US_415, entity="newco"))
    assert steps(d)["platform"] == "shop, entity newco does not exist: sending would create it"
    d = r.explain(out(US_650))
    assert (d.status, d.sender) == ("ROUTED", NY)
    assert r.explain(out(US_650)).reason == "POOL"  # nothing was bound
    assert log_count(store) == 0 and store.revision() == revision
    with store.read() as session:
        assert session.get(Entity, "newco") is None
        assert session.exec(select(StickyBinding)).all() == []
        assert session.exec(select(SenderUsage)).all() == []


@pytest.mark.parametrize("to", [US_415, GB, HR])
def test_trace_reads_in_order(store: Store, to):
    d = router(make_store(store)).send(out(to))
    names = [s.step for s in d.trace]
    assert names == ["key", "destination", "platform", "strategy", "pool", "priority", "spread", "result"]
