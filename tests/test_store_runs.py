"""A run's browser time-outs are kept in its ``runs`` row (migration 0003). A database made
by 0002, with runs and reports in it, keeps every row through the upgrade; its old runs
say nothing of time-outs (NULL: not counted then), new runs say how many."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from pipelines.store import Store
from test_store import make_item, table_counts


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request):
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


def downgrade_to(store: Store, revision: str) -> None:
    from alembic import command

    from pipelines.store.db import alembic_config

    with store.engine.connect() as conn:
        if store.engine.dialect.name == "sqlite":
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
        conn.commit()


def test_a_run_keeps_its_browser_timeouts(db_url, tmp_path):
    with Store(db_url, tmp_path / "raw") as store:
        run = store.start_run("shifanqu")
        store.finish_run(run, "finished", {"requests": 7, "errors": 1, "browser_timeouts": 2})
        [row] = store.runs()
        assert (row["requests"], row["errors"], row["browser_timeouts"]) == (7, 1, 2)


def test_a_0002_database_with_runs_upgrades_keeping_every_row(db_url, tmp_path):
    from pipelines.store.db import SCHEMA_HEAD, current_revision

    with Store(db_url, tmp_path / "raw") as store:
        downgrade_to(store, "0002")
        assert current_revision(store.engine) == "0002"
        assert "browser_timeouts" not in {c["name"] for c in sa.inspect(store.engine).get_columns("runs")}
    # what the previous release wrote: runs without the column
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        for i, spider in enumerate(["dt", "muping"]):
            conn.execute(sa.text("INSERT INTO runs (spider, started_at, finished_at, finish_reason, "
                                 "requests, items, new, revised, unchanged, errors) VALUES "
                                 "(:s, '2026-01-02 03:04:05', '2026-01-02 03:14:05', 'finished', "
                                 ":r, 3, 3, 0, 0, 0)"), {"s": spider, "r": 10 + i})
    engine.dispose()
    with Store(db_url, tmp_path / "raw") as store:  # the store upgrades it on open
        assert current_revision(store.engine) == SCHEMA_HEAD
        runs = store.runs()
        assert [(r["spider"], r["requests"], r["browser_timeouts"]) for r in runs] == [("dt", 10, None),
                                                                                      ("muping", 11, None)]
        for i in range(3):
            store.store_item(*make_item(i), run_id=runs[0]["id"])
        before = table_counts(store)
    with Store(db_url, tmp_path / "raw") as store:  # down and up again, with reports: nothing lost
        downgrade_to(store, "0002")
    with Store(db_url, tmp_path / "raw") as store:
        assert current_revision(store.engine) == SCHEMA_HEAD
        assert table_counts(store) == before
        assert len(store.snapshot()) == 3


def test_the_diff_report_shows_each_portals_latest_run_with_its_browser_timeouts(sqlite_url, tmp_path):
    from pipelines.diff import report_since_previous_run
    from pipelines.render.html import html
    from pipelines.render.json import json_text
    from pipelines.render.md import markdown

    with Store(sqlite_url, tmp_path / "raw") as store:
        old = store.start_run("dt")
        store.finish_run(old, "finished", {"requests": 5, "browser_timeouts": 9})
        run = store.start_run("dt")
        store.store_item(*make_item(0), run_id=run)
        store.finish_run(run, "finished", {"requests": 12, "items": 1, "new": 1, "errors": 0,
                                           "browser_timeouts": 2})
        other = store.start_run("muping")
        store.finish_run(other, "finished", {"requests": 3, "items": 0, "errors": 0, "browser_timeouts": 0})
        report = report_since_previous_run(store)
    assert [(r["portal"], r["run_id"], r["browser_timeouts"]) for r in report["runs"]] == [
        ("dt", run, 2), ("muping", other, 0)]
    md = markdown(report)
    assert f"- dt: run {run} finished " in md
    assert "requests 12, items 1 (new 1), errors 0, browser pages timed out 2" in md
    assert "browser pages timed out 0" in md and "timed out 9" not in md  # the latest run only
    assert "requests 12, items 1 (new 1), errors 0, browser pages timed out 2</li>" in html(report)
    assert '"browser_timeouts": 2' in json_text(report)
