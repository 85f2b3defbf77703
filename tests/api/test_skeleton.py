"""Auth, error envelopes, unknown and not-emulated paths, body limit, and the request record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api import spec
from store import keys


def _exception(message_id: str, text_part: str, body: dict) -> None:
    details = body["requestError"]["serviceException"]
    assert details["messageId"] == message_id
    assert text_part in details["text"]


def test_no_header_is_401_in_the_v1_envelope(api):
    response = api.client.get("/provisioning/1/applications")
    assert response.status_code == 401
    _exception("UNAUTHORIZED", "Authorization", response.json())


def test_bearer_and_app_schemes_both_take_the_secret(api):
    for scheme in ("App", "Bearer", "app"):
        response = api.client.get("/provisioning/1/applications", headers={"Authorization": f"{scheme} {api.secret}"})
        assert response.status_code == 200, scheme


def test_unknown_disabled_and_expired_keys_are_401(api):
    assert api.call("GET", "/provisioning/1/applications", headers={"Authorization": "App nope-nope"}).status_code == 401
    with api.store.write() as session:
        keys.create_api_key(session, "off", secret="secret-off-1-chosen-long-secret", enabled=False)
        keys.create_api_key(session, "old", secret="secret-old-1-chosen-long-secret", valid_from=datetime.now(UTC) - timedelta(days=2),
                            valid_to=datetime.now(UTC) - timedelta(days=1))
    for secret in ("secret-off-1-chosen-long-secret", "secret-old-1-chosen-long-secret"):
        response = api.call("GET", "/provisioning/1/applications", headers={"Authorization": f"App {secret}"})
        assert response.status_code == 401, secret


def test_linked_key_is_403_on_management_paths_in_each_files_envelope(api):
    with api.store.write() as session:
        keys.create_api_key(session, "traffic", secret="secret-traffic-1-chosen-long-secret", platform=[{"applicationId": "default"}])
    headers = {"Authorization": "App secret-traffic-1-chosen-long-secret"}
    v1 = api.call("GET", "/provisioning/1/applications", headers=headers)
    assert v1.status_code == 403
    _exception("FORBIDDEN", "'traffic' has platform links", v1.json())


def test_unknown_path_is_404_in_the_v1_envelope(api):
    response = api.call("GET", "/provisioning/9/nothing")
    assert response.status_code == 404
    _exception("NOT_FOUND", "/provisioning/9/nothing", response.json())


def test_every_operation_not_served_answers_501_in_its_envelope(api):
    served = api.client.app.state.served
    assert ("GET", "/provisioning/1/applications") in served
    checked, seen = 0, set()
    for op in spec.operations():
        if (op.method, op.path) in served:
            continue
        path = op.path.replace("{", "x").replace("}", "")
        response = api.call(op.method, path, json={})
        assert response.status_code == 501, (op.method, op.path, response.text)
        body = response.json()
        if op.envelope == spec.API_ERROR:
            assert body["errorCode"] == "NOT_IMPLEMENTED" and "not emulated" in body["description"]
            assert body["violations"] == [] and body["resources"] == []
        else:
            _exception("NOT_IMPLEMENTED", "not emulated", body)
        checked += 1
        seen.add(op.path)
    assert checked == api.client.app.state.not_emulated
    for path in ("/number-registration/1/brands", "/account/1/balance", "/sms/1/bulks", "/sms/2/binary/advanced",
                 "/audit/1/logs"):
        assert path in seen


def test_envelope_is_read_from_the_files():
    assert spec.envelope_of("POST", "/provisioning/1/applications") == spec.EXCEPTION
    assert spec.envelope_of("POST", "/provisioning/2/sending-strategies") == spec.API_ERROR
    assert spec.envelope_of("GET", "/resources/1/requests/abc") == spec.API_ERROR
    assert spec.envelope_of("GET", "/numbers/1/numbers/available") == spec.EXCEPTION
    assert spec.envelope_of("GET", "/no/such/path") == spec.EXCEPTION


def test_body_over_10_mb_is_413_and_writes_nothing(api):
    before = api.revision()
    big = b'{"applicationId": "' + b"a" * (10 * 1024 * 1024) + b'"}'
    response = api.call("POST", "/provisioning/1/applications", content=big,
                        headers={"content-type": "application/json"})
    assert response.status_code == 413
    _exception("REQUEST_TOO_LARGE", "too large", response.json())
    assert api.revision() == before


def test_malformed_json_is_400_naming_the_body(api):
    response = api.call("POST", "/provisioning/1/applications", content=b'{"applicationId": ',
                        headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["requestError"]["serviceException"]["validationErrors"] == {"body": ["is not valid JSON"]}


def test_each_request_is_recorded_with_key_status_and_bodies(api):
    seen = []
    api.client.app.state.recorder.subscribe(seen.append)
    api.call("POST", "/provisioning/1/applications", json={"applicationId": "shop"})
    api.client.get("/provisioning/1/applications")
    first, second = seen
    assert (first.method, first.path, first.status, first.key_name) == ("POST", "/provisioning/1/applications", 201,
                                                                         "sandbox")
    assert first.request_body == b'{"applicationId":"shop"}'
    assert (second.status, second.key_name) == (401, None)
    assert b"UNAUTHORIZED" in second.response_body
    assert api.client.app.state.recorder.recent(1) == [second]


def test_sandbox_key_only_when_the_store_has_none(store):
    from api.auth import ensure_sandbox_key

    secret = ensure_sandbox_key(store)
    assert secret and secret.startswith("cpx_")
    assert ensure_sandbox_key(store) is None
    with store.read() as session:
        row = keys.get_api_key(session, "sandbox")
        assert row.secret_hash == keys.hash_secret(secret) and keys.key_links(session, "sandbox") == []


def test_auth_is_checked_before_the_body(api):
    bad_json = {"content": b"{oops", "headers": {"content-type": "application/json"}}
    no_key = api.client.post("/provisioning/1/applications", **bad_json)
    assert no_key.status_code == 401
    with api.store.write() as session:
        keys.create_api_key(session, "linked", secret="secret-linked-1-chosen-long-secret", platform=[{"applicationId": "default"}])
    linked = api.client.post("/provisioning/1/applications", content=b"{oops",
                             headers={"content-type": "application/json", "Authorization": "App secret-linked-1-chosen-long-secret"})
    assert linked.status_code == 403


def test_a_key_disabled_over_the_api_is_refused_at_once(api):
    created = api.call("POST", "/settings/2/api-keys", json={"name": "ops"}).json()
    own = {"Authorization": f"App {created['apiKeySecret']}"}
    assert api.client.get("/provisioning/1/applications", headers=own).status_code == 200
    api.call("PUT", f"/settings/2/api-keys/{created['id']}", json={"enabled": False})
    assert api.client.get("/provisioning/1/applications", headers=own).status_code == 401
