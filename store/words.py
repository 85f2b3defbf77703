"""Words for counts: plurals, articles and thousands separators, one rule everywhere (store, CLI, dashboard)."""

from __future__ import annotations

# Words whose plural the simple rules get wrong (the last word of a noun is what changes).
IRREGULAR = {"entity": "entities", "strategy": "strategies", "key": "keys", "day": "days", "person": "people",
             "address": "addresses", "status": "statuses"}
VOWEL_SOUND = set("aeiou")
# Capitalised codes read letter by letter or as a word: "an SMS", "an ALPHA sender", "a URL".
AN_LETTERS = set("AEFHILMNORSX")  # letters whose name starts with a vowel sound


def plural(noun: str, n: int = 2) -> str:
    """`noun` for `n` things: "API key" → "API keys", "strategy" → "strategies", "binding" → "bindings"."""
    if n == 1:
        return noun
    head, _, last = noun.rpartition(" ")
    lower = last.lower()
    if lower in IRREGULAR:
        word = IRREGULAR[lower]
        if last[:1].isupper():
            word = word[0].upper() + word[1:]
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in VOWEL_SOUND:
        word = last[:-1] + "ies"
    elif lower.endswith(("s", "x", "z", "ch", "sh")):
        word = last + "es"
    else:
        word = last + "s"
    return f"{head} {word}" if head else word


def count(n: int, noun: str) -> str:
    """ "1 API key", "6,383 sticky bindings", "0 requests"."""
    return f"{n:,} {plural(noun, n)}"


def article(word: str) -> str:
    """ "a" or "an" before `word`: "an application", "a number", "an ALPHA sender", "an SMS", "a US number"."""
    first = word.lstrip()[:1]
    if not first:
        return "a"
    token = word.lstrip().split(" ")[0]
    if token.isupper() and len(token) > 1:
        # a code: one of four letters or more with a vowel is read as a word (an ALPHA, a NUMBER,
        # a SHORT_CODE), a shorter or vowelless one letter by letter (an SMS, an MMS, a URL, a US number)
        if len(token) > 3 and any(ch in "AEIOU" for ch in token):
            return "an" if first in "AEIOU" else "a"
        return "an" if first in AN_LETTERS else "a"
    return "an" if first.lower() in VOWEL_SOUND else "a"


def with_article(word: str) -> str:
    return f"{article(word)} {word}"


def possessive(name: str) -> str:
    """ "shop's", "alerts'" (a name ending in s takes the apostrophe alone)."""
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"
