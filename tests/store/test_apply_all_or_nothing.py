"""Property: a setup file with one broken item changes nothing, and the error names that item."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.db import Store
from store.errors import StoreError
from store.setup_file import apply_setup

from .sample_setup import export, sample_setup

# Each (field, value) is invalid for every item of its section in the setup below.
BREAKAGES = {
    "applications": [("applicationId", "bad id"), ("applicationId", ""), ("applicationName", ""),
                     ("applicationName", "x" * 256), ("applicationName", 42)],
    "entities": [("entityId", "bad/id"), ("entityId", None), ("entityName", " "), ("entityName", "y" * 256)],
    "resources": [("resourceType", "FAX"), ("capabilities", ["FAX"]), ("capabilities", "SMS"), ("country", "XX"),
                  ("destinationCountries", ["ZZ"]), ("applicationId", "ghost"), ("entityId", "ghost"),
                  ("resourceId", "+1"), ("numberType", "FAX_NUMBER")],
    "inboundConfigurations": [("channel", "EMAIL"), ("keyword", "two words"), ("keyword", "k" * 51),
                              ("resourceId", "+14155550199"), ("applicationId", "ghost"), ("entityId", "ghost")],
    "associations": [("channel", "FAX"), ("resourceType", "FAX"), ("resourceId", "+14155550199"),
                      ("applicationId", "ghost"), ("entityId", "ghost"), ("applicationId", None)],
    "sendingStrategies": [("channel", "VOICE"), ("destinationCountryCode", "XX"),
                          ("priorities", [{"senderType": "SHORT_CODE", "priority": 9}]),
                          ("priorities", [{"senderType": "FAX", "priority": 1}]),
                          ("defaultSender", "+14155550199"), ("platform", {"applicationId": "ghost"}),
                          ("useStickySender", "yes"), ("sendingStrategyId", "not-an-id")],
    "apiKeys": [("platform", [{"applicationId": "ghost"}]), ("platform", [{"applicationId": "shop", "action": "MAYBE"}]),
                ("secret", "short"), ("validTo", "not a date"), ("enabled", "yes"), ("name", "")],
}


def stored_setup() -> dict:
    """What the store holds before each example: the sample, a little different from the file."""
    data = sample_setup()
    data["applications"][0]["applicationName"] = "Old Shop"
    data["sendingStrategies"][1]["useGeolocatedSender"] = True
    data["resources"][1]["capabilities"] = ["SMS", "VOICE", "MMS"]
    return data


def file_setup() -> dict:
    """A valid file: the sample (changing the stored rows back) plus new objects in every section."""
    data = sample_setup()
    data["applications"].append({"applicationId": "extra", "applicationName": "Extra"})
    data["entities"].append({"entityId": "newco", "entityName": "NewCo"})
    data["resources"].append({"resourceId": "+14155550150", "resourceType": "NUMBER", "capabilities": ["SMS", "MMS"],
                              "applicationId": "extra", "entityId": "newco"})
    data["inboundConfigurations"].append({"resourceId": "+14155550150", "channel": "MMS", "keyword": "PIC",
                                          "applicationId": "extra"})
    data["associations"].append({"resourceType": "NUMBER", "resourceId": "+14155550150", "channel": "MMS",
                                 "applicationId": "extra", "entityId": "newco"})
    data["sendingStrategies"].append({"platform": {"applicationId": "extra"}, "channel": "MMS",
                                      "defaultSender": "+14155550150"})
    data["apiKeys"].append({"name": "extra-key", "secret": "k-extra-0000001-chosen-long-secret", "platform": [{"applicationId": "extra"}]})
    return data


@st.composite
def broken_files(draw) -> tuple[dict, str]:
    """A copy of the valid file with exactly one item broken; also the item's place, e.g. `resources[2]`."""
    data = file_setup()
    section = draw(st.sampled_from(sorted(BREAKAGES)))
    items = data[section]
    index = draw(st.integers(0, len(items) - 1))
    how = draw(st.sampled_from(["field", "field", "field", "not a mapping", "unknown field", "twice"]))
    if how == "field":
        field, value = draw(st.sampled_from(BREAKAGES[section]))
        items[index][field] = copy.deepcopy(value)
    elif how == "not a mapping":
        items[index] = draw(st.sampled_from(["oops", 7, ["a", "list"], None]))
    elif how == "unknown field":
        items[index][draw(st.sampled_from(["bogus", "applicationID", "resource_id"]))] = "x"
    else:  # the same object listed again, later in the section
        items.append(copy.deepcopy(items[index]))
        index = len(items) - 1
    return data, f"{section}[{index}]"


@pytest.fixture
def loaded(store: Store) -> Store:
    with store.write() as session:
        apply_setup(session, stored_setup())
    return store


def test_the_unbroken_file_applies_and_changes_every_section(loaded: Store):
    with loaded.write() as session:
        report = apply_setup(session, file_setup())
    assert len(report.created) == 7
    assert report.changed[:2] == ["application shop", "resource +14155550101"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(broken=broken_files())
def test_one_broken_item_leaves_the_store_untouched(loaded: Store, broken):
    data, place = broken
    before, revision = export(loaded), loaded.revision()
    with pytest.raises(StoreError) as caught, loaded.write() as session:
        apply_setup(session, data)
    field = caught.value.field
    assert field == place or field.startswith(place + "."), f"{field!r} does not name {place}"
    assert str(caught.value).startswith(field + ": ")
    assert export(loaded) == before
    assert loaded.revision() == revision
