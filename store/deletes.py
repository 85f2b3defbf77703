"""Deleting with DOMAIN.md's cascade, and `preview_delete`: the same cascade, answered before it runs."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select
from sqlmodel import delete as delete_rows

from .db import DEFAULT_APPLICATION
from .display import platform_label
from .enums import DELETE_KINDS
from .errors import CannotDeleteDefault, InvalidInput
from .keys import get_api_key
from .platforms import get_application, get_entity
from .resources import get_resource
from .strategies import get_strategy
from .words import count
from .tables import (
    ApiKey,
    ApiKeyLink,
    InboundConfiguration,
    Resource,
    ResourceAssociation,
    SenderUsage,
    SendingStrategy,
    StickyBinding,
)

KINDS = DELETE_KINDS


@dataclass
class DeleteImpact:
    """What a delete resets and removes, by name, so a person can confirm it."""

    kind: str
    id: str
    numbers_reset: list[str] = field(default_factory=list)
    associations_removed: list[str] = field(default_factory=list)
    strategies_removed: list[str] = field(default_factory=list)
    strategies_losing_default: list[str] = field(default_factory=list)
    inbound_fallback: list[str] = field(default_factory=list)
    inbound_removed: list[str] = field(default_factory=list)
    key_links_removed: list[str] = field(default_factory=list)
    keys_disabled: list[str] = field(default_factory=list)
    sticky_removed: int = 0

    def lines(self) -> list[str]:
        """One readable line per consequence, empty when nothing else changes."""
        out = []

        def add(items, what, verb):
            if items:
                verb = verb[0] if len(items) == 1 else verb[1]
                shown = ", ".join(items[:5]) + (f", … {len(items) - 5:,} more" if len(items) > 5 else "")
                out.append(f"{count(len(items), what)} {verb}: {shown}")

        add(self.numbers_reset, "number", ("reset to application default",) * 2)
        add(self.associations_removed, "association", ("removed",) * 2)
        add(self.strategies_removed, "strategy", ("removed",) * 2)
        add(self.strategies_losing_default, "strategy", ("loses its default sender", "lose their default sender"))
        add(self.inbound_fallback, "inbound configuration", ("falls back to the number", "fall back to the number"))
        add(self.inbound_removed, "inbound configuration", ("removed",) * 2)
        add(self.key_links_removed, "API key link", ("removed",) * 2)
        add(self.keys_disabled, "API key", ("disabled (its last link goes)", "disabled (their last link goes)"))
        if self.sticky_removed:
            out.append(f"{count(self.sticky_removed, 'sticky binding')} removed")
        return out

    def summary(self) -> str:
        return "; ".join(self.lines()) or "nothing else changes"

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}


def _platform_impact(session: Session, kind: str, ident: str) -> tuple[DeleteImpact, dict]:
    app_level = kind == "application"
    column = "application_id" if app_level else "entity_id"

    def names(model):
        return getattr(model, column) == ident

    impact = DeleteImpact(kind, ident)
    rows: dict = {}
    rows["numbers"] = session.exec(select(Resource).where(names(Resource)).order_by(col(Resource.resource_id))).all()
    impact.numbers_reset = [r.resource_id for r in rows["numbers"]]
    rows["associations"] = session.exec(select(ResourceAssociation).where(names(ResourceAssociation))).all()
    impact.associations_removed = sorted(
        f"{a.resource_id} {a.channel} → {platform_label(a.application_id, a.entity_id)}" for a in rows["associations"]
    )
    rows["strategies"] = session.exec(select(SendingStrategy).where(names(SendingStrategy))).all()
    impact.strategies_removed = sorted(s.sending_strategy_id for s in rows["strategies"])
    rows["inbound"] = session.exec(select(InboundConfiguration).where(names(InboundConfiguration))).all()
    impact.inbound_fallback = sorted(
        f"{c.resource_id} {c.channel} {c.keyword or '(catch-all)'}" for c in rows["inbound"]
    )
    rows["links"] = session.exec(select(ApiKeyLink).where(names(ApiKeyLink))).all()
    impact.key_links_removed = sorted(f"{l.key_name} → {platform_label(l.application_id, l.entity_id)}" for l in rows["links"])
    removed_ids = {l.id for l in rows["links"]}
    for key_name in sorted({l.key_name for l in rows["links"]}):
        remaining = session.exec(select(ApiKeyLink).where(ApiKeyLink.key_name == key_name)).all()
        if all(l.id in removed_ids for l in remaining):
            impact.keys_disabled.append(key_name)
    sticky_filter = (
        StickyBinding.application_id == ident if app_level else StickyBinding.entity_key == ident
    )
    rows["sticky_filter"] = sticky_filter
    impact.sticky_removed = len(session.exec(select(StickyBinding).where(sticky_filter)).all())
    return impact, rows


def _resource_impact(session: Session, ident: str) -> tuple[DeleteImpact, dict]:
    get_resource(session, ident)
    impact = DeleteImpact("resource", ident)
    rows: dict = {}
    rows["associations"] = session.exec(
        select(ResourceAssociation).where(ResourceAssociation.resource_id == ident)
    ).all()
    impact.associations_removed = sorted(
        f"{a.channel} → {platform_label(a.application_id, a.entity_id)}" for a in rows["associations"]
    )
    rows["inbound"] = session.exec(select(InboundConfiguration).where(InboundConfiguration.resource_id == ident)).all()
    impact.inbound_removed = sorted(f"{c.channel} {c.keyword or '(catch-all)'}" for c in rows["inbound"])
    rows["defaults"] = session.exec(select(SendingStrategy).where(SendingStrategy.default_sender == ident)).all()
    impact.strategies_losing_default = sorted(s.sending_strategy_id for s in rows["defaults"])
    impact.sticky_removed = len(session.exec(select(StickyBinding).where(StickyBinding.sender == ident)).all())
    return impact, rows


def preview_delete(session: Session, kind: str, ident: str) -> DeleteImpact:
    """What `delete(kind, ident)` would do, without changing anything."""
    return _impact(session, kind, ident)[0]


def _impact(session: Session, kind: str, ident: str) -> tuple[DeleteImpact, dict]:
    if kind == "application":
        get_application(session, ident)
        if ident == DEFAULT_APPLICATION:
            raise CannotDeleteDefault("the default application cannot be deleted", "applicationId")
        return _platform_impact(session, kind, ident)
    if kind == "entity":
        get_entity(session, ident)
        return _platform_impact(session, kind, ident)
    if kind == "resource":
        return _resource_impact(session, ident)
    if kind == "strategy":
        get_strategy(session, ident)
        return DeleteImpact(kind, ident), {}
    if kind == "api-key":
        get_api_key(session, ident)
        return DeleteImpact(kind, ident), {}
    raise InvalidInput(f"must be one of {', '.join(KINDS)}", "kind")


def delete(session: Session, kind: str, ident: str) -> DeleteImpact:
    """Delete one object and everything DOMAIN.md cascades to, inside the caller's transaction."""
    impact, rows = _impact(session, kind, ident)
    if kind in ("application", "entity"):
        for number in rows["numbers"]:
            number.application_id, number.entity_id = DEFAULT_APPLICATION, None
            session.add(number)
        for config in rows["inbound"]:
            # A configuration naming a pair goes whole: both halves fall back to the number.
            config.application_id, config.entity_id = None, None
            session.add(config)
        for row in [*rows["associations"], *rows["strategies"], *rows["links"]]:
            session.delete(row)
        for key_name in impact.keys_disabled:
            key = session.get(ApiKey, key_name)
            key.enabled = False
            session.add(key)
        session.exec(delete_rows(StickyBinding).where(rows["sticky_filter"]))
        model = get_application(session, ident) if kind == "application" else get_entity(session, ident)
        session.delete(model)
    elif kind == "resource":
        for row in [*rows["associations"], *rows["inbound"]]:
            session.delete(row)
        for strategy in rows["defaults"]:
            strategy.default_sender = None
            session.add(strategy)
        session.exec(delete_rows(StickyBinding).where(StickyBinding.sender == ident))
        session.exec(delete_rows(SenderUsage).where(SenderUsage.resource_id == ident))
        session.delete(get_resource(session, ident))
    elif kind == "strategy":
        session.delete(get_strategy(session, ident))
    else:
        session.exec(delete_rows(ApiKeyLink).where(ApiKeyLink.key_name == ident))
        session.delete(get_api_key(session, ident))
    session.flush()
    return impact


def release_resource(session: Session, resource_id: str) -> DeleteImpact:
    return delete(session, "resource", resource_id)


__all__ = ["DeleteImpact", "KINDS", "delete", "preview_delete", "release_resource"]
