"""sending-strategy.json: list, create and delete sending strategies."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from store import api as shapes
from store import deletes, strategies
from store.errors import NotFound
from store.number_forms import api_number, candidates
from store.tables import Resource

from ..auth import management
from ..params import PageNo
from ..models.strategies import SssRequestV2
from ..responses import answer, empty, page

router = APIRouter(dependencies=[Depends(management)])
BASE = "/provisioning/2/sending-strategies"


def strategy(row) -> dict:
    """A strategy as the file answers it, numbers without `+`; `defaultSender` only when set."""
    out = shapes.strategy(row)
    if out["defaultSender"]:
        out["defaultSender"] = api_number(out["defaultSender"])
    if not out["priorities"]:
        del out["priorities"]
    return out


def _sender(session, value: str | None) -> str | None:
    """A default sender named in either number form (or an alphanumeric sender, as it is)."""
    if value is None:
        return None
    for ident in candidates(value):
        if session.get(Resource, ident) is not None:
            return ident
    return value  # the store refuses it, naming defaultSender


@router.get(BASE, name="list-sending-strategies")
def list_strategies(
    request: Request,
    sendingStrategyId: str | None = None,
    applicationId: str | None = None,
    entityId: str | None = None,
    page_: PageNo = 0,
    size: Annotated[int, Query(ge=1, le=1000)] = 100,
):
    with request.app.state.store.read() as session:
        result = strategies.list_strategies(
            session, page_, size, application_id=applicationId, entity_id=entityId,
            sending_strategy_id=sendingStrategyId,
        )
        return page(result, strategy)


@router.post(BASE, status_code=201, name="create-sending-strategy")
def create_strategy(request: Request, body: SssRequestV2):
    platform = body.platform
    with request.app.state.store.write() as session:
        row = strategies.create_strategy(
            session,
            platform.applicationId if platform else None,
            platform.entityId if platform else None,
            body.channel,
            body.destinationCountryCode,
            body.useStickySender,
            body.useGeolocatedSender,
            [p.model_dump() for p in body.priorities] if body.priorities is not None else None,
            _sender(session, body.defaultSender),
        )
        return answer({"sendingStrategyId": row.sending_strategy_id}, 201)


@router.delete(BASE + "/{sendingStrategyId}", status_code=204, name="delete-sending-strategy")
def delete_strategy(request: Request, sendingStrategyId: Annotated[str, Path()]):
    with request.app.state.store.write() as session:
        try:
            deletes.delete(session, "strategy", sendingStrategyId)
        except NotFound as exc:
            raise NotFound(exc.message, "sendingStrategyId") from None
    return empty(204)
