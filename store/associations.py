"""Resource associations: which application (and entity) may send from a resource, per channel."""

from __future__ import annotations

from sqlmodel import Session, col, select

from .enums import Channel, ResourceType
from .errors import Conflict, InvalidInput, NotFound, UnsupportedChannel
from .paging import DEFAULT_SIZE, Page, paginate
from .platforms import check_platform
from .resources import get_resource
from .tables import ResourceAssociation
from .validation import check_enum
from .words import with_article


def _find(session: Session, resource_type, resource_id, channel, application_id, entity_id):
    return session.exec(
        select(ResourceAssociation).where(
            ResourceAssociation.resource_type == resource_type,
            ResourceAssociation.resource_id == resource_id,
            ResourceAssociation.channel == channel,
            ResourceAssociation.application_id == application_id,
            col(ResourceAssociation.entity_id).is_(None)
            if entity_id is None
            else ResourceAssociation.entity_id == entity_id,
        )
    ).first()


def create_association(
    session: Session,
    resource_type: str,
    resource_id: str,
    channel: str,
    application_id: str,
    entity_id: str | None = None,
) -> ResourceAssociation:
    resource_type = check_enum(resource_type, list(ResourceType), "resourceType")
    resource = get_resource(session, resource_id)
    if resource.resource_type != resource_type:
        have, want = with_article(str(resource.resource_type)), with_article(str(resource_type))
        raise InvalidInput(f"{resource_id} is {have}, not {want}", "resourceType")
    channel = check_enum(channel, list(Channel), "channel")
    if channel not in resource.capabilities:
        raise UnsupportedChannel(f"{resource_id} does not support {channel}", "channel")
    check_platform(session, application_id, entity_id)
    if _find(session, resource_type, resource_id, channel, application_id, entity_id) is not None:
        raise Conflict("this association already exists", "resourceId")
    row = ResourceAssociation(
        resource_type=resource_type,
        resource_id=resource_id,
        channel=channel,
        application_id=application_id,
        entity_id=entity_id,
    )
    session.add(row)
    session.flush()
    return row


def find_association(session: Session, resource_type, resource_id, channel, application_id, entity_id):
    return _find(session, resource_type, resource_id, channel, application_id, entity_id)


def delete_association(session: Session, association_id: int) -> None:
    """Removes the association only; the resource stays."""
    row = session.get(ResourceAssociation, association_id)
    if row is None:
        raise NotFound(f"no association {association_id}", "id")
    session.delete(row)
    session.flush()


def list_associations(
    session: Session,
    page: int = 0,
    size: int = DEFAULT_SIZE,
    application_id: str | None = None,
    entity_id: str | None = None,
    resource_id: str | None = None,
    channel: str | None = None,
    resource_type: str | None = None,
) -> Page:
    statement = select(ResourceAssociation).order_by(
        col(ResourceAssociation.application_id),
        col(ResourceAssociation.entity_id),
        col(ResourceAssociation.resource_id),
        col(ResourceAssociation.channel),
    )
    if application_id is not None:
        statement = statement.where(ResourceAssociation.application_id == application_id)
    if entity_id is not None:
        statement = statement.where(ResourceAssociation.entity_id == entity_id)
    if resource_id is not None:
        statement = statement.where(ResourceAssociation.resource_id == resource_id)
    if channel is not None:
        statement = statement.where(ResourceAssociation.channel == channel)
    if resource_type is not None:
        statement = statement.where(ResourceAssociation.resource_type == resource_type)
    return paginate(session, statement, page, size)
