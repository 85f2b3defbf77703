"""Checking filled requirements against their specs: one feedback entry per field that is wrong."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import phonenumbers
from sqlmodel import Session

from ..errors import InvalidInput
from .tables import RequestDocument
from ..display import quote

REQUIRED = "RES_REQ_FEED_REQUIRED"
FORMAT = "RES_REQ_FEED_FORMAT"
LENGTH_OOR = "RES_REQ_FEED_LENGTH_OOR"
VALUE_OOR = "RES_REQ_FEED_VALUE_OOR"
OTHER = "RES_REQ_FEED_OTHER"
FEEDBACK_CODES = (REQUIRED, FORMAT, LENGTH_OOR, VALUE_OOR, OTHER, "RES_REQ_FEED_USER_ACTION_REQUIRED")

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
INTEGER_PATTERN = re.compile(r"^[+-]?[0-9]+$")


UPPER_CASE_KEYS = frozenset({"state"})  # codes, read in any case (as countries are): "ny" is NY


def feedback(key: str, code: str, text: str) -> dict:
    return {"key": key, "code": code, "feedback": text}


def normalise_filled(requirements) -> dict[str, object]:
    """`[{key, value}]` (the API's form) or `{key: value}` → {key: value}; a key given twice is bad input."""
    if requirements is None:
        return {}
    if isinstance(requirements, dict):
        items = list(requirements.items())
    elif isinstance(requirements, list):
        items = []
        for i, item in enumerate(requirements):
            if not isinstance(item, dict) or "key" not in item or not isinstance(item["key"], str):
                raise InvalidInput("each requirement is {key, value}", f"requirements[{i}]")
            items.append((item["key"], item.get("value")))
    else:
        raise InvalidInput("must be a list of {key, value}", "requirements")
    out: dict[str, object] = {}
    for key, value in items:
        if key in out:
            raise InvalidInput("is given twice", f"requirements.{key}")
        out[key] = value.strip().upper() if key in UPPER_CASE_KEYS and isinstance(value, str) else value
    return out


def is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        return all(is_empty(v) for v in value)
    return False


def _text(spec: dict, value) -> tuple[str, str] | None:
    if not isinstance(value, str):
        return FORMAT, "Must be text."
    rules = spec.get("validation", {})
    low, high = rules.get("minLength"), rules.get("maxLength")
    if (low is not None and len(value) < low) or (high is not None and len(value) > high):
        if low is not None and high is not None:
            return LENGTH_OOR, f"Length must be between {low} and {high} characters."
        if low is not None:
            return LENGTH_OOR, f"Length must be at least {low} characters."
        return LENGTH_OOR, f"Length must be at most {high} characters."
    pattern = rules.get("pattern")
    if pattern and not re.fullmatch(pattern, value):
        return FORMAT, f"Must match the pattern {pattern}."
    options = spec.get("options")
    if options and value not in options:
        return FORMAT, f"Must be one of: {', '.join(options)}."
    return None


def _integer(spec: dict, value) -> tuple[str, str] | None:
    if isinstance(value, str) and INTEGER_PATTERN.match(value.strip()):
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool):
        return FORMAT, "Must be a whole number."
    rules = spec.get("validation", {})
    low, high = rules.get("minValue"), rules.get("maxValue")
    if (low is not None and value < low) or (high is not None and value > high):
        if low is not None and high is not None:
            return VALUE_OOR, f"Value must be between {low} and {high}."
        return VALUE_OOR, f"Value must be at least {low}." if low is not None else f"Value must be at most {high}."
    return None


def _email(_spec: dict, value) -> tuple[str, str] | None:
    if not isinstance(value, str) or not EMAIL_PATTERN.match(value.strip()):
        return FORMAT, "Must be an email address (name@example.com)."
    return None


def _url(_spec: dict, value) -> tuple[str, str] | None:
    parsed = urlparse(value.strip()) if isinstance(value, str) else None
    host = parsed.hostname if parsed else None
    if not parsed or parsed.scheme not in ("http", "https") or not host or "." not in host:
        return FORMAT, "Must be a web address (https://example.com)."
    return None


def _phone(_spec: dict, value) -> tuple[str, str] | None:
    """GSM requirements are phone numbers in international format (+ and country code)."""
    text = value.strip().replace(" ", "") if isinstance(value, str) else ""
    if text and not text.startswith("+") and text.isdigit():
        text = "+" + text
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        return FORMAT, "Must be a valid phone number in international format (+ and country code)."
    return None


CHECKS = {"TEXT": _text, "INTEGER": _integer, "EMAIL": _email, "URL": _url, "GSM": _phone}


def _document(session: Session, value) -> tuple[str, str] | None:
    if not isinstance(value, str) or session.get(RequestDocument, value) is None:
        return FORMAT, f"No uploaded document with id {quote(value)}; upload it first."
    return None


def check_value(session: Session, spec: dict, value) -> tuple[str, str] | None:
    """The (code, text) of the first problem with one filled value, or None when it is fine."""
    values = value if isinstance(value, (list, tuple)) else [value]
    if isinstance(value, (list, tuple)) and len(value) > 1 and not spec.get("multipleValuesSupported"):
        return FORMAT, "Takes a single value."
    for item in values:
        if is_empty(item):
            continue
        if spec["type"] == "DOCUMENT":
            problem = _document(session, item)
        else:
            problem = CHECKS[spec["type"]](spec, item)
        if problem:
            return problem
    return None


def check_requirements(session: Session, specs: list[dict], filled: dict[str, object]) -> list[dict]:
    """Feedback for every requirement that is missing or wrong, and for keys no requirement has."""
    out: list[dict] = []
    known = {spec["key"] for spec in specs}
    for spec in specs:
        value = filled.get(spec["key"])
        if is_empty(value):
            if spec.get("required"):
                out.append(feedback(spec["key"], REQUIRED, "This field is required and cannot be empty."))
            continue
        problem = check_value(session, spec, value)
        if problem:
            out.append(feedback(spec["key"], *problem))
    for key in filled:
        if key not in known:
            out.append(feedback(key, OTHER, "Not a requirement of this request."))
    return out


def review_findings(specs_review: tuple[dict, ...], filled: dict[str, object]) -> list[dict]:
    """What the simulated reviewer objects to beyond the syntax (the offer's `review` checks)."""
    out = []
    for rule in specs_review:
        value = filled.get(rule["key"])
        text = " ".join(value) if isinstance(value, list) else str(value or "")
        if "contains" in rule and rule["contains"].lower() not in text.lower():
            out.append(feedback(rule["key"], rule.get("code", OTHER), rule["feedback"]))
    return out


def clean_filled(specs: list[dict], filled: dict[str, object]) -> list[dict]:
    """Stored form: `[{key, value}]` in the catalogue's order, empty values dropped, integers as numbers."""
    types = {spec["key"]: spec["type"] for spec in specs}
    out = []
    for key in sorted(filled, key=lambda k: list(types).index(k) if k in types else len(types)):
        value = filled[key]
        if is_empty(value):
            continue
        if isinstance(value, str):
            value = value.strip()
            if types.get(key) == "INTEGER" and INTEGER_PATTERN.match(value):
                value = int(value)
        out.append({"key": key, "value": value})
    return out
