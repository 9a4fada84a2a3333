"""The database schema (SQLAlchemy 2 declarative models). Alembic migrations in
``migrations/versions`` create exactly this; ``tests/test_store.py`` checks they agree.

Nothing is ever updated away: a report's content that changes becomes a new revision,
the current revision and the report's listing state change only by appending ``events``,
so the database can be read as it was at any past moment (``snapshot.py``).

Timestamps are naive UTC (``utcnow()``), the same on SQLite and PostgreSQL. Text is
``Text``, never ``String(n)``: a portal decides how long its host name, charset label or
any other text is (a length limit made PostgreSQL refuse a 101-character host name). Only
SHA-256 hex digests, which are ours, have a length.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (JSON, BigInteger, DateTime, Float, ForeignKey, Index, Integer,
                        String, Text, UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only auto-increments INTEGER PRIMARY KEY; BIGINT on PostgreSQL
BigId = BigInteger().with_variant(Integer, "sqlite")


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Portal(Base):
    __tablename__ = "portals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)        # the spider's name
    base_url: Mapped[str | None] = mapped_column(Text)
    platform: Mapped[str | None] = mapped_column(Text)


class Body(Base):
    """A reporting body of a portal; ``key`` (its code where the portal has one, else
    its name) is what identifies it."""
    __tablename__ = "bodies"
    __table_args__ = (UniqueConstraint("portal_id", "key", name="uq_bodies_portal_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    portal_id: Mapped[int] = mapped_column(ForeignKey("portals.id"))
    key: Mapped[str] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(Text)
    code: Mapped[str | None] = mapped_column(Text)


class Run(Base):
    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    spider: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    finish_reason: Mapped[str | None] = mapped_column(Text)
    requests: Mapped[int | None] = mapped_column(Integer)
    items: Mapped[int | None] = mapped_column(Integer)
    new: Mapped[int | None] = mapped_column(Integer)
    revised: Mapped[int | None] = mapped_column(Integer)
    unchanged: Mapped[int | None] = mapped_column(Integer)
    errors: Mapped[int | None] = mapped_column(Integer)
    browser_timeouts: Mapped[int | None] = mapped_column(Integer)  # pages the browser gave up on


class Report(Base):
    """One row per report URL. The metadata columns repeat the current revision's, for
    easy SQL; the history is in ``revisions`` and ``events``."""
    __tablename__ = "reports"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    portal_id: Mapped[int] = mapped_column(ForeignKey("portals.id"), index=True)
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"), index=True)
    year: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    index_no: Mapped[str | None] = mapped_column(Text)        # 索引号
    doc_no: Mapped[str | None] = mapped_column(Text)          # 文号
    written_date: Mapped[str | None] = mapped_column(Text)    # 成文日期, as the page says it
    published_date: Mapped[str | None] = mapped_column(Text)  # 发布日期
    listed_date: Mapped[str | None] = mapped_column(Text)     # the date beside the link on the list
    template: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(Text)
    current_revision_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    first_seen_run: Mapped[int | None] = mapped_column(Integer)
    last_seen_run: Mapped[int | None] = mapped_column(Integer)
    gone_at: Mapped[datetime | None] = mapped_column(DateTime)  # null while the portal lists it


class Revision(Base):
    """One content version of a report: a new row only when the content hash changes."""
    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("report_id", "content_hash", name="uq_revisions_report_hash"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    run_id: Mapped[int | None] = mapped_column(Integer)
    body_id: Mapped[int | None] = mapped_column(Integer)
    year: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    metadata_: Mapped[dict | None] = mapped_column("metadata", JSON)  # the page's metadata block
    listed_date: Mapped[str | None] = mapped_column(Text)
    template: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)        # "html" or the attachment URL read
    record: Mapped[dict] = mapped_column(JSON)              # the canonical record


class Event(Base):
    """What happened to a report when: ``revision`` (its current revision became
    ``revision_id``), ``gone`` (no longer listed) or ``listed`` (listed again)."""
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_report_at", "report_id", "at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    at: Mapped[datetime] = mapped_column(DateTime)
    run_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(Text)
    revision_id: Mapped[int | None] = mapped_column(BigInteger)


class Cell(Base):
    """One statistical cell of a revision's record, for SQL over the numbers. ``row_name``
    is the row key (``extra.<label>`` for rows a province adds); ``value`` null = blank."""
    __tablename__ = "cells"
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"), primary_key=True)
    table_name: Mapped[str] = mapped_column(Text, primary_key=True)
    row_name: Mapped[str] = mapped_column(Text, primary_key=True)
    column_name: Mapped[str] = mapped_column(Text, primary_key=True)
    value: Mapped[float | None] = mapped_column(Float)


class Finding(Base):
    __tablename__ = "findings"
    __table_args__ = (UniqueConstraint("revision_id", "position", name="uq_findings_revision_position"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    position: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[str | None] = mapped_column(Text)
    table_name: Mapped[str | None] = mapped_column(Text)
    row_name: Mapped[str | None] = mapped_column(Text)
    column_name: Mapped[str | None] = mapped_column(Text)
    expected: Mapped[float | None] = mapped_column(Float)
    actual: Mapped[float | None] = mapped_column(Float)
    message: Mapped[str | None] = mapped_column(Text)


class RawFile(Base):
    """A file in the raw archive (``<raw>/<aa>/<sha256>``), stored once whoever fetched it."""
    __tablename__ = "raw_files"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class FetchedFile(Base):
    """What a revision was made from: its page (``role`` "body") and each attachment, with
    the URL, name and content type as the web gave them (never used as a path)."""
    __tablename__ = "fetched_files"
    __table_args__ = (UniqueConstraint("revision_id", "position", name="uq_fetched_files_revision_position"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    position: Mapped[int] = mapped_column(Integer)            # 0: the body, then attachments in order
    role: Mapped[str] = mapped_column(Text)             # "body" | "attachment"
    sha256: Mapped[str | None] = mapped_column(ForeignKey("raw_files.sha256"))  # null: not fetched
    url: Mapped[str | None] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(Text)
    content_type: Mapped[str | None] = mapped_column(Text)
    encoding: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
