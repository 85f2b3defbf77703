"""SQLModel tables. Python names are snake_case; setup files and JSON use the platform's camelCase."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class Application(SQLModel, table=True):
    application_id: str = Field(primary_key=True, max_length=255)
    application_name: str = Field(max_length=255)


class Entity(SQLModel, table=True):
    entity_id: str = Field(primary_key=True, max_length=255)
    entity_name: str = Field(max_length=255)


class Resource(SQLModel, table=True):
    """An owned sender or address. `resource_id` is the address itself and unique across types."""

    resource_id: str = Field(primary_key=True, max_length=255)
    resource_type: str = Field(index=True)
    number_type: str | None = None
    country: str | None = Field(default=None, index=True)
    capabilities: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    destination_countries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    application_id: str = Field(default="default", index=True)
    entity_id: str | None = Field(default=None, index=True)
    # A NUMBER's stable numberKey (32 upper-case hex), given once when it is created (store/number_keys.py).
    number_key: str | None = Field(default=None, unique=True, index=True, max_length=32)


class InboundConfiguration(SQLModel, table=True):
    """Where inbound traffic to a number lands; `keyword_key` is the upper-cased keyword, '' for catch-all."""

    __table_args__ = (UniqueConstraint("resource_id", "channel", "keyword_key"),)
    id: int | None = Field(default=None, primary_key=True)
    resource_id: str = Field(index=True)
    channel: str
    keyword: str | None = None
    keyword_key: str = ""
    application_id: str | None = Field(default=None, index=True)
    entity_id: str | None = Field(default=None, index=True)
    forward_url: str | None = None  # HTTP_FORWARD: messages it lands are POSTed here instead of the pull inbox


class ResourceAssociation(SQLModel, table=True):
    __table_args__ = (Index("ix_association_platform", "application_id", "entity_id"),)
    id: int | None = Field(default=None, primary_key=True)
    resource_type: str
    resource_id: str = Field(index=True)
    channel: str
    application_id: str
    entity_id: str | None = None


class SendingStrategy(SQLModel, table=True):
    __table_args__ = (Index("ix_strategy_platform", "application_id", "entity_id"),)
    sending_strategy_id: str = Field(primary_key=True, max_length=32)
    application_id: str
    entity_id: str | None = None
    channel: str | None = None
    destination_country_code: str | None = None
    use_sticky_sender: bool = False
    use_geolocated_sender: bool = False
    priorities: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    default_sender: str | None = None


class ApiKey(SQLModel, table=True):
    name: str = Field(primary_key=True, max_length=255)
    secret_hash: str = Field(index=True, unique=True)  # one secret, one key (migration 0003)
    enabled: bool = True
    valid_from: datetime | None = None
    valid_to: datetime | None = None


class ApiKeyLink(SQLModel, table=True):
    """One `platform` entry of a key: traffic is limited to (application, entity or any)."""

    id: int | None = Field(default=None, primary_key=True)
    key_name: str = Field(index=True)
    application_id: str = Field(index=True)
    entity_id: str | None = Field(default=None, index=True)
    action: str | None = None


class StickyBinding(SQLModel, table=True):
    """A recipient's remembered sender; `entity_key` is '' when the message had no entity."""

    application_id: str = Field(primary_key=True)
    entity_key: str = Field(primary_key=True, default="")
    channel: str = Field(primary_key=True)
    destination: str = Field(primary_key=True)
    sender: str = Field(index=True)
    bound_at: datetime
    # The store's sticky sequence (StoreMeta `sticky`) of the transaction that wrote it: a warm
    # router reads only the bindings written since the last sequence it knows (`index.bindings_since`).
    written: int = Field(default=0, index=True)


class SenderUsage(SQLModel, table=True):
    """When each sender last carried a message: the least-recently-used spread reads this."""

    resource_id: str = Field(primary_key=True)
    last_used: int = 0  # the newest of all is kept in StoreMeta `usage_stamp` (store/routing/persist.py)


class TraceColumn(TypeDecorator):
    """A decision's trace: stored as compact pairs `[["step", "detail"], …]` (the log holds one per
    message, so the keys repeated on every step would be most of its size), read back as the
    `{"step", "detail"}` objects the API shows. Rows stored as objects read back unchanged."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return [[s["step"], s["detail"]] if isinstance(s, dict) else [s[0], s[1]] for s in value]

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return [s if isinstance(s, dict) else {"step": s[0], "detail": s[1]} for s in value]


PENDING_ROW = "general_status = 'PENDING'"


class MessageLog(SQLModel, table=True):
    """Every routing decision, routed or rejected, with its trace; `at` is the platform's sentAt.

    A routed outbound message then lives on here (store.delivery): a delivery profile plans its
    final status (`due_*`), `advance` moves it there at `due_at` (`done_at`, `error_id`), and its
    delivery report waits to be pulled while `queued` is true; a routed inbound message waits in
    the inbox the same way. Every state is in the row, so a restarted process carries on."""

    __table_args__ = (
        Index("ix_log_platform", "application_id", "entity_id"),
        # Partial indexes: a row is in them only while it matters (pending; waiting in a queue).
        # (Their PostgreSQL spelling is added by use_postgresql_indexes.)
        Index("ix_log_due", "due_at", sqlite_where=text(PENDING_ROW)),
        Index("ix_log_queue", "direction", "done_at", sqlite_where=text("queued = 1")),
        # The logs' filters (store.log_query). Not destination nor sender: recipients are random keys,
        # senders a thousand, and an index on either dirtied a page per key with every batch of
        # traffic, 8-15 % of routing (docs/delivery.md).
        Index("ix_log_at", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(index=True)
    at: datetime
    direction: str
    channel: str
    status: str
    application_id: str | None = None
    entity_id: str | None = None
    source: str | None = None
    destination: str | None = None
    country: str | None = None
    sender: str | None = None
    sender_type: str | None = None
    sending_strategy_id: str | None = None
    reason: str | None = None
    error_code: str | None = None
    error_description: str | None = None
    keyword: str | None = None
    trace: list[dict] = Field(default_factory=list, sa_column=Column(TraceColumn, nullable=False))
    bulk_id: str | None = Field(default=None, index=True)  # outbound messages sent together
    general_status: str | None = None  # the platform's status group (PENDING, DELIVERED, …); outbound only
    status_id: int | None = None  # the platform's status id (store.message_status.STATUSES)
    due_at: datetime | None = None  # when the planned final status lands (null: not planned yet)
    due_status_id: int | None = None  # the planned final status (DELIVERED / UNDELIVERABLE / EXPIRED)
    due_error_id: int | None = None  # and its error (store.message_status.ERRORS)
    done_at: datetime | None = None  # when it reached its final status
    error_id: int | None = None  # the final status's error
    queued: bool | None = None  # true while its delivery report (outbound) or itself (inbound) waits to be pulled
    read_at: datetime | None = None  # when the report or inbound message was handed out
    text: str | None = None  # the message text (null on rows logged before 0005)
    # The HTTP API's delivery webhook: a message with a notify URL has its report POSTed there
    # (api/webhooks.py) instead of waiting in the pull queue; callbackData travels with the report.
    notify_url: str | None = None
    callback_data: str | None = None


POSTGRESQL_WHERE = {"ix_log_due": PENDING_ROW, "ix_log_queue": "queued = true"}


def use_postgresql_indexes() -> None:
    """The partial indexes' PostgreSQL condition, added when a PostgreSQL store is opened: naming it in
    `__table_args__` would import SQLAlchemy's PostgreSQL dialect on every start, SQLite stores too."""
    for index in MessageLog.__table__.indexes:
        if index.name in POSTGRESQL_WHERE:
            index.dialect_options["postgresql"]["where"] = text(POSTGRESQL_WHERE[index.name])


class StoreMeta(SQLModel, table=True):
    """Key/value facts about the store; `revision` grows with every setup change, `usage_stamp` is
    the newest SenderUsage stamp (what a cold send counts on from, without reading every stamp)."""

    key: str = Field(primary_key=True)
    value: int = 0
