"""Table 三 printed as column pieces beside a labelled 总计 column.

pdfminer prints a reportlab or office table box by box. Where the 总计 column stands as a
box of its own, it comes out as its header and then exactly the table's rows' numbers (总计
506 9 459 … 487 28): one column, one reading. The six applicant columns before it come out
in pieces of columns: a few columns at a time, each column top to bottom, cut where a box
ends (自然人's first 21 rows, 商业企业's first 21, then the last 2 rows of both, then the
next columns):

    466 7 420 0 … 0 | 38 2 37 0 … 0 | 447 26 38 2 | …          总计 506 9 459 … 487 28

Such a print is read as column groups (consecutive columns, one after another), each cut
into the same bands of consecutive rows, each piece column by column. A placement stands
only when every row of it adds up to its 总计, and then the whole table holds (column
totals down, the balance): positions_reading's checks (_keep) and its rule that where
other placements also hold and give a cell another number, that cell stays blank (_common).
Placements of the same printed numbers that give the table the same numbers differ only in
the layout of the pieces (a column of zeros read in another group or band), which the
numbers cannot show: a cell they take from different printed numbers is read and claims
none of them (runs.one_of), as the layouts of a band reading. A blank, stray, changed or
swapped number moves every later number of its piece, so the rows stop adding up.

A row whose label runs long (1.本机关不掌握相关政府信息) may come out with its first numbers
in the label's box: the label, then that row's first cells (3367 491), apart from the
pieces, among them or right after the 总计 column. Such numbers are read as that row's
first columns, in order, and the pieces as above without those cells; the same sums decide.

Where the first column group (自然人, 商业企业: wide numbers) is cut into bands of its own,
anywhere, a row of wide numbers a band alone, the other columns each whole, no one cut of
every group adds up: FirstGroupBands reads such a print, weighing the prints one swap away,
its last bands also printed after the other columns (h039).
"""
from __future__ import annotations

import itertools

from . import templates as T
from .runs import _all_numbers, _window_ending, compositions, numbers_around, one_of
from .page_pieces import TooMany, first_group_banded
from .swaps import doubtful, places_taken_otherwise, swapped_prints

MAX_CUTS = 2            # band cuts a print may have (a box's end, a page's)
TOTAL_HEADERS = tuple(name for key, name in T.APPLICANT_HEADER_NAMES if key == "total")


def position(widths: tuple, lo: int, hi: int, r: int, c: int, n_rows: int, apart: frozenset = frozenset()) -> int:
    """The print position of cell (r, c) among the pieces, for column groups of these widths
    printed one after another, each band by band, each piece column by column, (r, c) in the
    band of rows lo..hi-1. ``apart``: the cells (row, column) printed with their row's label
    instead: they have no place among the pieces (nor is (r, c) one of them)."""
    first = 0
    for w in widths:            # c's group: the columns first..first+w-1
        if c < first + w:
            break
        first += w
    # the groups before c's, whole; its group's earlier bands; this band's earlier columns; c's earlier rows
    at = n_rows * first + lo * w + (c - first) * (hi - lo) + r - lo
    return at - sum(1 for y, x in apart if (x < first and 0 <= y < n_rows) or (first <= x < first + w and 0 <= y < lo)
                    or (first <= x < c and lo <= y < hi) or (x == c and lo <= y < r)) if apart else at


def _layouts(n_rows: int, n_cols: int):
    """Every placement of the pieces: (column group widths, bands (lo, hi))."""
    # no band of one row: one row printed column by column is that row printed across, and
    # two such bands read back a swap of two numbers of a two-row piece as the true table
    cut_sets = [c for k in range(MAX_CUTS + 1) for c in itertools.combinations(range(2, n_rows - 1), k)
                if all(b - a >= 2 for a, b in zip(c, c[1:]))]
    for widths in compositions(n_cols):
        for cuts in cut_sets:
            edges = (0, *cuts, n_rows)
            yield widths, list(zip(edges, edges[1:]))


def _total_run(texts) -> bool:
    """The texts before a run are the 总计 column's header and nothing else."""
    joined = "".join(t.text for t in texts).replace(" ", "").replace("\f", "").replace("\n", "")
    return joined in TOTAL_HEADERS


def _labelled_row(texts, keys) -> int | None:
    """The row whose label is the one text before a run (1.本机关不掌握相关政府信息), or None."""
    if len(texts) != 1:
        return None
    key = T.first_match(T.APPLICATION_ROW_LABELS, texts[0].text.replace(" ", ""))
    return keys.index(key) if key in keys else None


def _blocks(runs, j: int, keys, n_cols: int):
    """The applicant columns' numbers before the 总计 run ``j``: (cells of the pieces, the
    row printed with its label or None, that row's first cells printed there). The pieces
    are whole runs ending just before run j (_window_ending); a labelled row's first cells
    are a run after the 总计 column, or the first numbers of a run inside the pieces, with
    that row's label alone before them and fewer than its applicant columns."""
    size = len(keys) * n_cols
    whole = _window_ending(runs, j - 1, size)
    if whole is not None:
        yield whole, None, []
        at = len(whole)      # the runs of the window, from its last back: labelled ones inside
        for i in range(j - 1, -1, -1):
            at -= len(runs[i][0])
            if at <= 0:
                break
            row = _labelled_row(runs[i][1], keys)
            for k in range(1, min(n_cols, len(runs[i][0]) + 1)) if row is not None else ():
                yield whole[:at] + whole[at + k:], row, whole[at:at + k]
    if j + 1 < len(runs):
        after, texts = runs[j + 1]
        row = _labelled_row(texts, keys)
        if row is not None and len(after) < n_cols:
            pieces = _window_ending(runs, j - 1, size - len(after))
            if pieces is not None:
                yield pieces, row, after


def readings(runs, keys):
    """(values by row, cell of each value in row order) of every placement that adds up
    row by row, for each run that is a labelled 总计 column of the table's rows' numbers
    after whole runs holding exactly the other columns' numbers (but a labelled row's
    first cells printed with its label: _blocks)."""
    n_rows, n_cols = len(keys), len(T.APPLICANT_COLUMNS) - 1
    for j in range(1, len(runs)):
        total_cells, texts = runs[j]
        if len(total_cells) != n_rows or not _total_run(texts):
            continue
        totals = _all_numbers(total_cells)
        if totals is None:
            continue
        # the numbers by row, and the printed numbers they are read from → the cells of each
        # placement giving them: a labelled row's cells read apart or among the pieces are
        # two layouts of the same printed numbers
        placed: dict = {}
        for block_cells, bound_row, bound_cells in _blocks(runs, j, keys, n_cols):
            block, bound = _all_numbers(block_cells), _all_numbers(bound_cells)
            if block is None or bound is None:
                continue
            apart = frozenset((bound_row, c) for c in range(len(bound_cells)))

            # a row's cells depend on the group widths and its band only: each checked once
            checked: dict = {}

            def row_at(widths, lo, hi, r):
                key = (widths, lo, hi, r)
                if key not in checked:
                    at = [None if (r, c) in apart else position(widths, lo, hi, r, c, n_rows, apart)
                          for c in range(n_cols)]
                    cells = [bound_cells[c] if i is None else block_cells[i] for c, i in enumerate(at)]
                    values = tuple(bound[c] if i is None else block[i] for c, i in enumerate(at))
                    checked[key] = (values + (totals[r],), cells + [total_cells[r]]) \
                        if sum(values) == totals[r] else None
                return checked[key]

            window = frozenset(map(id, block_cells + bound_cells))
            for widths, bands in _layouts(n_rows, n_cols):
                rows = []
                for lo, hi in bands:
                    rows += itertools.takewhile(lambda row: row is not None, (row_at(widths, lo, hi, r) for r in range(lo, hi)))
                    if len(rows) < hi:
                        break
                else:
                    cells = [x for _values, row_cells in rows for x in row_cells]
                    ways = placed.setdefault((tuple(values for values, _cells in rows), window), {})
                    ways.setdefault(tuple(map(id, cells)), cells)   # each placement once
        for (reading, _window), ways in placed.items():
            merged = _one_of_each(list(ways.values()))
            for cells in [merged] if merged is not None else ways.values():
                yield reading, cells


def _one_of_each(placements: list) -> list | None:
    """The cells of one reading that several placements of the same printed numbers give:
    they differ only in the layout the tool printed the pieces in (a column of zeros read in
    another group or band), which the numbers cannot show; each cell is the one every
    placement takes, or one that claims none of theirs (runs.one_of), as bands' layouts.
    None where no locator spans some cell's places (boxes on several pages): the placements
    are then kept apart, and positions._keep leaves such a cell blank."""
    out = []
    for i in range(len(placements[0])):
        one = one_of([cells[i] for cells in placements])
        if one is None:
            return None
        out.append(one)
    return out


class FirstGroupBands:
    """The pieces beside a labelled 总计 column (readings, above) where the first column group
    is cut into bands of its own, the other columns each whole. pdfminer prints a reportlab
    table whose 自然人 and 商业企业 hold wide numbers so: their rows in bands each column by
    column, a row of wide numbers a band alone (printed across), the bands cut anywhere,
    then the other columns one after another, then 总计 (h004: 31143 1752 | 365 18754 … 72
    954 … | 0 0 0 0 0 0 | 3174 117 | … | 29809 1732 | 1699 92, then 科研机构 … 其他, then
    总计 and its 25 numbers, then 1.本机关不掌握相关政府信息 3367 491). No one cut of the
    columns' bands for all groups (readings) adds up there. The first group's bands from
    some row on may come after the other columns, before 总计 (h039: 514 9 312 … | 26 2 16 …,
    then 科研机构 … 其他, then 498 25 | 28 0): a band cut there, the same sums decide.

    A reading stands where every row adds up to its 总计, for every cut of the first group
    into bands (its width any but the whole table's): the cuts giving the same numbers from
    other printed places are one reading, a cell named one of those places (runs.one_of).
    positions holds the readings to the table's sums and labels and leaves blank a cell
    they give different numbers; with the cuts free, a print with two neighbouring numbers
    swapped may add up as well, so a cell a reading of such a print places otherwise is
    left blank too (doubts, as page_pieces)."""

    def __init__(self, runs, keys):
        self.n_rows, self.n_cols = len(keys), len(T.APPLICANT_COLUMNS) - 1
        # each window: (its cells in print order, [(the row printed with its label or None, the
        # places of that row's cells there, the places of the pieces)], the 总计 column's places,
        # the numbers just outside it)
        self.windows: list = []
        self.found: list = []       # (values by row, places of each cell in row order, window index)
        self._places: dict = {}     # (window's variants, variant, width, band, row) → the row's places
        flat = {id(c): k for k, c in enumerate(c for run, _texts in runs for c in run)}
        by_window: dict = {}
        for j in range(1, len(runs)):
            total_cells, texts = runs[j]
            if len(total_cells) != self.n_rows or not _total_run(texts) or _all_numbers(total_cells) is None:
                continue
            for block_cells, bound_row, bound_cells in _blocks(runs, j, keys, self.n_cols):
                if _all_numbers(block_cells) is None or _all_numbers(bound_cells) is None:
                    continue
                seq = sorted(block_cells + bound_cells + total_cells, key=lambda c: flat[id(c)])
                key = tuple(map(id, seq))
                if key not in by_window:
                    by_window[key] = (seq, [], [seq.index(c) for c in total_cells])
                at = {id(c): i for i, c in enumerate(seq)}
                by_window[key][1].append((bound_row, [at[id(c)] for c in bound_cells],
                                          [at[id(c)] for c in block_cells]))
        for seq, variants, totals_at in by_window.values():
            self.windows.append((seq, variants, totals_at, numbers_around(runs, seq[0], seq[-1])))

    def _read(self, values: list, variants: list, totals_at: list) -> dict:
        """{values by row: the print places each cell (row order, 总计 last) may have} of
        every cut of the first group into bands, of every variant of the window (page_pieces.
        first_group_banded)."""
        return first_group_banded(values, self.n_rows, self.n_cols, variants, totals_at, self._places,
                                  id(variants))

    def readings(self):
        """(values by row, the cell of each value in row order) of every reading of every
        window; a cell the cuts take from several printed places named one of them. None
        where a window has too many readings to weigh: another window's alone is no proof."""
        try:
            found = [self._read(_all_numbers(seq), variants, totals_at) for seq, variants, totals_at, _o in self.windows]
        except TooMany:
            return
        for k, ((seq, _v, _t, _o), readings) in enumerate(zip(self.windows, found)):
            named: dict = {}
            for reading, places in readings.items():
                self.found.append((reading, places, k))
                yield reading, [named.setdefault(p, one_of([seq[i] for i in sorted(p)])) for p in places]

    def doubts(self, holds) -> dict | None:
        """{cell index in row order: the numbers prints with two neighbouring numbers swapped
        give it} of the readings yielded that ``holds`` (values by row → it holds as table 三
        and agrees with the labels), as page_pieces.PagePieces.doubts. None where a print
        has too many readings to weigh: then no cell is proven."""
        out: dict = {}
        for k, (seq, variants, totals_at, outside) in enumerate(self.windows):
            kept = [(reading, places) for reading, places, window in self.found if window == k and holds(reading)]
            if not kept:
                continue
            swapped = []
            try:
                for i, printed in swapped_prints(_all_numbers(seq), outside):
                    swapped += [(i, reading, places) for reading, places in
                                self._read(printed, variants, totals_at).items() if holds(reading)]
            except TooMany:
                return None
            for reading, places in kept:
                for j, numbers in doubtful(reading, places, swapped, places_taken_otherwise).items():
                    out.setdefault(j, set()).update(numbers)
        return out

