"""Sorted, filtered pages and relations, as the dashboard reads them."""

from __future__ import annotations

import pytest

from store.errors import InvalidInput, NotFound
from store.listing import all_ids, ids_starting, list_page
from store.relations import platform_relations, resource_relations
from store.setup_file import apply_setup, load_setup

SETUP = """
applications:
  - {applicationId: shop, applicationName: Shop}
  - {applicationId: alerts, applicationName: Zeta Alerts}
entities:
  - {entityId: bigcola, entityName: BigCola}
resources:
  - {resourceId: "+14155550100", resourceType: NUMBER, capabilities: [SMS, VOICE], applicationId: shop, entityId: bigcola}
  - {resourceId: "+12125550100", resourceType: NUMBER, capabilities: [SMS]}
  - {resourceId: InfoSMS, resourceType: ALPHA, country: GB}
inboundConfigurations:
  - {resourceId: "+14155550100", channel: SMS, keyword: JOIN, applicationId: alerts}
  - {resourceId: "+14155550100", channel: SMS, keyword: null, applicationId: default}
associations:
  - {resourceType: NUMBER, resourceId: "+14155550100", channel: SMS, applicationId: shop, entityId: bigcola}
  - {resourceType: NUMBER, resourceId: "+12125550100", channel: SMS, applicationId: shop, entityId: bigcola}
sendingStrategies:
  - platform: {applicationId: shop, entityId: bigcola}
    useStickySender: true
    defaultSender: "+14155550100"
apiKeys:
  - {name: prod, secret: "k-prod-0001-chosen-long-secret", platform: [{applicationId: shop, entityId: bigcola, action: FILL}]}
  - {name: open, secret: "k-open-0001-chosen-long-secret"}
"""


@pytest.fixture
def setup_store(store):
    with store.write() as session:
        apply_setup(session, load_setup(SETUP))
    return store


def test_pages_sort_both_ways_with_counts(setup_store):
    with setup_store.read() as s:
        names = [r["applicationName"] for r in list_page(s, "application", sort="applicationName").results]
        assert names == ["Default", "Shop", "Zeta Alerts"]
        down = list_page(s, "application", sort="applicationName", descending=True).results
        assert [r["applicationId"] for r in down] == ["alerts", "shop", "default"]
        shop = next(r for r in down if r["applicationId"] == "shop")
        assert (shop["numbers"], shop["associations"], shop["strategies"]) == (1, 2, 1)


def test_filter_matches_number_country_type_and_pages(setup_store):
    with setup_store.read() as s:
        assert [r["resourceId"] for r in list_page(s, "resource", query="gb").results] == ["InfoSMS"]
        assert [r["resourceId"] for r in list_page(s, "resource", query="212").results] == ["+12125550100"]
        longs = list_page(s, "resource", query="ten_digit", size=1, page=1)
        assert longs.total_results == 2 and longs.total_pages == 2
        assert longs.results[0]["resourceId"] == "+14155550100"
        assert longs.results[0]["associations"] == 1
        keys = list_page(s, "api-key", query="bigcola").results
        assert [k["name"] for k in keys] == ["prod"]
        assert keys[0]["platform"] == [{"applicationId": "shop", "entityId": "bigcola", "action": "FILL"}]


def test_bad_kind_and_sort_are_refused(setup_store):
    with setup_store.read() as s:
        with pytest.raises(InvalidInput) as err:
            list_page(s, "resource", sort="capabilities")
        assert err.value.field == "sort"
        with pytest.raises(InvalidInput):
            list_page(s, "planet")


def test_id_prefix_and_choices(setup_store):
    with setup_store.read() as s:
        assert ids_starting(s, "resource", "+1", limit=5) == ["+12125550100", "+14155550100"]
        assert ids_starting(s, "entity", "zz") == []
        assert all_ids(s, "application", limit=2) == (["alerts", "default"], True)


def test_entity_relations(setup_store):
    with setup_store.read() as s:
        rel = platform_relations(s, "entity", "bigcola")
    assert [r["resourceId"] for r in rel["numbers"]] == ["+14155550100"]
    assert rel["associationsTotal"] == 2
    assert [a["resourceId"] for a in rel["associations"]] == ["+12125550100", "+14155550100"]
    assert len(rel["strategies"]) == 1 and rel["strategies"][0]["useStickySender"] is True
    assert rel["apiKeys"] == [
        {"name": "prod", "applicationId": "shop", "entityId": "bigcola", "action": "FILL", "enabled": True}
    ]


def test_resource_relations_say_where_inbound_lands(setup_store):
    with setup_store.read() as s:
        rel = resource_relations(s, "+14155550100")
        with pytest.raises(NotFound):
            resource_relations(s, "+19999999999")
    lands = {(c["keyword"], c["landsOn"]["applicationId"], c["landsOn"]["entityId"], c["landsOn"]["level"]) for c in rel["inbound"]}
    # The catch-all names only `default`, so it takes the number-level platform.
    assert lands == {("JOIN", "alerts", None, "INBOUND_CONFIGURATION"), (None, "shop", "bigcola", "NUMBER")}
    assert rel["numberLevel"] == {"applicationId": "shop", "entityId": "bigcola"}
    assert rel["defaultSenderOf"] and rel["associations"][0]["channel"] == "SMS"
