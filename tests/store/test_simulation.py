"""The traffic generator (same seed, same traffic) and the benchmark's synthetic store."""

from __future__ import annotations

from collections import Counter
from importlib import resources as package_files

from hypothesis import given, settings
from hypothesis import strategies as st

from store.bench import build_store, replay, traffic
from store.db import Store
from store.routing import InboundRequest, OutboundRequest, Router
from store.setup_file import apply_setup, load_setup
from store.simulation import FIXED_START, TrafficGenerator

from .routing_setup import log_count

DEMO = package_files.files("store").joinpath("demo_setup.yaml").read_text(encoding="utf-8")


def demo_store(path) -> Store:
    store = Store.open(str(path))
    with store.write() as session:
        apply_setup(session, load_setup(DEMO))
    return store


def simulate(path, seed: int, count: int) -> list[dict]:
    store = demo_store(path)
    gen = TrafficGenerator(store, seed=seed)
    decisions = Router(store, clock=gen.clock, message_ids=gen.message_id).route_many(gen.take(count))
    store.dispose()
    return [d.as_json() for d in decisions]


@settings(max_examples=5, deadline=None)
@given(st.integers(0, 2**32))
def test_the_same_seed_gives_the_same_simulation(tmp_path_factory, seed):
    first = simulate(tmp_path_factory.mktemp("a") / "s.db", seed, 150)
    second = simulate(tmp_path_factory.mktemp("b") / "s.db", seed, 150)
    assert first == second


def test_another_seed_gives_other_traffic(tmp_path):
    assert simulate(tmp_path / "a.db", 1, 50) != simulate(tmp_path / "b.db", 2, 50)


def test_generated_traffic_covers_what_the_demo_shows(tmp_path):
    store = demo_store(tmp_path / "s.db")
    gen = TrafficGenerator(store, seed=7)
    msgs = gen.take(3000)
    inbound = [m for m in msgs if isinstance(m, InboundRequest)]
    outbound = [m for m in msgs if isinstance(m, OutboundRequest)]
    assert 0.1 < len(inbound) / len(msgs) < 0.3
    assert {m.channel for m in inbound} == {"SMS", "MMS", "VOICE"}
    assert any(m.text.split()[0].upper() in ("JOIN", "STOP", "HELP") for m in inbound if m.text)
    countries = Counter(m.to[:3] for m in outbound)
    assert countries["+44"] and countries["+38"] and countries["+49"]
    repeats = Counter((m.application_id, m.entity_id, m.to) for m in outbound)
    assert sum(n - 1 for n in repeats.values()) > 300  # recipients written to again
    outcomes = Counter(d.reason or d.error_code for d in Router(store, clock=gen.clock).route_many(msgs))
    for outcome in ("STICKY", "GEOLOCATED", "GEOLOCATED_REGION", "POOL", "DEFAULT_SENDER", "EXPLICIT_SENDER",
                    "INVALID_DESTINATION", "NO_SENDING_STRATEGY", "COUNTRY_NOT_ALLOWED", "KEYWORD", "NUMBER",
                    "INBOUND_CONFIGURATION", "VOICE_ASSOCIATION"):
        assert outcomes[outcome], outcome
    assert log_count(store) == 3000


def test_the_generator_clock_is_fixed_and_stepping(tmp_path):
    gen = TrafficGenerator(demo_store(tmp_path / "s.db"), seed=3)
    gen.take(10)
    assert (gen.clock() - FIXED_START).total_seconds() == 10


def test_benchmark_store_and_replay_persist_like_real_traffic(tmp_path):
    store, areas = build_store(tmp_path / "bench.db", resources=3000)
    report = replay(store, traffic(2000, areas))
    assert report["messages"] == 2000 and report["decisionsPerSecond"] > 0
    assert report["outcomes"]["STICKY"] > 200 and report["outcomes"]["GEOLOCATED"] > 200
    assert log_count(store) == 2000
    store.dispose()


def test_the_yardstick_parses_distinct_us_and_ca_numbers():
    import phonenumbers

    from store.bench import yardstick_numbers

    numbers = yardstick_numbers(300)
    assert len(set(numbers)) == 300
    assert {phonenumbers.region_code_for_number(phonenumbers.parse(n, None)) for n in numbers} == {"US", "CA"}
