"""text without length limits: every String(n) from a portal becomes Text

A portal decides how long its text is: PostgreSQL refused a host name over 100 characters
(portals.name, runs.spider) and with it the whole crawl. SQLite never enforced the lengths,
but its tables are rebuilt so that the schema says what the models say.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# (table, column, length in 0001, nullable)
COLUMNS = [
    ('portals', 'name', 100, False), ('portals', 'platform', 50, True),
    ('runs', 'spider', 100, False), ('runs', 'finish_reason', 100, True),
    ('reports', 'template', 20, True), ('reports', 'status', 20, True),
    ('revisions', 'template', 20, True), ('revisions', 'status', 20, True),
    ('events', 'kind', 20, False),
    ('cells', 'table_name', 40, False),
    ('findings', 'rule', 50, True), ('findings', 'severity', 10, True), ('findings', 'table_name', 40, True),
    ('fetched_files', 'role', 20, False), ('fetched_files', 'encoding', 40, True),
]


def _alter(to_text: bool) -> None:
    tables = dict.fromkeys(t for t, *_ in COLUMNS)
    for table in tables:
        # batch: ALTER COLUMN on PostgreSQL, a rebuilt table on SQLite (foreign keys are
        # off while it runs: db.migrate)
        with op.batch_alter_table(table) as batch:
            for t, column, length, nullable in COLUMNS:
                if t == table:
                    old, new = sa.String(length=length), sa.Text()
                    batch.alter_column(column, existing_type=old if to_text else new,
                                       type_=new if to_text else old, existing_nullable=nullable)


def upgrade() -> None:
    _alter(to_text=True)


def downgrade() -> None:
    _alter(to_text=False)
