"""Relations at a glance: what names an application or entity, and where a number's traffic goes."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from . import api
from .db import DEFAULT_APPLICATION
from .errors import InvalidInput
from .platforms import get_application, get_entity
from .resources import get_resource
from .tables import (
    ApiKey,
    ApiKeyLink,
    InboundConfiguration,
    Resource,
    ResourceAssociation,
    SendingStrategy,
    StickyBinding,
)

SHOWN = 50  # rows of each relation returned; the totals say how many there are


def platform_relations(session: Session, kind: str, ident: str, limit: int = SHOWN) -> dict:
    """Numbers, associations, strategies, inbound configurations and API keys naming an app or entity."""
    if kind == "application":
        get_application(session, ident)
        column = "application_id"
    elif kind == "entity":
        get_entity(session, ident)
        column = "entity_id"
    else:
        raise InvalidInput("must be application or entity", "kind")

    def where(model):
        return getattr(model, column) == ident

    def total(model) -> int:
        return session.exec(select(func.count()).select_from(model).where(where(model))).one()

    numbers = session.exec(
        select(Resource).where(where(Resource)).order_by(col(Resource.resource_id)).limit(limit)
    ).all()
    associations = session.exec(
        select(ResourceAssociation)
        .where(where(ResourceAssociation))
        .order_by(col(ResourceAssociation.resource_id), col(ResourceAssociation.channel))
        .limit(limit)
    ).all()
    strategies = session.exec(
        select(SendingStrategy)
        .where(where(SendingStrategy))
        .order_by(col(SendingStrategy.entity_id), col(SendingStrategy.channel), col(SendingStrategy.destination_country_code))
        .limit(limit)
    ).all()
    inbound = session.exec(
        select(InboundConfiguration).where(where(InboundConfiguration)).order_by(col(InboundConfiguration.resource_id)).limit(limit)
    ).all()
    links = session.exec(select(ApiKeyLink).where(where(ApiKeyLink)).order_by(col(ApiKeyLink.key_name))).all()
    keys = {k.name: k for k in session.exec(select(ApiKey).where(col(ApiKey.name).in_([l.key_name for l in links]))).all()}
    return {
        "kind": kind,
        "id": ident,
        "numbers": [api.resource(r) for r in numbers],
        "numbersTotal": total(Resource),
        "associations": [api.association(a) for a in associations],
        "associationsTotal": total(ResourceAssociation),
        "strategies": [api.strategy(s) for s in strategies],
        "inbound": [api.inbound_configuration(c) for c in inbound],
        "apiKeys": [
            {
                "name": l.key_name,
                "applicationId": l.application_id,
                "entityId": l.entity_id,
                "action": l.action,
                "enabled": keys[l.key_name].enabled if l.key_name in keys else False,
            }
            for l in links
        ],
    }


def lands_on(config: InboundConfiguration, number: Resource) -> dict:
    """Where traffic matched by `config` lands: a config naming no real platform takes the number's."""
    if config.application_id is None or (config.application_id == DEFAULT_APPLICATION and config.entity_id is None):
        return {"applicationId": number.application_id, "entityId": number.entity_id, "level": "NUMBER"}
    return {"applicationId": config.application_id, "entityId": config.entity_id, "level": "INBOUND_CONFIGURATION"}


def resource_relations(session: Session, resource_id: str) -> dict:
    """A resource with its associations, inbound configurations (and where each lands) and references."""
    number = get_resource(session, resource_id)
    associations = session.exec(
        select(ResourceAssociation)
        .where(ResourceAssociation.resource_id == resource_id)
        .order_by(col(ResourceAssociation.channel), col(ResourceAssociation.application_id), col(ResourceAssociation.entity_id))
    ).all()
    configs = session.exec(
        select(InboundConfiguration)
        .where(InboundConfiguration.resource_id == resource_id)
        .order_by(col(InboundConfiguration.channel), col(InboundConfiguration.keyword_key))
    ).all()
    defaults = session.exec(
        select(SendingStrategy.sending_strategy_id).where(SendingStrategy.default_sender == resource_id)
    ).all()
    sticky = session.exec(select(func.count()).select_from(StickyBinding).where(StickyBinding.sender == resource_id)).one()
    return {
        "resource": api.resource(number),
        "associations": [{**api.association(a), "id": a.id} for a in associations],
        "inbound": [{**api.inbound_configuration(c), "id": c.id, "landsOn": lands_on(c, number)} for c in configs],
        "numberLevel": {"applicationId": number.application_id, "entityId": number.entity_id},
        "defaultSenderOf": list(defaults),
        "stickyBindings": sticky,
    }


__all__ = ["lands_on", "platform_relations", "resource_relations"]
