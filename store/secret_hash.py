"""How an API key's secret is stored: SHA-256 for generated secrets, salted scrypt for chosen ones.

A generated secret (`cpx_` and 192 random bits) cannot be guessed, so a fast unsalted hash that can
be looked up by index is enough: `sha256:` and 64 hex digits. A secret a person chose may be short
or common, so it is stored salted and slow: `scrypt$n$r$p$salt$hash` (n=2**12, r=8, p=1, a 16-byte
random salt and a 32-byte key, both in hex; about 9 ms per check on this machine). docs/store.md.

A salted hash cannot be looked up by index: `lookup` tries the SHA-256 index first, then checks the
secret against each scrypt hash. `matches` is cached on (secret, stored hash), so a busy sender pays
the scrypt cost once per process, and a key whose hash changed is never matched from a stale entry.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from typing import TypeVar

SHA256_PREFIX = "sha256:"
SCRYPT_PREFIX = "scrypt$"
SHA256_HASH = re.compile(r"sha256:[0-9a-f]{64}")
SCRYPT_HASH = re.compile(r"scrypt\$([0-9]+)\$([0-9]+)\$([0-9]+)\$([0-9a-f]{32,128})\$([0-9a-f]{64})")
N, R, P = 2**12, 8, 1
SALT_BYTES, KEY_BYTES = 16, 32
# What a hash given in a setup file may ask for: n a power of two from 2**10 to 2**15, r 1-16, p 1-4
# (at most 16 MiB and a fraction of a second per check, so a hostile file cannot stall every send).
N_RANGE, R_RANGE, P_RANGE = range(10, 16), range(1, 17), range(1, 5)
MAX_MEMORY = 128 * 2**15 * 16 + 2**20
CHECK_MESSAGE = "must be sha256: and 64 hex digits, or scrypt$n$r$p$salt$hash (see docs/store.md)"

T = TypeVar("T")


def hash_generated(secret: str) -> str:
    """A generated (high-entropy) secret: unsalted SHA-256, found by index."""
    return SHA256_PREFIX + hashlib.sha256(secret.encode()).hexdigest()


def _scrypt(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(secret.encode(), salt=salt, n=n, r=r, p=p, maxmem=MAX_MEMORY, dklen=KEY_BYTES)


def hash_chosen(secret: str) -> str:
    """A chosen secret: scrypt with a fresh random salt (so the same secret never hashes the same twice)."""
    salt = secrets.token_bytes(SALT_BYTES)
    return f"scrypt${N}${R}${P}${salt.hex()}${_scrypt(secret, salt, N, R, P).hex()}"


def is_scrypt(stored: str) -> bool:
    return stored.startswith(SCRYPT_PREFIX)


def valid_hash(stored) -> bool:
    """A hash a setup file or caller may give: either form, with scrypt costs within bounds."""
    if not isinstance(stored, str):
        return False
    if SHA256_HASH.fullmatch(stored):
        return True
    found = SCRYPT_HASH.fullmatch(stored)
    if found is None or len(found.group(4)) % 2:
        return False
    n, r, p = (int(found.group(i)) for i in (1, 2, 3))
    return n.bit_count() == 1 and n.bit_length() - 1 in N_RANGE and r in R_RANGE and p in P_RANGE


@functools.lru_cache(maxsize=65536)
def matches(secret: str, stored: str) -> bool:
    """Whether `secret` is the one `stored` was made from (either form), compared in constant time."""
    if not isinstance(secret, str):
        return False
    if not is_scrypt(stored):
        return hmac.compare_digest(stored, hash_generated(secret))
    found = SCRYPT_HASH.fullmatch(stored)
    if found is None or not valid_hash(stored):
        return False
    n, r, p = (int(found.group(i)) for i in (1, 2, 3))
    derived = _scrypt(secret, bytes.fromhex(found.group(4)), n, r, p)
    return hmac.compare_digest(derived, bytes.fromhex(found.group(5)))


def lookup(secret: str, by_hash: dict[str, T], scrypt_hashes: Iterable[str] | None = None) -> T | None:
    """What `by_hash` holds for `secret`: its SHA-256 entry, else the first scrypt hash it matches.

    `scrypt_hashes` is the order to try them in (default: the scrypt keys of `by_hash`, sorted).
    """
    found = by_hash.get(hash_generated(secret))
    if found is not None:
        return found
    order = sorted(h for h in by_hash if is_scrypt(h)) if scrypt_hashes is None else scrypt_hashes
    for stored in order:
        if matches(secret, stored):
            return by_hash[stored]
    return None
