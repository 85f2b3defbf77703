"""Number keys: every NUMBER resource keeps its `numberKey` (32 upper-case hex characters, unique).

Before this revision the key was derived from the number each time it was shown (the MD5 of the
E.164 form, `+14155550100`, in upper-case hex). Existing numbers are given exactly that key, so every
key already handed out (HTTP API, associations) stays valid; other resource types have none (null).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('resource', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number_key', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
    connection = op.get_bind()
    numbers = connection.execute(sa.text("SELECT resource_id FROM resource WHERE resource_type = 'NUMBER'")).scalars()
    keys = [{"key": hashlib.md5(rid.encode("utf-8")).hexdigest().upper(), "rid": rid} for rid in numbers]
    if keys:
        connection.execute(sa.text("UPDATE resource SET number_key = :key WHERE resource_id = :rid"), keys)
    with op.batch_alter_table('resource', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_number_key'), ['number_key'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('resource', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_number_key'))
        batch_op.drop_column('number_key')
