"""Inbound configurations: where a number's inbound traffic lands, by keyword or catch-all."""

from __future__ import annotations

from sqlmodel import Session, col, select

from .enums import INBOUND_CHANNELS, ResourceType
from .errors import Conflict, InvalidInput, NotFound, UnsupportedChannel
from .platforms import check_platform
from .resources import get_resource
from .tables import InboundConfiguration
from .validation import check_enum
from .display import quote

KEYWORD_MAX = 50


def check_keyword(keyword) -> str | None:
    if keyword is None or keyword == "":
        return None
    if not isinstance(keyword, str):
        raise InvalidInput("must be text (or null for the catch-all)", "keyword")
    if len(keyword) > KEYWORD_MAX:
        raise InvalidInput(f"must be at most {KEYWORD_MAX} characters", "keyword")
    if len(keyword.split()) != 1 or keyword.strip() != keyword:
        # Matching compares the first word of the text, so a keyword is one word.
        raise InvalidInput("must be a single word", "keyword")
    return keyword


def add_inbound_configuration(
    session: Session,
    resource_id: str,
    channel: str,
    keyword: str | None = None,
    application_id: str | None = None,
    entity_id: str | None = None,
    forward_url: str | None = None,
) -> InboundConfiguration:
    resource = get_resource(session, resource_id)
    if resource.resource_type != ResourceType.NUMBER:
        raise InvalidInput("inbound configurations are for numbers", "resourceId")
    channel = check_enum(channel, list(INBOUND_CHANNELS), "channel")
    if channel not in resource.capabilities:
        raise UnsupportedChannel(f"{resource_id} does not support {channel}", "channel")
    keyword = check_keyword(keyword)
    if entity_id is not None and application_id is None:
        raise InvalidInput("an entity needs an application", "applicationId")
    if application_id is not None:
        check_platform(session, application_id, entity_id)
    key = keyword.upper() if keyword else ""
    clash = session.exec(
        select(InboundConfiguration).where(
            InboundConfiguration.resource_id == resource_id,
            InboundConfiguration.channel == channel,
            InboundConfiguration.keyword_key == key,
        )
    ).first()
    if clash is not None:
        what = f"keyword {quote(keyword)}" if keyword else "a catch-all configuration"
        raise Conflict(f"{resource_id} already has {what} on {channel}", "keyword")
    row = InboundConfiguration(
        resource_id=resource_id,
        channel=channel,
        keyword=keyword,
        keyword_key=key,
        application_id=application_id,
        entity_id=entity_id,
        forward_url=check_forward_url(forward_url, "forwardUrl"),
    )
    session.add(row)
    session.flush()
    return row


def get_inbound_configuration(session: Session, config_id: int) -> InboundConfiguration:
    row = session.get(InboundConfiguration, config_id)
    if row is None:
        raise NotFound(f"no inbound configuration {config_id}", "id")
    return row


def remove_inbound_configuration(session: Session, config_id: int) -> None:
    session.delete(get_inbound_configuration(session, config_id))
    session.flush()


def list_inbound_configurations(session: Session, resource_id: str | None = None) -> list[InboundConfiguration]:
    statement = select(InboundConfiguration).order_by(
        col(InboundConfiguration.resource_id), col(InboundConfiguration.channel), col(InboundConfiguration.keyword_key)
    )
    if resource_id is not None:
        statement = statement.where(InboundConfiguration.resource_id == resource_id)
    return list(session.exec(statement).all())


def configuration_key(row: InboundConfiguration) -> str:
    """A configuration's stable key (the API's `configurationKey`): its number, channel and keyword."""
    import hashlib

    return hashlib.md5(f"{row.resource_id}|{row.channel}|{row.keyword_key}".encode()).hexdigest().upper()


def find_by_key(session: Session, key, resource_id: str | None = None) -> InboundConfiguration:
    for row in list_inbound_configurations(session, resource_id):
        if configuration_key(row) == key:
            return row
    raise NotFound(f"no inbound configuration {quote(key)}", "configurationKey")


FORWARD_TYPES = ("PULL", "HTTP_FORWARD")


def check_forward_url(url, field_name: str = "forwarding.url") -> str | None:
    if url is None or url == "":
        return None
    if not (isinstance(url, str) and url.startswith(("http://", "https://"))) or any(c.isspace() for c in url):
        raise InvalidInput("must be an http:// or https:// address", field_name)
    return url


def forward_url_from(forwarding, field_name: str = "forwarding", pull_url_ignored: bool = False) -> str | None:
    """The address of a `{type: HTTP_FORWARD, url}` object (None for `{type: PULL}` or null).
    `pull_url_ignored`: a url beside PULL is dropped, as the platform's API does (a setup file refuses it)."""
    if forwarding is None:
        return None
    if not isinstance(forwarding, dict):
        raise InvalidInput("must be a mapping with type (PULL or HTTP_FORWARD) and url", field_name)
    unknown = set(forwarding) - {"type", "url"}
    if unknown:
        raise InvalidInput("unknown field (fields are type and url)", f"{field_name}.{sorted(map(str, unknown))[0]}")
    kind = forwarding.get("type")
    if kind not in FORWARD_TYPES:
        raise InvalidInput("cpaasx keeps inbound messages (PULL) or forwards them (HTTP_FORWARD)", f"{field_name}.type")
    if kind == "PULL":
        if forwarding.get("url") is not None and not pull_url_ignored:
            raise InvalidInput("PULL takes no url", f"{field_name}.url")
        return None
    if not forwarding.get("url"):
        raise InvalidInput("HTTP_FORWARD needs a url", f"{field_name}.url")
    return check_forward_url(forwarding["url"], f"{field_name}.url")


def forwarding_of(url: str | None) -> dict:
    """The platform's forwarding object for a stored address."""
    return {"type": "HTTP_FORWARD", "url": url} if url else {"type": "PULL"}


def set_forward_url(session: Session, row: InboundConfiguration, url: str | None) -> None:
    """Where inbound messages matching `row` are POSTed (None: they wait in the pull inbox)."""
    row.forward_url = check_forward_url(url)
    session.add(row)
    session.flush()


def forward_url_of(row: InboundConfiguration) -> str | None:
    return row.forward_url
