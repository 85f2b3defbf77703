"""The fast setup-file reader gives exactly `yaml.safe_load`'s values, or leaves the file to the careful one."""

from __future__ import annotations

import datetime

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from store import yaml_fast
from store.errors import InvalidInput
from store.setup_yaml import parse_yaml

pytestmark = pytest.mark.skipif(not yaml_fast.AVAILABLE, reason="libyaml is not installed")

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30),
                    st.sampled_from(["yes", "no", "on", "0o17", "0x1f", "1_000", "2026-01-02", "~", "null", ".inf",
                                     "2026-01-02T10:00:00+02:00", "1e3", "-", "'", '"', "#", ": x"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(values, st.sampled_from([None, False, True]))
def test_values_are_safe_loads(data, flow):
    text = yaml.safe_dump({"section": [data]}, default_flow_style=flow, allow_unicode=True)
    assert yaml_fast.load(text, 8) == yaml.safe_load(text)


@pytest.mark.parametrize("text", [
    "a: !!str 12\nb: ! 12\nc: !!int '7'\nd: !!float 1\n",
    "when: 2026-01-02 10:00:00\nday: 2026-01-02\nbin: !!binary aGk=\n",
    "'quoted key': \"x\\ty\"\n? plain\n: value\n",
    "- [a, {b: c}, []]\n- {}\n",
    "",
    "---\nonly: one\n...\n",
    "just a scalar\n",
])
def test_plain_documents_read_as_safe_load(text):
    assert yaml_fast.load(text, 8) == yaml.safe_load(text)
    assert parse_yaml(text, 8) == yaml.safe_load(text)


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",          # anchor and alias
    "base: &b {x: 1}\nc:\n  <<: *b\n",
    "a: 1\na: 2\n",              # a repeated key
    "a: 1\n1: 2\ntrue: 3\n",     # keys equal in Python (1 == True)
    "? [a, b]\n: c\n",           # a complex key
    "a: !custom x\n",
    "a: !!set {x, y}\n",
    "one: 1\n---\ntwo: 2\n",
    "a: [[[[[[[[[x]]]]]]]]]\n",  # deeper than allowed
])
def test_anything_unusual_is_left_to_the_careful_loader(text):
    with pytest.raises(yaml_fast.NotPlain):
        yaml_fast.load(text, 8)


def test_the_careful_loader_then_words_the_refusal():
    with pytest.raises(InvalidInput, match=r"line 2, column 4: aliases \(\*x\) are not allowed"):
        parse_yaml("a: &x 1\nb: *x\n")
    with pytest.raises(InvalidInput, match="duplicate key 'a'"):
        parse_yaml("a: 1\na: 2\n")
    assert parse_yaml("a: 1\n1: 2\ntrue: 3\n") == {"a": 1, 1: 3}  # what safe_load makes of it


def test_a_big_plain_file_needs_no_node_tree():
    items = [{"resourceId": f"+1212555{i:04d}", "resourceType": "NUMBER", "capabilities": ["SMS", "MMS"],
              "validFrom": datetime.date(2026, 1, 2)} for i in range(3_000)]
    text = yaml.safe_dump({"resources": items}, sort_keys=False)
    loaded = yaml_fast.load(text, 6)
    assert loaded == yaml.safe_load(text)
    first, second = loaded["resources"][:2]
    assert first["resourceType"] is second["resourceType"]  # short repeated words share one copy
