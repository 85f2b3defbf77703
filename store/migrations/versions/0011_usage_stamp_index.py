"""An index on senderusage.last_used: a single-message command (the cold path, store/routing/cold.py)
reads the store's newest usage stamp at the index's end instead of scanning every stamp.

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
    with op.batch_alter_table('senderusage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_senderusage_last_used'), ['last_used'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('senderusage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_senderusage_last_used'))
