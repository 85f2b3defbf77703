"""Delivery over time and the read-once queues: each log row keeps its planned and final delivery
state (due_at, due_status_id, due_error_id, done_at, error_id) and whether it waits in a queue
(queued, read_at). Old routed outbound rows stay PENDING, unplanned: the first `advance` plans
them from their sentAt (`at`) and moves them on, so nothing sent before the upgrade is lost. Old
routed inbound rows were never handed out: they wait in the inbox.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('messagelog', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('due_status_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('due_error_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('done_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('error_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('queued', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('read_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.create_index('ix_log_due', ['general_status', 'due_at'], unique=False)
        batch_op.create_index('ix_log_queue', ['direction', 'queued', 'done_at'], unique=False)
    log = sa.table("messagelog", sa.column("direction"), sa.column("status"), sa.column("queued", sa.Boolean()))
    op.execute(log.update().where(log.c.direction == "INBOUND", log.c.status == "ROUTED").values(queued=True))


def downgrade() -> None:
    with op.batch_alter_table('messagelog', schema=None) as batch_op:
        batch_op.drop_index('ix_log_queue')
        batch_op.drop_index('ix_log_due')
        batch_op.drop_column('read_at')
        batch_op.drop_column('queued')
        batch_op.drop_column('error_id')
        batch_op.drop_column('done_at')
        batch_op.drop_column('due_error_id')
        batch_op.drop_column('due_status_id')
        batch_op.drop_column('due_at')
