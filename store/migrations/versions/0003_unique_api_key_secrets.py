"""One secret, one key: the API key secret hash becomes unique.

Two keys that share a secret authenticate as each other (issue 13 item 1). A store made before
this revision may hold such keys: of each group the key first by name keeps the secret; every other
one is disabled and given the hash of a fresh random secret nobody knows (so it can no longer
authenticate as the first), and a line on stderr names it. Give it a new secret (`k` in the
dashboard, or `apply` with its own `secret`) and enable it to use it again.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import hashlib
import secrets
import sys

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    keys = connection.execute(sa.text("SELECT name, secret_hash FROM apikey ORDER BY secret_hash, name")).all()
    owner: dict[str, str] = {}
    for name, secret_hash in keys:
        if secret_hash not in owner:
            owner[secret_hash] = name
            continue
        fresh = "sha256:" + hashlib.sha256(secrets.token_bytes(32)).hexdigest()
        connection.execute(sa.text("UPDATE apikey SET secret_hash = :fresh, enabled = :off WHERE name = :name"),
                           {"fresh": fresh, "off": False, "name": name})
        print(f"API key {name!r} shared its secret with API key {owner[secret_hash]!r}: it is now disabled "
              f"with a new unknown secret; give it its own secret to use it again", file=sys.stderr)
    with op.batch_alter_table('apikey') as batch:
        batch.drop_index('ix_apikey_secret_hash')
        batch.create_index('ix_apikey_secret_hash', ['secret_hash'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('apikey') as batch:
        batch.drop_index('ix_apikey_secret_hash')
        batch.create_index('ix_apikey_secret_hash', ['secret_hash'], unique=False)
