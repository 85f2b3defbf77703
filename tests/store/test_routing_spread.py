"""The spread's heap always names the least recently used sender, ties to the lowest id."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from store.routing.index import RoutingIndex, make_sender
from store.routing.selection import spread

IDS = ["+12125550102", "+12135550101", "+14155550100", "+14165550104", "+16465550103", "BigCola"]


def sender(rid: str):
    kind = "ALPHANUMERIC" if rid == "BigCola" else "NUMBER"
    return make_sender(rid, kind, None if rid == "BigCola" else "TEN_DIGIT_LONG_CODE", "US", ["SMS"], ["US"], "shop", None)


@settings(max_examples=300, deadline=None)
@given(
    start=st.dictionaries(st.sampled_from(IDS), st.integers(0, 5), max_size=len(IDS)),
    sets=st.lists(st.lists(st.sampled_from(IDS), min_size=1, unique=True), min_size=1, max_size=3),
    uses=st.lists(st.tuples(st.integers(0, 2), st.sampled_from(IDS + [None])), max_size=40),
)
def test_spread_matches_a_full_scan(start, sets, uses):
    """Several overlapping sets share the usage stamps; a use is either a pick from a set or a use
    elsewhere (a sticky or default sender); every pick must equal the full scan."""
    index = RoutingIndex()
    index.usage = dict(start)
    stamp = max(start.values(), default=0)
    groups = [tuple(sender(rid) for rid in sorted(ids, reverse=True)) for ids in sets]  # order must not matter
    for which, elsewhere in uses:
        group = groups[which % len(groups)]
        picked, picked_stamp = spread(index, ("set", which % len(groups)), group)
        expected = min((index.usage.get(s.resource_id, 0), s.resource_id) for s in group)
        assert (picked_stamp, picked) == expected
        stamp += 1
        index.usage[elsewhere or picked] = stamp
