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
"""
from __future__ import annotations

import itertools

from . import templates as T
from .runs import _all_numbers, _window_ending, compositions, one_of

MAX_CUTS = 2            # band cuts a print may have (a box's end, a page's)
TOTAL_HEADERS = tuple(name for key, name in T.APPLICANT_HEADER_NAMES if key == "total")


def _position(widths: tuple, lo: int, hi: int, r: int, c: int, n_rows: int, apart_row: dict) -> int:
    """The print position of cell (r, c) among the pieces, for column groups of these widths
    printed one after another, each band by band, each piece column by column, (r, c) in the
    band of rows lo..hi-1. ``apart_row``: {column: the row whose cell there was printed with
    its label}: such a cell has no place among the pieces."""
    def apart(cols, rows_from, rows_to):
        return sum(rows_from <= apart_row.get(x, -1) < rows_to for x in cols)

    at = first = 0
    for w in widths:              # the groups before c's: whole
        if c < first + w:
            break
        at += n_rows * w - apart(range(first, first + w), 0, n_rows)
        first += w
    group = range(first, first + w)
    at += lo * w - apart(group, 0, lo)                              # its group's earlier bands
    at += (c - first) * (hi - lo) - apart(range(first, c), lo, hi)  # this band's earlier columns
    return at + r - lo - apart((c,), lo, r)


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
            apart_row = {c: bound_row for c in range(len(bound_cells))}

            # a row's cells depend on the group widths and its band only: each checked once
            checked: dict = {}

            def row_at(widths, lo, hi, r):
                key = (widths, lo, hi, r)
                if key not in checked:
                    at = [None if apart_row.get(c) == r else _position(widths, lo, hi, r, c, n_rows, apart_row)
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
