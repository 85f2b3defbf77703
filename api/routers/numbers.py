"""numbers.json: owned numbers (list, get, update, cancel), available numbers and purchase, keyword
(SMS) configurations and the voice setup of a number."""

from collections import OrderedDict
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from store import associations, deletes, inbound_config, resources
from store.enums import Channel, NumberType, ResourceType
from store.errors import InvalidInput, NotFound
from store.number_forms import api_number, find_number, number_key_of
from store.number_keys import keys_if_added
from store.number_inventory import available_numbers, purchase_number

from ..auth import management
from ..params import PageNo
from ..models.numbers import (
    MoConfiguration,
    PurchaseNumberRequest,
    StoredMoConfiguration,
    UpdateOwnedNumberRequest,
    VoiceSetup,
)
from ..responses import answer, empty

router = APIRouter(dependencies=[Depends(management)])
ONE = "/numbers/1/numbers/{numberKey}"
SMS, VOICE = "/numbers/2/numbers/{numberKey}/sms", "/numbers/2/numbers/{numberKey}/voice"
NumberKey = Annotated[str, Path()]
VOICE_ACTION = {"type": "CALL_FORWARD_TO_APPLICATION",
                "description": "Calls land on the application and entity of the number's VOICE association."}
OFFERED_KEPT = 10_000  # numberKey → number of numbers listed as available, so purchase can name the key


def _file_type(number_type: str | None) -> str:
    """The file's NumberType has no 10DLC or toll-free value: those are VIRTUAL_LONG_NUMBER there."""
    return NumberType.SHORT_CODE if number_type == NumberType.SHORT_CODE else NumberType.VIRTUAL_LONG_NUMBER


def _voice_association(session, row):
    page = associations.list_associations(session, 0, 1, resource_id=row.resource_id, channel=Channel.VOICE)
    return page.results[0] if page.results else None


def number(session, row) -> dict:
    """A NUMBER resource as NumberResponse; `numberType` (cpaasx's own field) keeps the exact type."""
    keywords = [c.keyword for c in inbound_config.list_inbound_configurations(session, row.resource_id)
                if c.channel == Channel.SMS and c.keyword]
    out = {
        "numberKey": number_key_of(row),
        "number": api_number(row.resource_id),
        "country": row.country,
        "type": _file_type(row.number_type),
        "numberType": row.number_type,
        "capabilities": list(row.capabilities),
        "shared": False,
        "keywords": keywords,
        "applicationId": row.application_id,
        "entityId": row.entity_id,
    }
    voice = _voice_association(session, row)
    if voice is not None:
        out["voiceSetup"] = {"applicationId": voice.application_id, "entityId": voice.entity_id,
                             "action": VOICE_ACTION}
    return out


@router.get("/numbers/1/numbers/available", name="get-available-numbers")
def get_available(
    request: Request,
    country: str = "US",
    capabilities: Annotated[list[str] | None, Query()] = None,
    state: str | None = None,
    npa: Annotated[int | None, Query(ge=0, le=999)] = None,
    nxx: Annotated[int | None, Query(ge=0, le=999)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 10,
    number: str | None = None,
    page_: PageNo = 0,
):
    wanted = [c for c in (capabilities or []) if c in ("SMS", "MMS", "VOICE")]
    if capabilities and len(wanted) < len(capabilities):
        raise InvalidInput("cpaasx numbers offer SMS, MMS and VOICE", "capabilities")
    with request.app.state.store.read() as session:
        offer, found = available_numbers(session, country.upper(), wanted, state, npa, nxx, limit, page_, number)
        keys = keys_if_added(session, found)
    offered = _offered(request)
    for e164 in found:
        offered[keys[e164]] = e164
        offered.move_to_end(keys[e164])
    while len(offered) > OFFERED_KEPT:
        offered.popitem(last=False)
    numbers = [{"numberKey": keys[n], "number": api_number(n), "country": offer.country,
                "type": _file_type(offer.number_type), "numberType": offer.number_type,
                "capabilities": list(offer.capabilities), "shared": False} for n in found]
    return answer({"numbers": numbers, "numberCount": len(numbers)})


def _offered(request: Request) -> OrderedDict:
    state = request.app.state
    if not hasattr(state, "offered_numbers"):
        state.offered_numbers = OrderedDict()
    return state.offered_numbers


@router.post("/numbers/1/numbers", name="purchase-number")
def purchase(request: Request, body: PurchaseNumberRequest):
    if body.number is None and body.numberKey is None:
        raise InvalidInput("give number or numberKey", "number")
    if body.number is not None:
        digits = body.number.strip().removeprefix("+")
        wanted = "+" + (digits[2:] if digits.startswith("00") else digits)
    else:
        wanted = _offered(request).get(body.numberKey)
        if wanted is None:
            raise NotFound("no available number has this key (list /numbers/1/numbers/available first)", "numberKey")
    with request.app.state.store.write() as session:
        row = purchase_number(session, wanted, body.applicationId, body.entityId)
        return answer(number(session, row))


@router.get("/numbers/1/numbers", name="list-owned-numbers")
def list_owned(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    number_: Annotated[str | None, Query(alias="number")] = None,
    page_: PageNo = 0,
):
    query = number_.strip().removeprefix("+") if number_ else None
    with request.app.state.store.read() as session:
        result = resources.list_resources(session, page_, limit, query=query, resource_type=ResourceType.NUMBER)
        return answer({"numbers": [number(session, r) for r in result.results], "numberCount": result.total_results})


@router.get(ONE, name="get-owned-number")
def get_owned(request: Request, numberKey: NumberKey):
    with request.app.state.store.read() as session:
        return answer(number(session, find_number(session, numberKey)))


@router.put(ONE, name="update-owned-number")
def update_owned(request: Request, body: UpdateOwnedNumberRequest, numberKey: NumberKey):
    with request.app.state.store.write() as session:
        row = find_number(session, numberKey)
        row = resources.edit_resource(session, row.resource_id, application_id=body.applicationId,
                                      entity_id=body.entityId)
        return answer(number(session, row))


@router.delete(ONE, status_code=204, name="cancel-number")
def cancel(request: Request, numberKey: NumberKey):
    with request.app.state.store.write() as session:
        deletes.release_resource(session, find_number(session, numberKey).resource_id)
    return empty(204)


# Keyword configurations: the number's SMS inbound configurations.

def configuration(row) -> dict:
    url = inbound_config.forward_url_of(row)
    return {
        "key": inbound_config.configuration_key(row),
        "keyword": row.keyword,
        "action": inbound_config.forwarding_of(url),
        "applicationId": row.application_id,
        "entityId": row.entity_id,
    }


def _create_configuration(session, row, body: MoConfiguration):
    config = inbound_config.add_inbound_configuration(session, row.resource_id, Channel.SMS, body.keyword,
                                                      body.applicationId, body.entityId)
    action = body.action.model_dump(include={"type", "url"})
    url = inbound_config.forward_url_from(action, "action", pull_url_ignored=True)
    inbound_config.set_forward_url(session, config, url)
    return config


@router.get(SMS, name="list-sms-configurations")
def list_configurations(
    request: Request, numberKey: NumberKey,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    page_: PageNo = 0,
):
    with request.app.state.store.read() as session:
        row = find_number(session, numberKey)
        configs = [c for c in inbound_config.list_inbound_configurations(session, row.resource_id)
                   if c.channel == Channel.SMS]
        chunk = configs[page_ * limit:(page_ + 1) * limit]
        return answer({"configurations": [configuration(c) for c in chunk], "totalCount": len(configs)})


@router.post(SMS, name="create-sms-configuration")
def create_configuration(request: Request, body: MoConfiguration, numberKey: NumberKey):
    with request.app.state.store.write() as session:
        return answer(configuration(_create_configuration(session, find_number(session, numberKey), body)))


@router.put(SMS, name="modify-sms-configuration")
def modify_configuration(request: Request, body: StoredMoConfiguration, numberKey: NumberKey):
    """Replaces the configuration named by `key` (its key follows its keyword)."""
    with request.app.state.store.write() as session:
        row = find_number(session, numberKey)
        old = _sms_configuration(session, row, body.key, "key")
        inbound_config.remove_inbound_configuration(session, old.id)
        return answer(configuration(_create_configuration(session, row, body)))


@router.get(SMS + "/{configurationKey}", name="get-sms-configuration")
def get_configuration(request: Request, numberKey: NumberKey, configurationKey: Annotated[str, Path()]):
    with request.app.state.store.read() as session:
        row = find_number(session, numberKey)
        return answer(configuration(_sms_configuration(session, row, configurationKey)))


@router.delete(SMS + "/{configurationKey}", status_code=204, name="delete-sms-configuration")
def delete_configuration(request: Request, numberKey: NumberKey, configurationKey: Annotated[str, Path()]):
    with request.app.state.store.write() as session:
        row = find_number(session, numberKey)
        inbound_config.remove_inbound_configuration(session, _sms_configuration(session, row, configurationKey).id)
    return empty(204)


def _sms_configuration(session, row, key: str, field: str = "configurationKey"):
    try:
        config = inbound_config.find_by_key(session, key, row.resource_id)
    except NotFound as exc:
        raise NotFound(exc.message, field) from None
    if config.channel != Channel.SMS:
        raise NotFound(f"no SMS configuration {key!r}", field)
    return config


# Voice setup: where VOICE calls to the number land (its VOICE association).

def _voice(row, voice) -> dict:
    return {"applicationId": voice.application_id, "entityId": voice.entity_id, "action": VOICE_ACTION}


@router.get(VOICE, name="get-voice-setup")
def get_voice(request: Request, numberKey: NumberKey):
    with request.app.state.store.read() as session:
        row = find_number(session, numberKey)
        voice = _voice_association(session, row)
        if voice is None:
            raise NotFound(f"{api_number(row.resource_id)} has no voice setup", "numberKey")
        return answer(_voice(row, voice))


def _set_voice(request: Request, body: VoiceSetup, numberKey: str, replace: bool):
    with request.app.state.store.write() as session:
        row = find_number(session, numberKey)
        existing = _voice_association(session, row)
        if existing is not None and not replace:
            raise InvalidInput(f"{api_number(row.resource_id)} already has a voice setup (PUT changes it)",
                               "numberKey")
        while existing is not None:
            associations.delete_association(session, existing.id)
            existing = _voice_association(session, row)
        created = associations.create_association(session, ResourceType.NUMBER, row.resource_id, Channel.VOICE,
                                                  body.applicationId or "default", body.entityId)
        return answer(_voice(row, created))


@router.post(VOICE, name="create-voice-setup")
def create_voice(request: Request, body: VoiceSetup, numberKey: NumberKey):
    return _set_voice(request, body, numberKey, replace=False)


@router.put(VOICE, name="update-voice-setup")
def update_voice(request: Request, body: VoiceSetup, numberKey: NumberKey):
    return _set_voice(request, body, numberKey, replace=True)


@router.delete(VOICE, status_code=204, name="delete-voice-setup")
def delete_voice(request: Request, numberKey: NumberKey):
    with request.app.state.store.write() as session:
        row = find_number(session, numberKey)
        voice = _voice_association(session, row)
        if voice is None:
            raise NotFound(f"{api_number(row.resource_id)} has no voice setup", "numberKey")
        while voice is not None:
            associations.delete_association(session, voice.id)
            voice = _voice_association(session, row)
    return empty(204)
