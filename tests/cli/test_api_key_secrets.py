"""API key secrets that are safe to keep: a chosen secret is at least 8 characters (CONTRACT.md allows chosen ones), the store file
and the folders made for it are private, and the secret need not be on the command line (issue 13 item 3)."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path

import pytest

from store.db import Store
from store.errors import InvalidInput
from store.keys import create_api_key, find_key_by_secret, hash_secret, update_api_key
from tui.cli import main

from ..store.routing_setup import make_store
from ..store.test_setup_file import CONTRACT_EXAMPLE

SECRET = "k-shop-fill-cli-chosen-secret"  # 29 characters
KEY = f"apiKeys: [{{name: shop-fill, secret: {SECRET}, platform: [{{applicationId: shop, action: FILL}}]}}]\n"


def run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_short_chosen_secret_is_refused_naming_the_key_and_nothing_is_written(capsys, tmp_path):
    db = str(tmp_path / "s.db")
    setup = tmp_path / "keys.yaml"
    setup.write_text("apiKeys:\n  - {name: fine}\n  - {name: weak, secret: k-weak1}\n")
    code, out, err = run(capsys, "--db", db, "--create", "apply", str(setup))
    assert (code, out) == (2, "")
    assert err == ("error INVALID_INPUT apiKeys[1].secret: API key 'weak': a chosen secret must be at least 8 "
                   "characters, this one has 7 (leave secret out and one is generated)\n")
    code, out, _ = run(capsys, "--db", db, "export")
    assert code == 0 and "apiKeys: []" in out  # all or nothing: the generated key was not kept either


def test_generated_and_long_chosen_secrets_are_kept(capsys, tmp_path):
    db = str(tmp_path / "s.db")
    setup = tmp_path / "keys.yaml"
    setup.write_text(f"apiKeys:\n  - {{name: generated}}\n  - {{name: chosen, secret: {'x' * 24}}}\n")
    code, out, _ = run(capsys, "--db", db, "--create", "apply", str(setup))
    assert code == 0 and "secret for API key generated (shown once): cpx_" in out
    assert "secret for API key chosen" not in out and out.endswith(": 2 created, 0 changed\n")
    assert run(capsys, "--db", db, "apply", str(setup))[1] == f"{setup}: nothing to change\n"


def test_a_key_keeps_a_short_secret_it_already_has_but_cannot_change_to_one(sqlite_url):
    store = Store.open(sqlite_url, create=True)
    try:
        with store.write() as session:  # a key from before the rule, kept as its hash
            create_api_key(session, "old", secret_hash=hash_secret("k-old-0001"))
        with store.write() as session:
            update_api_key(session, "old", secret="k-old-0001")  # the same secret again: no new choice
            assert find_key_by_secret(session, "k-old-0001").name == "old"
        with pytest.raises(InvalidInput) as refused, store.write() as session:
            update_api_key(session, "old", secret="k-old-2")
        assert (refused.value.field, str(refused.value)) == ("secret", (
            "secret: API key 'old': a chosen secret must be at least 8 characters, this one has 7 "
            "(leave secret out and one is generated)"))
    finally:
        store.dispose()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_store_file_is_private_and_so_are_the_folders_made_for_it(capsys, tmp_path):
    tmp_path.chmod(0o755)
    path = tmp_path / "made" / "for" / "it" / "store.db"
    assert run(capsys, "--db", str(path), "--create", "send", "--to", "+14155550123")[0] == 3
    assert mode(path) == 0o600
    assert [mode(p) for p in (tmp_path / "made", tmp_path / "made" / "for", path.parent)] == [0o700] * 3
    assert mode(tmp_path) == 0o755  # a folder that was there keeps its mode
    for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        assert not extra.exists() or mode(extra) == 0o600


def test_the_default_store_is_private_too(tmp_path, monkeypatch):
    from store.db import default_store_path, store_url

    monkeypatch.delenv("CPAASX_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    store_url(None)
    assert mode(default_store_path()) == 0o600 and mode(default_store_path().parent) == 0o700


@pytest.fixture
def keyed(sqlite_url) -> Store:
    store = make_store(Store.open(sqlite_url, create=True), KEY)
    yield store
    store.dispose()


def send(capsys, store: Store, *argv: str) -> tuple[int, dict | str]:
    code, out, err = run(capsys, "--db", store.url, "send", "--to", "+14155550123", "--json", *argv)
    return code, json.loads(out) if out else err


def key_step(decision: dict) -> str:
    return decision["trace"][0]["detail"]


def test_the_secret_from_the_environment(capsys, keyed, monkeypatch):
    monkeypatch.setenv("CPAASX_API_KEY", SECRET)
    code, d = send(capsys, keyed)
    assert (code, d["applicationId"]) == (0, "shop")
    assert key_step(d) == "key shop-fill: FILL gave application shop; its link allows any entity of shop"
    monkeypatch.setenv("CPAASX_API_KEY", "not-the-secret")
    code, d = send(capsys, keyed, "--api-key", SECRET)  # the flag wins over the environment
    assert (code, d["applicationId"]) == (0, "shop")
    monkeypatch.setenv("CPAASX_API_KEY", "")
    code, d = send(capsys, keyed)  # empty: no key at all
    assert key_step(d) == "no API key given: full access"


def test_the_secret_from_standard_input(capsys, keyed, monkeypatch):
    monkeypatch.delenv("CPAASX_API_KEY", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{SECRET}\n"))
    code, d = send(capsys, keyed, "--api-key", "-")
    assert (code, d["applicationId"]) == (0, "shop") and key_step(d).startswith("key shop-fill: ")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, err = send(capsys, keyed, "--api-key", "-")
    assert (code, err) == (2, "error INVALID_INPUT apiKey: standard input is empty: give the secret on its first line\n")


def test_the_contract_example_with_its_19_character_secret_applies_and_authenticates(capsys, tmp_path):
    """CONTRACT.md's own example setup (a chosen secret of 19 characters) is a public promise."""
    db = str(tmp_path / "s.db")
    setup = tmp_path / "contract.yaml"
    setup.write_text(CONTRACT_EXAMPLE)
    code, out, err = run(capsys, "--db", db, "--create", "apply", str(setup))
    assert (code, err) == (0, "") and "secret for API key" not in out
    code, out, err = run(capsys, "--db", db, "send", "--to", "+14155550123", "--json",
                         "--api-key", "k-bigcola-prod-0001")
    assert (code, err) == (0, "")
    d = json.loads(out)
    assert (d["applicationId"], d["entityId"]) == ("shop", "bigcola")
    assert key_step(d).startswith("key bigcola-prod: FILL")
