"""the change feed says which changes a matching worker has re-matched; the search table

Revision ID: 0011
Revises: 0009
Create Date: 2026-11-30

Every change row written before this migration counts as matched (the web workers matched
inside the request then). New rows are written unmatched (`matched_at` NULL) and claimed by
one `matchmaker worker`; the partial index keeps finding the pending ones cheap. The workers
fill `listingsearch` (what the directory's text search reads) when they start.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0011'
down_revision: Union[str, None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('listingchange', schema=None) as batch_op:
        batch_op.add_column(sa.Column('matched_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.execute("UPDATE listingchange SET matched_at = created_at")
    op.create_index('ix_listingchange_pending', 'listingchange', ['id'], unique=False,
                    postgresql_where=sa.text('matched_at IS NULL'),
                    sqlite_where=sa.text('matched_at IS NULL'))
    op.create_table('listingsearch',
    sa.Column('listing_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['listing.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('listing_id')
    )


def downgrade() -> None:
    op.drop_table('listingsearch')
    op.drop_index('ix_listingchange_pending', table_name='listingchange')
    with op.batch_alter_table('listingchange', schema=None) as batch_op:
        batch_op.drop_column('matched_at')
