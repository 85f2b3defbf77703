"""The shipped demo setup: what it holds, that it applies cleanly and idempotently, and round-trips."""

from __future__ import annotations

from collections import defaultdict
from importlib import resources as package_files

import phonenumbers
import pytest

from store.db import Store
from store.setup_file import apply_setup, dump_setup, export_setup, load_setup

# The area codes the demo claims, with the state or province each belongs to.
STATE_OF = {
    "212": "NY", "646": "NY", "718": "NY", "917": "NY", "347": "NY",
    "415": "CA", "213": "CA", "310": "CA", "650": "CA", "408": "CA",
    "214": "TX", "713": "TX", "469": "TX", "972": "TX", "512": "TX", "737": "TX",
    "312": "IL",
    "416": "ON", "647": "ON", "905": "ON",
    "514": "QC", "438": "QC",
    "604": "BC", "778": "BC",
}


def demo_data() -> dict:
    return load_setup(package_files.files("store").joinpath("demo_setup.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def demo(store: Store) -> dict:
    """The demo applied to a fresh store; answers the store's export."""
    with store.write() as session:
        apply_setup(session, demo_data())
    with store.read() as session:
        return export_setup(session)


def numbers(setup: dict) -> list[dict]:
    return [r for r in setup["resources"] if r["resourceType"] == "NUMBER" and r["resourceId"].startswith("+")]


def pool(setup: dict, app: str, entity: str | None, channel: str = "SMS") -> set[str]:
    return {
        a["resourceId"]
        for a in setup["associations"]
        if (a["applicationId"], a.get("entityId"), a["channel"]) == (app, entity, channel)
    }


def resource(setup: dict, resource_id: str) -> dict:
    return next(r for r in setup["resources"] if r["resourceId"] == resource_id)


def strategies(setup: dict, app: str, entity: str | None = None) -> list[dict]:
    return [
        s for s in setup["sendingStrategies"]
        if s["platform"]["applicationId"] == app and s["platform"].get("entityId") == entity
    ]


def test_every_number_is_valid_and_in_the_area_code_it_claims():
    for item in demo_data()["resources"]:
        ident = item["resourceId"]
        if item["resourceType"] != "NUMBER" or not ident.startswith("+"):
            continue
        parsed = phonenumbers.parse(ident, None)
        assert phonenumbers.is_valid_number(parsed), ident
        if ident.startswith("+1") and item.get("numberType") != "TOLL_FREE_NUMBER":
            assert ident[2:5] in STATE_OF, ident
            region = phonenumbers.region_code_for_number(parsed)
            assert region == ("CA" if STATE_OF[ident[2:5]] in ("ON", "QC", "BC") else "US"), ident


def test_demo_has_the_applications_entities_and_resources_of_a_real_agency(demo):
    apps = {a["applicationId"] for a in demo["applications"]}
    assert {"default", "shop", "shop-test", "alerts", "support"} <= apps
    assert any("test" in a["applicationName"].lower() for a in demo["applications"])
    assert len({e["entityId"] for e in demo["entities"]}) >= 6
    assert len(demo["resources"]) >= 30

    by_state: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in numbers(demo):
        if r["country"] in ("US", "CA") and r["numberType"] == "TEN_DIGIT_LONG_CODE":
            by_state[(r["country"], STATE_OF[r["resourceId"][2:5]])].add(r["resourceId"][2:5])
    for state in [("US", "NY"), ("US", "CA"), ("US", "TX"), ("CA", "ON"), ("CA", "QC"), ("CA", "BC")]:
        assert len(by_state[state]) >= 2, state
    assert sum(len(codes) for (country, _), codes in by_state.items() if country == "US") >= 12
    assert sum(len(codes) for (country, _), codes in by_state.items() if country == "CA") >= 6

    types = [r.get("numberType") for r in demo["resources"]]
    assert types.count("TOLL_FREE_NUMBER") >= 2 and types.count("SHORT_CODE") >= 1
    alpha_countries = {r["country"] for r in demo["resources"] if r["resourceType"] == "ALPHA"}
    assert {"GB", "HR", "DE"} <= alpha_countries
    assert any(r["resourceType"] == "DOMAIN" and r["capabilities"] == ["EMAIL"] for r in demo["resources"])


def test_numbers_are_partly_assigned_at_number_level_and_partly_left_at_default(demo):
    levels = [(r["applicationId"], r.get("entityId")) for r in numbers(demo)]
    assert levels.count(("default", None)) >= 3
    assert sum(1 for app, entity in levels if app != "default" and entity) >= 20
    assert ("shop-test", None) in levels
    # A number left at default still serves its customer through an association.
    assert resource(demo, "+19173274002")["applicationId"] == "default"
    assert "+19173274002" in pool(demo, "shop", "dashbite")


def test_inbound_has_keywords_catch_alls_and_a_voice_association(demo):
    configs = demo["inboundConfigurations"]
    keywords = {c["keyword"] for c in configs if c.get("keyword")}
    assert {"JOIN", "STOP", "HELP"} <= keywords
    catch_alls = [c for c in configs if c.get("keyword") is None]
    assert any(c.get("applicationId") == "support" for c in catch_alls)
    # A catch-all naming no application takes the number's own application and entity.
    assert any(c.get("applicationId") is None for c in catch_alls)
    voice = [a for a in demo["associations"] if a["channel"] == "VOICE"]
    assert voice and all("VOICE" in resource(demo, a["resourceId"])["capabilities"] for a in voice)
    # Bay Clinic's numbers have no configuration: replies land by number level.
    bay = {r["resourceId"] for r in numbers(demo) if r.get("entityId") == "bayclinic"}
    assert bay and not bay & {c["resourceId"] for c in configs}


def test_strategies_show_off_every_option(demo):
    all_strategies = demo["sendingStrategies"]
    app_level = [s for s in all_strategies if "entityId" not in s["platform"]]
    entity_level = [s for s in all_strategies if "entityId" in s["platform"]]
    assert len(app_level) >= 2 and len(entity_level) >= 4
    assert any(s["useStickySender"] for s in entity_level)
    assert any(s["useGeolocatedSender"] for s in app_level) and any(s["useGeolocatedSender"] for s in entity_level)
    assert {s.get("destinationCountryCode") for s in all_strategies} >= {None, "US", "CA"}
    assert {s.get("channel") for s in all_strategies} >= {None, "SMS", "MMS"}
    assert any(len(s.get("priorities", [])) >= 3 for s in app_level)
    assert any(s.get("priorities") for s in entity_level)
    assert any(s.get("defaultSender") for s in app_level) and any(s.get("defaultSender") for s in entity_level)
    # The support desk never sends: NO_SENDING_STRATEGY.
    assert not [s for s in all_strategies if s["platform"]["applicationId"] == "support"]


def test_routing_situations_are_set_up(demo):
    # MapleMart's US pool has New York numbers but none in 917 (GEOLOCATED_REGION).
    maplemart = pool(demo, "shop", "maplemart")
    assert not any(n.startswith("+1917") for n in maplemart)
    assert {n[2:5] for n in maplemart} >= {"212", "646", "718"}
    # Bay Clinic has California numbers but none in 310.
    clinic = pool(demo, "alerts", "bayclinic")
    assert {STATE_OF[n[2:5]] for n in clinic} == {"CA"} and not any(n.startswith("+1310") for n in clinic)
    # alerts covers only the US at application level (COUNTRY_NOT_ALLOWED for Canada).
    assert [s.get("destinationCountryCode") for s in strategies(demo, "alerts")] == ["US"]
    # DashBite's pool reaches no Canadian number; its default sender does (DEFAULT_SENDER).
    [dashbite] = strategies(demo, "shop", "dashbite")
    assert not any("CA" in resource(demo, n)["destinationCountries"] for n in pool(demo, "shop", "dashbite"))
    assert "CA" in resource(demo, dashbite["defaultSender"])["destinationCountries"]
    assert dashbite["defaultSender"] not in pool(demo, "shop", "dashbite")


def test_keys_are_linked_at_app_entity_and_pair_level_with_fill_and_force(demo):
    keys = {k["name"]: k for k in demo["apiKeys"]}
    links = [link for k in keys.values() for link in k["platform"]]
    assert any(not k["platform"] for k in keys.values())  # full access
    assert any("entityId" not in link for link in links)  # application level
    assert any("entityId" in link for link in links)  # pair level
    # Entity level: one entity, linked in every application it is used by.
    assert any(
        len(k["platform"]) >= 2 and len({link.get("entityId") for link in k["platform"]} - {None}) == 1
        and all("entityId" in link for link in k["platform"])
        for k in keys.values()
    )
    assert {link.get("action") for link in links} >= {"FILL", "FORCE"}
    assert any(k["enabled"] is False for k in keys.values())
    assert all(k["secretHash"].startswith("scrypt$4096$8$1$") for k in keys.values())  # chosen secrets: salted


def test_applying_the_demo_twice_changes_nothing(store: Store, demo):
    revision = store.revision()
    with store.write() as session:
        report = apply_setup(session, demo_data())
    assert report.unchanged
    assert store.revision() == revision
    with store.read() as session:
        assert export_setup(session) == demo


def test_export_applies_to_a_new_store_and_exports_identically(tmp_path, demo):
    text = dump_setup(demo)
    other = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        with other.write() as session:
            report = apply_setup(session, load_setup(text))
        assert len(report.created) > 100
        with other.read() as session:
            assert dump_setup(export_setup(session)) == text
    finally:
        other.dispose()
