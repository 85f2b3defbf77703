"""A fast reader for plain setup files: libyaml's event stream, built straight into Python values.

PyYAML's own loaders compose a node tree (with two marks per node) before constructing anything,
which costs about a second and ~5 KB per resource; libyaml's events alone are ten times quicker and
need no tree. This builds mappings, lists and scalars from the events, resolving and constructing
each scalar with PyYAML's own resolver and safe constructor, so the values are exactly
`yaml.safe_load`'s. It reads only what it is sure of: an anchor, alias, tag other than a standard
one, complex or merge key, repeated key, or nesting past the bound answers NotPlain, and the caller
reads the file with the careful loader, which words the refusal.
"""

from __future__ import annotations

import sys

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver
from yaml.events import (
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

STR = "tag:yaml.org,2002:str"
MERGE = "tag:yaml.org,2002:merge"
STANDARD = "tag:yaml.org,2002:"
AVAILABLE = getattr(yaml, "CSafeLoader", None) is not None
_COLLECTION_TAGS = (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_IGNORED = (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentStartEvent, yaml.DocumentEndEvent)


class NotPlain(Exception):
    """The file uses something this reader leaves to the careful loader."""


class _Scalars(SafeConstructor, Resolver):
    """PyYAML's resolver and safe constructor, used one scalar at a time."""

    def __init__(self):
        SafeConstructor.__init__(self)
        Resolver.__init__(self)

    def value(self, event: ScalarEvent):
        tag = event.tag
        if tag is None or tag == "!":  # as PyYAML's composer resolves it
            tag = self.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == STR:
            return _short(event.value)
        construct = self.yaml_constructors.get(tag) if tag.startswith(STANDARD) and tag != MERGE else None
        if construct is None:
            raise NotPlain
        # Called directly, not through construct_object, which would remember every node it made.
        return construct(self, yaml.ScalarNode(tag, event.value, style=event.style))


def _short(text: str) -> str:
    # Setup files repeat the same few words (field names, types, channels) hundreds of thousands of
    # times: one shared copy of each short string keeps a big file's values small.
    return sys.intern(text) if len(text) <= 24 else text


def load(text: str, max_depth: int):
    """The document's value, or NotPlain (see the module's docstring); YAMLError on bad syntax."""
    scalars = _Scalars()
    stack: list = []  # open containers: [container, pending mapping key or _NO_KEY, keys seen]
    root = None
    documents = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        kind = type(event)
        if kind is ScalarEvent:
            if event.anchor is not None or len(stack) + 1 > max_depth:
                raise NotPlain
            value = scalars.value(event)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or len(stack) + 1 > max_depth or event.tag not in _COLLECTION_TAGS:
                raise NotPlain
            container = {} if kind is MappingStartEvent else []
            _add(stack, container)
            stack.append([container, _NO_KEY, set()])
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            container = stack.pop()[0]
            if not stack:
                root, documents = container, documents + 1
            continue
        elif kind in _IGNORED:
            continue
        else:  # an alias
            raise NotPlain
        if not stack:
            root, documents = value, documents + 1
            continue
        _add(stack, value)
    if documents > 1:
        raise NotPlain
    return root


_NO_KEY = object()


def _add(stack: list, value) -> None:
    if not stack:
        return
    top = stack[-1]
    container = top[0]
    if type(container) is list:
        container.append(value)
        return
    if top[1] is _NO_KEY:
        if isinstance(value, (dict, list)) or value in top[2]:
            raise NotPlain  # a complex key, or a repeated one
        top[1] = value
        top[2].add(value)
        return
    container[top[1]] = value
    top[1] = _NO_KEY
