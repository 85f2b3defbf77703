"""Schemathesis against the served paths of the shipped OpenAPI files, on an in-process app: no answer
is a 500 and every answer's body validates against the file's schema for its status."""

from __future__ import annotations

import copy
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api import spec
from api.app import create_app
from store import keys
from store.db import Store

SECRET = "conformance-secret-0001-chosen-long-secret"


def served_document(file: str, served: set[tuple[str, str]]) -> dict:
    """The file with only the operations the app serves (501s are checked elsewhere)."""
    doc = copy.deepcopy(spec.document(file))
    paths = {}
    for path, item in doc["paths"].items():
        ops = {m: op for m, op in item.items() if m in spec.METHODS and (m.upper(), path) in served}
        if ops:
            paths[path] = {**{k: v for k, v in item.items() if k not in spec.METHODS}, **ops}
    doc["paths"] = paths
    return doc


@pytest.fixture(scope="module")
def conformance_app(tmp_path_factory):
    store = Store.open(str(tmp_path_factory.mktemp("conformance") / "store.db"))
    with store.write() as session:
        keys.create_api_key(session, "conformance", secret=SECRET)
    app = create_app(store)
    yield app
    store.dispose()


def _schema_for(file: str):
    @pytest.fixture
    def loaded(conformance_app):
        schema = schemathesis.openapi.from_dict(served_document(file, conformance_app.state.served))
        schema.app = conformance_app
        return schema

    return loaded


application_entity = _schema_for("application-entity.json")
sending_strategy = _schema_for("sending-strategy.json")
numbers = _schema_for("numbers.json")
resources = _schema_for("resources.json")
account_management = _schema_for("account-management.json")
sms = _schema_for("sms.json")

CHECKS = [not_a_server_error, response_schema_conformance]
# CPAASX_CONFORMANCE_EXAMPLES=200 for a deeper run than the suite's.
SETTINGS = settings(max_examples=int(os.environ.get("CPAASX_CONFORMANCE_EXAMPLES", "12")), deadline=None, database=None, derandomize="CPAASX_CONFORMANCE_EXAMPLES" not in os.environ,
                    suppress_health_check=list(HealthCheck))


def _check(case) -> None:
    response = case.call(headers={"Authorization": f"App {SECRET}"})
    case.validate_response(response, checks=CHECKS)


for _name in ("application_entity", "sending_strategy", "numbers", "resources", "account_management", "sms"):
    _lazy = schemathesis.pytest.from_fixture(_name)

    @_lazy.parametrize()
    @SETTINGS
    def _test(case):
        _check(case)

    globals()[f"test_{_name}_conforms"] = _test
