"""resources.json: inbound message configurations, requirements lookup, resource requests, documents."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, UploadFile
from fastapi.responses import Response

from store import inbound_config
from store import requests as store_requests
from store.enums import Channel
from store.errors import InvalidInput, NotFound
from store.number_forms import api_number, find_number, number_key_of
from store.requests import views
from store.tables import Resource

from ..auth import management
from ..params import PageNo
from ..errors import ApiFailure
from ..models.resources import (
    ConfigurationType,
    MoConfigurationRequest,
    RequirementsLookup,
    ResourceOrderRequest,
    UpdateResourceOrderRequest,
)
from ..responses import answer, empty, page

router = APIRouter(dependencies=[Depends(management)])
CONFIGS = "/resource-management/1/inbound-message-configurations"
REQUESTS = "/resources/1/requests"
DOCUMENTS = "/resources/1/documents"
STORE_CHANNELS = (Channel.SMS, Channel.MMS)
ORDER_STATUS = Literal["PENDING", "UPDATE_REQUESTED_BY_INTERNAL_REVIEWER", "CANCELED", "AUTOMATIC_VALIDATION",
                       "UPDATE_REQUESTED", "REJECTED", "COMPLETED", "PENDING_REVIEW", "IN_REVIEW", "IN_PROGRESS",
                       "CANCEL_REQUESTED"]


# Inbound message configurations

def inbound(session, row) -> dict:
    url = inbound_config.forward_url_of(row)
    resource = session.get(Resource, row.resource_id)
    return {
        "configurationKey": inbound_config.configuration_key(row),
        "channel": row.channel,
        "keyword": row.keyword,
        "numberKey": number_key_of(resource) if resource is not None else None,
        "number": api_number(row.resource_id),
        "platform": {"applicationId": row.application_id, "entityId": row.entity_id},
        "forwarding": inbound_config.forwarding_of(url),
    }


def _channel(channel: str) -> str:
    if channel not in STORE_CHANNELS:
        raise InvalidInput("cpaasx configures inbound SMS and MMS", "channel")
    return channel


@router.get(CONFIGS, name="get-inbound-configurations")
def list_inbound(
    request: Request,
    channel: ConfigurationType,
    configurationKey: str | None = None,
    number: str | None = None,
    numberKey: str | None = None,
    resource: str | None = None,
    resourceKey: str | None = None,
    keyword: Annotated[str | None, Query(max_length=50)] = None,
    countryCode: Annotated[str | None, Query(pattern="^[A-Z]{2}$")] = None,
):
    with request.app.state.store.read() as session:
        resource_id = None
        named = numberKey or resourceKey or number or resource
        if named is not None:
            try:
                resource_id = find_number(session, named, "numberKey" if numberKey else "number").resource_id
            except NotFound:
                return answer([])
        rows = [r for r in inbound_config.list_inbound_configurations(session, resource_id) if r.channel == channel]
        if configurationKey is not None:
            rows = [r for r in rows if inbound_config.configuration_key(r) == configurationKey]
        if keyword is not None:
            rows = [r for r in rows if (r.keyword or "").upper() == keyword.upper()]
        if countryCode is not None:
            rows = [r for r in rows if (session.get(Resource, r.resource_id) or Resource()).country == countryCode]
        return answer([inbound(session, r) for r in rows])


@router.post(CONFIGS, name="manage-inbound-configuration")
def create_inbound(request: Request, body: MoConfigurationRequest):
    named = body.numberKey or body.number
    if named is None:
        raise InvalidInput("give numberKey or number", "numberKey")
    forwarding = body.forwarding.model_dump(include={"type", "url"}) if body.forwarding else None
    url = inbound_config.forward_url_from(forwarding, "forwarding", pull_url_ignored=True)
    platform = body.platform
    with request.app.state.store.write() as session:
        row = find_number(session, named, "numberKey" if body.numberKey else "number")
        config = inbound_config.add_inbound_configuration(
            session, row.resource_id, _channel(body.channel), body.keyword,
            platform.applicationId if platform else None, platform.entityId if platform else None, url,
        )
        return answer(inbound(session, config))


@router.delete(CONFIGS + "/{configurationKey}", status_code=204, name="delete-inbound-configuration")
def delete_inbound(request: Request, configurationKey: Annotated[str, Path()]):
    with request.app.state.store.write() as session:
        inbound_config.remove_inbound_configuration(session, inbound_config.find_by_key(session, configurationKey).id)
    return empty(204)


# Requirements lookup and resource requests

def _type(kind: str) -> str:
    if kind == "RCS_SENDER_LAUNCH":
        raise ApiFailure(404, "RCS sender launches are not offered by cpaasx", "RR-RCS-UNAVAILABLE404",
                         [("type", "RCS_SENDER_LAUNCH is not offered")])
    return kind


@router.post("/resources/1/requirements-lookup", name="requirements-lookup")
def requirements_lookup(request: Request, body: RequirementsLookup):
    found = store_requests.lookup_requirements(_type(body.type), body.countryCode, body.numberType,
                                               body.capabilities, body.quantity)
    return answer({"requirements": found})


def _filled(requirements) -> list[dict] | None:
    return None if requirements is None else [r.model_dump() for r in requirements]


def _feedback(result) -> ApiFailure:
    violations = [(f"requirements.{f['key']}", f"{f['code']}: {f['feedback']}") for f in result.feedback]
    return ApiFailure(400, "Some requirements are missing or invalid", "RR-REQUIREMENTS-INVALID400", violations)


@router.get(REQUESTS, name="get-resource-requests")
def list_requests(
    request: Request,
    countryCode: Annotated[list[str] | None, Query()] = None,
    status: Annotated[list[ORDER_STATUS] | None, Query()] = None,
    type: Annotated[list[Literal["ALPHANUMERIC_REGISTRATION", "NUMBER_PURCHASE", "RCS_SENDER_LAUNCH"]] | None,
                    Query()] = None,
    page_: PageNo = 0,
    size: Annotated[int, Query(ge=1, le=1000)] = 20,
    sort: Annotated[list[str] | None, Query()] = None,
):
    statuses = [s for s in status or [] if s in store_requests.STATUSES]
    types = [t for t in type or [] if t in store_requests.REQUEST_TYPES]
    if (status and not statuses) or (type and not types):  # only statuses or types cpaasx never gives
        return answer({"results": [], "paging": {"page": page_, "size": size, "totalPages": 0, "totalResults": 0}})
    with request.app.state.store.read() as session:
        result = store_requests.list_requests(session, status=statuses or None, type=types or None,
                                              country_code=countryCode or None, page=page_, size=size)
        return page(result, views.request)


@router.post(REQUESTS, status_code=201, name="submit-resource-request")
def submit_request(request: Request, body: ResourceOrderRequest):
    platform = body.platform
    with request.app.state.store.write() as session:
        result = store_requests.submit_request(
            session, _type(body.type), body.countryCode, body.numberType, body.capabilities, body.quantity,
            body.senderName, _filled(body.requirements) or [],
            platform.applicationId if platform else None, platform.entityId if platform else None,
            now=_now(request),
        )
        if not result.ok:
            raise _feedback(result)
        return answer({"id": result.request.id}, 201)


@router.get(REQUESTS + "/{id}", name="get-resource-request")
def get_request(request: Request, id: Annotated[str, Path()]):
    with request.app.state.store.read() as session:
        return answer(views.request(store_requests.get_request(session, id)))


@router.patch(REQUESTS + "/{id}", name="update-resource-request")
def update_request(request: Request, body: UpdateResourceOrderRequest, id: Annotated[str, Path()]):
    with request.app.state.store.write() as session:
        result = store_requests.update_request(session, id, _filled(body.requirements), now=_now(request))
        if not result.ok:
            raise _feedback(result)
        return answer(views.request(result.request))


@router.post(REQUESTS + "/{id}/cancel", status_code=204, name="cancel-resource-request")
def cancel_request(request: Request, id: Annotated[str, Path()]):
    with request.app.state.store.write() as session:
        store_requests.cancel_request(session, id, now=_now(request))
    return empty(204)


def _now(request: Request):
    """The server's one clock (the router's), so request times and the reviewer agree with message times."""
    return request.app.state.router.clock()


# Documents

@router.post(DOCUMENTS, status_code=201, name="upload-document")
def upload_document(request: Request, document: UploadFile):
    content = document.file.read()
    with request.app.state.store.write() as session:
        row = store_requests.add_document(session, document.filename or "", content)
        return answer({"documentId": row.document_id}, 201)


@router.get(DOCUMENTS + "/{documentId}", name="download-document")
def download_document(request: Request, documentId: Annotated[str, Path()]):
    with request.app.state.store.read() as session:
        row = store_requests.get_document(session, documentId)
        return Response(row.content, media_type=row.content_type,
                        headers={"Content-Disposition": f'attachment; filename="{row.file_name}"'})


@router.delete(DOCUMENTS + "/{documentId}", status_code=204, name="delete-document")
def delete_document(request: Request, documentId: Annotated[str, Path()]):
    with request.app.state.store.write() as session:
        store_requests.delete_document(session, documentId)
    return empty(204)
