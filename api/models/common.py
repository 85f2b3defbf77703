"""Shared pieces of the request models: strict types (wrong types are 400s) and the files' vocabularies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Strict, StringConstraints


class Body(BaseModel):
    """A request body: strict types, unknown fields ignored (clients send fields the files added later)."""

    model_config = ConfigDict(strict=True, extra="ignore")


# Bodies arrive parsed from JSON, where a date-time is a string: read it as one (ISO 8601).
Moment = Annotated[datetime, Strict(False)]
Id255 = Annotated[str, StringConstraints(max_length=255)]
Name255 = Annotated[str, StringConstraints(max_length=255)]
# ResourceType and ChannelType as application-entity.json spells them; VOICE (and the official
# client's VOICE_VIDEO) added because the store's inbound voice routing needs VOICE associations.
ResourceTypeName = Literal["NUMBER", "DOMAIN", "ALPHA", "RCS_RESOURCE", "APPLE_RESOURCE"]
AssociationChannel = Literal["SMS", "MMS", "EMAIL", "WHATSAPP", "RCS", "APPLE", "VOICE", "VOICE_VIDEO"]
