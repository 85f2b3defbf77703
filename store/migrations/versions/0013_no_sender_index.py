"""No index on the log's sender: with a thousand senders every batch of traffic dirtied a page of it
per sender, which cost routing 8-9 % of its decisions per second and put delivery over the 15 % it
may cost (`cpaasx bench --only delivery`). The logs' `from` filter reads newest first without it,
as `to` does since 0007.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_log_sender', table_name='messagelog')


def downgrade() -> None:
    op.create_index('ix_log_sender', 'messagelog', ['sender'])
