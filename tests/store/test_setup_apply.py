"""apply of a file's text: the same file on an unchanged store answers at once; any change is seen."""

from __future__ import annotations

import pytest

from store import setup_apply
from store.db import Store
from store.errors import StoreError
from store.platforms import rename_application
from store.setup_apply import apply_text
from store.setup_export import dump_setup, export_setup

from .test_demo_setup import demo_data


@pytest.fixture
def text() -> str:
    return dump_setup(demo_data())


def refuse_to_parse(monkeypatch):
    def boom(_text):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(setup_apply, "load_setup", boom)


def test_the_same_file_again_is_nothing_to_change_without_reading_it(store: Store, text, monkeypatch):
    first = apply_text(store, text)
    assert len(first.created) > 50 and not first.changed
    refuse_to_parse(monkeypatch)
    assert apply_text(store, text).unchanged


def test_a_change_made_since_is_seen_and_undone(store: Store, text):
    apply_text(store, text)
    with store.write() as session:
        rename_application(session, "shop", "Renamed elsewhere")
    report = apply_text(store, text)
    assert report.changed == ["application shop"] and not report.created
    wanted = next(a for a in demo_data()["applications"] if a["applicationId"] == "shop")["applicationName"]
    with store.read() as session:
        names = {a["applicationId"]: a["applicationName"] for a in export_setup(session)["applications"]}
    assert names["shop"] == wanted != "Renamed elsewhere"
    assert apply_text(store, text).unchanged


def test_another_file_is_read(store: Store, text, monkeypatch):
    apply_text(store, text)
    other = text + "\n# a comment changes the text, not the setup\n"
    assert apply_text(store, other).unchanged
    refuse_to_parse(monkeypatch)
    assert apply_text(store, other).unchanged  # now remembered instead of the first
    with pytest.raises(AssertionError, match="read again"):
        apply_text(store, text)


def test_a_refused_file_is_not_remembered(store: Store, text):
    bad = text.replace("applicationId: shop\n", "applicationId: 'no spaces allowed'\n", 1)
    for _ in range(2):
        with pytest.raises(StoreError, match=r"applications\[\d+\]\.applicationId"):
            apply_text(store, bad)
    with store.read() as session:
        assert [a["applicationId"] for a in export_setup(session)["applications"]] == ["default"]


def test_prepare_can_let_the_parsed_resources_go_as_it_prepares_them():
    """apply_text prepares with `release`: the parsed and prepared resources are never all held at once."""
    import copy

    from store.setup_file import prepare_setup

    data = demo_data()
    kept = prepare_setup(copy.deepcopy(data))
    released_from = copy.deepcopy(data)
    released = prepare_setup(released_from, release=True)
    assert released.resources == kept.resources and len(kept.resources) == len(data["resources"]) > 0
    assert released_from["resources"] == [None] * len(data["resources"])
    assert "resources" not in kept.data and kept.data == {k: v for k, v in data.items() if k != "resources"}
    untouched = copy.deepcopy(data)
    prepare_setup(untouched)
    assert untouched == data
