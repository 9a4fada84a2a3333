"""Table 三's 总计 and 结转 rows from the two-number boxes pdfminer prints them in.

pdfminer's text prints each box of a page as its lines one after another, and an empty line
between two boxes. On a Writer export's last page of table 三, the cells of （七）总计 and
四、结转下年度继续办理 are short and one above the other: pdfminer joins each column's two
into one box (58 / 0), and flows those boxes together with the rows above them and with
table 四's headers and numbers, in an order of its own making (head_rows.py: no reading of
the whole table follows it).

A box of two lines, one count on each, is then a column's two neighbouring cells, and the
template's balance says which: in each column, 总计 + 结转 = 本年新收 + 上年结转, both read
before. The 总计 and 结转 rows stand where seven such boxes, in the order printed (a row's
cells are printed left to right), give each column its balance, each row's six applicant
cells add up to its 总计 cell, and each 总计 cell is at least what the outcome rows already
read put in its column (equal to it where that column's outcome cells are all read). A
column is read only where every choice of seven boxes that holds takes the same box for it.

A blank number leaves a box of one line, a stray one a box of three numbers, a changed one
breaks its column's balance, and one swapped within its box (0 / 58) breaks the row's sum.

Only the boxes on the page that prints the label of 总计 or 结转 (（七）总计, 四、结转下年度继续办理)
are weighed: a row's cells are printed on its label's page. Elsewhere two zero cells of
rows above, one over the other, make a box of zeros too, and zeros hold every sum: a
mostly-zero report's earlier pages hold six such boxes, and a zero taken out of a box of
three on the last page (其他 / 总计 / 结转 of a column) made the seventh, read as a column's
总计 and 结转 from the places of other rows' cells.
"""
from __future__ import annotations

import itertools

from . import templates as T
from .blocks import Line, line_span, page_finder
from .page_parts import row_marks, row_numbering
from .runs import _all_numbers

MAX_BOXES = 24    # two-number boxes past which the choices are too many to weigh: not read


def _occupied(doc) -> set[int]:
    """The text lines that print something: an empty line parts two of pdfminer's boxes."""
    out = set()
    for b in doc.blocks:
        span = line_span(b.source) if isinstance(b, Line) else None
        if span:
            out.update(range(span[0], span[1] + 1))
    return out


def _boxes(cells: list, occupied: set[int]) -> list[tuple]:
    """(upper cell, lower cell) of each box that prints two counts, one a line, and nothing else."""
    by_line: dict = {}
    for c in cells:
        span = line_span(c.src)
        if span and span[0] == span[1]:
            by_line.setdefault(span[0], []).append(c)
    out = []
    for n in sorted(by_line):
        if n + 1 in by_line and n - 1 not in occupied and n + 2 not in occupied \
                and len(by_line[n]) == 1 and len(by_line[n + 1]) == 1:
            pair = (by_line[n][0], by_line[n + 1][0])
            if _all_numbers(pair) is not None:
                out.append(pair)
    return out


def _label_pages(runs, template: str, page_of) -> set:
    """The pages whose texts (in ``runs``) print the label of 总计's or 结转's row."""
    numbering = row_numbering(template)
    marks = {numbering["total"], numbering["carried_forward"]}
    return {page_of(t.src) for _cells, texts in runs for t in texts if marks & set(row_marks([t], template))}


def total_rows(doc, runs, template: str, start: int, known: dict | None):
    """(rows {total: …, carried_forward: …}, {path: cell}) read as above from the numbers
    after table 三's heading (runs[start:]), or None."""
    keys = T.rows_for(template)
    cols = T.APPLICANT_COLUMNS
    known = known or {}
    if tuple(keys[-2:]) != ("total", "carried_forward"):
        return None
    new, over = known.get("new_received") or {}, known.get("carried_over") or {}
    if any(new.get(c) is None or over.get(c) is None for c in cols):
        return None
    balance = [new[c] + over[c] for c in cols]
    outcomes = [known.get(r) or {} for r in T.outcomes_for(template)]
    floor = [sum(row.get(c) or 0 for row in outcomes) for c in cols]
    whole = [all(row.get(c) is not None for row in outcomes) for c in cols]
    page_of = page_finder(doc)
    pages = _label_pages(runs[start:], template, page_of) - {None}
    boxes = [b for b in _boxes([c for cells, _texts in runs[start:] for c in cells], _occupied(doc))
             if page_of(b[0].src) in pages]
    if len(boxes) < len(cols) or len(boxes) > MAX_BOXES:
        return None
    values = [_all_numbers(b) for b in boxes]
    fits = [[c for c in range(len(cols)) if sum(v) == balance[c] and v[0] >= floor[c]
             and (v[0] == floor[c] or not whole[c])] for v in values]
    chosen = None      # column → the box every choice takes for it (None: choices differ)
    for choice in itertools.combinations(range(len(boxes)), len(cols)):
        if any(c not in fits[b] for c, b in enumerate(choice)):
            continue
        total = [values[b][0] for b in choice]
        forward = [values[b][1] for b in choice]
        if sum(total[:-1]) != total[-1] or sum(forward[:-1]) != forward[-1]:
            continue
        chosen = list(choice) if chosen is None else [b if b == was else None for b, was in zip(choice, chosen)]
    if chosen is None or all(b is None for b in chosen):
        return None
    rows = {"total": dict.fromkeys(cols), "carried_forward": dict.fromkeys(cols)}
    where = {}
    for c, b in enumerate(chosen):
        if b is None:
            continue
        for i, row in enumerate(("total", "carried_forward")):
            rows[row][cols[c]] = values[b][i]
            where[f"applications.{row}.{cols[c]}"] = boxes[b][i]
    return rows, where
