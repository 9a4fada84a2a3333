"""Storage: SQLAlchemy 2 + Alembic, revisions that are never overwritten, a raw archive.

    from pipelines.store import Store

    store = Store(url, raw_dir)          # an SQLAlchemy URL; a directory or s3://bucket/prefix
    run = store.start_run("laiyang")
    store.store_item(item, record, source="html", run_id=run)   # "new" | "revised" | "unchanged"
    store.previous_record("laiyang", body_key, 2023)             # the body's record on 2022, or None
    store.mark_seen(run, "laiyang", urls, complete=True)         # unlisted reports marked gone
    store.finish_run(run, "finished", {"requests": .., "items": .., "new": .., "revised": ..,
                                       "unchanged": .., "errors": ..})
    store.known_reports("laiyang")       # {url: {listed_date, content_hash, revision_id, title}}
    store.snapshot(at)                   # the reports as of a run id / datetime / now
    store.current_reports()              # iterator of the same entries, current revisions
    store.runs()                         # [{id, spider, started_at, finished_at, finish_reason, counts…}]
    store.raw_path(sha256), store.fetched_files(revision_id)
    store.url_for_humans, store.close()

``Store(...)`` migrates the schema to the latest Alembic revision on construction
(``alembic upgrade head``, under a lock so two processes starting at once are fine) and
raises ``StoreUnavailable`` (a message naming the database) when it cannot.

What is kept (``models.py``): portals; reporting bodies (per portal, by code else name);
reports, one row per URL with the current metadata; revisions — a new one only when the
content hash (page bytes + attachment bytes) changes, each with its item metadata, the
canonical record as JSON, and ``cells`` (one row per table cell: ``table_name, row_name,
column_name, value``) and ``findings``; ``events`` (current revision changes, gone /
listed again) so that ``snapshot`` can read any past moment; ``runs``; ``raw_files`` and
``fetched_files`` (the page and attachments of each revision: URL, name, content type,
SHA-256 of the bytes in ``<raw>/<aa>/<sha256>``).

Example SQL over the numbers (SQLite or PostgreSQL)::

    SELECT p.name, r.year, c.value FROM cells c
      JOIN reports r ON r.current_revision_id = c.revision_id
      JOIN portals p ON p.id = r.portal_id
     WHERE c.table_name = 'applications' AND c.row_name = 'new_received' AND c.column_name = 'total';

Concurrency: natural keys under unique constraints, ``INSERT … ON CONFLICT DO NOTHING``,
the report row locked while its revision is decided; SQLite in WAL mode with
``BEGIN IMMEDIATE`` write transactions. One transaction per stored item; the raw files it
points at are on disk (fsynced, file and directory) before it commits.
"""
from .archive import RawArchive
from .repository import Store, StoreUnavailable, content_hash

__all__ = ["Store", "StoreUnavailable", "RawArchive", "content_hash"]
