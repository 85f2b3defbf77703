"""Applications and entities: the same rules for both, one implementation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import Session, col, select

from .db import DEFAULT_APPLICATION
from .errors import DuplicateId, NotFound
from .paging import DEFAULT_SIZE, Page, paginate
from .tables import Application, Entity
from .validation import check_id, check_name
from .display import quote


@dataclass(frozen=True)
class Kind:
    model: type
    id_field: str  # API name, e.g. "applicationId"
    name_field: str
    id_attr: str
    name_attr: str
    label: str


APPLICATION = Kind(Application, "applicationId", "applicationName", "application_id", "application_name", "application")
ENTITY = Kind(Entity, "entityId", "entityName", "entity_id", "entity_name", "entity")


def _create(session: Session, kind: Kind, ident: str, name: str | None):
    check_id(ident, kind.id_field)
    name = check_name(name if name is not None else ident, kind.name_field)
    if session.get(kind.model, ident) is not None:
        raise DuplicateId(f"{kind.label} {quote(ident)} already exists", kind.id_field)
    row = kind.model(**{kind.id_attr: ident, kind.name_attr: name})
    session.add(row)
    session.flush()
    return row


def _get(session: Session, kind: Kind, ident: str):
    row = session.get(kind.model, ident) if isinstance(ident, str) else None
    if row is None:
        raise NotFound(f"no {kind.label} {quote(ident)}", kind.id_field)
    return row


def _rename(session: Session, kind: Kind, ident: str, name: str):
    row = _get(session, kind, ident)
    setattr(row, kind.name_attr, check_name(name, kind.name_field))
    session.add(row)
    session.flush()
    return row


def _list(session: Session, kind: Kind, page: int, size: int, query: str | None) -> Page:
    id_col = col(getattr(kind.model, kind.id_attr))
    statement = select(kind.model).order_by(id_col)
    if query:
        like = f"%{query}%"
        name_col = col(getattr(kind.model, kind.name_attr))
        statement = statement.where(or_(id_col.ilike(like), name_col.ilike(like)))
    return paginate(session, statement, page, size)


def create_application(session: Session, application_id: str, application_name: str | None = None) -> Application:
    return _create(session, APPLICATION, application_id, application_name)


def get_application(session: Session, application_id: str) -> Application:
    return _get(session, APPLICATION, application_id)


def rename_application(session: Session, application_id: str, application_name: str) -> Application:
    return _rename(session, APPLICATION, application_id, application_name)


def list_applications(session: Session, page: int = 0, size: int = DEFAULT_SIZE, query: str | None = None) -> Page:
    return _list(session, APPLICATION, page, size, query)


def create_entity(session: Session, entity_id: str, entity_name: str | None = None) -> Entity:
    return _create(session, ENTITY, entity_id, entity_name)


def get_entity(session: Session, entity_id: str) -> Entity:
    return _get(session, ENTITY, entity_id)


def rename_entity(session: Session, entity_id: str, entity_name: str) -> Entity:
    return _rename(session, ENTITY, entity_id, entity_name)


def list_entities(session: Session, page: int = 0, size: int = DEFAULT_SIZE, query: str | None = None) -> Page:
    return _list(session, ENTITY, page, size, query)


def ensure_entity(session: Session, entity_id: str) -> tuple[Entity, bool]:
    """The entity, created with name = id when unknown (messages may name new entities)."""
    row = session.get(Entity, entity_id)
    if row is not None:
        return row, False
    return create_entity(session, entity_id), True


def check_platform(session: Session | None, application_id, entity_id, prefix: str = "",
                   known: tuple[set, set] | None = None) -> None:
    """Both halves of a platform reference exist (entity may be None).

    `known` (application ids, entity ids) answers from sets a bulk caller read once, instead of the
    session.
    """
    check_id(application_id, f"{prefix}applicationId")
    exists = (lambda model, ident: ident in known[model is Entity]) if known else (
        lambda model, ident: session.get(model, ident) is not None)
    if not exists(Application, application_id):
        raise NotFound(f"no application {quote(application_id)}", f"{prefix}applicationId")
    if entity_id is not None:
        check_id(entity_id, f"{prefix}entityId")
        if not exists(Entity, entity_id):
            raise NotFound(f"no entity {quote(entity_id)}", f"{prefix}entityId")


__all__ = [
    "DEFAULT_APPLICATION",
    "check_platform",
    "create_application",
    "create_entity",
    "ensure_entity",
    "get_application",
    "get_entity",
    "list_applications",
    "list_entities",
    "rename_application",
    "rename_entity",
]
