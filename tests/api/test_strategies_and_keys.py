"""sending-strategy.json and `/settings/2/api-keys` over HTTP: bodies, codes, store rows."""

from __future__ import annotations

from store import keys, platforms, resources, strategies

SSS = "/provisioning/2/sending-strategies"
KEYS = "/settings/2/api-keys"


def _violations(response) -> dict:
    return {v["property"]: v["violation"] for v in response.json()["violations"]}


def test_strategy_create_list_delete(api):
    with api.store.write() as session:
        platforms.create_application(session, "shop")
        resources.add_resource(session, "+14155550100", "NUMBER")
    body = {"platform": {"applicationId": "shop"}, "channel": "SMS", "destinationCountryCode": "us",
            "useStickySender": True, "priorities": [{"senderType": "SHORT_CODE", "priority": 1}],
            "defaultSender": "14155550100"}
    created = api.call("POST", SSS, json=body)
    assert created.status_code == 201
    ident = created.json()["sendingStrategyId"]
    assert len(ident) == 32 and ident.isupper()
    listing = api.call("GET", SSS, params={"applicationId": "shop"}).json()
    assert listing == {"results": [{"sendingStrategyId": ident, "platform": {"applicationId": "shop"}, "channel": "SMS",
                                    "destinationCountryCode": "US", "useStickySender": True,
                                    "useGeolocatedSender": False,
                                    "priorities": [{"senderType": "SHORT_CODE", "priority": 1}],
                                    "defaultSender": "14155550100"}],
                       "paging": {"page": 0, "size": 100, "totalPages": 1, "totalResults": 1}}
    with api.store.read() as session:
        assert strategies.get_strategy(session, ident).default_sender == "+14155550100"
    assert api.call("GET", SSS, params={"sendingStrategyId": "0" * 32}).json()["results"] == []
    assert api.call("DELETE", f"{SSS}/{ident}").status_code == 204
    gone = api.call("DELETE", f"{SSS}/{ident}")
    assert gone.status_code == 404 and "sendingStrategyId" in _violations(gone)


def test_strategy_refusals_in_the_api_error_envelope(api):
    api.call("POST", SSS, json={"platform": {"applicationId": "default"}})
    before = api.revision()
    cases = [
        ({"platform": {"applicationId": "default"}}, 409, "platform"),
        ({"channel": "SMS"}, 400, "platform.applicationId"),
        ({"platform": {"applicationId": "nope"}}, 404, "platform.applicationId"),
        ({"platform": {"applicationId": "default"}, "channel": "VOICE"}, 400, "channel"),
        ({"platform": {"applicationId": "default"}, "priorities": [{"senderType": "X", "priority": 1}]}, 400,
         "priorities[0].senderType"),
        ({"platform": {"applicationId": "default"}, "priorities": [{"senderType": "SHORT_CODE", "priority": 9}]},
         400, "priorities[0].priority"),
        ({"platform": {"applicationId": "default"}, "useStickySender": "yes"}, 400, "useStickySender"),
        ({"platform": {"applicationId": "default"}, "channel": "MMS", "defaultSender": "nobody"}, 404,
         "defaultSender"),
    ]
    for body, status, field in cases:
        response = api.call("POST", SSS, json=body)
        assert response.status_code == status, (body, response.text)
        assert field in _violations(response), (body, response.text)
        assert set(response.json()) == {"errorCode", "description", "action", "violations", "resources"}
    assert api.revision() == before


def test_api_key_create_shows_the_secret_once(api):
    created = api.call("POST", KEYS, json={"name": "shop-traffic", "platform": [{"applicationId": "default",
                                                                                  "action": "FILL"}]})
    assert created.status_code == 200
    body = created.json()
    secret, ident = body.pop("apiKeySecret"), body.pop("id")
    assert body == {"name": "shop-traffic", "enabled": True, "permissions": ["PUBLIC_API"],
                    "platform": [{"applicationId": "default", "action": "FILL"}]}
    with api.store.read() as session:
        assert keys.get_api_key(session, "shop-traffic").secret_hash == keys.hash_secret(secret)
    fetched = api.call("GET", f"{KEYS}/{ident}").json()
    assert "apiKeySecret" not in fetched and fetched["id"] == ident
    by_secret = api.call("GET", KEYS, params={"apiKeySecret": secret}).json()
    assert [k["name"] for k in by_secret["apiKeys"]] == ["shop-traffic"]
    assert by_secret["paging"]["totalCount"] == 1
    # The new key is linked: traffic only.
    assert api.call("GET", KEYS, headers={"Authorization": f"App {secret}"}).status_code == 403


def test_api_key_update_and_refusals(api):
    ident = api.call("POST", KEYS, json={"name": "ops"}).json()["id"]
    updated = api.call("PUT", f"{KEYS}/{ident}", json={"enabled": False, "validTo": "2030-01-01T00:00:00Z"})
    assert updated.status_code == 200
    assert updated.json()["enabled"] is False and updated.json()["validTo"] == "2030-01-01T00:00:00Z"
    before = api.revision()
    cases = [
        ("POST", KEYS, {"name": "ops"}, 409, "name"),
        ("POST", KEYS, {"name": "x", "platform": [{"applicationId": "nope"}]}, 404, "platform[0].applicationId"),
        ("POST", KEYS, {"name": "x", "validFrom": "2030-01-02T00:00:00Z", "validTo": "2030-01-01T00:00:00Z"}, 400,
         "validTo"),
        ("POST", KEYS, {"name": "x", "validFrom": "tomorrow"}, 400, "validFrom"),
        ("PUT", f"{KEYS}/{ident}", {"name": "renamed"}, 400, "name"),
        ("PUT", f"{KEYS}/nope", {"enabled": True}, 404, "apiKeyId"),
    ]
    for method, path, body, status, field in cases:
        response = api.call(method, path, json=body)
        assert response.status_code == status, (body, response.text)
        assert field in _violations(response), (body, response.text)
    assert api.revision() == before
