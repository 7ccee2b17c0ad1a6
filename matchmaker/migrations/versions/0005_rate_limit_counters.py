"""rate limit counters shared by all web workers

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0005'
down_revision: Union[str, None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('ratelimitcounter',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_index(op.f('ix_ratelimitcounter_expires_at'), 'ratelimitcounter', ['expires_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_ratelimitcounter_expires_at'), table_name='ratelimitcounter')
    op.drop_table('ratelimitcounter')
