"""The shipped NANP table: area code → country and state/province (built by `store/data/build_nanp.py`)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources as package_files


@dataclass(frozen=True, slots=True)
class AreaCode:
    code: str
    country: str
    region: str | None  # state or province code, e.g. "CA", "ON"
    region_name: str | None  # e.g. "California", "Ontario"


@cache
def area_codes() -> dict[str, AreaCode]:
    text = package_files.files("store.data").joinpath("nanp_area_codes.csv").read_text(encoding="utf-8")
    table: dict[str, AreaCode] = {}
    for row in csv.DictReader(text.splitlines()):
        table[row["area_code"]] = AreaCode(
            row["area_code"], row["country"], row["region"] or None, row["region_name"] or None
        )
    return table


def area_code_of(number: str) -> str | None:
    """The 3 digits after +1 of a NANP number; None for anything else."""
    if len(number) == 12 and number.startswith("+1") and number[1:].isdigit():
        return number[2:5]
    return None


def lookup(code: str | None) -> AreaCode | None:
    return area_codes().get(code) if code else None
