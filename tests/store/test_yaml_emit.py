"""The fast export writer (store/yaml_emit.py) writes exactly PyYAML's text, byte for byte.

The reference is the PyYAML dump export used before (`setup_export._dump`, libyaml's emitter with
export's representer): on the demo store, on a generated store, on hostile strings, and on
hypothesis-made items of random text.
"""

from __future__ import annotations

import io
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import setup_export, yaml_emit
from store.bench_setup_data import setup_data
from store.db import Store
from store.setup_export import dump_setup, export_setup, write_setup
from store.setup_file import apply_setup, load_setup

from .test_demo_setup import demo_data

LOOKS_LIKE_SOMETHING = ["yes", "No", "on", "OFF", "y", "n", "true", "False", "null", "Null", "NULL", "~", "123",
                        "-7", "+1", "1_000", "0x1F", "0o17", "0b101", "017", "1e5", "1.5", "1.5e+3", ".5", ".inf",
                        "-.Inf", ".NaN", "190:20:30", "2026-12-03", "2026-12-03 10:00:00", "2026-12-03T10:00:00Z",
                        "=", "<<", "+14155550100", "12345", "+", "-", "."]
HOSTILE = ["", " ", "  ", " lead", "trail ", "two  spaces", "a: b", "a:b", "a :b", "- x", "-x", "x -", "#tag",
           "a #b", "a#b", "it's", "'", "''", 'say "hi"', '"', "back\\slash", "é ünïcode ☎", "\u00a0nbsp",
           "\ufeffbom", "tab\there", "new\nline", "cr\rx", "nul\x00", "esc\x1b[2J", "bell\x07", "del\x7f",
           "\x85next", "\u2028ls",
           "[x]", "{x}", "a,b", "a, b", "?", "? x", "x?", "!bang", "&amp", "*star", "%pct", "@at", "`tick", "|pipe",
           ">fold", "---", "...", "--- x", "... x", "(paren)", ")close", "/slash", "a/b", "mail.example.com",
           "x" * 130, "two words " * 20, "y" * 500, "z " * 70, "@", "a@b", "😀", "\U0010fffe"]


def _pyyaml(items: list) -> str:
    out = io.StringIO()
    setup_export._dump(items, out)
    return out.getvalue()


def _fast(items: list) -> str:
    out = io.StringIO()
    setup_export._write_items(items, out)
    return out.getvalue()


def _rows_of(value) -> list[dict]:
    return [{"entityId": value}, {"entityId": "e1", "entityName": value}, {"capabilities": [value, "SMS"]},
            {"destinationCountries": ["US", value]}, {value: "x"} if isinstance(value, str) and value else {"k": 1}]


def test_a_resource_row_takes_the_fast_path_and_reads_back():
    row = setup_data(3)["resources"][0]
    text = yaml_emit.item_text(row)
    assert text is not None and text.startswith(f"- resourceId: '{row['resourceId']}'\n  resourceType: NUMBER\n")
    assert text == _pyyaml([row])
    assert load_setup(f"resources:\n{text}")["resources"] == [row]


def test_strings_that_read_as_other_types_are_quoted_as_pyyaml_quotes_them():
    for value in LOOKS_LIKE_SOMETHING:
        for items in _rows_of(value):
            assert _fast([items]) == _pyyaml([items]), value
    assert yaml_emit.scalar("yes") == "'yes'" and yaml_emit.scalar("Entity 0001") == "Entity 0001"


def test_hostile_strings_are_written_as_pyyaml_writes_them():
    for value in HOSTILE:
        for items in _rows_of(value):
            assert _fast([items]) == _pyyaml([items]), repr(value)


def test_other_values_and_shapes():
    items = [{"a": None, "b": True, "c": False, "d": 0, "e": -12, "f": 10**30, "g": [], "h": [None, True, 3]},
             {"x": 1.5}, {"p": {"applicationId": "a", "entityId": None}}, {"q": [{"senderType": "SMS", "priority": 1}]},
             {}, {"n": [[1, 2]]}, {3: "int key"}, {None: "null key"}, {"yes": "bool-looking key"}]
    assert _fast(items) == _pyyaml(items)


def test_lines_near_the_width_are_written_as_pyyaml_writes_them():
    for width in range(100, 135):
        for word in ("x", "ab cd"):
            value = (word * width)[: width - len("- entityName: ")]
            for items in ([{"entityName": value}], [{"entityName": value.rstrip()}], [{"entityName": "+" + value}],
                          [{"capabilities": [value[: width // 3]] * 3}]):
                assert _fast(items) == _pyyaml(items), (width, word)


SIMPLE = string.ascii_letters + string.digits + " _+-./()@"
PLAIN_TEXT = st.text(alphabet=SIMPLE, max_size=30)
# Text built of pieces that each matter to the emitter: indicators, spaces, quotes, words and numbers.
PIECES = ["a", "Z", "0", "9", "_", "+", "-", ".", "/", "(", ")", "@", " ", "  ", ":", ": ", "#", " #", "'", '"',
          ",", "[", "]", "{", "}", "?", "!", "&", "*", "%", "`", "|", ">", "\\", "\t", "\n", "é", "☎", "\x1b",
          "yes", "null", "1", "1.5", "0x1F", "2026-12-03", "~", "---", "..."]
MIXED = st.lists(st.sampled_from(PIECES), max_size=5).map("".join)
ODD_TEXT = st.one_of(
    MIXED, MIXED, MIXED, MIXED,
    st.text(alphabet=SIMPLE + ":#'\",[]{}?!&*%`|>\\\t\n", max_size=30),
    st.text(max_size=20),
    st.text(alphabet=SIMPLE, min_size=90, max_size=140),
    st.sampled_from(LOOKS_LIKE_SOMETHING + HOSTILE),
)
FIELD = st.sampled_from(["resourceId", "entityName", "capabilities", "country", "numberKey"])


def _values(text):
    scalar = st.one_of(text, st.none(), st.booleans(), st.integers())
    return st.one_of(scalar, st.lists(scalar, max_size=4))


# Mostly items of plain-looking text (the fast path), each with at most one odd key or value, so a
# wrong fast answer is not hidden by another value sending the whole item to PyYAML.
ITEM = st.builds(lambda base, odd: {**base, **odd},
                 st.dictionaries(FIELD, _values(PLAIN_TEXT), min_size=1, max_size=5),
                 st.dictionaries(st.one_of(FIELD, FIELD, ODD_TEXT), st.one_of(ODD_TEXT, _values(ODD_TEXT)),
                                 max_size=1))


@settings(max_examples=500, deadline=None, database=None)
@given(st.lists(ITEM, min_size=1, max_size=4))
def test_random_items_are_written_as_pyyaml_writes_them(items):
    assert _fast(items) == _pyyaml(items)


@settings(max_examples=600, deadline=None, database=None)
@given(st.one_of(MIXED, ODD_TEXT, PLAIN_TEXT))
def test_random_text_alone_is_written_as_pyyaml_writes_it(text):
    """One value per item, so PyYAML writing another value of the item cannot hide a wrong fast answer."""
    for items in _rows_of(text):
        assert _fast([items]) == _pyyaml([items])


def _streamed(store: Store) -> str:
    out = io.StringIO()
    with store.read() as session:
        write_setup(session, out)
    return out.getvalue()


def _dumped(store: Store) -> str:
    """The reference: PyYAML's dump of the whole setup in one call, as export wrote it before."""
    out = io.StringIO()
    with store.read() as session:
        setup_export._dump(export_setup(session), out)
    return out.getvalue()


def test_demo_store_exports_the_pyyaml_text(store: Store):
    with store.write() as session:
        apply_setup(session, demo_data())
    assert _streamed(store) == _dumped(store)


def test_generated_store_exports_the_pyyaml_text(store: Store):
    with store.write() as session:
        apply_setup(session, setup_data(3_000))
    text = _streamed(store)
    assert text == _dumped(store) and text.count("\n  numberKey: ") == 3_000
    with store.read() as session:
        assert dump_setup(export_setup(session)) == text


def test_dump_setup_writes_the_pyyaml_text():
    data = setup_data(300)
    data["entities"] += [{"entityId": f"odd{i}", "entityName": name} for i, name in enumerate(HOSTILE)]
    data["empty"], data["yes"] = [], [{"a": 1}]
    odd = ({}, {"a": {"b": 1}}, {"a": [1, "x", None]}, {1: [{"a": 1}]}, {"a b": [{"c": [1]}]}, {"a": [{"x": 1}, 2]}, [1])
    for case in (data, *odd):
        assert dump_setup(case) == _pyyaml(case), case


@settings(max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=SIMPLE + ":#'\"é☎ ", min_size=1, max_size=40).filter(str.strip), max_size=8))
def test_store_with_odd_names_exports_the_pyyaml_text(store: Store, names):
    with store.write() as session:
        apply_setup(session, {"applications": [{"applicationId": f"a{i}", "applicationName": name}
                                               for i, name in enumerate(names)]})
    assert _streamed(store) == _dumped(store)
