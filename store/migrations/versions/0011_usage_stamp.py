"""The store's newest usage stamp in StoreMeta (`usage_stamp`): a single-message command (the cold
path, store/routing/cold.py) counts on from it instead of reading every sender's stamp. Every usage
write keeps it (store/routing/persist.py); here it is filled from the stamps already stored.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from alembic import op


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM storemeta WHERE key = 'usage_stamp'")
    op.execute("INSERT INTO storemeta (key, value) SELECT 'usage_stamp', coalesce(max(last_used), 0) FROM senderusage")


def downgrade() -> None:
    op.execute("DELETE FROM storemeta WHERE key = 'usage_stamp'")
