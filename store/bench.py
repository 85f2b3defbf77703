"""The routing benchmark: synthetic stores of two sizes, the same replayed traffic, decisions per second.

The synthetic store is written with bulk inserts straight into a temporary SQLite file (the rules'
checks would only slow the build; every row is valid by construction). The replay goes through
`Router.route_stream` in batches of 5,000: each batch's sticky bindings, usage stamps and log rows
are written in one transaction by a writer thread while the next batch is routed, and the clock
stops only when the last batch is committed, so decisions per second include persisting. The
p50/p99 figures are the time to decide one message (in memory, without the write).
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert

from .db import Store, mark_changed
from .routing import OutboundRequest, Router
from .routing import destinations
from .routing.router import DEFAULT_DELIVERY
from .routing.nanp import area_codes
from .simulation import nanp_number
from .tables import Application, Entity, Resource, ResourceAssociation, SendingStrategy

APPLICATIONS = 10
ENTITIES = 1_000
STRATEGIES_PER_ENTITY = 2  # 2,000 strategies
AREAS_PER_ENTITY = 4
BATCH = 5_000
START = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)


def _platform(i: int) -> tuple[str, str]:
    return f"app{i % APPLICATIONS:02d}", f"ent{i:04d}"


def build_store(path: Path, resources: int, seed: int = 1) -> tuple[Store, dict]:
    """A store with ENTITIES entities, `resources` numbers and 2 strategies per entity; returns the areas per entity."""
    rng = random.Random(seed)
    store = Store.open(str(path))
    nanp = sorted(code for code, info in area_codes().items() if info.country in ("US", "CA"))
    countries = {code: area_codes()[code].country for code in nanp}
    entity_areas = {i: rng.sample(nanp, AREAS_PER_ENTITY) for i in range(ENTITIES)}
    numbers, associations, seen = [], [], set()
    for n in range(resources):
        i = n % ENTITIES
        app, entity = _platform(i)
        area = entity_areas[i][(n // ENTITIES) % AREAS_PER_ENTITY]
        number = nanp_number(rng, area)
        while number in seen:
            number = nanp_number(rng, area)
        seen.add(number)
        country = countries[area]
        numbers.append({
            "resource_id": number, "resource_type": "NUMBER", "number_type": "TEN_DIGIT_LONG_CODE",
            "country": country, "capabilities": ["SMS", "MMS"], "destination_countries": [country],
            "application_id": app, "entity_id": entity,
        })
        associations.append({"resource_type": "NUMBER", "resource_id": number, "channel": "SMS",
                             "application_id": app, "entity_id": entity})
    first = {}
    for row in numbers:
        first.setdefault(row["entity_id"], row["resource_id"])
    strategies = []
    for i in range(ENTITIES):
        app, entity = _platform(i)
        strategies.append({
            "sending_strategy_id": f"B{i:04d}US{'0' * 26}", "application_id": app, "entity_id": entity,
            "channel": "SMS", "destination_country_code": "US", "use_sticky_sender": True,
            "use_geolocated_sender": True, "priorities": [{"senderType": "VIRTUAL_LONG_NUMBER", "priority": 1}],
            "default_sender": None,
        })
        strategies.append({
            "sending_strategy_id": f"B{i:04d}ALL{'0' * 25}", "application_id": app, "entity_id": entity,
            "channel": None, "destination_country_code": None, "use_sticky_sender": True,
            "use_geolocated_sender": False, "priorities": [], "default_sender": first.get(entity),
        })
    with store.write() as session:
        for model, rows in (
            (Application, [{"application_id": f"app{a:02d}", "application_name": f"App {a}"} for a in range(APPLICATIONS)]),
            (Entity, [{"entity_id": _platform(i)[1], "entity_name": f"Entity {i}"} for i in range(ENTITIES)]),
            (Resource, numbers),
            (ResourceAssociation, associations),
            (SendingStrategy, strategies),
        ):
            session.execute(insert(model.__table__), rows)
        mark_changed(session)
    return store, entity_areas


def traffic(count: int, entity_areas: dict, seed: int = 2) -> list[OutboundRequest]:
    """Half the messages go to a recipient the same entity wrote to before (sticky at work)."""
    rng = random.Random(seed)
    nanp = sorted(code for code, info in area_codes().items() if info.country in ("US", "CA"))
    recent: dict = {}
    out = []
    for _ in range(count):
        i = rng.randrange(ENTITIES)
        app, entity = _platform(i)
        seen = recent.setdefault(i, [])
        if seen and rng.random() < 0.5:
            to = rng.choice(seen)
        else:
            roll = rng.random()
            if roll < 0.6:
                to = nanp_number(rng, rng.choice(entity_areas[i]))
            elif roll < 0.92:
                to = nanp_number(rng, rng.choice(nanp))
            else:
                to = f"+447400{rng.randrange(1_000_000):06d}"
            seen.append(to)
        channel = "MMS" if rng.random() < 0.1 else "SMS"
        out.append(OutboundRequest(to=to, channel=channel, application_id=app, entity_id=entity))
    return out


def replay(store: Store, messages: list[OutboundRequest], delivery=DEFAULT_DELIVERY) -> dict:
    """`delivery`: the profile the router plans each routed message with (None: no plans)."""
    destinations.clear_cache()  # each store starts cold: no number parsed yet
    step = timedelta(milliseconds=1)
    ticks = iter(range(1 << 62))
    router = Router(store, clock=lambda: START + step * next(ticks), delivery=delivery)
    started = time.perf_counter()
    router.refresh()
    index_seconds = time.perf_counter() - started
    router.latencies = latencies = []
    reasons: dict = {}
    started = time.perf_counter()
    decisions = router.route_stream(messages, batch_size=BATCH)
    seconds = time.perf_counter() - started
    for decision in decisions:
        key = decision.reason or decision.error_code
        reasons[key] = reasons.get(key, 0) + 1
    latencies.sort()
    routing = sum(latencies)
    return {
        "messages": len(messages),
        "seconds": round(seconds, 3),
        "decisionsPerSecond": round(len(messages) / seconds),
        "p50Microseconds": round(latencies[len(latencies) // 2] * 1e6, 1),
        "p99Microseconds": round(latencies[int(len(latencies) * 0.99)] * 1e6, 1),
        "meanMicroseconds": round(statistics.fmean(latencies) * 1e6, 1),
        "routingShare": round(min(routing / seconds, 1.0), 3),
        "indexSeconds": round(index_seconds, 3),
        "outcomes": dict(sorted(reasons.items(), key=lambda i: -i[1])),
    }


def run_bench(messages: int = 200_000, resources: int = 100_000, small: int = 1_000, progress=None) -> dict:
    """Both stores, the same traffic; `ratio` is large-store throughput over small-store throughput."""
    say = progress.print if progress is not None else (lambda *_: None)
    report: dict = {"entities": ENTITIES, "strategies": ENTITIES * STRATEGIES_PER_ENTITY, "batch": BATCH}
    with tempfile.TemporaryDirectory(prefix="cpaasx-bench-") as tmp:
        for label, size in (("large", resources), ("small", small)):
            started = time.perf_counter()
            store, areas = build_store(Path(tmp) / f"{label}.db", size)
            build = time.perf_counter() - started
            msgs = traffic(messages, areas)
            say(f"[dim]{label} store: {size:,} resources built in {build:.1f}s; replaying {messages:,} messages…[/]")
            result = replay(store, msgs)
            result.update(resources=size, buildSeconds=round(build, 2))
            store.dispose()
            report[label] = result
    report["ratio"] = round(report["large"]["decisionsPerSecond"] / report["small"]["decisionsPerSecond"], 3)
    return report


def format_report(report: dict) -> str:
    lines = [f"[bold]Routing benchmark[/] ({report['entities']:,} entities, {report['strategies']:,} strategies, "
             f"batches of {report['batch']:,}, persisted)"]
    for label in ("large", "small"):
        r = report[label]
        lines.append(
            f"  {r['resources']:>7,} resources: [bold]{r['decisionsPerSecond']:,} decisions/s[/]  "
            f"p50 {r['p50Microseconds']} µs  p99 {r['p99Microseconds']} µs  "
            f"({r['messages']:,} messages in {r['seconds']}s, {r['routingShare']:.0%} of it deciding; "
            f"index {r['indexSeconds']}s, store built in {r['buildSeconds']}s)"
        )
    top = ", ".join(f"{k} {v:,}" for k, v in list(report["large"]["outcomes"].items())[:6])
    lines.append(f"  outcomes (large): {top}")
    lines.append(f"  large / small throughput: [bold]{report['ratio']:.2f}[/]")
    return "\n".join(lines)
