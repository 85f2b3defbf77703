"""`--db` and `--create` are taken before or after the command, with one meaning (issue 12 item 11)."""

from __future__ import annotations

import json

from tui.cli import build_parser, main

from ..store.routing_setup import log_count, make_store


def run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_db_after_the_command_opens_that_store(capsys, store):
    make_store(store)
    code, out, _ = run(capsys, "send", "--db", store.url, "--to", "+14155550123", "--application", "shop", "--json")
    assert code == 0 and json.loads(out)["applicationId"] == "shop"
    assert log_count(store) == 1


def test_db_after_a_nested_command(capsys, sqlite_url):
    assert run(capsys, "--db", sqlite_url, "--create", "export")[0] == 0
    code, out, err = run(capsys, "request", "list", "--db", sqlite_url, "--json")
    assert (code, err) == (0, "") and json.loads(out)["results"] == []


def test_create_after_the_command_makes_the_store(capsys, tmp_path):
    path = tmp_path / "new" / "x.db"
    code, out, _ = run(capsys, "export", "--db", str(path), "--create")
    assert code == 0 and "applicationId: default" in out and path.is_file()


def test_a_missing_file_after_the_command_is_refused_as_before_it(capsys, tmp_path):
    missing = tmp_path / "typo.db"
    code, out, err = run(capsys, "send", "--to", "+14155550123", "--db", str(missing))
    assert (code, out) == (2, "")
    assert err == f"error STORE_UNAVAILABLE --db: no store at {missing} (pass --create to make a new one there)\n"
    assert not missing.exists()


def test_either_side_gives_the_same_arguments():
    parser = build_parser()
    before = parser.parse_args(["--db", "x.db", "--create", "send", "--to", "+1"])
    after = parser.parse_args(["send", "--to", "+1", "--db", "x.db", "--create"])
    neither = parser.parse_args(["send", "--to", "+1"])
    assert vars(before) == vars(after)
    assert (before.db, before.create, neither.db, neither.create) == ("x.db", True, None, False)
    # given on both sides, the one after the command (nearer to it) wins
    assert parser.parse_args(["--db", "a.db", "export", "--db", "b.db"]).db == "b.db"
