"""How many SMS parts a text takes: GSM-7 (160 / 153 per part) or UCS-2 (70 / 67), and the preview.

GSM-7 counts septets of the GSM 03.38 default alphabet, an extension-table character (`€ [ ] { } ~
^ \\ |`) taking two (escape + character); a text with any other character goes as UCS-2, counted in
UTF-16 code units. A long text is split into concatenated parts whose header costs 7 septets
(GSM-7) or 3 units (UCS-2); an escape pair or a surrogate pair is never split across two parts.
National language shift tables are not emulated: `languageCode` is echoed, the default alphabet counts.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)

GSM7, UCS2 = "GSM7", "UCS2"
SINGLE = {GSM7: 160, UCS2: 70}
PART = {GSM7: 153, UCS2: 67}
LANGUAGE_CODES = ("TR", "ES", "PT", "AUTODETECT")
TRANSLITERATIONS = (
    "TURKISH", "GREEK", "CYRILLIC", "SERBIAN_CYRILLIC", "BULGARIAN_CYRILLIC", "CENTRAL_EUROPEAN", "BALTIC",
    "PORTUGUESE", "COLOMBIAN", "NON_UNICODE", "NONE", "ALL",
)


@dataclass(frozen=True, slots=True)
class Parts:
    encoding: str  # GSM7 or UCS2
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    count: int  # messages the text is sent as
    remaining: int  # characters (units) left in the last part


def _units(char: str, encoding: str) -> int:
    if encoding == GSM7:
        return len(char.encode("gsm03.38"))
    return 2 if ord(char) > 0xFFFF else 1


def encoding_of(text: str) -> str:
    try:
        text.encode("gsm03.38")
    except UnicodeEncodeError:
        return UCS2
    return GSM7


@lru_cache(maxsize=4096)
def parts(text: str) -> Parts:
    """The parts `text` is sent as (an empty text is one empty message)."""
    encoding = encoding_of(text)
    sizes = [_units(c, encoding) for c in text]
    units = sum(sizes)
    if units <= SINGLE[encoding]:
        return Parts(encoding, units, 1, SINGLE[encoding] - units)
    room, count, used = PART[encoding], 1, 0
    for size in sizes:  # greedy: a character that does not fit whole starts the next part
        if used + size > room:
            count, used = count + 1, 0
        used += size
    return Parts(encoding, units, count, room - used)


_GREEK_IN_GSM = {  # upper-case Greek letters the default alphabet has, and look-alikes of the rest
    "Α": "A", "Β": "B", "Γ": "Γ", "Δ": "Δ", "Ε": "E", "Ζ": "Z", "Η": "H", "Θ": "Θ", "Ι": "I", "Κ": "K",
    "Λ": "Λ", "Μ": "M", "Ν": "N", "Ξ": "Ξ", "Ο": "O", "Π": "Π", "Ρ": "P", "Σ": "Σ", "Τ": "T", "Υ": "Y",
    "Φ": "Φ", "Χ": "X", "Ψ": "Ψ", "Ω": "Ω",
}


_LATIN_EXTRA = {"ı": "i", "İ": "I", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss", "œ": "oe", "Œ": "OE"}


def transliterate(text: str, transliteration: str | None) -> str:
    """A best-effort transliteration into the default alphabet: accents dropped, Greek upper-cased
    onto GSM letters; characters with no GSM form stay (the text then stays UCS-2)."""
    if not transliteration or transliteration == "NONE":
        return text
    out = []
    for char in text:
        if encoding_of(char) == GSM7:
            out.append(char)
            continue
        if char in _LATIN_EXTRA:
            out.append(_LATIN_EXTRA[char])
            continue
        upper = unicodedata.normalize("NFD", char.upper())[0]
        if upper in _GREEK_IN_GSM:
            out.append(_GREEK_IN_GSM[upper])
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        out.append(base if base and encoding_of(base) == GSM7 else char)
    return "".join(out)


def _one(text: str, configuration: dict) -> dict:
    p = parts(text)
    return {"textPreview": text, "messageCount": p.count, "charactersRemaining": p.remaining, "configuration": configuration}


def preview(text: str, language_code: str | None = None, transliteration: str | None = None) -> dict:
    """The platform's PreviewResponse: the text as it is, then with the asked configuration."""
    out = {"originalText": text, "previews": [_one(text, {})]}
    if language_code or transliteration:
        configuration: dict = {}
        if language_code:
            configuration["language"] = {"languageCode": language_code}
        if transliteration:
            configuration["transliteration"] = transliteration
        out["previews"].append(_one(transliterate(text, transliteration), configuration))
    return out
