"""Derived sets the outbound router reuses: strategy choice, pool, priority cut, geolocated groups, spread.

Each is computed once per key from the index and kept on it, so the cost of a decision does not
grow with the size of the setup.
"""

from __future__ import annotations

import heapq
from heapq import heapreplace
from dataclasses import dataclass

from .index import UNLISTED_RANK, RoutingIndex, Strategy
from ..words import count as counted, possessive
from .model import TraceStep
from ..display import platform_label


@dataclass(slots=True)
class StrategyChoice:
    strategy: Strategy | None
    passed_over: int  # less specific candidates that also matched


def choose_strategy(index: RoutingIndex, app: str, entity: str | None, channel: str, country: str) -> StrategyChoice:
    """Most specific wins: entity-level, then country-specific, then channel-specific."""
    key = (app, entity, channel, country)
    choice = index.strategy_choice.get(key)
    if choice is None:
        found = []
        strategies = index.strategies
        for e in (entity, None) if entity is not None else (None,):
            for co in (country, None):
                for ch in (channel, None):
                    s = strategies.get((app, e, ch, co))
                    if s is not None:
                        found.append(s)
        choice = StrategyChoice(found[0] if found else None, max(len(found) - 1, 0))
        index.strategy_choice[key] = choice
    return choice


@dataclass(slots=True)
class Candidates:
    """The pool: associated for the channel, still supporting it, reaching the country."""

    associated: int
    supporting: int
    senders: tuple  # sorted by resource id
    ids: frozenset


def pool(index: RoutingIndex, app: str, entity: str | None, channel: str, country: str) -> Candidates:
    key = (app, entity, channel, country)
    found = index.candidates.get(key)
    if found is None:
        associated, supporting, by_country = index.pools.get((app, entity, channel), (0, 0, {}))
        reach = by_country.get(country, ())  # sorted by resource id, as the associations were read
        found = Candidates(associated, supporting, reach, frozenset(s.resource_id for s in reach))
        index.candidates[key] = found
    return found


@dataclass(slots=True)
class Group:
    """A set of senders with what the later steps need: ids for sticky, areas and regions for geolocation."""

    senders: tuple
    ids: frozenset
    note: str = ""
    by_area: dict | None = None
    by_region: dict | None = None


def ranked(index: RoutingIndex, key: tuple, candidates: Candidates, strategy: Strategy) -> Group:
    """Keep the best-ranked sender type present (lower number first, unlisted types after listed ones)."""
    gkey = ("rank", key, strategy.strategy_id if strategy.ranks else None)
    group = index.groups.get(gkey)
    if group is None:
        senders = candidates.senders
        if not strategy.ranks:
            group = Group(senders, candidates.ids, f"no priorities set: all {len(senders):,} kept")
        else:
            ranks = strategy.ranks
            best = min(ranks.get(s.sender_type, UNLISTED_RANK) for s in senders)
            kept = tuple(s for s in senders if ranks.get(s.sender_type, UNLISTED_RANK) == best)
            types = sorted({s.sender_type for s in kept})
            if best == UNLISTED_RANK:
                note = f"no listed sender type in the pool: {len(kept):,} unlisted kept"
            else:
                note = f"{', '.join(types)} first (priority {best}): {len(kept):,} of {len(senders):,} kept"
            group = Group(kept, frozenset(s.resource_id for s in kept), note)
        index.groups[gkey] = group
    return group


def geo_groups(group: Group) -> None:
    if group.by_area is None:
        by_area: dict = {}
        by_region: dict = {}
        for s in group.senders:
            if s.area_code:
                by_area.setdefault(s.area_code, []).append(s)
            if s.region:
                by_region.setdefault(s.region, []).append(s)
        group.by_region = {k: tuple(v) for k, v in by_region.items()}
        group.by_area = {k: tuple(v) for k, v in by_area.items()}


class Spread:
    """Least recently used first, ties to the lowest resource id: a heap refiled lazily.

    The heap holds one entry per sender, `stamp << 32 | rank` where rank is the sender's place in
    id order (plain integers compare fastest). Stamps only grow, so an entry whose stamp is behind
    the sender's current one is refiled with the current stamp when it reaches the top; picking is
    O(log n) however large the set.
    """

    __slots__ = ("heap", "ids")

    def __init__(self, senders: tuple, usage: dict):
        self.ids = ids = sorted(s.resource_id for s in senders)
        self.heap = [usage.get(rid, 0) << 32 | rank for rank, rid in enumerate(ids)]
        heapq.heapify(self.heap)

    def peek(self, usage: dict) -> tuple[str, int]:
        heap, ids = self.heap, self.ids
        while True:
            top = heap[0]
            rank = top & 0xFFFFFFFF
            rid = ids[rank]
            current = usage.get(rid, 0)
            if current == top >> 32:
                return rid, current
            heapreplace(heap, current << 32 | rank)


def spread(index: RoutingIndex, key: tuple, senders: tuple) -> tuple[str, int]:
    found = index.spreads.get(key)
    if found is None:
        found = index.spreads[key] = Spread(senders, index.usage)
    return found.peek(index.usage)


@dataclass(slots=True)
class Plan:
    """Everything about (app, entity, channel, country) that does not depend on the recipient:
    the strategy (or why there is none), the pool and the priority cut, with their trace steps."""

    strategy: Strategy | None
    rejection: tuple | None  # (code, description) when no strategy applies
    steps: tuple  # strategy, pool and priority steps, in order
    candidates: Candidates | None
    group: Group | None


def plan(index: RoutingIndex, app: str, entity: str | None, channel: str, country: str) -> Plan:
    key = (app, entity, channel, country)
    found = index.plans.get(key)
    if found is None:
        found = index.plans[key] = _plan(index, key)
    return found


def _plan(index: RoutingIndex, key: tuple) -> Plan:
    app, entity, channel, country = key
    choice = choose_strategy(index, app, entity, channel, country)
    strategy = choice.strategy
    if strategy is None:
        count = index.strategies_per_app.get(app, 0)
        if not count:
            rejection = ("NO_SENDING_STRATEGY", f"application {app} has no sending strategy")
        else:
            rejection = (
                "COUNTRY_NOT_ALLOWED",
                f"none of {possessive(app)} {counted(count, 'sending strategy')} covers {channel} to {country}"
                + (f" for entity {entity}" if entity else ""),
            )
        return Plan(None, rejection, (), None, None)
    over = f" over {choice.passed_over} less specific" if choice.passed_over else ", the only match"
    features = f"sticky {'on' if strategy.sticky else 'off'}, geolocated {'on' if strategy.geolocated else 'off'}"
    steps = [TraceStep("strategy", f"{strategy.short_id} {strategy.scope()} chosen{over}; {features}")]
    candidates = pool(index, app, entity, channel, country)
    where = f"associated with {platform_label(app, entity)} for {channel}"
    support = f", {candidates.supporting:,} support {channel}" if candidates.supporting != candidates.associated else ""
    steps.append(TraceStep("pool", f"{candidates.associated:,} {where}{support}, {len(candidates.senders):,} reach {country}"))
    group = None
    if candidates.senders:
        group = ranked(index, key, candidates, strategy)
        steps.append(TraceStep("priority", group.note))
    return Plan(strategy, None, tuple(steps), candidates, group)
