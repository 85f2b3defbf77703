"""An in-process API over a fresh store: a TestClient, the sandbox key's secret, and the store itself."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import ensure_sandbox_key
from store.db import Store


@dataclass
class Api:
    client: TestClient
    store: Store
    secret: str

    @property
    def auth(self) -> dict:
        return {"Authorization": f"App {self.secret}"}

    def call(self, method: str, path: str, **kwargs):
        headers = {**self.auth, **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)

    def revision(self) -> int:
        return self.store.revision()


@pytest.fixture
def api(store) -> Api:
    secret = ensure_sandbox_key(store)
    with TestClient(create_app(store), raise_server_exceptions=False) as client:
        yield Api(client, store, secret)
