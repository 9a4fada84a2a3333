"""The store's per-item SQL, built once per dialect.

Every statement is a Core construct over the tables (not the ORM entities) with
``bindparam``s, and the values go in at execute time: SQLAlchemy compiles each once and
serves it from its compiled cache afterwards. (``insert(Model).values(**row)`` or a
``select`` rebuilt per call spent more CPU in SQLAlchemy than the database did.)

Rows by the hundred (a revision's ~200 cells) go in as one statement: the DB-API's own
``executemany`` on SQLite (the loop runs in C; SQLAlchemy's per-row parameter handling
cost more than SQLite's inserts); on PostgreSQL ``INSERT … SELECT … FROM
json_array_elements(:rows)``, the rows as one JSON text made in C (psycopg's executemany
sends and waits on every row from Python; text arrays are quoted element by element).
"""
from __future__ import annotations

import json

from sqlalchemy import bindparam, insert, or_, select, text, update
from sqlalchemy.engine import Connection, Dialect

from .models import Body, Cell, Event, FetchedFile, Finding, Portal, RawFile, Report, Revision

portals, bodies, reports, revisions = Portal.__table__, Body.__table__, Report.__table__, Revision.__table__
events, cells, findings = Event.__table__, Cell.__table__, Finding.__table__
raw_files, fetched_files = RawFile.__table__, FetchedFile.__table__

CELL_COLUMNS = ("revision_id", "table_name", "row_name", "column_name", "value")
FETCHED_COLUMNS = ("revision_id", "position", "role", "sha256", "url", "name", "content_type", "encoding", "error")
FINDING_COLUMNS = ("revision_id", "position", "rule", "severity", "table_name", "row_name", "column_name",
                   "expected", "actual", "message")


class Statements:
    def __init__(self, dialect: Dialect):
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        elif dialect.name == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        else:
            raise NotImplementedError(f"the store supports SQLite and PostgreSQL, not {dialect.name}")

        def insert_ignore(table, keys):  # INSERT … ON CONFLICT (keys) DO NOTHING
            return dialect_insert(table).on_conflict_do_nothing(index_elements=keys)

        self.portal_get = select(portals.c.id, portals.c.base_url, portals.c.platform).where(
            portals.c.name == bindparam("name"))
        self.portal_add = insert_ignore(portals, ["name"])
        self.portal_set = update(portals).where(portals.c.id == bindparam("portal_id_"))
        self.body_add = insert_ignore(bodies, ["portal_id", "key"]).returning(bodies.c.id)
        self.body_get = select(bodies.c.id).where(bodies.c.portal_id == bindparam("portal_id"),
                                                  bodies.c.key == bindparam("key"))
        # the report row, locked, with the content hash of its current revision
        self.report_get = (
            select(reports.c.id, reports.c.current_revision_id, reports.c.gone_at, reports.c.last_seen_run,
                   reports.c.listed_date, revisions.c.content_hash.label("current_hash"))
            .select_from(reports.outerjoin(revisions, revisions.c.id == reports.c.current_revision_id))
            .where(reports.c.url == bindparam("url"))
            .with_for_update(of=reports))  # SQLite: nothing (the write lock is held already)
        self.report_add = insert_ignore(reports, ["url"]).returning(reports.c.id)
        self.report_set = update(reports).where(reports.c.id == bindparam("report_id_"))
        self.revision_get = select(revisions.c.id).where(revisions.c.report_id == bindparam("report_id"),
                                                         revisions.c.content_hash == bindparam("content_hash"))
        self.revision_add = insert_ignore(revisions, ["report_id", "content_hash"]).returning(revisions.c.id)
        self.event_add = insert(events)
        self.raw_file_add = insert_ignore(raw_files, ["sha256"])
        # the portal's bodies by that key or name, then their reports (index on body_id):
        # not a scan of every report of the portal, which grows with every year
        portal = select(portals.c.id).where(portals.c.name == bindparam("portal")).scalar_subquery()
        body_ids = select(bodies.c.id).where(
            bodies.c.portal_id == portal, or_(bodies.c.key == bindparam("body"), bodies.c.name == bindparam("body")))
        self.previous_record = (
            select(revisions.c.record)
            .select_from(reports.join(revisions, revisions.c.id == reports.c.current_revision_id))
            .where(reports.c.body_id.in_(body_ids), reports.c.year == bindparam("year"))
            .order_by(reports.c.gone_at.is_not(None), revisions.c.created_at.desc(), revisions.c.id.desc())
            .limit(1))
        self.postgresql = dialect.name == "postgresql"
        bulk = _json_insert if self.postgresql else _executemany_insert
        self._bulk = {t.name: bulk(t, cols, dialect) for t, cols in (
            (cells, CELL_COLUMNS), (fetched_files, FETCHED_COLUMNS), (findings, FINDING_COLUMNS))}

    def add_rows(self, conn: Connection, table, rows: list[tuple]) -> None:
        """Insert ``rows`` (tuples in the table's ``*_COLUMNS`` order) in one statement."""
        if not rows:
            return
        if self.postgresql:
            conn.execute(self._bulk[table.name], {"rows": json.dumps(rows, ensure_ascii=False, default=str,
                                                                 allow_nan=False)})
        else:  # plain numbers and text: nothing for SQLAlchemy to convert, row by row
            conn.exec_driver_sql(self._bulk[table.name], rows)


def _executemany_insert(table, columns: tuple[str, ...], dialect: Dialect) -> str:
    """``INSERT INTO t (cols) VALUES (?, ?, …)``, for the DB-API's executemany (SQLite)."""
    quote = dialect.identifier_preparer
    return (f"INSERT INTO {quote.format_table(table)} ({', '.join(quote.quote(c) for c in columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})")


def _json_insert(table, columns: tuple[str, ...], dialect: Dialect):
    """``INSERT INTO t (cols) SELECT CAST(e->>0 AS type), … FROM json_array_elements(:rows) e``
    (PostgreSQL): the rows travel as one JSON text, which json.dumps makes in C."""
    quote = dialect.identifier_preparer
    values = ", ".join(f"CAST(e->>{i} AS {table.c[c].type.compile(dialect=dialect)})"
                       for i, c in enumerate(columns))
    names = ", ".join(quote.quote(c) for c in columns)
    return text(f"INSERT INTO {quote.format_table(table)} ({names}) "
                f"SELECT {values} FROM json_array_elements(CAST(:rows AS JSON)) AS e")
