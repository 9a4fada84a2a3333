"""The store checks its schema when it opens, and `scrapy diffreport` says in one line
what is wrong with the database it was given (issue 13 row 10): a missing directory, a
file that is not a database, a schema version this gxnb does not know, a run that does
not exist, a table or column dropped by hand."""
from __future__ import annotations

import sqlite3
import subprocess

import pytest

from crawling import ROOT, SCRAPY
from pipelines.store import Store
from pipelines.store.repository import StoreUnavailable
from test_store import make_item


def scrapy(tmp_path, db, *args):
    env = {"PATH": "/usr/bin:/bin", "GXNB_DATABASE_URL": f"sqlite:///{db}",
           "GXNB_RAW_DIR": str(tmp_path / "raw"), "GXNB_OUTPUT_DIR": str(tmp_path)}
    return subprocess.run([SCRAPY, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def assert_one_clear_line(proc, *words):
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture
def stored_db(tmp_path):
    db = tmp_path / "gxnb.sqlite"
    with Store(f"sqlite:///{db}", tmp_path / "raw") as store:
        run = store.start_run("testportal")
        store.store_item(*make_item(1), run_id=run)
        store.finish_run(run, "finished", {"items": 1, "new": 1})
    return db


def test_diffreport_on_a_missing_directory(tmp_path):
    proc = scrapy(tmp_path, tmp_path / "no" / "such" / "dir" / "gxnb.sqlite", "diffreport")
    assert_one_clear_line(proc, "diffreport", "cannot open the database")


def test_diffreport_on_a_file_that_is_not_a_database(tmp_path):
    db = tmp_path / "notes.txt"
    db.write_text("这不是数据库\n" * 200, encoding="utf-8")
    proc = scrapy(tmp_path, db, "diffreport")
    assert_one_clear_line(proc, "diffreport", "cannot open the database")


def test_diffreport_on_an_unknown_schema_version(tmp_path, stored_db):
    with sqlite3.connect(stored_db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    proc = scrapy(tmp_path, stored_db, "diffreport")
    assert_one_clear_line(proc, "schema version 9999", "newer gxnb")


def test_diffreport_since_a_run_that_does_not_exist(tmp_path, stored_db):
    proc = scrapy(tmp_path, stored_db, "diffreport", "--since", "99")
    assert_one_clear_line(proc, "no run 99")


@pytest.mark.parametrize("alter, missing", [
    ("DROP TABLE cells", "table cells"),
    ("ALTER TABLE reports DROP COLUMN status", "column reports.status"),
])
def test_a_database_altered_by_hand_is_noticed_when_the_store_opens(tmp_path, stored_db, alter, missing):
    with sqlite3.connect(stored_db) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute(alter)
    with pytest.raises(StoreUnavailable, match=missing):
        Store(f"sqlite:///{stored_db}", tmp_path / "raw")
    for command in (["diffreport"], ["export", "--format", "csv", "-o", str(tmp_path / "cells.csv")]):
        assert_one_clear_line(scrapy(tmp_path, stored_db, *command), missing)
    assert not (tmp_path / "cells.csv").exists()


def test_a_postgres_database_altered_by_hand_is_noticed(pg_url, tmp_path):
    from sqlalchemy import create_engine, text

    with Store(pg_url, tmp_path / "raw"):
        pass
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS gxnb_schema_check"))
        conn.execute(text("CREATE DATABASE gxnb_schema_check"))
    url = pg_url.rsplit("/", 1)[0] + "/gxnb_schema_check"
    try:
        with Store(url, tmp_path / "raw"):
            pass
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE reports DROP COLUMN status"))
        engine.dispose()
        with pytest.raises(StoreUnavailable, match="column reports.status"):
            Store(url, tmp_path / "raw")
    finally:
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS gxnb_schema_check WITH (FORCE)"))
        admin.dispose()
