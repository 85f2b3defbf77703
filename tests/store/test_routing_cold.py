"""The cold path (one message, reading only what its decision needs) decides exactly as the warm
path (the whole index in memory): a property over random small setups and random traffic, message
by message, sticky bindings and the least-recently-used order carried across the sequence."""

from __future__ import annotations

import shutil
import itertools
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.db import Store
from store.routing import InboundRequest, OutboundRequest, Router
from store.secret_hash import hash_chosen, hash_generated
from store.setup_file import apply_setup

from .routing_setup import START, stepping_clock

APPS = ["shop", "alerts"]
ENTITIES = ["e1", "e2"]
# (resourceId, extra fields): numbers in three US areas and Toronto, a short code, a toll-free
# number and an alphanumeric sender for GB and HR.
CATALOGUE = [
    ("+14155550100", {"resourceType": "NUMBER", "capabilities": ["SMS", "MMS"]}),
    ("+14155550111", {"resourceType": "NUMBER", "capabilities": ["SMS"]}),
    ("+12125550102", {"resourceType": "NUMBER", "capabilities": ["SMS", "VOICE"]}),
    ("+13105550103", {"resourceType": "NUMBER", "capabilities": ["SMS", "MMS"]}),
    ("+14165550104", {"resourceType": "NUMBER", "capabilities": ["SMS"], "destinationCountries": ["CA", "US"]}),
    ("55555", {"resourceType": "NUMBER", "numberType": "SHORT_CODE", "country": "US", "capabilities": ["SMS"]}),
    ("+18885550105", {"resourceType": "NUMBER", "numberType": "TOLL_FREE_NUMBER", "capabilities": ["SMS", "MMS"]}),
    ("InfoSMS", {"resourceType": "ALPHA", "country": "GB", "destinationCountries": ["GB", "HR"]}),
]
IDS = [rid for rid, _ in CATALOGUE]
NUMBERS = [rid for rid, fields in CATALOGUE if fields["resourceType"] == "NUMBER" and rid.startswith("+")]
CHANNELS = {rid: fields.get("capabilities", ["SMS"]) for rid, fields in CATALOGUE}
TYPES = ["ALPHANUMERIC", "SHORT_CODE", "TOLL_FREE_NUMBER", "VIRTUAL_LONG_NUMBER"]
RECIPIENTS = ["+14155551234", "+14155559876", "+12125551234", "+13105551234", "+14165551234", "+16135551234",
              "+14155551234", "+12125551234", "+447400123456", "+385911234567", "+4915112345678", "+1555", "12345"]
SCRYPT_SECRET = "chosen-secret"
SCRYPT_HASH = hash_chosen(SCRYPT_SECRET)  # once: scrypt costs ~10 ms
KEYS = [  # (secret, setup item without secret)
    ("k-full", {"name": "full"}),
    ("k-fill", {"name": "fill", "platform": [{"applicationId": "shop", "action": "FILL"}]}),
    ("k-fill-e1", {"name": "fille1", "platform": [{"applicationId": "shop", "entityId": "e1", "action": "FILL"}]}),
    ("k-force", {"name": "force", "platform": [{"applicationId": "alerts", "entityId": "e2", "action": "FORCE"}]}),
    ("k-two", {"name": "two", "platform": [{"applicationId": "shop", "entityId": "e2"},
                                          {"applicationId": "alerts", "action": "FILL"}]}),
    ("k-off", {"name": "off", "enabled": False}),
    ("k-old", {"name": "old", "validTo": (START - timedelta(days=1)).isoformat()}),
    ("k-later", {"name": "later", "validFrom": (START + timedelta(seconds=20)).isoformat()}),
]


def _key_items() -> list[dict]:
    items = [{**item, "secretHash": hash_generated(secret)} for secret, item in KEYS]
    return items + [{"name": "chosen", "secretHash": SCRYPT_HASH, "platform": [{"applicationId": "alerts"}]}]


platforms = st.tuples(st.sampled_from(APPS), st.sampled_from([None, *ENTITIES]))


@st.composite
def setups(draw) -> dict:
    resources = []
    for rid, fields in CATALOGUE:
        app, entity = draw(st.sampled_from([("default", None), ("shop", None), ("shop", "e1"), ("alerts", "e2")]))
        item = {"resourceId": rid, **fields, "applicationId": app}
        if entity:
            item["entityId"] = entity
        resources.append(item)
    associations = []
    pairs = [(rid, channel) for rid in IDS for channel in CHANNELS[rid]]
    for (rid, channel), (app, entity) in draw(st.sets(st.tuples(st.sampled_from(pairs), platforms),
                                                      min_size=4, max_size=16)):
        associations.append({"resourceType": dict(CATALOGUE)[rid]["resourceType"], "resourceId": rid,
                                 "channel": channel, "applicationId": app, "entityId": entity})
    strategies = []
    scopes = draw(st.sets(st.tuples(platforms, st.sampled_from([None, None, "SMS", "MMS"]),
                                    st.sampled_from([None, None, "US", "CA", "GB"])), max_size=5))
    for app in APPS:  # most setups have an application-level strategy for every channel and country
        if draw(st.sampled_from([True, True, True, False])):
            scopes.add(((app, None), None, None))
    for n, ((app, entity), channel, country) in enumerate(sorted(scopes, key=repr)):
        ranks = draw(st.dictionaries(st.sampled_from(TYPES), st.integers(1, 4), max_size=3))
        item = {"sendingStrategyId": f"S{n:031d}", "platform": {"applicationId": app, "entityId": entity},
                "useStickySender": draw(st.sampled_from([True, True, False])), "useGeolocatedSender": draw(st.booleans()),
                "priorities": [{"senderType": t, "priority": p} for t, p in ranks.items()],
                "defaultSender": draw(st.sampled_from([None, *IDS]))}
        if channel:
            item["channel"] = channel
        if country:
            item["destinationCountryCode"] = country
        strategies.append(item)
    configurations = []
    for rid, channel, keyword, target in draw(st.sets(st.tuples(
            st.sampled_from(NUMBERS), st.sampled_from(["SMS", "MMS"]), st.sampled_from([None, "JOIN", "STOP"]),
            st.sampled_from([None, ("shop", None), ("alerts", "e2"), ("default", None)])), max_size=6)):
        if channel not in CHANNELS[rid] or any((c["resourceId"], c["channel"], c["keyword"]) == (rid, channel, keyword)
                                               for c in configurations):
            continue
        item = {"resourceId": rid, "channel": channel, "keyword": keyword}
        if target:
            item["applicationId"], item["entityId"] = target
        configurations.append(item)
    return {
        "applications": [{"applicationId": a, "applicationName": a.title()} for a in APPS],
        "entities": [{"entityId": e, "entityName": e.upper()} for e in ENTITIES],
        "resources": resources, "associations": associations, "sendingStrategies": strategies,
        "inboundConfigurations": configurations, "apiKeys": _key_items(),
    }


outbound = st.builds(
    lambda to, channel, platform, sender, key: OutboundRequest(
        to=to, channel=channel, application_id=platform[0], entity_id=platform[1], sender=sender, api_key=key),
    st.sampled_from(RECIPIENTS), st.sampled_from(["SMS", "SMS", "MMS"]),
    st.one_of(platforms, platforms, platforms, st.sampled_from([(None, None), ("alerts", "fresh"), ("nosuch", None),
                                                                (None, "e1")])),
    st.one_of(st.none(), st.none(), st.none(), st.none(), st.sampled_from([*IDS, "+19995550000"])),
    st.one_of(st.none(), st.none(), st.none(), st.sampled_from([secret for secret, _ in KEYS] + [SCRYPT_SECRET, "k-unknown"])),
)
inbound = st.builds(
    lambda to, channel, text: InboundRequest(from_="+14155557777", to=to, channel=channel, text=text),
    st.sampled_from([*IDS, "+19995550000"]), st.sampled_from(["SMS", "MMS", "VOICE"]),
    st.sampled_from(["", "join us", "STOP", "hello there"]),
)


@st.composite
def traffic(draw) -> list:
    """A few distinct messages repeated in a random order (sticky and usage order at work), and others."""
    repeated = draw(st.lists(outbound, min_size=1, max_size=4))
    picks = draw(st.lists(st.one_of(st.integers(0, len(repeated) - 1), outbound, inbound), min_size=5, max_size=30))
    return [repeated[p] if isinstance(p, int) else p for p in picks]


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("cold") / "empty.db"
    Store.open(str(path)).dispose()  # migrated once; each example copies the file
    return path


def _store(template, folder, name: str, setup: dict) -> Store:
    path = folder / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        (folder / f"{name}.db{suffix}").unlink(missing_ok=True)
    shutil.copy(template, path)
    store = Store.open(str(path))
    with store.write() as session:
        apply_setup(session, setup)
    return store


def _seen(d) -> tuple:
    return (d.message_id, d.status, d.direction, d.application_id, d.entity_id, d.sender, d.sender_type, d.reason,
            d.error_code, d.error_description, d.sending_strategy_id, d.country, d.keyword, d.clean_text,
            d.notify_url, [(s.step, s.detail) for s in d.trace])


def _copy(req):
    if isinstance(req, InboundRequest):
        return InboundRequest(from_=req.from_, to=req.to, channel=req.channel, text=req.text)
    return OutboundRequest(to=req.to, channel=req.channel, application_id=req.application_id, entity_id=req.entity_id,
                           sender=req.sender, api_key=req.api_key, text=req.text)


def _ids():
    count = itertools.count(1)
    return lambda: f"m{next(count):05d}"


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(setups(), traffic(), st.booleans())
def test_cold_and_warm_paths_make_the_same_decisions(empty_store, tmp_path, setup, reqs, one_batch):
    warm_store = _store(empty_store, tmp_path, "warm", setup)
    cold_store = _store(empty_store, tmp_path, "cold", setup)
    try:
        warm = Router(warm_store, clock=stepping_clock(), message_ids=_ids(), delivery=None)
        cold = Router(cold_store, clock=stepping_clock(), message_ids=_ids(), delivery=None, cold=True)
        if one_batch:  # the warm path in one batch (each message sees the earlier ones in memory)
            expected = warm.route_many([_copy(r) for r in reqs])
            got = [cold.route_many([_copy(r)])[0] for r in reqs]
        else:  # or one call per message (each persisted before the next), each explained first
            expected, got = [], []
            for r in reqs:
                if isinstance(r, OutboundRequest):
                    assert _seen(cold.explain(_copy(r))) == _seen(warm.explain(_copy(r))), f"explaining {r}"
                expected.append(warm.route_many([_copy(r)])[0])
                got.append(cold.route_many([_copy(r)])[0])
        for position, (e, g) in enumerate(zip(expected, got)):
            assert _seen(g) == _seen(e), f"message {position}: {reqs[position]}"
        assert cold.index is None  # a slice never outlives its messages
    finally:
        warm_store.dispose()
        cold_store.dispose()


def test_a_few_messages_in_one_cold_call_see_each_other(tmp_path, empty_store):
    """Several requests in one cold call: one slice for all, effects carried in order (sticky, usage)."""
    setup = {
        "applications": [{"applicationId": "shop", "applicationName": "Shop"}],
        "resources": [{"resourceId": rid, "resourceType": "NUMBER", "capabilities": ["SMS"], "applicationId": "shop"}
                      for rid in ("+14155550100", "+14155550111", "+12125550102")],
        "associations": [{"resourceType": "NUMBER", "resourceId": rid, "channel": "SMS", "applicationId": "shop"}
                         for rid in ("+14155550100", "+14155550111", "+12125550102")],
        "sendingStrategies": [{"sendingStrategyId": "S" * 32, "platform": {"applicationId": "shop"},
                               "useStickySender": True}],
    }
    store = _store(empty_store, tmp_path, "few", setup)
    try:
        cold = Router(store, clock=stepping_clock(), delivery=None, cold=True)
        reqs = [OutboundRequest(to=to, application_id="shop") for to in
                ("+12065550001", "+12065550002", "+12065550001", "+12065550003", "+12065550004")]
        got = [(d.sender, d.reason) for d in cold.send_many(reqs)]
        assert got == [("+12125550102", "POOL"), ("+14155550100", "POOL"), ("+12125550102", "STICKY"),
                       ("+14155550111", "POOL"), ("+14155550100", "POOL")]
        again = cold.send(OutboundRequest(to="+12065550002", application_id="shop"))
        assert (again.sender, again.reason) == ("+14155550100", "STICKY")
    finally:
        store.dispose()


def test_cold_sends_spread_and_explain_on_both_backends(store: Store):
    """SQLite and PostgreSQL: each cold send reads the usage the previous one left (least recently
    used first, lowest id on ties); explaining reads the same and writes nothing."""
    from .routing_setup import LA, NY, SF, log_count, make_store

    make_store(store)
    cold = Router(store, clock=stepping_clock(), delivery=None, cold=True)
    explained = cold.explain(OutboundRequest(to="+19175550000", application_id="shop", entity_id="bigcola"))
    assert (explained.sender, explained.reason, log_count(store)) == (NY, "POOL", 0)
    got = [cold.send(OutboundRequest(to=f"+1917555000{n}", application_id="shop", entity_id="bigcola")).sender
           for n in range(4)]
    assert got == [NY, LA, SF, NY] and log_count(store) == 4
    assert cold.receive(InboundRequest(from_="+19175550000", to=NY, channel="VOICE", text="")).error_code == "NOT_ASSOCIATED"


def test_bindings_are_read_by_key(store: Store):
    """`bindings_for`: one key, or many at once (row values), on both backends; absent keys are absent."""
    from store.routing.cold import bindings_for

    from .routing_setup import make_store

    make_store(store, """
sendingStrategies:
  - sendingStrategyId: STICKY00000000000000000000000000
    platform: {applicationId: shop, entityId: bigcola}
    useStickySender: true
""")
    cold = Router(store, clock=stepping_clock(), delivery=None, cold=True)
    sent = {to: cold.send(OutboundRequest(to=to, application_id="shop", entity_id="bigcola")).sender
            for to in ("+19175550001", "+19175550002", "+19175550003")}
    keys = [("shop", "bigcola", "SMS", to) for to in sent] + [("shop", "", "SMS", "+19175550001")]
    with store.read() as session:
        one = bindings_for(session, keys[:1])
        many = bindings_for(session, keys, chunk=2)
    assert {k: v[0] for k, v in one.items()} == {keys[0]: sent["+19175550001"]}
    assert {k[3]: v[0] for k, v in many.items()} == sent
