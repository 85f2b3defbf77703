"""Resources (numbers, short codes, alphanumeric senders, domains) and their number-level platform."""

from __future__ import annotations

import phonenumbers
from sqlalchemy import or_
from sqlmodel import Session, col, select

from .db import DEFAULT_APPLICATION
from .enums import NUMBER_CAPABILITIES, Channel, NumberType, ResourceType
from .errors import Conflict, DuplicateId, InvalidInput, NotFound
from .number_keys import new_key
from .paging import DEFAULT_SIZE, Page, paginate
from .platforms import check_platform
from .tables import InboundConfiguration, Resource, ResourceAssociation
from .validation import (
    check_alpha_sender,
    check_country,
    check_domain,
    check_enum,
    check_short_code,
    parse_e164,
    region_of,
    require_text,
)
from .display import quote

EDITABLE = ("number_type", "capabilities", "destination_countries", "application_id", "entity_id", "country")


def _number_type_for(number: phonenumbers.PhoneNumber, region: str) -> str:
    if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.TOLL_FREE:
        return NumberType.TOLL_FREE_NUMBER
    return NumberType.TEN_DIGIT_LONG_CODE if region in ("US", "CA") else NumberType.VIRTUAL_LONG_NUMBER


def _check_list(values, allowed, field: str, allow_empty: bool = False) -> list[str]:
    if not isinstance(values, list) or not (values or allow_empty):
        raise InvalidInput("must be a non-empty list", field)
    out: list[str] = []
    for i, value in enumerate(values):
        item = check_enum(value, allowed, f"{field}[{i}]") if allowed else value
        if item in out:
            raise InvalidInput(f"{item} is listed twice", field)
        out.append(item)
    return out


def _listed(values) -> list:
    if not isinstance(values, list):
        raise InvalidInput("must be a list", "destinationCountries")
    return values


def normalise_resource(
    resource_id,
    resource_type,
    number_type=None,
    country=None,
    capabilities=None,
    destination_countries=None,
) -> dict:
    """Checked, completed resource fields; the country of an E.164 number comes from the number."""
    rtype = check_enum(resource_type, list(ResourceType), "resourceType")
    require_text(resource_id, "resourceId")
    if rtype == ResourceType.NUMBER:
        if resource_id.startswith("+"):
            number = parse_e164(resource_id, "resourceId")
            region = region_of(number)
            if country is not None and check_country(country, "country") != region:
                raise InvalidInput(f"{resource_id} is a {region} number, not {country}", "country")
            country = region
            number_type = number_type or _number_type_for(number, region)
            if number_type == NumberType.SHORT_CODE:
                raise InvalidInput("a short code is digits without +", "numberType")
        else:
            check_short_code(resource_id, "resourceId")
            number_type = number_type or NumberType.SHORT_CODE
            if number_type != NumberType.SHORT_CODE:
                raise InvalidInput("a number without + must be a SHORT_CODE", "numberType")
            if country is None:
                raise InvalidInput("a short code needs a country", "country")
            country = check_country(country, "country")
        number_type = check_enum(number_type, list(NumberType), "numberType")
        caps = _check_list(capabilities or [Channel.SMS], NUMBER_CAPABILITIES, "capabilities")
    elif rtype == ResourceType.ALPHA:
        check_alpha_sender(resource_id, "resourceId")
        if number_type is not None:
            raise InvalidInput("only numbers have a numberType", "numberType")
        if country is None:
            raise InvalidInput("an alphanumeric sender needs a country", "country")
        country = check_country(country, "country")
        caps = _check_list(capabilities or [Channel.SMS], [Channel.SMS], "capabilities")
    else:
        resource_id = check_domain(resource_id, "resourceId")
        if number_type is not None:
            raise InvalidInput("only numbers have a numberType", "numberType")
        country = check_country(country, "country") if country is not None else None
        caps = _check_list(capabilities or [Channel.EMAIL], [Channel.EMAIL], "capabilities")
    if destination_countries is None:
        destinations = [country] if country else []
    else:
        destinations = _check_list(
            [check_country(c, f"destinationCountries[{i}]") for i, c in enumerate(_listed(destination_countries))],
            None, "destinationCountries", allow_empty=True,
        )
    return {
        "resource_id": resource_id,
        "resource_type": rtype,
        "number_type": number_type,
        "country": country,
        "capabilities": caps,
        "destination_countries": destinations,
    }


def add_resource(
    session: Session,
    resource_id,
    resource_type,
    number_type=None,
    country=None,
    capabilities=None,
    destination_countries=None,
    application_id=DEFAULT_APPLICATION,
    entity_id=None,
) -> Resource:
    fields = normalise_resource(resource_id, resource_type, number_type, country, capabilities, destination_countries)
    application_id = application_id or DEFAULT_APPLICATION
    check_platform(session, application_id, entity_id)
    if session.get(Resource, fields["resource_id"]) is not None:
        raise DuplicateId(f"resource {quote(fields['resource_id'])} already exists", "resourceId")
    row = Resource(**fields, application_id=application_id, entity_id=entity_id)
    if row.resource_type == ResourceType.NUMBER:
        row.number_key = new_key(session, row.resource_id)
    session.add(row)
    session.flush()
    return row


def get_resource(session: Session, resource_id: str) -> Resource:
    row = session.get(Resource, resource_id) if isinstance(resource_id, str) else None
    if row is None:
        raise NotFound(f"no resource {quote(resource_id)}", "resourceId")
    return row


def edit_resource(session: Session, resource_id: str, **changes) -> Resource:
    """Change a resource's editable fields (its id and type never change)."""
    row = get_resource(session, resource_id)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"cannot be changed", sorted(unknown)[0])
    current = {k: getattr(row, k) for k in EDITABLE}
    merged = {**current, **changes}
    if "country" in changes and "destination_countries" not in changes:
        merged["destination_countries"] = None
    fields = normalise_resource(
        row.resource_id,
        row.resource_type,
        merged["number_type"],
        merged["country"],
        merged["capabilities"],
        merged["destination_countries"],
    )
    application_id = merged["application_id"] or DEFAULT_APPLICATION
    check_platform(session, application_id, merged["entity_id"])
    _check_channels_still_used(session, row.resource_id, fields["capabilities"])
    for key in ("number_type", "country", "capabilities", "destination_countries"):
        setattr(row, key, fields[key])
    row.application_id = application_id
    row.entity_id = merged["entity_id"]
    session.add(row)
    session.flush()
    return row


def _check_channels_still_used(session: Session, resource_id: str, capabilities: list[str]) -> None:
    """A capability cannot be dropped while an association or inbound configuration uses that channel."""
    for model, what in ((ResourceAssociation, "association"), (InboundConfiguration, "inbound configuration")):
        used = session.exec(
            select(model.channel).where(model.resource_id == resource_id, col(model.channel).not_in(capabilities))
        ).first()
        if used is not None:
            raise Conflict(f"{used} is still used by an {what} of {resource_id}", "capabilities")


def list_resources(
    session: Session,
    page: int = 0,
    size: int = DEFAULT_SIZE,
    query: str | None = None,
    resource_type: str | None = None,
    country: str | None = None,
    application_id: str | None = None,
    entity_id: str | None = None,
) -> Page:
    statement = select(Resource).order_by(col(Resource.resource_id))
    if query:
        like = f"%{query}%"
        statement = statement.where(
            or_(
                col(Resource.resource_id).ilike(like),
                col(Resource.country).ilike(like),
                col(Resource.number_type).ilike(like),
                col(Resource.resource_type).ilike(like),
                col(Resource.application_id).ilike(like),
                col(Resource.entity_id).ilike(like),
            )
        )
    if resource_type:
        statement = statement.where(Resource.resource_type == resource_type)
    if country:
        statement = statement.where(Resource.country == country)
    if application_id:
        statement = statement.where(Resource.application_id == application_id)
    if entity_id:
        statement = statement.where(Resource.entity_id == entity_id)
    return paginate(session, statement, page, size)
