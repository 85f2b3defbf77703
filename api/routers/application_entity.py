"""application-entity.json: applications, entities (delete with the cascade), resource associations."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from store import associations as store_associations
from store import deletes, platforms
from store import api as shapes
from store.enums import ResourceType
from store.errors import NotFound
from store.number_forms import find_number, number_key_of
from store.tables import Resource

from ..auth import management
from ..params import PageNo
from ..models.common import AssociationChannel, ResourceTypeName
from ..models.provisioning import (
    Application,
    Entity,
    ModifyApplication,
    ModifyEntity,
    ResourceAssociationRequest,
)
from ..responses import answer, empty, page

router = APIRouter(dependencies=[Depends(management)])

Size = Annotated[int, Query(ge=1, le=1000)]
Text255 = Annotated[str | None, Query(max_length=255)]


def _store(request: Request):
    return request.app.state.store


def _platform_routes(kind: str, model, modify, create, get, rename, list_, convert) -> None:
    """Applications and entities share their rules in the store, and their routes here."""
    plural = "applications" if kind == "application" else "entities"
    id_field, name_field = f"{kind}Id", f"{kind}Name"
    base, one = f"/provisioning/1/{plural}", f"/provisioning/1/{plural}/{{{id_field}}}"
    ident = Annotated[str, Path(alias=id_field, max_length=255)]

    @router.get(base, name=f"list-{plural}")
    def list_all(request: Request, page_: PageNo = 0, size: Size = 20):
        with _store(request).read() as session:
            return page(list_(session, page_, size), convert)

    @router.post(base, status_code=201, name=f"create-{kind}")
    def create_one(request: Request, body: model):
        with _store(request).write() as session:
            create(session, getattr(body, id_field), getattr(body, name_field))
        return empty(201)

    @router.get(one, name=f"get-{kind}")
    def get_one(request: Request, key: ident):
        with _store(request).read() as session:
            return answer(convert(get(session, key)))

    @router.put(one, status_code=204, name=f"modify-{kind}")
    def modify_one(request: Request, body: modify, key: ident):
        with _store(request).write() as session:
            rename(session, key, getattr(body, name_field))
        return empty(204)

    @router.delete(one, name=f"delete-{kind}")
    def delete_one(request: Request, key: ident):
        with _store(request).write() as session:
            deletes.delete(session, kind, key)
        return empty(200)


_platform_routes("application", Application, ModifyApplication, platforms.create_application,
                 platforms.get_application, platforms.rename_application, platforms.list_applications,
                 shapes.application)
_platform_routes("entity", Entity, ModifyEntity, platforms.create_entity, platforms.get_entity,
                 platforms.rename_entity, platforms.list_entities, shapes.entity)


def _resource_id(session, resource_type: str, value: str) -> str:
    """The store's resource id: a NUMBER is named by its numberKey or its number, in either form."""
    if resource_type == ResourceType.NUMBER:
        return find_number(session, value, "resourceId").resource_id
    return value


def _channel(channel: str) -> str:
    return "VOICE" if channel == "VOICE_VIDEO" else channel


def association(session, row) -> dict:
    """An association as the file answers it: a NUMBER's `resourceId` is its numberKey."""
    out = shapes.association(row)
    if row.resource_type == ResourceType.NUMBER:
        resource = session.get(Resource, row.resource_id)
        if resource is not None:
            out["resourceId"] = number_key_of(resource)
    return out


@router.get("/provisioning/1/associations", name="list-associations")
def list_associations(
    request: Request,
    page_: PageNo = 0,
    size: Size = 20,
    resourceType: ResourceTypeName | None = None,
    channel: AssociationChannel | None = None,
    applicationId: Text255 = None,
    entityId: Text255 = None,
    resourceId: Text255 = None,
):
    with _store(request).read() as session:
        resource_id = resourceId
        if resourceId is not None and resourceType in (None, ResourceType.NUMBER):
            try:
                resource_id = find_number(session, resourceId, "resourceId").resource_id
            except NotFound:
                pass  # not a number: filter by the value as given
        result = store_associations.list_associations(
            session, page_, size, application_id=applicationId, entity_id=entityId, resource_id=resource_id,
            channel=_channel(channel) if channel else None, resource_type=resourceType,
        )
        return page(result, lambda row: association(session, row))


@router.post("/provisioning/1/associations", status_code=201, name="create-association")
def create_association(request: Request, body: ResourceAssociationRequest):
    with _store(request).write() as session:
        store_associations.create_association(
            session, body.resourceType, _resource_id(session, body.resourceType, body.resourceId),
            _channel(body.channel), body.applicationId, body.entityId,
        )
    return empty(201)


@router.delete("/provisioning/1/associations", status_code=204, name="delete-association")
def delete_association(request: Request, body: ResourceAssociationRequest):
    with _store(request).write() as session:
        row = _find(session, body.resourceType, body.resourceId, body.channel, body.applicationId, body.entityId)
        store_associations.delete_association(session, row.id)
    return empty(204)


@router.get("/provisioning/1/associations/single", name="get-association")
def get_association(
    request: Request,
    resourceType: ResourceTypeName,
    channel: AssociationChannel,
    applicationId: Annotated[str, Query(max_length=255)],
    resourceId: Annotated[str, Query(max_length=255)],
    entityId: Text255 = None,
):
    with _store(request).read() as session:
        return answer(association(session, _find(session, resourceType, resourceId, channel, applicationId, entityId)))


def _find(session, resource_type, resource_id, channel, application_id, entity_id):
    row = store_associations.find_association(
        session, resource_type, _resource_id(session, resource_type, resource_id), _channel(channel),
        application_id, entity_id,
    )
    if row is None:
        raise NotFound("no such association", "resourceId")
    return row
