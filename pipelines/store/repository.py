"""``Store``: the one way in and out of the database and the raw archive.

Every write is one short transaction, idempotent and safe with other processes writing
at once: rows are found by their natural keys (portal name, body key, report URL,
revision (report, content hash), file SHA-256) under unique constraints and inserted
with ``ON CONFLICT DO NOTHING``; the report row is locked (``FOR UPDATE`` on PostgreSQL,
the write lock on SQLite) while its revision and current state are decided.
"""
from __future__ import annotations

import hashlib
import json
import os
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, make_url

from pipelines.report import facts

from . import snapshot as snap
from . import statements as stm
from .s3 import open_archive
from .cells import flatten, numeric
from .db import SchemaMismatch, check_schema, make_engine, migrate
from .models import Event, FetchedFile, Portal, Report, Revision, Run, utcnow
from .values import storable_record

RUN_COUNTS = ("requests", "items", "new", "revised", "unchanged", "errors", "browser_timeouts")


class _NewReport(NamedTuple):
    """A report row this transaction has just inserted (what ``report_get`` would read)."""
    id: int
    current_revision_id: None
    gone_at: None
    last_seen_run: int | None
    listed_date: None
    current_hash: None


class StoreUnavailable(RuntimeError):
    """The database cannot be opened or migrated."""


def content_hash(body_sha: str | None, attachment_shas: Iterable[str | None]) -> str:
    """Hash of the report's content: its page and its attachments' bytes (not their URLs,
    nor their order), so a report republished with the same content is unchanged."""
    h = hashlib.sha256((body_sha or "-").encode())
    for sha in sorted(s for s in attachment_shas if s):
        h.update(b"\n" + sha.encode())
    return h.hexdigest()


def _json_dumps(obj) -> str:
    # allow_nan=False: Infinity/NaN are not JSON (PostgreSQL refuses them); never written
    return json.dumps(obj, ensure_ascii=False, default=str, allow_nan=False)


def _int_column(value) -> int | None:
    """A value for an INTEGER column (year): None when it is not an integer the column holds."""
    try:
        value = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return value if -2 ** 31 <= value < 2 ** 31 else None


class Store:
    """The database (``url``, an SQLAlchemy URL) and the raw archive (``raw_dir``: a
    directory or ``s3://bucket/prefix``), both given by the caller: the crawl's settings
    name them (gxnb_spiders/config.py), nothing here reads the environment. The schema is
    migrated to the latest version on construction."""

    def __init__(self, url: str, raw_dir: str | os.PathLike):
        self.url = url
        self.raw_dir = str(raw_dir)
        try:
            self.raw = open_archive(self.raw_dir)
        except Exception as exc:
            raise StoreUnavailable(str(exc)) from exc
        self.url_for_humans = make_url(self.url).render_as_string(hide_password=True)
        self._ids: dict[tuple, Any] = {}  # portal and body ids, see _portal_id
        try:
            self.engine = make_engine(self.url, json_serializer=_json_dumps)
            self._sql = stm.Statements(self.engine.dialect)
            migrate(self.engine)
            check_schema(self.engine)
        except Exception as exc:
            engine = getattr(self, "engine", None)
            if engine is not None:
                engine.dispose()
            self.raw.close()
            why = str(exc) if isinstance(exc, SchemaMismatch) else \
                f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}"  # not SQLAlchemy's help link
            raise StoreUnavailable(f"cannot open the database {self.url_for_humans}: {why}") from exc

    def close(self) -> None:
        self.raw.close()
        self.engine.dispose()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- transactions -----------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(gxnb_write=True)  # SQLite: BEGIN IMMEDIATE
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            with conn.begin():
                yield conn

    # --- storing a report -------------------------------------------------------------

    def raw_path(self, sha256: str) -> Path | str:
        return self.raw.path(sha256)

    def store_item(self, item: dict, record: dict, source: str = "html", run_id: int | None = None) -> str:
        """Keep one report: "new" (first revision), "revised" (its content changed: a new
        revision, the old ones kept) or "unchanged"."""
        item = dict(item)
        record = storable_record(record or {})  # numbers the database cannot hold: null + finding
        attachments = [dict(a) for a in item.get("attachments") or []]
        # the files first; they become durable while the rows are written, and before COMMIT
        staged = self.raw.stage([item.get("body")] + [a.get("data") for a in attachments])
        body_sha, *att_shas = staged.shas
        chash = content_hash(body_sha, att_shas)
        meta = dict(item.get("metadata") or {})
        who = facts(item, record)  # the same winners as the record's (pipelines.report)
        year = _int_column(who.year)
        title = who.title
        now = utcnow()
        sql = self._sql
        learned: dict = {}  # ids found in this transaction, cached once it commits

        with self._write() as conn:
            portal_id = self._portal_id(conn, item, learned)
            body_id = self._body_id(conn, portal_id, who.body_key, who.agency, who.body_code, learned)
            report = self._locked_report(conn, item["url"], portal_id, body_id, run_id, now)
            if report.current_hash == chash or self._read_again(conn, report.current_revision_id, chash):
                rev_id = report.current_revision_id
            else:
                rev_id = None
                if report.current_revision_id is not None:  # an older revision may have this content
                    rev_id = conn.execute(sql.revision_get, {"report_id": report.id, "content_hash": chash}).scalar()
                if rev_id is None:
                    rev_id = conn.execute(sql.revision_add, dict(
                        report_id=report.id, content_hash=chash, created_at=now, run_id=run_id,
                        body_id=body_id, year=year, title=title, metadata=meta,
                        listed_date=item.get("listed_date"), template=record.get("template"),
                        status=record.get("status"), source=source, record=record,
                    )).scalar()
                    if rev_id is None:  # another writer stored the same content just now
                        rev_id = conn.execute(sql.revision_get,
                                              {"report_id": report.id, "content_hash": chash}).scalar_one()
                    else:
                        self._revision_details(conn, rev_id, item, attachments, body_sha, att_shas, record, now)
            changes: dict[str, Any] = {}
            if report.gone_at is not None:  # fetched again: listed again
                changes["gone_at"] = None
                conn.execute(sql.event_add, dict(report_id=report.id, at=now, run_id=run_id, kind="listed",
                                                 revision_id=None))
            if run_id is not None and report.last_seen_run != run_id:
                changes["last_seen_run"] = run_id
            if report.current_revision_id == rev_id:
                outcome = "unchanged"
                if item.get("listed_date") and item.get("listed_date") != report.listed_date:
                    changes["listed_date"] = item.get("listed_date")
            else:
                outcome = "new" if report.current_revision_id is None else "revised"
                conn.execute(sql.event_add, dict(report_id=report.id, at=now, run_id=run_id,
                                                 kind="revision", revision_id=rev_id))
                changes.update(
                    current_revision_id=rev_id, body_id=body_id, year=year, title=title,
                    index_no=meta.get("index_no"), doc_no=meta.get("doc_no"),
                    written_date=meta.get("written_date"), published_date=meta.get("published_date"),
                    listed_date=item.get("listed_date"), template=record.get("template"),
                    status=record.get("status"))
            if changes:
                conn.execute(sql.report_set, {"report_id_": report.id, **changes})
            staged.wait()  # every file durable in place before the rows pointing at it commit
        self._ids.update(learned)
        return outcome

    def _read_again(self, conn: Connection, revision_id: int | None, chash: str) -> bool:
        """The current revision is a re-reading of these very bytes (``store/reread.py``: its
        own hash also names the record), so the same bytes fetched again change nothing."""
        from .reread import files_hash

        return revision_id is not None and files_hash(conn, revision_id) == chash

    # Portal and body ids never change once inserted, so they are cached per Store. Only
    # ids seen in a committed transaction are: a rolled-back insert must not be remembered.

    def _portal_id(self, conn: Connection, item: dict, learned: dict) -> int:
        name = item.get("portal") or "?"
        url, platform = item.get("portal_url"), item.get("platform")
        known = self._ids.get(("portal", name))
        if known is None:
            row = conn.execute(self._sql.portal_get, {"name": name}).first()
            if row is None:
                conn.execute(self._sql.portal_add, {"name": name, "base_url": url, "platform": platform})
                row = conn.execute(self._sql.portal_get, {"name": name}).one()
            known = tuple(row)
        portal_id, base_url, known_platform = known
        if url and (url != base_url or (platform and platform != known_platform)):
            base_url, known_platform = url, platform or known_platform
            conn.execute(self._sql.portal_set, {"portal_id_": portal_id, "base_url": base_url,
                                                "platform": known_platform})
        learned[("portal", name)] = (portal_id, base_url, known_platform)
        return portal_id

    def _body_id(self, conn: Connection, portal_id: int, key, name, code, learned: dict) -> int | None:
        if not key:
            return None
        body_id = self._ids.get(("body", portal_id, key))
        if body_id is None:
            body_id = conn.execute(self._sql.body_add, dict(portal_id=portal_id, key=key, name=name,
                                                            code=code)).scalar()
            if body_id is None:  # there already
                body_id = conn.execute(self._sql.body_get, {"portal_id": portal_id, "key": key}).scalar_one()
            learned[("body", portal_id, key)] = body_id
        return body_id

    def _locked_report(self, conn: Connection, url: str, portal_id: int, body_id, run_id, now):
        """The report row (locked until COMMIT) with its current revision's content hash."""
        row = conn.execute(self._sql.report_get, {"url": url}).first()
        if row is None:
            report_id = conn.execute(self._sql.report_add, dict(
                url=url, portal_id=portal_id, body_id=body_id, created_at=now, first_seen_run=run_id,
                last_seen_run=run_id)).scalar()
            if report_id is not None:  # ours, so locked by this transaction
                return _NewReport(report_id, None, None, run_id, None, None)
            row = conn.execute(self._sql.report_get, {"url": url}).one()  # another writer's, just now
        return row

    def _revision_details(self, conn, rev_id, item, attachments, body_sha, att_shas, record, now):
        """The new revision's files, cells and findings (one statement per table)."""
        sizes = {body_sha: len(item.get("body") or b"")}
        sizes.update({sha: len(a.get("data") or b"") for sha, a in zip(att_shas, attachments)})
        # in hash order: two writers sharing files lock them in the same order (no deadlock)
        raw = [dict(sha256=sha, size=size, created_at=now) for sha, size in sorted(
            (sha, size) for sha, size in sizes.items() if sha)]
        if raw:
            conn.execute(self._sql.raw_file_add, raw)
        files = [(rev_id, 0, "body", body_sha, item.get("url"), None, item.get("content_type"),
                  item.get("encoding"), None)]
        for i, (a, sha) in enumerate(zip(attachments, att_shas), start=1):
            files.append((rev_id, i, "attachment", sha, a.get("url"), a.get("name"), a.get("content_type"),
                          None, a.get("error")))
        self._sql.add_rows(conn, stm.fetched_files, files)
        self._record_rows(conn, rev_id, record)

    def _record_rows(self, conn, rev_id, record) -> None:
        """A revision's record as rows: one per cell, one per finding."""
        cells = {(t, r, c): numeric(v) for t, r, c, v in flatten(record)}
        self._sql.add_rows(conn, stm.cells, [(rev_id, t, r, c, v) for (t, r, c), v in cells.items()])
        self._sql.add_rows(conn, stm.findings, [
            (rev_id, i, f.get("rule"), f.get("severity"), f.get("table"), f.get("row"), f.get("column"),
             numeric(f.get("expected")), numeric(f.get("actual")), f.get("message"))
            for i, f in enumerate(record.get("findings") or []) if isinstance(f, dict)])

    # --- reading for the pipeline -----------------------------------------------------

    def previous_record(self, portal: str, body: str | None, year: int | None) -> dict | None:
        """The current record of the same body (its key: code, else name) for ``year - 1``."""
        if not body or not year:
            return None
        try:
            prev_year = int(year) - 1
        except (TypeError, ValueError):
            return None
        with self._read() as conn:
            return conn.execute(self._sql.previous_record,
                                {"portal": portal, "year": prev_year, "body": body}).scalar()

    def known_reports(self, portal: str) -> dict[str, dict]:
        """``{url: {listed_date, content_hash, revision_id, title}}`` of a portal's reports."""
        q = (select(Report.url, Report.listed_date, Report.title, Revision.content_hash, Revision.id)
             .join(Portal, Portal.id == Report.portal_id)
             .join(Revision, Revision.id == Report.current_revision_id)
             .where(Portal.name == portal))
        with self._read() as conn:
            return {r.url: {"listed_date": r.listed_date, "content_hash": r.content_hash,
                            "revision_id": r.id, "title": r.title}
                    for r in conn.execute(q)}

    # --- runs and listings ------------------------------------------------------------

    def start_run(self, spider_name: str) -> int:
        with self._write() as conn:
            return conn.execute(insert(Run).values(spider=spider_name, started_at=utcnow())
                                .returning(Run.id)).scalar_one()

    def finish_run(self, run_id: int, reason: str | None, counts: dict | None = None) -> None:
        counts = counts or {}
        values = {k: int(counts[k]) for k in RUN_COUNTS if counts.get(k) is not None}
        with self._write() as conn:
            conn.execute(update(Run).where(Run.id == run_id).values(
                finished_at=utcnow(), finish_reason=reason, **values))

    def runs(self) -> list[dict]:
        with self._read() as conn:
            return [dict(r._mapping) for r in conn.execute(select(Run).order_by(Run.id))]

    def mark_seen(self, run_id: int | None, portal: str, urls: Iterable[str], complete: bool = False) -> dict:
        """The portal listed ``urls`` in this run. Reports listed again after being gone are
        listed again; with ``complete`` (the run saw the whole list) the portal's reports
        not listed are marked gone (kept, never deleted). Returns counts."""
        seen = set(urls)
        now = utcnow()
        counts = {"seen": 0, "gone": 0, "back": 0}
        with self._write() as conn:
            portal_id = conn.execute(select(Portal.id).where(Portal.name == portal)).scalar()
            if portal_id is None:
                return counts
            rows = conn.execute(select(Report.id, Report.url, Report.gone_at, Report.first_seen_run)
                                .where(Report.portal_id == portal_id)).all()
            seen_ids, first_ids = [], []  # one UPDATE per few hundred reports, not one each
            for r in rows:
                if r.url in seen:
                    counts["seen"] += 1
                    seen_ids.append(r.id)
                    if r.first_seen_run is None:
                        first_ids.append(r.id)
                    if r.gone_at is not None:
                        counts["back"] += 1
                        conn.execute(update(Report).where(Report.id == r.id).values(gone_at=None))
                        conn.execute(insert(Event).values(report_id=r.id, at=now, run_id=run_id, kind="listed"))
                elif complete and r.gone_at is None:
                    counts["gone"] += 1
                    conn.execute(update(Report).where(Report.id == r.id).values(gone_at=now))
                    conn.execute(insert(Event).values(report_id=r.id, at=now, run_id=run_id, kind="gone"))
            if run_id is not None:
                for column, ids in (("last_seen_run", seen_ids), ("first_seen_run", first_ids)):
                    for i in range(0, len(ids), 500):
                        conn.execute(update(Report).where(Report.id.in_(ids[i:i + 500])).values({column: run_id}))
        return counts

    # --- reading for reports and exports ----------------------------------------------

    def snapshot(self, at: datetime | date | int | None = None) -> list[dict]:
        """The reports as they were at ``at`` (a run id: the end of that run; a datetime,
        naive = local time; None: now). See ``snapshot.py`` for the keys."""
        with self._read() as conn:
            return snap.snapshot(conn, snap.resolve_time(conn, at))

    def current_reports(self) -> Iterator[dict]:
        """Every report with its current revision (gone ones too, ``listed`` False), by portal and URL."""
        with self._read() as conn:
            yield from snap.current_reports(conn)

    def fetched_files(self, revision_id: int) -> list[dict]:
        """The files a revision was made from (body first), with their archive paths."""
        with self._read() as conn:
            rows = conn.execute(select(FetchedFile).where(FetchedFile.revision_id == revision_id)
                                .order_by(FetchedFile.position)).all()
        out = []
        for r in rows:
            d = dict(r._mapping)
            d["path"] = str(self.raw.path(d["sha256"])) if d["sha256"] else None
            out.append(d)
        return out
