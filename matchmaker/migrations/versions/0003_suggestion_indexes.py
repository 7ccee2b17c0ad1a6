"""suggestion: drop the index on offer_listing_id

The unique constraint on (offer_listing_id, need_listing_id) already indexes offer_listing_id
first; a second index on it only slowed the writes of a full recompute.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0003'
down_revision: Union[str, None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('suggestion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestion_offer_listing_id'))


def downgrade() -> None:
    with op.batch_alter_table('suggestion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestion_offer_listing_id'), ['offer_listing_id'], unique=False)
