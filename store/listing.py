"""Sortable, filtered pages of every setup object, as API dicts: what the dashboard's tables show."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from . import api
from .errors import InvalidInput
from .paging import DEFAULT_SIZE, Page, paginate
from .tables import (
    ApiKey,
    ApiKeyLink,
    Application,
    Entity,
    Resource,
    ResourceAssociation,
    SendingStrategy,
)


@dataclass(frozen=True)
class Listing:
    model: type
    key: str  # the primary-key attribute: the last sort key, so pages never overlap
    sorts: dict  # API field name -> attribute
    filters: tuple  # attributes the filter text is matched against


LISTINGS = {
    "application": Listing(
        Application,
        "application_id",
        {"applicationId": "application_id", "applicationName": "application_name"},
        ("application_id", "application_name"),
    ),
    "entity": Listing(
        Entity,
        "entity_id",
        {"entityId": "entity_id", "entityName": "entity_name"},
        ("entity_id", "entity_name"),
    ),
    "resource": Listing(
        Resource,
        "resource_id",
        {
            "resourceId": "resource_id",
            "resourceType": "resource_type",
            "numberType": "number_type",
            "country": "country",
            "applicationId": "application_id",
            "entityId": "entity_id",
        },
        ("resource_id", "resource_type", "number_type", "country", "application_id", "entity_id"),
    ),
    "strategy": Listing(
        SendingStrategy,
        "sending_strategy_id",
        {
            "applicationId": "application_id",
            "entityId": "entity_id",
            "channel": "channel",
            "destinationCountryCode": "destination_country_code",
            "sendingStrategyId": "sending_strategy_id",
        },
        ("sending_strategy_id", "application_id", "entity_id", "channel", "destination_country_code", "default_sender"),
    ),
    "api-key": Listing(ApiKey, "name", {"name": "name", "enabled": "enabled"}, ("name",)),
}


def list_page(
    session: Session,
    kind: str,
    page: int = 0,
    size: int = DEFAULT_SIZE,
    query: str | None = None,
    sort: str | None = None,
    descending: bool = False,
) -> Page:
    """One page of `kind` rows as API dicts, filtered by `query` (substring, any listed column)."""
    listing = LISTINGS.get(kind)
    if listing is None:
        raise InvalidInput(f"must be one of {', '.join(LISTINGS)}", "kind")
    model = listing.model
    sort = sort or next(iter(listing.sorts))
    if sort not in listing.sorts:
        raise InvalidInput(f"must be one of {', '.join(listing.sorts)}", "sort")
    primary = col(getattr(model, listing.sorts[sort]))
    key = col(getattr(model, listing.key))
    order = [primary.desc() if descending else primary.asc()]
    if listing.sorts[sort] != listing.key:
        order.append(key.desc() if descending else key.asc())
    statement = select(model).order_by(*order)
    if query and query.strip():
        like = f"%{query.strip()}%"
        columns = [col(getattr(model, name)).ilike(like) for name in listing.filters]
        if kind == "api-key":
            linked = select(ApiKeyLink.key_name).where(
                or_(col(ApiKeyLink.application_id).ilike(like), col(ApiKeyLink.entity_id).ilike(like))
            )
            columns.append(col(ApiKey.name).in_(linked))
        statement = statement.where(or_(*columns))
    result = paginate(session, statement, page, size)
    return Page(_as_dicts(session, kind, result.results), result.page, result.size, result.total_results)


def _counts(session: Session, model, column: str, ids: list[str]) -> dict[str, int]:
    attr = col(getattr(model, column))
    rows = session.exec(select(attr, func.count()).where(attr.in_(ids)).group_by(attr)).all()
    return dict(rows)


def _as_dicts(session: Session, kind: str, rows: list) -> list[dict]:
    if kind in ("application", "entity"):
        convert = api.application if kind == "application" else api.entity
        column = f"{kind}_id"
        ids = [getattr(r, column) for r in rows]
        numbers = _counts(session, Resource, column, ids)
        associations = _counts(session, ResourceAssociation, column, ids)
        strategies = _counts(session, SendingStrategy, column, ids)
        return [
            {
                **convert(r),
                "numbers": numbers.get(getattr(r, column), 0),
                "associations": associations.get(getattr(r, column), 0),
                "strategies": strategies.get(getattr(r, column), 0),
            }
            for r in rows
        ]
    if kind == "resource":
        associations = _counts(session, ResourceAssociation, "resource_id", [r.resource_id for r in rows])
        return [{**api.resource(r), "associations": associations.get(r.resource_id, 0)} for r in rows]
    if kind == "strategy":
        return [api.strategy(r) for r in rows]
    names = [r.name for r in rows]
    links = session.exec(
        select(ApiKeyLink).where(col(ApiKeyLink.key_name).in_(names)).order_by(col(ApiKeyLink.id))
    ).all()
    by_key: dict[str, list] = {}
    for link in links:
        by_key.setdefault(link.key_name, []).append(link)
    return [api.api_key(r, by_key.get(r.name, [])) for r in rows]


def ids_starting(session: Session, kind: str, prefix: str, limit: int = 1) -> list[str]:
    """Ids of `kind` beginning with `prefix`, in order (a range scan on the key, fast on big stores)."""
    listing = LISTINGS[kind]
    key = col(getattr(listing.model, listing.key))
    statement = select(key).where(key >= prefix, key < prefix + "\U0010ffff").order_by(key).limit(limit)
    return list(session.exec(statement).all())


def all_ids(session: Session, kind: str, limit: int = 1000) -> tuple[list[str], bool]:
    """Up to `limit` ids of `kind` in order, and whether there are more (too many for a drop-down)."""
    listing = LISTINGS[kind]
    key = col(getattr(listing.model, listing.key))
    ids = list(session.exec(select(key).order_by(key).limit(limit + 1)).all())
    return ids[:limit], len(ids) > limit


__all__ = ["LISTINGS", "all_ids", "ids_starting", "list_page"]
