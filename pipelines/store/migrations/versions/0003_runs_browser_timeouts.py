"""runs.browser_timeouts: the pages the browser gave up on in a run

A crawl counted them (stat ``gxnb/browser_timeouts``, its summary line) but the ``runs``
row forgot them. Runs stored before this have none (NULL: not counted then, not 0).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('runs') as batch:
        batch.add_column(sa.Column('browser_timeouts', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('runs') as batch:
        batch.drop_column('browser_timeouts')
