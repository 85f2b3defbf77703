"""Sending strategies: how an application (or application/entity pair) picks its senders."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import or_
from sqlmodel import Session, col, select

from .enums import STRATEGY_CHANNELS, SenderType
from .errors import Conflict, DuplicateId, InvalidInput, NotFound
from .paging import DEFAULT_SIZE, Page, paginate
from .platforms import check_platform
from .resources import get_resource
from .tables import SendingStrategy
from .validation import check_bool, check_country, check_enum
from .display import quote

STRATEGY_ID = re.compile(r"^[0-9A-Z]{32}$")


def new_strategy_id() -> str:
    return uuid.uuid4().hex.upper()


def check_priorities(priorities) -> list[dict]:
    if priorities is None:
        return []
    if not isinstance(priorities, list):
        raise InvalidInput("must be a list", "priorities")
    out: list[dict] = []
    seen: set[str] = set()
    for i, item in enumerate(priorities):
        field = f"priorities[{i}]"
        if not isinstance(item, dict):
            raise InvalidInput("must have senderType and priority", field)
        sender_type = check_enum(item.get("senderType"), list(SenderType), f"{field}.senderType")
        priority = item.get("priority")
        if not isinstance(priority, int) or isinstance(priority, bool) or not 1 <= priority <= 4:
            raise InvalidInput("must be a whole number from 1 to 4", f"{field}.priority")
        if sender_type in seen:
            raise InvalidInput(f"{sender_type} is listed twice", f"{field}.senderType")
        seen.add(sender_type)
        out.append({"senderType": sender_type, "priority": priority})
    return sorted(out, key=lambda p: (p["priority"], p["senderType"]))


def _find(session: Session, application_id, entity_id, channel, country, exclude: str | None = None):
    def is_(column, value):
        return col(column).is_(None) if value is None else column == value

    statement = select(SendingStrategy).where(
        SendingStrategy.application_id == application_id,
        is_(SendingStrategy.entity_id, entity_id),
        is_(SendingStrategy.channel, channel),
        is_(SendingStrategy.destination_country_code, country),
    )
    if exclude:
        statement = statement.where(SendingStrategy.sending_strategy_id != exclude)
    return session.exec(statement).first()


def find_strategy(session: Session, application_id, entity_id, channel, country):
    """The strategy with exactly this (app, entity, channel, country), if any."""
    return _find(session, application_id, entity_id, channel, country)


def _checked(session: Session, fields: dict, exclude: str | None) -> dict:
    check_platform(session, fields["application_id"], fields["entity_id"], "platform.")
    channel = fields["channel"]
    if channel is not None:
        channel = check_enum(channel, list(STRATEGY_CHANNELS), "channel")
    country = fields["destination_country_code"]
    if country is not None:
        country = check_country(country, "destinationCountryCode")
    default_sender = fields["default_sender"]
    if default_sender is not None:
        try:
            get_resource(session, default_sender)
        except NotFound as exc:
            raise NotFound(exc.message, "defaultSender") from None
    clash = _find(session, fields["application_id"], fields["entity_id"], channel, country, exclude)
    if clash is not None:
        raise Conflict(
            f"strategy {clash.sending_strategy_id} already covers this application, entity, channel and country",
            "platform",
        )
    return {
        **fields,
        "channel": channel,
        "destination_country_code": country,
        "use_sticky_sender": check_bool(fields["use_sticky_sender"], "useStickySender"),
        "use_geolocated_sender": check_bool(fields["use_geolocated_sender"], "useGeolocatedSender"),
        "priorities": check_priorities(fields["priorities"]),
    }


def create_strategy(
    session: Session,
    application_id: str,
    entity_id: str | None = None,
    channel: str | None = None,
    destination_country_code: str | None = None,
    use_sticky_sender: bool = False,
    use_geolocated_sender: bool = False,
    priorities: list[dict] | None = None,
    default_sender: str | None = None,
    sending_strategy_id: str | None = None,
) -> SendingStrategy:
    if sending_strategy_id is None:
        sending_strategy_id = new_strategy_id()
    elif not isinstance(sending_strategy_id, str) or not STRATEGY_ID.fullmatch(sending_strategy_id):
        raise InvalidInput("must be 32 characters of 0-9 A-Z", "sendingStrategyId")
    elif session.get(SendingStrategy, sending_strategy_id) is not None:
        raise DuplicateId(f"strategy {sending_strategy_id} already exists", "sendingStrategyId")
    fields = _checked(
        session,
        strategy_fields(
            application_id, entity_id, channel, destination_country_code,
            use_sticky_sender, use_geolocated_sender, priorities, default_sender,
        ),
        None,
    )
    row = SendingStrategy(sending_strategy_id=sending_strategy_id, **fields)
    session.add(row)
    session.flush()
    return row


def strategy_fields(application_id, entity_id, channel, country, sticky, geo, priorities, default_sender) -> dict:
    return {
        "application_id": application_id,
        "entity_id": entity_id,
        "channel": channel,
        "destination_country_code": country,
        "use_sticky_sender": sticky,
        "use_geolocated_sender": geo,
        "priorities": priorities,
        "default_sender": default_sender,
    }


def get_strategy(session: Session, sending_strategy_id: str) -> SendingStrategy:
    row = session.get(SendingStrategy, sending_strategy_id) if isinstance(sending_strategy_id, str) else None
    if row is None:
        raise NotFound(f"no sending strategy {quote(sending_strategy_id)}", "sendingStrategyId")
    return row


def update_strategy(session: Session, sending_strategy_id: str, **changes) -> SendingStrategy:
    """Change any field but the id; the (app, entity, channel, country) key stays unique."""
    row = get_strategy(session, sending_strategy_id)
    current = strategy_fields(
        row.application_id, row.entity_id, row.channel, row.destination_country_code,
        row.use_sticky_sender, row.use_geolocated_sender, row.priorities, row.default_sender,
    )
    unknown = set(changes) - set(current)
    if unknown:
        raise InvalidInput("cannot be changed", sorted(unknown)[0])
    fields = _checked(session, {**current, **changes}, sending_strategy_id)
    for key, value in fields.items():
        setattr(row, key, value)
    session.add(row)
    session.flush()
    return row


def list_strategies(
    session: Session,
    page: int = 0,
    size: int = DEFAULT_SIZE,
    application_id: str | None = None,
    entity_id: str | None = None,
    query: str | None = None,
    sending_strategy_id: str | None = None,
) -> Page:
    statement = select(SendingStrategy).order_by(
        col(SendingStrategy.application_id),
        col(SendingStrategy.entity_id),
        col(SendingStrategy.channel),
        col(SendingStrategy.destination_country_code),
        col(SendingStrategy.sending_strategy_id),
    )
    if application_id is not None:
        statement = statement.where(SendingStrategy.application_id == application_id)
    if entity_id is not None:
        statement = statement.where(SendingStrategy.entity_id == entity_id)
    if sending_strategy_id is not None:
        statement = statement.where(SendingStrategy.sending_strategy_id == sending_strategy_id)
    if query:
        like = f"%{query}%"
        statement = statement.where(
            or_(
                col(SendingStrategy.sending_strategy_id).ilike(like),
                col(SendingStrategy.application_id).ilike(like),
                col(SendingStrategy.entity_id).ilike(like),
                col(SendingStrategy.destination_country_code).ilike(like),
                col(SendingStrategy.channel).ilike(like),
            )
        )
    return paginate(session, statement, page, size)
