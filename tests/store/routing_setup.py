"""A small setup every routing test starts from, and helpers to route against it.

shop/bigcola has San Francisco (415), Los Angeles (213) and New York (212) 10DLC numbers, a
short code and an alphanumeric sender for GB; shop (no entity) has one 646 number; the support
application has no strategy at all.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func
from sqlmodel import select

from store.db import Store
from store.routing import Router
from store.setup_file import apply_setup, load_setup
from store.tables import MessageLog

START = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)

SF, LA, NY, NY_SHOP, TORONTO = "+14155550100", "+12135550101", "+12125550102", "+16465550103", "+14165550104"
SHORT, ALPHA = "55555", "BigCola"

BASE = f"""
applications:
  - {{applicationId: shop, applicationName: Shop}}
  - {{applicationId: support, applicationName: Support}}
entities:
  - {{entityId: bigcola, entityName: BigCola}}
  - {{entityId: pawpal, entityName: PawPal}}
resources:
  - {{resourceId: "{SF}", resourceType: NUMBER, capabilities: [SMS, MMS], applicationId: shop, entityId: bigcola}}
  - {{resourceId: "{LA}", resourceType: NUMBER, capabilities: [SMS], applicationId: shop, entityId: bigcola}}
  - {{resourceId: "{NY}", resourceType: NUMBER, capabilities: [SMS, VOICE], applicationId: shop, entityId: bigcola}}
  - {{resourceId: "{NY_SHOP}", resourceType: NUMBER, capabilities: [SMS], applicationId: shop}}
  - {{resourceId: "{TORONTO}", resourceType: NUMBER, capabilities: [SMS], destinationCountries: [CA, US]}}
  - {{resourceId: "{SHORT}", resourceType: NUMBER, numberType: SHORT_CODE, country: US, capabilities: [SMS]}}
  - {{resourceId: {ALPHA}, resourceType: ALPHA, country: GB, destinationCountries: [GB, HR]}}
associations:
  - {{resourceType: NUMBER, resourceId: "{SF}", channel: SMS, applicationId: shop, entityId: bigcola}}
  - {{resourceType: NUMBER, resourceId: "{SF}", channel: MMS, applicationId: shop, entityId: bigcola}}
  - {{resourceType: NUMBER, resourceId: "{LA}", channel: SMS, applicationId: shop, entityId: bigcola}}
  - {{resourceType: NUMBER, resourceId: "{NY}", channel: SMS, applicationId: shop, entityId: bigcola}}
  - {{resourceType: ALPHA, resourceId: {ALPHA}, channel: SMS, applicationId: shop, entityId: bigcola}}
  - {{resourceType: NUMBER, resourceId: "{NY_SHOP}", channel: SMS, applicationId: shop}}
sendingStrategies:
  - sendingStrategyId: APPLEVEL000000000000000000000000
    platform: {{applicationId: shop}}
"""

APP_LEVEL = "APPLEVEL000000000000000000000000"


def make_store(store: Store, extra: str = "") -> Store:
    """Apply BASE (plus `extra` YAML merged section by section) to `store`."""
    data = load_setup(BASE)
    for section, items in load_setup(extra).items():
        data.setdefault(section, []).extend(items or [])
    with store.write() as session:
        apply_setup(session, data)
    return store


def stepping_clock(start: datetime = START, step: timedelta = timedelta(seconds=1)):
    ticks = iter(range(1 << 40))
    return lambda: start + step * next(ticks)


def router(store: Store) -> Router:
    return Router(store, clock=stepping_clock())


def log_count(store: Store) -> int:
    with store.read() as session:
        return session.exec(select(func.count()).select_from(MessageLog)).one()


def steps(decision) -> dict:
    """step name → detail (the last one when a name repeats)."""
    return {s.step: s.detail for s in decision.trace}
