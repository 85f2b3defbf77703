"""The HTTP API finds keys with salted (scrypt) secrets: by the secret, never from a stale cache."""

from __future__ import annotations

from store import keys

PATH = "/provisioning/1/applications"


def status(api, secret: str) -> int:
    return api.call("GET", PATH, headers={"Authorization": f"App {secret}"}).status_code


def test_a_chosen_secret_authenticates_and_a_changed_one_stops_at_once(api):
    with api.store.write() as session:
        row, _ = keys.create_api_key(session, "chosen", secret="chosen-api-secret-1")
        assert row.secret_hash.startswith("scrypt$")
    assert (status(api, "chosen-api-secret-1"), status(api, "chosen-api-secret-2")) == (200, 401)
    with api.store.write() as session:
        keys.update_api_key(session, "chosen", secret="chosen-api-secret-2")
    api.client.app.state.keys.invalidate()  # as after its `fresh` half second: the revision is read again
    assert (status(api, "chosen-api-secret-1"), status(api, "chosen-api-secret-2")) == (401, 200)
    assert status(api, api.secret) == 200  # the generated sandbox key (SHA-256) still works beside it


def test_the_api_key_secret_filter_matches_salted_and_plain_hashes(api):
    with api.store.write() as session:
        keys.create_api_key(session, "chosen", secret="chosen-api-secret-1")
    for secret, names in (("chosen-api-secret-1", ["chosen"]), (api.secret, ["sandbox"]), ("nope-nope-nope", [])):
        found = api.call("GET", "/settings/2/api-keys", params={"apiKeySecret": secret}).json()["apiKeys"]
        assert [k["name"] for k in found] == names
