"""An inbound configuration's forwarding address travels in setup files: apply sets it, export writes it."""

from __future__ import annotations

import pytest

from store.errors import InvalidInput
from store.inbound_config import forward_url_from, list_inbound_configurations
from store.routing import InboundRequest, Router
from store.setup_export import dump_setup, export_setup
from store.setup_file import apply_setup, load_setup

HOOK = "http://127.0.0.1:9/inbound"
BASE = """
applications: [{applicationId: shop}]
resources:
  - {resourceId: "+14155550100", resourceType: NUMBER, capabilities: [SMS], applicationId: shop}
"""


def apply(store, text: str):
    with store.write() as session:
        return apply_setup(session, load_setup(text))


def inbound(store) -> list[dict]:
    with store.read() as session:
        return export_setup(session)["inboundConfigurations"]


def with_config(extra: str) -> str:
    return BASE + 'inboundConfigurations:\n  - {resourceId: "+14155550100", channel: SMS, keyword: JOIN, applicationId: shop' + extra + "}\n"


def test_apply_sets_the_address_export_writes_it_and_routing_forwards(store):
    report = apply(store, with_config(f", forwarding: {{type: HTTP_FORWARD, url: '{HOOK}'}}"))
    assert report.created[-1] == "inbound +14155550100 SMS JOIN"
    assert inbound(store) == [{"resourceId": "+14155550100", "channel": "SMS", "keyword": "JOIN",
                               "applicationId": "shop", "forwarding": {"type": "HTTP_FORWARD", "url": HOOK}}]
    decision = Router(store).receive(InboundRequest("+14155550123", "+14155550100", text="JOIN me"))
    assert decision.notify_url == HOOK
    assert f"forwarded to {HOOK}" in "\n".join(step.detail for step in decision.trace)


def test_export_then_apply_to_a_new_store_keeps_the_address(store, tmp_path):
    from store.db import Store

    apply(store, with_config(f", forwarding: {{type: HTTP_FORWARD, url: '{HOOK}'}}"))
    with store.read() as session:
        text = dump_setup(export_setup(session))
    other = Store.open(str(tmp_path / "other.db"))
    try:
        apply(other, text)
        assert inbound(other) == inbound(store)
        assert apply(other, text).unchanged
    finally:
        other.dispose()


def test_without_forwarding_an_item_keeps_its_address_and_pull_clears_it(store):
    apply(store, with_config(f", forwarding: {{type: HTTP_FORWARD, url: '{HOOK}'}}"))
    assert apply(store, with_config("")).unchanged  # set over the API, say: a file that does not mention it keeps it
    assert inbound(store)[0]["forwarding"]["url"] == HOOK
    report = apply(store, with_config(", forwarding: {type: PULL}"))
    assert report.changed == ["inbound +14155550100 SMS JOIN"]
    assert "forwarding" not in inbound(store)[0]
    with store.read() as session:
        assert [row.forward_url for row in list_inbound_configurations(session)] == [None]


def test_changing_the_address_is_a_change(store):
    apply(store, with_config(f", forwarding: {{type: HTTP_FORWARD, url: '{HOOK}'}}"))
    report = apply(store, with_config(", forwarding: {type: HTTP_FORWARD, url: 'https://127.0.0.1/other'}"))
    assert report.changed == ["inbound +14155550100 SMS JOIN"]
    assert inbound(store)[0]["forwarding"] == {"type": "HTTP_FORWARD", "url": "https://127.0.0.1/other"}


@pytest.mark.parametrize("forwarding, field, message", [
    ("{type: HTTP_FORWARD}", "forwarding.url", "HTTP_FORWARD needs a url"),
    ("{type: HTTP_FORWARD, url: 'ftp://x'}", "forwarding.url", "must be an http:// or https:// address"),
    ("{type: HTTP_FORWARD, url: 'http://a b'}", "forwarding.url", "must be an http:// or https:// address"),
    ("{type: SMPP_FORWARD, url: 'http://x'}", "forwarding.type", "cpaasx keeps inbound messages"),
    ("{type: PULL, url: 'http://x'}", "forwarding.url", "PULL takes no url"),
    ("{type: PULL, format: JSON}", "forwarding.format", "unknown field"),
    ("http://x", "forwarding", "must be a mapping"),
])
def test_a_bad_forwarding_names_its_field_and_writes_nothing(store, forwarding, field, message):
    with store.read() as session:
        before = export_setup(session)
    with pytest.raises(InvalidInput) as caught:
        apply(store, with_config(f", forwarding: {forwarding}"))
    assert caught.value.field == f"inboundConfigurations[0].{field}"
    assert message in str(caught.value)
    with store.read() as session:
        assert export_setup(session) == before


def test_the_rule_reads_the_platform_object():
    assert forward_url_from(None) is None
    assert forward_url_from({"type": "PULL"}) is None
    assert forward_url_from({"type": "HTTP_FORWARD", "url": HOOK}) == HOOK
