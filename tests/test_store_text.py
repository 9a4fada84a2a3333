"""No length limits on text from portals (issue 13 row 11): a host name over 100 characters
stopped a PostgreSQL crawl with "database unavailable". Migration 0002 makes every such
column Text; a database made by 0001, with reports in it, keeps every row through it."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from pipelines.store import Store
from test_store import make_item, table_counts

LONG_HOST = "www." + "very-long-subdomain-" * 12 + "gov.cn"  # 250 characters


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request):
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


def test_long_text_from_a_portal_is_stored_whole(db_url, tmp_path):
    item, record = make_item(0, portal=LONG_HOST, encoding="x-" + "gb18030-" * 10, platform="p" * 80)
    record = dict(record, template="2021" + "-variant" * 5)
    with Store(db_url, tmp_path / "raw") as store:
        run = store.start_run(LONG_HOST)
        assert store.store_item(item, record, run_id=run) == "new"
        store.finish_run(run, "finished because " + "of a very long reason " * 10)
        assert [r["portal"] for r in store.current_reports()] == [LONG_HOST]
        assert store.runs()[0]["spider"] == LONG_HOST


def test_a_0001_database_with_reports_migrates_to_text_keeping_every_row(db_url, tmp_path):
    from alembic import command

    from pipelines.store.db import SCHEMA_HEAD, alembic_config, current_revision

    with Store(db_url, tmp_path / "raw") as store:
        for i in range(3):
            store.store_item(*make_item(i))
        before = table_counts(store)
        with store.engine.connect() as conn:  # back to the schema the first release made
            if store.engine.dialect.name == "sqlite":
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0001")
            conn.commit()
        assert current_revision(store.engine) == "0001"
        assert table_counts(store) == before
    with Store(db_url, tmp_path / "raw") as store:  # migrates to the head again
        assert current_revision(store.engine) == SCHEMA_HEAD
        assert table_counts(store) == before
        assert len(store.snapshot()) == 3
        assert store.store_item(*make_item(0)) == "unchanged"
        name = next(c for c in sa.inspect(store.engine).get_columns("portals") if c["name"] == "name")
        assert isinstance(name["type"], sa.Text)
