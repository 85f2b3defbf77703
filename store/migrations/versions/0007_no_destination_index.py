"""No index on the log's destination: recipients are random keys, so every batch of traffic
dirtied most of that index's pages; it cost routing 8-15 % of its decisions per second
(`cpaasx bench --only delivery`). The logs' `to` filter reads newest first without it.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_log_destination', table_name='messagelog')


def downgrade() -> None:
    op.create_index('ix_log_destination', 'messagelog', ['destination'])
