"""`apply`, `export`, `delete` and `demo --no-tui`: the management half of the command line."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from store.display import markup_safe as safe
from store.display import visible
from store.enums import DELETE_KINDS as KINDS

from . import LazyConsole

if TYPE_CHECKING:
    from store.setup_file import ApplyReport

console = LazyConsole(highlight=False)


def register(sub) -> None:
    p = sub.add_parser("apply", help="apply a setup file, all or nothing")
    p.add_argument("file", help="a YAML setup file, or - for standard input")
    p.set_defaults(handler=cmd_apply)

    p = sub.add_parser("export", help="print the whole setup as a file that apply takes back")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("delete", help="delete an object with its cascade, impact shown first")
    p.add_argument("kind", choices=KINDS)
    p.add_argument("id")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=cmd_delete)

    p = sub.add_parser("demo", help="load the demo setup and open the dashboard with live traffic")
    p.add_argument("--no-tui", action="store_true", help="only load the demo setup")
    p.add_argument("--seed", type=int, default=7, help="seed of the generated traffic (default 7)")
    p.add_argument("--rate", type=_rate, default=20, help="messages per second, 1 to 1000 (default 20)")
    p.add_argument("--paused", action="store_true", help="open with the traffic paused")
    p.add_argument("--delivery", metavar="FILE",
                   help="delivery profile for the traffic: a file, or a shipped one (default, reliable, flaky)")
    p.set_defaults(handler=cmd_demo)


def _store(args):
    from ..cli import open_store

    return open_store(args)


def read_setup_text(path: str, field: str = "file") -> str:
    """A setup file's text (- for standard input): at most MAX_BYTES, UTF-8, else exit 2 naming why."""
    from store.errors import InvalidInput
    from store.setup_yaml import MAX_BYTES, check_size, decode_setup

    if path == "-":
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:  # a text stream (tests): its text is already decoded
            text = sys.stdin.read(MAX_BYTES + 1)
            check_size(len(text), field)
            return text
        return decode_setup(stream.read(MAX_BYTES + 1), field)
    try:
        with open(path, "rb") as file:
            return decode_setup(file.read(MAX_BYTES + 1), field)
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}", "FILE" if field == "file" else field) from None


def print_report(report: ApplyReport, what: str) -> None:
    if report.unchanged:
        console.print(f"{safe(what)}: nothing to change")
        return
    if report.created or report.changed:
        if _plain():  # a file or pipe without colour: the text Rich would print, without its cost per line
            console.file.write("".join([f"created {visible(line)}\n" for line in report.created]
                                       + [f"changed {visible(line)}\n" for line in report.changed]))
        else:
            from rich.text import Text

            # One print for every line: a big apply creates 100,000s of objects, and Rich costs per call.
            lines = Text("\n").join(
                [Text.assemble(("created", "green"), " ", visible(line)) for line in report.created]
                + [Text.assemble(("changed", "yellow"), " ", visible(line)) for line in report.changed]
            )
            console.print(lines, overflow="ignore", crop=False, no_wrap=True)
    for name, secret in report.secrets.items():
        console.print(f"[bold]secret for API key {safe(name)}[/] (shown once): {safe(secret)}")
    console.print(f"{safe(what)}: {len(report.created):,} created, {len(report.changed):,} changed")


def _plain() -> bool:
    return not console.is_terminal and console.color_system is None


def cmd_apply(args) -> int:
    from .progress import Bar, wanted

    with Bar(wanted(), "reading the file") as bar:
        text = read_setup_text(args.file)
        store = _store(args)
        from store.setup_apply import apply_text

        report = apply_text(store, text, progress=bar)
    print_report(report, args.file)
    return 0


def cmd_export(args) -> int:
    from store.setup_export import count_items, write_setup

    from .progress import Bar, wanted

    store = _store(args)
    with store.read() as session:
        show = wanted() and not sys.stdout.isatty()  # export to a file: on a terminal the text itself shows it
        with Bar(show, "exporting", count_items(session) if show else None) as bar:
            write_setup(session, sys.stdout, progress=lambda written: bar(done=written))
    return 0


def cmd_delete(args) -> int:
    from rich.prompt import Confirm

    from store.deletes import delete, preview_delete

    store = _store(args)
    with store.read() as session:
        impact = preview_delete(session, args.kind, args.id)
    console.print(f"[bold]Deleting {args.kind} {safe(args.id)}[/]")
    for line in impact.lines() or ["nothing else changes"]:
        console.print(f"  • {safe(line)}")
    if not args.yes:
        if not sys.stdin.isatty():
            console.print("[red]not deleted:[/] pass --yes to confirm without a terminal")
            return 2
        if not Confirm.ask("Delete?", default=False):
            console.print("not deleted")
            return 0
    with store.write() as session:
        delete(session, args.kind, args.id)
    console.print(f"[green]deleted[/] {args.kind} {safe(args.id)}")
    return 0


def demo_setup_text() -> str:
    from importlib import resources as package_files

    return package_files.files("store").joinpath("demo_setup.yaml").read_text(encoding="utf-8")


def cmd_demo(args) -> int:
    from store.delivery_profile import load_profile
    from store.setup_apply import apply_text

    profile = load_profile(args.delivery)  # a bad file is refused before the store is touched
    store = _store(args)
    report = apply_text(store, demo_setup_text())
    if args.no_tui:
        print_report(report, "demo setup")
        return 0
    from ..app import run_dashboard
    from ..widgets.traffic_pace import TrafficOptions

    options = TrafficOptions(seed=args.seed, rate=args.rate, running=not args.paused, delivery=profile)
    return run_dashboard(store, demo=True, traffic_options=options) or 0


def _rate(value: str) -> int:
    try:
        rate = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not 1 <= rate <= 1000:
        raise argparse.ArgumentTypeError("must be from 1 to 1000 messages per second")
    return rate
