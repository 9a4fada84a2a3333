"""Read what a crawl stored, for the reliability tests: per report URL, how many report
rows and how many revisions. Reads the store's tables directly (by reflection), so a
duplicate row would show even where the Store API hides it."""
from __future__ import annotations

from collections import Counter

import sqlalchemy as sa


def _tables(db_url: str):
    eng = sa.create_engine(db_url)
    md = sa.MetaData()
    try:
        md.reflect(eng)
    except Exception:
        eng.dispose()
        raise
    return eng, md.tables


def _report_table(tables):
    for name, t in tables.items():
        if "report" in name and "url" in t.c and "revision" not in name:
            return t
    return None


def report_counts(db_url: str) -> Counter:
    """``{report url: number of report rows}``; empty while the schema is not there yet."""
    try:
        eng, tables = _tables(db_url)
    except Exception:
        return Counter()
    try:
        t = _report_table(tables)
        if t is None:
            return Counter()
        with eng.connect() as c:
            return Counter(dict(c.execute(sa.select(t.c.url, sa.func.count()).group_by(t.c.url)).all()))
    finally:
        eng.dispose()


def revision_counts(db_url: str) -> Counter:
    """``{report url: number of revisions stored}``."""
    eng, tables = _tables(db_url)
    try:
        reports = _report_table(tables)
        revs = next(t for n, t in tables.items() if "revision" in n)
        fk = next(fk for fk in revs.foreign_keys if fk.column.table is reports)
        q = (sa.select(reports.c.url, sa.func.count())
             .select_from(revs.join(reports, fk.parent == fk.column)).group_by(reports.c.url))
        with eng.connect() as c:
            return Counter(dict(c.execute(q).all()))
    finally:
        eng.dispose()
