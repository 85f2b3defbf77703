"""Outbound step 1: API keys (unknown, disabled, expired, FILL, FORCE, links)."""

from __future__ import annotations

from store.db import Store
from store.routing import OutboundRequest

from .routing_setup import NY_SHOP, log_count, make_store, router, steps

KEYS = """
apiKeys:
  - {name: ops, secret: "k-ops-00000001-chosen-long-secret"}
  - {name: shop-fill, secret: "k-shop-fill-01-chosen-long-secret", platform: [{applicationId: shop, action: FILL}]}
  - {name: bigcola-fill, secret: "k-bigcola-fill-chosen-long-secret", platform: [{applicationId: shop, entityId: bigcola, action: FILL}]}
  - {name: bigcola-force, secret: "k-bigcola-force-chosen-long-secret", platform: [{applicationId: shop, entityId: bigcola, action: FORCE}]}
  - {name: pair-plain, secret: "k-pair-plain-1-chosen-long-secret", platform: [{applicationId: shop, entityId: bigcola}]}
  - {name: two-links, secret: "k-two-links-01-chosen-long-secret", platform: [{applicationId: shop, entityId: bigcola, action: FILL}, {applicationId: support, action: FILL}]}
  - {name: switched-off, secret: "k-off-00000001-chosen-long-secret", enabled: false}
  - {name: old, secret: "k-old-00000001-chosen-long-secret", validTo: "2024-12-31T00:00:00+00:00"}
  - {name: later, secret: "k-later-000001-chosen-long-secret", validFrom: "2030-01-01T00:00:00+00:00"}
"""
US = "+14155550123"


def send(store, key, application=None, entity=None):
    return router(store).send(OutboundRequest(to=US, application_id=application, entity_id=entity, api_key=key))


def test_unknown_key_is_unauthorized(store: Store):
    d = send(make_store(store, KEYS), "k-nobody-here", "shop")
    assert (d.error_code, d.error_description) == ("UNAUTHORIZED", "unknown API key")
    assert log_count(store) == 1


def test_disabled_key_is_unauthorized(store: Store):
    assert send(make_store(store, KEYS), "k-off-00000001-chosen-long-secret", "shop").error_code == "UNAUTHORIZED"


def test_expired_key_is_unauthorized(store: Store):
    d = send(make_store(store, KEYS), "k-old-00000001-chosen-long-secret", "shop")
    assert d.error_code == "UNAUTHORIZED" and "expired" in d.error_description


def test_key_not_yet_valid_is_unauthorized(store: Store):
    assert send(make_store(store, KEYS), "k-later-000001-chosen-long-secret", "shop").error_code == "UNAUTHORIZED"


def test_key_without_links_has_full_access(store: Store):
    d = send(make_store(store, KEYS), "k-ops-00000001-chosen-long-secret", "shop")
    assert (d.status, d.sender) == ("ROUTED", NY_SHOP)
    assert steps(d)["key"] == "key ops: not linked, full access"


def test_fill_gives_the_missing_application_and_entity(store: Store):
    d = send(make_store(store, KEYS), "k-bigcola-fill-chosen-long-secret")
    assert (d.application_id, d.entity_id, d.status) == ("shop", "bigcola", "ROUTED")
    assert steps(d)["key"] == "key bigcola-fill: FILL gave application shop; FILL gave entity bigcola; its link allows shop/bigcola"


def test_fill_never_overrides_given_ids(store: Store):
    d = send(make_store(store, KEYS), "k-bigcola-fill-chosen-long-secret", "shop", "pawpal")
    assert (d.error_code, d.entity_id) == ("FORBIDDEN", "pawpal")


def test_force_overrides_the_given_ids(store: Store):
    d = send(make_store(store, KEYS), "k-bigcola-force-chosen-long-secret", "support", "pawpal")
    assert (d.application_id, d.entity_id, d.status) == ("shop", "bigcola", "ROUTED")


def test_link_with_null_entity_allows_any_entity_of_its_application(store: Store):
    make_store(store, KEYS)
    assert send(store, "k-shop-fill-01-chosen-long-secret", entity="pawpal").application_id == "shop"
    assert send(store, "k-shop-fill-01-chosen-long-secret", entity="pawpal").error_code != "FORBIDDEN"
    assert send(store, "k-shop-fill-01-chosen-long-secret", "support").error_code == "FORBIDDEN"


def test_pair_link_forbids_other_pairs(store: Store):
    make_store(store, KEYS)
    assert send(store, "k-pair-plain-1-chosen-long-secret", "shop").error_code == "FORBIDDEN"  # no entity: not the pair
    assert send(store, "k-pair-plain-1-chosen-long-secret", "shop", "bigcola").status == "ROUTED"


def test_fill_is_not_applied_when_the_key_has_several_links(store: Store):
    d = send(make_store(store, KEYS), "k-two-links-01-chosen-long-secret")
    assert (d.application_id, d.error_code) == ("default", "FORBIDDEN")
    assert send(store, "k-two-links-01-chosen-long-secret", "support").error_code == "NO_SENDING_STRATEGY"  # allowed, then routed on
