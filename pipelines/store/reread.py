"""Reading an archived revision again: its files back out of the raw archive as the item
the crawl once had, and a new record of the same bytes put in place of the old one.

A revision is its content (page and attachment bytes, by hash); the record is what the
readers made of it. Reading the same bytes again (with OCR, or a better reader) replaces
the record, its cells and findings and the report's status — the bytes, the revisions and
their history are untouched. One transaction, the revision row locked: two re-reads of
the same revision at once end with one set of cells. The same record again changes nothing.
"""
from __future__ import annotations

from sqlalchemy import delete, select, update

from . import statements as stm
from .cells import flatten, numeric
from .models import Body, FetchedFile, Portal, Report, Revision
from .values import storable_record


def revisions_to_read(store, portal: str | None = None, limit: int | None = None) -> list[int]:
    """Ids of the current revisions (of one portal, or all), oldest first."""
    q = select(Report.current_revision_id).where(Report.current_revision_id.is_not(None))
    if portal:
        q = q.join(Portal, Portal.id == Report.portal_id).where(Portal.name == portal)
    q = q.order_by(Report.id)
    if limit:
        q = q.limit(limit)
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(q)]


def archived_item(store, revision_id: int) -> dict | None:
    """The item a revision was made from, its bytes read from the raw archive; None if
    there is no such revision. A file missing from the archive raises (say so, lose nothing)."""
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
        data = store.raw.get(f.sha256) if f.sha256 else None
        if f.role == "body":
            item.update(body=data or b"", content_type=f.content_type, encoding=f.encoding)
        else:
            item["attachments"].append({"url": f.url, "name": f.name, "content_type": f.content_type,
                                        "data": data, "error": f.error})
    return item


def replace_record(store, revision_id: int, record: dict, source: str) -> str:
    """Put ``record`` (read again from the revision's own bytes) in place: "unchanged" when
    it is the record already there, else "reread"."""
    record = storable_record(record)  # as store_item keeps it: numbers the database cannot hold → null
    with store.engine.connect() as conn:
        conn.execution_options(gxnb_write=True)  # SQLite: BEGIN IMMEDIATE
        with conn.begin():
            old = conn.execute(select(Revision.record, Revision.source, Revision.report_id)
                               .where(Revision.id == revision_id).with_for_update()).first()
            if old is None:
                raise LookupError(f"no revision {revision_id} in the store")
            if old.record == record and old.source == source:
                return "unchanged"
            conn.execute(update(Revision).where(Revision.id == revision_id).values(
                record=record, source=source, template=record.get("template"), status=record.get("status")))
            conn.execute(delete(stm.cells).where(stm.cells.c.revision_id == revision_id))
            conn.execute(delete(stm.findings).where(stm.findings.c.revision_id == revision_id))
            cells = {(t, r, c): numeric(v) for t, r, c, v in flatten(record)}
            store._sql.add_rows(conn, stm.cells, [(revision_id, t, r, c, v) for (t, r, c), v in cells.items()])
            store._sql.add_rows(conn, stm.findings, [
                (revision_id, i, f.get("rule"), f.get("severity"), f.get("table"), f.get("row"),
                 f.get("column"), numeric(f.get("expected")), numeric(f.get("actual")), f.get("message"))
                for i, f in enumerate(record.get("findings") or []) if isinstance(f, dict)])
            conn.execute(update(Report).where(Report.id == old.report_id,
                                              Report.current_revision_id == revision_id)
                         .values(template=record.get("template"), status=record.get("status")))
    return "reread"
