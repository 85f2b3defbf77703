"""numbers.json over HTTP: available and purchase, owned numbers, keyword configurations, voice setup."""

from __future__ import annotations

from store import associations, inbound_config, platforms, resources
from store.number_forms import derived_key
from store.setup_apply import apply_text
from store.setup_export import dump_setup

NUMBERS = "/numbers/1/numbers"


def _errors(response) -> dict:
    return response.json()["requestError"]["serviceException"]["validationErrors"]


def test_available_then_purchase_by_key(api):
    api.call("POST", "/provisioning/1/applications", json={"applicationId": "shop"})
    offered = api.call("GET", f"{NUMBERS}/available", params={"country": "US", "state": "NY", "limit": 3})
    assert offered.status_code == 200
    numbers = offered.json()["numbers"]
    assert offered.json()["numberCount"] == 3 and len(numbers) == 3
    first = numbers[0]
    assert first["number"].startswith("1") and not first["number"].startswith("+")
    assert first["numberKey"] == derived_key("+" + first["number"])
    assert (first["country"], first["type"], first["numberType"]) == ("US", "VIRTUAL_LONG_NUMBER",
                                                                      "TEN_DIGIT_LONG_CODE")
    bought = api.call("POST", NUMBERS, json={"numberKey": first["numberKey"], "applicationId": "shop"})
    assert bought.status_code == 200, bought.text
    assert bought.json()["numberKey"] == first["numberKey"] and bought.json()["applicationId"] == "shop"
    with api.store.read() as session:
        row = resources.get_resource(session, "+" + first["number"])
        assert (row.resource_type, row.number_type, row.application_id) == ("NUMBER", "TEN_DIGIT_LONG_CODE", "shop")
    again = api.call("GET", f"{NUMBERS}/available", params={"country": "US", "state": "NY", "limit": 3}).json()
    assert first["number"] not in [n["number"] for n in again["numbers"]]
    twice = api.call("POST", NUMBERS, json={"number": first["number"]})
    assert twice.status_code == 400 and "number" in _errors(twice)


def test_an_offered_number_whose_derived_key_is_taken_is_offered_and_bought_with_the_next_one(api):
    first = api.call("GET", f"{NUMBERS}/available", params={"country": "US", "state": "NY", "limit": 1}).json()
    e164 = "+" + first["numbers"][0]["number"]
    apply_text(api.store, dump_setup({"resources": [{"resourceId": "+14155550100", "resourceType": "NUMBER",
                                                     "numberKey": derived_key(e164)}]}))
    offered = api.call("GET", f"{NUMBERS}/available", params={"country": "US", "state": "NY", "limit": 1}).json()
    assert offered["numbers"][0]["number"] == e164[1:]
    assert offered["numbers"][0]["numberKey"] == derived_key(e164 + "#1")
    bought = api.call("POST", NUMBERS, json={"numberKey": derived_key(e164 + "#1")})
    assert bought.status_code == 200 and bought.json()["numberKey"] == derived_key(e164 + "#1")
    with api.store.read() as session:
        assert resources.get_resource(session, e164).number_key == derived_key(e164 + "#1")
    taken = api.call("GET", f"{NUMBERS}/{derived_key(e164)}").json()
    assert taken["number"] == "14155550100"  # the key a setup file gave stays that number's


def test_purchase_and_available_refusals_write_nothing(api):
    before = api.revision()
    cases = [
        ("GET", f"{NUMBERS}/available", {"params": {"country": "FR"}}, 404, "country"),
        ("GET", f"{NUMBERS}/available", {"params": {"country": "US", "npa": 999}}, 400, "npa"),
        ("GET", f"{NUMBERS}/available", {"params": {"country": "US", "capabilities": "WHATSAPP"}}, 400,
         "capabilities"),
        ("GET", f"{NUMBERS}/available", {"params": {"country": "GB", "state": "NY"}}, 400, "state"),
        ("POST", NUMBERS, {"json": {}}, 400, "number"),
        ("POST", NUMBERS, {"json": {"numberKey": "0" * 32}}, 404, "numberKey"),
        ("POST", NUMBERS, {"json": {"number": "123"}}, 400, "number"),
        ("POST", NUMBERS, {"json": {"number": "+33612345678"}}, 404, "number"),
    ]
    for method, path, kwargs, status, field in cases:
        response = api.call(method, path, **kwargs)
        assert response.status_code == status, (path, kwargs, response.text)
        assert field in _errors(response), (path, kwargs, response.text)
    assert api.revision() == before


def _owned(api) -> str:
    with api.store.write() as session:
        platforms.create_application(session, "shop")
        platforms.create_entity(session, "bigcola")
        row = resources.add_resource(session, "+14155550100", "NUMBER", capabilities=["SMS", "VOICE"])
        return derived_key(row.resource_id)


def test_owned_number_get_update_cancel(api):
    key = _owned(api)
    for named in (key, "14155550100", "+14155550100"):
        got = api.call("GET", f"{NUMBERS}/{named}")
        assert got.status_code == 200 and got.json()["numberKey"] == key, named
    assert api.call("GET", NUMBERS).json() == {"numbers": [got.json()], "numberCount": 1}
    assert got.json() == {"numberKey": key, "number": "14155550100", "country": "US", "type": "VIRTUAL_LONG_NUMBER",
                          "numberType": "TEN_DIGIT_LONG_CODE", "capabilities": ["SMS", "VOICE"], "shared": False,
                          "keywords": [], "applicationId": "default"}
    updated = api.call("PUT", f"{NUMBERS}/{key}", json={"applicationId": "shop", "entityId": "bigcola"})
    assert (updated.json()["applicationId"], updated.json()["entityId"]) == ("shop", "bigcola")
    bad = api.call("PUT", f"{NUMBERS}/{key}", json={"applicationId": "nope"})
    assert bad.status_code == 404 and "applicationId" in _errors(bad)
    assert api.call("DELETE", f"{NUMBERS}/{key}").status_code == 204
    assert api.call("GET", f"{NUMBERS}/{key}").status_code == 404


def test_keyword_configurations(api):
    key = _owned(api)
    sms = f"/numbers/2/numbers/{key}/sms"
    created = api.call("POST", sms, json={"keyword": "JOIN", "action": {"type": "PULL"}, "applicationId": "shop"})
    assert created.status_code == 200
    config_key = created.json()["key"]
    assert created.json() == {"key": config_key, "keyword": "JOIN", "action": {"type": "PULL"},
                              "applicationId": "shop"}
    listed = api.call("GET", sms).json()
    assert listed == {"configurations": [created.json()], "totalCount": 1}
    assert api.call("GET", f"{sms}/{config_key}").json() == created.json()
    replaced = api.call("PUT", sms, json={"key": config_key, "keyword": "STOP", "action": {"type": "PULL"},
                                          "applicationId": "shop", "entityId": "bigcola"})
    assert replaced.status_code == 200 and replaced.json()["keyword"] == "STOP"
    with api.store.read() as session:
        rows = inbound_config.list_inbound_configurations(session, "+14155550100")
        assert [(r.keyword, r.application_id, r.entity_id) for r in rows] == [("STOP", "shop", "bigcola")]
    assert api.call("GET", f"/numbers/1/numbers/{key}").json()["keywords"] == ["STOP"]
    before = api.revision()
    clash = api.call("POST", sms, json={"keyword": "stop", "action": {"type": "PULL"}})
    assert clash.status_code == 409 and "keyword" in _errors(clash)
    assert api.call("POST", sms, json={"keyword": "two words", "action": {"type": "PULL"}}).status_code == 400
    assert api.call("POST", sms, json={"keyword": "X", "action": {"type": "SMPP_FORWARD"}}).status_code == 400
    assert api.call("POST", sms, json={"keyword": "X", "action": {"type": "TELEPATHY"}}).status_code == 400
    assert api.call("GET", f"{sms}/{config_key}").status_code == 404  # the old key went with JOIN
    assert api.revision() == before
    assert api.call("DELETE", f"{sms}/{replaced.json()['key']}").status_code == 204
    assert api.call("GET", sms).json()["totalCount"] == 0


def test_voice_setup_is_the_voice_association(api):
    key = _owned(api)
    voice = f"/numbers/2/numbers/{key}/voice"
    assert api.call("GET", voice).status_code == 404
    created = api.call("POST", voice, json={"applicationId": "shop", "action": {"type": "PULL"}})
    assert created.status_code == 200 and created.json()["applicationId"] == "shop"
    assert api.call("POST", voice, json={"applicationId": "shop", "action": {}}).status_code == 400
    moved = api.call("PUT", voice, json={"applicationId": "shop", "entityId": "bigcola", "action": {}})
    assert moved.json()["entityId"] == "bigcola"
    with api.store.read() as session:
        rows = associations.list_associations(session, resource_id="+14155550100").results
        assert [(a.channel, a.application_id, a.entity_id) for a in rows] == [("VOICE", "shop", "bigcola")]
    assert api.call("GET", f"/numbers/1/numbers/{key}").json()["voiceSetup"]["entityId"] == "bigcola"
    assert api.call("DELETE", voice).status_code == 204
    assert api.call("DELETE", voice).status_code == 404
