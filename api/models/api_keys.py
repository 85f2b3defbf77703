"""Bodies of account-management.json's `/settings/2/api-keys`."""

from __future__ import annotations

from typing import Literal

from .common import Body, Moment

Permission = Literal["PUBLIC_API", "2FA_CLIENT", "WEB_SDK"]


class KeyPlatform(Body):
    applicationId: str
    entityId: str | None = None
    action: Literal["FILL", "FORCE"] | None = None


class CreateApiKeyRequest(Body):
    """`allowedIPs`, `permissions`, `scopeGuids` and `accountId` are taken and not kept (one account,
    every permission, no IP filter on localhost)."""

    name: str
    accountId: str | None = None
    allowedIPs: list[str] | None = None
    validFrom: Moment | None = None
    validTo: Moment | None = None
    permissions: list[Permission] | None = None
    platform: list[KeyPlatform] | None = None
    scopeGuids: list[str] | None = None


class UpdateApiKeyRequest(Body):
    name: str | None = None
    accountId: str | None = None
    allowedIPs: list[str] | None = None
    validFrom: Moment | None = None
    validTo: Moment | None = None
    enabled: bool | None = None
    permissions: list[Permission] | None = None
    platform: list[KeyPlatform] | None = None
    scopeGuids: list[str] | None = None
