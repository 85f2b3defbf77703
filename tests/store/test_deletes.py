"""Deleting, row by row of DOMAIN.md's cascade, and `preview_delete` telling exactly what a delete does."""

from datetime import datetime, timezone

import pytest
from sqlmodel import select

from store.db import Store
from store.deletes import delete, preview_delete
from store.errors import CannotDeleteDefault, InvalidInput, NotFound
from store.keys import get_api_key, key_links
from store.platforms import get_application, get_entity
from store.resources import get_resource
from store.strategies import find_strategy
from store.tables import (
    InboundConfiguration,
    ResourceAssociation,
    SenderUsage,
    SendingStrategy,
    StickyBinding,
)

from .sample_setup import CA_NUMBER, SHOP_NUMBER, SHOP_NUMBER_2, SHORT_CODE, TOLL_FREE, export, load_sample

BINDINGS = [
    ("shop", "bigcola", "+14155551001", SHORT_CODE),
    ("shop", "", "+14155551002", SHOP_NUMBER_2),
    ("shop", "", "+14155551003", SHOP_NUMBER),
    ("bank", "acme", "+16135551004", CA_NUMBER),
]


@pytest.fixture
def sample(store: Store) -> Store:
    """The sample setup plus sticky bindings and sender usage, as traffic would leave them."""
    load_sample(store)
    with store.write(bump=False) as session:
        for app, entity, destination, sender in BINDINGS:
            session.add(StickyBinding(application_id=app, entity_key=entity, channel="SMS", destination=destination,
                                      sender=sender, bound_at=datetime(2026, 1, 1, tzinfo=timezone.utc)))
        session.add(SenderUsage(resource_id=SHOP_NUMBER, last_used=7))
    return store


def state(store: Store) -> dict:
    """Everything a delete may touch: the export plus sticky bindings and sender usage."""
    with store.read() as session:
        sticky = sorted((b.application_id, b.entity_key, b.destination, b.sender)
                        for b in session.exec(select(StickyBinding)).all())
        usage = sorted(u.resource_id for u in session.exec(select(SenderUsage)).all())
    return {"setup": export(store), "sticky": sticky, "usage": usage}


def _delete(store: Store, kind: str, ident: str):
    with store.write() as session:
        return delete(session, kind, ident)


def _associations(store: Store) -> set[tuple]:
    with store.read() as session:
        return {(a.resource_id, a.channel, a.application_id, a.entity_id)
                for a in session.exec(select(ResourceAssociation)).all()}


def _inbound(store: Store) -> set[tuple]:
    with store.read() as session:
        return {(c.resource_id, c.keyword, c.application_id, c.entity_id)
                for c in session.exec(select(InboundConfiguration)).all()}


def _strategies(store: Store) -> set[tuple]:
    with store.read() as session:
        return {(s.application_id, s.entity_id, s.channel, s.default_sender)
                for s in session.exec(select(SendingStrategy)).all()}


def _key(store: Store, name: str) -> tuple:
    with store.read() as session:
        key = get_api_key(session, name)
        return key.enabled, [(l.application_id, l.entity_id, l.action) for l in key_links(session, name)]


def _number(store: Store, number: str) -> tuple:
    with store.read() as session:
        row = get_resource(session, number)
        return row.application_id, row.entity_id


def _sticky(store: Store) -> list[tuple]:
    return [(app, entity, sender) for app, entity, _dest, sender in state(store)["sticky"]]


def test_deleting_an_application(sample: Store):
    impact = _delete(sample, "application", "shop")
    with sample.read() as session, pytest.raises(NotFound):
        get_application(session, "shop")
    # Numbers whose number-level app is shop go back to default, entity null.
    assert _number(sample, SHOP_NUMBER) == ("default", None)
    assert _number(sample, SHOP_NUMBER_2) == ("default", None)
    assert _number(sample, CA_NUMBER) == ("bank", "acme")
    # Every association, strategy and sticky binding naming shop is removed, the others stay.
    assert _associations(sample) == {(CA_NUMBER, "SMS", "bank", "acme"), ("InfoSMS", "SMS", "bank", None)}
    assert _strategies(sample) == {("bank", "acme", "SMS", None)}
    assert _sticky(sample) == [("bank", "acme", CA_NUMBER)]
    # Inbound configurations naming shop fall back to the number; the bank one stays.
    assert _inbound(sample) == {(SHOP_NUMBER, "JOIN", None, None), (SHOP_NUMBER, None, None, None),
                                (SHOP_NUMBER_2, "LOAN", "bank", "acme")}
    # Key links naming shop go; a key that loses its last link is disabled, never widened.
    assert _key(sample, "bigcola-prod") == (False, [])
    assert _key(sample, "shop-and-bank") == (True, [("bank", None, None)])
    assert _key(sample, "admin") == (True, [])
    # Entities are not the application's: they stay.
    with sample.read() as session:
        assert get_entity(session, "bigcola").entity_name == "BigCola"
    assert impact.numbers_reset == [SHOP_NUMBER, SHOP_NUMBER_2]
    assert impact.keys_disabled == ["bigcola-prod"]
    assert impact.sticky_removed == 3


def test_deleting_an_entity_takes_whole_pairs(sample: Store):
    impact = _delete(sample, "entity", "bigcola")
    with sample.read() as session, pytest.raises(NotFound):
        get_entity(session, "bigcola")
    with sample.read() as session:
        assert get_application(session, "shop").application_name == "Shop"
    # The number named shop/bigcola loses both halves, not just the entity.
    assert _number(sample, SHOP_NUMBER) == ("default", None)
    assert _number(sample, SHOP_NUMBER_2) == ("shop", None)
    # Pair associations and strategies go whole: nothing is widened to shop alone.
    assert _associations(sample) == {
        (SHOP_NUMBER_2, "SMS", "shop", None), (CA_NUMBER, "SMS", "bank", "acme"),
        ("InfoSMS", "SMS", "bank", None), ("mail.example.com", "EMAIL", "shop", None),
    }
    assert _strategies(sample) == {("shop", None, None, TOLL_FREE), ("bank", "acme", "SMS", None)}
    with sample.read() as session:
        assert find_strategy(session, "shop", None, "SMS", "US") is None
    # The JOIN configuration named shop/bigcola: it goes back to the number whole.
    assert _inbound(sample) == {(SHOP_NUMBER, "JOIN", None, None), (SHOP_NUMBER, None, "shop", None),
                                (SHOP_NUMBER_2, "LOAN", "bank", "acme")}
    # The key linked only to shop/bigcola is disabled, not widened to shop.
    assert _key(sample, "bigcola-prod") == (False, [])
    assert _key(sample, "shop-and-bank") == (True, [("shop", None, "FORCE"), ("bank", None, None)])
    assert sorted(_sticky(sample)) == [("bank", "acme", CA_NUMBER), ("shop", "", SHOP_NUMBER),
                                       ("shop", "", SHOP_NUMBER_2)]
    assert impact.inbound_fallback == [f"{SHOP_NUMBER} SMS JOIN"]
    assert impact.sticky_removed == 1


def test_deleting_a_resource(sample: Store):
    impact = _delete(sample, "resource", SHOP_NUMBER)
    with sample.read() as session, pytest.raises(NotFound):
        get_resource(session, SHOP_NUMBER)
    assert SHOP_NUMBER not in {a[0] for a in _associations(sample)}
    assert {c[0] for c in _inbound(sample)} == {SHOP_NUMBER_2}
    # The strategy naming it as default sender stays, without a default sender.
    assert _strategies(sample) == {("shop", "bigcola", "SMS", None), ("shop", None, None, TOLL_FREE),
                                   ("bank", "acme", "SMS", None)}
    assert SHOP_NUMBER not in {sender for *_rest, sender in _sticky(sample)}
    assert len(_sticky(sample)) == 3
    assert state(sample)["usage"] == []
    # Nothing else: the application and entity and keys are untouched.
    assert _key(sample, "bigcola-prod") == (True, [("shop", "bigcola", "FILL")])
    assert impact.lines() == [
        "1 association removed: SMS → shop/bigcola",
        "1 strategy loses its default sender: " + impact.strategies_losing_default[0],
        "2 inbound configurations removed: SMS (catch-all), SMS JOIN",
        "1 sticky binding removed",
    ]


def test_deleting_a_strategy_or_a_key_touches_nothing_else(sample: Store):
    before = state(sample)
    with sample.read() as session:
        strategy = find_strategy(session, "bank", "acme", "SMS", None).sending_strategy_id
    assert _delete(sample, "strategy", strategy).lines() == []
    assert _delete(sample, "api-key", "shop-and-bank").lines() == []
    after = state(sample)
    assert [s for s in before["setup"]["sendingStrategies"] if s["sendingStrategyId"] != strategy] == \
        after["setup"]["sendingStrategies"]
    assert [k["name"] for k in after["setup"]["apiKeys"]] == ["admin", "bigcola-prod"]
    assert {k: v for k, v in before["setup"].items() if k not in ("sendingStrategies", "apiKeys")} == \
        {k: v for k, v in after["setup"].items() if k not in ("sendingStrategies", "apiKeys")}
    with sample.read() as session:
        assert key_links(session, "shop-and-bank") == []


def test_the_default_application_cannot_be_deleted(sample: Store):
    before = state(sample)
    with sample.read() as session, pytest.raises(CannotDeleteDefault) as caught:
        preview_delete(session, "application", "default")
    assert (caught.value.code, caught.value.field) == ("CANNOT_DELETE_DEFAULT", "applicationId")
    with pytest.raises(CannotDeleteDefault):
        _delete(sample, "application", "default")
    assert state(sample) == before


@pytest.mark.parametrize(("kind", "ident", "error"), [
    ("application", "ghost", NotFound), ("entity", "ghost", NotFound), ("resource", "+14155550199", NotFound),
    ("strategy", "A" * 32, NotFound), ("api-key", "ghost", NotFound), ("number", SHOP_NUMBER, InvalidInput),
])
def test_deleting_what_is_not_there(sample: Store, kind, ident, error):
    with pytest.raises(error):
        _delete(sample, kind, ident)


TARGETS = [("application", "shop"), ("application", "bank"), ("entity", "bigcola"), ("entity", "acme"),
           ("resource", SHOP_NUMBER), ("resource", TOLL_FREE), ("resource", "InfoSMS"), ("api-key", "admin"),
           ("strategy", None)]


@pytest.mark.parametrize(("kind", "ident"), TARGETS)
def test_preview_changes_nothing_and_equals_the_delete(sample: Store, kind, ident):
    if kind == "strategy":
        with sample.read() as session:
            ident = find_strategy(session, "shop", None, None, None).sending_strategy_id
    before, revision = state(sample), sample.revision()
    with sample.read() as session:
        preview = preview_delete(session, kind, ident)
    assert (state(sample), sample.revision()) == (before, revision)
    done = _delete(sample, kind, ident)
    assert done.as_dict() == preview.as_dict()
    assert sample.revision() == revision + 1
    after = state(sample)
    # The preview's counts are what changed.
    removed = len(before["setup"]["associations"]) - len(after["setup"]["associations"])
    assert removed == len(preview.associations_removed)
    strategies_gone = len(before["setup"]["sendingStrategies"]) - len(after["setup"]["sendingStrategies"])
    assert strategies_gone == len(preview.strategies_removed) + (kind == "strategy")
    assert len(before["sticky"]) - len(after["sticky"]) == preview.sticky_removed
    disabled = {k["name"] for k in after["setup"]["apiKeys"] if not k["enabled"]}
    assert disabled == set(preview.keys_disabled)
