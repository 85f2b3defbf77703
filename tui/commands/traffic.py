"""`send`, `receive`, `simulate` and `bench`: the traffic half of the command line."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from store.display import visible

from . import LazyConsole

if TYPE_CHECKING:
    from collections import Counter

    from rich.table import Table
    from rich.text import Text

    from store.routing import Decision, Router

console = LazyConsole(highlight=False)

OUTBOUND_CHANNELS = ("SMS", "MMS")
INBOUND_CHANNELS = ("SMS", "MMS", "VOICE")


def register(sub) -> None:
    p = sub.add_parser("send", help="route one outbound message and log it")
    p.add_argument("--to", required=True, help="the recipient, E.164 (+14155550123)")
    p.add_argument("--channel", default="SMS", type=str.upper, choices=OUTBOUND_CHANNELS)
    p.add_argument("--application", help="applicationId (default: default)")
    p.add_argument("--entity", help="entityId (an unknown one is created)")
    p.add_argument("--from", dest="sender", help="an explicit sender: it overrides every strategy")
    p.add_argument("--api-key", help="an API key's secret, or - to read it from standard input "
                                     "(default: CPAASX_API_KEY; a secret on the command line shows in ps)")
    p.add_argument("--text", default="", help="the message text")
    p.add_argument("--explain", action="store_true", help="show the decision without sending or writing anything")
    p.add_argument("--json", action="store_true", help="print the decision as JSON")
    _delivery_flag(p)
    p.set_defaults(handler=cmd_send)

    p = sub.add_parser("receive", help="route one inbound message and log it")
    p.add_argument("--from", dest="sender", required=True, help="who sent it")
    p.add_argument("--to", required=True, help="one of the store's numbers")
    p.add_argument("--channel", default="SMS", type=str.upper, choices=INBOUND_CHANNELS)
    p.add_argument("--text", default="", help="the message text (its first word may be a keyword)")
    p.add_argument("--json", action="store_true", help="print the decision as JSON")
    p.set_defaults(handler=cmd_receive)

    p = sub.add_parser("simulate", help="route generated traffic without the dashboard")
    p.add_argument("--count", type=_count, required=True, help="how many messages")
    p.add_argument("--seed", type=int, default=7, help="the same seed gives the same traffic (default 7)")
    p.add_argument("--json", action="store_true", help="one decision per line, as JSON")
    _delivery_flag(p)
    p.set_defaults(handler=cmd_simulate)

    p = sub.add_parser("bench", help="the routing benchmark on synthetic stores (the store given is not used)")
    p.add_argument("--messages", type=_count, default=200_000, help="messages replayed per store (default 200000)")
    p.add_argument("--resources", type=_count, default=100_000, help="resources in the large store (default 100000)")
    p.add_argument("--only", choices=("routing", "startup", "delivery", "cold", "setup", "http"),
                   help="run one part (default: routing, delivery, startup and cold)")
    p.add_argument("--bindings", type=_count, default=1_000_000,
                   help="sticky bindings in the large store of the cold sends (default 1000000)")
    p.add_argument("--http", action="store_true",
                   help="add the HTTP API figures (a served demo store under load: single and 1,000-destination sends)")
    p.add_argument("--http-requests", type=_count, default=3_000,
                   help="single-message requests in --http (default 3000; 20 bulk requests of 1,000)")
    p.add_argument("--setup", action="store_true", help="add the setup-file figures (apply, re-apply, export)")
    p.add_argument("--setup-resources", type=_count, default=200_000,
                   help="resources in the setup file of --setup (default 200000)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(handler=cmd_bench)


def _delivery_flag(p) -> None:
    p.add_argument("--delivery", metavar="FILE",
                   help="a delivery profile: what becomes of routed messages, and when: a file, or a shipped one "
                        "(default, reliable, flaky)")


def delivery_profile(args):
    """The profile `--delivery` names (the shipped default without it), read before the store is
    opened: a bad file exits 2 with nothing written."""
    from store.delivery_profile import load_profile

    return load_profile(getattr(args, "delivery", None))


def _count(value: str) -> int:
    import argparse

    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _router(args) -> Router:
    from store.routing import Router

    from ..cli import open_store

    profile = delivery_profile(args)
    return Router(open_store(args), delivery=profile, cold=True)  # one message: read only what it needs


def _exit(decision: Decision) -> int:
    from ..cli import EXIT_OK, EXIT_REJECTED

    return EXIT_OK if decision.routed else EXIT_REJECTED


def cmd_send(args) -> int:
    from store.routing import OutboundRequest

    api_key = api_key_of(args.api_key)
    router = _router(args)
    request = OutboundRequest(
        to=args.to, channel=args.channel, application_id=args.application, entity_id=args.entity,
        sender=args.sender, api_key=api_key, text=args.text,
    )
    decision = router.explain(request) if args.explain else router.send(request)
    show(decision, args.json, explained=args.explain)
    return _exit(decision)


def api_key_of(flag: str | None) -> str | None:
    """The secret: `--api-key K`, `--api-key -` (the first line of standard input), else CPAASX_API_KEY
    (an empty one counts as none)."""
    from store.errors import InvalidInput

    if flag == "-":
        secret = sys.stdin.readline().strip()
        if not secret:
            raise InvalidInput("standard input is empty: give the secret on its first line", "apiKey")
        return secret
    if flag is not None:
        return flag
    return (os.environ.get("CPAASX_API_KEY") or "").strip() or None


def cmd_receive(args) -> int:
    from store.routing import InboundRequest

    router = _router(args)
    decision = router.receive(InboundRequest(from_=args.sender, to=args.to, channel=args.channel, text=args.text))
    show(decision, args.json)
    return _exit(decision)


def show(decision: Decision, as_json: bool, explained: bool = False) -> None:
    if as_json:
        import json

        sys.stdout.write(json.dumps(decision.as_json(), ensure_ascii=False) + "\n")
        return
    from rich.table import Table
    from rich.text import Text

    console.print(headline(decision) + (Text(" (explained only: nothing sent)", style="dim") if explained else Text()))
    table = Table(show_header=False, box=None, padding=(0, 2, 0, 2))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for step in decision.trace:
        table.add_row(Text(visible(step.step)), Text(visible(step.detail)))
    console.print(table)


def headline(d: Decision) -> Text:
    """One line: outcome, route and reason (or error code)."""
    from rich.text import Text

    text = Text()
    text.append(f"{d.status:<8}", style="bold green" if d.routed else "bold red")
    platform = visible(f"{d.application_id}/{d.entity_id}" if d.entity_id else (d.application_id or "-"))
    if d.direction == "OUTBOUND":
        text.append(f" {d.channel} {visible(d.sender or '-')} → {visible(d.to)}  ")
        text.append(platform, style="magenta")
    else:
        text.append(f" {d.channel} {visible(d.from_)} → {visible(d.to)}  lands in ")
        text.append(platform if d.routed else "-", style="magenta")
    if d.routed:
        text.append(f"  {d.reason}", style="bold")
        if d.keyword:
            text.append(f" {visible(d.keyword)}")
    else:
        text.append(f"  {d.error_code}", style="bold red")
        text.append(f": {visible(d.error_description)}")
    return text


def cmd_simulate(args) -> int:
    """Rows are printed per batch as they are decided (columns of fixed widths, so batches line up),
    the summary at the end; a progress bar on a terminal (progress.py)."""
    from store.routing import Router
    from store.simulation import TrafficGenerator

    from ..cli import open_store
    from .progress import Bar, wanted

    profile = delivery_profile(args)
    store = open_store(args)
    generator = TrafficGenerator(store, seed=args.seed)
    router = Router(store, clock=generator.clock, message_ids=generator.message_id, delivery=profile)
    import json
    from collections import Counter

    outcomes: Counter = Counter()
    widths = None if args.json else _simulation_widths(generator, args.count)
    left, number = args.count, 0
    with Bar(wanted(args.json), "simulating", args.count) as bar:
        while left:
            batch = min(left, 1000)
            left -= batch
            rows = []
            for decision in router.route_many(generator.take(batch)):
                number += 1
                outcomes[(decision.direction, decision.reason or decision.error_code)] += 1
                if args.json:
                    sys.stdout.write(json.dumps(decision.as_json(), ensure_ascii=False) + "\n")
                else:
                    rows.append(_simulation_row(number, decision))
            if args.json:
                sys.stdout.flush()
            else:
                console.print(_simulation_table(rows, widths, header=number == len(rows)))
            bar(done=number)
    if not args.json:
        from store.words import count

        summary = ", ".join(f"{what} {n:,}" for (_, what), n in sorted(outcomes.items(), key=lambda i: -i[1]))
        console.print(f"[bold]{count(args.count, 'message')}[/] (seed {args.seed}): {summary}")
    return 0


SIMULATION_COLUMNS = ("#", "", "platform", "to / from", "sender / number", "outcome")


def _simulation_widths(generator, count: int) -> list[int]:
    """Widths every row fits (from the store's own ids), so each batch's table lines up with the first;
    a wider value found later widens its column from then on (nothing is ever cut)."""
    apps = [*generator.applications, "default"]
    entities = generator.entities
    platform = max(map(len, apps)) + (1 + max(map(len, entities)) if entities else 0)
    ids = [rid for pool in generator.pools.values() for rid in pool] + [rid for rid, _ in generator.numbers]
    bounds = [len(f"{count}"), len("← VOICE"), platform, 16, max(map(len, ids), default=0), 0]
    return [max(len(title), bound) for title, bound in zip(SIMULATION_COLUMNS, bounds)]


def _simulation_table(rows: list, widths: list[int], header: bool) -> Table:
    from rich.table import Table

    for row in rows:
        for i, cell in enumerate(row[:-1]):
            widths[i] = max(widths[i], len(cell))
    table = Table(box=None, header_style="bold", pad_edge=False, show_header=header)
    for i, title in enumerate(SIMULATION_COLUMNS[:-1]):
        table.add_column(title, justify="right" if i == 0 else "left", no_wrap=True,
                         width=widths[i], min_width=widths[i])
    table.add_column(SIMULATION_COLUMNS[-1], no_wrap=True)
    for row in rows:
        table.add_row(*row)
    return table


def _simulation_row(number: int, d: Decision) -> tuple:
    from rich.text import Text

    platform = Text(visible(f"{d.application_id}/{d.entity_id}" if d.entity_id else (d.application_id or "")))
    outcome = Text(d.reason, style="green") if d.routed else Text(d.error_code, style="red")
    if d.keyword:
        outcome.append(f" {visible(d.keyword)}")
    if d.direction == "OUTBOUND":
        return (Text(str(number)), Text(f"→ {d.channel}"), platform, Text(visible(d.to)),
                Text(visible(d.sender or "")), outcome)
    return (Text(str(number)), Text(f"← {d.channel}"), platform, Text(visible(d.from_)), Text(visible(d.to)), outcome)


def cmd_bench(args) -> int:
    from store.bench import format_report, run_bench
    from store.bench_startup import format_startup, run_startup

    from .progress import Bar, wanted

    parts = [part for part in ("routing", "delivery", "startup", "cold") if args.only in (None, part)]
    if args.only == "setup" or (args.only is None and args.setup):
        parts.append("setup")
    if args.only == "http" or (args.only is None and args.http):
        parts.append("http")
    report: dict = {}
    say = None if args.json else console
    with Bar(wanted(args.json), "bench", len(parts)) as bar:
        for done, part in enumerate(parts):
            bar(f"bench: {part}", done)
            if part == "routing":
                report = {**run_bench(messages=args.messages, resources=args.resources, progress=say), **report}
                shown = format_report(report)
            elif part == "delivery":
                from store.bench_delivery import format_delivery, run_delivery

                report["delivery"] = run_delivery(messages=args.messages, progress=say)
                shown = format_delivery(report["delivery"])
            elif part == "startup":
                report["startup"] = run_startup()
                shown = format_startup(report["startup"])
            elif part == "cold":
                from store.bench_cold import format_cold, run_cold

                report["cold"] = run_cold(resources=args.resources, bindings=args.bindings, progress=say)
                shown = format_cold(report["cold"])
            elif part == "http":
                from api.bench_http import format_http, run_http_bench

                report["http"] = run_http_bench(singles=args.http_requests, progress=say)
                shown = format_http(report["http"])
            else:
                from store.bench_setup import format_setup, run_setup_bench

                report["setup"] = run_setup_bench(args.setup_resources, progress=say)
                shown = format_setup(report["setup"])
            if not args.json:
                console.print(shown)
            bar(done=done + 1)
    if args.json:
        import json

        sys.stdout.write(json.dumps(report) + "\n")
    return 0
