"""Builds `nanp_area_codes.csv` (area code → country, state/province) from phonenumbers' own geocoder data.

Run `python -m store.data.build_nanp` after upgrading phonenumbers; the CSV is shipped, never hand-edited.
Each area code's state or province is the most common ", XX" suffix of its city-level descriptions;
area codes that only carry a full name ("Ontario") borrow the code that name has elsewhere in the data.
"""

from __future__ import annotations

import csv
import difflib
import re
from collections import Counter, defaultdict
from pathlib import Path

import phonenumbers
from phonenumbers.geodata import GEOCODE_DATA

OUT = Path(__file__).with_name("nanp_area_codes.csv")
SUFFIX = re.compile(r",\s*([A-Z]{2})$")


def _country(area_code: str, prefixes: list[str]) -> str | None:
    for prefix in sorted(prefixes, key=len, reverse=True) + ["1" + area_code + "2"]:
        digits = (prefix[1:] + "2345678901")[:10]
        number = phonenumbers.parse("+1" + digits, None)
        region = phonenumbers.region_code_for_number(number)
        if region and phonenumbers.is_valid_number(number):
            return region
    return None


def _region_for_name(name: str, name_to_code: dict[str, str]) -> str | None:
    """The code a full name has elsewhere in the data; near-spellings count ("British Colombia").

    A name no area code pairs with a code (e.g. "Washington D.C.") stands as its own region, so area
    codes sharing it still match each other.
    """
    if not name:
        return None
    if name in name_to_code:
        return name_to_code[name]
    close = difflib.get_close_matches(name, list(name_to_code), n=1, cutoff=0.85)
    return name_to_code[close[0]] if close else name


def build() -> list[dict]:
    by_code: dict[str, list[str]] = defaultdict(list)
    for prefix in GEOCODE_DATA:
        if prefix.startswith("1") and len(prefix) >= 4:
            by_code[prefix[1:4]].append(prefix)
    suffixes: dict[str, Counter] = defaultdict(Counter)
    top_name: dict[str, str] = {}
    for code, prefixes in by_code.items():
        for prefix in prefixes:
            match = SUFFIX.search(GEOCODE_DATA[prefix].get("en", ""))
            if match:
                suffixes[code][match.group(1)] += 1
        top_name[code] = GEOCODE_DATA.get("1" + code, {}).get("en", "")
    # Learn full name → code from area codes that carry both (e.g. 416: "Ontario" and "Toronto, ON").
    name_votes: dict[str, Counter] = defaultdict(Counter)
    for code, name in top_name.items():
        if name and not SUFFIX.search(name) and suffixes[code]:
            name_votes[name][suffixes[code].most_common(1)[0][0]] += 1
    name_to_code = {name: votes.most_common(1)[0][0] for name, votes in name_votes.items()}
    code_votes: dict[str, Counter] = defaultdict(Counter)
    for name, region in name_to_code.items():
        code_votes[region][name] += name_votes[name][region]
    region_name = {region: votes.most_common(1)[0][0] for region, votes in code_votes.items()}

    rows = []
    for code in sorted(by_code):
        if suffixes[code]:
            region = suffixes[code].most_common(1)[0][0]
        else:
            region = _region_for_name(top_name[code], name_to_code)
        country = _country(code, by_code[code])
        if country is None:
            continue
        rows.append(
            {
                "area_code": code,
                "country": country,
                "region": region or "",
                "region_name": region_name.get(region, region or ""),
            }
        )
    return rows


def main() -> None:
    rows = build()
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["area_code", "country", "region", "region_name"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"{OUT.name}: {len(rows)} area codes (phonenumbers {phonenumbers.__version__})")


if __name__ == "__main__":
    main()
