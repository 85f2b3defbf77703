"""The delivery benchmark: what delivery costs routing, and how fast messages reach their final status.

Two small synthetic stores (`store.bench.build_store`) replay the same traffic. The first has the
indexes delivery and the logs' filters added to the message log dropped (the log as it was before
delivery) and routes without drawing delivery plans; the second is a store as this program makes it. Their decisions per second give
`routingCost` (1 - with / without), measured in the same run so a busy machine slows both alike.
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
from .bench import START, build_store, replay, traffic
from .delivery_profile import default_profile

DELIVERY_INDEXES = ("ix_log_due", "ix_log_queue", "ix_log_destination", "ix_log_sender", "ix_log_at")


def run_delivery(messages: int = 200_000, resources: int = 1_000, progress=None) -> dict:
    say = progress.print if progress is not None else (lambda *_: None)
    report: dict = {"messages": messages, "resources": resources}
    with tempfile.TemporaryDirectory(prefix="cpaasx-bench-delivery-") as tmp:
        rates = {}
        for label in ("withoutDelivery", "withDelivery"):
            store, areas = build_store(Path(tmp) / f"{label}.db", resources)
            if label == "withoutDelivery":
                with store.write(bump=False) as session:
                    for name in DELIVERY_INDEXES:
                        session.execute(text(f"DROP INDEX {name}"))
            say(f"[dim]routing {messages:,} messages ({label})…[/]")
            profile = None if label == "withoutDelivery" else default_profile()
            rates[label] = replay(store, traffic(messages, areas), delivery=profile)["decisionsPerSecond"]
            if label == "withDelivery":
                say(f"[dim]delivering them…[/]")
                report.update(_deliver(store))
            store.dispose()
    report.update(rates)
    report["routingCost"] = round(1 - rates["withDelivery"] / rates["withoutDelivery"], 3)
    report["ratio"] = round(report["transitionsPerSecond"] / rates["withDelivery"], 3)
    return report


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


def format_delivery(report: dict) -> str:
    return "\n".join([
        f"[bold]Delivery benchmark[/] ({report['messages']:,} messages, {report['resources']:,} resources)",
        f"  routing: {report['withoutDelivery']:,} decisions/s without delivery's indexes, "
        f"{report['withDelivery']:,} with them: [bold]{report['routingCost']:.1%}[/] cost",
        f"  delivery: [bold]{report['transitionsPerSecond']:,} transitions/s[/] ({report['transitions']:,} messages "
        f"final in {report['deliverySeconds']}s): "
        + ", ".join(f"{k} {v:,}" for k, v in report["byStatus"].items()),
        f"  transitions / routing decisions per second: [bold]{report['ratio']:.2f}[/]",
    ])
