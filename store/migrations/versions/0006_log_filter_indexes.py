"""Indexes for delivery and the logs: the pending-by-due-time and queue indexes become partial (a
row is in them only while it is pending, or waiting in a queue), so sending a message costs less;
the logs' filters get indexes on destination (`to`), sender (`from`) and sent time (`sentSince` /
`sentUntil`); message id, bulk id and platform have theirs already.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

PENDING_ROW = "general_status = 'PENDING'"


def upgrade() -> None:
    op.drop_index('ix_log_due', table_name='messagelog')
    op.drop_index('ix_log_queue', table_name='messagelog')
    op.create_index('ix_log_due', 'messagelog', ['due_at'], sqlite_where=sa.text(PENDING_ROW),
                    postgresql_where=sa.text(PENDING_ROW))
    op.create_index('ix_log_queue', 'messagelog', ['direction', 'done_at'], sqlite_where=sa.text("queued = 1"),
                    postgresql_where=sa.text("queued = true"))
    op.create_index('ix_log_at', 'messagelog', ['at'])
    op.create_index('ix_log_destination', 'messagelog', ['destination'])
    op.create_index('ix_log_sender', 'messagelog', ['sender'])


def downgrade() -> None:
    for name in ('ix_log_sender', 'ix_log_destination', 'ix_log_at', 'ix_log_queue', 'ix_log_due'):
        op.drop_index(name, table_name='messagelog')
    op.create_index('ix_log_due', 'messagelog', ['general_status', 'due_at'])
    op.create_index('ix_log_queue', 'messagelog', ['direction', 'queued', 'done_at'])
