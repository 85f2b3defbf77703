"""`export`: the whole setup as a setup file, streamed section by section in a stable order.

Rows are read in the database's order (no Python sort, so memory stays flat however big the store)
and written in chunks with libyaml's emitter when it is installed. The order is the same on SQLite
and PostgreSQL: NULLs first, then text by code point (SQLite's binary collation, PostgreSQL's "C").
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from itertools import islice
from typing import TextIO

import yaml
from sqlalchemy import case, func, select
from sqlmodel import Session

from . import api
from .yaml_emit import item_text, scalar
from .keys import key_links, list_api_keys
from .tables import (ApiKey, Application, Entity, InboundConfiguration, Resource, ResourceAssociation,
                     SendingStrategy)

EXPORTED = (Application, Entity, Resource, InboundConfiguration, ResourceAssociation, SendingStrategy, ApiKey)

CHUNK = 2_000  # items per emitter call: big enough to amortise it, small enough to keep memory flat
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _SetupDumper(_BaseDumper):
    """Block style for sections and items; short lists of plain values inline, as people write them."""


def _represent_list(dumper: yaml.SafeDumper, data: list):
    inline = all(not isinstance(v, (dict, list)) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=inline)


_SetupDumper.add_representer(list, _represent_list)


def _dump(data, out: TextIO) -> None:
    yaml.dump(data, out, Dumper=_SetupDumper, sort_keys=False, allow_unicode=True, width=120)


def _write_items(items: list, out: TextIO) -> None:
    """The items as `_dump(items, out)` writes them: flat ones directly (store/yaml_emit.py), others by PyYAML."""
    parts = []
    for item in items:
        text = item_text(item)
        if text is None:
            buffer = io.StringIO()
            _dump([item], buffer)  # a one-item list is written exactly as that item within a longer list
            text = buffer.getvalue()
        parts.append(text)
    out.write("".join(parts))


def dump_setup(data: dict) -> str:
    """The setup file's text: PyYAML's dump, with the sections' flat items written directly (same bytes)."""
    out = io.StringIO()
    sectioned = type(data) is dict and data and all(
        type(name) is str and scalar(name) == name and type(items) is list and all(type(i) is dict for i in items)
        for name, items in data.items())  # as a section's items are: else one dump decides the styles
    if not sectioned:
        _dump(data, out)
        return out.getvalue()
    for name, items in data.items():
        if items:
            out.write(f"{name}:\n")  # a section's list is indentless: written as a top-level list is
            _write_items(items, out)
        else:
            _dump({name: []}, out)
    return out.getvalue()


def _compact(item: dict) -> dict:
    return {k: v for k, v in item.items() if v is not None}


def _ordered(session: Session, *columns):
    """ORDER BY each column with NULLs first and code-point text order on either engine."""
    is_pg = session.get_bind().dialect.name == "postgresql"
    order = []
    for column in columns:
        order.append(case((column.is_(None), 0), else_=1))
        order.append(column.collate("C") if is_pg else column)
    return order


def _rows(session: Session, model, *order) -> Iterator:
    table = model.__table__
    statement = select(table).order_by(*_ordered(session, *(table.c[name] for name in order)))
    yield from session.execute(statement.execution_options(yield_per=CHUNK))


def _strategy(row) -> dict:
    item = _compact(api.strategy(row))
    item["platform"] = _compact(item["platform"])
    return item


def _keys(session: Session) -> Iterator[dict]:
    for key in list_api_keys(session):  # by name: code-point order on both engines is checked in tests
        item = _compact(api.api_key(key, key_links(session, key.name)))
        item["platform"] = [_compact(link) for link in item["platform"]]
        yield item


def iter_sections(session: Session) -> Iterator[tuple[str, Iterator[dict]]]:
    """Each section's name and its items, lazily, in export order."""
    yield "applications", (api.application(a) for a in _rows(session, Application, "application_id"))
    yield "entities", (api.entity(e) for e in _rows(session, Entity, "entity_id"))
    yield "resources", (_compact(api.resource(r)) for r in _rows(session, Resource, "resource_id"))
    yield "inboundConfigurations", (
        _compact(api.inbound_configuration(c))
        for c in _rows(session, InboundConfiguration, "resource_id", "channel", "keyword_key")
    )
    yield "associations", (
        _compact(api.association(a))
        for a in _rows(session, ResourceAssociation, "resource_id", "channel", "application_id", "entity_id")
    )
    yield "sendingStrategies", (
        _strategy(s) for s in _rows(session, SendingStrategy, "application_id", "entity_id", "channel",
                                      "destination_country_code", "sending_strategy_id")
    )
    yield "apiKeys", _keys(session)


def export_setup(session: Session) -> dict:
    """The whole setup as a setup-file mapping, in a stable order."""
    return {section: list(items) for section, items in iter_sections(session)}


def count_items(session: Session) -> int:
    """How many items an export writes (one count per table): the total of its progress bar."""
    return sum(session.execute(select(func.count()).select_from(model)).scalar_one() for model in EXPORTED)


def write_setup(session: Session, out: TextIO, progress=None) -> int:
    """Write the setup to `out` as `dump_setup(export_setup(session))` would, in chunks; returns items written.

    `progress(count)` is called after each chunk with the number of items written so far.
    """
    written = 0
    for section, items in iter_sections(session):
        chunk = list(islice(items, CHUNK))
        if not chunk:
            _dump({section: []}, out)
            continue
        out.write(f"{section}:\n")
        while chunk:
            _write_items(chunk, out)  # a top-level list is written exactly as a section's (indentless) list
            written += len(chunk)
            if progress is not None:
                progress(written)
            chunk = list(islice(items, CHUNK))
    return written
