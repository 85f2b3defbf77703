"""application-entity.json over HTTP: exact bodies and codes, the rows in the store, nothing written on 4xx."""

from __future__ import annotations

from store import associations, keys, platforms, resources, strategies
from store.number_forms import number_key_of

APPS = "/provisioning/1/applications"
ENTITIES = "/provisioning/1/entities"
ASSOC = "/provisioning/1/associations"


def _errors(response) -> dict:
    return response.json()["requestError"]["serviceException"]["validationErrors"]


def test_application_round_trip(api):
    assert api.call("POST", APPS, json={"applicationId": "shop", "applicationName": "Shop"}).status_code == 201
    assert api.call("GET", f"{APPS}/shop").json() == {"applicationId": "shop", "applicationName": "Shop"}
    assert api.call("PUT", f"{APPS}/shop", json={"applicationName": "Shop 2"}).status_code == 204
    listing = api.call("GET", APPS, params={"page": 0, "size": 1}).json()
    assert listing == {"results": [{"applicationId": "default", "applicationName": "Default"}],
                       "paging": {"page": 0, "size": 1, "totalPages": 2, "totalResults": 2}}
    with api.store.read() as session:
        assert platforms.get_application(session, "shop").application_name == "Shop 2"


def test_entity_without_a_name_takes_its_id(api):
    assert api.call("POST", ENTITIES, json={"entityId": "bigcola"}).status_code == 201
    assert api.call("GET", f"{ENTITIES}/bigcola").json() == {"entityId": "bigcola", "entityName": "bigcola"}


def test_refusals_name_the_field_and_write_nothing(api):
    api.call("POST", APPS, json={"applicationId": "shop"})
    before = api.revision()
    cases = [
        ({"applicationId": "shop"}, 409, "applicationId", "DUPLICATE_ID"),
        ({"applicationId": "has space"}, 400, "applicationId", "INVALID_ID"),
        ({"applicationId": 12}, 400, "applicationId", "BAD_REQUEST"),
        ({"applicationName": "x"}, 400, "applicationId", "BAD_REQUEST"),
        ({"applicationId": "a" * 256}, 400, "applicationId", "BAD_REQUEST"),
        ({"applicationId": "ok", "applicationName": ["x"]}, 400, "applicationName", "BAD_REQUEST"),
    ]
    for body, status, field, code in cases:
        response = api.call("POST", APPS, json=body)
        assert response.status_code == status, body
        assert field in _errors(response), body
        assert response.json()["requestError"]["serviceException"]["messageId"] == code
    assert api.call("PUT", f"{APPS}/shop", json={"applicationName": ""}).status_code == 400
    assert api.call("PUT", f"{APPS}/nope", json={"applicationName": "x"}).status_code == 404
    assert api.call("GET", f"{APPS}/nope").status_code == 404
    assert api.call("GET", APPS, params={"size": 1001}).status_code == 400
    assert api.call("GET", APPS, params={"page": "one"}).status_code == 400
    assert api.call("GET", APPS, params={"page": 2**62}).status_code == 400  # int32 in the file
    assert api.revision() == before


def test_delete_default_is_refused(api):
    response = api.call("DELETE", f"{APPS}/default")
    assert response.status_code == 400
    assert _errors(response) == {"applicationId": ["the default application cannot be deleted"]}


def _platform(api):
    with api.store.write() as session:
        platforms.create_application(session, "shop")
        platforms.create_entity(session, "bigcola")
        resources.add_resource(session, "+14155550100", "NUMBER", capabilities=["SMS", "MMS"],
                               application_id="shop", entity_id="bigcola")
        resources.add_resource(session, "InfoSMS", "ALPHA", country="GB")
        strategies.create_strategy(session, "shop", "bigcola")
        keys.create_api_key(session, "shop-key", secret="shop-key-secret-chosen-long-secret", platform=[{"applicationId": "shop", "entityId": "bigcola"}])
        number = resources.get_resource(session, "+14155550100")
        return number_key_of(number)


def test_delete_entity_cascades(api):
    number_key = _platform(api)
    body = {"resourceType": "NUMBER", "resourceId": number_key, "channel": "SMS", "applicationId": "shop",
            "entityId": "bigcola"}
    assert api.call("POST", ASSOC, json=body).status_code == 201
    assert api.call("DELETE", f"{ENTITIES}/bigcola").status_code == 200
    with api.store.read() as session:
        number = resources.get_resource(session, "+14155550100")
        assert (number.application_id, number.entity_id) == ("default", None)
        assert associations.list_associations(session).total_results == 0
        assert strategies.list_strategies(session).total_results == 0
        assert keys.get_api_key(session, "shop-key").enabled is False
    assert api.call("GET", f"{ENTITIES}/bigcola").status_code == 404


def test_associations_take_number_key_or_number_and_answer_with_the_key(api):
    number_key = _platform(api)
    for given in ("14155550100", "+14155550100"):
        body = {"resourceType": "NUMBER", "resourceId": given, "channel": "SMS", "applicationId": "shop",
                "entityId": "bigcola"}
        response = api.call("POST", ASSOC, json=body)
        assert response.status_code == (201 if given == "14155550100" else 409), response.text
    assert api.call("POST", ASSOC, json={"resourceType": "ALPHA", "resourceId": "InfoSMS", "channel": "SMS",
                                         "applicationId": "shop"}).status_code == 201
    listing = api.call("GET", ASSOC, params={"applicationId": "shop", "resourceType": "NUMBER"}).json()
    assert listing["results"] == [{"resourceType": "NUMBER", "resourceId": number_key, "channel": "SMS",
                                   "applicationId": "shop", "entityId": "bigcola"}]
    single = api.call("GET", f"{ASSOC}/single", params={"resourceType": "NUMBER", "resourceId": number_key,
                                                         "channel": "SMS", "applicationId": "shop",
                                                         "entityId": "bigcola"})
    assert single.status_code == 200 and single.json()["resourceId"] == number_key
    alpha = api.call("GET", f"{ASSOC}/single", params={"resourceType": "ALPHA", "resourceId": "InfoSMS",
                                                        "channel": "SMS", "applicationId": "shop"})
    assert alpha.json() == {"resourceType": "ALPHA", "resourceId": "InfoSMS", "channel": "SMS",
                            "applicationId": "shop"}
    gone = api.call("DELETE", ASSOC, json={"resourceType": "NUMBER", "resourceId": "+14155550100", "channel": "SMS",
                                           "applicationId": "shop", "entityId": "bigcola"})
    assert gone.status_code == 204
    with api.store.read() as session:
        assert [a.resource_id for a in associations.list_associations(session).results] == ["InfoSMS"]
        resources.get_resource(session, "+14155550100")  # the resource stays


def test_association_refusals(api):
    _platform(api)
    before = api.revision()
    base = {"resourceType": "NUMBER", "resourceId": "14155550100", "channel": "SMS", "applicationId": "shop",
            "entityId": "bigcola"}
    cases = [
        ({**base, "channel": "PIGEON"}, 400, "channel"),
        ({**base, "channel": "WHATSAPP"}, 400, "channel"),
        ({**base, "resourceId": "14155550199"}, 404, "resourceId"),
        ({**base, "applicationId": "nope"}, 404, "applicationId"),
        ({**base, "resourceType": "ALPHA"}, 404, "resourceId"),
        ({k: v for k, v in base.items() if k != "channel"}, 400, "channel"),
    ]
    for body, status, field in cases:
        response = api.call("POST", ASSOC, json=body)
        assert response.status_code == status, (body, response.text)
        assert field in _errors(response), (body, response.text)
    assert api.call("DELETE", ASSOC, json=base).status_code == 404
    assert api.revision() == before
