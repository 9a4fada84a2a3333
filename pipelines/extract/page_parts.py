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

A single blank, stray or changed number breaks the count or a row's sum, so such a page is
left blank. Two neighbouring numbers swapped may not: a page printed column by column whose
two totals were swapped adds up row by row (a row of zeros, then 0 1 0 0 0 0 1), so what a
page proves stands only where every print one swap away, read in any of these layouts or in
bands of rows each column by column or row by row (how pdfminer prints a Chromium page),
says the same of its row (_swap_doubted). The rows' totals are the arithmetic that confirms
the cells, as for column_runs' first band: the whole table's sums cannot, its other pages
being in no order that can be read.

A cell's printed place is named as far as the layouts know it (README, *one rule for numbers
read by position*): a row's unique total its own line; a zero of a row of zeros (or the total
of 6 0 0 0 0 0 6, either 6) one of several printed numbers, its locator the span of the lines
it may be on and its note naming each (runs.one_of). Layouts that give the page different
numbers (a row of 1s in one row or another, h026's Letter print) read, as before, the rows they
all give one value; such a cell is one of its row's numbers of that value in any of them, and
is named so. (positions.py reads a cell of readings that differ only where each takes it from
the same printed number; here the swap doubt below guards those pages instead, and taking
positions' rule would blank 18 cells of h026 that are right: not done.)

Plain pdftotext of such a report, its numbers large (a five-digit number wrapped in a
four-digit cell), prints some pages of table 三 in block orders no reading knows, a page of
it plainly: its row labels cut into pieces, then its numbers row by row, a wrapped number as
its head and, on the next line, its rest (1156 / 1 for 11561). There a vertical group label
cuts through the row labels' words (无法提关不掌供握相关), so the rows are named by the
numbering each label begins with (（四）1.  2.  （七）  四、): the numberings printed on a
page, in order, must be exactly one run of consecutive template rows (_rows_marked). Where
both namings name a page's rows, they must agree, or the page is not read. Such a page is
read row by row, the whole page so (_placement), once exactly as many head/rest pairs are
joined as the count leaves over (_variants: each choice read, the rows' sums decide; a join
multiplies a number by ten or more, and a row it is wrong for does not add up). Bands of rows
each its own way would let the sums "mend" two numbers swapped across rows of a sparse page
(7 cells wrong in 84 swaps, measured on held-out reports), so that reading takes none. Of a
row it keeps the same as above: what no column order changes (_order_free). Where both
readings read a cell, they must give it the same value.
"""
from __future__ import annotations

import functools
import itertools
import re

from . import templates as T
from .bands import Layouts, _TooMany, _band_readings, _headed, _places, _row_adds_up
from .blocks import Source, line_span
from .mapping import _cell
from .runs import _all_numbers, _line_of, one_of
from .swaps import row_taken_otherwise, swap, swapped_prints

_NUMERAL = "[一二三四五六七八九十]+"
# the numbering that opens each of table 三's row labels: 一、 (a top row), （三） (a group or
# a row), 1. (an item). A label cut by a page break names its row on the page of its
# numbering, where the row's numbers are
_NUMBERING = re.compile(rf"(?P<item>\d+)[.．、]|[（(](?P<group>{_NUMERAL})[)）]|(?P<top>{_NUMERAL})、")
# ... and not a group's, whose label stands beside its rows' (（四）无法提供 by 2.没有现成信息)
_GROUP_WORDS = "不予公开|无法提供|不予处理|其他处理"
_GROUP_NUMBERING = re.compile(rf"[（(]{_NUMERAL}[)）](?=(?:{_GROUP_WORDS}))|{_NUMERAL}、(?=本年度办理结果)")
_GROUP_LABEL = re.compile(rf"[（(]{_NUMERAL}[)）](?:{_GROUP_WORDS})")
LABEL_REACH = 24   # characters from a label's numbering to the words that name its row, at most
N_COLS = len(T.APPLICANT_COLUMNS)
MAX_JOINS = 64     # ways of choosing the wrapped numbers past which a page is not read


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
    # a group's label set one character a line beside its rows (（四 / ）无 / 法提 / 供) may be
    # printed amid a row label cut by a page break (1.本机关不掌 | 供 … 握相关政府信息): the
    # label words are matched with the groups' labels taken out, each character keeping its page
    taken = {at for m in _GROUP_LABEL.finditer(joined) for at in range(m.start(), m.end())}
    kept = [i for i in range(len(joined)) if i not in taken]
    pages = [pages[i] for i in kept]
    joined = "".join(joined[i] for i in kept)
    groups = {m.start() for m in _GROUP_NUMBERING.finditer(joined)}
    starts = [m.start() for m in _NUMBERING.finditer(joined) if m.start() not in groups]
    out: dict = {}
    for label_at, key in T.application_labels(joined, template):
        at = max((s for s in starts if label_at - LABEL_REACH <= s <= label_at), default=None)
        if at is None:
            continue
        named = out.setdefault(pages[at], [])
        if not named or named[-1] != key:   # one label may name its row twice (确认或重新出具)
            named.append(key)
    return out


def _group_places(k: int, width: int, r: int, base: int) -> list:
    """The places of k rows' cells of ``width`` columns (row by row, each column by column)
    printed from ``base`` on: the first r rows column by column, then the others row by row."""
    return [[base + (c * r + i if i < r else r * width + (i - r) * width + c) for c in range(width)]
            for i in range(k)]


@functools.lru_cache(maxsize=64)
def _layouts(k: int, n_cols: int, groups: int = 1) -> tuple:
    """The places in the print of a page's k rows' cells (row by row, each column by
    column), for each way pdfminer prints such a page: its first r rows column by column,
    then the others row by row (r = k: all column by column; r = 1: all row by row). With
    ``groups`` 2: its columns in two groups, the left one's cells printed whole before the
    right one's, each group printed so, with an r of its own (a Writer export of the page:
    自然人 and 商业企业, their first nine rows column by column, then their last row, then
    the other five columns top to bottom, as pdfminer grouped the boxes)."""
    if groups == 1:
        splits = [((n_cols, r),) for r in range(k, 0, -1)]
    else:
        splits = [((g, r1), (n_cols - g, r2)) for g in range(1, n_cols)
                  for r1 in range(k, 0, -1) for r2 in range(k, 0, -1)]
    seen: dict = {}     # in order, each layout once
    for split in splits:
        rows = [[] for _ in range(k)]
        base = 0
        for width, r in split:
            for i, row in enumerate(_group_places(k, width, r, base)):
                rows[i] += row
            base += k * width
        seen.setdefault(tuple(p for row in rows for p in row), None)
    return tuple(seen)


def _readings(values: list, k: int, n_cols: int, lines: list, layouts) -> dict:
    """{rows of values: [places of each layout giving them]} of the layouts in which every
    row adds up and numbers printed on one line stand in one row."""
    out: dict = {}
    for places in layouts:
        rows = []
        for i in range(k):     # row by row: most layouts fail on their first rows
            row = [values[places[i * n_cols + c]] for c in range(n_cols)]
            if sum(row[:-1]) != row[-1]:
                break
            rows.append(row)
        if len(rows) < k:
            continue
        row_of = {places[x]: x // n_cols for x in range(len(places))}
        on_line: dict = {}
        if any(on_line.setdefault(line, row_of[p]) != row_of[p] for p, line in enumerate(lines) if line is not None):
            continue
        out.setdefault(tuple(map(tuple, rows)), []).append(places)
    return out


def _said(readings: dict, n_cols: int) -> dict:
    """{(row, column): (value, places)} of what every reading says alike: each row's total,
    and the cells of a row whose applicant numbers are all one value. ``places``: the printed
    numbers the cell may be, in the layouts that say it: those of its row holding its value
    (a zero row's seven zeros; both 6s of 6 0 0 0 0 0 6, the total's column being in no known
    place either), in every layout that says it: readings that give the page different
    numbers (a row of 1s in one row or another) say alike only the rows they all give one
    value, each of whose cells is one of its row's numbers of that value in any of them."""
    out: dict | None = None
    for rows, layouts in readings.items():
        for places in layouts:
            proven = {}
            for i, row in enumerate(rows):
                at = places[i * n_cols:(i + 1) * n_cols]
                cols = range(n_cols) if len(set(row[:-1])) == 1 else (n_cols - 1,)
                proven.update(((i, c), (row[c], frozenset(at[x] for x in range(n_cols) if row[x] == row[c])))
                              for c in cols)
            # another layout's reading proves a cell only where it gives it the same value
            out = proven if out is None else {at: (v, p | proven[at][1]) for at, (v, p) in out.items()
                                              if at in proven and proven[at][0] == v}
    return out or {}


def _proven(values: list, k: int, n_cols: int, lines: list) -> dict:
    """{(row, column): (value, places)} of the cells the sums prove, whatever layout above
    (each its columns in any order) pdfminer printed: in every layout in which every row
    adds up and numbers printed on one line stand in one row, the cell is proven and has
    the same value (_said, which names the places it may be). The sums say which number is a
    row's total (the largest: the others are counts that add up to it), not which applicant
    column each other number is (they add up in any order: pdfminer may print 自然人's column
    after 其他's), so an applicant cell is proven only where its row's applicant numbers are
    all one value (0 0 0 0 0 0 0).

    The layouts of two column groups are read only where no layout of one adds up. They are
    many, and a page of mostly 0 adds up in some of them with two of its numbers swapped (a
    6 moved one place along its column: measured on an office-typed export); a page of one
    group too (h001's split PDF: its first page column by column, its totals swapped, adds
    up row by row). So a cell any of them proves stands only where every reading of the print with
    two neighbouring numbers swapped, in any layout (the text may be that print), proves the
    same of its row (the same total; its applicant cells all that one value) and takes none
    of it from the two swapped places unless it may have been taken from there
    (swaps.row_taken_otherwise): _swap_doubted."""
    one, two = _layouts(k, n_cols), _layouts(k, n_cols, 2)
    proven = _said(_readings(values, k, n_cols, lines, one), n_cols) or \
        _said(_readings(values, k, n_cols, lines, two), n_cols)
    return _swap_doubted(proven, values, k, n_cols, lines, one + two)


def _swap_doubted(proven: dict, values: list, k: int, n_cols: int, lines: list, layouts) -> dict:
    """What ``proven`` (_said) says of the page that every reading of the print with two
    neighbouring numbers swapped, in any of ``layouts``, says alike: the same total of the
    row, its applicant cells all that one value, none taken from the two swapped places
    unless it may have been taken from there (swaps.row_taken_otherwise). The text may be
    that print: a page laid out column by column whose two numbers a tool swapped reads in
    another layout as rows that add up (0 0 | 0 0 … 1 0 | 1 0 with its totals 0 1 swapped
    read row by row: a row of zeros, then 0 1 0 0 0 0 1)."""
    proven = dict(proven)
    for i, printed in swapped_prints(values):
        if not proven:
            break
        on = swap(lines, i)
        readings = [(rows, places) for rows, found in _readings(printed, k, n_cols, on, layouts).items()
                    for places in found]
        try:
            readings += _band_layouts(printed, k, n_cols, on)
        except _TooMany:
            return {}   # more ways to read that print than can be weighed: nothing is proven
        for rows, places in readings:
            for (r, c), (value, here) in list(proven.items()):
                there = _places(places[r * n_cols + c])
                # what that reading proves of the row: its total, its applicant cells where
                # all one value (which column holds a number no layout here tells)
                says = rows[r][c] if c == n_cols - 1 else (
                    rows[r][0] if len(set(rows[r][:-1])) == 1 else None)
                if row_taken_otherwise(here, there, i, says == value):
                    del proven[r, c]
    return proven


def _band_layouts(values: list, k: int, n_cols: int, lines: list) -> list:
    """[(rows, the places each cell may be)] of the page's numbers read as bands of rows,
    each band row by row or column by column (bands._band_readings, in the table's column
    order), every row adding up: how pdfminer prints a Chromium page of table 三 (its first
    rows a band, the others another, each column by column), which the layouts above, their
    first rows column by column and the others row by row, do not all hold. A swap doubt
    that weighed only those would miss the print the text most likely is."""
    may = Layouts()
    found = _band_readings(values, k, n_cols, _row_adds_up, lines, places=may)
    return [(rows, may[rows]) for rows in found]


def row_numbering(template: str) -> dict[str, tuple]:
    """Each row of table 三 → its numbering (top numeral, group numeral, item): 一、本年新收…,
    （一）予以公开, （三）1.属于国家秘密, （六）其他处理 (2019) or （六）1.申请人无正当理由… (2021),
    （七）总计, 四、结转下年度继续办理."""
    groups = (("denied_", "三"), ("unable_", "四"), ("rejected_", "五"), ("other_", "六"))
    alone = {"new_received": ("一", None, None), "carried_over": ("二", None, None),
             "granted": (None, "一", None), "partially_granted": (None, "二", None),
             "other": (None, "六", None), "total": (None, "七", None), "carried_forward": ("四", None, None)}
    out, items = {}, {}
    for key in T.rows_for(template):
        group = next((g for prefix, g in groups if key.startswith(prefix)), None)
        if group is None:
            out[key] = alone[key]
        else:       # the rows of a group numbered 1. 2. … within it
            items[group] = items.get(group, 0) + 1
            out[key] = (None, group, items[group])
    return out


def _label_numbering(text: str) -> tuple[tuple, int]:
    """The numbering a row label begins with, ((top, group, item), its length): each of the
    three or None, in that order (一、 （一） 1.), an item of one or two digits."""
    found, at = {}, 0
    for kind in ("top", "group", "item"):
        m = _NUMBERING.match(text, at)
        if m and m.lastgroup == kind and (kind != "item" or len(m.group(kind)) <= 2):
            found[kind], at = m.group(kind), m.end()
    return (found.get("top"), found.get("group"), found.get("item")), at


def row_marks(texts, template: str) -> list[tuple]:
    """The row numberings the texts begin with, in order (（四）1.本机 → (None, 四, 1); 2.没有 →
    (None, None, 2)). A group's numbering alone (（三）不予公开, 三、本年度办理结果) names no row."""
    rows = set(row_numbering(template).values())
    out = []
    for t in texts:
        text = t.text.replace("\f", "").replace(" ", "")
        (top, group, item), end = _label_numbering(text)
        if not end or T.section_of(text):
            continue
        item = int(item) if item else None
        if top and (group or item):
            continue
        mark = (top, group, item)
        if item is None and mark not in rows:
            continue    # a group's numbering: the rows under it are numbered 1. 2. …
        if len(text) == end and item is not None:
            continue    # a bare "1." is no label's beginning
        out.append(mark)
    return out


def _rows_marked(marks: list[tuple], template: str) -> list[str] | None:
    """The one run of consecutive rows of the template whose numberings the marks are (an
    item printed without its group matches the item of any group), or None."""
    numbering = row_numbering(template)
    keys = T.rows_for(template)
    found = []
    for r0 in range(len(keys) - len(marks) + 1):
        if all(m == numbering[keys[r0 + i]] or (m[0] is None and m[1] is None and m[2] is not None
                                                 and m[2] == numbering[keys[r0 + i]][2])
               for i, m in enumerate(marks)):
            found.append(keys[r0:r0 + len(marks)])
    return found[0] if len(found) == 1 else None


def _line(cell) -> int | None:
    """The one text line a cell was printed on, or None (not a text line, or several)."""
    span = line_span(cell.src)
    return span[0] if span and span[0] == span[1] else None


def _placement(values: list, k: int, headed: tuple):
    """The page's numbers as its k rows printed row by row, the whole page so: (rows, the
    place of each cell), or None when a row does not add up or a number printed right after
    a column header does not begin a row (bands._headed). Bands of rows each its own way
    (row by row or column by column) would let the rows' sums "mend" two numbers swapped
    across rows of a sparse page, and read a column printed in blocks of two rows and the
    next column's first cell as one column of three (0 0 | 0); pdfminer's column by column
    prints put a page's columns in an order of their own, which no row sum shows."""
    if any(p % N_COLS for p in headed[0]):
        return None
    rows = tuple(tuple(values[r * N_COLS:(r + 1) * N_COLS]) for r in range(k))
    if not all(sum(row[:-1]) == row[-1] for row in rows):
        return None
    return rows, list(range(k * N_COLS))


def _wrap_pairs(cells: list, rest_as_long: bool = False) -> list[int]:
    """The places i where cells[i] may be a wrapped number's head and cells[i + 1] its rest:
    digits as many as the page's widest number, not beginning with 0, and the rest fewer
    digits (``rest_as_long``: or as many: 10 / 55, a four-digit number in a two-digit cell)
    on the very next line."""
    widest = max((len(c.text) for c in cells if c.text.isdigit()), default=0)
    return [i for i in range(len(cells) - 1)
            if len(cells[i].text) == widest and may_be_wrapped(cells[i], cells[i + 1], rest_as_long)]


def may_be_wrapped(head, rest, rest_as_long: bool = False) -> bool:
    """Whether ``head`` and, on the very next line, ``rest`` may be one number its narrow cell
    wrapped: a head of two digits or more (a cell is at least a character wide, which holds
    two digits), not beginning with 0, and the rest fewer digits (``rest_as_long``: or as many)."""
    a, b = head.text if head.text.isdigit() else "", rest.text if rest.text.isdigit() else ""
    return len(a) > 1 and a[0] != "0" and bool(b) and len(b) < len(a) + rest_as_long \
        and _line(head) is not None and _line(rest) == _line(head) + 1


def _joined(head, rest):
    """One cell for a number printed as its head and, on the next line, the rest."""
    src = head.src
    where = Source(src.page, f"lines {_line(head)}-{_line(rest)}", src.method, src.confidence)
    return _cell(None, head.text + rest.text, src=where)


def _wrap_choices(cells: list, pairs: list[int], extra: int):
    """The ways to join ``extra`` of the wrapped numbers whose heads are at ``pairs`` (no
    cell in two), and each pair's joined cell: (ways, {head: joined cell}), or None past
    MAX_JOINS ways."""
    chosen = [c for c in itertools.combinations(pairs, extra) if all(b - a > 1 for a, b in zip(c, c[1:]))]
    if len(chosen) > MAX_JOINS:
        return None
    return chosen, {i: _joined(cells[i], cells[i + 1]) for i in pairs}   # one cell each, in every way


def _variants(cells: list, n: int, run_of: dict):
    """Each way the page's cells, some wrapped numbers joined, are exactly n numbers (a joined
    one comes from its head's run, in ``run_of``)."""
    extra = len(cells) - n
    if extra == 0:
        yield cells
        return
    pairs = _wrap_pairs(cells)
    if extra < 0 or extra > len(pairs):
        return
    found = _wrap_choices(cells, pairs, extra)
    if found is None:
        return
    chosen, joined = found
    for i, cell in joined.items():
        run_of[id(cell)] = run_of[id(cells[i])]
    for heads in chosen:
        out, skip = [], set(heads)
        for i, c in enumerate(cells):
            if i - 1 in skip:
                continue
            out.append(joined[i] if i in skip else c)
        yield out


def _order_free(row: tuple, c: int) -> bool:
    """Cell c of a row read by position holds its number whatever the order the tool printed
    the row's applicant columns in: a row's sum holds in every order of them, so it says
    which numbers the row holds, not which column each is in (pdfminer prints a page's
    columns in an order of its own: a lone 9 and its total 9 add up in 自然人 as in 其他).
    So: every cell of a row of zeros, and the total where it is the one number of the row
    that is the sum of the other six."""
    if not any(row):
        return True
    return c == N_COLS - 1 and row.count(row[c]) == 1


def _read_plain(cells: list, keys: list, run_of: dict, headed) -> dict:
    """{(row, column): (value, cell)} of a page's k rows read row by row (above), each cell
    one number from one printed number in every variant that adds up, and order free."""
    k = len(keys)
    readings: dict = {}
    prints = []     # (values, their lines) of each variant that adds up
    for variant in _variants(cells, k * N_COLS, run_of):
        values = _all_numbers(variant)
        if values is None:
            continue
        placed = _placement(values, k, headed(variant, values))
        if placed is not None:
            readings.setdefault(placed[0], []).append([variant[i] for i in placed[1]])
            prints.append((values, [_line_of(c) for c in variant]))
    out = {}
    for r in range(k):
        for c in range(N_COLS):
            values = {reading[r][c] for reading in readings}
            printed = {id(w[r * N_COLS + c]) for ws in readings.values() for w in ws}
            if len(values) == 1 and len(printed) == 1 and all(_order_free(reading[r], c) for reading in readings):
                value = values.pop()
                # the column order being free, the cell is any of its row's numbers of its value
                places = [w[r * N_COLS + x] for ws in readings.values() for w in ws
                          for x in range(N_COLS) if w[r * N_COLS + x].value == value]
                out[r, c] = (value, one_of(places))
    # a page printed column by column, two of its numbers swapped, may add up row by row (the
    # last page's 0 0 0 | … | 0 1 0 | 0 1 0, its 总计 column's 1 0 swapped: a row of zeros
    # where 总计 is): what the rows prove stands only where every print one swap away says it
    # too (_swap_doubted)
    layouts = _layouts(k, N_COLS) + _layouts(k, N_COLS, 2)
    for values, lines in prints:
        said = {(r, c): (v, frozenset(r * N_COLS + x for x in range(N_COLS) if values[r * N_COLS + x] == v))
                for (r, c), (v, _cell) in out.items()}
        kept = _swap_doubted(said, values, k, N_COLS, lines, layouts)
        out = {at: v for at, v in out.items() if at in kept}
    return out


def _named_by_words(named: list, keys: tuple, named_on: dict, page) -> list | None:
    """The page's rows as its label words name them (_rows_by_page): k >= 2 consecutive
    rows of the template, the row after them named on a later page; else None."""
    k = len(named)
    if k < 2 or len(set(named)) != k or named[0] not in keys:
        return None
    r0 = keys.index(named[0])
    if tuple(named) != tuple(keys[r0:r0 + k]):
        return None
    # the row after the page's: named on a later page. A row cut by the page break may
    # have its label's tail named here and its numbers on the page before; with a row of
    # no label the sums know (3.其他, 总计) ending the page, the count would still hold
    if r0 + k < len(keys) and not any(keys[r0 + k] in ks for p, ks in named_on.items()
                                      if p is not None and p > page):
        return None
    return list(named)


def page_rows(runs, template: str, start: int, end: int, page_of):
    """[(rows {key: {column: value}}, {path: cell})] of each page of table 三's area
    (runs[start:end]) read as above. ``page_of``: a cell's Source → its page."""
    cols = T.APPLICANT_COLUMNS
    keys = T.rows_for(template)
    numbers: dict = {}   # page → its numeric cells in table 三's area, in printed order
    texts = []           # (page, text) of the area's text cells, in printed order
    marks: dict = {}     # page → the row numberings printed on it
    run_of = {id(c): j for j in range(start, end) for c in runs[j][0]}

    def headed(cells, values):
        """_headed over the page's numbers, cut where the runs they come from are: a
        column header printed right before a number begins a row or a column there."""
        pieces = [list(g) for _j, g in itertools.groupby(cells, key=lambda c: run_of[id(c)])]
        pseudo = [(piece, runs[run_of[id(piece[0])]][1] if piece[0] is runs[run_of[id(piece[0])]][0][0] else [])
                  for piece in pieces]
        return _headed(pseudo, 0, [len(piece) for piece in pieces], values)

    for j in range(start, end):
        cells, before = runs[j]
        texts += [(page_of(t.src), t.text) for t in before]
        if j == start:   # the area opens with table 三's heading: what is before it is not table 三's
            at = next((i for i, t in enumerate(before) if T.section_of(t.text) == ("section", "applications")), -1)
            before = before[at + 1:]
        for t in before:
            marks.setdefault(page_of(t.src), []).extend(row_marks([t], template))
        for c in cells:
            numbers.setdefault(page_of(c.src), []).append(c)
    named_on = _rows_by_page(texts, template)
    found = []
    for page, cells in numbers.items():
        if page is None:
            continue
        by_words = _named_by_words(named_on.get(page, []), keys, named_on, page)
        by_marks = _rows_marked(marks[page], template) if marks.get(page) else None
        proven: dict = {}   # (row, column) → (value, cell), rows as the label words name them
        if by_words and len(cells) == len(by_words) * len(cols):
            values = _all_numbers(cells)
            if values is not None:
                proven = {at: (v, one_of([cells[p] for p in sorted(places)])) for at, (v, places) in
                          _proven(values, len(by_words), len(cols), [_line_of(c) for c in cells]).items()}
        plain = _read_plain(cells, by_marks, run_of, headed) if by_marks else {}
        if proven and plain:
            if tuple(by_words) != tuple(by_marks):
                continue    # two namings each fit the page's numbers: which rows it holds is not known
            # a cell both readings read is read only where they give it the same value
            both = proven.keys() & plain.keys()
            proven = {at: v for at, v in {**plain, **proven}.items()
                      if at not in both or proven[at][0] == plain[at][0]}
            named = by_words
        else:
            # a naming whose rows' numbers the page does not hold (label words cut by a
            # vertical group label: 无法提关不掌供握相关) reads nothing; the other may
            proven, named = (proven, by_words) if proven else (plain, by_marks)
        if not proven:
            continue
        rows, where = {}, {}
        for (i, c), (value, cell) in sorted(proven.items(), key=lambda kv: kv[0]):
            key = named[i]
            rows.setdefault(key, {col: None for col in cols})[cols[c]] = value
            where[f"applications.{key}.{cols[c]}"] = cell
        found.append((rows, where))
    return found
