"""account-management.json: `/settings/2/api-keys` (list, create with the secret shown once, get, update)."""

import hashlib
from datetime import UTC
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from store import keys as store_keys
from store.errors import InvalidInput, NotFound

from ..auth import management
from ..params import PageNo
from ..models.api_keys import CreateApiKeyRequest, UpdateApiKeyRequest
from ..responses import answer

router = APIRouter(dependencies=[Depends(management)])
BASE = "/settings/2/api-keys"
PERMISSIONS = ["PUBLIC_API"]


def key_id(name: str) -> str:
    """A key's `id`: stable, URL-safe, derived from its name (the store's key)."""
    return hashlib.sha256(f"api-key:{name}".encode()).hexdigest()[:32].upper()


def _iso(value) -> str | None:
    if value is None:
        return None
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def api_key(session, row, secret: str | None = None) -> dict:
    links = store_keys.key_links(session, row.name)
    return {
        "id": key_id(row.name),
        "apiKeySecret": secret,
        "name": row.name,
        "validFrom": _iso(row.valid_from),
        "validTo": _iso(row.valid_to),
        "enabled": row.enabled,
        "permissions": PERMISSIONS,
        "platform": [{"applicationId": l.application_id, "entityId": l.entity_id, "action": l.action} for l in links],
    }


def _find(session, api_key_id: str):
    for row in store_keys.list_api_keys(session):
        if key_id(row.name) == api_key_id or row.name == api_key_id:
            return row
    raise NotFound(f"no API key {api_key_id!r}", "apiKeyId")


def _links(platform) -> list[dict] | None:
    return None if platform is None else [p.model_dump() for p in platform]


@router.get(BASE, name="list-api-keys")
def list_keys(
    request: Request,
    name: str | None = None,
    enabled: bool | None = None,
    apiKeySecret: str | None = None,
    page_: PageNo = 0,
    size: Annotated[int, Query(ge=1, le=1000)] = 20,
    accountId: str | None = None,
    orderBy: str | None = None,
    orderDirection: Annotated[str | None, Query(pattern="^(?i:asc|desc)$")] = None,
):
    with request.app.state.store.read() as session:
        rows = store_keys.list_api_keys(session)
        if name is not None:
            rows = [r for r in rows if r.name == name]
        if enabled is not None:
            rows = [r for r in rows if r.enabled == enabled]
        if apiKeySecret is not None:
            rows = [r for r in rows if store_keys.secret_matches(apiKeySecret, r.secret_hash)]
        if orderDirection and orderDirection.lower() == "desc":
            rows.reverse()
        chunk = rows[page_ * size:(page_ + 1) * size]
        return answer({
            "apiKeys": [api_key(session, r) for r in chunk],
            "paging": {"page": page_, "pageSize": size, "orderDirection": (orderDirection or "ASC").upper(),
                       "orderBy": "name", "totalCount": len(rows), "totalPages": -(-len(rows) // size)},
        })


@router.post(BASE, name="create-api-key")
def create_key(request: Request, body: CreateApiKeyRequest):
    with request.app.state.store.write() as session:
        row, secret = store_keys.create_api_key(
            session, body.name, platform=_links(body.platform), valid_from=body.validFrom, valid_to=body.validTo,
        )
        result = answer(api_key(session, row, secret))
    request.app.state.keys.invalidate()
    return result


@router.get(BASE + "/{apiKeyId}", name="get-api-key")
def get_key(request: Request, apiKeyId: Annotated[str, Path()]):
    with request.app.state.store.read() as session:
        return answer(api_key(session, _find(session, apiKeyId)))


@router.put(BASE + "/{apiKeyId}", name="update-api-key")
def update_key(request: Request, body: UpdateApiKeyRequest, apiKeyId: Annotated[str, Path()]):
    with request.app.state.store.write() as session:
        row = _find(session, apiKeyId)
        if body.name is not None and body.name != row.name:
            raise InvalidInput("a key's name cannot be changed (create a new key instead)", "name")
        changes = {"platform": _links(body.platform), "enabled": body.enabled, "valid_from": body.validFrom,
                   "valid_to": body.validTo}
        sent = body.model_fields_set
        fields = {"platform": "platform", "enabled": "enabled", "valid_from": "validFrom", "valid_to": "validTo"}
        row = store_keys.update_api_key(session, row.name, **{k: v for k, v in changes.items() if fields[k] in sent})
        result = answer(api_key(session, row))
    request.app.state.keys.invalidate()  # a key disabled here is refused from the next request on
    return result
