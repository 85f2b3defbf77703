"""Step 2 of outbound routing: is `to` a valid E.164 number, and in which country.

`phonenumbers.parse` spends most of its time on formats E.164 never has, and its validity checks
compile each metadata pattern again on every call. A plain "+digits" number is judged here by the
same metadata and the same order of checks (`region_code_for_number`, then
`is_valid_number_for_region`), with the patterns compiled once; anything else goes through the full
parser, which also says why a number is not valid. Numbers repeat (sticky recipients), so results
are kept per string.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneMetadata

from .model import TraceStep
from .nanp import lookup
from ..display import quote

NORTH_AMERICA = ("US", "CA")
_CACHE_LIMIT = 500_000  # destinations parsed and remembered (a recipient is usually written to again)
_CODES = phonenumbers.COUNTRY_CODE_TO_REGION_CODE
_NON_GEO = phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY


@lru_cache(maxsize=_CACHE_LIMIT)
def destination_country(to) -> tuple[str | None, str, TraceStep | None]:
    """(country, trace words, trace step) of a valid E.164 number, or (None, why it is not one, None)."""
    return _parse_destination(to)


def clear_cache() -> None:
    destination_country.cache_clear()


def _parse_destination(to) -> tuple[str | None, str, TraceStep | None]:
    region = fast_region(to)
    if region is None:
        region, why = _slow_destination(to)
        if region is None:
            return None, why, None
    if region in NORTH_AMERICA:
        area = to[2:5]
        info = lookup(area)
        where = f", {info.region_name}" if info and info.region_name else ""
        detail = f"{to}: {region}, area code {area}{where}"
    else:
        detail = f"{to}: {region}"
    return region, detail, TraceStep("destination", detail)


class _Checks:
    """One region's metadata as compiled checks: leading digits, the general pattern, the types."""

    __slots__ = ("leading", "general", "types", "any_type")

    def __init__(self, metadata):
        self.leading = re.compile(metadata.leading_digits).match if metadata.leading_digits is not None else None
        self.general = _desc(metadata.general_desc)
        descs = [metadata.premium_rate, metadata.toll_free, metadata.shared_cost, metadata.voip,
                 metadata.personal_number, metadata.pager, metadata.uan, metadata.voicemail, metadata.fixed_line]
        if not metadata.same_mobile_and_fixed_line_pattern:
            descs.append(metadata.mobile)  # phonenumbers tries mobile only when its pattern differs
        self.types = [
            (frozenset(d.possible_length) or None, d.national_number_pattern)
            for d in descs if d is not None and d.national_number_pattern
        ]
        self.any_type: dict = {}  # length → fullmatch of every type allowing that length, or None

    def valid(self, nsn: str) -> bool:
        """`_number_type_helper(nsn, metadata) != UNKNOWN`: the general pattern and one type match."""
        general = self.general
        if general is None or not _matches(nsn, general):
            return False
        size = len(nsn)
        try:
            any_type = self.any_type[size]
        except KeyError:
            any_type = self.any_type[size] = self._any_type(size)
        return any_type is not None and any_type(nsn) is not None

    def _any_type(self, size: int):
        # Which type matches does not matter, only whether one does: one alternation, one call.
        patterns = [p for lengths, p in self.types if lengths is None or size in lengths]
        if not patterns:
            return None
        try:
            return re.compile("|".join(f"(?:{p})" for p in patterns)).fullmatch
        except re.error:  # a pattern that cannot be grouped: try them one by one
            matchers = [re.compile(p).fullmatch for p in patterns]
            return lambda nsn: any(f(nsn) is not None for f in matchers) or None


def _desc(desc) -> tuple | None:
    """(possible lengths or None for any, fullmatch) — None for a description that never matches."""
    if desc is None or not desc.national_number_pattern:
        return None
    return (frozenset(desc.possible_length) or None, re.compile(desc.national_number_pattern).fullmatch)


def _matches(nsn: str, desc: tuple) -> bool:
    lengths, fullmatch = desc
    return (lengths is None or len(nsn) in lengths) and fullmatch(nsn) is not None


@lru_cache(maxsize=None)  # a few hundred regions at most
def _checks(region: str) -> _Checks | None:
    """The region's number checks, or None when it has no metadata."""
    metadata = PhoneMetadata.metadata_for_region(region.upper(), None)
    return _Checks(metadata) if metadata is not None else None


def fast_region(to) -> str | None:
    """The region of a plain "+digits" number that is valid as written; None sends it to the parser."""
    if not isinstance(to, str) or len(to) < 4 or to[0] != "+" or not to[1:].isdigit() or to[1] == "0":
        return None
    for size in (1, 2, 3):
        regions = _CODES.get(int(to[1 : 1 + size]))
        if regions is None:
            continue
        nsn = to[1 + size :]
        if not nsn or nsn[0] == "0" or _NON_GEO in regions:
            return None  # leading zeros and non-geographic codes need the parser's rules
        if len(regions) == 1:
            checks = _checks(regions[0])
            return regions[0] if checks is not None and checks.valid(nsn) else None
        for region in regions:  # `region_code_for_number` on a shared code (+1, +44, …)
            checks = _checks(region)
            if checks is None:
                continue
            if checks.leading is not None:
                if checks.leading(nsn):
                    return region if checks.valid(nsn) else None
            elif checks.valid(nsn):
                return region  # chosen because it is valid there
        return None
    return None


def _slow_destination(to) -> tuple[str | None, str]:
    if not isinstance(to, str) or not to.startswith("+"):
        return None, f"{quote(to)} is not an E.164 number (it must start with +)"
    try:
        number = phonenumbers.parse(to, None)
    except phonenumbers.NumberParseException:
        return None, f"{to} is not a phone number"
    region = phonenumbers.region_code_for_number(number)
    if region is None or not phonenumbers.is_valid_number_for_region(number, region):
        return None, f"{to} is not a valid number"
    if phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) != to:
        return None, f"{to} is not in E.164 form (+ and digits only)"
    return region, ""
