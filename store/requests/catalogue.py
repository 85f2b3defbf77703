"""The requirements catalogue (shipped as `store/data/requirements.yaml`): offers and what they ask for."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources as package_files

import yaml

from ..enums import NUMBER_CAPABILITIES, NumberType
from ..errors import InvalidInput, StoreError
from ..validation import check_country, check_enum

NUMBER_PURCHASE = "NUMBER_PURCHASE"
ALPHANUMERIC_REGISTRATION = "ALPHANUMERIC_REGISTRATION"
REQUEST_TYPES = (NUMBER_PURCHASE, ALPHANUMERIC_REGISTRATION)
FIELD_TYPES = ("TEXT", "INTEGER", "EMAIL", "URL", "GSM", "DOCUMENT")
CATEGORIES = (
    "BUSINESS_DETAILS",
    "CONTACT_INFORMATION",
    "CUSTOMER_SUPPORT_INFORMATION",
    "MARKET_SPECIFIC_DETAILS",
    "USE_CASE_DETAILS",
    "CONFIRMATION",
    "OTHER",
)
VALIDATION_KEYS = {"TEXT": {"minLength", "maxLength", "pattern"}, "INTEGER": {"minValue", "maxValue"}}
MAX_QUANTITY = 49  # the platform's bound on `quantity`
NUMBER_UNAVAILABLE = "RR-NUMBER-PURCHASE-UNAVAILABLE404"
ALPHA_UNAVAILABLE = "RR-ALPHA-UNAVAILABLE404"


@dataclass(frozen=True)
class Offer:
    type: str
    country: str
    number_type: str | None = None
    capabilities: tuple[str, ...] = ()
    max_quantity: int = 1
    phone_number_type: str | None = None
    preferences: tuple[str, ...] = ()
    inventory_per_block: int | None = None
    requirements: tuple[dict, ...] = ()
    review: tuple[dict, ...] = ()


@dataclass(frozen=True)
class RequestSpec:
    """What is being requested, checked: the offer that serves it and the requirements it asks for."""

    type: str
    country_code: str
    number_type: str | None
    capabilities: tuple[str, ...]
    quantity: int | None
    offer: Offer

    @property
    def requirements(self) -> list[dict]:
        wanted = set(self.capabilities)
        out = []
        for item in self.offer.requirements:
            when = item.get("when", {}).get("capabilities")
            if when and not wanted & set(when):
                continue
            out.append({k: v for k, v in item.items() if k != "when"})
        return out


def _requirement(entry, definitions: dict, where: str) -> dict:
    overrides = {"key": entry} if isinstance(entry, str) else dict(entry)
    key = overrides.get("key")
    if key not in definitions:
        raise ValueError(f"{where}: unknown requirement {key!r}")
    base = definitions[key]
    if base.get("type") not in FIELD_TYPES or base.get("category") not in CATEGORIES:
        raise ValueError(f"definitions.{key}: bad type or category")
    if set(base.get("validation", {})) - VALIDATION_KEYS.get(base["type"], set()):
        raise ValueError(f"definitions.{key}: validation does not fit {base['type']}")
    out = {
        "key": key,
        "type": base["type"],
        "name": base["name"],
        "description": base["description"],
        "required": overrides.get("required", True),
        "category": base["category"],
    }
    for optional in ("validation", "options"):
        if optional in base:
            out[optional] = base[optional]
    if base.get("multipleValuesSupported"):
        out["multipleValuesSupported"] = True
    if "when" in overrides:
        out["when"] = overrides["when"]
    return out


def _offer(kind: str, raw: dict, definitions: dict, where: str) -> Offer | dict:
    if "unavailable" in raw:
        return dict(raw["unavailable"])
    return Offer(
        type=kind,
        country=raw["country"],
        number_type=raw.get("numberType"),
        capabilities=tuple(raw.get("capabilities", ["SMS"])),
        max_quantity=raw.get("maxQuantity", 1),
        phone_number_type=raw.get("phoneNumberType"),
        preferences=tuple(raw.get("preferences", ())),
        inventory_per_block=raw.get("inventoryPerBlock"),
        requirements=tuple(_requirement(e, definitions, where) for e in raw.get("requirements", [])),
        review=tuple(raw.get("review", ())),
    )


@cache
def catalogue() -> dict[tuple, Offer | dict]:
    """(type, country, numberType) → an Offer, or the {code, message} of an offer that does not exist."""
    text = package_files.files("store.data").joinpath("requirements.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    definitions = data["definitions"]
    table: dict[tuple, Offer | dict] = {}
    for kind, section in ((NUMBER_PURCHASE, "numberPurchase"), (ALPHANUMERIC_REGISTRATION, "alphanumericRegistration")):
        for i, raw in enumerate(data[section]):
            key = (kind, raw["country"], raw.get("numberType"))
            table[key] = _offer(kind, raw, definitions, f"{section}[{i}]")
    return table


def offered_countries(kind: str) -> list[str]:
    return sorted({c for (k, c, _), o in catalogue().items() if k == kind and isinstance(o, Offer)})


def offered_number_types(country: str) -> list[str]:
    return [n for (k, c, n), o in catalogue().items() if k == NUMBER_PURCHASE and c == country and isinstance(o, Offer)]


def _unavailable(entry: dict | None, default_code: str, message: str, field: str) -> StoreError:
    if entry:
        return StoreError(entry["message"], field, entry["code"])
    return StoreError(message, field, default_code)


def _check_capabilities(capabilities) -> tuple[str, ...]:
    if isinstance(capabilities, str):
        capabilities = [c for c in capabilities.replace(" ", "").split(",") if c]
    if not isinstance(capabilities, (list, tuple)) or not capabilities:
        raise InvalidInput("must list at least one of SMS, MMS, VOICE", "capabilities")
    out: list[str] = []
    for i, cap in enumerate(capabilities):
        cap = check_enum(cap, NUMBER_CAPABILITIES, f"capabilities[{i}]")
        if cap in out:
            raise InvalidInput(f"{cap} is listed twice", "capabilities")
        out.append(cap)
    return tuple(out)


def _check_quantity(quantity) -> int:
    if quantity is None:
        return 1
    if isinstance(quantity, str) and quantity.strip().isdigit():
        quantity = int(quantity)
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidInput(f"must be a whole number from 1 to {MAX_QUANTITY}", "quantity")
    return quantity


def resolve(type, country_code, number_type=None, capabilities=None, quantity=None) -> RequestSpec:
    """Check what is asked for and find the offer serving it, or raise the platform's unavailable code."""
    kind = check_enum(type, REQUEST_TYPES, "type")
    if not isinstance(country_code, str) or not country_code:
        raise InvalidInput("is required", "countryCode")
    country = check_country(country_code, "countryCode")
    if kind == ALPHANUMERIC_REGISTRATION:
        for value, field in ((number_type, "numberType"), (quantity, "quantity")):
            if value not in (None, ""):
                raise InvalidInput("only number purchases take it", field)
        if capabilities not in (None, [], (), "", ["SMS"], ("SMS",), "SMS"):
            raise InvalidInput("an alphanumeric sender sends SMS only", "capabilities")
        offer = catalogue().get((kind, country, None))
        if not isinstance(offer, Offer):
            raise _unavailable(offer, ALPHA_UNAVAILABLE, f"no alphanumeric registration in {country}", "countryCode")
        return RequestSpec(kind, country, None, ("SMS",), None, offer)
    if number_type in (None, ""):
        raise InvalidInput("is required for a number purchase", "numberType")
    number_type = check_enum(number_type, list(NumberType), "numberType")
    caps = _check_capabilities(capabilities)
    qty = _check_quantity(quantity)
    offer = catalogue().get((kind, country, number_type))
    if not isinstance(offer, Offer):
        if offer is None and not offered_number_types(country):
            raise _unavailable(None, NUMBER_UNAVAILABLE, f"no numbers are offered in {country}", "countryCode")
        raise _unavailable(offer, NUMBER_UNAVAILABLE, f"no {number_type} numbers are offered in {country}", "numberType")
    missing = [c for c in caps if c not in offer.capabilities]
    if missing:
        raise _unavailable(
            None,
            NUMBER_UNAVAILABLE,
            f"{number_type} numbers in {country} offer {', '.join(offer.capabilities)}, not {', '.join(missing)}",
            "capabilities",
        )
    if qty > offer.max_quantity:
        raise _unavailable(
            None, NUMBER_UNAVAILABLE, f"at most {offer.max_quantity} per request for this offer", "quantity"
        )
    return RequestSpec(kind, country, number_type, caps, qty, offer)


def lookup_requirements(type, country_code, number_type=None, capabilities=None, quantity=None) -> list[dict]:
    """The requirements lookup: what a request of this kind must provide (possibly nothing)."""
    return resolve(type, country_code, number_type, capabilities, quantity).requirements
