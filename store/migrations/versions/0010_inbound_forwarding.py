"""Inbound forwarding: an inbound configuration keeps its HTTP_FORWARD address (the API's
`forwarding.url` / `action.url`); messages it lands are POSTed there instead of the pull inbox.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('inboundconfiguration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('forward_url', sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('inboundconfiguration', schema=None) as batch_op:
        batch_op.drop_column('forward_url')
