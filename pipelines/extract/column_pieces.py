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
other placements also hold and give a cell another number or take it from another printed
number, that cell stays blank (_common). A blank, stray, changed or swapped number moves
every later number of its piece, so the rows stop adding up.
"""
from __future__ import annotations

import itertools

from . import templates as T

MAX_CUTS = 2            # band cuts a print may have (a box's end, a page's)
TOTAL_HEADERS = tuple(name for key, name in T.APPLICANT_HEADER_NAMES if key == "total")


def _compositions(n: int):
    """Each way of cutting n columns into groups of consecutive columns: the widths."""
    for cuts in itertools.product((False, True), repeat=n - 1):
        widths, w = [], 1
        for cut in cuts:
            if cut:
                widths.append(w)
                w = 1
            else:
                w += 1
        yield tuple(widths + [w])


def _layout(widths: tuple, bands: list[tuple[int, int]], n_rows: int) -> tuple:
    """The print position of each cell, row by row (n_rows × sum(widths)), for column
    groups of these widths printed one after another, each band by band, each piece
    column by column."""
    n_cols = sum(widths)
    where = [0] * (n_rows * n_cols)
    at, first = 0, 0
    for w in widths:
        for lo, hi in bands:
            for c in range(first, first + w):
                for r in range(lo, hi):
                    where[r * n_cols + c] = at
                    at += 1
        first += w
    return tuple(where)


def _layouts(n_rows: int, n_cols: int):
    """Every distinct placement of the pieces (_layout), each once."""
    seen = set()
    # no band of one row: one row printed column by column is that row printed across, and
    # two such bands read back a swap of two numbers of a two-row piece as the true table
    cut_sets = [c for k in range(MAX_CUTS + 1) for c in itertools.combinations(range(2, n_rows - 1), k)
                if all(b - a >= 2 for a, b in zip(c, c[1:]))]
    for widths in _compositions(n_cols):
        for cuts in cut_sets:
            edges = (0, *cuts, n_rows)
            where = _layout(widths, list(zip(edges, edges[1:])), n_rows)
            if where not in seen:
                seen.add(where)
                yield where


def _total_run(texts) -> bool:
    """The texts before a run are the 总计 column's header and nothing else."""
    joined = "".join(t.text for t in texts).replace(" ", "").replace("\f", "").replace("\n", "")
    return joined in TOTAL_HEADERS


def readings(runs, n_rows: int):
    """(values by row, cell of each value in row order) of every placement that adds up
    row by row, for each run that is a labelled 总计 column of n_rows numbers after whole
    runs holding exactly the other columns' numbers."""
    from .positions import _all_numbers, _window_ending

    n_cols = len(T.APPLICANT_COLUMNS) - 1
    for j in range(1, len(runs)):
        total_cells, texts = runs[j]
        if len(total_cells) != n_rows or not _total_run(texts):
            continue
        totals = _all_numbers(total_cells)
        block_cells = _window_ending(runs, j - 1, n_rows * n_cols)
        block = None if block_cells is None else _all_numbers(block_cells)
        if totals is None or block is None:
            continue
        for where in _layouts(n_rows, n_cols):
            rows = []
            for r in range(n_rows):
                row = tuple(block[where[r * n_cols + c]] for c in range(n_cols))
                if sum(row) != totals[r]:
                    break
                rows.append(row + (totals[r],))
            else:
                cells = [x for r in range(n_rows) for x in
                         [block_cells[where[r * n_cols + c]] for c in range(n_cols)] + [total_cells[r]]]
                yield tuple(rows), cells
