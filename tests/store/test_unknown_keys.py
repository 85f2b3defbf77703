"""Odd keys and characters in a setup file are refused in one line naming one field (found by the
CLI fuzz test: mixed-type keys and control characters ended in tracebacks, an empty or null key named
no field)."""

from __future__ import annotations

import pytest

from store.display import QUOTE_LIMIT, quote
from store.delivery_profile import parse_profile
from store.errors import InvalidInput
from store.setup_file import load_setup, prepare_setup


@pytest.mark.parametrize("text,field", [
    ("1: []\nx: []\n", "x"),
    ("1: []\n2: []\n", "1"),
    ("null: []\n", "None"),
    ("'': []\n", "''"),
    ('"a\\nb": []\n', "'a\\nb'"),
    ("'[/x]': []\n", "'[/x]'"),
    ("x" * 300 + ": []\n", quote("x" * 300)),  # cut to ~80 characters
])
def test_an_unknown_section_is_named(text, field):
    with pytest.raises(InvalidInput) as caught:
        load_setup(text)
    assert caught.value.field == field and caught.value.message.startswith("unknown section (sections are ")
    assert "\n" not in str(caught.value) and len(caught.value.field) <= QUOTE_LIMIT


@pytest.mark.parametrize("item,field", [
    ('{1: x, "": y}', "applications[0].''"),
    ("{applicationId: a, 7: x, zz: y}", "applications[0].zz"),
    ("{applicationId: a, null: x}", "applications[0].None"),
])
def test_an_unknown_field_is_named(item, field):
    with pytest.raises(InvalidInput) as caught:
        prepare_setup(load_setup(f"applications:\n  - {item}\n"))
    assert (caught.value.field, caught.value.message) == (field, "unknown field")


@pytest.mark.parametrize("text,where", [("\x1f", "character 1: U+001F"), ("a: '\x1b[2J'\n", "character 5: U+001B")])
def test_a_control_character_is_refused_in_one_line(text, where):
    """PyYAML's reader refused it as the loader was made, outside the worded refusals: a traceback."""
    with pytest.raises(InvalidInput) as caught:
        load_setup(text)
    assert str(caught.value) == f"file: not valid YAML ({where} is not allowed in a YAML file)"


def test_a_control_character_in_a_delivery_profile_is_one_plain_line():
    with pytest.raises(InvalidInput) as caught:
        parse_profile("mix: '\x1b[2J'\n")
    assert str(caught.value) == "not valid YAML (character 7: U+001B is not allowed in a YAML file)"
