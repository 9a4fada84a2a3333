"""Engines and migrations: one place that knows SQLite from PostgreSQL.

- SQLite: WAL (readers never wait for the writer), a 30 s busy timeout, and write
  transactions opened with ``BEGIN IMMEDIATE`` so two processes queue for the write lock
  instead of failing on a read→write upgrade. The database's own directory is created
  (``output/``), never a whole missing path (that is a typo, and should say so).
- PostgreSQL: migrations under an advisory lock.

``migrate(engine)`` runs ``alembic upgrade head`` on first use; two processes starting at
once take turns (advisory lock / lock file) and the second finds nothing to do. A database
already at ``SCHEMA_HEAD`` is recognised with one query, without importing Alembic (a
fifth of a second that every incremental run would otherwise pay).
"""
from __future__ import annotations

import fcntl
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, exc, text
from sqlalchemy.engine import Engine, make_url

HERE = Path(__file__).resolve().parent
MIGRATION_LOCK_KEY = 0x67786E62  # "gxnb": the PostgreSQL advisory lock for migrations
# the newest migration's revision; a new migration changes it (tests/test_store.py checks
# it against Alembic's own head)
SCHEMA_HEAD = "0003"
SQLITE_BUSY_SECONDS = 30  # how long a SQLite connection waits for another process's lock


def sqlite_path(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _use_wal(cur, timeout: float) -> None:
    """Switch the database to WAL (it stays so, in the file). Two processes opening a new
    database at the same moment both try; the loser gets "database is locked" at once,
    because SQLite's busy timeout does not cover this switch, so it waits its turn here,
    for as long as the busy timeout would have."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if cur.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def make_engine(url: str, **kwargs) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        if not path.parent.exists() and path.parent.parent.exists():
            path.parent.mkdir(exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS}, **kwargs)

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn, _record):
            dbapi_conn.isolation_level = None  # we say BEGIN ourselves (below)
            cur = dbapi_conn.cursor()
            _use_wal(cur, timeout=SQLITE_BUSY_SECONDS)
            # NORMAL in WAL mode: a commit is written to the WAL but not fsynced. A killed
            # process loses nothing (the OS has it); a power loss can undo the last commits
            # but never corrupts the database. That is safe here: an undone commit is a
            # report not stored, which the next run (incremental: unknown to the store)
            # fetches again; and the raw files a commit points to are fsynced before it
            # (archive.py), so a commit that survives never points at a missing file.
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):
            immediate = conn.get_execution_options().get("gxnb_write")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def alembic_config():
    from alembic.config import Config

    cfg = Config(str(HERE / "alembic.ini"))
    cfg.set_main_option("script_location", str(HERE / "migrations"))
    return cfg


def head_revision() -> str:
    """Alembic's own head, read from the migration scripts."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: not migrated yet)."""
    with engine.connect() as conn:
        try:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        except exc.DBAPIError:  # no table: a new database
            return None
    return rows[0] if len(rows) == 1 else None


@contextmanager
def _migration_lock(engine: Engine):
    path = sqlite_path(str(engine.url))
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
                conn.commit()
    elif path is not None:
        with open(str(path) + ".migrate-lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
    else:
        yield


class SchemaMismatch(RuntimeError):
    """The database's schema is not the one this gxnb writes (newer, or altered by hand)."""


def known_revisions() -> set[str]:
    """The schema versions this gxnb has migrations for (their files' number prefixes)."""
    versions = Path(__file__).with_name("migrations") / "versions"
    return {p.name.split("_", 1)[0] for p in versions.glob("[0-9][0-9][0-9][0-9]_*.py")}


def check_schema(engine: Engine) -> None:
    """Every table and column the models declare is there, else SchemaMismatch naming
    what is missing (a database altered by hand would otherwise fail mid-crawl, or worse,
    give reports and exports that silently leave things out)."""
    from sqlalchemy import inspect

    from .models import Base

    inspector = inspect(engine)
    missing = []
    for table in Base.metadata.sorted_tables:
        if not inspector.has_table(table.name):
            missing.append(f"table {table.name}")
            continue
        present = {c["name"] for c in inspector.get_columns(table.name)}
        missing += [f"column {table.name}.{c}" for c in table.columns.keys() if c not in present]
    if missing:
        raise SchemaMismatch(f"the database lacks {', '.join(missing)} (altered outside gxnb?): "
                             "restore it from a backup or use a new database")


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest migration (no-op when it is there already)."""
    revision = current_revision(engine)
    if revision == SCHEMA_HEAD:
        return
    if revision is not None and revision not in known_revisions():
        raise SchemaMismatch(f"the database is at schema version {revision}, which this gxnb does "
                             f"not know (it writes {SCHEMA_HEAD}): it was made by a newer gxnb; "
                             "upgrade gxnb or use another database")
    with _migration_lock(engine):
        if current_revision(engine) == SCHEMA_HEAD:  # another process did it while we waited
            return
        from alembic import command

        cfg = alembic_config()
        with engine.connect() as conn:
            sqlite = engine.dialect.name == "sqlite"
            if sqlite:  # a rebuilt table (batch migration) is dropped under its foreign keys;
                # the pragma only takes effect outside a transaction, so before BEGIN
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
            try:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"migration left rows without their parent: {broken[:5]}")
                conn.commit()
            finally:
                if sqlite:
                    conn.rollback()
                    conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")
