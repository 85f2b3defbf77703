"""Plurals, articles and thousands separators: one tested rule for every message."""

from __future__ import annotations

import pytest

from store.words import article, count, plural


@pytest.mark.parametrize("noun, many", [
    ("API key", "API keys"), ("strategy", "strategies"), ("entity", "entities"), ("sticky binding", "sticky bindings"),
    ("inbound configuration", "inbound configurations"), ("API key link", "API key links"), ("address", "addresses"),
    ("day", "days"), ("request", "requests"), ("resource", "resources"), ("status", "statuses"),
])
def test_plural(noun, many):
    assert plural(noun, 2) == many and plural(noun, 0) == many and plural(noun, 1) == noun


def test_count_has_thousands_separators():
    assert count(6383, "sticky binding") == "6,383 sticky bindings"
    assert count(1, "API key") == "1 API key"
    assert count(1_000_000, "request") == "1,000,000 requests"


@pytest.mark.parametrize("word, a", [
    ("ALPHA sender", "an"), ("SMS", "an"), ("MMS", "an"), ("number", "a"), ("application", "an"),
    ("entity", "an"), ("US number", "a"), ("VOICE call", "a"), ("EMAIL", "an"), ("short code", "a"),
    ("NUMBER", "a"), ("SHORT_CODE", "a"), ("DOMAIN", "a"), ("URL", "a"), ("UNDELIVERABLE", "an"), ("FILL link", "a"),
    ("INBOUND", "an"), ("OUTBOUND", "an"), ("HTTP", "an"), ("TEN_DIGIT_LONG_CODE", "a"),
])
def test_article(word, a):
    assert article(word) == a


def test_delete_preview_lines_use_plurals_and_separators():
    from store.deletes import DeleteImpact

    impact = DeleteImpact("application", "shop", keys_disabled=["a", "b"], sticky_removed=6383)
    assert impact.lines() == ["2 API keys disabled (their last link goes): a, b", "6,383 sticky bindings removed"]
