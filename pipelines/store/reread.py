"""Reading an archived revision again: its files back out of the raw archive as the item
the crawl once had, and the record read from them kept as a new revision when it differs.

A revision is its content (page and attachment bytes, by hash) and the record the readers
made of it. A record read again from the same bytes (with OCR, or a better reader) that
differs from the report's current one becomes a new revision with the same files: the
history and the diff report show that a reader changed the numbers, and the old record
stays. Its content hash is the bytes' hash and the record's together, so the same reading
twice is one revision; the same record again writes nothing. A later crawl that finds
the same bytes keeps the re-read revision (``Store.store_item`` compares files, not only
hashes). One transaction, the report row locked: two re-reads at once end with one revision.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

from sqlalchemy import select

from . import statements as stm
from .models import Body, FetchedFile, Portal, Report, Revision, utcnow
from .values import storable_record


class ArchiveFileMissing(LookupError):
    """A file a revision names is not in the raw archive."""


def revisions_to_read(store, portal: str | None = None, limit: int | None = None, *,
                      years: set[int] | None = None, status: str | None = None,
                      since: date | datetime | None = None, until: date | datetime | None = None) -> list[int]:
    """Ids of the current revisions (of one portal, or all), oldest report first; narrowed
    by the report's year and status and by when its current revision was stored."""
    q = (select(Report.current_revision_id).join(Revision, Revision.id == Report.current_revision_id)
         .where(Report.current_revision_id.is_not(None)))
    if portal:
        q = q.join(Portal, Portal.id == Report.portal_id).where(Portal.name == portal)
    if years:
        q = q.where(Report.year.in_(sorted(years)))
    if status:
        q = q.where(Report.status == status)
    if since is not None:
        q = q.where(Revision.created_at >= _moment(since))
    if until is not None:
        q = q.where(Revision.created_at < _moment(until))
    q = q.order_by(Report.id)
    if limit:
        q = q.limit(limit)
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(q)]


def _moment(when: date | datetime) -> datetime:
    return when if isinstance(when, datetime) else datetime(when.year, when.month, when.day)


def archived_item(store, revision_id: int) -> dict | None:
    """The item a revision was made from, its bytes read from the raw archive; None if
    there is no such revision. A file missing from the archive raises ``ArchiveFileMissing``
    naming it (nothing is kept for that report)."""
    with store.engine.connect() as conn:
        rev = conn.execute(
            select(Revision.id, Revision.report_id, Revision.year, Revision.title, Revision.metadata_.label("meta"),
                   Report.url, Body.name.label("body_name"), Body.code.label("body_code"),
                   Portal.name.label("portal"))
            .join(Report, Report.id == Revision.report_id)
            .join(Portal, Portal.id == Report.portal_id)
            .outerjoin(Body, Body.id == Revision.body_id)
            .where(Revision.id == revision_id)).first()
        if rev is None:
            return None
        files = conn.execute(select(FetchedFile).where(FetchedFile.revision_id == revision_id)
                             .order_by(FetchedFile.position)).all()
    item = {"portal": rev.portal, "url": rev.url, "year": rev.year, "title": rev.title, "body_name": rev.body_name,
            "body_code": rev.body_code, "metadata": rev.meta or {}, "body": b"", "attachments": []}
    for f in files:
        try:
            data = store.raw.get(f.sha256) if f.sha256 else None
        except (OSError, KeyError) as exc:  # a file deleted by hand, an S3 object gone
            raise ArchiveFileMissing(f"revision {revision_id} ({rev.url}): the raw archive has no file "
                                     f"{f.sha256} ({f.url}): {type(exc).__name__}") from exc
        if f.role == "body":
            item.update(body=data or b"", content_type=f.content_type, encoding=f.encoding)
        else:
            item["attachments"].append({"url": f.url, "name": f.name, "content_type": f.content_type,
                                        "data": data, "error": f.error})
    return item


def files_hash(conn, revision_id: int) -> str | None:
    """The content hash of a revision's files (what ``Store.store_item`` names its bytes)."""
    from .repository import content_hash

    rows = conn.execute(select(FetchedFile.role, FetchedFile.sha256)
                        .where(FetchedFile.revision_id == revision_id)).all()
    if not rows:
        return None
    body = next((sha for role, sha in rows if role == "body"), None)
    return content_hash(body, [sha for role, sha in rows if role != "body"])


def current_record(store, revision_id: int) -> dict | None:
    """The current record of the report that ``revision_id`` belongs to."""
    with store.engine.connect() as conn:
        return conn.execute(select(Revision.record).join(Report, Report.current_revision_id == Revision.id)
                            .where(Report.id == select(Revision.report_id).where(Revision.id == revision_id)
                                   .scalar_subquery())).scalar()


def keep_reading(store, revision_id: int, record: dict, source: str) -> str:
    """Keep ``record``, read again from revision ``revision_id``'s bytes: "unchanged" when
    the report's current record is this one already; "reread" when it became a new current
    revision; "not current" when the report has since moved on to other bytes (left alone)."""
    record = storable_record(record)  # as store_item keeps it: numbers the database cannot hold → null
    sql = store._sql
    with store.engine.connect() as conn:
        conn.execution_options(gxnb_write=True)  # SQLite: BEGIN IMMEDIATE
        with conn.begin():
            old = conn.execute(select(stm.revisions).where(stm.revisions.c.id == revision_id)).first()
            if old is None:
                raise LookupError(f"no revision {revision_id} in the store")
            report = conn.execute(select(Report.id, Report.current_revision_id)
                                  .where(Report.id == old.report_id).with_for_update()).one()
            content = files_hash(conn, revision_id)
            if report.current_revision_id != revision_id and files_hash(conn, report.current_revision_id) != content:
                return "not current"
            current = conn.execute(select(Revision.record, Revision.source)
                                   .where(Revision.id == report.current_revision_id)).one()
            if current.record == record and current.source == source:
                return "unchanged"
            reading = hashlib.sha256(json.dumps([record, source], ensure_ascii=False, sort_keys=True,
                                                default=str).encode()).hexdigest()
            chash = hashlib.sha256(f"{content}\nread\n{reading}".encode()).hexdigest()
            now = utcnow()
            year = record.get("year") if isinstance(record.get("year"), int) else old.year
            rev_id = conn.execute(sql.revision_add, dict(
                report_id=old.report_id, content_hash=chash, created_at=now, run_id=None, body_id=old.body_id,
                year=year, title=old.title, metadata=old._mapping["metadata"], listed_date=old.listed_date,
                template=record.get("template"), status=record.get("status"), source=source, record=record,
            )).scalar()
            if rev_id is None:  # this very reading was kept before (the report went back and forth)
                rev_id = conn.execute(sql.revision_get, {"report_id": old.report_id, "content_hash": chash}).scalar_one()
            else:
                files = conn.execute(select(*(stm.fetched_files.c[c] for c in stm.FETCHED_COLUMNS[1:]))
                                     .where(stm.fetched_files.c.revision_id == revision_id)).all()
                sql.add_rows(conn, stm.fetched_files, [(rev_id, *f) for f in files])
                store._record_rows(conn, rev_id, record)
            conn.execute(sql.event_add, dict(report_id=old.report_id, at=now, run_id=None, kind="revision",
                                             revision_id=rev_id))
            conn.execute(sql.report_set, {"report_id_": old.report_id, "current_revision_id": rev_id,
                                          "year": year, "template": record.get("template"),
                                          "status": record.get("status")})
    return "reread"
