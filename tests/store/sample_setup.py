"""A small valid setup touching every section, shared by the setup-file and delete tests."""

from __future__ import annotations

import copy

from store.db import Store
from store.setup_file import apply_setup, export_setup

SHOP_NUMBER = "+14155550100"
SHOP_NUMBER_2 = "+14155550101"
CA_NUMBER = "+16135550100"
TOLL_FREE = "+18005550100"
SHORT_CODE = "12345"

_SAMPLE = {
    "applications": [
        {"applicationId": "shop", "applicationName": "Shop"},
        {"applicationId": "bank", "applicationName": "Bank"},
    ],
    "entities": [
        {"entityId": "bigcola", "entityName": "BigCola"},
        {"entityId": "acme", "entityName": "Acme"},
    ],
    "resources": [
        {"resourceId": SHOP_NUMBER, "resourceType": "NUMBER", "numberType": "TEN_DIGIT_LONG_CODE",
         "capabilities": ["SMS", "MMS", "VOICE"], "applicationId": "shop", "entityId": "bigcola"},
        {"resourceId": SHOP_NUMBER_2, "resourceType": "NUMBER", "capabilities": ["SMS", "VOICE"],
         "applicationId": "shop"},
        {"resourceId": CA_NUMBER, "resourceType": "NUMBER", "capabilities": ["SMS"], "applicationId": "bank",
         "entityId": "acme"},
        {"resourceId": TOLL_FREE, "resourceType": "NUMBER", "capabilities": ["SMS"]},
        {"resourceId": SHORT_CODE, "resourceType": "NUMBER", "numberType": "SHORT_CODE", "country": "US",
         "capabilities": ["SMS"]},
        {"resourceId": "InfoSMS", "resourceType": "ALPHA", "country": "GB", "destinationCountries": ["GB", "HR"]},
        {"resourceId": "mail.example.com", "resourceType": "DOMAIN"},
    ],
    "inboundConfigurations": [
        {"resourceId": SHOP_NUMBER, "channel": "SMS", "keyword": "JOIN", "applicationId": "shop",
         "entityId": "bigcola"},
        {"resourceId": SHOP_NUMBER, "channel": "SMS", "keyword": None, "applicationId": "shop"},
        {"resourceId": SHOP_NUMBER_2, "channel": "SMS", "keyword": "LOAN", "applicationId": "bank",
         "entityId": "acme"},
    ],
    "associations": [
        {"resourceType": "NUMBER", "resourceId": SHOP_NUMBER, "channel": "SMS", "applicationId": "shop",
         "entityId": "bigcola"},
        {"resourceType": "NUMBER", "resourceId": SHOP_NUMBER_2, "channel": "SMS", "applicationId": "shop"},
        {"resourceType": "NUMBER", "resourceId": SHORT_CODE, "channel": "SMS", "applicationId": "shop",
         "entityId": "bigcola"},
        {"resourceType": "NUMBER", "resourceId": CA_NUMBER, "channel": "SMS", "applicationId": "bank",
         "entityId": "acme"},
        {"resourceType": "ALPHA", "resourceId": "InfoSMS", "channel": "SMS", "applicationId": "bank"},
        {"resourceType": "DOMAIN", "resourceId": "mail.example.com", "channel": "EMAIL", "applicationId": "shop"},
    ],
    "sendingStrategies": [
        {"platform": {"applicationId": "shop", "entityId": "bigcola"}, "channel": "SMS",
         "destinationCountryCode": "US", "useStickySender": True, "useGeolocatedSender": True,
         "priorities": [{"senderType": "SHORT_CODE", "priority": 1}], "defaultSender": SHOP_NUMBER},
        {"platform": {"applicationId": "shop"}, "priorities": [{"senderType": "VIRTUAL_LONG_NUMBER", "priority": 2}],
         "defaultSender": TOLL_FREE},
        {"platform": {"applicationId": "bank", "entityId": "acme"}, "channel": "SMS"},
    ],
    "apiKeys": [
        {"name": "bigcola-prod", "secret": "k-bigcola-prod-0001-chosen-long-secret",
         "platform": [{"applicationId": "shop", "entityId": "bigcola", "action": "FILL"}]},
        {"name": "shop-and-bank", "secret": "k-shop-and-bank-01-chosen-long-secret",
         "platform": [{"applicationId": "shop", "action": "FORCE"}, {"applicationId": "bank"}]},
        {"name": "admin", "secret": "k-admin-000000001-chosen-long-secret"},
    ],
}


def sample_setup() -> dict:
    """A fresh copy of the sample setup (tests may change it freely)."""
    return copy.deepcopy(_SAMPLE)


def load_sample(store: Store) -> None:
    with store.write() as session:
        apply_setup(session, sample_setup())


def export(store: Store) -> dict:
    with store.read() as session:
        return export_setup(session)
