"""Every write is one transaction, and the revision grows with setup changes only."""

import pytest
from sqlmodel import select

from store.associations import create_association
from store.db import Store, mark_changed
from store.deletes import delete
from store.errors import DuplicateId, NotFound, StoreError
from store.platforms import create_application, create_entity, get_application, list_applications, rename_application
from store.resources import add_resource
from store.tables import Application, SenderUsage

from .sample_setup import SHOP_NUMBER, export, load_sample


def test_a_failing_rule_leaves_every_row_as_it_was(store: Store):
    load_sample(store)
    before, revision = export(store), store.revision()
    with pytest.raises(NotFound), store.write() as session:
        create_application(session, "new-app", "New")
        rename_application(session, "shop", "Renamed")
        add_resource(session, "+14155550177", "NUMBER", application_id="new-app")
        delete(session, "entity", "bigcola")
        create_association(session, "NUMBER", "+14155550177", "SMS", "ghost")  # fails last
    assert export(store) == before
    assert store.revision() == revision


def test_a_database_error_rolls_back_too(store: Store):
    with pytest.raises(Exception) as caught, store.write() as session:
        create_entity(session, "acme")
        session.add(Application(application_id="default", application_name="Clash"))  # primary key clash
        session.flush()
    assert not isinstance(caught.value, StoreError)
    with store.read() as session:
        assert session.exec(select(Application)).all()[0].application_name == "Default"
        assert list_applications(session).paging["totalResults"] == 1
    with store.write() as session:  # and the store still works
        create_entity(session, "acme")


def test_any_exception_in_the_block_rolls_back(store: Store):
    with pytest.raises(KeyError), store.write() as session:
        create_application(session, "shop")
        raise KeyError("caller's own failure")
    with store.read() as session, pytest.raises(NotFound):
        get_application(session, "shop")


def test_revision_grows_with_setup_changes_only(store: Store):
    start = store.revision()
    assert start >= 1
    with store.write() as session:
        create_application(session, "shop")
    assert store.revision() == start + 1
    with store.write() as session:
        rename_application(session, "shop", get_application(session, "shop").application_name)  # same name
    assert store.revision() == start + 1
    with store.write():
        pass
    with store.write(bump=False) as session:
        session.add(SenderUsage(resource_id="+14155550100", last_used=1))
    assert store.revision() == start + 1
    with pytest.raises(DuplicateId), store.write() as session:
        create_application(session, "shop")
    assert store.revision() == start + 1
    with store.write() as session:
        mark_changed(session)
    assert store.revision() == start + 2


def test_reopening_a_store_changes_nothing(store: Store):
    load_sample(store)
    before, revision = export(store), store.revision()
    again = Store.open(store.url)
    try:
        assert export(again) == before
        assert again.revision() == revision
    finally:
        again.dispose()


def test_one_store_sees_another_stores_writes(store: Store):
    other = Store.open(store.url)
    try:
        with other.write() as session:
            add_resource(session, SHOP_NUMBER, "NUMBER")
        assert store.revision() == other.revision()
        assert [r["resourceId"] for r in export(store)["resources"]] == [SHOP_NUMBER]
    finally:
        other.dispose()
