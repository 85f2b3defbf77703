"""Field checks shared by every rule: ids, numbers, sender names, domains, countries."""

from __future__ import annotations

import re

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)
import phonenumbers

from .errors import InvalidId, InvalidInput
from .display import quote

ID_PATTERN = re.compile(r"^[A-Za-z0-9\-._~]{1,255}$")
DOMAIN_PATTERN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
SHORT_CODE_PATTERN = re.compile(r"^[0-9]{3,8}$")
COUNTRIES = frozenset(phonenumbers.SUPPORTED_REGIONS)


NOT_TEXT = "must be a string (write it in quotes)"


def require_text(value, field: str, error: type = InvalidInput) -> str:
    """A present string: "is required" when missing or empty, NOT_TEXT when YAML read a number,
    list, date or bool (an unquoted `+14155550199` is an integer)."""
    if value is None or value == "":
        raise error("is required", field)
    if not isinstance(value, str):
        raise error(NOT_TEXT, field)
    return value


def check_id(value, field: str) -> str:
    """Application and entity ids: 1–255 of `A-Z a-z 0-9 - . _ ~`, so they never need URL encoding."""
    require_text(value, field, InvalidId)
    if not ID_PATTERN.fullmatch(value):
        raise InvalidId("must be 1–255 characters of A-Z a-z 0-9 - . _ ~", field)
    return value


def check_name(value, field: str) -> str:
    if not require_text(value, field).strip():
        raise InvalidInput("is required", field)
    if len(value) > 255:
        raise InvalidInput("must be at most 255 characters", field)
    return value.strip()


def check_country(value, field: str) -> str:
    if value is not None and not isinstance(value, str):
        raise InvalidInput(NOT_TEXT, field)
    if not isinstance(value, str) or value.upper() not in COUNTRIES:
        raise InvalidInput(f"{quote(value)} is not an ISO 3166 alpha-2 country code", field)
    return value.upper()


def parse_e164(value, field: str) -> phonenumbers.PhoneNumber:
    """A valid E.164 number (leading +), or an error naming `field`."""
    if value is not None and not isinstance(value, str):
        raise InvalidInput(NOT_TEXT, field)
    if not isinstance(value, str) or not value.startswith("+"):
        raise InvalidInput("not a valid E.164 number (it must start with +)", field)
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        raise InvalidInput("not a valid E.164 number", field) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput("not a valid E.164 number", field)
    if phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) != value:
        raise InvalidInput("not in E.164 form (+ and digits only)", field)
    return number


E164_FORM = re.compile(r"^\+[1-9][0-9]{6,14}$")


def check_e164_form(value, field: str) -> str:
    """E.164 in form only: + and 7–15 digits (no lookup in the numbering plan: cheap enough for every
    inbound message, and a sender abroad need not be in phonenumbers' tables)."""
    text = require_text(value, field)
    if not text.startswith("+"):
        raise InvalidInput("not a valid E.164 number (it must start with +)", field)
    if not text[1:].isdigit():
        raise InvalidInput("not in E.164 form (+ and digits only)", field)
    if not E164_FORM.fullmatch(text):
        raise InvalidInput("not a valid E.164 number (+ and 7–15 digits, not starting with 0)", field)
    return text


def region_of(number: phonenumbers.PhoneNumber) -> str | None:
    return phonenumbers.region_code_for_number(number)


def is_gsm(text: str) -> bool:
    try:
        text.encode("gsm03.38")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def check_alpha_sender(value, field: str) -> str:
    require_text(value, field)
    if not isinstance(value, str) or not 3 <= len(value) <= 11:
        raise InvalidInput("an alphanumeric sender must be 3–11 characters", field)
    if not is_gsm(value):
        raise InvalidInput("an alphanumeric sender must use GSM characters only", field)
    if not any(ch.isalpha() for ch in value):
        raise InvalidInput("an alphanumeric sender needs at least one letter", field)
    return value


def check_domain(value, field: str) -> str:
    require_text(value, field)
    if not isinstance(value, str) or not DOMAIN_PATTERN.fullmatch(value.lower()):
        raise InvalidInput("not a valid domain name", field)
    return value.lower()


def check_short_code(value, field: str) -> str:
    require_text(value, field)
    if not isinstance(value, str) or not SHORT_CODE_PATTERN.fullmatch(value):
        raise InvalidInput("a short code is 3–8 digits", field)
    return value


def check_enum(value, allowed, field: str) -> str:
    names = [str(a) for a in allowed]
    if value not in names:
        raise InvalidInput(f"{quote(value)} is not one of {', '.join(names)}", field)
    return str(value)


def check_bool(value, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput("must be true or false", field)
    return value
