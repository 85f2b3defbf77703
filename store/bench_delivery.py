"""The delivery benchmark: what delivery costs routing, and how fast messages reach their final status.

Two small synthetic stores (`store.bench.build_store`) replay the same traffic. The first has the
indexes delivery and the logs' filters added to the message log dropped (the log as it was before
delivery) and routes without drawing delivery plans; the second is a store as this program makes it. The traffic is replayed in alternating rounds
(a chunk on one store, the same chunk on the other, the order swapped each round), so a busy
machine slows both alike; their decisions per second give `routingCost` (1 - with / without).
The first routes without delivery plans, the second plans each routed message with the shipped
profile as it routes (what every store does). Then the second store's messages are moved to their
final status (`store.delivery.advance`, the clock a day on); `transitionsPerSecond` counts a
message reaching DELIVERED, UNDELIVERABLE or EXPIRED as one transition, and `ratio` compares it
with the routing decisions per second of the same run.
"""

from __future__ import annotations

import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

from . import delivery
from .bench import BATCH, START, build_store, traffic
from .delivery_profile import default_profile
from .routing import Router

# Chunks of about 6,000 messages: with 8 rounds the cost read 13-29 % from one run to the next on a quiet
# machine; with 32 it read 17.6 and 17.7 %.
ROUNDS = 32
DELIVERY_INDEXES = ("ix_log_due", "ix_log_queue", "ix_log_at")


def run_delivery(messages: int = 200_000, resources: int = 1_000, rounds: int = ROUNDS, progress=None) -> dict:
    say = progress.print if progress is not None else (lambda *_: None)
    report: dict = {"messages": messages, "resources": resources, "rounds": rounds}
    with tempfile.TemporaryDirectory(prefix="cpaasx-bench-delivery-") as tmp:
        stores, routers = {}, {}
        for label in LABELS:
            store, areas = build_store(Path(tmp) / f"{label}.db", resources)
            if label == "withoutDelivery":
                with store.write(bump=False) as session:
                    for name in DELIVERY_INDEXES:
                        session.execute(text(f"DROP INDEX {name}"))
            stores[label] = store
            routers[label] = _router(store, None if label == "withoutDelivery" else default_profile())
        msgs = traffic(messages, areas)  # the same traffic for both: the stores are built alike
        say(f"[dim]routing {messages:,} messages on both stores, in {rounds} alternating rounds…[/]")
        seconds = dict.fromkeys(LABELS, 0.0)
        size = -(-messages // rounds)
        for n, start in enumerate(range(0, messages, size)):
            chunk = msgs[start : start + size]
            for label in LABELS if n % 2 == 0 else LABELS[::-1]:  # neither always goes first
                began = time.perf_counter()
                routers[label].route_stream(chunk, batch_size=BATCH)
                seconds[label] += time.perf_counter() - began
        for label in LABELS:
            report[label] = round(messages / seconds[label])
        say("[dim]delivering them…[/]")
        report.update(_deliver(stores["withDelivery"]))
        report["logsByToMilliseconds"] = _logs_page(stores["withDelivery"], to=msgs[0].to)
        report["logsByFromMilliseconds"] = _logs_page(stores["withDelivery"], sender=_a_sender(stores["withDelivery"]))
        for store in stores.values():
            store.dispose()
    report["routingCost"] = round(1 - report["withDelivery"] / report["withoutDelivery"], 3)
    report["ratio"] = round(report["transitionsPerSecond"] / report["withDelivery"], 3)
    return report


LABELS = ("withoutDelivery", "withDelivery")


def _router(store, profile) -> Router:
    step = timedelta(milliseconds=1)
    ticks = iter(range(1 << 62))
    router = Router(store, clock=lambda: START + step * next(ticks), delivery=profile)
    router.refresh()
    return router


def _deliver(store) -> dict:
    started = time.perf_counter()
    result = delivery.advance(store, START + timedelta(days=1))
    seconds = time.perf_counter() - started
    return {
        "unplanned": result.planned,  # the router planned every routed message as it went: 0
        "transitions": result.moved,
        "byStatus": result.by_status,
        "deliverySeconds": round(seconds, 3),
        "transitionsPerSecond": round(result.moved / seconds),
    }


def _logs_page(store, **filters) -> float:
    """One `logs` page over the whole log by `to` or `from` (neither has an index: docs/delivery.md)."""
    from .log_query import LogFilter, query

    with store.read() as session:
        started = time.perf_counter()
        query(session, LogFilter(**filters), limit=50)
        return round((time.perf_counter() - started) * 1000, 1)


def _a_sender(store) -> str:
    """The sender of the fewest routed messages, so its page reads the most of the log."""
    with store.read() as session:
        return session.execute(text(
            "SELECT sender FROM messagelog WHERE sender IS NOT NULL GROUP BY sender ORDER BY count(*) LIMIT 1"
        )).scalar()


def format_delivery(report: dict) -> str:
    return "\n".join([
        f"[bold]Delivery benchmark[/] ({report['messages']:,} messages, {report['resources']:,} resources, "
        f"{report['rounds']} alternating rounds)",
        f"  routing: {report['withoutDelivery']:,} decisions/s without delivery's indexes, "
        f"{report['withDelivery']:,} with them: [bold]{report['routingCost']:.1%}[/] cost",
        f"  delivery: [bold]{report['transitionsPerSecond']:,} transitions/s[/] ({report['transitions']:,} messages "
        f"final in {report['deliverySeconds']}s): "
        + ", ".join(f"{k} {v:,}" for k, v in report["byStatus"].items()),
        f"  transitions / routing decisions per second: [bold]{report['ratio']:.2f}[/]",
        f"  over the {report['messages']:,}-message log: logs --to {report['logsByToMilliseconds']} ms, "
        f"logs --from {report['logsByFromMilliseconds']} ms",
    ])
