"""`reports`, `inbox` and `logs`: what became of messages, as the platform reports it.

Each command first moves every message due by now to its final status (`store.delivery.advance`),
so `cpaasx send` and, a few seconds later, `cpaasx reports` shows the delivery report. `reports`
and `inbox` hand each item out once (docs/delivery.md).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from store.display import visible

from . import LazyConsole

if TYPE_CHECKING:
    from datetime import datetime

console = LazyConsole(highlight=False)
MAX_LIMIT = 1000  # store.queues.MAX_LIMIT (not imported: parsing stays light)
GENERAL_STATUSES = ("ACCEPTED", "PENDING", "UNDELIVERABLE", "DELIVERED", "EXPIRED", "REJECTED")


def register(sub) -> None:
    p = sub.add_parser("reports", help="hand out delivery reports, each once, oldest first")
    _limit_and_json(p)
    p.set_defaults(handler=cmd_reports)

    p = sub.add_parser("inbox", help="hand out inbound messages that landed without a forwarding URL, each once")
    _limit_and_json(p)
    p.set_defaults(handler=cmd_inbox)

    p = sub.add_parser("logs", help="outbound messages with their status, newest first (the platform's log filters)")
    p.add_argument("--from", dest="sender", help="the sender (number or alphanumeric id)")
    p.add_argument("--to", help="the destination (14155550123, +14155550123 or 0014155550123)")
    p.add_argument("--bulk-id", action="append", default=[], help="a bulk id (repeat, or separate with commas)")
    p.add_argument("--message-id", action="append", default=[], help="a message id (repeat, or separate with commas)")
    p.add_argument("--general-status", type=str.upper, choices=GENERAL_STATUSES, help="the status group")
    p.add_argument("--sent-since", type=_time, help="sent at or after (ISO 8601; no zone means UTC)")
    p.add_argument("--sent-until", type=_time, help="sent before (ISO 8601; no zone means UTC)")
    p.add_argument("--application", help="applicationId")
    p.add_argument("--entity", help="entityId")
    p.add_argument("--cursor", help="where the previous page ended (its `cursor`)")
    _limit_and_json(p)
    p.set_defaults(handler=cmd_logs)


def _limit_and_json(p) -> None:
    p.add_argument("--limit", type=_limit, default=50, help=f"how many, 1 to {MAX_LIMIT} (default 50)")
    p.add_argument("--json", action="store_true", help="print the platform's response body as JSON")


def _limit(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not 1 <= number <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_LIMIT} (got {number})")
    return number


def _time(value: str) -> datetime:
    from datetime import datetime, timezone

    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an ISO 8601 time (2025-03-01T12:00:00Z)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _split(values: list[str]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _advanced_store(args):
    """The store, with every message due by now moved to its final status first."""
    from store import delivery

    from ..cli import open_store

    store = open_store(args)
    delivery.advance(store, delivery.utc_now())
    return store


def _write_json(body: dict) -> None:
    import json

    sys.stdout.write(json.dumps(body, ensure_ascii=False) + "\n")


def cmd_reports(args) -> int:
    from store import delivery, queues

    store = _advanced_store(args)
    pulled = queues.pull_reports(store, limit=args.limit, now=delivery.utc_now())
    if args.json:
        _write_json(pulled.as_json())
        return 0
    table = _table("done", "message", "to", "from", "status", "error")
    for r in pulled.results:
        error = r["error"]
        table.add_row(_short_time(r["doneAt"]), visible(r["messageId"]), visible(r["to"] or ""),
                      visible(r["from"] or ""), _status(r["status"]),
                      "" if error is None or error["id"] == 0 else f"{error['name']}{' (permanent)' if error['permanent'] else ''}")
    _print(table, len(pulled.results), pulled.pending, "delivery report")
    return 0


def cmd_inbox(args) -> int:
    from store import delivery, queues

    store = _advanced_store(args)
    pulled = queues.pull_inbox(store, limit=args.limit, now=delivery.utc_now())
    if args.json:
        _write_json(pulled.as_json())
        return 0
    table = _table("received", "message", "from", "to", "platform", "keyword", "text")
    for m in pulled.results:
        platform = f"{m['applicationId']}/{m['entityId']}" if m["entityId"] else (m["applicationId"] or "")
        table.add_row(_short_time(m["receivedAt"]), visible(m["messageId"]), visible(m["from"] or ""),
                      visible(m["to"] or ""), visible(platform), visible(m["keyword"] or ""), visible(m["text"] or ""))
    _print(table, len(pulled.results), pulled.pending, "inbound message")
    return 0


def cmd_logs(args) -> int:
    from store.log_query import LogFilter, query

    store = _advanced_store(args)
    filters = LogFilter(
        sender=args.sender, to=args.to, bulk_ids=_split(args.bulk_id), message_ids=_split(args.message_id),
        general_status=args.general_status, sent_since=args.sent_since, sent_until=args.sent_until,
        application_id=args.application, entity_id=args.entity,
    )
    with store.read() as session:
        page = query(session, filters, limit=args.limit, cursor=args.cursor)
    if args.json:
        _write_json(page.as_json())
        return 0
    table = _table("sent", "done", "message", "to", "from", "status", "error / engine")
    for r in page.results:
        error, routing = r["error"], r["routing"]
        why = routing["errorCode"] or (error["name"] if error and error["id"] else "")
        table.add_row(_short_time(r["sentAt"]), _short_time(r["doneAt"]), visible(r["messageId"]),
                      visible(r["to"] or ""), visible(r["from"] or ""), _status(r["status"]), visible(why))
    console.print(table)
    more = f"; older ones: --cursor {page.cursor}" if page.cursor else ""
    console.print(f"[bold]{len(page.results)}[/] message{'' if len(page.results) == 1 else 's'}{more}")
    return 0


def _table(*columns: str):
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for name in columns:
        table.add_column(name, no_wrap=name not in ("text",), overflow="fold")
    return table


def _print(table, count: int, pending: int, what: str) -> None:
    if count:
        console.print(table)
    plural = "" if count == 1 else "s"
    console.print(f"[bold]{count}[/] {what}{plural} handed out, [bold]{pending}[/] still waiting")


_STYLES = {"DELIVERED": "green", "PENDING": "yellow", "UNDELIVERABLE": "red", "EXPIRED": "magenta",
           "REJECTED": "red"}


def _status(status: dict | None):
    from rich.text import Text

    if status is None:
        return Text("")
    return Text(status["name"], style=_STYLES.get(status["groupName"], ""))


def _short_time(value: str | None) -> str:
    """`2025-03-01T12:00:05.000+0000` → `2025-03-01 12:00:05.000`."""
    return "" if value is None else value[:23].replace("T", " ")
