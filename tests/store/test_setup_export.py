"""Streamed export: the same text as one dump, whatever the chunk size, with libyaml or without."""

from __future__ import annotations

import io

import pytest
import yaml

from store import setup_export
from store.db import Store
from store.setup_export import dump_setup, export_setup, write_setup
from store.setup_file import apply_setup, load_setup

from .test_demo_setup import demo_data

TRICKY = ["yes", "no", "123", "0x1F", "null", "~", "a: b", "- x", "#tag", "é ünïcode ☎", "it's", 'say "hi"',
          " lead", "trail ", "x" * 130, "two words " * 20, "", "@at", "*star", "&amp", "!bang", "%pct", "`tick"]


def streamed(store: Store) -> str:
    out = io.StringIO()
    with store.read() as session:
        count = write_setup(session, out)
    assert count == sum(len(items) for items in exported(store).values())
    return out.getvalue()


def exported(store: Store) -> dict:
    with store.read() as session:
        return export_setup(session)


@pytest.mark.parametrize("chunk", [1, 3, 10_000])
def test_streamed_export_equals_one_dump(store: Store, monkeypatch, chunk):
    with store.write() as session:
        apply_setup(session, demo_data())
    monkeypatch.setattr(setup_export, "CHUNK", chunk)
    assert streamed(store) == dump_setup(exported(store))
    assert load_setup(streamed(store)) == exported(store)


def test_empty_sections_are_written_as_empty_lists(store: Store):
    text = streamed(store)
    assert "inboundConfigurations: []\n" in text and "apiKeys: []\n" in text
    assert text.startswith("applications:\n- applicationId: default\n  applicationName: Default\n")


def test_libyaml_writes_what_the_pure_emitter_writes():
    """The C emitter is only a speed-up: its text is the pure-Python emitter's, byte for byte."""
    class Pure(yaml.SafeDumper):
        pass

    Pure.add_representer(list, setup_export._represent_list)
    data = demo_data()
    data["entities"] = [{"entityId": f"e{i}", "entityName": name} for i, name in enumerate(TRICKY)]
    pure = yaml.dump(data, Dumper=Pure, sort_keys=False, allow_unicode=True, width=120)
    assert setup_export._SetupDumper.__mro__[1] is getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    assert dump_setup(data) == pure
    assert load_setup(pure)["entities"][0]["entityName"] == "yes"
