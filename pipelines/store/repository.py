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
from typing import Any, Iterable, Iterator

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, make_url

from . import snapshot as snap
from .archive import RawArchive
from .cells import flatten, numeric
from .db import make_engine, migrate
from .models import (Body, Cell, Event, FetchedFile, Finding, Portal, RawFile, Report, Revision, Run,
                     utcnow)

OUTPUT_DIR = Path(os.environ.get("GXNB_OUTPUT_DIR")
                  or Path(__file__).resolve().parents[2] / "output")
RUN_COUNTS = ("requests", "items", "new", "revised", "unchanged", "errors")


def default_url() -> str:
    return os.environ.get("GXNB_DATABASE_URL") or f"sqlite:///{OUTPUT_DIR / 'gxnb.sqlite'}"


def default_raw_dir() -> str:
    return os.environ.get("GXNB_RAW_DIR") or str(OUTPUT_DIR / "raw")


class StoreUnavailable(RuntimeError):
    """The database cannot be opened or migrated."""


def content_hash(body_sha: str | None, attachment_shas: Iterable[str | None]) -> str:
    """Hash of the report's content: its page and its attachments' bytes (not their URLs,
    nor their order), so a report republished with the same content is unchanged."""
    h = hashlib.sha256((body_sha or "-").encode())
    for sha in sorted(s for s in attachment_shas if s):
        h.update(b"\n" + sha.encode())
    return h.hexdigest()


def body_identity(item: dict, record: dict) -> tuple[str | None, str | None, str | None]:
    """``(key, name, code)`` of the reporting body: the portal's own words, else the report's."""
    name = item.get("body_name") or (record or {}).get("agency")
    code = item.get("body_code")
    key = code or name
    return (str(key) if key else None), name, (str(code) if code else None)


def _json_dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)


class Store:
    """The database (``url``, default env GXNB_DATABASE_URL else output/gxnb.sqlite) and
    the raw archive (``raw_dir``, default env GXNB_RAW_DIR else output/raw). The schema
    is migrated to the latest version on construction."""

    def __init__(self, url: str | None = None, raw_dir: str | os.PathLike | None = None):
        self.url = url or default_url()
        self.raw = RawArchive(raw_dir or default_raw_dir())
        self.url_for_humans = make_url(self.url).render_as_string(hide_password=True)
        try:
            self.engine = make_engine(self.url, json_serializer=_json_dumps)
            self._insert = _insert_for(self.engine.dialect.name)
            migrate(self.engine)
        except Exception as exc:
            engine = getattr(self, "engine", None)
            if engine is not None:
                engine.dispose()
            raise StoreUnavailable(f"cannot open the database {self.url_for_humans}: "
                                   f"{type(exc).__name__}: {exc}") from exc

    def close(self) -> None:
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

    def _insert_ignore(self, conn: Connection, model, values: dict, keys: list[str], returning=None):
        """INSERT … ON CONFLICT (keys) DO NOTHING; the returned column, or None on conflict."""
        stmt = self._insert(model, values, keys)
        if returning is not None:
            stmt = stmt.returning(returning)
            return conn.execute(stmt).scalar()
        conn.execute(stmt)
        return None

    # --- storing a report -------------------------------------------------------------

    def archive(self, data: bytes | None) -> str | None:
        """Put bytes in the raw archive; their SHA-256 (None for no bytes)."""
        return self.raw.put(data) if data else None

    def raw_path(self, sha256: str) -> Path:
        return self.raw.path(sha256)

    def store_item(self, item: dict, record: dict, source: str = "html", run_id: int | None = None) -> str:
        """Keep one report: "new" (first revision), "revised" (its content changed: a new
        revision, the old ones kept) or "unchanged"."""
        item = dict(item)
        record = record or {}
        attachments = [dict(a) for a in item.get("attachments") or []]
        # the files first: a row must never point at a file that is not there
        body_sha = self.archive(item.get("body"))
        att_shas = [self.archive(a.get("data")) for a in attachments]
        chash = content_hash(body_sha, att_shas)
        meta = dict(item.get("metadata") or {})
        year = record.get("year") or item.get("year")
        title = item.get("title") or record.get("title")
        now = utcnow()

        with self._write() as conn:
            portal_id = self._portal_id(conn, item)
            body_id = self._body_id(conn, portal_id, *body_identity(item, record))
            report = self._locked_report(conn, item["url"], portal_id, body_id, run_id, now)
            rev_id = conn.execute(select(Revision.id).where(
                Revision.report_id == report.id, Revision.content_hash == chash)).scalar()
            if rev_id is None:
                rev_id = self._insert_ignore(conn, Revision, dict(
                    report_id=report.id, content_hash=chash, created_at=now, run_id=run_id,
                    body_id=body_id, year=year, title=title, metadata_=meta,
                    listed_date=item.get("listed_date"), template=record.get("template"),
                    status=record.get("status"), source=source, record=record,
                ), ["report_id", "content_hash"], returning=Revision.id)
                if rev_id is None:  # another writer stored the same content just now
                    rev_id = conn.execute(select(Revision.id).where(
                        Revision.report_id == report.id, Revision.content_hash == chash)).scalar_one()
                else:
                    self._revision_details(conn, rev_id, item, attachments, body_sha, att_shas, record, now)
            changes: dict[str, Any] = {}
            if report.gone_at is not None:  # fetched again: listed again
                changes["gone_at"] = None
                conn.execute(insert(Event).values(report_id=report.id, at=now, run_id=run_id, kind="listed"))
            if run_id is not None and report.last_seen_run != run_id:
                changes["last_seen_run"] = run_id
            if report.current_revision_id == rev_id:
                outcome = "unchanged"
                if item.get("listed_date") and item.get("listed_date") != report.listed_date:
                    changes["listed_date"] = item.get("listed_date")
            else:
                outcome = "new" if report.current_revision_id is None else "revised"
                conn.execute(insert(Event).values(report_id=report.id, at=now, run_id=run_id,
                                                  kind="revision", revision_id=rev_id))
                changes.update(
                    current_revision_id=rev_id, body_id=body_id, year=year, title=title,
                    index_no=meta.get("index_no"), doc_no=meta.get("doc_no"),
                    written_date=meta.get("written_date"), published_date=meta.get("published_date"),
                    listed_date=item.get("listed_date"), template=record.get("template"),
                    status=record.get("status"))
            if changes:
                conn.execute(update(Report).where(Report.id == report.id).values(**changes))
        return outcome

    def _portal_id(self, conn: Connection, item: dict) -> int:
        name = item.get("portal") or "?"
        row = conn.execute(select(Portal.id, Portal.base_url, Portal.platform).where(Portal.name == name)).first()
        if row is None:
            self._insert_ignore(conn, Portal, dict(name=name, base_url=item.get("portal_url"),
                                                   platform=item.get("platform")), ["name"])
            row = conn.execute(select(Portal.id, Portal.base_url, Portal.platform).where(Portal.name == name)).one()
        elif (item.get("portal_url"), item.get("platform")) != (row.base_url, row.platform) and item.get("portal_url"):
            conn.execute(update(Portal).where(Portal.id == row.id).values(
                base_url=item.get("portal_url"), platform=item.get("platform") or row.platform))
        return row.id

    def _body_id(self, conn: Connection, portal_id: int, key, name, code) -> int | None:
        if not key:
            return None
        q = select(Body.id).where(Body.portal_id == portal_id, Body.key == key)
        body_id = conn.execute(q).scalar()
        if body_id is None:
            self._insert_ignore(conn, Body, dict(portal_id=portal_id, key=key, name=name, code=code),
                                ["portal_id", "key"])
            body_id = conn.execute(q).scalar_one()
        return body_id

    def _locked_report(self, conn: Connection, url: str, portal_id: int, body_id, run_id, now):
        q = (select(Report.id, Report.current_revision_id, Report.gone_at, Report.last_seen_run,
                    Report.listed_date).where(Report.url == url).with_for_update())
        row = conn.execute(q).first()
        if row is None:
            self._insert_ignore(conn, Report, dict(url=url, portal_id=portal_id, body_id=body_id,
                                                   created_at=now, first_seen_run=run_id,
                                                   last_seen_run=run_id), ["url"])
            row = conn.execute(q).one()
        return row

    def _revision_details(self, conn, rev_id, item, attachments, body_sha, att_shas, record, now):
        """The new revision's files, cells and findings (bulk inserts)."""
        sizes = {body_sha: len(item.get("body") or b"")}
        sizes.update({sha: len(a.get("data") or b"") for sha, a in zip(att_shas, attachments)})
        for sha, size in sizes.items():
            if sha:
                self._insert_ignore(conn, RawFile, dict(sha256=sha, size=size, created_at=now), ["sha256"])
        files = [dict(revision_id=rev_id, position=0, role="body", sha256=body_sha, url=item.get("url"),
                      name=None, content_type=item.get("content_type"), encoding=item.get("encoding"),
                      error=None)]
        for i, (a, sha) in enumerate(zip(attachments, att_shas), start=1):
            files.append(dict(revision_id=rev_id, position=i, role="attachment", sha256=sha, url=a.get("url"),
                              name=a.get("name"), content_type=a.get("content_type"), encoding=None,
                              error=a.get("error")))
        conn.execute(insert(FetchedFile), files)
        cells = {(t, r, c): numeric(v) for t, r, c, v in flatten(record)}
        if cells:
            conn.execute(insert(Cell), [dict(revision_id=rev_id, table_name=t, row_name=r, column_name=c, value=v)
                                        for (t, r, c), v in cells.items()])
        findings = [dict(revision_id=rev_id, position=i, rule=f.get("rule"), severity=f.get("severity"),
                         table_name=f.get("table"), row_name=f.get("row"), column_name=f.get("column"),
                         expected=numeric(f.get("expected")), actual=numeric(f.get("actual")),
                         message=f.get("message"))
                    for i, f in enumerate(record.get("findings") or []) if isinstance(f, dict)]
        if findings:
            conn.execute(insert(Finding), findings)

    # --- reading for the pipeline -----------------------------------------------------

    def previous_record(self, portal: str, body: str | None, year: int | None) -> dict | None:
        """The current record of the same body (its key: code, else name) for ``year - 1``."""
        if not body or not year:
            return None
        try:
            prev_year = int(year) - 1
        except (TypeError, ValueError):
            return None
        q = (select(Revision.record)
             .select_from(Report)
             .join(Portal, Portal.id == Report.portal_id)
             .join(Body, Body.id == Report.body_id)
             .join(Revision, Revision.id == Report.current_revision_id)
             .where(Portal.name == portal, Report.year == prev_year,
                    (Body.key == body) | (Body.name == body))
             .order_by(Report.gone_at.is_not(None), Revision.created_at.desc(), Revision.id.desc())
             .limit(1))
        with self._read() as conn:
            return conn.execute(q).scalar()

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
            for r in rows:
                if r.url in seen:
                    counts["seen"] += 1
                    values: dict[str, Any] = {}
                    if run_id is not None:
                        values["last_seen_run"] = run_id
                        if r.first_seen_run is None:
                            values["first_seen_run"] = run_id
                    if r.gone_at is not None:
                        values["gone_at"] = None
                        counts["back"] += 1
                        conn.execute(insert(Event).values(report_id=r.id, at=now, run_id=run_id, kind="listed"))
                    if values:
                        conn.execute(update(Report).where(Report.id == r.id).values(**values))
                elif complete and r.gone_at is None:
                    counts["gone"] += 1
                    conn.execute(update(Report).where(Report.id == r.id).values(gone_at=now))
                    conn.execute(insert(Event).values(report_id=r.id, at=now, run_id=run_id, kind="gone"))
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


def _insert_for(dialect: str):
    """The dialect's INSERT … ON CONFLICT DO NOTHING builder (SQLite and PostgreSQL)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:
        raise NotImplementedError(f"the store supports SQLite and PostgreSQL, not {dialect}")

    def build(model, values, keys):
        return dialect_insert(model).values(**values).on_conflict_do_nothing(index_elements=keys)
    return build
