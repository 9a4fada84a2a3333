"""The store on a real PostgreSQL (127.0.0.1:5432; skipped where none runs): migrations,
revisions, idempotence, snapshots, and concurrent writer processes creating no duplicates."""
from __future__ import annotations

import copy

import pytest

from pipelines.store import Store
from test_store import check_no_duplicates, make_item, run_writers, table_counts


@pytest.fixture
def pg_store(pg_url, tmp_path):
    s = Store(pg_url, tmp_path / "raw")
    yield s
    s.close()


def test_migrations_create_exactly_the_models_on_postgres(pg_store):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from pipelines.store.models import Base

    with pg_store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_revisions_and_idempotence_on_postgres(pg_store):
    run = pg_store.start_run("testportal")
    items = [make_item(i) for i in range(5)]
    assert [pg_store.store_item(*it, run_id=run) for it in items] == ["new"] * 5
    before = table_counts(pg_store)
    assert [pg_store.store_item(*it, run_id=run) for it in items] == ["unchanged"] * 5
    assert table_counts(pg_store) == before
    pg_store.finish_run(run, "finished", {"items": 5, "new": 5})

    item, record = items[0]
    record2 = copy.deepcopy(record)
    record2["review_litigation"]["review"]["upheld"] = 42
    assert pg_store.store_item(dict(item, body=b"new body"), record2) == "revised"
    then = {e["url"]: e for e in pg_store.snapshot(run)}
    now = {e["url"]: e for e in pg_store.snapshot()}
    assert then[item["url"]]["record"] == record and now[item["url"]]["record"] == record2
    assert table_counts(pg_store)["revisions"] == 6
    assert pg_store.previous_record("testportal", "area0", record["year"] + 1) == record2


def test_two_processes_storing_at_once_on_postgres(pg_url, tmp_path):
    results = run_writers(pg_url, tmp_path / "raw", 60, tmp_path)
    check_no_duplicates(pg_url, tmp_path / "raw", 60, results)


def test_three_processes_storing_at_once_on_postgres(pg_url, tmp_path):
    results = run_writers(pg_url, tmp_path / "raw", 30, tmp_path, writers=3)
    check_no_duplicates(pg_url, tmp_path / "raw", 30, results)
