"""Who is calling: `Authorization: App <secret>` or `Bearer <secret>`, looked up by hash in the store.

A key with platform links is for traffic (the SMS paths); management paths need a key without links.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from store import keys as store_keys
from store import secret_hash
from store.db import Store

from .errors import ApiFailure

SCHEMES = ("app", "bearer")
SANDBOX_KEY = "sandbox"


@dataclass(frozen=True)
class Caller:
    """The API key behind a request. `secret` is what the router is given for FILL/FORCE and links."""

    name: str
    secret: str
    linked: bool


@dataclass(frozen=True)
class _Key:
    name: str
    secret_hash: str
    enabled: bool
    valid_from: datetime | None
    valid_to: datetime | None
    linked: bool


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class KeyCache:
    """Keys by secret hash, reloaded whenever the store's revision moves (any process may edit keys).

    A found key is trusted for `fresh` seconds before the revision is read again (so a busy server
    does not read it on every request); an unknown secret always re-reads it, so a key created a
    moment ago works at once.
    """

    def __init__(self, store: Store, fresh: float = 0.5):
        self.store = store
        self.fresh = fresh
        self._lock = threading.Lock()
        self._revision = -1
        self._checked = 0.0
        self._keys: dict[str, _Key] = {}
        self._scrypt: list[str] = []
        self._found: dict[str, _Key] = {}  # secrets matched since the last reload: answered without hashing

    def invalidate(self) -> None:
        self._checked = 0.0

    def _reload(self) -> None:
        self._checked = time.monotonic()
        revision = self.store.revision()
        if revision == self._revision:
            return
        with self.store.read() as session:
            rows = store_keys.list_api_keys(session)
            linked = store_keys.linked_key_names(session)
            loaded = {
                r.secret_hash: _Key(r.name, r.secret_hash, r.enabled, _aware(r.valid_from), _aware(r.valid_to),
                                    r.name in linked)
                for r in rows
            }
            salted = [r.secret_hash for r in rows if secret_hash.is_scrypt(r.secret_hash)]  # rows are by name
        with self._lock:
            self._keys, self._scrypt, self._revision, self._found = loaded, salted, revision, {}

    def _match(self, secret: str) -> _Key | None:
        with self._lock:
            keys, salted, found = self._keys, self._scrypt, self._found
        # SHA-256 index first, then each salted hash (secret_hash.matches: constant time, cached per hash)
        key = secret_hash.lookup(secret, keys, salted)
        if key is not None and len(found) < 10_000:
            found[secret] = key  # into the dict of the keys it matched: a reload meanwhile drops it
        return key

    def find(self, secret: str) -> _Key | None:
        key = None if time.monotonic() - self._checked > self.fresh else self._match(secret)
        if key is None:
            self._reload()
            key = self._match(secret)
        return key

    def known(self, secret: str) -> _Key | None:
        """The key `secret` matched lately, while the cache is fresh: no store read and no hashing (so an
        event loop may ask); None when `find` must answer (it may read the store or run scrypt)."""
        if time.monotonic() - self._checked > self.fresh:
            return None
        return self._found.get(secret)


def secret_of(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, secret = header.strip().partition(" ")
    if scheme.lower() not in SCHEMES or not secret.strip():
        return None
    return secret.strip()


def authenticate(request: Request, secret: str | None = None) -> Caller:
    """The calling key, or 401 (no header, unknown, disabled or expired key). `secret`: one given
    another way than the header (the v1 query form's `password`)."""
    secret = secret or secret_of(request.headers.get("authorization"))
    if secret is None:
        raise ApiFailure(401, "Unauthorized: give Authorization: App <secret> (or Bearer <secret>)", "UNAUTHORIZED")
    return _caller(request, secret, request.app.state.keys.find(secret))


def _caller(request: Request, secret: str, key: _Key | None) -> Caller:
    now = datetime.now(UTC)
    if key is None or not key.enabled:
        raise ApiFailure(401, "Unauthorized: unknown or disabled API key", "UNAUTHORIZED")
    if (key.valid_from and now < key.valid_from) or (key.valid_to and now > key.valid_to):
        raise ApiFailure(401, "Unauthorized: the API key is not valid at this time", "UNAUTHORIZED")
    caller = Caller(key.name, secret, key.linked)
    request.state.caller = caller
    return caller


async def traffic(request: Request) -> Caller:
    """Any valid key: the SMS paths. Async, so a send needs no worker thread: a key found lately is
    answered on the event loop; otherwise the lookup (a store read, maybe scrypt) runs on a thread."""
    secret = secret_of(request.headers.get("authorization"))
    key = request.app.state.keys.known(secret) if secret is not None else None
    if key is not None:
        return _caller(request, secret, key)
    return await run_in_threadpool(authenticate, request)


def management(request: Request) -> Caller:
    """A key without platform links: every provisioning path."""
    caller = authenticate(request)
    if caller.linked:
        raise ApiFailure(403, f"Forbidden: API key {caller.name!r} has platform links, so it may only send "
                              "traffic; management paths need a key without links", "FORBIDDEN")
    return caller


def ensure_sandbox_key(store: Store) -> str | None:
    """When the store has no API key at all, create the unlinked `sandbox` key; its secret, shown once."""
    with store.write() as session:
        if store_keys.list_api_keys(session):
            return None
        _row, secret = store_keys.create_api_key(session, SANDBOX_KEY)
        return secret
