"""Storing sticky bindings: a new binding goes in only where the recipient has none, a replacement
only while the binding still names the sender it replaces; the bindings not stored are reported."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlmodel import select

from store.db import Store
from store.routing.persist import upsert_sticky
from store.tables import StickyBinding

AT = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _key(to: str) -> tuple:
    return ("default", "", "SMS", to)


def _stored(store: Store) -> dict:
    with store.read() as session:
        return {r.destination: r.sender for r in session.exec(select(StickyBinding)).all()}


def test_every_binding_new_to_the_store_is_stored_and_none_lost(store: Store):
    bindings = {_key(f"+1415555{n:04d}"): (f"S{n % 3}", AT, None) for n in range(50)}
    with store.write() as session:
        sequence, lost = upsert_sticky(session, bindings)
    assert sequence is not None and lost == set()
    assert _stored(store) == {k[3]: v[0] for k, v in bindings.items()}


def test_bindings_another_writer_stored_first_are_lost_and_replacements_compare_and_set(store: Store):
    with store.write() as session:
        upsert_sticky(session, {_key("+14155550001"): ("FIRST", AT, None), _key("+14155550002"): ("OLD", AT, None),
                                _key("+14155550003"): ("OTHER", AT, None)})
    batch = {
        _key("+14155550001"): ("MINE", AT, None),   # stored by someone else first: lost
        _key("+14155550004"): ("MINE", AT, None),   # new: stored
        _key("+14155550002"): ("NEW", AT, "OLD"),   # replaces OLD: overwritten
        _key("+14155550003"): ("NEW", AT, "GONE"),  # replaces a sender no longer there: left alone
        _key("+14155550005"): ("NEW", AT, "OLD"),   # a replacement whose binding is gone: inserted
    }
    with store.write() as session:
        _, lost = upsert_sticky(session, batch)
    assert lost == {_key("+14155550001")}
    assert _stored(store) == {"+14155550001": "FIRST", "+14155550002": "NEW", "+14155550003": "OTHER",
                              "+14155550004": "MINE", "+14155550005": "NEW"}
