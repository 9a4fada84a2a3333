"""Table 三's first rows, when its last rows are printed where no reading can follow them.

pdfminer prints a Writer (LibreOffice) export of a .docx report box by box, page by page.
On the pages before the last, table 三's numbers come out as the template's rows in order,
in bands of consecutive rows each printed row by row or column by column (a page part, or
the rows pdfminer grouped together): what bands._band_readings reads. On the page
table 三 ends on, pdfminer flows its last rows' cells together with table 四's (自然人's
and 商业企业's cells of 其他/总计/结转, then table 四's headers and numbers, then the other
columns' cells), in an order of its own making. The whole table then never stands as one
run of its size, and no reading of it adds up.

Its first k rows still do: the whole runs of numbers from the one printed right after
new_received's label (一、本年新收…), with only table 三's text between them, holding
exactly k × 7 numbers, read in bands as the whole table would be, each row adding up to
its 总计 (a page part that is one run may also be printed in column-group pieces, where
no plain band reading of it adds up: _piece_layouts). The longest such window
that has a reading is read. Row sums are all that check these rows (their columns'
totals are in the rows pdfminer scrambled), and rows of mostly 0 add up in more than one
arrangement, so a cell stands only where every reading that adds up takes the same
number from the same printed number (as positions._common), and where no reading of the
print with two neighbouring numbers swapped takes it from another printed number
(swaps.doubtful): the text may be that print with the swap. A blank or stray number changes
a run's count (so the window ends elsewhere, or nowhere), and a changed one breaks its
row's sum. A window whose end a blank made reads the numbers of a print laid out
otherwise (a column down the page, each cell after its row's label) as rows of 0s that
add up: a reading stands only where every layout giving it takes each number printed
right after a row's label into that row (labelled_rows).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

from . import templates as T
from .bands import Layouts, _agrees, _apart, _band_readings, _headed, _places, _row_adds_up
from .column_pieces import position
from .labelled_rows import as_labelled, labelled_starts
from .runs import (_after_another_tables_label, _all_numbers, _line_of, _not_other_tables, compositions,
                   numbers_around, one_of)
from .swaps import SwapView, doubtful, swapped_readings

MIN_ROWS = 2   # rows a head needs: one row alone is any run of 7 numbers that adds up
_FIRST_ROW = dict(T.APPLICATION_ROW_LABELS)["new_received"]


def _starts(runs, start: int, end: int):
    """The first run of table 三's area that is no other table's number (table 二's last
    numbers may be printed after table 三's heading, each after its label), when it is
    printed right after new_received's label. A label printed before later runs names no
    first row: a tool that prints the labels' column as one block prints it before other
    rows' numbers, with the first rows' numbers before it (Chromium's pdfminer text)."""
    for j in range(start, end):
        texts = runs[j][1]
        if _after_another_tables_label(texts):
            continue
        if any(_FIRST_ROW.search(t.text.replace(" ", "")) for t in texts) and _not_other_tables(texts):
            yield j
        return


def readings(runs, template: str, start: int, end: int) -> list:
    """The readings of table 三's first rows from runs[start:end] (its area, up to table
    四's headers), of the longest head that has any: [(values by row, cell of each value
    in row order, {index of a cell in row order: the number a reading of the print with
    two numbers swapped gives it})], or []. Raises bands._TooMany as _band_readings
    does."""

    n_rows, n_cols = len(T.rows_for(template)), len(T.APPLICANT_COLUMNS)
    windows = []    # (k, first run, cells, run sizes)
    for first in _starts(runs, start, end):
        cells: list = []
        sizes: list = []
        for j in range(first, end):
            if j > first and not _not_other_tables(runs[j][1]):
                break
            cells = cells + runs[j][0]
            sizes = sizes + [len(runs[j][0])]
            k, rest = divmod(len(cells), n_cols)
            # the whole table is the whole reading's (positions) to read
            if not rest and MIN_ROWS <= k < n_rows:
                windows.append((k, first, cells, sizes))
    for k in sorted({w[0] for w in windows}, reverse=True):   # the longest head first
        best, contradicted = [], False
        for _k, first, cells, sizes in (w for w in windows if w[0] == k):
            values = _all_numbers(cells)
            if values is None or len(set(values)) == 1:
                # one number throughout: every arrangement reads the same, and so does the
                # print with a number blanked before the window's end, whose window ends a
                # run later (the count pins a whole table, not a head)
                continue

            checked: dict = {}

            def read(printed, checked, first=first, cells=cells, sizes=sizes, k=k, places=None):
                lines, breaks = [_line_of(c) for c in cells], frozenset(itertools.accumulate([0, *sizes]))
                headed = _headed(runs, first, sizes, printed)
                return _band_readings(printed, k, n_cols, _row_adds_up, lines, False, breaks, headed, checked=checked,
                                      more_orders=_piece_layouts(printed, n_cols, _row_adds_up, lines, breaks, headed,
                                                                 checked), places=places)
            may = Layouts()
            found = read(values, checked, places=may)
            labelled = labelled_starts(runs, first, sizes, template)
            kept = {reading: at for reading, at in found.items() if as_labelled(may[reading], labelled, n_cols)}
            contradicted |= len(kept) < len(found)
            found = kept
            if found:
                swapped = swapped_readings(values, lambda printed, i: read(printed, SwapView(checked, i, n_cols)),
                                           numbers_around(runs, cells[0], cells[-1]))
                best += [(reading, [cells[i] for i in at], doubtful(reading, at, swapped), (cells, may, reading))
                         for reading, at in found.items()]
        if best or contradicted:
            # a head the labels contradict is none: not a cue to read a shorter one (whose
            # last row may then be the next row's numbers, a row of the print left out)
            return best
    return []


def head_rows(runs, template: str, start: int, end: int, known: dict | None = None):
    """(rows {key: {column: value or None}}, {path: cell}, {path of a cell left blank:
    the numbers the readings give it}) of table 三's first rows, or None. Readings that
    disagree with a cell read by its label do not count."""

    keys = T.rows_for(template)
    n_cols = len(T.APPLICANT_COLUMNS)
    found = []
    for reading, cells, doubtful, may in readings(runs, template, start, end):
        rows = {keys[r]: dict(zip(T.APPLICANT_COLUMNS, values)) for r, values in enumerate(reading)}
        if _agrees(rows, known):
            found.append((rows, cells, doubtful, may))
    if not found:
        return None
    rows = {row: dict(cols) for row, cols in found[0][0].items()}
    where, disputed = {}, {}
    for r, (row, cols) in enumerate(rows.items()):
        for c, col in enumerate(T.APPLICANT_COLUMNS):
            path = f"applications.{row}.{col}"
            j = r * n_cols + c
            values = {f[0][row][col] for f in found} | {v for f in found for v in f[2].get(j, ())}
            printed = [f[1][j] for f in found]
            # the same number read from different places is no proof of where it was printed
            if len(values) > 1 or any(p is not printed[0] for p in printed) or any(j in f[2] for f in found):
                cols[col] = None
                disputed[path] = sorted(values)
            else:   # its place as far as the layouts giving these numbers know it (runs.one_of)
                where[path] = one_of([printed[0]] + [f[3][0][i] for f in found
                                                     for i in sorted(_places(f[3][1][f[3][2]][j]))]) or printed[0]
    return rows, where, disputed


def _piece_place(widths: tuple, edges: tuple, k: int, i: int, c: int) -> int:
    """The place of row i's cell in column c in the print of a band of k rows printed in
    column-group pieces of these widths, each group cut at ``edges`` (0, cuts…, k): the
    groups before c's whole, then its group's earlier bands, then this band's earlier
    columns (column_pieces.position, with no cell apart)."""
    a, b = next((a, b) for a, b in zip(edges, edges[1:]) if a <= i < b)
    return position(widths, a, b, i, c, k)


def _piece_cuts(k: int) -> list:
    """The ways to cut a band of k rows printed in column-group pieces: once or twice (a
    page part's first row and last row may each be grouped apart)."""
    return [c for n in (1, 2) for c in itertools.combinations(range(1, k), n)]


def _one_run(breaks: frozenset, lo: int, hi: int, n: int) -> bool:
    """Numbers lo..hi-1 of a window of n are one whole run: text before and after them
    (or the window's end), none between (a page's part of a table, under its row labels)."""
    return _apart(breaks, lo, hi, n) and not any(lo < b < hi for b in breaks)


@dataclass(frozen=True)
class _Pieces:
    """A band printed in column-group pieces (_piece_layouts): groups of these widths, each
    cut at ``cuts`` into the same bands of rows, each piece column by column."""
    widths: tuple
    cuts: tuple

    def places(self, lo: int, k: int, i: int) -> tuple:
        edges = (0, *self.cuts, k)
        return tuple(lo + _piece_place(self.widths, edges, k, i, c) for c in range(sum(self.widths)))

    def header_amid(self, lo: int, hi: int, headed: tuple) -> bool:
        # a header heads a group's first piece: one amid the band says it was not printed so
        return any(lo < p < hi for p in headed[0] | headed[1])


def _piece_layouts(values: list, n_cols: int, row_ok, lines: list, breaks: frozenset, headed: tuple,
                   checked: dict):
    """_band_readings' ``more_orders`` for a head: a band that is one whole run of its own
    (_one_run: a page part) may also be printed as column groups, each cut into the same
    bands of rows (once or twice), each piece column by column (column_pieces.position:
    pdfminer groups a wider number's box with its neighbour's, 自然人 and 商业企业 of a
    page's first row, then of its next eight, then of its last, then the other columns
    whole), where no reading in plain bands of its own adds up. ``checked``: the bands
    checked so far, as _band_readings is given them."""

    def plain(r: int, r2: int) -> bool:
        """Rows r..r2-1, a page part of their own, have a reading in plain bands, as
        printed or with two numbers next to each other swapped. As printed: then they were
        printed so, and are not read in pieces too (more ways to read the same numbers only
        leave more cells in dispute). With a swap: pieces cut one row off a group of
        columns, and such a piece reads two numbers of a column swapped in print (0 1 for
        1 0, 企业's last two rows) as that row's, across: the two prints cannot be told
        apart, so neither is read in pieces. With one row that does not add up: a report's
        own arithmetic may fail in one row (one number changed), and pieces may then "mend"
        it (a row 0 … 0 16 printed plainly, read as 8 + 8 = 16 from two other rows' 8s): the
        plain print, one number off, and the pieces cannot be told apart either."""
        key = (r, r2, "plain")
        if key not in checked:
            lo, hi = r * n_cols, r2 * n_cols

            def reads(part, free=None):
                return bool(_band_readings(
                    part, r2 - r, n_cols, lambda row, i: i == free or row_ok(row, r + i),
                    lines[lo:hi] if lines else None, breaks=frozenset(b - lo for b in breaks if lo <= b <= hi),
                    headed=tuple(frozenset(p - lo for p in h if lo <= p < hi) for h in headed)))
            part = list(values[lo:hi])
            checked[key] = reads(part) or any(
                reads(part[:i] + [part[i + 1], part[i]] + part[i + 2:])
                for i in range(len(part) - 1) if part[i] != part[i + 1]) or any(
                reads(part, free) for free in range(r2 - r))
        return checked[key]

    def orders(r: int, r2: int):
        if r2 - r > 2 and _one_run(breaks, r * n_cols, r2 * n_cols, len(values)) and not plain(r, r2):
            for widths in compositions(n_cols):
                if max(widths) > 1:     # single columns: column by column, above
                    for cuts in _piece_cuts(r2 - r):
                        yield _Pieces(widths, cuts)
    return orders
