"""Realistic traffic for `cpaasx bench`, beside the warm replay (`store.bench.traffic`), and the
one-message-at-a-time figure.

The mix, on the same synthetic store (`store.bench.build_store`), every recipient distinct:
- 20 % inbound SMS to the store's numbers: mostly to the numbers with keyword configurations, the
  text starting with JOIN or STOP (KEYWORD) or not (the catch-all), the rest to any number (NUMBER);
- 20 % outbound with the entity's API key: half FILL (no application or entity named: the key's
  only link fills them), half FORCE (`default` named: the key sets its own application and entity);
- 10 % outbound from an explicit sender (one of the entity's own numbers, to its area: EXPLICIT_SENDER);
- the rest naming their application and entity, as the warm traffic does.
Of the outbound messages without an explicit sender, 10 % go to GB (the entity's alphanumeric
sender) and 10 % of the others are MMS.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from datetime import timedelta

from sqlalchemy import select

from .bench import START, _platform, key_secret
from .routing import InboundRequest, OutboundRequest, Router
from .routing.nanp import area_codes
from .simulation import nanp_number
from .tables import InboundConfiguration, Resource


def _store_numbers(store) -> tuple[dict, list, list]:
    """(numbers by entity, numbers with keyword configurations, every number), read once."""
    by_entity: dict = defaultdict(list)
    everyone = []
    r = Resource.__table__.c
    with store.read() as session:
        for rid, entity in session.execute(select(r.resource_id, r.entity_id).where(r.resource_type == "NUMBER")):
            by_entity[entity].append(rid)
            everyone.append(rid)
        c = InboundConfiguration.__table__.c
        keyworded = sorted(set(session.scalars(select(c.resource_id).where(c.keyword_key != ""))))
    return by_entity, keyworded, everyone


def mix_traffic(store, count: int, entity_areas: dict, seed: int = 3) -> list:
    """`count` messages of the realistic mix (the module's docstring), the same for the same seed and store."""
    rng = random.Random(seed)
    by_entity, keyworded, everyone = _store_numbers(store)
    nanp = sorted(code for code, info in area_codes().items() if info.country in ("US", "CA"))
    seen: set = set()

    def fresh(make) -> str:
        while True:
            number = make()
            if number not in seen:
                seen.add(number)
                return number

    def recipient(i: int) -> str:
        roll = rng.random()
        if roll < 0.1:
            return fresh(lambda: f"+447400{rng.randrange(1_000_000):06d}")
        area = rng.choice(entity_areas[i]) if roll < 0.65 else rng.choice(nanp)
        return fresh(lambda: nanp_number(rng, area))

    out: list = []
    for _ in range(count):
        roll = rng.random()
        i = rng.randrange(len(entity_areas))
        app, entity = _platform(i)
        if roll < 0.2:
            if keyworded and rng.random() < 0.8:
                to = rng.choice(keyworded)
                text = rng.choice(("JOIN the club", "stop", "Stop please", "hello there"))
            else:
                to, text = rng.choice(everyone), "hi"
            out.append(InboundRequest(from_=fresh(lambda: nanp_number(rng, rng.choice(nanp))), to=to, text=text))
            continue
        to = recipient(i)
        channel = "MMS" if not to.startswith("+44") and rng.random() < 0.1 else "SMS"
        if roll < 0.3:
            sender = rng.choice(by_entity[entity])
            to = fresh(lambda: nanp_number(rng, sender[2:5]))
            out.append(OutboundRequest(to=to, application_id=app, entity_id=entity, sender=sender, text="hi"))
        elif roll < 0.5:
            forced = i % 2 == 1  # the odd entities' keys FORCE, the even ones' FILL
            out.append(OutboundRequest(to=to, channel=channel, application_id="default" if forced else None,
                                       api_key=key_secret(i), text="hi"))
        else:
            out.append(OutboundRequest(to=to, channel=channel, application_id=app, entity_id=entity, text="hi"))
    return out


def bench_router(store, day: int = 0) -> Router:
    """A router on the benchmark's stepping clock (day `day` of it), its index read."""
    step = timedelta(milliseconds=1)
    ticks = iter(range(1 << 62))
    router = Router(store, clock=lambda: START + timedelta(days=day) + step * next(ticks))
    router.refresh()
    return router


def send_singly(router: Router, messages: list) -> float:
    """`Router.send()` for each message in turn on a warm router: each decision committed before the
    next. Seconds taken."""
    started = time.perf_counter()
    for req in messages:
        router.send(req)
    return time.perf_counter() - started


def send_from_threads(router: Router, messages: list, threads: int = 8) -> float:
    """`Router.send()` from `threads` threads at once on one warm router, each thread its share of
    `messages` one call after another (group-committed: `store.routing.group_commit`). Seconds taken."""
    import threading

    shares = [messages[n::threads] for n in range(threads)]
    failures: list = []

    def run(share: list) -> None:
        try:
            for req in share:
                router.send(req)
        except BaseException as exc:  # reported below
            failures.append(exc)

    workers = [threading.Thread(target=run, args=(share,)) for share in shares]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started
    if failures:
        raise failures[0]
    return seconds


def singles_and_threads(store, singly: list, threaded: list, warmup: list = (), threads: int = 8,
                        rounds: int = 4) -> tuple[dict, dict]:
    """Both figures, in `rounds` alternating rounds (each its own warm router: its index read and,
    untimed, half of `warmup` routed in batches, so the plans of most pools are made), so their ratio
    is measured under the same load: (one at a time, from `threads` threads)."""
    one, many = bench_router(store, day=1), bench_router(store, day=2)
    half = len(warmup) // 2
    for router, part in ((one, warmup[:half]), (many, warmup[half:])):
        router.route_stream(part, batch_size=5_000)
    seconds = {"one": 0.0, "many": 0.0}
    for n in range(rounds):
        a, b = (len(singly) * n // rounds, len(singly) * (n + 1) // rounds)
        c, d = (len(threaded) * n // rounds, len(threaded) * (n + 1) // rounds)
        for kind in ("one", "many") if n % 2 == 0 else ("many", "one"):
            if kind == "one":
                seconds["one"] += send_singly(one, singly[a:b])
            else:
                seconds["many"] += send_from_threads(many, threaded[c:d], threads)
    single = {"messages": len(singly), "seconds": round(seconds["one"], 3),
              "decisionsPerSecond": round(len(singly) / seconds["one"])}
    grouped = many._grouped
    eight = {"threads": threads, "messages": len(threaded), "seconds": round(seconds["many"], 3),
             "decisionsPerSecond": round(len(threaded) / seconds["many"]), "commits": grouped.groups}
    eight["overSingles"] = round(eight["decisionsPerSecond"] / single["decisionsPerSecond"], 3)
    return single, eight
