"""Chosen API key secrets are stored salted and slow (scrypt), generated ones as SHA-256; sending,
exporting and re-applying work the same with either (issue 13 item 3)."""

from __future__ import annotations

import json
import re

import pytest

from store.db import Store
from store.errors import Conflict, InvalidInput
from store.keys import create_api_key, find_key_by_secret, hash_secret, secret_matches, update_api_key
from store.secret_hash import hash_chosen, lookup, matches
from tui.cli import main

from ..store.routing_setup import make_store
from .test_api_key_secrets import KEY, SECRET, run

SCRYPT = re.compile(r"scrypt\$4096\$8\$1\$([0-9a-f]{32})\$([0-9a-f]{64})")


def stored(store: Store, name: str) -> str:
    with store.read() as session:
        return next(k for k in _keys(session) if k.name == name).secret_hash


def _keys(session):
    from store.keys import list_api_keys
    return list_api_keys(session)


def test_a_chosen_secret_is_stored_as_scrypt_with_a_random_salt_a_generated_one_as_sha256(store):
    with store.write() as session:
        create_api_key(session, "one", secret="first-chosen-secret")
        create_api_key(session, "two", secret="second-chosen-secret")
        _row, generated = create_api_key(session, "gen")
    one, two = SCRYPT.fullmatch(stored(store, "one")), SCRYPT.fullmatch(stored(store, "two"))
    assert one and two and one.group(1) != two.group(1)  # a salt of its own
    assert "first-chosen-secret" not in one.group(0)
    assert stored(store, "gen") == hash_secret(generated) and generated.startswith("cpx_")
    # The same secret hashed twice never gives the same stored form.
    assert hash_chosen("first-chosen-secret") != hash_chosen("first-chosen-secret")
    with store.read() as session:
        assert [find_key_by_secret(session, s).name for s in ("first-chosen-secret", "second-chosen-secret", generated)] \
            == ["one", "two", "gen"]
        assert find_key_by_secret(session, "first-chosen-secreT") is None


def test_a_chosen_secret_is_unique_against_salted_and_plain_hashes(store):
    with store.write() as session:
        create_api_key(session, "one", secret="first-chosen-secret")
        _row, generated = create_api_key(session, "gen")
    for secret, holder in (("first-chosen-secret", "one"), (generated, "gen")):
        with pytest.raises(Conflict, match=f"API key 'new' would share its secret with API key '{holder}'"):
            with store.write() as session:
                create_api_key(session, "new", secret=secret)
        with pytest.raises(Conflict, match=f"API key 'gen2' would share its secret with API key '{holder}'"):
            with store.write() as session:
                create_api_key(session, "gen2", secret="gen2-own-secret")
                update_api_key(session, "gen2", secret=secret)


def test_the_same_secret_again_keeps_the_salt_and_a_new_one_gets_a_new_salt(store):
    with store.write() as session:
        create_api_key(session, "one", secret="first-chosen-secret")
    before = stored(store, "one")
    with store.write() as session:
        update_api_key(session, "one", secret="first-chosen-secret")
    assert stored(store, "one") == before
    with store.write() as session:
        update_api_key(session, "one", secret="another-chosen-secret")
    after = stored(store, "one")
    assert after != before and SCRYPT.fullmatch(after) and secret_matches("another-chosen-secret", after)
    assert not secret_matches("first-chosen-secret", after)


@pytest.mark.parametrize("bad", [
    "scrypt$4096$8$1$00$" + "0" * 64,  # salt too short
    "scrypt$4097$8$1$" + "0" * 32 + "$" + "0" * 64,  # n not a power of two
    "scrypt$1048576$8$1$" + "0" * 32 + "$" + "0" * 64,  # n too costly
    "scrypt$4096$64$1$" + "0" * 32 + "$" + "0" * 64,  # r too costly
    "scrypt$4096$8$1$" + "0" * 32 + "$" + "0" * 63,
    "sha256:" + "0" * 63,
])
def test_a_given_hash_must_be_one_of_the_two_forms_within_bounds(store, bad):
    with pytest.raises(InvalidInput) as refused, store.write() as session:
        create_api_key(session, "h", secret_hash=bad)
    assert refused.value.field == "secretHash"
    assert str(refused.value) == "secretHash: must be sha256: and 64 hex digits, or scrypt$n$r$p$salt$hash (see docs/store.md)"


def test_matches_is_cached_by_secret_and_stored_hash():
    first, second = hash_chosen("cached-chosen-secret"), hash_chosen("cached-chosen-secret")
    assert matches("cached-chosen-secret", first) and matches("cached-chosen-secret", second)
    assert not matches("cached-chosen-secret", hash_chosen("other-chosen-secret"))
    assert lookup("cached-chosen-secret", {first: "a"}, [first]) == "a"
    assert lookup("nope-chosen-secret", {first: "a", hash_secret("x"): "b"}) is None
    assert lookup("x", {first: "a", hash_secret("x"): "b"}) == "b"


def send(capsys, db: str, *argv: str):
    code, out, err = run(capsys, "--db", db, "send", "--to", "+14155550123", "--json", *argv)
    return code, json.loads(out) if out else err


def test_send_with_the_chosen_secret_works_a_wrong_one_fails_and_export_reapplies_unchanged(capsys, tmp_path, sqlite_url):
    store = make_store(Store.open(sqlite_url, create=True), KEY)
    db = store.url
    store.dispose()
    setup = tmp_path / "keys.yaml"
    setup.write_text(KEY)
    code, d = send(capsys, db, "--api-key", SECRET)
    assert (code, d["applicationId"], d["trace"][0]["detail"]) == (
        0, "shop", "key shop-fill: FILL gave application shop; its link allows any entity of shop")
    code, d = send(capsys, db, "--api-key", SECRET + "x")
    assert (code, d["status"], d["error"]) == (3, "REJECTED", {"code": "UNAUTHORIZED", "description": "unknown API key"})
    code, before, _ = run(capsys, "--db", db, "export")
    assert SCRYPT.search(before) and SECRET not in before
    exported = tmp_path / "export.yaml"
    exported.write_text(before)
    assert run(capsys, "--db", db, "apply", str(exported))[1] == f"{exported}: nothing to change\n"
    assert run(capsys, "--db", db, "apply", str(setup))[1] == f"{setup}: nothing to change\n"  # same secret: same salt
    assert run(capsys, "--db", db, "export")[1] == before
    # The export applied to a new store keeps the hash, and the secret still works there.
    other = str(tmp_path / "other.db")
    assert run(capsys, "--db", other, "--create", "apply", str(exported))[0] == 0
    assert run(capsys, "--db", other, "export")[1] == before
    code, d = send(capsys, other, "--api-key", SECRET)
    assert (code, d["applicationId"]) == (0, "shop")
