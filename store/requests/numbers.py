"""Choosing the numbers a completed purchase delivers: valid per phonenumbers, free, preference first.

Nothing here knows a country's numbering by heart: candidates are phonenumbers' own example numbers
with their last digits varied (or, for a state/NPA/NXX preference, the area codes of the shipped NANP
table), and each one is kept only if phonenumbers calls it a valid number of the wanted type.
Candidates come from a generator seeded by the offer, so the same store always gets the same numbers.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberType
from sqlmodel import Session

from ..errors import StoreError
from ..routing.nanp import area_codes
from ..tables import Resource
from .catalogue import Offer

ACCEPTED_TYPES = {
    "FIXED_LINE_OR_MOBILE": {PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE},
    "MOBILE": {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE},
    "FIXED_LINE": {PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE},
    "TOLL_FREE": {PhoneNumberType.TOLL_FREE},
}
MAX_ATTEMPTS = 20000
NXX_REQUIRES = "RR-NUMBER-PURCHASE-NXX-REQUIRES-NPA-STATE400"
STATE_NPA = "RR-NUMBER-PURCHASE-INVALID-STATE-NPA-COMBO400"
NPA_NXX = "RR-NUMBER-PURCHASE-INVALID-NPA-NXX-COMBO400"


@dataclass(frozen=True)
class Preference:
    state: str | None = None
    npa: str | None = None
    nxx: str | None = None

    def __bool__(self) -> bool:
        return bool(self.state or self.npa or self.nxx)

    def describe(self) -> str:
        parts = [f"state {self.state}" if self.state else "", f"NPA {self.npa}" if self.npa else ""]
        parts.append(f"NXX {self.nxx}" if self.nxx else "")
        return ", ".join(p for p in parts if p)


def preference_of(offer: Offer, filled: dict) -> Preference:
    if not offer.preferences:
        return Preference()
    values = {key: str(filled.get(key) or "").strip() or None for key in offer.preferences}
    return Preference(values.get("state"), values.get("npa"), values.get("nxx"))


def _valid(e164: str, country: str, accepted: set) -> bool:
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return (
        phonenumbers.is_valid_number(number)
        and phonenumbers.region_code_for_number(number) == country
        and phonenumbers.number_type(number) in accepted
    )


def area_codes_for(country: str, pref: Preference) -> list[str]:
    table = area_codes()
    if pref.npa:
        return [pref.npa]
    return sorted(code for code, row in table.items() if row.country == country and row.region == pref.state)


def check_preference(offer: Offer, pref: Preference) -> None:
    """The state/NPA/NXX combination exists (the platform refuses a request that names an impossible one)."""
    if not pref:
        return
    table = area_codes()
    if pref.nxx and not (pref.npa and pref.state):
        raise StoreError("an exchange (nxx) needs both an area code (npa) and a state", "requirements.nxx", NXX_REQUIRES)
    if pref.npa:
        row = table.get(pref.npa)
        if row is None or row.country != offer.country:
            raise StoreError(f"{pref.npa} is not an area code of {offer.country}", "requirements.npa", STATE_NPA)
        if pref.state and row.region != pref.state:
            raise StoreError(f"area code {pref.npa} is in {row.region}, not {pref.state}", "requirements.npa", STATE_NPA)
    elif not area_codes_for(offer.country, pref):
        raise StoreError(f"{pref.state} is not a state or province of {offer.country}", "requirements.state", STATE_NPA)
    if pref.nxx:
        accepted = ACCEPTED_TYPES[offer.phone_number_type]
        if not any(_valid(f"+1{pref.npa}{pref.nxx}{line:04d}", offer.country, accepted) for line in range(0, 10000, 97)):
            raise StoreError(f"{pref.npa}-{pref.nxx} is not a valid exchange", "requirements.nxx", NPA_NXX)


def _free(session: Session, candidate: str, chosen: list[str]) -> bool:
    return candidate not in chosen and session.get(Resource, candidate) is None


def _preferred(session: Session, offer: Offer, pref: Preference, quantity: int) -> list[str]:
    """Numbers in the preferred area: each NPA-NXX block holds `inventory_per_block` free numbers."""
    accepted = ACCEPTED_TYPES[offer.phone_number_type]
    per_block = offer.inventory_per_block or 10000
    chosen: list[str] = []
    for npa in area_codes_for(offer.country, pref):
        exchanges = [pref.nxx] if pref.nxx else random.Random(f"nxx:{npa}").sample([f"{n}" for n in range(200, 1000)], 800)
        for nxx in exchanges:
            lines = random.Random(f"block:{npa}{nxx}").sample(range(10000), per_block)
            for line in lines:
                candidate = f"+1{npa}{nxx}{line:04d}"
                if _valid(candidate, offer.country, accepted) and _free(session, candidate, chosen):
                    chosen.append(candidate)
                    if len(chosen) == quantity:
                        return chosen
    return chosen


def _anywhere(session: Session, offer: Offer, quantity: int) -> list[str]:
    """Numbers near phonenumbers' example number of the wanted type, last digits varied."""
    accepted = ACCEPTED_TYPES[offer.phone_number_type]
    example = phonenumbers.example_number_for_type(offer.country, getattr(PhoneNumberType, offer.phone_number_type))
    if example is None:
        return []
    code = str(example.country_code)
    national = phonenumbers.national_significant_number(example)
    varied = min(7, len(national) - 3)
    prefix, rng = national[:-varied], random.Random(f"any:{offer.country}:{offer.phone_number_type}")
    chosen: list[str] = []
    for _ in range(MAX_ATTEMPTS):
        candidate = f"+{code}{prefix}{rng.randrange(10**varied):0{varied}d}"
        if _valid(candidate, offer.country, accepted) and _free(session, candidate, chosen):
            chosen.append(candidate)
            if len(chosen) == quantity:
                break
    return chosen


def _short_codes(session: Session, offer: Offer, quantity: int) -> list[str]:
    """Short codes from the country's SMS-service range in phonenumbers' short-number metadata."""
    meta = PhoneMetadata.short_metadata_for_region(offer.country)
    sms = meta.sms_services if meta else None
    if sms is None or not sms.example_number:
        return []
    start, pattern = int(sms.example_number), re.compile(sms.national_number_pattern)
    width, chosen = len(sms.example_number), []
    for step in range(MAX_ATTEMPTS):
        candidate = f"{start + step:0{width}d}"
        if len(candidate) != width:
            break
        if pattern.fullmatch(candidate) and 3 <= len(candidate) <= 8 and _free(session, candidate, chosen):
            chosen.append(candidate)
            if len(chosen) == quantity:
                break
    return chosen


def pick_numbers(session: Session, offer: Offer, quantity: int, pref: Preference) -> tuple[list[str], str | None]:
    """Up to `quantity` free numbers for the offer, and a note when fewer could be found."""
    if offer.number_type == "SHORT_CODE":
        chosen = _short_codes(session, offer, quantity)
        where = f"{offer.country} short codes"
    elif pref:
        chosen = _preferred(session, offer, pref, quantity)
        where = f"the {pref.describe()} inventory"
    else:
        chosen = _anywhere(session, offer, quantity)
        where = f"the {offer.country} {offer.number_type} inventory"
    note = None
    if len(chosen) < quantity:
        note = f"{len(chosen)} of {quantity} numbers delivered: {where} has no more free numbers."
    return chosen, note
