"""listing unit as written: "lm3", "tonn/år" kept for display beside the canonical unit

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0007'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('listing', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_written', sqlmodel.sql.sqltypes.AutoString(length=30),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('listing', schema=None) as batch_op:
        batch_op.drop_column('unit_written')
