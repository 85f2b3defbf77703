"""Tables of the request flow: resource requests, uploaded documents, status events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, LargeBinary
from sqlmodel import Field, SQLModel


class ResourceRequest(SQLModel, table=True):
    """A NUMBER_PURCHASE or ALPHANUMERIC_REGISTRATION request and where its review stands."""

    __tablename__ = "resource_request"
    id: str = Field(primary_key=True, max_length=36)
    type: str = Field(index=True)
    country_code: str = Field(index=True)
    number_type: str | None = None
    capabilities: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    quantity: int | None = None
    sender_name: str | None = Field(default=None, index=True)
    requirements: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    requirements_feedback: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    numbers: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    resources: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    note: str | None = None
    status: str = Field(index=True)
    application_id: str = "default"
    entity_id: str | None = None
    requested_date: datetime
    status_changed_at: datetime


class RequestDocument(SQLModel, table=True):
    """An uploaded supporting document; its bytes live in the store so every backend carries them."""

    __tablename__ = "request_document"
    document_id: str = Field(primary_key=True, max_length=64)
    file_name: str
    content_type: str
    size: int
    uploaded_at: datetime
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class RequestEvent(SQLModel, table=True):
    """One RESOURCE_REQUEST_STATUS_UPDATE event, as the platform's webhook would deliver it."""

    __tablename__ = "request_event"
    id: int | None = Field(default=None, primary_key=True)
    request_id: str = Field(index=True)
    event: str = "RESOURCE_REQUEST_STATUS_UPDATE"
    received_at: datetime
    previous_status: str | None = None
    status: str
    content: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
