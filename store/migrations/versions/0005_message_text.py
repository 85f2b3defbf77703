"""Message text: each log row keeps the text it was sent or received with (the platform's logs and
inbox show it). Rows logged before this revision have none (null).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('messagelog', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('messagelog', schema=None) as batch_op:
        batch_op.drop_column('text')

