"""Rows as the platform's API spells them (camelCase), for setup files, JSON output and screens."""

from __future__ import annotations

from datetime import datetime

from .tables import (
    ApiKey,
    ApiKeyLink,
    Application,
    Entity,
    InboundConfiguration,
    Resource,
    ResourceAssociation,
    SendingStrategy,
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def application(row: Application) -> dict:
    return {"applicationId": row.application_id, "applicationName": row.application_name}


def entity(row: Entity) -> dict:
    return {"entityId": row.entity_id, "entityName": row.entity_name}


def resource(row: Resource) -> dict:
    out = {
        "resourceId": row.resource_id,
        "resourceType": row.resource_type,
        "numberKey": row.number_key,
        "numberType": row.number_type,
        "country": row.country,
        "capabilities": list(row.capabilities),
        "destinationCountries": list(row.destination_countries),
        "applicationId": row.application_id,
        "entityId": row.entity_id,
    }
    return out


def inbound_configuration(row: InboundConfiguration) -> dict:
    """A setup file's item; `forwarding` only when the configuration forwards (absent means the inbox)."""
    item = {
        "resourceId": row.resource_id,
        "channel": row.channel,
        "keyword": row.keyword,
        "applicationId": row.application_id,
        "entityId": row.entity_id,
    }
    if row.forward_url:
        item["forwarding"] = {"type": "HTTP_FORWARD", "url": row.forward_url}
    return item


def association(row: ResourceAssociation) -> dict:
    return {
        "resourceType": row.resource_type,
        "resourceId": row.resource_id,
        "channel": row.channel,
        "applicationId": row.application_id,
        "entityId": row.entity_id,
    }


def strategy(row: SendingStrategy) -> dict:
    return {
        "sendingStrategyId": row.sending_strategy_id,
        "platform": {"applicationId": row.application_id, "entityId": row.entity_id},
        "channel": row.channel,
        "destinationCountryCode": row.destination_country_code,
        "useStickySender": row.use_sticky_sender,
        "useGeolocatedSender": row.use_geolocated_sender,
        "priorities": [dict(p) for p in row.priorities],
        "defaultSender": row.default_sender,
    }


def api_key(row: ApiKey, links: list[ApiKeyLink]) -> dict:
    return {
        "name": row.name,
        "secretHash": row.secret_hash,
        "enabled": row.enabled,
        "validFrom": _iso(row.valid_from),
        "validTo": _iso(row.valid_to),
        "platform": [
            {"applicationId": l.application_id, "entityId": l.entity_id, "action": l.action} for l in links
        ],
    }
