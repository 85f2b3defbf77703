"""Arbitrary text, bytes and YAML thrown at `apply`, `send` and `receive` (hypothesis): each ends in a
decision (exit 0 routed or 3 rejected, JSON with its status) or in exit 2 with one `error` line that
names a field; never a traceback, and after exit 2 nothing is written (export and log unchanged).
Issue 12, the closing fuzz requirement."""

from __future__ import annotations

import json
import re
import sqlite3
import string

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.db import Store
from store.setup_file import FIELDS, SECTIONS
from tui.cli import main

from ..store.sample_setup import CA_NUMBER, SHOP_NUMBER, SHORT_CODE, TOLL_FREE, export, load_sample

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# an error line: `error CODE field: message` (argparse's own, after its usage lines: `error: argument --x: ...`)
ERROR_LINE = re.compile(r"^error [A-Z_]+ [^\s:][^:]*: \S")
ARGPARSE_LINE = re.compile(r"^error: argument (--[\w-]+|file): \S")

HOSTILE = ["[/x]", "[bold]", "[bold red]x[/]", "\x1b[2J", "\x1b]0;t\x07", "\x00", "\n", "\r\n", "\t", "é", "💥",
           "\u202e", "%s", "{0}", "' OR 1=1 --", "*a", "&a", "---", "~", "null", "yes", "no", "1e309", "0x1F",
           "-1", "0", "", " ", "x" * 300, "+14155550100", "+1555", "12345", "InfoSMS", "shop", "bank", "default",
           "bigcola", "SMS", "MMS", "VOICE", "EMAIL", "NUMBER", "ALPHA", "DOMAIN", "US", "us", "GB", "CA", "ZZ",
           "SHORT_CODE", "TEN_DIGIT_LONG_CODE", "FILL", "FORCE", "JOIN", SHOP_NUMBER, CA_NUMBER, TOLL_FREE,
           SHORT_CODE, "+447700900123", "00447700900123", "+1 415 555 0123"]
KEYS = sorted({key for fields in FIELDS.values() for key in fields} | {"platform", "priorities", "priority",
                                                                       "senderType", "action", "x", "[/x]"})

texts = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40),
                  st.text(alphabet=string.ascii_letters + string.digits + "+-._~ [/]", max_size=20))
scalars = st.one_of(texts, st.integers(-2**70, 2**70), st.floats(allow_nan=True), st.booleans(), st.none())
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.sampled_from(KEYS), texts), inner, max_size=5)),
    max_leaves=12)
rows = st.dictionaries(st.sampled_from(KEYS), values, max_size=7)
setups = st.dictionaries(st.one_of(st.sampled_from(SECTIONS), texts), st.one_of(st.lists(rows, max_size=4), values),
                         max_size=4)


def _nested(depth: int, opening: str, closing: str) -> str:
    return "resources:\n  - {resourceId: x, capabilities: " + opening * depth + "1" + closing * depth + "}\n"


def _aliases(levels: int) -> str:
    lines = ['a0: &a0 ["lol","lol"]'] + [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, levels + 1)]
    return "anchors:\n" + "\n".join("  " + line for line in lines) + f"\nresources:\n  - {{resourceType: *a{levels}}}\n"


raw_files = st.one_of(
    setups.map(lambda data: yaml.safe_dump(data, allow_unicode=True).encode()),
    setups.map(lambda data: json.dumps(data, ensure_ascii=False).encode()),  # YAML's flow style
    st.text(max_size=200).map(str.encode),
    st.binary(max_size=200),
    st.tuples(setups, st.sampled_from(["latin-1", "utf-16", "utf-8-sig", "utf-32"])).map(
        lambda pair: yaml.safe_dump(pair[0], allow_unicode=True).encode(pair[1], errors="replace")),
    st.tuples(st.integers(1, 600), st.sampled_from([("[", "]"), ("{a: ", "}"), ("- ", "")])).map(
        lambda pair: _nested(pair[0], *pair[1]).encode()),
    st.integers(0, 12).map(lambda levels: _aliases(levels).encode()),
    st.sampled_from([b"", b"~", b"[]", b"- 1", b"resources: 1", b"resources: {a: 1}", b"!!python/object:os.system x",
                     b"resources: !!binary aGk=", b"resources:\n  - !!set {a, b}", b"? [a]\n: 1", b"<<: {a: 1}",
                     b"%YAML 1.1\n---\nresources: []", b"--- 1\n--- 2", b"\xef\xbb\xbfapplications: []",
                     b"applications:\n  - {applicationId: shop, applicationId: bank}"]),
)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("fuzz") / "store.db")
    store = Store.open(path)
    load_sample(store)
    store.dispose()
    return path


def _log_count(db: str) -> int:
    connection = sqlite3.connect(db)
    try:
        return connection.execute("SELECT count(*) FROM messagelog").fetchone()[0]
    finally:
        connection.close()


def _state(db: str) -> tuple[dict, int]:
    store = Store.open(db)
    try:
        return export(store), _log_count(db)
    finally:
        store.dispose()


def _run(capsys, db: str, argv: list[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main(["--db", db, *argv])
    except SystemExit as exc:  # argparse refusing a flag
        code = exc.code
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out, (argv, out.err)
    return code, out.out, out.err


def _assert_refused(code, out, err, argv, before, db) -> None:
    """Exit 2: one error line naming the field (argparse: the flag), nothing written."""
    assert code == 2, (argv, code, out, err)
    lines = err.splitlines()
    if lines and lines[0].startswith("usage:"):
        assert ARGPARSE_LINE.match(lines[-1]), (argv, err)
    else:
        assert len(lines) == 1 and ERROR_LINE.match(lines[0]), (argv, err)
    assert _state(db) == before, argv  # no partial write


@FUZZ
@given(content=raw_files)
def test_apply_takes_any_file(capsys, db, tmp_path_factory, content):
    path = tmp_path_factory.mktemp("setup") / "setup.yaml"
    path.write_bytes(content)
    before = _state(db)
    code, out, err = _run(capsys, db, ["apply", str(path)])
    if code == 0:
        assert err == "" and out.rstrip().endswith((" changed", ": nothing to change")), (content, out, err)
        assert _state(db)[1] == before[1]  # a setup file never writes the log
    else:
        _assert_refused(code, out, err, content, before, db)


def _flag(name: str, values) -> st.SearchStrategy:
    return st.one_of(st.just([]), values.map(lambda value: [f"{name}={value}"]))


numbers = st.one_of(texts, st.sampled_from([SHOP_NUMBER, CA_NUMBER, TOLL_FREE, SHORT_CODE, "+447700900123",
                                            "+4915112345678", "+14155550123", "InfoSMS"]))
ids = st.one_of(texts, st.sampled_from(["shop", "bank", "default", "bigcola", "acme", "nobody"]))
channels = st.sampled_from(["SMS", "MMS", "VOICE", "EMAIL", "sms", "", "[/x]"])
no_stdin = texts.filter(lambda t: t.strip() != "-")  # `--api-key -` reads the secret from standard input
profiles = st.one_of(texts, st.sampled_from(["default", "reliable", "flaky", ".", "/", "/dev/null", "/nonexistent"]))
switches = st.lists(st.sampled_from(["--explain", "--json"]), unique=True)


def _decision_or_refusal(capsys, db, argv, explain: bool) -> None:
    before = _state(db)
    code, out, err = _run(capsys, db, argv)
    if code in (0, 3):
        if "--json" in argv:
            decision = json.loads(out)
            assert decision["status"] == ("ROUTED" if code == 0 else "REJECTED"), (argv, out)
        else:
            assert out.strip(), argv
        setup, logged = _state(db)
        assert logged == before[1] + (0 if explain else 1), argv  # one log row (none when only explained)
        if not any(flag.startswith("--entity=") for flag in argv) or explain:  # (an unknown entity is created)
            assert setup == before[0], argv
    else:
        _assert_refused(code, out, err, argv, before, db)


@FUZZ
@given(to=numbers, sender=st.one_of(st.just([]), numbers.map(lambda n: [f"--from={n}"])),
       application=_flag("--application", ids), entity=_flag("--entity", ids), channel=_flag("--channel", channels),
       text=_flag("--text", texts), key=_flag("--api-key", no_stdin), delivery=_flag("--delivery", profiles),
       extra=switches)
def test_send_takes_any_flags(capsys, db, to, sender, application, entity, channel, text, key, delivery, extra):
    argv = ["send", f"--to={to}", *sender, *application, *entity, *channel, *text, *key, *delivery, *extra]
    _decision_or_refusal(capsys, db, argv, explain="--explain" in extra)


@FUZZ
@given(sender=numbers, to=numbers, channel=_flag("--channel", channels),
       text=_flag("--text", st.one_of(texts, st.sampled_from(["JOIN", "join now", "LOAN 5", "STOP"]))),
       json_flag=st.sampled_from([[], ["--json"]]))
def test_receive_takes_any_flags(capsys, db, sender, to, channel, text, json_flag):
    argv = ["receive", f"--from={sender}", f"--to={to}", *channel, *text, *json_flag]
    _decision_or_refusal(capsys, db, argv, explain=False)
