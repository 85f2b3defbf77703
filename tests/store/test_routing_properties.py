"""Properties over generated traffic on the demo setup (SQLite, one store per test)."""

from __future__ import annotations

from importlib import resources as package_files

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from store.db import Store
from store.routing import OutboundRequest
from store.setup_file import apply_setup, load_setup
from store.tables import Resource

from .routing_setup import router

PLATFORMS = [
    ("shop", "maplemart"), ("shop", "dashbite"), ("shop", "bigcola"), ("shop", None), ("shop-test", "pawpal"),
    ("alerts", "harbourbank"), ("alerts", "bayclinic"), ("alerts", None), ("support", None), ("shop", "newco"),
]
AREAS = ["212", "917", "646", "415", "310", "213", "214", "713", "416", "647", "514", "438", "604", "305"]
EUROPE = ["+447400123456", "+385911234567", "+4915112345678", "+33612345678"]


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    store = Store.open(str(tmp_path_factory.mktemp("props") / "demo.db"))
    text = package_files.files("store").joinpath("demo_setup.yaml").read_text(encoding="utf-8")
    with store.write() as session:
        apply_setup(session, load_setup(text))
    with store.read() as session:
        owned = {r.resource_id: r for r in session.exec(select(Resource)).all()}
    yield store, owned
    store.dispose()


destinations = st.one_of(
    st.builds(lambda a, n: f"+1{a}555{n:04d}", st.sampled_from(AREAS), st.integers(100, 199)),
    st.sampled_from(EUROPE),
)
requests = st.builds(
    lambda platform, to, channel: OutboundRequest(
        to=to, channel=channel, application_id=platform[0], entity_id=platform[1]
    ),
    st.sampled_from(PLATFORMS), destinations, st.sampled_from(["SMS", "SMS", "MMS"]),
)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(st.lists(requests, min_size=1, max_size=30), st.sampled_from([None, "+18886275300", "InfoSMS", "12345"]))
def test_a_routed_sender_supports_the_channel_and_reaches_the_country(demo_store, reqs, explicit):
    store, owned = demo_store
    if explicit:
        reqs = reqs + [OutboundRequest(to=r.to, channel=r.channel, application_id=r.application_id, sender=explicit)
                       for r in reqs[:3]]
    for d in router(store).send_many(reqs):
        if d.status == "ROUTED":
            sender = owned[d.sender]
            assert d.channel in sender.capabilities
            assert d.country in sender.destination_countries
        else:
            assert d.sender is None and d.error_code


STICKY_PLATFORMS = [("shop", "maplemart"), ("alerts", "bayclinic"), ("shop", "dashbite")]


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(STICKY_PLATFORMS), st.sampled_from(AREAS[:8]), st.integers(0, 5)),
                min_size=2, max_size=40))
def test_a_sticky_strategy_never_changes_sender_while_the_bound_one_stays_eligible(demo_store, picks):
    store, _ = demo_store
    r = router(store)
    first: dict = {}
    for (app, entity), area, n in picks:
        to = f"+1{area}555{n:04d}"
        d = r.send(OutboundRequest(to=to, application_id=app, entity_id=entity))
        if d.status != "ROUTED" or d.reason == "DEFAULT_SENDER":
            continue
        key = (app, entity, to)
        if key in first:
            assert (d.sender, d.reason) == (first[key], "STICKY")
        else:
            first[key] = d.sender
