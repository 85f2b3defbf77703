"""Message webhooks: a message sent over the HTTP API with a notify URL (v2 `notifyUrl`, v3
`webhooks.delivery.url`) keeps it, and its callbackData, so its delivery report is POSTed there by
whichever process delivers it. Rows logged before this revision have none (null).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('messagelog', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notify_url', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('callback_data', sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('messagelog', schema=None) as batch_op:
        batch_op.drop_column('callback_data')
        batch_op.drop_column('notify_url')
