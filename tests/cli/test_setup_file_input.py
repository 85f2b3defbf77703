"""Hostile and broken setup files: each a clear exit 2 naming the problem, nothing written, no
traceback. Issue 12 items 7 and 8, issue 13 item 7."""

from __future__ import annotations

import pytest

from store.display import quote
from store.errors import InvalidInput
from store.setup_yaml import decode_setup, parse_yaml
from tui.cli import main

from ..store.sample_setup import export


def run(capsys, store, *argv) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--db", store.url, *argv])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, " ".join((out.out + out.err).split())


def apply_file(capsys, store, tmp_path, content: bytes | str) -> tuple[int, str]:
    path = tmp_path / "setup.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = export(store)
    result = run(capsys, store, "apply", str(path))
    assert export(store) == before  # nothing written
    return result


def alias_bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return "anchors:\n" + "\n".join("  " + line for line in lines) + "\nresources:\n  - {resourceId: x, resourceType: *a9}\n"


def test_an_alias_bomb_is_refused_at_once(capsys, store, tmp_path):
    code, out = apply_file(capsys, store, tmp_path, alias_bomb())
    assert code == 2 and "file: line 3, column 12: aliases (*a0) are not allowed; write the value out" in out


def test_any_alias_is_refused(capsys, store, tmp_path):
    text = "applications:\n  - &shop {applicationId: shop, applicationName: Shop}\n  - *shop\n"
    code, out = apply_file(capsys, store, tmp_path, text)
    assert code == 2 and "aliases (*shop) are not allowed" in out


@pytest.mark.parametrize("opening,closing", [("[", "]"), ("{a: ", "}")])
def test_nesting_deeper_than_the_schema_is_refused(capsys, store, tmp_path, opening, closing):
    text = "resources:\n  - {resourceId: x, capabilities: " + opening * 500 + "1" + closing * 500 + "}\n"
    code, out = apply_file(capsys, store, tmp_path, text)
    assert code == 2 and "nested deeper than a setup file allows (5 levels)" in out


def test_the_deepest_real_setup_still_loads():
    text = ("sendingStrategies:\n  - platform: {applicationId: shop}\n    channel: SMS\n"
            "    priorities: [{senderType: SHORT_CODE, priority: 1}]\n"
            "apiKeys:\n  - {name: k, platform: [{applicationId: shop, action: FILL}]}\n")
    assert parse_yaml(text)["apiKeys"][0]["platform"][0]["action"] == "FILL"


def test_requirements_files_are_bounded_too(capsys, tmp_path):
    db = str(tmp_path / "r.db")
    path = tmp_path / "req.yaml"
    path.write_text("companyName: " + "[" * 500 + "]" * 500 + "\n")
    capsys.readouterr()
    code = main(["--db", db, "--create", "request", "submit", "--type", "ALPHANUMERIC_REGISTRATION",
                 "--country", "GB", "--sender-name", "Big", "--requirements", str(path)])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2 and "requirements: line 1, column" in err and "nested deeper" in err
    path.write_bytes(b"x: *y\n")
    code = main(["--db", db, "request", "submit", "--requirements", str(path)])
    assert code == 2 and "aliases (*y) are not allowed" in capsys.readouterr().err


def test_a_long_value_is_quoted_in_at_most_80_characters(capsys, store, tmp_path):
    code, out = apply_file(capsys, store, tmp_path, "resources: [{resourceId: x, resourceType: " + "Z" * 100_000 + "}]\n")
    assert code == 2 and f"resources[0].resourceType: {quote('Z' * 100_000)} is not one of" in out
    assert len(quote("Z" * 100_000)) <= 80 and len(out) < 300


@pytest.mark.parametrize("encoding,offset,byte", [("latin-1", 43, "0xe9"), ("utf-16", 0, "0xff")])
def test_a_file_not_in_utf8_names_the_byte(capsys, store, tmp_path, encoding, offset, byte):
    text = "entities: [{entityId: acme, entityName: Café}]\n"
    code, out = apply_file(capsys, store, tmp_path, text.encode(encoding))
    assert code == 2 and f"file: must be UTF-8 (byte {offset} is {byte}, not UTF-8; save the file as UTF-8)" in out


def test_a_utf8_file_with_a_byte_order_mark_loads():
    assert decode_setup("\ufeffentities: []\n".encode("utf-8")) == "entities: []\n"


def test_a_file_bigger_than_the_bound_is_refused(monkeypatch, capsys, store, tmp_path):
    monkeypatch.setattr("store.setup_yaml.MAX_BYTES", 1000)
    code, out = apply_file(capsys, store, tmp_path, "entities: []\n" + "#" * 5000 + "\n")
    assert code == 2 and "file: is 1,001 bytes; a setup file is at most 1,000 bytes" in out


@pytest.mark.parametrize("value", ["+14155550199", "12345", "[a, b]", "{a: 1}", "2024-01-01", "true", "1.5"])
def test_a_value_of_the_wrong_type_says_write_it_in_quotes(capsys, store, tmp_path, value):
    code, out = apply_file(capsys, store, tmp_path, f"resources: [{{resourceId: {value}, resourceType: NUMBER}}]\n")
    assert code == 2 and "resources[0].resourceId: must be a string (write it in quotes)" in out
    code, out = apply_file(capsys, store, tmp_path, f"applications: [{{applicationId: {value}}}]\n")
    assert code == 2 and "applications[0].applicationId: must be a string (write it in quotes)" in out
    code, out = apply_file(capsys, store, tmp_path, f"entities: [{{entityId: e1, entityName: {value}}}]\n")
    assert code == 2 and "entities[0].entityName: must be a string (write it in quotes)" in out


def test_a_missing_value_is_still_required(capsys, store, tmp_path):
    code, out = apply_file(capsys, store, tmp_path, "resources: [{resourceType: NUMBER}]\n")
    assert code == 2 and "resources[0].resourceId: is required" in out


def test_duplicate_keys_in_one_mapping_are_refused(capsys, store, tmp_path):
    code, out = apply_file(capsys, store, tmp_path, "applications: [{applicationId: dk1, applicationId: dk2}]\n")
    assert code == 2 and "file: line 1, column 37: duplicate key 'applicationId' in one mapping" in out
    with pytest.raises(InvalidInput, match="duplicate key 'apiKeys'"):
        parse_yaml("apiKeys: []\napiKeys: []\n")
