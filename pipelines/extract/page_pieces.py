"""Table 三 read page by page as column pieces (pdfminer's text of a Chromium print).

pdfminer prints a Chromium print of table 三 page by page, and on each page its boxes in an
order of its own making that differs from page to page: the page's rows cut into column
groups (consecutive columns, the 总计 column among them), each group printed whole before
the next, each either column by column (cut into bands of rows where a tall row label
ends a box: 自然人's first rows, then 商业企业's, then the band's last row of both) or row
by row (wide numbers side by side: 31143 1752 / 365 72 …):

    page 2:  41 1 18 | 1 0 1  0 0 0  0 0 0  0 0 0  0 0 0 | 42 1 19
    page 3:  0 0 0 29 0 30 0 590 | 0 0 0 0 0 0 0 0 | 226 0 | … (the other five, alike)

or its rows in bands printed one after another, each band's column groups so (a Letter
print: a page's first row across, then the next rows' 自然人 and 商业企业 row by row, the
others column by column: 0 0 0 0 0 0 0 | 153 7 507 17 21 0 | 0 0 0 0 1 0 … | 160 525 21),
or its first group alone in two bands of three rows or more, each printed its own way, the
other groups whole (an A4 print's first page: 514 26 | 9 2 | 312 16, then 48 0 18 | 3 0 2,
then 科研机构 … 其他 column by column, then 总计), or, where it prints the 总计 header amid the
page's numbers, the 总计 column's first cells right after it, before 其他's beside them (a
Letter print's first page: 7638 273 | 553 13 | … 0 0 | 总 计 7912 566 2820 | 1 0 0 | 0 1512 | …).

A text PDF's later page of a split table may cut its first group into more bands, each its
own way (h020: 6 rows column by column, 9 row by row, 6 column by column): a page no layout
above reads is read with that group cut anywhere, each band of MIN_OWN_BAND rows or more
(first_group_banded, the cuts column_pieces.FirstGroupBands reads a whole table in).

So neither one reading of the whole table (bands, positions) nor one cut for all its
column groups (column_pieces) adds up. Here each page's numbers are read alone: the page
holds whole rows, as many as its numbers make (seven a row, the pages' counts adding up to
the table's rows: a page with a stray or missing number is no page of whole rows, and the
table is not read so), in every such layout in which each of its rows adds up to its
总计, the columns in the table's order. The pages' readings together must hold as table
三 (columns down, the balance: what places the numbers in their columns, which a page's
row sums cannot) and agree with the cells read by label (positions._keep);
where several hold, positions._common keeps what they all read from the same printed number.
Layouts giving a page the same numbers from other printed places (zeros read one column
along) name such a cell one of those places (runs.one_of).

The text may be a print with two neighbouring numbers swapped (swaps): a cell that a
reading of such a print (holding as table 三) takes from another place stays blank (doubts).
"""
from __future__ import annotations

import functools
import itertools
import operator
import re

from . import templates as T
from .column_runs import table_area
from .runs import REVIEW_FIELD_WORDS, _after_another_tables_label, _all_numbers, compositions, numbers_around, one_of
from .swaps import doubtful, places_taken_otherwise, swapped_prints

MAX_CUTS = 2            # band cuts of a page (a tall label's box ends), as column_pieces
# rows of each of the two bands of the first group printed each its own way (_layouts): two
# rows read row by row are a print of them column by column with its middle two numbers
# swapped, a doubt on every such band (swaps); three rows are not one swap apart
MIN_OWN_BAND = 3
MAX_COMBINATIONS = 64   # whole-table readings (the pages' readings combined) past which none is read
MAX_SWAP_COMBINATIONS = 4000  # readings of the prints with a swap past which no cell is proven


NATURAL_PERSON = next(name for key, name in T.APPLICANT_HEADER_NAMES if key == "natural_person")
TOTAL_HEADERS = frozenset(name for key, name in T.APPLICANT_HEADER_NAMES if key == "total")
_NUMBERED = re.compile(r"[）)、.．]$")   # a row label's numbering, ending the text before 总计: （七）


def _joined(texts) -> str:
    """The texts before a run as one string, without spaces or line breaks (a header printed
    a character a line: 自 / 然 / 人)."""
    return "".join("".join(t.text.split()) for t in texts)


def _ends_with_total_header(texts) -> bool:
    """The texts before a run end with the 总计 column's header, printed alone (总 / 计), not
    with the row label （七）总计."""
    texts = list(texts)
    return any(_joined(texts[-m:]) in TOTAL_HEADERS and not _NUMBERED.search(_joined(texts[:-m]))
               for m in range(1, min(len(texts), 4) + 1))


class TooMany(Exception):
    """More readings than can be weighed: nothing is proven."""


def _cells_in(lo: int, hi: int, cols: range, by_row: bool):
    """The cells of rows lo..hi-1 in columns ``cols``, in print order: row by row or column by column."""
    return ((r, c) for r in range(lo, hi) for c in cols) if by_row else ((r, c) for c in cols for r in range(lo, hi))


@functools.lru_cache(maxsize=64)
def _total_first_layouts(k: int, n_cols: int, at: int) -> tuple:
    """The placements of a page whose 总计 header pdfminer prints amid its numbers, right
    before the number at print place ``at``: the header's box joins its column's first cells,
    and that piece comes before the cells beside it. So the columns are cut into groups (as
    _layouts), the last group (其他 and 总计, or more) printed column by column in bands of
    rows, its first band's 总计 cells first, at ``at``, then that band's other columns, then
    its other bands; the other groups each whole, row by row or column by column, in bands
    cut where the last group's are (7912 566 2820 | 1 0 0 | 0 1512 | 0 0 0 0 0 0)."""
    cut_sets = [c for m in range(1, MAX_CUTS + 1) for c in itertools.combinations(range(1, k), m)]
    seen: dict = {}
    for widths in compositions(n_cols):
        if widths[-1] < 2 or (n_cols - widths[-1]) * k != at:
            continue    # the other groups, printed whole first, end where the header is
        groups = [range(s, s + w) for s, w in zip(itertools.accumulate([0, *widths[:-1]]), widths)]
        total, others = range(n_cols - 1, n_cols), groups[-1][:-1]
        for across in itertools.product((False, True), repeat=len(widths) - 1):
            for cuts in cut_sets:
                edges = (0, *cuts, k)
                bands = list(zip(edges, edges[1:]))
                pieces = [piece for cols, by_row in zip(groups, across) for piece in
                          ([(0, k, cols, True)] if by_row else [(lo, hi, cols, False) for lo, hi in bands])]
                pieces += [(0, cuts[0], total, False), (0, cuts[0], others, False)]
                pieces += [(lo, hi, groups[-1], False) for lo, hi in bands[1:]]
                seen.setdefault(_grid(k, n_cols, pieces), None)
    return _by_rows(tuple(seen), n_cols)


def _by_rows(grids, n_cols: int) -> tuple:
    """Placements (each k rows of places) by their rows, as _layouts gives them: (the places
    of each distinct row, each placement as the indexes of its rows among them, a reader of
    each row's numbers)."""
    index: dict = {}
    layouts = tuple(tuple(index.setdefault(row, len(index)) for row in grid) for grid in grids)
    return tuple(index), layouts, _readers(index, n_cols)


def _readers(rows, n_cols: int) -> list:
    """A reader of each row's numbers from a page's, given its places (in C: it is hot)."""
    return [operator.itemgetter(*places) if n_cols > 1 else lambda values, p=places[0]: (values[p],)
            for places in rows]


def _grid(k: int, n_cols: int, pieces) -> tuple:
    """The print place of each cell, as k rows of n_cols, of ``pieces`` ((first row, past the
    last, columns, row by row), in print order)."""
    grid = [[0] * n_cols for _ in range(k)]
    at = 0
    for lo, hi, cols, by_row in pieces:
        for r, c in _cells_in(lo, hi, cols, by_row):
            grid[r][c] = at
            at += 1
    return tuple(map(tuple, grid))


@functools.lru_cache(maxsize=64)
def _layouts(k: int, n_cols: int, max_cuts: int = MAX_CUTS) -> tuple:
    """Each distinct placement of k rows: for every cut of the columns into consecutive
    groups, each group row by row or column by column (those in bands of rows, up to
    ``max_cuts`` cuts, the same for all), the print position of each cell, as k rows of n_cols.
    And the first group (自然人's, whose wide numbers a tall label's box cuts) in two bands
    each printed its own way, the other groups each whole: a page's first rows' 自然人 and 商业企业
    row by row, the next rows' column by column (514 26 | 9 2 | 312 16 | 48 0 18 | 3 0 2),
    then the other columns. (the places of each distinct row, each placement as the indexes of
    its k rows among them, a reader of each row's numbers): most rows are shared by many
    placements, their sums checked once."""
    cut_sets = [c for m in range(max_cuts + 1) for c in itertools.combinations(range(1, k), m)]
    seen: dict = {}
    # each group is printed whole before the next, so its cells take the print positions from
    # k × its first column on, whatever the other groups' ways: a placement is its groups' pieces
    # side by side, each piece (a group's rows of places) made once, and a placement of pieces
    # seen before (equal by value: a column alone is one piece, row by row or in any bands) not
    # made again
    piece_of: dict = {}
    piece_id: dict = {}
    done: set = set()
    index: dict = {}    # the places of a row → its index

    def piece(cols: range, bands: tuple) -> tuple:  # bands: (first row, past the last, row by row)
        if (cols, bands) not in piece_of:
            grid = [[0] * len(cols) for _ in range(k)]
            at = k * cols.start
            for lo, hi, by_row in bands:
                for r, c in _cells_in(lo, hi, range(len(cols)), by_row):
                    grid[r][c] = at
                    at += 1
            rows = tuple(map(tuple, grid))
            piece_of[cols, bands] = piece_id.setdefault(rows, len(piece_id)), rows
        return piece_of[cols, bands]

    def add(pieces: list) -> None:      # pieces: each group's (id, rows), in column order
        key = tuple(p for p, _rows in pieces)
        if key not in done:
            done.add(key)
            seen.setdefault(tuple(index.setdefault(row, len(index)) for row in
                                  map(tuple, map(itertools.chain.from_iterable, zip(*(rows for _p, rows in pieces))))))

    # a group printed column by column, in the bands of each cut set
    banded = [tuple((lo, hi, False) for lo, hi in zip((0, *cuts), (*cuts, k))) for cuts in cut_sets]

    def ways(groups) -> list:
        # a group of one column is placed alike row by row and column by column, in any bands:
        # only the first way (as the product orders them) is tried
        return [(False,) if len(cols) == 1 else (False, True) for cols in groups]

    for widths in compositions(n_cols):
        groups = [range(s, s + w) for s, w in zip(itertools.accumulate([0, *widths[:-1]]), widths)]
        for across in itertools.product(*ways(groups)):
            whole = [piece(cols, ((0, k, True),)) if by_row else None for cols, by_row in zip(groups, across)]
            # the cuts place only the cells of a group of several columns printed column by column
            cut = any(not by_row and len(cols) > 1 for cols, by_row in zip(groups, across))
            for bands in banded if not all(across) and cut else banded[:1]:
                add([p or piece(cols, bands) for p, cols in zip(whole, groups)])
        for cut in range(MIN_OWN_BAND, k - MIN_OWN_BAND + 1) if max_cuts else ():
            bands = [(0, cut), (cut, k)]
            for first in itertools.product(*ways(groups[:1] * len(bands))):
                for across in itertools.product(*ways(groups[1:])):
                    add([piece(groups[0], tuple((lo, hi, by_row) for (lo, hi), by_row in zip(bands, first)))]
                        + [piece(cols, ((0, k, by_row),)) for cols, by_row in zip(groups[1:], across)])
    return tuple(index), tuple(seen), _readers(index, n_cols)


def _readings_of(values: list, placements: tuple, base: int = 0) -> dict:
    """{rows of values: the places (from ``base``) each cell has in the layouts giving them}
    of the ``placements`` (by rows, as _layouts gives them) in which every row adds up to its
    总计 (the last column)."""
    row_places, layouts, readers = placements
    checked: list = [None] * len(row_places)    # each row's values, or False: it does not add up
    found: dict = {}    # rows of values → the layouts giving them (their rows' indexes)
    for rows in layouts:
        for i in rows:      # row by row: most layouts fail on their first rows
            if checked[i] is None:
                row = readers[i](values)
                checked[i] = row if sum(row[:-1]) == row[-1] else False
            if checked[i] is False:
                break
        else:
            found.setdefault(tuple(map(checked.__getitem__, rows)), []).append(rows)
    # each cell's places: every layout's place of it, in one set
    return {rows: [frozenset(base + p for p in places) for places in
                   zip(*(itertools.chain.from_iterable(map(row_places.__getitem__, way)) for way in ways))]
            for rows, ways in found.items()}


def banded_position(w: int, n_cols: int, lo: int, hi: int, r: int, c: int, n_rows: int, trail: int,
                    apart: frozenset = frozenset()) -> int:
    """The print position of cell (r, c) where the first ``w`` columns are printed in bands
    of rows, each band column by column, (r, c) in the band lo..hi-1, the other columns
    each whole after the bands of rows before ``trail``, and the first columns' bands of
    rows from ``trail`` on after them (h039: 自然人 and 商业企业's first 23 rows, then
    科研机构 … 其他, then their last 2 rows); ``trail`` n_rows: no band after them.
    ``apart``: the cells printed with their row's label (as position)."""
    if c >= w:
        at, before = trail * w + (c - w) * n_rows + r, lambda y, x: (x < w and y < trail) or w <= x < c or (x == c and y < r)
    elif r < trail:
        at, before = lo * w + c * (hi - lo) + r - lo, lambda y, x: x < w and y < lo
    else:
        at, before = trail * w + (n_cols - w) * n_rows + (lo - trail) * w + c * (hi - lo) + r - lo, \
            lambda y, x: x >= w or y < lo
    if not apart:
        return at
    in_band = lambda y, x: x < c and lo <= y < hi or (x == c and lo <= y < r)
    return at - sum(1 for y, x in apart if before(y, x) or (c < w and in_band(y, x)))


def merge_places(out: dict, rows: tuple, places) -> None:
    """Add one placement's places' sets of ``rows`` to ``out``."""
    old = out.get(rows)
    out[rows] = list(places) if old is None else [a | b for a, b in zip(old, places)]


# readings of one print (its prints with a swap too) of a first group cut into bands
# anywhere (first_group_banded) past which none is read
MAX_BANDED_READINGS = 64
_BANDED_PLACES: dict = {}   # first_group_banded's places of a page's rows, by the page's row count


def first_group_banded(values: list, n_rows: int, n_cols: int, variants: list, totals_at: list,
                       cache: dict, key, trails: bool = True, min_band: int = 1) -> dict:
    """{values by row: the print places each cell (row order, 总计 last) may have} of the
    ``values`` printed as column pieces whose first column group (自然人, 商业企业: wide
    numbers) is cut into bands anywhere, each band column by column (a row of wide numbers a
    band alone: printed across), the other ``n_cols`` applicant columns each whole after
    them, the 总计 column's at ``totals_at`` (banded_position), in which every row adds up:
    for every width of the first group and every row (``trails``) from which its bands come
    after the other columns (h039). ``min_band``: the fewest rows of a band printed column by
    column and of a run of rows printed across (as _layouts' MIN_OWN_BAND; 1: any cut).
    ``variants``: [(the row printed with its label or None,
    the places of that row's cells there, the places of the pieces)]. ``cache`` holds each
    row's places, under ``key`` (the layout's alone: the same for every print)."""
    out: dict = {}
    for v, (bound_row, bound_at, block_at) in enumerate(variants):
        apart = frozenset((bound_row, c) for c in range(len(bound_at)))
        # the first group's width, and the row from which its bands are printed after the
        # other columns (n_rows: none)
        for w, trail in itertools.product(range(1, n_cols), range(n_rows, 0, -1) if trails else (n_rows,)):
            rows_checked: dict = {}

            def row_at(lo, hi, r, w=w, trail=trail, rows_checked=rows_checked, apart=apart,
                       bound_at=bound_at, block_at=block_at, v=v):
                if (lo, hi, r) not in rows_checked:
                    at = (key, v, w, trail, lo, hi, r)
                    if at not in cache:
                        cache[at] = [
                            bound_at[c] if (r, c) in apart else
                            block_at[banded_position(w, n_cols, lo, hi, r, c, n_rows, trail, apart)]
                            for c in range(n_cols)] + [totals_at[r]]
                    places = cache[at]
                    row = tuple(values[p] for p in places)
                    rows_checked[lo, hi, r] = (row, places) if sum(row[:-1]) == row[-1] else None
                return rows_checked[lo, hi, r]

            tails: dict = {n_rows: {(): []}}
            for lo in range(n_rows - 1, -1, -1):
                here: dict = {}
                # no band across the trailing bands' first row
                for hi in range(lo + min_band, n_rows + 1 if lo >= trail else trail + 1):
                    # the band column by column, and (where a row alone is no band) its rows
                    # across, one after another
                    for across in (False, True) if min_band > 1 else (False,):
                        band = []
                        for r in range(lo, hi):
                            got = row_at(r, r + 1, r) if across else row_at(lo, hi, r)
                            if got is None:
                                break
                            band.append(got)
                        else:
                            rows = tuple(row for row, _p in band)
                            places = [frozenset((p,)) for _row, ps in band for p in ps]
                            for rest, rest_places in tails.get(hi, {}).items():
                                merge_places(here, rows + rest, places + rest_places)
                            if len(here) > MAX_BANDED_READINGS:
                                raise TooMany
                tails[lo] = here
            for reading, places in tails[0].items():
                merge_places(out, reading, places)
            if len(out) > MAX_BANDED_READINGS:
                raise TooMany
    return out


def _page_readings(values: list, k: int, n_cols: int, total_at: int | None = None,
                   bands: dict | None = None) -> dict:
    """{rows of values: the places each cell has in the layouts giving them} of a page's k
    rows: its column groups each printed whole (_layouts), or its rows in bands (up to
    MAX_CUTS cuts) printed one after another, each band's column groups each printed whole
    (a band of one row printed across, then the next rows' 自然人 and 商业企业 row by row,
    the others column by column: a Letter print's page). ``total_at``: the place of the
    number printed right after the 总计 header, where the page prints it amid its numbers
    (_total_first_layouts). ``bands``: the readings of the bands read before, {(first row,
    past the last, its numbers): readings}, the same in every cut and every page (for another
    page, or another print of this one)."""
    bands = {} if bands is None else bands
    out = _readings_of(values, _layouts(k, n_cols))
    if total_at:
        for rows, places in _readings_of(values, _total_first_layouts(k, n_cols, total_at)).items():
            merge_places(out, rows, places)
    for m in range(1, MAX_CUTS + 1):
        for cuts in itertools.combinations(range(1, k), m):
            found = []
            for lo, hi in zip((0, *cuts), (*cuts, k)):
                key = (lo, hi, tuple(values[lo * n_cols:hi * n_cols]))
                if key not in bands:
                    bands[key] = list(_readings_of(list(key[2]), _layouts(hi - lo, n_cols, 0), lo * n_cols).items())
                if not bands[key]:
                    break
                found.append(bands[key])
            else:
                for choice in itertools.product(*found):
                    merge_places(out, tuple(row for rows, _p in choice for row in rows),
                                  [p for _rows, places in choice for p in places])
    if not out:
        # the first column group cut into bands anywhere, each its own way, the others each
        # whole, 总计 last (a text PDF's later page: 自然人 and 商业企业's first rows column by
        # column, the next ones row by row, the last ones column by column again, then 科研机构
        # … 其他, then 总计). Only where no layout above adds up: with the cuts free, more prints
        # add up, and a page those read stays read as they read it (its swaps weighed alike)
        n = n_cols - 1
        out = first_group_banded(values, k, n, [(None, [], range(k * n))], range(k * n, k * n_cols),
                                 _BANDED_PLACES, k, trails=False, min_band=MIN_OWN_BAND)
    return out


def _areas(runs, start: int, end: int):
    """The runs that may hold table 三's numbers, from ``start`` to ``end`` (its area): all of
    them first; then without those printed straight after a label of table 二 (its last row's
    numbers, pdfminer printing table 二's last box after table 三's first page: 行政事业性收费
    0 2); each also with the run after table 四's section heading where no header of table
    四's columns is printed before it (pdfminer printing that heading before table 三's last
    page's numbers, table 四's headers and numbers after them). PagePieces takes the first
    whose pages hold whole rows adding up to the table's count: the numbers then decide."""
    area = list(range(start, end))
    ours = [j for j in area if not _after_another_tables_label(runs[j][1])]
    heading_only = end < len(runs) and runs[end][0] and not any(
        w in _joined(runs[end][1]) for w in REVIEW_FIELD_WORDS)
    for runs_of in (area, ours) if ours != area else (area,):
        yield runs_of
        if heading_only:
            yield [*runs_of, end]


class PagePieces:
    """Table 三's area read page by page (above): ``readings`` and their swap ``doubts``."""

    def __init__(self, runs, template: str, page_of):
        self.keys = T.rows_for(template)
        self.n_cols = len(T.APPLICANT_COLUMNS)
        self.cells, self.sizes = [], []
        start, end = table_area(runs)
        if start == 0:
            return      # no heading of table 三: its area is not known
        # pdfminer may print table 二's last numbers after table 三's heading, before its column
        # headers (申请人情况 2 1 0 （本列数据… 自 然 人 1508): the cells start after 自然人's
        start = next((j for j in range(start, end) if NATURAL_PERSON in _joined(runs[j][1])), start)
        for area in _areas(runs, start, end):
            by_page: dict = {}
            total_at: dict = {}    # page → the place among its numbers of the first one after the 总计 header
            for j in area:
                if runs[j][0] and _ends_with_total_header(runs[j][1]):
                    page = page_of(runs[j][0][0].src)
                    total_at.setdefault(page, len(by_page.get(page, ())))
                for c in runs[j][0]:
                    by_page.setdefault(page_of(c.src), []).append(c)
            if None in by_page or any(len(cells) % self.n_cols for cells in by_page.values()):
                continue
            if sum(len(cells) for cells in by_page.values()) == len(self.keys) * self.n_cols:
                break
        else:
            return
        self.total_at = []
        for page in sorted(by_page):
            self.cells += by_page[page]
            self.sizes.append(len(by_page[page]) // self.n_cols)
            self.total_at.append(total_at.get(page))
        self.values = _all_numbers(self.cells)
        if self.values is None:
            self.cells, self.sizes = [], []
            return
        self.outside = numbers_around(runs, self.cells[0], self.cells[-1])
        self.starts = list(itertools.accumulate([0, *(k * self.n_cols for k in self.sizes)]))
        self.found: list = []   # (values by row, the print indexes each cell in row order may have)

    def _pages(self, values: list, cache: dict | None = None, bands: dict | None = None) -> list:
        """Each page's readings ({rows: places}), ``cache`` holding those of pages read before,
        ``bands`` those of their bands (_page_readings)."""
        cache = {} if cache is None else cache
        out = []
        for p, k in enumerate(self.sizes):
            lo, hi = self.starts[p], self.starts[p + 1]
            key = (p, tuple(values[lo:hi]))
            if key not in cache:
                cache[key] = _page_readings(values[lo:hi], k, self.n_cols, self.total_at[p], bands)
            out.append(cache[key])
        return out

    def _combined(self, pages: list, limit: int):
        """(values by row, [each page's places]) of each way of joining the pages' readings."""
        count = 1
        for found in pages:
            count *= len(found)
        if count > limit:
            raise TooMany
        for choice in itertools.product(*(list(found.items()) for found in pages)):
            yield tuple(row for rows, _p in choice for row in rows), [places for _r, places in choice]

    def _places(self, page_places: list) -> list:
        """For each cell in row order, the print indexes (of the whole area) it may have: each
        page's places of the cell (_page_readings) from where the page starts."""
        return [frozenset(self.starts[p] + i for i in at) for p, page in enumerate(page_places) for at in page]

    def readings(self):
        """(values by row, the cell of each value in row order) of every reading of the
        pages together; a cell the layouts take from several printed places is named one
        of them (runs.one_of), one cell for the same places in every reading (so that
        positions._common keeps it where the readings agree)."""
        if not self.cells:
            return
        named: dict = {}
        try:
            for reading, page_places in self._combined(self._pages(self.values), MAX_COMBINATIONS):
                places = self._places(page_places)
                self.found.append((reading, places))
                yield reading, [named.setdefault(p, one_of([self.cells[i] for i in sorted(p)])) for p in places]
        except TooMany:
            return

    def doubts(self, holds) -> dict | None:
        """{cell index in row order: the numbers prints with two neighbouring numbers swapped
        give it} of the readings yielded that ``holds`` (values by row → it holds as table 三
        and agrees with the labels), the readings of those prints counted only where they
        hold too. None where there are too many to weigh: then no cell is proven."""
        kept = [(reading, places) for reading, places in self.found if holds(reading)]
        if not kept:
            return {}
        cache, bands = {}, {}
        swapped, weighed = [], 0
        try:
            for i, printed in swapped_prints(self.values, self.outside):
                for reading, page_places in self._combined(self._pages(printed, cache, bands), MAX_COMBINATIONS):
                    weighed += 1
                    if weighed > MAX_SWAP_COMBINATIONS:
                        return None
                    if holds(reading):
                        swapped.append((i, reading, self._places(page_places)))
        except TooMany:
            return None
        out: dict = {}
        for reading, places in kept:
            for j, numbers in doubtful(reading, places, swapped, places_taken_otherwise).items():
                out.setdefault(j, set()).update(numbers)
        return out

