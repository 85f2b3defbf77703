"""A fast writer for export's items: the text PyYAML's dumper writes, without its representer.

Export items are flat mappings of short scalars and short lists of scalars (a resource row), which
PyYAML spends ~50 µs each representing node by node. This writes such an item's lines directly,
for exactly the cases where the text is certain:

- a string of ASCII letters, digits, spaces inside and `_+-./()@` (not first, except `+_(`),
  which the emitter writes plain when it reads back as a string and in single quotes otherwise
  (`'+14155550100'`, `'yes'`, `'123'`): the resolver that decides it is PyYAML's own;
- None, True, False and int as the representer writes them (`null`, `true`, `false`, `42`);
- a list of those inline (`[SMS, MMS]`, `[]`), as export's list representer asks;
- every line at most the dumper's width (120), so nothing is folded.

Anything else (a quote, a colon, a `#`, unicode, a control character, an empty or long string, a
nested mapping or list of mappings, a float, a str subclass) makes `item_text` answer None, and the
caller dumps that item with PyYAML as before. tests/store/test_yaml_emit.py checks the two agree
byte for byte, over hypothesis-made text too.
"""

from __future__ import annotations

import re

from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

WIDTH = 120  # the dumper's `width`: a line longer than this may be folded, so it is PyYAML's to write
STR = "tag:yaml.org,2002:str"
_SIMPLE = re.compile(r"[A-Za-z0-9+_(](?:[A-Za-z0-9_+\-./()@ ]*[A-Za-z0-9_+\-./()@])?\Z")
_RESOLVER = Resolver()
_CACHE_LIMIT = 50_000  # distinct strings remembered (the repeated ones: types, countries, ids of owners)
_cache: dict[str, str | None] = {}
_PLAIN_KEYS: set[str] = set()  # keys already known to be written plain


def _quote(text: str) -> str | None:
    if not _SIMPLE.match(text):
        return None
    if _RESOLVER.resolve(ScalarNode, text, (True, False)) == STR:
        return text  # plain
    return f"'{text}'"  # reads back as a number, bool, null or date: single-quoted, as the emitter does


def scalar(value) -> str | None:
    """The value as the dumper writes it in a block mapping or a flow list, or None if not certain."""
    kind = type(value)
    if kind is str:
        text = _cache.get(value, False)
        if text is False:
            text = _quote(value)
            if len(_cache) < _CACHE_LIMIT:
                _cache[value] = text
        return text
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return str(value)
    return None


def _value(value) -> str | None:
    if type(value) is list:
        parts = []
        for element in value:
            text = scalar(element)
            if text is None:
                return None
            parts.append(text)
        return "[" + ", ".join(parts) + "]"
    return scalar(value)


def item_text(item: dict) -> str | None:
    """One list item (`- key: value` lines) as the dumper writes it, or None to let PyYAML write it."""
    if type(item) is not dict or not item:
        return None
    cache, keys = _cache, _PLAIN_KEYS
    lines = []
    lead = "- "
    for key, value in item.items():
        if key not in keys:
            if type(key) is not str or scalar(key) != key:  # a key is written plain here, or by PyYAML
                return None
            keys.add(key)
        text = cache.get(value) if type(value) is str else None
        if text is None:
            text = _value(value)
            if text is None:
                return None
        line = f"{lead}{key}: {text}"
        if len(line) > WIDTH:
            return None
        lines.append(line)
        lead = "  "
    lines.append("")
    return "\n".join(lines)
