"""API keys: the secret is shown once and stored only as a hash; links limit the key to platforms."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from store.db import Store
from store.errors import DuplicateId, InvalidInput, NotFound
from store.keys import (
    create_api_key,
    find_key_by_secret,
    get_api_key,
    hash_secret,
    key_links,
    list_api_keys,
    update_api_key,
)
from store.platforms import create_application, create_entity
from store.tables import ApiKey


@pytest.fixture
def shop(store: Store) -> Store:
    with store.write() as session:
        create_application(session, "shop")
        create_entity(session, "bigcola")
    return store


def _create(store: Store, *args, **kwargs):
    with store.write() as session:
        return create_api_key(session, *args, **kwargs)


def test_generated_secret_is_returned_once_and_stored_only_as_a_hash(shop: Store):
    key, secret = _create(shop, "prod")
    assert secret and len(secret) >= 24
    with shop.read() as session:
        stored = session.exec(select(ApiKey)).one()
        assert stored.secret_hash == hash_secret(secret)
        assert stored.secret_hash.startswith("sha256:") and secret not in stored.secret_hash
        assert find_key_by_secret(session, secret).name == "prod"
        assert find_key_by_secret(session, secret + "x") is None
        assert (stored.enabled, key_links(session, "prod")) == (True, [])  # no links = full access
    _, other = _create(shop, "other")
    assert other != secret


def test_given_secret_or_hash(shop: Store):
    _, secret = _create(shop, "demo", secret="k-demo-0001-chosen-long-secret")
    assert secret == "k-demo-0001-chosen-long-secret"
    _, secret = _create(shop, "imported", secret_hash=hash_secret("k-imported-1-chosen-long-secret"))
    assert secret is None  # nothing to show: only the hash is known
    with shop.read() as session:
        assert find_key_by_secret(session, "k-imported-1-chosen-long-secret").name == "imported"
    for kwargs, field in (
        (dict(secret="short"), "secret"),
        (dict(secret_hash="md5:abc"), "secretHash"),
        (dict(secret_hash="sha256:xyz"), "secretHash"),
        (dict(secret="k-long-enough-chosen-long-secret", secret_hash=hash_secret("k-long-enough-chosen-long-secret")), "secretHash"),
        (dict(enabled="yes"), "enabled"),
        (dict(valid_from="2026-01-01"), "validFrom"),
        (dict(valid_from=datetime(2026, 2, 1), valid_to=datetime(2026, 1, 1)), "validTo"),
        # 01:00 UTC, then 00:30 with no offset (taken as UTC): before it, whatever the offsets.
        (dict(valid_from=datetime(2026, 1, 1, 3, 0, tzinfo=timezone(timedelta(hours=2))),
              valid_to=datetime(2026, 1, 1, 0, 30)), "validTo"),
    ):
        with pytest.raises(InvalidInput) as caught:
            _create(shop, "bad", **kwargs)
        assert caught.value.field == field
    with shop.read() as session:
        assert [k.name for k in list_api_keys(session)] == ["demo", "imported"]


def test_links_with_fill_force_or_no_action(shop: Store):
    _create(shop, "bigcola", platform=[
        {"applicationId": "shop", "entityId": "bigcola", "action": "FILL"},
        {"applicationId": "default", "action": "FORCE"},
        {"applicationId": "shop"},
    ])
    with shop.read() as session:
        links = [(l.application_id, l.entity_id, l.action) for l in key_links(session, "bigcola")]
    assert links == [("shop", "bigcola", "FILL"), ("default", None, "FORCE"), ("shop", None, None)]


@pytest.mark.parametrize(
    ("platform", "error", "field"),
    [
        ([{"applicationId": "ghost"}], NotFound, "platform[0].applicationId"),
        ([{"applicationId": "shop", "entityId": "ghost"}], NotFound, "platform[0].entityId"),
        ([{"applicationId": "shop", "action": "SOMETIMES"}], InvalidInput, "platform[0].action"),
        ([{"applicationId": "shop"}, {"applicationId": "shop"}], InvalidInput, "platform[1]"),
        (["shop"], InvalidInput, "platform[0]"),
        ({"applicationId": "shop"}, InvalidInput, "platform"),
    ],
)
def test_bad_links_are_refused(shop: Store, platform, error, field):
    with pytest.raises(error) as caught:
        _create(shop, "bad", platform=platform)
    assert caught.value.field == field
    with shop.read() as session:
        assert list_api_keys(session) == []


def test_names_are_unique_and_known(shop: Store):
    _create(shop, "prod")
    with pytest.raises(DuplicateId) as caught:
        _create(shop, "prod")
    assert (caught.value.code, caught.value.field) == ("DUPLICATE_ID", "name")
    with shop.read() as session, pytest.raises(NotFound):
        get_api_key(session, "ghost")
    with pytest.raises(InvalidInput):
        _create(shop, "")


def test_update_links_validity_and_secret(shop: Store):
    _create(shop, "prod", secret="k-prod-00001-chosen-long-secret", platform=[{"applicationId": "shop"}])
    start = datetime(2026, 1, 1, 9, 0, tzinfo=timezone(timedelta(hours=2)))
    with shop.write() as session:
        update_api_key(session, "prod", platform=[{"applicationId": "shop", "entityId": "bigcola", "action": "FORCE"}],
                       enabled=False, valid_from=start, secret="k-prod-00002-chosen-long-secret")
    with shop.read() as session:
        key = get_api_key(session, "prod")
        assert (key.enabled, key.valid_from) == (False, datetime(2026, 1, 1, 7, 0, tzinfo=timezone.utc))
        assert [(l.entity_id, l.action) for l in key_links(session, "prod")] == [("bigcola", "FORCE")]
        assert find_key_by_secret(session, "k-prod-00001-chosen-long-secret") is None
        assert find_key_by_secret(session, "k-prod-00002-chosen-long-secret").name == "prod"
    with pytest.raises(InvalidInput) as caught, shop.write() as session:
        update_api_key(session, "prod", valid_to=datetime(2025, 1, 1))
    assert caught.value.field == "validTo"
    with pytest.raises(InvalidInput) as caught, shop.write() as session:
        update_api_key(session, "prod", secret_hash_algorithm="md5")
    with pytest.raises(NotFound), shop.write() as session:
        update_api_key(session, "ghost", enabled=True)


def test_setting_the_same_links_again_is_no_change(shop: Store):
    links = [{"applicationId": "shop", "entityId": "bigcola", "action": "FILL"}]
    _create(shop, "prod", platform=links)
    revision = shop.revision()
    with shop.write() as session:
        update_api_key(session, "prod", platform=links, enabled=True)
    assert shop.revision() == revision
