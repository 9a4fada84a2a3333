"""One report, finished in one place: which facts win, and the one validation.

A report says who it is twice: once as the portal files it (the spider's item: title,
year, ``body_name`` and ``body_code``, the metadata block's dates) and once in the
document's own words (the record the readers made: ``title``, ``year``, ``agency``).
The rule, here and nowhere else:

    **The portal's word wins where the portal said it; the document's own words fill
    what the portal left blank.**

- ``year``: the item's year (the list, the URL or the portal's title gave it), else the
  document's.
- ``title``: the item's title, else the document's. A portal title cut short (ending
  in ``…`` or ``...``, as list pages elide long link texts) is not the title: the
  document's wins over it when the document has one.
- ``agency`` (the body's name): the item's ``body_name``, else the document's, else the
  page's metadata block's 发布机构 where it reads as a body's name (not 管理员, 本网);
  each in the one written form of a body's name (``bodymeta.body_name``: simplified
  characters, no spaces, full-width brackets), so that a 繁體 portal's bodies are the
  same bodies as their 简体 pages'. The body's key in the store is its ``body_code``
  where the portal has one, else that name.
- dates (written, published, listed): the portal's only (the record holds none).

Why the portal: its facts are fields the portal files the report under (its list of
bodies and their codes, the year of a column or a URL's ``fbtime``), the same every
year, so a body's reports join up year after year (the cross-year rules, the history,
the site); the document's are read from free text by heuristics (the first lines, a
signature, a ``<title>``) and worded differently from one year to the next.

The winners are written into the record (``finish``) and read from there for the
revision row and the body identity (``facts``), so all three always agree.

``finish(item, record, previous)`` is the one call that turns a reading (pipelines.workers,
unvalidated) into the report's record: the facts above, numbers the database cannot hold
made blank with a finding (``store.values``: the rules then see the record as it is
kept), then ``validate`` with last year's record of the same body for the cross-year
rules. It runs once per report, where last year's record is known: the crawl's
StorePipeline (or ExtractPipeline in a crawl that stores nothing), the re-read of the
archive (``pipelines/reread.py``), and ``scrapy extract`` (``--previous``).
"""
from __future__ import annotations

from typing import NamedTuple

from pipelines.extract.bodymeta import body_name, is_body
from pipelines.record import Record
from pipelines.validate import validate

_CUT_SHORT = ("…", "...")


class Facts(NamedTuple):
    """Who the report is, by the rule above."""
    year: int | None
    title: str | None
    agency: str | None     # the reporting body's name
    body_key: str | None   # the body's key in the store: its code, else its name
    body_code: str | None


def facts(item: dict, record: Record | None) -> Facts:
    """The winners of the portal's (``item``) and the document's (``record``) facts."""
    record = record or {}
    year = item.get("year") or record.get("year")
    title = _title(item.get("title"), record.get("title"))
    agency = body_name(item.get("body_name")) or body_name(record.get("agency")) \
        or _publisher(item.get("metadata"))
    code = item.get("body_code")
    key = code or agency
    return Facts(year, title, agency, str(key) if key else None, str(code) if code else None)


def _publisher(metadata: dict | None) -> str | None:
    """The 发布机构 of the page's metadata block, when it names a body."""
    name = body_name((metadata or {}).get("publisher"))
    return name if name and is_body(name) else None


def _title(portal: str | None, document: str | None) -> str | None:
    if portal and portal.rstrip().endswith(_CUT_SHORT) and document:
        return document
    return portal or document


def finish(item: dict, record: Record, previous: Record | None = None) -> Record:
    """The report's record from its reading: facts, storable numbers, validation (once)."""
    from pipelines.store.values import storable_record  # the store package imports this module

    who = facts(item, record)
    record = dict(record, year=who.year, title=who.title, agency=who.agency)
    return validate(storable_record(record), previous)
