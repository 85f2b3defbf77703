"""The `cpaasx` command: parses arguments, opens the store, hands over to a subcommand."""

from __future__ import annotations

import argparse
import gc
import sys
from typing import TYPE_CHECKING

from store.display import markup_safe

from .commands import LazyConsole
from .commands import delivery as delivery_commands
from .commands import request as request_commands
from .commands import serve as serve_commands
from .commands import setup as setup_commands
from .commands import traffic as traffic_commands

EXIT_OK, EXIT_BAD_INPUT, EXIT_REJECTED = 0, 2, 3
COMMAND_GROUPS = [setup_commands, traffic_commands, delivery_commands, request_commands, serve_commands]

err_console = LazyConsole(stderr=True, highlight=False, soft_wrap=True)  # one error, one line

if TYPE_CHECKING:
    from store.db import Store


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # bad flags are bad input: exit 2 with the problem named
        self.print_usage(sys.stderr)
        err_console.print(f"[bold red]error:[/] {markup_safe(message)}")
        sys.exit(EXIT_BAD_INPUT)


DB_HELP = "store: a file path or SQLAlchemy URL (default: CPAASX_DB or the user data dir)"
CREATE_HELP = "make a new store if --db (or CPAASX_DB) names a file that does not exist"


def build_parser() -> Parser:
    parser = Parser(prog="cpaasx", description="Dashboard and routing simulator for CPaaS X-style messaging setups.")
    parser.add_argument("--db", help=DB_HELP)
    parser.add_argument("--create", action="store_true", help=CREATE_HELP)
    sub = parser.add_subparsers(dest="command", parser_class=Parser, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(sub)
    add_store_flags(parser)
    return parser


def add_store_flags(parser: argparse.ArgumentParser) -> None:
    """`--db` and `--create` after the command too (`cpaasx send --db X`), with the same meaning: every
    subcommand takes them, defaulting to nothing so a value given before the command stays."""
    for action in parser._actions:  # noqa: SLF001  (argparse keeps its subparsers only here)
        if not isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            continue
        for child in dict.fromkeys(action.choices.values()):  # aliases share one parser
            child.add_argument("--db", default=argparse.SUPPRESS, help=DB_HELP)
            child.add_argument("--create", action="store_true", default=argparse.SUPPRESS, help=CREATE_HELP)
            add_store_flags(child)


_opened: list[Store] = []  # closed (and, on SQLite, checkpointed) when the command ends


def open_store(args) -> Store:
    from store.db import Store

    store = Store.open(args.db, create=getattr(args, "create", False))
    _opened.append(store)
    return store


def close_stores() -> None:
    while _opened:
        _opened.pop().dispose()


def run() -> int:
    """The program (the `cpaasx` script, `python -m tui.cli`): `main` in a process of its own."""
    return main(own_process=True)


def main(argv: list[str] | None = None, own_process: bool = False) -> int:
    if own_process:
        # Start-up allocates what lives as long as the process (modules, tables, the parser); the
        # collector would scan it again and again (about 8 % of a `send`). Frozen once loaded, it is not.
        gc.disable()
    parser = build_parser()
    args = parser.parse_args(argv)
    # after parsing: --help and bad flags never load the store (every handler opens one)
    from sqlalchemy.exc import DBAPIError

    from store.db import failure_cause, location_label
    from store.errors import StoreError

    if own_process:
        gc.freeze()
        gc.enable()

    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            from .app import run_dashboard

            return run_dashboard(open_store(args)) or EXIT_OK
        return handler(args) or EXIT_OK
    except StoreError as exc:
        err_console.print(f"[bold red]error[/] [dim]{markup_safe(exc.code)}[/] {markup_safe(exc)}")
        return EXIT_BAD_INPUT
    except DBAPIError as exc:  # the store failed mid-command (disk full, connection lost): one line, no traceback
        where = location_label(args.db)
        err_console.print(f"[bold red]error[/] [dim]STORE_FAILED[/] store {markup_safe(where)}: {markup_safe(failure_cause(exc))}")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    finally:
        close_stores()


if __name__ == "__main__":
    sys.exit(run())
