"""Rows of table 三 whose label a narrow cell wrapped onto two lines, read after the rest.

A browser's print of a report with wide numbers narrows table 三's label column, and a text
tool then prints a row's label as two lines (一、本年新收政府信息 / 公开申请数量) with the row's
seven numbers after it, each on its own line. The mapper names a row by the last label
before its numbers (申请数量: no row), so such a row is lost when the table is not read by
position either (pdfminer prints the other rows in pieces of columns).

Such a row is read here, last, and only into cells nothing else read: the two lines must
follow each other in the text (pdfminer parts cells by a blank line), the first name a row
of table 三, the second nothing of the template, and the seven numbers after them add up
as a row (the six applicant columns to its total) with a total other than 0 — a row of
zeros adds up whatever it is, and pdfminer prints pieces of columns after labels too
(0 0 0 10 0 0 0 after 1.信访举 / 报投诉类 / 申请). It is read after the reading by position so
that it never narrows that reading's choice (a row the labels read is a cell every
reading of the table must agree with).
"""
from __future__ import annotations

from . import templates as T
from .blocks import Line, line_span
from .numbers import NUMBER
from .positions import _provenance
from .runs import number_runs


def _names_something(text: str) -> bool:
    """A label of the template (a row, group, section, header) or a numbered item's start."""
    bare = T.strip_numbering(text)
    return bool(T.first_match(T.APPLICATION_ROW_LABELS, text) or T.TOTAL_RE.match(bare)
                or T.OTHER_MISC_RE.match(bare) or T.group_of(text) or T.group_prefix(text)
                or T.section_of(text) or T.is_header(text) or T.first_match(T.REVIEW_GROUP_LABELS, text)
                or T.first_match(T.ACTIVE_ROW_LABELS, text) or bare != text)


def _wrapped_row(texts) -> str | None:
    """The row of table 三 the last two texts name as one wrapped label, or None."""
    if len(texts) < 2:
        return None
    head, tail = texts[-2], texts[-1]
    key = T.first_match(T.APPLICATION_ROW_LABELS, head.text)
    at, nxt = line_span(head.src), line_span(tail.src)
    if key is None or at is None or nxt is None or nxt[0] != at[1] + 1 or _names_something(tail.text):
        return None
    return key if T.first_match(T.APPLICATION_ROW_LABELS, head.text + tail.text) == key else None


def _row_values(cells) -> list[int] | None:
    """Seven plain counts whose six applicant columns add up to a total other than 0, or None."""
    if len(cells) != len(T.APPLICANT_COLUMNS) or any(
            c.kind != NUMBER or c.value is None or c.multiplier not in (None, 1) for c in cells):
        return None
    values = [c.value for c in cells]
    if any(isinstance(v, float) and not v.is_integer() for v in values):
        return None
    *parts, total = [int(v) for v in values]
    return [*parts, total] if total != 0 and sum(parts) == total else None


def _read_by_lines(doc) -> bool:
    """Whether any text of the document was read from numbered lines: only there can a
    label's two lines be told (blocks.line_span); a page's or a file's own table cells have none."""
    return any(src is not None and src.locator.startswith("lines ")
               for b in doc.blocks
               for src in ((b.source,) if isinstance(b, Line) else b.sources.values()))


def fill_wrapped_rows(doc, template: str, applications: dict | None, provenance: dict,
                      findings: list) -> dict | None:
    """Fill the blank cells of table 三's rows read by a wrapped label (above)."""
    if not _read_by_lines(doc):
        return applications
    rows = T.rows_for(template)
    section = None
    found: dict = {}
    for cells, texts in number_runs(doc):
        for t in texts:
            opens = T.section_of(t.text)
            if opens:
                section = opens[1]
        key = _wrapped_row(texts) if section == "applications" else None
        values = _row_values(cells) if key in rows else None
        if values is not None:
            # a row printed twice is no row this can tell
            found[key] = None if key in found else (values, cells)
    for key, got in found.items():
        if got is None:
            continue
        values, cells = got
        have = (applications or {}).get(key) or {}
        if any(have.get(c) is not None and have.get(c) != v for c, v in zip(T.APPLICANT_COLUMNS, values)):
            continue    # the labels or the positions read it otherwise: their findings stand
        applications = applications if applications is not None else {}
        row = applications.setdefault(key, dict.fromkeys(T.APPLICANT_COLUMNS))
        filled = set()
        for c, v, cell in zip(T.APPLICANT_COLUMNS, values, cells):
            if row.get(c) is None:
                row[c] = v
                provenance[f"applications.{key}.{c}"] = _provenance(cell)
                filled.add(c)
        # the cells' findings that said why they were blank no longer hold
        whole = all(row.get(c) is not None for c in T.APPLICANT_COLUMNS)
        findings[:] = [f for f in findings if not (
            f.get("table") == "applications" and f.get("row") == key
            and (f.get("column") in filled or whole and f.get("rule") == "unmapped_row"))]
    return applications
