"""Setup files: `apply` (all or nothing, idempotent) and `export` (what `apply` takes back unchanged)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from . import api
from .associations import create_association, find_association
from .display import quote
from .errors import Conflict, InvalidInput, StoreError
from .inbound_config import add_inbound_configuration, check_keyword, forward_url_from
from .keys import create_api_key, key_links, update_api_key
from .platforms import create_application, create_entity, rename_application, rename_entity
from .setup_resources import apply_resources, prepare_resources
from .strategies import create_strategy, find_strategy, update_strategy
from .setup_export import dump_setup, export_setup, write_setup  # noqa: F401  (the file's public API)
from .setup_yaml import parse_yaml
from .validation import NOT_TEXT
from .tables import (
    ApiKey,
    Application,
    Entity,
    InboundConfiguration,
    Resource,
    ResourceAssociation,
    SendingStrategy,
)

SECTIONS = (
    "applications",
    "entities",
    "resources",
    "inboundConfigurations",
    "associations",
    "sendingStrategies",
    "apiKeys",
)

FIELDS = {
    "applications": {"applicationId", "applicationName"},
    "entities": {"entityId", "entityName"},
    "resources": {
        "resourceId", "resourceType", "numberKey", "numberType", "country", "capabilities",
        "destinationCountries", "applicationId", "entityId",
    },
    "inboundConfigurations": {"resourceId", "channel", "keyword", "applicationId", "entityId", "forwarding"},
    "associations": {"resourceType", "resourceId", "channel", "applicationId", "entityId"},
    "sendingStrategies": {
        "sendingStrategyId", "platform", "channel", "destinationCountryCode", "useStickySender",
        "useGeolocatedSender", "priorities", "defaultSender",
    },
    "apiKeys": {"name", "secret", "secretHash", "platform", "enabled", "validFrom", "validTo"},
}


@dataclass
class ApplyReport:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    secrets: dict[str, str] = field(default_factory=dict)

    @property
    def unchanged(self) -> bool:
        return not self.created and not self.changed


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_.\-]{1,80}")


def key_field(keys) -> str:
    """The field an error names for unknown keys: the first in order, as written when it is a plain
    name, else quoted (`''`, `1`, `None`, a long or odd string cut to ~80 characters), so keys of mixed
    types, an empty key and a key with a newline still name one field on one line."""
    first = sorted(keys, key=lambda k: (not isinstance(k, str), str(k)))[0]
    return first if isinstance(first, str) and _PLAIN_KEY.fullmatch(first) else quote(first)


def load_setup(text: str) -> dict:
    data = parse_yaml(text)  # refuses aliases, duplicate keys, deep nesting and huge files
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InvalidInput("a setup file is a mapping of sections", "file")
    unknown = set(data) - set(SECTIONS)
    if unknown:
        raise InvalidInput(f"unknown section (sections are {', '.join(SECTIONS)})", key_field(unknown))
    for section in SECTIONS:
        items = data.get(section)
        if items is not None and not isinstance(items, list):
            raise InvalidInput("must be a list", section)
    return data


@dataclass
class PreparedSetup:
    """A parsed setup checked as far as it can be without the store (see `prepare_setup`)."""

    data: dict  # the parsed file without its resources: `resources` holds what writing them needs
    resources: list[dict]


def prepare_setup(data: dict, release: bool = False) -> PreparedSetup:
    """Check every item's shape and parse every resource before any transaction: the slow half of a big
    `apply`, done without holding the store's write lock. The first bad item raises, naming itself.

    With `release`, each parsed resource in `data` is replaced by None once prepared (the caller is
    done with them), so a big file's parsed and prepared resources are never all in memory at once."""
    for section in SECTIONS:
        seen: dict = {}
        for i, item in enumerate(data.get(section) or []):
            try:
                if not isinstance(item, dict):
                    raise InvalidInput("must be a mapping")
                unknown = set(item) - FIELDS[section]
                if unknown:
                    raise InvalidInput("unknown field", key_field(unknown))
                # A second item for the same object would silently overwrite the first.
                for identity in _identities(section, item):
                    if identity in seen:
                        raise Conflict(f"the same {SINGULAR[section]} as {section}[{seen[identity]}]")
                    seen[identity] = i
            except StoreError as exc:
                raise exc.at(f"{section}[{i}]") from None
    # The parsed resources are not kept: a big file's are ~500 bytes each, as many as its prepared ones.
    rest = {section: items for section, items in data.items() if section != "resources"}
    return PreparedSetup(rest, prepare_resources(data.get("resources") or [], release))


def apply_setup(session: Session, data: dict | PreparedSetup, progress=None) -> ApplyReport:
    """Apply a parsed (or prepared) setup inside the caller's transaction; the first bad item raises, naming itself.

    `progress("writing <section>", done, total)`, if given, is told every PROGRESS_EVERY items."""
    prepared = data if isinstance(data, PreparedSetup) else prepare_setup(data)
    report = ApplyReport()
    total = sum(len(prepared.data.get(section) or []) for section in SECTIONS) + len(prepared.resources)
    done = 0
    for section in SECTIONS:
        items = prepared.data.get(section) or []
        step = f"writing {section}"
        if progress is not None:
            progress(step, done, total)
        if section == "resources":
            apply_resources(session, prepared.resources, report)
            done += len(prepared.resources)
            continue
        for i, item in enumerate(items):
            try:
                APPLIERS[section](session, item, report)
            except StoreError as exc:
                raise exc.at(f"{section}[{i}]") from None
            done += 1
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(step, done, total)
    if progress is not None:
        progress("committing", done, total)
    return report


PROGRESS_EVERY = 500


def _identities(section: str, item: dict) -> list[tuple]:
    """What identifies the item's object within its section (a strategy: its id and its key)."""
    def value(name, source=item):
        found = source.get(name) if isinstance(source, dict) else None
        return found.upper() if isinstance(found, str) and name in UPPER_CASED else repr(found)

    if section == "sendingStrategies":
        platform = item.get("platform")
        key = [("key", value("applicationId", platform), value("entityId", platform), value("channel"),
                value("destinationCountryCode"))]
        return key + ([("id", value("sendingStrategyId"))] if item.get("sendingStrategyId") is not None else [])
    if section == "inboundConfigurations":
        keyword = item.get("keyword")
        return [(value("resourceId"), value("channel"), keyword.upper() if isinstance(keyword, str) else "")]
    if section == "resources" and item.get("resourceType") == "DOMAIN" and isinstance(item.get("resourceId"), str):
        return [(item["resourceId"].lower(),)]
    return [tuple(value(name) for name in IDENTITY[section])]


IDENTITY = {
    "applications": ("applicationId",),
    "entities": ("entityId",),
    "resources": ("resourceId",),
    "associations": ("resourceType", "resourceId", "channel", "applicationId", "entityId"),
    "apiKeys": ("name",),
}
UPPER_CASED = {"destinationCountryCode"}
SINGULAR = {
    "applications": "application", "entities": "entity", "resources": "resource",
    "inboundConfigurations": "inbound configuration", "associations": "association",
    "sendingStrategies": "sending strategy", "apiKeys": "API key",
}


def _apply_application(session: Session, item: dict, report: ApplyReport) -> None:
    ident, name = item.get("applicationId"), item.get("applicationName")
    row = session.get(Application, ident) if isinstance(ident, str) else None
    if row is None:
        create_application(session, ident, name)
        report.created.append(f"application {ident}")
    elif name is not None and name != row.application_name:
        rename_application(session, ident, name)
        report.changed.append(f"application {ident}")


def _apply_entity(session: Session, item: dict, report: ApplyReport) -> None:
    ident, name = item.get("entityId"), item.get("entityName")
    row = session.get(Entity, ident) if isinstance(ident, str) else None
    if row is None:
        create_entity(session, ident, name)
        report.created.append(f"entity {ident}")
    elif name is not None and name != row.entity_name:
        rename_entity(session, ident, name)
        report.changed.append(f"entity {ident}")


def _text(item: dict, *names: str) -> None:
    """Fields used in a lookup must be text (or absent) before they reach a query."""
    for name in names:
        if item.get(name) is not None and not isinstance(item[name], str):
            raise InvalidInput(NOT_TEXT, name)


def _apply_inbound(session: Session, item: dict, report: ApplyReport) -> None:
    _text(item, "resourceId", "channel", "applicationId", "entityId")
    keyword = check_keyword(item.get("keyword"))
    row = session.exec(
        select(InboundConfiguration).where(
            InboundConfiguration.resource_id == item.get("resourceId"),
            InboundConfiguration.channel == item.get("channel"),
            InboundConfiguration.keyword_key == (keyword.upper() if keyword else ""),
        )
    ).first()
    label = f"inbound {item.get('resourceId')} {item.get('channel')} {keyword or '(catch-all)'}"
    app, ent = item.get("applicationId"), item.get("entityId")
    # Without `forwarding` an item keeps the address it has (set over the API, say); `{type: PULL}` clears it.
    url = forward_url_from(item["forwarding"]) if "forwarding" in item else (row.forward_url if row else None)
    if row is None:
        add_inbound_configuration(session, item.get("resourceId"), item.get("channel"), keyword, app, ent, url)
        report.created.append(label)
    elif (row.application_id, row.entity_id, row.keyword, row.forward_url) != (app, ent, keyword, url):
        session.delete(row)
        session.flush()
        add_inbound_configuration(session, item.get("resourceId"), item.get("channel"), keyword, app, ent, url)
        report.changed.append(label)


def _apply_association(session: Session, item: dict, report: ApplyReport) -> None:
    _text(item, "resourceType", "resourceId", "channel", "applicationId", "entityId")
    key = [item.get(k) for k in ("resourceType", "resourceId", "channel", "applicationId", "entityId")]
    if find_association(session, *key) is None:
        create_association(session, *key)
        report.created.append(f"association {key[1]} {key[2]} → {key[3]}{'/' + key[4] if key[4] else ''}")


def _apply_strategy(session: Session, item: dict, report: ApplyReport) -> None:
    platform = item.get("platform") or {}
    if not isinstance(platform, dict):
        raise InvalidInput("must have applicationId", "platform")
    _text(item, "channel", "destinationCountryCode")
    try:
        _text(platform, "applicationId", "entityId")
    except InvalidInput as exc:
        raise exc.at("platform") from None
    fields = dict(
        application_id=platform.get("applicationId"),
        entity_id=platform.get("entityId"),
        channel=item.get("channel"),
        # Upper-cased before the lookup, as the rule stores it, so `us` finds the `US` strategy.
        destination_country_code=item["destinationCountryCode"].upper() if item.get("destinationCountryCode") else None,
        use_sticky_sender=item.get("useStickySender", False),
        use_geolocated_sender=item.get("useGeolocatedSender", False),
        priorities=item.get("priorities") or [],
        default_sender=item.get("defaultSender"),
    )
    ident = item.get("sendingStrategyId")
    row = session.get(SendingStrategy, ident) if isinstance(ident, str) else None
    if row is None and ident is None:
        row = find_strategy(session, fields["application_id"], fields["entity_id"], fields["channel"],
                            fields["destination_country_code"])
    if row is None:
        row = create_strategy(session, **fields, sending_strategy_id=ident)
        report.created.append(f"strategy {row.sending_strategy_id}")
        return
    before = api.strategy(row)
    update_strategy(session, row.sending_strategy_id, **fields)
    if api.strategy(row) != before:
        report.changed.append(f"strategy {row.sending_strategy_id}")


def _when(value, field_name: str) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput("must be an ISO 8601 date and time", field_name) from None


def _apply_key(session: Session, item: dict, report: ApplyReport) -> None:
    name = item.get("name")
    fields: dict[str, Any] = dict(
        platform=item.get("platform") or [],
        enabled=item.get("enabled", True),
        valid_from=_when(item.get("validFrom"), "validFrom"),
        valid_to=_when(item.get("validTo"), "validTo"),
    )
    row = session.get(ApiKey, name) if isinstance(name, str) else None
    if row is None:
        _, secret = create_api_key(session, name, secret=item.get("secret"), secret_hash=item.get("secretHash"), **fields)
        report.created.append(f"API key {name}")
        if secret and item.get("secret") is None:
            report.secrets[name] = secret
        return
    before = api.api_key(row, key_links(session, name))
    update_api_key(session, name, secret=item.get("secret"), secret_hash=item.get("secretHash"), **fields)
    if api.api_key(row, key_links(session, name)) != before:
        report.changed.append(f"API key {name}")


APPLIERS = {
    "applications": _apply_application,
    "entities": _apply_entity,
    "inboundConfigurations": _apply_inbound,
    "associations": _apply_association,
    "sendingStrategies": _apply_strategy,
    "apiKeys": _apply_key,
}
