"""The requirements lookup: offers by country, number type and capabilities, and the unavailable codes."""

from __future__ import annotations

import pytest

from store.errors import StoreError
from store.requests import lookup_requirements
from store.requests.catalogue import FIELD_TYPES, catalogue, resolve


def keys(reqs):
    return [r["key"] for r in reqs]


def test_ten_dlc_asks_for_brand_campaign_and_optional_area_preference():
    reqs = lookup_requirements("NUMBER_PURCHASE", "US", "TEN_DIGIT_LONG_CODE", ["SMS"])
    by_key = {r["key"]: r for r in reqs}
    for key in ("companyName", "brandName", "ein", "campaignUseCase", "campaignDescription", "sampleMessage"):
        assert by_key[key]["required"] is True
    assert [by_key[k]["required"] for k in ("state", "npa", "nxx")] == [False, False, False]
    assert by_key["npa"]["validation"] == {"pattern": "^[2-9][0-9]{2}$"}
    assert by_key["monthlyVolume"] == {
        "key": "monthlyVolume",
        "type": "INTEGER",
        "name": "Monthly messages",
        "description": "Estimated number of messages sent per month.",
        "required": True,
        "category": "USE_CASE_DETAILS",
        "validation": {"minValue": 1, "maxValue": 10000000},
    }


def test_every_catalogue_requirement_is_well_formed():
    for offer in catalogue().values():
        for req in getattr(offer, "requirements", ()):
            assert req["type"] in FIELD_TYPES
            assert set(req) >= {"key", "type", "name", "description", "required", "category"}


def test_capabilities_decide_conditional_requirements():
    sms_only = lookup_requirements("NUMBER_PURCHASE", "GB", "VIRTUAL_LONG_NUMBER", ["SMS"])
    with_voice = lookup_requirements("NUMBER_PURCHASE", "GB", "VIRTUAL_LONG_NUMBER", ["SMS", "VOICE"])
    assert sms_only == []
    assert keys(with_voice) == ["companyName", "emergencyAddress"]


@pytest.mark.parametrize(
    "args, expected",
    [
        (("US", "TOLL_FREE_NUMBER", ["SMS"]), "companyName"),
        (("US", "SHORT_CODE", ["SMS"]), "monthlyOutboundSmsEstimate"),
        (("CA", "VIRTUAL_LONG_NUMBER", ["SMS"]), "contactEmail"),
        (("HR", "VIRTUAL_LONG_NUMBER", ["SMS"]), "companyRegistrationDocument"),
        (("DE", "VIRTUAL_LONG_NUMBER", ["SMS"]), "proofOfAddress"),
        (("DE", "SHORT_CODE", ["SMS"]), "typesOfTraffic"),
    ],
)
def test_number_offers_in_each_covered_country(args, expected):
    assert expected in keys(lookup_requirements("NUMBER_PURCHASE", *args))


@pytest.mark.parametrize("country", ["GB", "HR", "DE"])
def test_alphanumeric_registration_offers(country):
    reqs = lookup_requirements("ALPHANUMERIC_REGISTRATION", country)
    assert "companyName" in keys(reqs)


@pytest.mark.parametrize(
    "args, code, field",
    [
        (("FR", "VIRTUAL_LONG_NUMBER", ["SMS"]), "RR-NUMBER-PURCHASE-UNAVAILABLE404", "countryCode"),
        (("GB", "TOLL_FREE_NUMBER", ["SMS"]), "RR-NUMBER-PURCHASE-UNAVAILABLE404", "numberType"),
        (("GB", "VIRTUAL_LONG_NUMBER", ["MMS"]), "RR-NUMBER-PURCHASE-UNAVAILABLE404", "capabilities"),
        (("US", "VIRTUAL_LONG_NUMBER", ["SMS"]), "RR-NUMBER-PURCHASE-US-VLN-UNSUPPORTED400", "numberType"),
    ],
)
def test_numbers_without_an_offer(args, code, field):
    with pytest.raises(StoreError) as err:
        lookup_requirements("NUMBER_PURCHASE", *args)
    assert (err.value.code, err.value.field) == (code, field)


def test_quantity_beyond_the_offer_is_unavailable():
    with pytest.raises(StoreError) as err:
        resolve("NUMBER_PURCHASE", "US", "SHORT_CODE", ["SMS"], 2)
    assert (err.value.code, err.value.field) == ("RR-NUMBER-PURCHASE-UNAVAILABLE404", "quantity")
    with pytest.raises(StoreError) as err:
        resolve("NUMBER_PURCHASE", "US", "TEN_DIGIT_LONG_CODE", ["SMS"], 50)
    assert (err.value.code, err.value.field) == ("INVALID_INPUT", "quantity")


@pytest.mark.parametrize("country", ["US", "CA", "FR"])
def test_alphanumeric_unavailable(country):
    with pytest.raises(StoreError) as err:
        lookup_requirements("ALPHANUMERIC_REGISTRATION", country)
    assert (err.value.code, err.value.field) == ("RR-ALPHA-UNAVAILABLE404", "countryCode")


@pytest.mark.parametrize(
    "args, field",
    [
        (("RCS", "US"), "type"),
        (("NUMBER_PURCHASE", "XX", "TEN_DIGIT_LONG_CODE", ["SMS"]), "countryCode"),
        (("NUMBER_PURCHASE", "US", None, ["SMS"]), "numberType"),
        (("NUMBER_PURCHASE", "US", "TEN_DIGIT_LONG_CODE", []), "capabilities"),
        (("NUMBER_PURCHASE", "US", "TEN_DIGIT_LONG_CODE", ["FAX"]), "capabilities[0]"),
        (("ALPHANUMERIC_REGISTRATION", "GB", "TEN_DIGIT_LONG_CODE"), "numberType"),
    ],
)
def test_bad_lookup_input_names_the_field(args, field):
    with pytest.raises(StoreError) as err:
        lookup_requirements(*args)
    assert err.value.code == "INVALID_INPUT" and err.value.field == field
