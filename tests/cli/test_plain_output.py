"""Output that is not a terminal is plain and unwrapped: a long id stays whole on its line, and no
line ends in table padding (issue 12 item 14)."""

from __future__ import annotations

from store.db import Store
from tui.cli import main

from ..store.routing_setup import make_store

LONG_APP = "shop-" + "a" * 90
LONG_ENTITY = "maplemart-" + "b" * 60


def test_piped_output_never_wraps_an_id(capsys, sqlite_url):
    store = make_store(Store.open(sqlite_url, create=True),
                       f"applications: [{{applicationId: {LONG_APP}, applicationName: Long}}]\n"
                       f"entities: [{{entityId: {LONG_ENTITY}, entityName: Long}}]\n")
    capsys.readouterr()
    code = main(["--db", store.url, "send", "--to", "+14155550123", "--application", LONG_APP,
                 "--entity", LONG_ENTITY, "--explain"])
    out = capsys.readouterr().out
    assert code == 3
    assert out.splitlines() == [
        f"REJECTED SMS - → +14155550123  {LONG_APP}/{LONG_ENTITY}  NO_SENDING_STRATEGY: "
        f"application {LONG_APP} has no sending strategy (explained only: nothing sent)",
        "  key            no API key given: full access",
        "  destination    +14155550123: US, area code 415, California",
        f"  platform       application {LONG_APP}, entity {LONG_ENTITY}",
        f"  result         would be rejected NO_SENDING_STRATEGY: application {LONG_APP} has no sending strategy",
    ]
    store.dispose()


def test_piped_tables_are_not_padded_or_wrapped(capsys, sqlite_url):
    store = make_store(Store.open(sqlite_url, create=True))
    capsys.readouterr()
    assert main(["--db", store.url, "simulate", "--count", "40", "--seed", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 42  # the header, one line per message, the summary
    assert lines[0].split() == ["#", "platform", "to", "/", "from", "sender", "/", "number", "outcome"]
    assert all(line == line.rstrip() for line in lines)
    store.dispose()


def test_counts_in_command_output_have_thousands_separators(capsys, sqlite_url):
    store = make_store(Store.open(sqlite_url, create=True))
    capsys.readouterr()
    assert main(["--db", store.url, "simulate", "--count", "1200", "--seed", "3"]) == 0
    summary = capsys.readouterr().out.splitlines()[-1]
    assert summary.startswith("1,200 messages (seed 3): ")
    counts = [part.rsplit(" ", 1)[1] for part in summary.split(": ", 1)[1].split(", ")]
    assert sum(int(n.replace(",", "")) for n in counts) == 1200
    store.dispose()
