"""Numbers to buy directly (the numbers API's available/purchase): the same free-number blocks that
resource requests deliver from, so a number offered here is one a completed request could also get."""

from __future__ import annotations

import phonenumbers

from .enums import NumberType, ResourceType
from .errors import InvalidInput, StoreError
from .requests.catalogue import NUMBER_PURCHASE, NUMBER_UNAVAILABLE, Offer, offered_number_types, resolve
from .requests.numbers import Preference, check_preference, pick_numbers
from .resources import add_resource
from .tables import Resource
from .validation import check_country

MAX_LISTED = 1000
# Long numbers first: a number bought on the spot is a long number; short codes need a request.
DIRECT_TYPES = (NumberType.TEN_DIGIT_LONG_CODE, NumberType.VIRTUAL_LONG_NUMBER, NumberType.TOLL_FREE_NUMBER)


def direct_offer(country: str, capabilities=None, number_type: str | None = None) -> Offer:
    """The offer numbers of `country` are bought from directly (the first long-number offer that has
    every capability asked for), or the platform's unavailable code naming the field at fault."""
    country = check_country(country, "country")
    types = [number_type] if number_type else [t for t in DIRECT_TYPES if t in offered_number_types(country)]
    last: StoreError | None = None
    for candidate in types:
        try:
            return resolve(NUMBER_PURCHASE, country, candidate, list(capabilities or ["SMS"])).offer
        except StoreError as exc:
            last = exc
    if last is not None and last.field == "capabilities":
        raise last
    raise StoreError(f"no numbers can be bought directly in {country}", "country", NUMBER_UNAVAILABLE)


def available_numbers(
    session, country, capabilities=None, state=None, npa=None, nxx=None, limit: int = 10, page: int = 0,
    contains: str | None = None,
) -> tuple[Offer, list[str]]:
    """One page of free numbers (E.164) of the country's direct offer, preferred area first."""
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LISTED:
        raise InvalidInput(f"must be between 1 and {MAX_LISTED}", "limit")
    offer = direct_offer(country, capabilities)
    pref = Preference(state or None, str(npa) if npa else None, str(nxx) if nxx else None)
    if pref and not offer.preferences:
        raise InvalidInput(f"{offer.country} numbers cannot be chosen by state, npa or nxx", "state")
    try:
        check_preference(offer, pref)
    except StoreError as exc:
        raise StoreError(exc.message, (exc.field or "").removeprefix("requirements."), exc.code) from None
    wanted = (page + 1) * limit if not contains else MAX_LISTED
    chosen, _ = pick_numbers(session, offer, min(wanted, MAX_LISTED), pref)
    if contains:
        chosen = [n for n in chosen if contains.lstrip("+") in n]
    return offer, chosen[page * limit:(page + 1) * limit]


def purchase_number(session, number: str, application_id=None, entity_id=None) -> Resource:
    """Buy one free number (E.164): valid, not owned, of a type its country sells directly."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        raise InvalidInput("not a valid number", "number") from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidInput("not a valid number", "number")
    country = phonenumbers.region_code_for_number(parsed)
    toll_free = phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.TOLL_FREE
    number_type = NumberType.TOLL_FREE_NUMBER if toll_free else None
    try:
        offer = direct_offer(country, None, number_type)
    except StoreError as exc:
        raise StoreError(exc.message, "number", exc.code) from None
    if offer.number_type != NumberType.TOLL_FREE_NUMBER and toll_free:
        raise StoreError(f"{number} is not sold directly", "number", NUMBER_UNAVAILABLE)
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if session.get(Resource, e164) is not None:
        raise StoreError(f"{e164} is already owned", "number", "NUMBER_NOT_AVAILABLE")
    return add_resource(
        session, e164, ResourceType.NUMBER, number_type=offer.number_type, capabilities=list(offer.capabilities),
        application_id=application_id, entity_id=entity_id,
    )
