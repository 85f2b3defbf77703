"""Sticky bindings carry the sequence of the transaction that wrote them (`stickybinding.written`,
indexed; the sequence itself is StoreMeta `sticky`), so a warm router reads the bindings other
processes wrote since it last looked with one small indexed query. Old rows get 0.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('stickybinding', schema=None) as batch_op:
        batch_op.add_column(sa.Column('written', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index('ix_stickybinding_written', ['written'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('stickybinding', schema=None) as batch_op:
        batch_op.drop_index('ix_stickybinding_written')
        batch_op.drop_column('written')
