"""`--db`: a missing file is created only at the default location or with `--create`; any store that
cannot be opened is one line naming it (password hidden) and the cause, exit 2, no traceback.
Issue 12 items 4 and 5."""

from __future__ import annotations

import os
import sqlite3

import pytest

from store.db import StoreUnavailable, default_store_path, hidden_url, store_url
from tui.cli import main


def run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.strip()


def test_a_missing_file_is_named_and_nothing_is_created(capsys, tmp_path):
    missing = tmp_path / "no" / "such" / "x.db"
    code, out, err = run(capsys, "--db", str(missing), "export")
    assert code == 2 and out == ""
    assert one_line(err) == f"error STORE_UNAVAILABLE --db: no store at {missing} (pass --create to make a new one there)"
    assert not (tmp_path / "no").exists()
    code, _, err = run(capsys, "--db", f"sqlite:///{missing}", "send", "--to", "+14155550123")
    assert code == 2 and f"no store at {missing}" in err and not (tmp_path / "no").exists()


def test_create_makes_the_store_and_later_commands_find_it(capsys, tmp_path):
    path = tmp_path / "new" / "x.db"
    code, out, _ = run(capsys, "--db", str(path), "--create", "export")
    assert code == 0 and "applicationId: default" in out and path.is_file()
    assert run(capsys, "--db", str(path), "export")[0] == 0


def test_the_environment_variable_is_checked_the_same_way(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("CPAASX_DB", str(tmp_path / "typo.db"))
    code, _, err = run(capsys, "export")
    assert code == 2 and f"no store at {tmp_path / 'typo.db'}" in err and not (tmp_path / "typo.db").exists()


def test_the_default_location_is_created(tmp_path, monkeypatch):
    monkeypatch.delenv("CPAASX_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert store_url(None, create=False) == f"sqlite:///{default_store_path()}"
    assert default_store_path().parent.is_dir() and str(default_store_path()).startswith(str(tmp_path))


def test_an_empty_db_is_refused(capsys):
    code, _, err = run(capsys, "--db", "", "export")
    assert code == 2 and one_line(err) == "error STORE_UNAVAILABLE --db: is empty: give a file path or a database URL"


def test_unreachable_postgresql_is_one_line_with_the_password_hidden(capsys):
    code, out, err = run(capsys, "--db", "postgresql+psycopg://u:topsecret@127.0.0.1:1/db", "export")
    line = one_line(err)
    assert code == 2 and out == "" and "topsecret" not in err
    assert line.startswith("error STORE_UNAVAILABLE cannot open store postgresql+psycopg://u:***@127.0.0.1:1/db: ")
    assert "Connection refused" in line or "connection failed" in line


@pytest.mark.parametrize("url", ["mysql://x", "mysql://u:pw@h/db", "postgresql+asyncpg://u:pw@h/db", "oracle://"])
def test_unsupported_databases_are_named(capsys, url):
    code, _, err = run(capsys, "--db", url, "export")
    line = one_line(err)
    assert code == 2 and "pw" not in line and "unsupported database" in line
    assert line.startswith(f"error STORE_UNAVAILABLE --db: {hidden_url(url)}: unsupported database")


def test_a_file_that_is_not_a_database(capsys, tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("hello, not a database\n" * 100)
    code, _, err = run(capsys, "--db", str(path), "export")
    assert code == 2 and one_line(err) == f"error STORE_UNAVAILABLE cannot open store {path}: file is not a database"
    assert path.read_text() == "hello, not a database\n" * 100


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files")
def test_a_read_only_file(capsys, tmp_path):
    path = tmp_path / "ro.db"
    assert main(["--db", str(path), "--create", "export"]) == 0
    for extra in ("ro.db-wal", "ro.db-shm"):
        (tmp_path / extra).unlink(missing_ok=True)
    path.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        code, _, err = run(capsys, "--db", str(path), "send", "--to", "+14155550123")
        assert code == 2 and one_line(err).startswith(f"error STORE_UNAVAILABLE cannot open store {path}: ")
    finally:
        tmp_path.chmod(0o755)


def test_a_store_that_fails_mid_command_is_one_line(capsys, tmp_path, monkeypatch):
    """A failure after opening (disk full, connection lost) is one line naming the store."""
    path = tmp_path / "s.db"
    assert main(["--db", str(path), "--create", "export"]) == 0

    def full(*_args, **_kwargs):
        from sqlalchemy.exc import OperationalError

        raise OperationalError("INSERT …", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr("store.routing.router.Router.send", full)
    code, _, err = run(capsys, "--db", str(path), "send", "--to", "+14155550123")
    assert code == 2 and one_line(err) == f"error STORE_FAILED store {path}: database or disk is full"


def test_store_url_refuses_without_side_effects(tmp_path):
    with pytest.raises(StoreUnavailable) as error:
        store_url(str(tmp_path / "a" / "b.db"), create=False)
    assert error.value.field == "--db" and not (tmp_path / "a").exists()
    assert store_url("postgres://u:p@h/db", create=False) == "postgresql+psycopg://u:p@h/db"
    assert hidden_url("postgresql+psycopg://u:p@h/db") == "postgresql+psycopg://u:***@h/db"
