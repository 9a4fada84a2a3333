"""Reading the store as it was at a moment: the ``events`` table says, per report, which
revision was current and whether the portal listed it, from when.

A snapshot entry (one per report that existed then)::

    {portal, portal_url, body_name, body_code, year, url, title, index_no, doc_no,
     written_date, published_date, listed_date, metadata, template, status, listed, gone_at,
     revision_id, content_hash, source, stored_at, record, first_seen}

``listed`` is False when the report was gone from its portal's list at that time
(``gone_at``: since when, ISO UTC, else None);
``first_seen`` is when it was first stored (ISO, UTC).
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.engine import Connection

from .models import Body, Event, Portal, Report, Revision, Run, utcnow

CHUNK = 500


def resolve_time(conn: Connection, at) -> datetime | None:
    """``at`` as naive UTC: a run id → the end of that run (now while it runs); a naive
    datetime or a date is local time; None stays None (now)."""
    if at is None:
        return None
    if isinstance(at, bool):
        raise TypeError("a snapshot is taken at a run id, a datetime or None")
    if isinstance(at, int):
        run = conn.execute(select(Run.finished_at, Run.id).where(Run.id == at)).first()
        if run is None:
            raise ValueError(f"no run {at} in the store")
        return run.finished_at or utcnow()
    if isinstance(at, date) and not isinstance(at, datetime):
        at = datetime.combine(at, time.min)
    if isinstance(at, datetime):
        return at.astimezone(timezone.utc).replace(tzinfo=None)  # naive: taken as local time
    raise TypeError(f"a snapshot is taken at a run id, a datetime or None, not {at!r}")


def _state_at(conn: Connection, at: datetime | None) -> dict[int, dict]:
    """``{report_id: {"revision_id", "listed"}}`` for reports with a revision by ``at``."""
    q = select(Event.report_id, Event.kind, Event.revision_id, Event.at).order_by(Event.at, Event.id)
    if at is not None:
        q = q.where(Event.at <= at)
    state: dict[int, dict] = {}
    for report_id, kind, revision_id, when in conn.execute(q):
        s = state.setdefault(report_id, {"revision_id": None, "listed": True, "gone_at": None})
        if kind == "revision":
            s["revision_id"] = revision_id
        else:
            s["listed"] = kind == "listed"
            s["gone_at"] = None if s["listed"] else when
    return {rid: s for rid, s in state.items() if s["revision_id"] is not None}


def _iso(dt: datetime | None) -> str | None:
    return dt.replace(tzinfo=timezone.utc).isoformat() if dt else None


def _entries(conn: Connection, state: dict[int, dict]) -> Iterator[dict]:
    """Snapshot entries for ``{report_id: {revision_id, listed}}``, by portal and URL."""
    portals = {p.id: p for p in conn.execute(select(Portal))}
    bodies = {b.id: b for b in conn.execute(select(Body))}
    reports = {r.id: r for r in conn.execute(
        select(Report.id, Report.url, Report.portal_id, Report.created_at))}
    order = sorted(state, key=lambda rid: (portals[reports[rid].portal_id].name, reports[rid].url))
    for start in range(0, len(order), CHUNK):
        chunk = order[start:start + CHUNK]
        revs = {r.id: r for r in conn.execute(
            select(Revision).where(Revision.id.in_([state[rid]["revision_id"] for rid in chunk])))}
        for rid in chunk:
            rep, rev = reports[rid], revs[state[rid]["revision_id"]]
            portal, body = portals[rep.portal_id], bodies.get(rev.body_id)
            meta = rev._mapping["metadata"] or {}
            yield {
                "portal": portal.name, "portal_url": portal.base_url, "platform": portal.platform,
                "body_name": body.name if body else None, "body_code": body.code if body else None,
                "year": rev.year, "url": rep.url, "title": rev.title,
                "index_no": meta.get("index_no"), "doc_no": meta.get("doc_no"),
                "written_date": meta.get("written_date"), "published_date": meta.get("published_date"),
                "listed_date": rev.listed_date, "metadata": meta,
                "template": rev.template, "status": rev.status, "listed": state[rid]["listed"],
                "gone_at": _iso(state[rid]["gone_at"]),
                "revision_id": rev.id, "content_hash": rev.content_hash, "source": rev.source,
                "stored_at": _iso(rev.created_at), "first_seen": _iso(rep.created_at),
                "record": rev.record,
            }


def snapshot(conn: Connection, at: datetime | None) -> list[dict]:
    return list(_entries(conn, _state_at(conn, at)))


def current_reports(conn: Connection) -> Iterator[dict]:
    """Every report's current revision (the same entries as a snapshot now, streamed)."""
    state = {r.id: {"revision_id": r.current_revision_id, "listed": r.gone_at is None, "gone_at": r.gone_at}
             for r in conn.execute(select(Report.id, Report.current_revision_id, Report.gone_at)
                                   .where(Report.current_revision_id.is_not(None)))}
    yield from _entries(conn, state)
