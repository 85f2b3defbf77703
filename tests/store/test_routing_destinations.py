"""Step 2's number check gives exactly what phonenumbers gives, on every kind of "+digits" string."""

from __future__ import annotations

import random

import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st

from store.routing.destinations import clear_cache, destination_country, fast_region
from store.routing.nanp import area_codes


def reference_region(to: str) -> str | None:
    """What phonenumbers says for a plain "+digits" number: its region when valid there, else None."""
    try:
        number = phonenumbers.parse(to, None)
    except phonenumbers.NumberParseException:
        return None
    region = phonenumbers.region_code_for_number(number)
    if region is None or not phonenumbers.is_valid_number_for_region(number, region):
        return None
    return region


def agrees(to: str) -> None:
    found = fast_region(to)
    if found is not None:  # None only sends the number to the full parser
        assert found == reference_region(to), to
        assert phonenumbers.format_number(phonenumbers.parse(to, None), phonenumbers.PhoneNumberFormat.E164) == to


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="0123456789", min_size=3, max_size=15))
def test_any_digits_are_judged_as_phonenumbers_judges_them(digits):
    agrees("+" + digits)


def test_north_american_and_european_numbers_match_phonenumbers():
    rng = random.Random(5)
    codes = sorted(area_codes())
    numbers = [f"+1{rng.choice(codes)}{rng.randrange(10_000_000):07d}" for _ in range(20_000)]
    numbers += [f"+1{rng.randrange(10**10):010d}" for _ in range(5_000)]
    for prefix, size in (("+44", 10), ("+385", 9), ("+49", 11), ("+33", 9), ("+1", 10)):
        numbers += [f"{prefix}{rng.randrange(10**size):0{size}d}" for _ in range(3_000)]
    decided = 0
    for to in numbers:
        agrees(to)
        decided += fast_region(to) is not None
    assert decided > len(numbers) // 2  # most valid numbers never reach the slow parser


def test_the_country_and_trace_words():
    clear_cache()
    country, detail, step = destination_country("+14155550123")
    assert (country, detail) == ("US", "+14155550123: US, area code 415, California")
    assert step == ("destination", detail)
    assert destination_country("+14155550123")[2] is step  # repeated recipients reuse the step
    assert destination_country("+18095550123")[0] == "DO"
    assert destination_country("+447400123456")[:2] == ("GB", "+447400123456: GB")
    assert destination_country("+1") == (None, "+1 is not a phone number", None)
    assert destination_country("14155550123")[0] is None
