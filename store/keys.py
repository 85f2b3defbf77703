"""API keys: the secret is shown once and stored only as a hash; links limit a key to platforms."""

from __future__ import annotations

import secrets as secrets_module
from datetime import datetime, timezone

from sqlmodel import Session, col, select

from .enums import KeyAction
from .errors import Conflict, DuplicateId, InvalidInput, NotFound
from .platforms import check_platform
from .tables import ApiKey, ApiKeyLink
from .validation import check_bool, check_enum, check_name
from .display import quote
from . import secret_hash as hashing

# CONTRACT.md lets a key's secret be given (its example has 19 characters): 8 is the floor (docs/store.md).
MIN_CHOSEN_SECRET = 8


def hash_secret(secret: str) -> str:
    """The stored form of a generated secret (SHA-256); a chosen one gets `hash_chosen` (scrypt)."""
    return hashing.hash_generated(secret)


hash_chosen = hashing.hash_chosen
secret_matches = hashing.matches


def new_secret() -> str:
    return "cpx_" + secrets_module.token_urlsafe(24)


def check_links(session: Session, platform) -> list[dict]:
    if platform is None:
        return []
    if not isinstance(platform, list):
        raise InvalidInput("must be a list", "platform")
    out: list[dict] = []
    for i, link in enumerate(platform):
        prefix = f"platform[{i}]."
        if not isinstance(link, dict):
            raise InvalidInput("must have applicationId", f"platform[{i}]")
        check_platform(session, link.get("applicationId"), link.get("entityId"), prefix)
        action = link.get("action")
        if action is not None:
            action = check_enum(action, list(KeyAction), prefix + "action")
        item = {"applicationId": link["applicationId"], "entityId": link.get("entityId"), "action": action}
        if any(o["applicationId"] == item["applicationId"] and o["entityId"] == item["entityId"] for o in out):
            raise InvalidInput("this application and entity are linked twice", f"platform[{i}]")
        out.append(item)
    return out


def _utc(value, field: str) -> datetime | None:
    """Validity times are aware UTC (the columns store UTC); a time without an offset is taken as UTC."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise InvalidInput("must be a date and time", field)
    if value.utcoffset() is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _check_validity(valid_from, valid_to) -> tuple[datetime | None, datetime | None]:
    valid_from, valid_to = _utc(valid_from, "validFrom"), _utc(valid_to, "validTo")
    if valid_from and valid_to and valid_to <= valid_from:
        raise InvalidInput("must be after validFrom", "validTo")
    return valid_from, valid_to


def _check_hash(secret_hash) -> str:
    if not hashing.valid_hash(secret_hash):
        raise InvalidInput(hashing.CHECK_MESSAGE, "secretHash")
    return secret_hash


def _chosen_in_session(session: Session) -> dict[str, str]:
    """scrypt hashes made in this session -> their secret: a big apply compares those without scrypt."""
    return session.info.setdefault("cpaasx_chosen_secrets", {})


def _hash_chosen(session: Session, secret: str) -> str:
    stored = hashing.hash_chosen(secret)
    _chosen_in_session(session)[stored] = secret
    return stored


def _holder_of(session: Session, name: str, secret: str) -> str | None:
    """The other key whose hash (either form) `secret` matches: one SHA-256 look-up, one check per scrypt key."""
    other = session.exec(select(ApiKey.name).where(ApiKey.secret_hash == hash_secret(secret),
                                                   ApiKey.name != name)).first()
    if other is not None:
        return other
    known = _chosen_in_session(session)
    rows = session.exec(select(ApiKey.name, ApiKey.secret_hash).where(
        col(ApiKey.secret_hash).startswith(hashing.SCRYPT_PREFIX), ApiKey.name != name).order_by(col(ApiKey.name)))
    for other, stored in rows.all():
        if (known[stored] == secret) if stored in known else secret_matches(secret, stored):
            return other
    return None


def _check_unique_secret(session: Session, name: str, secret_hash: str, field: str, secret: str | None = None) -> None:
    """Two keys with one secret would authenticate as each other: the second is refused, naming both.

    Given the secret itself, every other key's hash is checked against it (scrypt ones included);
    given only a hash, only an equal hash can be found (a salted one hides its secret).
    """
    other = session.exec(select(ApiKey.name).where(ApiKey.secret_hash == secret_hash, ApiKey.name != name)).first()
    if other is None and secret is not None:
        other = _holder_of(session, name, secret)
    if other is not None:
        raise Conflict(f"API key {quote(name)} would share its secret with API key {quote(other)}; "
                       f"every key needs its own secret", field)


def _set_links(session: Session, name: str, links: list[dict]) -> None:
    current = [{"applicationId": l.application_id, "entityId": l.entity_id, "action": l.action}
               for l in key_links(session, name)]
    if current == links:
        return  # rewriting equal links would still be a change
    for old in session.exec(select(ApiKeyLink).where(ApiKeyLink.key_name == name)).all():
        session.delete(old)
    session.flush()
    for link in links:
        session.add(
            ApiKeyLink(key_name=name, application_id=link["applicationId"], entity_id=link["entityId"], action=link["action"])
        )


def create_api_key(
    session: Session,
    name: str,
    platform: list[dict] | None = None,
    secret: str | None = None,
    secret_hash: str | None = None,
    enabled: bool = True,
    valid_from: datetime | None = None,
    valid_to: datetime | None = None,
) -> tuple[ApiKey, str | None]:
    """The new key and its secret (None when only a hash was given): show the secret once."""
    name = check_name(name, "name")
    if session.get(ApiKey, name) is not None:
        raise DuplicateId(f"API key {quote(name)} already exists", "name")
    links = check_links(session, platform)
    valid_from, valid_to = _check_validity(valid_from, valid_to)
    if secret is not None and secret_hash is not None:
        raise InvalidInput("give secret or secretHash, not both", "secretHash")
    chosen = secret is not None
    if secret_hash is not None:
        secret_hash = _check_hash(secret_hash)
        _check_unique_secret(session, name, secret_hash, "secretHash")
    elif chosen:
        secret = _check_secret(secret, name)
        secret_hash = _hash_chosen(session, secret)
        _check_unique_secret(session, name, secret_hash, "secret", secret)
    else:
        secret = new_secret()  # 192 random bits: no other key can have it
        secret_hash = hash_secret(secret)
        _check_unique_secret(session, name, secret_hash, "secret")
    row = ApiKey(
        name=name,
        secret_hash=secret_hash,
        enabled=check_bool(enabled, "enabled"),
        valid_from=valid_from,
        valid_to=valid_to,
    )
    session.add(row)
    session.flush()
    _set_links(session, name, links)
    session.flush()
    return row, secret


def _check_secret(secret, name) -> str:
    """A secret the user chose: text of at least MIN_CHOSEN_SECRET characters, naming the key if not."""
    if not isinstance(secret, str):
        raise InvalidInput(f"API key {quote(name)}: must be a string (write it in quotes)", "secret")
    if len(secret) < MIN_CHOSEN_SECRET:
        raise InvalidInput(f"API key {quote(name)}: a chosen secret must be at least {MIN_CHOSEN_SECRET} characters, "
                           f"this one has {len(secret)} (leave secret out and one is generated)", "secret")
    return secret


def get_api_key(session: Session, name: str) -> ApiKey:
    row = session.get(ApiKey, name) if isinstance(name, str) else None
    if row is None:
        raise NotFound(f"no API key {quote(name)}", "name")
    return row


def key_links(session: Session, name: str) -> list[ApiKeyLink]:
    return list(
        session.exec(select(ApiKeyLink).where(ApiKeyLink.key_name == name).order_by(col(ApiKeyLink.id))).all()
    )


def update_api_key(session: Session, name: str, **changes) -> ApiKey:
    """Change links (`platform`), `enabled`, validity or the secret (`secret`/`secret_hash`)."""
    row = get_api_key(session, name)
    allowed = {"platform", "enabled", "valid_from", "valid_to", "secret", "secret_hash"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput("cannot be changed", sorted(unknown)[0])
    if changes.get("secret") is not None and changes.get("secret_hash") is not None:
        raise InvalidInput("give secret or secretHash, not both", "secretHash")
    if "platform" in changes:
        _set_links(session, name, check_links(session, changes["platform"]))
    if "enabled" in changes:
        row.enabled = check_bool(changes["enabled"], "enabled")
    valid_from = changes.get("valid_from", row.valid_from)
    valid_to = changes.get("valid_to", row.valid_to)
    row.valid_from, row.valid_to = _check_validity(valid_from, valid_to)
    secret = changes.get("secret")
    if secret is not None and not (isinstance(secret, str) and secret_matches(secret, row.secret_hash)):
        # (the secret the key has already, given again, is no new choice: it keeps its hash and salt,
        # so re-applying a file or an export changes nothing)
        secret = _check_secret(secret, name)
        secret_hash = _hash_chosen(session, secret)
        _check_unique_secret(session, name, secret_hash, "secret", secret)
        row.secret_hash = secret_hash
    elif changes.get("secret_hash") is not None:
        secret_hash = _check_hash(changes["secret_hash"])
        _check_unique_secret(session, name, secret_hash, "secretHash")
        row.secret_hash = secret_hash
    session.add(row)
    session.flush()
    return row


def set_generated_secret(session: Session, name: str, secret: str) -> ApiKey:
    """Give a key a secret from `new_secret` (stored as SHA-256, like one generated at creation)."""
    return update_api_key(session, name, secret_hash=hash_secret(secret))


def list_api_keys(session: Session) -> list[ApiKey]:
    return list(session.exec(select(ApiKey).order_by(col(ApiKey.name))).all())


def find_key_by_secret(session: Session, secret: str) -> ApiKey | None:
    """The key `secret` belongs to: by the SHA-256 index, else by checking each scrypt key (by name)."""
    row = session.exec(select(ApiKey).where(ApiKey.secret_hash == hash_secret(secret))).first()
    if row is not None:
        return row
    rows = session.exec(select(ApiKey).where(col(ApiKey.secret_hash).startswith(hashing.SCRYPT_PREFIX))
                        .order_by(col(ApiKey.name))).all()
    return next((r for r in rows if secret_matches(secret, r.secret_hash)), None)


def linked_key_names(session: Session) -> set[str]:
    """Names of the keys that have at least one platform link (traffic-only keys)."""
    return set(session.exec(select(ApiKeyLink.key_name).distinct()).all())
