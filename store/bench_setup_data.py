"""A synthetic setup file of any size, every item valid: what `cpaasx bench --setup` applies."""

from __future__ import annotations

import random

import phonenumbers

from .routing.nanp import area_codes
from .simulation import nanp_number

APPLICATIONS = 10
ENTITIES = 1_000


def _valid_number(rng: random.Random, area: str) -> str:
    while True:
        number = nanp_number(rng, area)
        if phonenumbers.is_valid_number(phonenumbers.parse(number)):
            return number


def setup_data(resources: int, seed: int = 1) -> dict:
    """`resources` NANP numbers spread over 1,000 entities, one association and one strategy per entity."""
    rng = random.Random(seed)
    nanp = sorted(code for code, info in area_codes().items() if info.country in ("US", "CA"))
    entities = [(f"app{i % APPLICATIONS:02d}", f"ent{i:04d}") for i in range(ENTITIES)]
    numbers, seen = [], set()
    for n in range(resources):
        app, entity = entities[n % ENTITIES]
        area = nanp[rng.randrange(len(nanp))]
        number = _valid_number(rng, area)
        while number in seen:
            number = _valid_number(rng, area)
        seen.add(number)
        country = area_codes()[area].country
        numbers.append({"resourceId": number, "resourceType": "NUMBER", "numberType": "TEN_DIGIT_LONG_CODE",
                        "country": country, "capabilities": ["SMS", "MMS"], "destinationCountries": [country],
                        "applicationId": app, "entityId": entity})
    first = {}
    for item in numbers:
        first.setdefault(item["entityId"], item)
    return {
        "applications": [{"applicationId": f"app{a:02d}", "applicationName": f"App {a}"} for a in range(APPLICATIONS)],
        "entities": [{"entityId": e, "entityName": f"Entity {e[3:]}"} for _, e in entities],
        "resources": numbers,
        "associations": [{"resourceType": "NUMBER", "resourceId": item["resourceId"], "channel": "SMS",
                          "applicationId": item["applicationId"], "entityId": e} for e, item in first.items()],
        "sendingStrategies": [{"platform": {"applicationId": item["applicationId"], "entityId": e},
                               "channel": "SMS", "useStickySender": True, "defaultSender": item["resourceId"]}
                              for e, item in first.items()],
    }
