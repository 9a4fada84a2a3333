"""Table 三's first row (本年新收) from the numbers pdfminer prints right after each column's header.

pdfminer prints a Writer export of an office-typed report box by box, in an order of its own
making (page_parts.py, head_rows.py: no reading of the whole table follows it). On the first
page of table 三 some boxes keep their place whatever the numbers: the first row's cell of a
column is the first number printed after that column's header, or after the row labels:
- 自然人: the two numbers right after the labels of the first two rows (一、本年新收… 二、上年结转…,
  perhaps with the headers 申请人情况 / 自然人 after them): 本年新收's, then 上年结转's;
- 商业企业 and 科研机构: the two numbers right after their headers' pieces (科研机 商业企 构 业),
  the two columns' first cells in an order pdfminer does not show;
- 社会公益组织: the one number right after its header; 法律服务机构: the first after its header;
- 其他 and 总计: their columns, each the page's k rows top to bottom, printed one after the
  other, 其他's before 总计's, their headers before them (其他 k numbers 总计 k numbers, or
  其他 总计 2k numbers).

The row is read only where each of these is printed once on that page, just so, and the row
adds up (its six applicant cells to its total). 商业企业's and 科研机构's cells are read only
where the two numbers are alike (0 0): which is which the print does not say. A print with two
neighbouring numbers swapped may add up too (social 1 | legal 0 for 0 | 1): a cell stands only
where every print one swap away that adds up gives it the same number (swaps.swapped_prints).
A blank or stray number breaks a count or the row's sum; a changed one, the sum.

The rest of that page (first_page_rest): after 法律服务机构's first cell pdfminer prints the four
organisation columns' other cells on the page as one run, 4(k-1) numbers, in an order it does not
show. Where that run and 其他's column are all 0, every order gives each of those cells 0; the
first row adds up, and every row below it then adds up only where its 自然人 cell is its total, so
the page's numbers the runs leave (自然人's) must be those totals, as many of each value. 自然人
and 总计 below the first row are read only where those totals are all one value (which row holds
which the print does not show). A number blanked, added or changed breaks a count, a run of 0s or
the totals' match; one swapped into a run from outside breaks its 0s.
"""
from __future__ import annotations

import re

from . import templates as T
from .column_runs import joined
from .runs import _after_another_tables_label, _all_numbers, numbers_around, one_of
from .swaps import swapped_prints

ROW = "new_received"
# the texts right before a column's first number, as printed (spaces and page feeds left out)
_NATURAL = re.compile(r"上年结转政府信息公开申请数量(?:申请人情况)?(?:自然人)?$")
_PAIR = re.compile(r"科研机商业企构业$")          # 科研机构 and 商业企业, each set on two lines
_SOCIAL = re.compile(r"社会公益组织$")
_LEGAL = re.compile(r"法律服务机构$")


def _ends_with_cells(texts, words: tuple) -> bool:
    """The last text cells are exactly ``words`` (其他 / 总 / 计 as pdfminer prints the headers)."""
    last = [t.text.replace(" ", "").replace("\f", "") for t in texts[-len(words):]]
    return len(texts) >= len(words) and tuple(last) == words


def _anchors(runs, start: int, end: int, page_of) -> dict | None:
    """{part: (first flat index, count)} of the runs on table 三's first page that hold the
    first row's cells, each part found once: natural (2), pair (2), social (1), legal (its
    first), other and total (k each, the page's rows); None where any is missing or found
    twice, or the page prints other than its k rows' 7k numbers (a number blanked or added
    there would move 法律服务机构's first along its run)."""
    found: dict = {"page": []}
    flat = 0
    first_page = None
    for j in range(start, end):
        cells, texts = runs[j]
        if cells and first_page is None and not _after_another_tables_label(texts):
            first_page = page_of(cells[0].src)     # (table 二's last numbers, each after its label, are not)
        if cells and first_page is not None and page_of(cells[0].src) == first_page:
            found["page"] += range(flat, flat + len(cells))
            before = joined(texts)
            parts = []
            if _NATURAL.search(before) and len(cells) == 2:
                parts.append(("natural", (flat, 1)))
            if _PAIR.search(before) and len(cells) == 2:
                parts.append(("pair", (flat, 2)))
            if _SOCIAL.search(before) and len(cells) == 1:
                parts.append(("social", (flat, 1)))
            if _LEGAL.search(before):
                parts += [("legal", (flat, 1)), ("rest", (flat + 1, len(cells) - 1))]
            if _ends_with_cells(texts, ("其他", "总", "计")) and len(cells) % 2 == 0 and len(cells) >= 4:
                k = len(cells) // 2
                parts += [("other", (flat, k)), ("total", (flat + k, k))]
            elif _ends_with_cells(texts, ("其他",)) and j + 1 < end and joined(runs[j + 1][1]) == "总计" \
                    and len(runs[j + 1][0]) == len(cells) >= 2 \
                    and page_of(runs[j + 1][0][0].src) == first_page:
                parts += [("other", (flat, len(cells))), ("total", (flat + len(cells), len(cells)))]
            for name, at in parts:
                if name in found:
                    return None     # printed twice on the page: which is the column's is not known
                found[name] = at
        flat += len(cells)
    names = ("natural", "pair", "social", "legal", "other", "total")
    if not all(n in found for n in names) or len(found["page"]) != len(T.APPLICANT_COLUMNS) * found["total"][1]:
        return None
    return found


def _read(values: list, at: dict) -> dict | None:
    """{column: value, or None for 商业企业 and 科研机构 where their two numbers differ} of
    the first row as the print ``values`` gives it, or None where it does not add up."""
    first = {name: values[at[name][0]] for name in ("natural", "social", "legal", "other", "total")}
    pair = values[at["pair"][0]:at["pair"][0] + 2]
    applicants = first["natural"] + sum(pair) + first["social"] + first["legal"] + first["other"]
    if applicants != first["total"]:
        return None
    alike = pair[0] if pair[0] == pair[1] else None
    return {"natural_person": first["natural"], "enterprise": alike, "research": alike,
            "public_interest": first["social"], "legal_service": first["legal"],
            "other_org": first["other"], "total": first["total"]}


def _first_page(runs, template: str, start: int, end: int, page_of):
    """(the template's rows, _anchors, the area's cells, their values, the numbers around them)
    of table 三's area (runs[start:end]) where its first page is laid out as _anchors finds it,
    or None: what first_row and first_page_rest read."""
    keys = T.rows_for(template)
    if ROW not in keys:
        return None
    at = _anchors(runs, start, end, page_of)
    if at is None:
        return None
    cells = [c for j in range(start, end) for c in runs[j][0]]
    values = _all_numbers(cells)
    if values is None:
        return None
    return keys, at, cells, values, numbers_around(runs, cells[0], cells[-1])


def first_row(runs, template: str, start: int, end: int, page_of):
    """({new_received: {column: value}}, {path: cell}) read as above from table 三's area
    (runs[start:end]), or None. ``page_of``: a cell's Source → its page."""
    page = _first_page(runs, template, start, end, page_of)
    if page is None:
        return None
    _keys, at, cells, values, nearby = page
    row = _read(values, at)
    if row is None:
        return None
    # a print one swap away that adds up and gives a cell another number leaves it unproven
    for _i, printed in swapped_prints(values, nearby):
        other = _read(printed, at)
        if other is not None:
            row = {col: v if v == other[col] else None for col, v in row.items()}
    pair = at["pair"][0]
    place = {"natural_person": cells[at["natural"][0]], "enterprise": one_of(cells[pair:pair + 2]),
             "research": one_of(cells[pair:pair + 2]), "public_interest": cells[at["social"][0]],
             "legal_service": cells[at["legal"][0]], "other_org": cells[at["other"][0]],
             "total": cells[at["total"][0]]}
    row = {col: v if place[col] is not None else None for col, v in row.items()}
    if all(v is None for v in row.values()):
        return None
    where = {f"applications.{ROW}.{col}": place[col] for col, v in row.items() if v is not None}
    return {ROW: row}, where


_ORGS = ("enterprise", "research", "public_interest", "legal_service")   # the columns printed in ``rest``


def _span(at: dict, name: str) -> range:
    i, n = at[name]
    return range(i, i + n)


def _naturals(at: dict) -> list[int]:
    """The page's places left by the columns' runs: 自然人's cells below the first row (上年结转's
    right after 本年新收's, the others amid the labels)."""
    taken = {i for name in ("pair", "social", "legal", "rest", "other", "total") for i in _span(at, name)}
    return [i for i in at["page"] if i not in taken and i != at["natural"][0]]


def _rest(values: list, at: dict, keys: tuple) -> dict | None:
    """{row: {column: value}} of the first page's rows below the first as the print ``values``
    gives them where every placement of its numbers does, or None. The first row must add up
    (_read); the numbers after 法律服务机构's first, 4(k-1) of them, are the four organisation
    columns' other cells on the page and 其他's k numbers its cells, in an order the print does
    not show: read only where all are 0, which every order gives each of those cells. Each row
    then adds up only where its 自然人 cell is its total, so the page's numbers left (自然人's,
    after the first two rows' labels and amid the other labels) must be the totals of rows 2..k,
    as many of each value; the rows' totals are read only where they are all one value."""
    if _read(values, at) is None:
        return None
    k = at["total"][1]
    rest, other = [values[i] for i in _span(at, "rest")], [values[i] for i in _span(at, "other")]
    if len(rest) != len(_ORGS) * (k - 1) or any(rest) or any(other):
        return None
    naturals = sorted(values[i] for i in _naturals(at))
    totals = [values[i] for i in _span(at, "total")][1:]
    if naturals != sorted(totals):
        return None
    one = len(set(totals)) == 1
    return {key: {**{col: 0 for col in (*_ORGS, "other_org")},
                  **({"natural_person": totals[0], "total": totals[0]} if one else {})}
            for key in keys[1:k]}


def first_page_rest(runs, template: str, start: int, end: int, page_of):
    """({row: {column: value}}, {path: cell}) of table 三's first page below its first row,
    read as _rest says from the print first_row reads, or None. A cell a print one swap away
    gives another number stays blank. Each cell is one of the printed numbers every placement
    may take it from (its column's run, or the page's 自然人 / 总计 numbers of that value)."""
    page = _first_page(runs, template, start, end, page_of)
    if page is None:
        return None
    keys, at, cells, values, nearby = page
    rows = _rest(values, at, keys) if at["total"][1] <= len(keys) else None
    if rows is None:
        return None
    for _i, printed in swapped_prints(values, nearby):
        other = _rest(printed, at, keys)
        if other is not None:
            rows = {key: {col: v for col, v in cols.items() if other[key].get(col) == v}
                    for key, cols in rows.items()}
    place = {"other_org": one_of([cells[i] for i in _span(at, "other")]),
             "total": one_of([cells[i] for i in _span(at, "total")][1:]),
             "natural_person": one_of([cells[i] for i in _naturals(at)]),
             **{col: one_of([cells[i] for i in _span(at, "rest")]) for col in _ORGS}}
    where = {f"applications.{key}.{col}": place[col] for key, cols in rows.items() for col in cols
             if place[col] is not None}
    rows = {key: {col: cols.get(col) if f"applications.{key}.{col}" in where else None
                  for col in T.APPLICANT_COLUMNS} for key, cols in rows.items()}
    rows = {key: cols for key, cols in rows.items() if any(v is not None for v in cols.values())}
    return (rows, where) if rows else None
