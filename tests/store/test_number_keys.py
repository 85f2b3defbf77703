"""numberKey: stored once when a number is created, whatever creates it; kept by apply and export."""

from __future__ import annotations

import pytest

from store.db import Store
from store.errors import InvalidInput
from store.number_forms import derived_key
from store.number_inventory import purchase_number
from store.resources import add_resource, edit_resource, get_resource
from store.setup_apply import apply_text
from store.setup_export import dump_setup, export_setup

A, B, C = "+14155550100", "+14155550101", "+14155550102"
KEY_A = "F4B6D5A2D38C0E4D17B1A6A8E6E4D7F1"  # not derived from any number here
KEY_B = "0123456789ABCDEF0123456789ABCDEF"


def _number(rid: str, key: str | None = None) -> dict:
    item = {"resourceId": rid, "resourceType": "NUMBER", "capabilities": ["SMS"]}
    return {**item, "numberKey": key} if key else item


def _apply(store: Store, *resources: dict):
    return apply_text(store, dump_setup({"resources": list(resources)}))


def _keys(store: Store) -> dict:
    with store.read() as session:
        return {r["resourceId"]: r.get("numberKey") for r in export_setup(session)["resources"]}


def test_a_number_added_by_hand_gets_the_key_derived_from_it(store: Store):
    with store.write() as session:
        number = add_resource(session, A, "NUMBER", capabilities=["SMS"])
        short = add_resource(session, "24680", "NUMBER", number_type="SHORT_CODE", country="US", capabilities=["SMS"])
        alpha = add_resource(session, "BigCola", "ALPHA", country="HR")
    assert number.number_key == derived_key(A) == "206A9261D821E93B22B142DD37E59D9D"  # MD5 of the E.164 form, upper-case hex
    assert short.number_key == derived_key("24680") and alpha.number_key is None


def test_the_key_survives_edits(store: Store):
    with store.write() as session:
        add_resource(session, A, "NUMBER", capabilities=["SMS"])
    with store.write() as session:
        edit_resource(session, A, capabilities=["SMS", "VOICE"])
    with store.read() as session:
        assert get_resource(session, A).number_key == derived_key(A)


def test_a_purchased_number_gets_its_key(store: Store):
    with store.write() as session:
        row = purchase_number(session, A)
    assert row.number_key == derived_key(A)


def test_apply_without_keys_gives_derived_keys_and_export_writes_them(store: Store):
    report = _apply(store, _number(A), {"resourceId": "BigCola", "resourceType": "ALPHA", "country": "HR"})
    assert report.created == [f"resource {A}", "resource BigCola"]
    assert _keys(store) == {A: derived_key(A), "BigCola": None}
    with store.read() as session:
        exported = export_setup(session)["resources"]
    assert exported[0] == {"resourceId": A, "resourceType": "NUMBER", "numberKey": derived_key(A),
                           "numberType": "TEN_DIGIT_LONG_CODE", "country": "US", "capabilities": ["SMS"],
                           "destinationCountries": ["US"], "applicationId": "default"}
    assert "numberKey" not in exported[1]


def test_a_given_key_is_kept_and_upper_cased(store: Store):
    _apply(store, _number(A, KEY_A.lower()), _number(B))
    assert _keys(store) == {A: KEY_A, B: derived_key(B)}


def test_reapplying_an_export_changes_nothing(store: Store, other_store: Store):
    _apply(store, _number(A, KEY_A), _number(B), _number(C, "0" * 31 + "1"))
    with store.read() as session:
        text = dump_setup(export_setup(session))
    assert "numberKey: '00000000000000000000000000000001'" in text  # quoted, so it reads back as text
    assert apply_text(store, text + "\n# read again\n").unchanged
    assert dump_setup(export_setup_of(store)) == text
    apply_text(other_store, text)
    assert dump_setup(export_setup_of(other_store)) == text  # the keys travel to another store


def export_setup_of(store: Store) -> dict:
    with store.read() as session:
        return export_setup(session)


def test_apply_can_change_and_swap_keys(store: Store):
    _apply(store, _number(A), _number(B))
    report = _apply(store, _number(A, derived_key(B)), _number(B, derived_key(A)))
    assert report.changed == [f"resource {A}", f"resource {B}"] and not report.created
    assert _keys(store) == {A: derived_key(B), B: derived_key(A)}
    report = _apply(store, _number(A, KEY_A))
    assert report.changed == [f"resource {A}"] and _keys(store) == {A: KEY_A, B: derived_key(A)}


def _refused(store: Store, field: str, message: str, *resources: dict) -> None:
    before = export_setup_of(store)
    with pytest.raises(InvalidInput) as caught:
        _apply(store, *resources)
    assert (caught.value.field, caught.value.message) == (field, message)
    assert export_setup_of(store) == before


def test_a_key_another_number_keeps_is_refused_and_nothing_written(store: Store):
    _apply(store, _number(A, KEY_A))
    _refused(store, "resources[1].numberKey", f"{KEY_A} is already the key of {A}",
             _number(C), _number(B, KEY_A))
    _refused(store, "resources[1].numberKey", f"{KEY_A} is already the key of {B} in this file",
             _number(B, KEY_A), _number(C, KEY_A))
    # the number that holds it is given another key in the same file: the key is free
    _apply(store, _number(A, KEY_B), _number(B, KEY_A))
    assert _keys(store) == {A: KEY_B, B: KEY_A}


def test_bad_keys_are_refused_naming_the_field(store: Store):
    _refused(store, "resources[0].numberKey", "must be 32 hexadecimal characters, not 'ABC'", _number(A, "ABC"))
    _refused(store, "resources[0].numberKey", "only a NUMBER has a numberKey, not an ALPHA",
             {"resourceId": "BigCola", "resourceType": "ALPHA", "country": "HR", "numberKey": KEY_A})


def test_a_new_number_whose_derived_key_is_taken_gets_the_next_free_one(store: Store):
    _apply(store, _number(A, derived_key(B)))
    with store.write() as session:
        row = add_resource(session, B, "NUMBER", capabilities=["SMS"])
    assert row.number_key == derived_key(f"{B}#1")
    _apply(store, _number("+14155550104", derived_key("+14155550105")), _number("+14155550105"))
    keys = _keys(store)
    assert keys["+14155550105"] == derived_key("+14155550105#1") and len(set(keys.values())) == len(keys)
