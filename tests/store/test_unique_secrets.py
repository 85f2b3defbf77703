"""One secret, one key: a second key with a key's secret is refused naming both, the store holds a
unique constraint, and a store that already had shared secrets is repaired by migration 0003.
Issue 13 item 1."""

from __future__ import annotations

import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

import store.schema as schema
from store.db import Store
from store.errors import Conflict
from store.keys import create_api_key, find_key_by_secret, hash_secret, update_api_key
from store.setup_file import apply_setup, load_setup
from tui.cli import main

from .sample_setup import export

SHARED = "apiKeys:\n  - {name: aaa-limited, secret: sharedsecret1-chosen-long-secret}\n  - {name: zzz-full, secret: sharedsecret1-chosen-long-secret}\n"


def test_apply_refuses_a_second_key_with_the_same_secret_naming_it(capsys, store, tmp_path):
    path = tmp_path / "keys.yaml"
    path.write_text(SHARED)
    before = export(store)
    capsys.readouterr()
    assert main(["--db", store.url, "apply", str(path)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert err == ("error CONFLICT apiKeys[1].secret: API key 'zzz-full' would share its secret with API key "
                   "'aaa-limited'; every key needs its own secret")
    assert export(store) == before


def test_a_secret_hash_or_a_new_secret_cannot_copy_another_key(store):
    with store.write() as session:
        create_api_key(session, "one", secret="secret-one-1-chosen-long-secret")
        create_api_key(session, "two", secret="secret-two-2-chosen-long-secret")
        stored = find_key_by_secret(session, "secret-one-1-chosen-long-secret").secret_hash
        _row, generated = create_api_key(session, "gen")
    # A hash copied from another key is refused (a salted hash hides its secret, so only an equal one is found)
    for copied, holder in ((stored, "one"), (hash_secret(generated), "gen")):
        with pytest.raises(Conflict, match=f"API key 'three' would share its secret with API key '{holder}'") as error:
            with store.write() as session:
                create_api_key(session, "three", secret_hash=copied)
        assert error.value.field == "secretHash"
    with pytest.raises(Conflict, match="API key 'two' would share its secret with API key 'one'"):
        with store.write() as session:
            update_api_key(session, "two", secret="secret-one-1-chosen-long-secret")
    with store.write() as session:
        update_api_key(session, "one", secret="secret-one-1-chosen-long-secret")  # its own secret again is no conflict
        assert find_key_by_secret(session, "secret-two-2-chosen-long-secret").name == "two"


def test_the_store_itself_refuses_a_shared_hash(store):
    with store.write() as session:
        row, _ = create_api_key(session, "one", secret="secret-one-1-chosen-long-secret")
        stored = row.secret_hash
    with pytest.raises(IntegrityError):
        with store.write() as session:
            session.execute(text("INSERT INTO apikey (name, secret_hash, enabled) VALUES ('x', :h, true)"),
                            {"h": stored})


def test_migration_0003_disables_all_but_the_first_key_of_a_shared_secret(tmp_path, capsys):
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:
        command.upgrade(schema._config(connection), "0002")
        for name in ("zzz-full", "aaa-limited", "mmm-other"):
            secret = "other-secret-chosen-long-secret" if name == "mmm-other" else "sharedsecret1-chosen-long-secret"
            connection.execute(text("INSERT INTO apikey (name, secret_hash, enabled) VALUES (:n, :h, 1)"),
                               {"n": name, "h": hash_secret(secret)})
    engine.dispose()
    store = Store.open(str(tmp_path / "old.db"))
    try:
        assert "API key 'zzz-full' shared its secret with API key 'aaa-limited'" in capsys.readouterr().err
        with store.read() as session:
            assert find_key_by_secret(session, "sharedsecret1-chosen-long-secret").name == "aaa-limited"
            assert find_key_by_secret(session, "other-secret-chosen-long-secret").name == "mmm-other"
            rows = dict(session.execute(text("SELECT name, enabled FROM apikey")).all())
            assert rows == {"aaa-limited": 1, "mmm-other": 1, "zzz-full": 0}
        with store.engine.connect() as connection:
            index = [i for i in inspect(connection).get_indexes("apikey") if i["name"] == "ix_apikey_secret_hash"]
            assert index[0]["unique"]
    finally:
        store.dispose()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.text(min_size=24, max_size=40), second=st.text(min_size=24, max_size=40))
def test_two_keys_never_authenticate_as_each_other(tmp_path_factory, first, second):
    store = Store.open(str(tmp_path_factory.mktemp("keys") / "k.db"))
    try:
        with store.write() as session:
            create_api_key(session, "first", secret=first)
        try:
            with store.write() as session:
                create_api_key(session, "second", secret=second)
        except Conflict:
            assert first == second
        with store.read() as session:
            assert find_key_by_secret(session, first).name == "first"
            if first != second:
                assert find_key_by_secret(session, second).name == "second"
    finally:
        store.dispose()


def test_load_and_apply_in_one_session_refuse_too(store):
    with pytest.raises(Conflict):
        with store.write() as session:
            apply_setup(session, load_setup(SHARED))
