"""The schema of cpaasx 0.1.0, the last version before migrations (stores it made are stamped with it).

Revision ID: 0001
Revises: 
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('apikey',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('secret_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('valid_from', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('valid_to', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_index('ix_apikey_secret_hash', 'apikey', ['secret_hash'], unique=False)

    op.create_table('apikeylink',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('application_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('entity_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_apikeylink_application_id', 'apikeylink', ['application_id'], unique=False)
    op.create_index('ix_apikeylink_entity_id', 'apikeylink', ['entity_id'], unique=False)
    op.create_index('ix_apikeylink_key_name', 'apikeylink', ['key_name'], unique=False)

    op.create_table('application',
    sa.Column('application_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('application_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.PrimaryKeyConstraint('application_id')
    )
    op.create_table('entity',
    sa.Column('entity_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('entity_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.PrimaryKeyConstraint('entity_id')
    )
    op.create_table('inboundconfiguration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('keyword', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('keyword_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('application_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('entity_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('resource_id', 'channel', 'keyword_key')
    )
    op.create_index('ix_inboundconfiguration_application_id', 'inboundconfiguration', ['application_id'], unique=False)
    op.create_index('ix_inboundconfiguration_entity_id', 'inboundconfiguration', ['entity_id'], unique=False)
    op.create_index('ix_inboundconfiguration_resource_id', 'inboundconfiguration', ['resource_id'], unique=False)

    op.create_table('messagelog',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('direction', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('application_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('entity_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('destination', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('country', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('sender', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('sender_type', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('sending_strategy_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('error_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('error_description', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('keyword', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('trace', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_log_platform', 'messagelog', ['application_id', 'entity_id'], unique=False)
    op.create_index('ix_messagelog_message_id', 'messagelog', ['message_id'], unique=False)

    op.create_table('request_document',
    sa.Column('document_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('document_id')
    )
    op.create_table('request_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('event', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('received_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('previous_status', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_request_event_request_id', 'request_event', ['request_id'], unique=False)

    op.create_table('resource',
    sa.Column('resource_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('resource_type', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('number_type', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('country', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('capabilities', sa.JSON(), nullable=False),
    sa.Column('destination_countries', sa.JSON(), nullable=False),
    sa.Column('application_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('entity_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('resource_id')
    )
    op.create_index('ix_resource_application_id', 'resource', ['application_id'], unique=False)
    op.create_index('ix_resource_country', 'resource', ['country'], unique=False)
    op.create_index('ix_resource_entity_id', 'resource', ['entity_id'], unique=False)
    op.create_index('ix_resource_resource_type', 'resource', ['resource_type'], unique=False)

    op.create_table('resource_request',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('type', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('country_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('number_type', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('capabilities', sa.JSON(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('sender_name', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('requirements', sa.JSON(), nullable=False),
    sa.Column('requirements_feedback', sa.JSON(), nullable=False),
    sa.Column('numbers', sa.JSON(), nullable=False),
    sa.Column('resources', sa.JSON(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('application_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('entity_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('requested_date', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('status_changed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_resource_request_country_code', 'resource_request', ['country_code'], unique=False)
    op.create_index('ix_resource_request_sender_name', 'resource_request', ['sender_name'], unique=False)
    op.create_index('ix_resource_request_status', 'resource_request', ['status'], unique=False)
    op.create_index('ix_resource_request_type', 'resource_request', ['type'], unique=False)

    op.create_table('resourceassociation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_type', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('resource_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('application_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('entity_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_association_platform', 'resourceassociation', ['application_id', 'entity_id'], unique=False)
    op.create_index('ix_resourceassociation_resource_id', 'resourceassociation', ['resource_id'], unique=False)

    op.create_table('senderusage',
    sa.Column('resource_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('last_used', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('resource_id')
    )
    op.create_table('sendingstrategy',
    sa.Column('sending_strategy_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('application_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('entity_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('destination_country_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('use_sticky_sender', sa.Boolean(), nullable=False),
    sa.Column('use_geolocated_sender', sa.Boolean(), nullable=False),
    sa.Column('priorities', sa.JSON(), nullable=False),
    sa.Column('default_sender', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('sending_strategy_id')
    )
    op.create_index('ix_strategy_platform', 'sendingstrategy', ['application_id', 'entity_id'], unique=False)

    op.create_table('stickybinding',
    sa.Column('application_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('entity_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('destination', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('sender', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('bound_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('application_id', 'entity_key', 'channel', 'destination')
    )
    op.create_index('ix_stickybinding_sender', 'stickybinding', ['sender'], unique=False)

    op.create_table('storemeta',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )


def downgrade() -> None:
    op.drop_table('storemeta')
    op.drop_table('stickybinding')
    op.drop_table('sendingstrategy')
    op.drop_table('senderusage')
    op.drop_table('resourceassociation')
    op.drop_table('resource_request')
    op.drop_table('resource')
    op.drop_table('request_event')
    op.drop_table('request_document')
    op.drop_table('messagelog')
    op.drop_table('inboundconfiguration')
    op.drop_table('entity')
    op.drop_table('application')
    op.drop_table('apikeylink')
    op.drop_table('apikey')
