"""Table 三's rows of one page, where a page holds nothing but whole rows of it.

pdfminer prints a LibreOffice export of an office-typed report box by box, one cell a box,
in an order of its own making: a page of rows whose labels sit in a column of their own it
often prints column by column (each column's cells top to bottom), its last row or rows
across; its row labels cut into pieces (1.本机 / 关不掌 / 握相关 …) printed apart from the
numbers, before or after them. The order of the columns is pdfminer's, not the table's
(a Chromium print's 自然人 column comes after 其他's), and the sums cannot tell it: the six
applicant columns add up to the total in any order.

So a page is read only where everything about it says the same:
- its rows are those whose labels start on it (the page of a label's numbering: a label cut
  by a page break, 3.危及“三安 / 全一稳定”, is its first page's row, where its numbers are),
  k consecutive rows of the template, the row after them named on a later page, and the
  page's numbers in table 三's area are exactly 7k;
- it is read as its first r rows column by column and the others row by row, for every r,
  each column order alike; a layout in which every row adds up says what no column order
  changes: each row's total (the largest of its numbers), and the cells of a row whose
  applicant numbers are all one value (0 0 0 0 0 0 0). A cell is read when every layout that
  adds up says it, with the same value; a row such as 6 0 0 0 0 0 6 gives its total only.

A single blank, stray, changed or swapped number breaks the count or a row's sum, so such a
page is left blank. The rows' totals are the arithmetic that confirms the cells, as for
column_runs' first band: the whole table's sums cannot, its other pages being in no order
that can be read. Where a row's total equals one of its numbers (6 0 0 0 0 0 6), the place
its provenance names is the layout's, which may be that number's.
"""
from __future__ import annotations

import re

from . import templates as T

# the numbering that opens each of table 三's row labels (一、 （一） 1.): a label cut by a
# page break names its row on the page of its numbering, where the row's numbers are
_NUMBERING = re.compile(r"\d+[.．、]|[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、")
# ... and not a group's, whose label stands beside its rows' (（四）无法提供 by 2.没有现成信息)
_GROUP_NUMBERING = re.compile(r"[（(][一二三四五六七八九十]+[)）](?=不予公开|无法提供|不予处理|其他处理)|"
                              r"[一二三四五六七八九十]+、(?=本年度办理结果)")
LABEL_REACH = 24   # characters from a label's numbering to the words that name its row, at most


def _rows_by_page(texts: list, template: str) -> dict:
    """{page: the rows whose labels start there, in order}: each row's label found in the
    area's texts joined across pages (a label cut by a page break: 3.危及“三安 / 全一稳定”),
    placed on the page of the numbering before it. A label with no numbering near is on no
    page."""
    chars, pages = [], []
    for page, text in texts:
        t = text.replace(" ", "").replace("\f", "")
        chars.append(t)
        pages += [page] * len(t)
    joined = "".join(chars)
    groups = {m.start() for m in _GROUP_NUMBERING.finditer(joined)}
    starts = [m.start() for m in _NUMBERING.finditer(joined) if m.start() not in groups]
    keys = T.rows_for(template)
    found = []
    for key, rx in T.APPLICATION_ROW_LABELS:
        if key in keys:
            for m in rx.finditer(joined):
                at = max((s for s in starts if m.start() - LABEL_REACH <= s <= m.start()), default=None)
                if at is not None:
                    found.append((m.start(), pages[at], key))
    out: dict = {}
    for _at, page, key in sorted(found):
        named = out.setdefault(page, [])
        if not named or named[-1] != key:   # one label may name its row twice (确认或重新出具)
            named.append(key)
    return out


def _layouts(k: int, n_cols: int):
    """The places in the print of a page's k rows' cells (row by row, each column by
    column), for each way pdfminer prints such a page: its first r rows column by column,
    then the others row by row (r = k: all column by column; r = 1: all row by row)."""
    seen = set()
    for r in range(k, 0, -1):
        places = tuple(c * r + i if i < r else r * n_cols + (i - r) * n_cols + c
                       for i in range(k) for c in range(n_cols))
        if places not in seen:
            seen.add(places)
            yield places


def _proven(values: list, k: int, n_cols: int, lines: list) -> dict:
    """{(row, column): (value, place)} of the cells the sums prove, whatever layout above
    (each its columns in any order) pdfminer printed: in every layout in which every row
    adds up and numbers printed on one line stand in one row, the cell is proven and has
    the same value. The sums say which number is a row's total (the largest: the others are
    counts that add up to it), not which applicant column each other number is (they add up
    in any order: pdfminer may print 自然人's column after 其他's), so an applicant cell is
    proven only where its row's applicant numbers are all one value (0 0 0 0 0 0 0)."""
    out: dict | None = None
    for places in _layouts(k, n_cols):
        rows = [[values[places[i * n_cols + c]] for c in range(n_cols)] for i in range(k)]
        if any(sum(row[:-1]) != row[-1] for row in rows):
            continue
        row_of = {places[x]: x // n_cols for x in range(len(places))}
        on_line: dict = {}
        if any(on_line.setdefault(line, row_of[p]) != row_of[p] for p, line in enumerate(lines) if line is not None):
            continue
        proven = {}
        for i, row in enumerate(rows):
            proven[i, n_cols - 1] = (row[-1], places[i * n_cols + n_cols - 1])
            if len(set(row[:-1])) == 1:
                proven.update(((i, c), (row[c], places[i * n_cols + c])) for c in range(n_cols - 1))
        # another layout's reading proves a cell only where it gives it the same value
        out = proven if out is None else {at: v for at, v in out.items() if at in proven and proven[at][0] == v[0]}
    return out or {}


def page_rows(runs, template: str, start: int, end: int, page_of):
    """[(rows {key: {column: value}}, {path: cell})] of each page of table 三's area
    (runs[start:end]) read as above. ``page_of``: a cell's Source → its page."""
    from .runs import _all_numbers, _line_of

    cols = T.APPLICANT_COLUMNS
    keys = T.rows_for(template)
    numbers: dict = {}   # page → its numeric cells in table 三's area, in printed order
    texts = []           # (page, text) of the area's text cells, in printed order
    for cells, before in runs[start:end]:
        texts += [(page_of(t.src), t.text) for t in before]
        for c in cells:
            numbers.setdefault(page_of(c.src), []).append(c)
    named_on = _rows_by_page(texts, template)
    found = []
    for page, cells in numbers.items():
        named = named_on.get(page, [])
        k = len(named)
        if page is None or k < 2 or len(set(named)) != k or len(cells) != k * len(cols):
            continue
        r0 = keys.index(named[0])
        if tuple(named) != keys[r0:r0 + k]:
            continue
        # the row after the page's: named on a later page. A row cut by the page break may
        # have its label's tail named here and its numbers on the page before; with a row of
        # no label the sums know (3.其他, 总计) ending the page, the count would still hold
        if r0 + k < len(keys) and not any(keys[r0 + k] in ks for p, ks in named_on.items()
                                          if p is not None and p > page):
            continue
        values = _all_numbers(cells)
        if values is None:
            continue
        proven = _proven(values, k, len(cols), [_line_of(c) for c in cells])
        if not proven:
            continue
        rows, where = {}, {}
        for (i, c), (value, place) in sorted(proven.items()):
            key = keys[r0 + i]
            rows.setdefault(key, {col: None for col in cols})[cols[c]] = value
            where[f"applications.{key}.{cols[c]}"] = cells[place]
        found.append((rows, where))
    return found
