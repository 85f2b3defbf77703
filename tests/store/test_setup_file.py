"""Setup files: apply (all or nothing, idempotent, errors naming the item), export, round trips."""

import pytest

from store.db import Store
from store.errors import InvalidInput, NotFound, StoreError
from store.keys import find_key_by_secret
from store.setup_file import ApplyReport, apply_setup, dump_setup, export_setup, load_setup

from .sample_setup import SHOP_NUMBER, export, load_sample, sample_setup

CONTRACT_EXAMPLE = """\
applications:
  - {applicationId: shop, applicationName: Shop}
entities:
  - {entityId: bigcola, entityName: BigCola}
resources:
  - {resourceId: "+14155550100", resourceType: NUMBER, numberType: TEN_DIGIT_LONG_CODE,
     capabilities: [SMS, MMS, VOICE], applicationId: shop, entityId: bigcola}
  - {resourceId: "12345", resourceType: NUMBER, numberType: SHORT_CODE, country: US, capabilities: [SMS]}
  - {resourceId: InfoSMS, resourceType: ALPHA, country: GB, destinationCountries: [GB, HR]}
  - {resourceId: mail.example.com, resourceType: DOMAIN}
inboundConfigurations:
  - {resourceId: "+14155550100", channel: SMS, keyword: JOIN, applicationId: shop, entityId: bigcola}
  - {resourceId: "+14155550100", channel: SMS, keyword: null, applicationId: shop}
associations:
  - {resourceType: NUMBER, resourceId: "+14155550100", channel: SMS, applicationId: shop, entityId: bigcola}
sendingStrategies:
  - platform: {applicationId: shop, entityId: bigcola}
    channel: SMS
    destinationCountryCode: US
    useStickySender: true
    useGeolocatedSender: true
    priorities: [{senderType: SHORT_CODE, priority: 1}]
    defaultSender: "+14155550100"
apiKeys:
  - {name: bigcola-prod, secret: "k-bigcola-prod-0001", platform: [{applicationId: shop, entityId: bigcola, action: FILL}]}
"""


def apply(store: Store, data: dict) -> ApplyReport:
    with store.write() as session:
        return apply_setup(session, data)


def test_the_contract_example_applies(store: Store):
    report = apply(store, load_setup(CONTRACT_EXAMPLE))
    assert report.created == [
        "application shop", "entity bigcola", "resource +14155550100", "resource 12345", "resource InfoSMS",
        "resource mail.example.com", "inbound +14155550100 SMS JOIN", "inbound +14155550100 SMS (catch-all)",
        f"association {SHOP_NUMBER} SMS → shop/bigcola", f"strategy {report.created[9].split()[1]}",
        "API key bigcola-prod",
    ]
    assert report.changed == [] and report.secrets == {}
    setup = export(store)
    assert setup["resources"][0]["country"] == "US"
    assert setup["resources"][2]["destinationCountries"] == ["GB", "HR"]
    with store.read() as session:
        assert find_key_by_secret(session, "k-bigcola-prod-0001").name == "bigcola-prod"
    assert "k-bigcola-prod-0001" not in dump_setup(setup)  # only the hash is kept


def test_applying_twice_changes_nothing(store: Store):
    first = apply(store, sample_setup())
    assert not first.unchanged
    before, revision = export(store), store.revision()
    second = apply(store, sample_setup())
    assert second.unchanged and (second.created, second.changed) == ([], [])
    assert (export(store), store.revision()) == (before, revision)
    # Its own export is also no change, and neither is lower-case input the rules upper-case.
    assert apply(store, export(store)).unchanged
    data = sample_setup()
    data["sendingStrategies"][0]["destinationCountryCode"] = "us"
    data["resources"][4]["country"] = "us"
    assert apply(store, data).unchanged
    assert store.revision() == revision


def test_apply_reports_what_changed(store: Store):
    load_sample(store)
    data = sample_setup()
    data["applications"][0]["applicationName"] = "The Shop"
    data["resources"][1]["capabilities"] = ["SMS", "MMS", "VOICE"]
    data["inboundConfigurations"][2]["applicationId"] = "shop"
    data["sendingStrategies"][2]["useStickySender"] = True
    data["apiKeys"][1]["platform"] = [{"applicationId": "bank"}]
    data["entities"].append({"entityId": "newco"})
    report = apply(store, data)
    assert report.created == ["entity newco"]
    assert report.changed == ["application shop", "resource +14155550101", "inbound +14155550101 SMS LOAN",
                              report.changed[3], "API key shop-and-bank"]
    assert report.changed[3].startswith("strategy ")
    setup = export(store)
    assert setup["entities"][2] == {"entityId": "newco", "entityName": "newco"}
    assert [link["applicationId"] for link in setup["apiKeys"][2]["platform"]] == ["bank"]


def test_a_key_without_secret_gets_one_shown_once(store: Store):
    data = {"apiKeys": [{"name": "generated"}]}
    report = apply(store, data)
    secret = report.secrets["generated"]
    with store.read() as session:
        assert find_key_by_secret(session, secret).name == "generated"
    again = apply(store, data)
    assert again.unchanged and again.secrets == {}
    with store.read() as session:
        assert find_key_by_secret(session, secret).name == "generated"  # not replaced


def test_export_apply_export_is_identical(store: Store, other_store: Store, tmp_path):
    load_sample(store)
    data = sample_setup()
    data["apiKeys"].append({"name": "windowed", "secret": "k-windowed-0001-chosen-long-secret", "enabled": False,
                            "validFrom": "2026-01-01T10:00:00+02:00", "validTo": "2027-01-01"})
    apply(store, data)
    text = dump_setup(export(store))
    assert apply(other_store, load_setup(text)).created
    assert dump_setup(export(other_store)) == text
    # Across backends too: into a fresh SQLite file.
    elsewhere = Store.open(str(tmp_path / "elsewhere.db"))
    try:
        apply(elsewhere, load_setup(text))
        assert dump_setup(export(elsewhere)) == text
    finally:
        elsewhere.dispose()
    windowed = [k for k in load_setup(text)["apiKeys"] if k["name"] == "windowed"][0]
    assert (windowed["validFrom"], windowed["validTo"], windowed["enabled"]) == (
        "2026-01-01T08:00:00+00:00", "2027-01-01T00:00:00+00:00", False)


def test_an_error_names_the_item_and_the_field(store: Store):
    data = sample_setup()
    data["resources"][2]["resourceId"] = "+1613555"
    with pytest.raises(InvalidInput) as caught:
        apply(store, data)
    assert str(caught.value) == "resources[2].resourceId: not a valid E.164 number"
    assert caught.value.field == "resources[2].resourceId"
    assert export(store)["resources"] == []


@pytest.mark.parametrize(
    ("section", "index", "change", "field", "code"),
    [
        ("applications", 1, {"applicationId": "bad id"}, "applications[1].applicationId", "INVALID_ID"),
        ("entities", 0, {"entityName": "x" * 256}, "entities[0].entityName", "INVALID_INPUT"),
        ("resources", 4, {"country": None}, "resources[4].country", "INVALID_INPUT"),
        ("resources", 0, {"applicationId": "ghost"}, "resources[0].applicationId", "NOT_FOUND"),
        ("resources", 5, {"colour": "red"}, "resources[5].colour", "INVALID_INPUT"),
        ("inboundConfigurations", 1, {"keyword": "JoIn"}, "inboundConfigurations[1]", "CONFLICT"),
        ("inboundConfigurations", 0, {"channel": 7}, "inboundConfigurations[0].channel", "INVALID_INPUT"),
        ("associations", 1, {"channel": "MMS"}, "associations[1].channel", "UNSUPPORTED_CHANNEL"),
        ("associations", 5, {"resourceType": ["DOMAIN"]}, "associations[5].resourceType", "INVALID_INPUT"),
        ("sendingStrategies", 1, {"priorities": [{"senderType": "SHORT_CODE", "priority": 5}]},
         "sendingStrategies[1].priorities[0].priority", "INVALID_INPUT"),
        ("sendingStrategies", 2, {"platform": {"applicationId": "shop", "entityId": "bigcola"},
                                  "destinationCountryCode": "us"}, "sendingStrategies[2]", "CONFLICT"),
        ("sendingStrategies", 2, {"platform": {"applicationId": "shop", "entityId": "bigcola"},
                                  "destinationCountryCode": "US", "sendingStrategyId": "A" * 32},
         "sendingStrategies[2]", "CONFLICT"),
        ("apiKeys", 1, {"name": "bigcola-prod"}, "apiKeys[1]", "CONFLICT"),
        ("associations", 2, {"resourceId": SHOP_NUMBER}, "associations[2]", "CONFLICT"),
        ("sendingStrategies", 0, {"platform": {"applicationId": 5}},
         "sendingStrategies[0].platform.applicationId", "INVALID_INPUT"),
        ("apiKeys", 2, {"platform": [{"applicationId": "ghost"}]}, "apiKeys[2].platform[0].applicationId",
         "NOT_FOUND"),
        ("apiKeys", 0, {"validFrom": "yesterday"}, "apiKeys[0].validFrom", "INVALID_INPUT"),
    ],
)
def test_bad_items_are_named_and_nothing_is_written(store: Store, section, index, change, field, code):
    data = sample_setup()
    data[section][index].update(change)
    with pytest.raises(StoreError) as caught:
        apply(store, data)
    assert (caught.value.field, caught.value.code) == (field, code)
    assert str(caught.value).startswith(f"{field}: ")
    assert export(store) == export_of_empty_store(store)


@pytest.mark.parametrize(("section", "item"), [
    ("resources", {"resourceId": "MAIL.Example.com", "resourceType": "DOMAIN"}),
    ("applications", {"applicationId": "shop", "applicationName": "Another name"}),
    ("associations", {"resourceType": "NUMBER", "resourceId": SHOP_NUMBER, "channel": "SMS", "applicationId": "shop",
                      "entityId": "bigcola"}),
    ("sendingStrategies", {"platform": {"applicationId": "bank", "entityId": "acme"}, "channel": "SMS"}),
])
def test_the_same_object_twice_in_one_file_is_a_conflict(store: Store, section, item):
    data = sample_setup()
    data[section].append(item)
    with pytest.raises(StoreError) as caught:
        apply(store, data)
    last = len(data[section]) - 1
    assert (caught.value.field, caught.value.code) == (f"{section}[{last}]", "CONFLICT")
    singular = {"resources": "resource", "applications": "application", "associations": "association",
                "sendingStrategies": "sending strategy"}[section]
    assert caught.value.message.startswith(f"the same {singular} as {section}[")
    assert export(store) == export_of_empty_store(store)


def export_of_empty_store(store: Store) -> dict:
    return {"applications": [{"applicationId": "default", "applicationName": "Default"}], "entities": [],
            "resources": [], "inboundConfigurations": [], "associations": [], "sendingStrategies": [],
            "apiKeys": []}


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("applications: [", "file"),
        ("- just a list", "file"),
        ("tenants: []", "tenants"),
        ("applications: {applicationId: shop}", "applications"),
    ],
)
def test_malformed_files_are_refused(text, field):
    with pytest.raises(InvalidInput) as caught:
        load_setup(text)
    assert caught.value.field == field


def test_items_must_be_mappings(store: Store):
    with pytest.raises(InvalidInput) as caught:
        apply(store, {"entities": [{"entityId": "ok"}, "acme"]})
    assert str(caught.value) == "entities[1]: must be a mapping"
    with pytest.raises(NotFound):
        apply(store, {"associations": [{"resourceType": "NUMBER", "resourceId": "+14155550100", "channel": "SMS",
                                        "applicationId": "default"}]})
    assert export(store) == export_of_empty_store(store)


def test_empty_files_and_sections_are_fine(store: Store):
    assert load_setup("") == {}
    assert apply(store, load_setup("applications: []\nentities:\n")).unchanged
    with store.read() as session:
        assert dump_setup(export_setup(session)).startswith("applications:\n- applicationId: default\n")
