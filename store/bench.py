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
from .secret_hash import hash_generated
from .simulation import nanp_number
from .tables import (
    ApiKey, ApiKeyLink, Application, Entity, InboundConfiguration, Resource, ResourceAssociation, SendingStrategy,
)

APPLICATIONS = 10
ENTITIES = 1_000
STRATEGIES_PER_ENTITY = 3  # 3,000 strategies: US SMS, GB SMS (alphanumeric first), everything else
AREAS_PER_ENTITY = 4
KEYWORD_NUMBERS = 2  # each entity's first numbers carry keyword inbound configurations (JOIN, STOP, catch-all)
BATCH = 5_000
WARMUP = 5_000  # messages each router of the one-at-a-time figures routes (untimed) before them
ROUNDS = 8  # the warm replay and the realistic mix take turns, a chunk each
START = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)


def _platform(i: int) -> tuple[str, str]:
    return f"app{i % APPLICATIONS:02d}", f"ent{i:04d}"


def key_secret(i: int) -> str:
    """The secret of entity `i`'s API key (linked to it alone: FILL for even entities, FORCE for odd)."""
    return f"bench-secret-{i:04d}"


def alpha_sender(i: int) -> str:
    return f"BENCH{i:04d}"


def build_store(path: Path, resources: int, seed: int = 1, entities: int = ENTITIES) -> tuple[Store, dict]:
    """A store with `entities` entities sharing `resources` numbers (SMS and MMS capable, a quarter of
    each pool associated for MMS too), one alphanumeric GB sender, one API key and 3 strategies per
    entity, keyword inbound configurations on each entity's first numbers; returns the areas per entity."""
    rng = random.Random(seed)
    store = Store.open(str(path))
    nanp = sorted(code for code, info in area_codes().items() if info.country in ("US", "CA"))
    countries = {code: area_codes()[code].country for code in nanp}
    entity_areas = {i: rng.sample(nanp, AREAS_PER_ENTITY) for i in range(entities)}
    numbers, associations, inbound, seen = [], [], [], set()
    for n in range(resources):
        i = n % entities
        app, entity = _platform(i)
        area = entity_areas[i][(n // entities) % AREAS_PER_ENTITY]
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
        for channel in ("SMS", "MMS") if (n // entities) % AREAS_PER_ENTITY == 0 else ("SMS",):
            associations.append({"resource_type": "NUMBER", "resource_id": number, "channel": channel,
                                 "application_id": app, "entity_id": entity})
        if n < entities * KEYWORD_NUMBERS:
            for keyword, platform in (("JOIN", (app, entity)), ("STOP", (app, None)), (None, (app, entity))):
                inbound.append({"resource_id": number, "channel": "SMS", "keyword": keyword,
                                "keyword_key": keyword or "", "application_id": platform[0], "entity_id": platform[1]})
    first = {}
    for row in numbers:
        first.setdefault(row["entity_id"], row["resource_id"])
    strategies, keys, links = [], [], []
    for i in range(entities):
        app, entity = _platform(i)
        numbers.append({
            "resource_id": alpha_sender(i), "resource_type": "ALPHA", "number_type": None, "country": "GB",
            "capabilities": ["SMS"], "destination_countries": ["GB"], "application_id": app, "entity_id": entity,
        })
        associations.append({"resource_type": "ALPHA", "resource_id": alpha_sender(i), "channel": "SMS",
                             "application_id": app, "entity_id": entity})
        keys.append({"name": f"bench-key-{i:04d}", "secret_hash": hash_generated(key_secret(i)), "enabled": True})
        links.append({"key_name": f"bench-key-{i:04d}", "application_id": app, "entity_id": entity,
                      "action": "FILL" if i % 2 == 0 else "FORCE"})
        strategies.append({
            "sending_strategy_id": f"B{i:04d}GB{'0' * 26}", "application_id": app, "entity_id": entity,
            "channel": "SMS", "destination_country_code": "GB", "use_sticky_sender": False,
            "use_geolocated_sender": False, "priorities": [{"senderType": "ALPHANUMERIC", "priority": 1}],
            "default_sender": None,
        })
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
            (Entity, [{"entity_id": _platform(i)[1], "entity_name": f"Entity {i}"} for i in range(entities)]),
            (Resource, numbers),
            (ResourceAssociation, associations),
            (SendingStrategy, strategies),
            (InboundConfiguration, inbound),
            (ApiKey, keys),
            (ApiKeyLink, links),
        ):
            if rows:
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
        i = rng.randrange(len(entity_areas))
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
    return replay_rounds({"only": (store, messages)}, rounds=1, delivery=delivery)["only"]


def yardstick_numbers(count: int, seed: int = 3) -> list[str]:
    """`count` distinct US and CA numbers (valid NANP area codes and exchanges), for the yardstick."""
    rng = random.Random(seed)
    nanp = sorted(code for code, info in area_codes().items() if info.country in ("US", "CA"))
    numbers: dict = {}
    while len(numbers) < count:
        numbers[nanp_number(rng, rng.choice(nanp))] = None
    return list(numbers)


def parse_numbers(numbers: list[str]) -> float:
    """The yardstick: seconds `phonenumbers.parse` + `region_code_for_number` take for `numbers`."""
    import phonenumbers

    parse, region = phonenumbers.parse, phonenumbers.region_code_for_number
    started = time.perf_counter()
    for number in numbers:
        region(parse(number, None))
    return time.perf_counter() - started


def replay_rounds(runs: dict, rounds: int = 8, delivery=DEFAULT_DELIVERY, yardstick: list[str] | None = None) -> dict:
    """Each run (label → (store, messages)) replayed by its own router, in `rounds` alternating
    rounds (each round's chunk through `route_stream`; the runs take turns going first), so the
    runs share the machine's moods alike: figures of one run are comparable. Label → figures; with
    `yardstick` (numbers), a chunk of them parsed in each round too (`parse_numbers`): "yardstick"."""
    destinations.clear_cache()  # each store starts cold: no number parsed yet
    step = timedelta(milliseconds=1)
    state: dict = {}
    for label, (store, messages) in runs.items():
        ticks = iter(range(1 << 62))
        router = Router(store, clock=lambda ticks=ticks: START + step * next(ticks), delivery=delivery)
        started = time.perf_counter()
        router.refresh()
        router.latencies = []
        state[label] = {"router": router, "index": time.perf_counter() - started, "seconds": 0.0, "reasons": {}}
    labels = list(runs)
    parsing = 0.0
    for n in range(rounds):
        if yardstick:
            size = -(-len(yardstick) // rounds)
            parsing += parse_numbers(yardstick[n * size : (n + 1) * size])
        for label in labels if n % 2 == 0 else labels[::-1]:
            messages = runs[label][1]
            size = -(-len(messages) // rounds)
            s = state[label]
            started = time.perf_counter()
            decisions = s["router"].route_stream(messages[n * size : (n + 1) * size], batch_size=BATCH)
            s["seconds"] += time.perf_counter() - started
            reasons = s["reasons"]
            for decision in decisions:
                key = decision.reason or decision.error_code
                reasons[key] = reasons.get(key, 0) + 1
    figures = {label: _figures(len(runs[label][1]), s) for label, s in state.items()}
    if yardstick:
        figures["yardstick"] = {"numbers": len(yardstick), "parsesPerSecond": round(len(yardstick) / parsing)}
    return figures


def _figures(count: int, s: dict) -> dict:
    latencies, seconds = sorted(s["router"].latencies), s["seconds"]
    return {
        "messages": count,
        "seconds": round(seconds, 3),
        "decisionsPerSecond": round(count / seconds),
        "p50Microseconds": round(latencies[len(latencies) // 2] * 1e6, 1),
        "p99Microseconds": round(latencies[int(len(latencies) * 0.99)] * 1e6, 1),
        "meanMicroseconds": round(statistics.fmean(latencies) * 1e6, 1),
        "routingShare": round(min(sum(latencies) / seconds, 1.0), 3),
        "indexSeconds": round(s["index"], 3),
        "outcomes": dict(sorted(s["reasons"].items(), key=lambda i: -i[1])),
    }


def copy_store(store: Store, path: Path) -> Store:
    """A copy of a SQLite store in `path` (the SQLite backup API), opened."""
    import sqlite3

    source = store.engine.raw_connection()
    try:
        with sqlite3.connect(str(path)) as target:
            source.driver_connection.backup(target)
    finally:
        source.close()
    return Store.open(str(path))


def run_bench(messages: int = 200_000, resources: int = 100_000, small: int = 1_000, progress=None) -> dict:
    """Both stores, the same traffic; `ratio` is large-store throughput over small-store throughput.

    The small store has the large one's pool size (fewer entities), so the ratio is the store's size
    alone. On a copy of the large store, the realistic mix (`store.bench_mix`) replays as many
    messages (`mix.overWarm`: its decisions/s over the warm replay's); the three replays take turns
    in alternating rounds (`replay_rounds`). Then `Router.send()` one
    message at a time on the warm large store (`singles.overBatched`), and from 8 threads at once
    (`threads.overSingles`: group-committed, each call returning once its decision is committed)."""
    from .bench_mix import mix_traffic, singles_and_threads

    say = progress.print if progress is not None else (lambda *_: None)
    pool = max(1, resources // ENTITIES)
    report: dict = {"entities": ENTITIES, "strategies": ENTITIES * STRATEGIES_PER_ENTITY, "batch": BATCH,
                    "poolSize": pool}
    singles = min(2_000, max(100, messages // 100))
    with tempfile.TemporaryDirectory(prefix="cpaasx-bench-") as tmp:
        stores, runs = {}, {}
        for label, size in (("large", resources), ("small", small)):
            started = time.perf_counter()
            entities = ENTITIES if label == "large" else max(1, size // pool)
            store, areas = build_store(Path(tmp) / f"{label}.db", size, entities=entities)
            build = time.perf_counter() - started
            say(f"[dim]{label} store: {size:,} resources ({entities:,} entities) built in {build:.1f}s[/]")
            stores[label] = (store, {"resources": size, "entities": entities, "buildSeconds": round(build, 2)})
            msgs = traffic(messages + (2 * singles + 2 * WARMUP if label == "large" else 0), areas)
            runs[label] = (store, msgs[:messages])
            if label == "large":
                extra = msgs[messages:]
                mixed = copy_store(store, Path(tmp) / "mix.db")
                runs["mix"] = (mixed, mix_traffic(mixed, messages, areas))
        say(f"[dim]replaying {messages:,} messages on each store and the realistic mix on a copy of the large one, "
            f"in {ROUNDS} alternating rounds…[/]")
        report.update(replay_rounds(runs, rounds=ROUNDS, yardstick=yardstick_numbers(messages)))
        mixed.dispose()
        for label, (store, facts) in stores.items():
            report[label].update(facts)
        mix = report["mix"]
        mix["overWarm"] = round(mix["decisionsPerSecond"] / report["large"]["decisionsPerSecond"], 3)
        report["large"]["overYardstick"] = round(
            report["large"]["decisionsPerSecond"] / report["yardstick"]["parsesPerSecond"], 3)
        large = stores["large"][0]
        say(f"[dim]Router.send() one at a time and from 8 threads at once: {singles:,} messages each, "
            f"in 4 alternating rounds…[/]")
        one, eight = singles_and_threads(large, extra[:singles], extra[singles : 2 * singles], extra[2 * singles :])
        one["overBatched"] = round(one["decisionsPerSecond"] / report["large"]["decisionsPerSecond"], 4)
        report["singles"], report["threads"] = one, eight
        for store, _ in stores.values():
            store.dispose()
    report["ratio"] = round(report["large"]["decisionsPerSecond"] / report["small"]["decisionsPerSecond"], 3)
    return report


def format_report(report: dict) -> str:
    lines = [f"[bold]Routing benchmark[/] ({report['entities']:,} entities, {report['strategies']:,} strategies, "
             f"pools of {report['poolSize']:,}, batches of {report['batch']:,}, persisted)"]
    for label in ("large", "small"):
        r = report[label]
        lines.append(
            f"  {r['resources']:>7,} resources: [bold]{r['decisionsPerSecond']:,} decisions/s[/]  "
            f"p50 {r['p50Microseconds']} µs  p99 {r['p99Microseconds']} µs  "
            f"({r['messages']:,} messages in {r['seconds']}s, {r['routingShare']:.0%} of it deciding; "
            f"index {r['indexSeconds']}s, {r['entities']:,} entities, store built in {r['buildSeconds']}s)"
        )
    top = ", ".join(f"{k} {v:,}" for k, v in list(report["large"]["outcomes"].items())[:6])
    lines.append(f"  outcomes (large): {top}")
    lines.append(f"  large / small throughput: [bold]{report['ratio']:.2f}[/]")
    if "yardstick" in report:
        y = report["yardstick"]
        lines.append(f"  yardstick: phonenumbers.parse + region_code_for_number, {y['parsesPerSecond']:,}/s on "
                     f"{y['numbers']:,} distinct US/CA numbers; large store [bold]{report['large']['overYardstick']:.2f}×[/] "
                     f"it (target ≥ 1)")
    if "mix" in report:
        m = report["mix"]
        top = ", ".join(f"{k} {v:,}" for k, v in list(m["outcomes"].items())[:8])
        lines.append(f"  realistic mix (large store): [bold]{m['decisionsPerSecond']:,} decisions/s[/], "
                     f"[bold]{m['overWarm']:.2f}×[/] the warm replay (target ≥ 0.6; p50 {m['p50Microseconds']} µs)")
        lines.append(f"    outcomes: {top}")
    if "singles" in report:
        o = report["singles"]
        lines.append(f"  Router.send() one at a time: {o['decisionsPerSecond']:,} decisions/s, "
                     f"{o['overBatched']:.3f}× batched ({o['messages']:,} messages)")
    if "threads" in report:
        t = report["threads"]
        lines.append(f"  Router.send() from {t['threads']} threads at once: [bold]{t['decisionsPerSecond']:,} decisions/s[/] "
                     f"persisted, {t['overSingles']:.2f}× one at a time ({t['messages']:,} messages in "
                     f"{t['commits']:,} commits; target ≥ 2,000/s)")
    return "\n".join(lines)
