"""A table's numbers, in the order a tool printed them, read as its cells in bands of rows.

_band_readings cuts a table's rows into bands of consecutive rows (a whole table, a page
part, a block a layout tool kept together), each band printed row by row or column by
column (or, where the print shows it, in another column order, in vertical strips, or in a
way a caller adds: head_rows' column pieces), and keeps the readings in which every row
adds up. Shared by the readings of table 三 by position (positions: the whole table and
its last rows flowed past table 四's headers; head_rows: its first rows; page_parts), with
what each of them checks a reading by: a row adding up to its total (_row_adds_up), the
numbers printed right after a column header (_headed), the cells already read by their
labels (_agrees). MAX_READINGS bounds the readings of one run (_TooMany).
"""
from __future__ import annotations

import itertools
import operator
import re

from . import templates as T
from .blocks import line_span
from .confirm import _holds
from .runs import _distinct_orders, compositions


MAX_READINGS = 4096  # distinct readings of one run past which it is ambiguous anyway


class _TooMany(Exception):
    pass


class _Failed:
    """A band no reading has: a row of it, at these places, does not pass (none where its
    layout alone rules it out: a header amid it, lines parted). Whatever the numbers
    elsewhere, it fails again while the numbers at those places stay."""
    __slots__ = ("at",)

    def __init__(self, at: tuple):
        self.at = at


_LAID_OUT_OTHERWISE = _Failed(())


def _band_readings(values: list, n_rows: int, n_cols: int, row_ok, lines: list | None = None,
                   reordered: bool = False, breaks: frozenset = frozenset(),
                   headed: tuple = (frozenset(), frozenset()), strips: tuple = (),
                   checked: dict | None = None, more_orders=None, places: "Layouts | None" = None) -> dict:
    """Every way a table's numbers, in the order a tool printed them, may stand for its
    cells: the rows cut into bands of consecutive rows (a whole table, a page part, a block
    a layout tool kept together), each band printed row by row or column by column, and
    every row of each band passing ``row_ok(row, its index)``. ``lines``: the text line of
    each number (or None): numbers printed on one line stand side by side, in one row of
    the table, so a reading that parts them is none. ``reordered``: one band printed column
    by column may have its columns in another order (_column_orders), where the print shows
    that band was laid out apart: it stands as whole runs of numbers (``breaks``: the index
    of each run's first number), or each of its columns' numbers is a block of consecutive
    lines (_columns_in_blocks). A tool prints a part of the table in an order of its own
    where it laid that part out apart (the last page part, under a repeated header); with
    nothing to show it, the sums, free to choose the columns' order, read back two numbers
    swapped in rows printed row by row, one number a line (3530 0 131 0 0 0 | 0 0 0 0 0 0
    read as columns 3530 0 | 0 0 | 131 0 …; in the table's last rows too). ``headed``: the
    places of the numbers printed right after column headers of the table (_headed): a
    header is printed above the cells it heads, never amid a row or a column, so such a
    number begins a row read row by row, or a column read column by column. ``strips``: cuts
    of the columns into vertical strips (widths, _strip_starts), each tried as the one way
    every band of several rows was printed: one strip after another, each row by row (a
    tool that cut a table so on one page cuts it so on every page: its columns are as wide;
    were bands free to be printed otherwise too, the sums could "mend" two numbers swapped
    across a band's edge). ``checked``: the bands checked so far, for another call on the
    same numbers (another cut). ``more_orders(r, r2)``: other ways rows r..r2-1 may
    have been printed as one band of several rows (head_rows' column pieces), each an object
    whose ``places(lo, k, i)`` are the window positions of the band's row i's cells (its
    first number at ``lo``, k rows) and whose ``header_amid(lo, hi, headed)`` says a header
    printed amid the band rules that way out. Returns {values by row: cell index of
    each, in the window's order}; raises _TooMany past MAX_READINGS distinct readings. The
    same numbers read in several layouts are one reading, the plainest layout's indexes
    kept; ``places``, a Layouts, when given, then tells for each reading the indexes each
    cell has in any of those layouts: a number's place, as far as it is known."""
    memo: dict[tuple, dict] = {}
    positions: dict = {}
    for pos, line in enumerate(lines or ()):
        if line is not None:
            positions.setdefault(line, []).append(pos)
    # the lines holding several numbers: a line's one number is in one row, whatever the layout
    on_one_line = [ps for ps in positions.values() if len(ps) > 1]

    def one_row_per_line(at: dict, lo: int, hi: int) -> bool:
        row_at = {p: ix // n_cols for ix, p in at.items()}
        for ps in on_one_line:
            if ps[-1] < lo or ps[0] >= hi:
                continue
            if ps[0] < lo or ps[-1] >= hi or len({row_at[p] for p in ps}) > 1:
                return False
        return True

    def orders(r: int, r2: int, spent: bool, cut: tuple):
        """(column of each printed column, whether that is a reordering) for a band;
        columns None: printed in the vertical strips ``cut``."""
        if cut and r2 - r > 1:
            yield None, True, False     # a cut is the only way its table's bands were printed
            return
        yield tuple(range(n_cols)), False, False
        if r2 - r > 1:
            yield tuple(range(n_cols)), True, False
            for layout in more_orders(r, r2) if more_orders is not None else ():
                yield layout, True, False
            if reordered and not spent and (_apart(breaks, r * n_cols, r2 * n_cols, len(values)) or
                                            _columns_in_blocks(lines, r * n_cols, r2 - r, n_cols)):
                for cols in _column_orders(values[r * n_cols:r2 * n_cols], r2 - r, n_cols):
                    yield cols, True, True

    if checked is None:
        checked = {}    # (rows, order) → (band, where) or _Failed: the same in every cut
    # a view of the bands checked on the print with two neighbouring numbers swapped back
    # (swaps.SwapView: its ``base``, the swap at ``i``): a band that failed there on a
    # row holding neither number fails here too, unchecked (most bands, most swaps)
    before, swap = getattr(checked, "base", None), getattr(checked, "i", None)

    def band_of(r: int, r2: int, cols, by_columns: bool, cut: tuple):
        key = (r, r2, cols if cols is not None else cut, by_columns)
        got = checked.get(key)
        if got is None:
            was = before.get(key) if before is not None else None
            if isinstance(was, _Failed) and swap not in was.at and swap + 1 not in was.at:
                got = was
            elif was is not None and not isinstance(was, _Failed):
                got = _band_again(r, *was)
            else:
                got = _band(r, r2, cols, by_columns, cut)
            checked[key] = got
        return None if isinstance(got, _Failed) else got

    def _band(r: int, r2: int, cols, by_columns: bool, cut: tuple):
        k, lo, hi = r2 - r, r * n_cols, r2 * n_cols
        # the window position of each cell of row i of the band
        if cols is not None and not isinstance(cols, tuple):     # a way ``more_orders`` gave
            def places(i):
                return cols.places(lo, k, i)
            amid = cols.header_amid(lo, hi, headed)
        elif cols is None:
            if not _strips_apart(breaks, lo, hi, len(values), k, cut):
                return _LAID_OUT_OTHERWISE
            starts = _strip_starts(r, k, n_cols, cut)

            def places(i):
                return tuple(at + i * w + c for c, (at, w) in enumerate(starts))
            # a strip's header stands before its first row
            amid = bool(headed[1]) and any(p not in {at + c for c, (at, _w) in enumerate(starts)}
                                           for p in headed[1] if lo <= p < hi)
        else:
            if by_columns:
                printed = [0] * n_cols              # table column → its place in the print
                for place, c in enumerate(cols):
                    printed[c] = place

                def places(i):
                    return tuple(lo + printed[c] * k + i for c in range(n_cols))
            else:
                def places(i):
                    return tuple(range(lo + i * n_cols, lo + (i + 1) * n_cols))
            amid = any((p - lo) % (k if by_columns else n_cols) for p in headed[by_columns] if lo <= p < hi)
        if amid:
            return _LAID_OUT_OTHERWISE     # a header amid a row or a column: the tool did not print them so
        band, where = [], ()
        for i in range(k):                      # rows checked one by one: most fail at once
            at = places(i)
            row = tuple(values[w] for w in at)
            if not row_ok(row, r + i):
                return _Failed(at)
            band.append(row)
            where += at
        if on_one_line and not one_row_per_line({lo + ix: w for ix, w in enumerate(where)}, lo, hi):
            return _LAID_OUT_OTHERWISE
        return tuple(band), where

    def _band_again(r: int, band: tuple, where: tuple):
        """A band that passed on the print before the swap: its layout stands (it is the
        numbers' places alone), and only its rows holding a swapped number are read anew."""
        out = []
        for i, row in enumerate(band):
            at = where[i * n_cols:(i + 1) * n_cols]
            if swap in at or swap + 1 in at:
                row = tuple(values[w] for w in at)
                if not row_ok(row, r + i):
                    return _Failed(at)
            out.append(row)
        return tuple(out), where

    def suffix(r: int, spent: bool, cut: tuple) -> dict:
        """{numbers of rows r..: (the plainest layout's indexes, [(a band's indexes, the rest's
        node and numbers)] of every layout giving them when ``places`` is asked for, else None)}."""
        if r == n_rows:
            return {(): ((), None)}
        if (r, spent, cut) in memo:
            return memo[r, spent, cut]
        # kept with the bands, as the band of rows r.. it reads: another call on the same
        # numbers from row r on (swaps.SwapView: a swap before them) reads them alike
        shared = (r, n_rows, "rest", spent, cut)
        if shared in checked and (places is None or checked[shared][1]):
            memo[r, spent, cut] = checked[shared][0]
            return memo[r, spent, cut]
        out: dict = {}
        for r2 in range(n_rows, r, -1):   # longest band first: the plainest reading is kept
            for cols, by_columns, reorders in orders(r, r2, spent, cut):
                checked_band = band_of(r, r2, cols, by_columns, cut)
                if checked_band is None:
                    continue
                band, where = checked_band
                rest_node = (r2, spent or reorders, cut)
                for rest, (rest_where, _ways) in suffix(*rest_node).items():
                    key = band + rest
                    entry = out.get(key)
                    if entry is None:
                        entry = out[key] = (where + rest_where, [] if places is not None else None)
                        if len(out) > MAX_READINGS:
                            raise _TooMany
                    if places is not None:
                        entry[1].append((where, rest_node, rest))
        memo[r, spent, cut] = out
        checked[shared] = (out, places is not None)
        return out

    # the same numbers read in several cuts: the first cut's places kept
    out: dict = {}
    for cut in strips or ((),):
        for reading, (at, _ways) in suffix(0, False, cut).items():
            out.setdefault(reading, at)
            if places is not None:
                places.tops.setdefault(reading, []).append((0, False, cut))
            if len(out) > MAX_READINGS:
                raise _TooMany
    if places is not None:
        places.memo, places.n_rows = memo, n_rows
    return out


class Layouts(dict):
    """{numbers by row: for each cell, its indexes in every layout _band_readings found that
    gives those numbers (an int where that is one, else a frozenset)}, worked out when asked:
    gathering them for every reading as it is found costs more than reading itself."""

    def __init__(self):
        super().__init__()
        self.tops: dict = {}    # numbers → the nodes (first row, spent, cut) that read them
        self.memo: dict = {}    # _band_readings' suffix memo: node → {numbers: (indexes, ways)}
        self.n_rows = 0

    def __missing__(self, reading):
        done: dict = {}

        def resolve(node, rows):
            if node[0] == self.n_rows:
                return ()
            if (node, rows) not in done:
                done[node, rows] = _union([where + resolve(rest, rest_rows)
                                           for where, rest, rest_rows in self.memo[node][rows][1]])
            return done[node, rows]
        self[reading] = _union([resolve(node, reading) for node in self.tops[reading]])
        return self[reading]


def _union(layouts: list) -> tuple:
    """Index by index, every index the layouts give (an int where they all give one)."""
    merged = list(layouts[0])
    for other in layouts[1:]:
        for j in itertools.compress(range(len(other)), map(operator.ne, merged, other)):   # (in C: it is hot)
            merged[j] = _places(merged[j]) | _places(other[j])
    return tuple(merged)


def _places(p) -> frozenset:
    return p if isinstance(p, frozenset) else frozenset((p,))


def _strips_apart(breaks: frozenset, lo: int, hi: int, n: int, k: int, strips: tuple) -> bool:
    """A band of k rows (numbers lo..hi-1 of a window of n) printed in strips shows it:
    it stands as whole runs of numbers (_apart: a page part the tool laid out apart), and
    text between its numbers (a row's label) stands only at a row's edge within a strip.
    Numbers run on with nothing between could as well be rows printed row by row, two of
    them swapped (the sums of a band of two rows cut into 申请人 and 总计 "mend" such a swap)."""
    if not _apart(breaks, lo, hi, n):
        return False
    for p in breaks:
        if lo < p < hi:
            at = p - lo
            for w in strips:
                if at < w * k:
                    if at % w:
                        return False
                    break
                at -= w * k
    return True


def _strip_starts(r: int, k: int, n_cols: int, strips: tuple) -> list:
    """For each column of the k rows from row r printed in vertical strips of these widths,
    one strip after another, each row by row, (at, width): the window position of its cell
    in the band's row i is at + i × width. pdfminer prints a Writer table whose wide
    columns hold long numbers so (自然人 and 商业企业 of each row side by side, then the
    narrow columns one by one, then 总计), on every page alike."""
    base, starts = r * n_cols, []
    for s, w in zip(itertools.accumulate([0, *strips[:-1]]), strips):
        starts += [(base + s * k - s, w)] * w
    return starts


def _strip_widths(n_cols: int):
    """Every way to cut n_cols columns into vertical strips of several widths, other than
    one strip (row by row) and single columns (column by column), which the readings before
    have tried, each band free to be either; the fewest cuts first."""
    out = [widths for widths in compositions(n_cols) if 1 < len(widths) < n_cols]
    return tuple(sorted(out, key=len))


def _apart(breaks: frozenset, lo: int, hi: int, n: int) -> bool:
    """Numbers lo..hi-1 of a window of n are whole runs of their own: text before them and
    after them (or the table's end). Ending the table is not enough: a swap of two numbers
    of its last rows, printed row by row, reads back as those rows printed by columns."""
    return lo in breaks and (hi in breaks or hi == n)


def _columns_in_blocks(lines: list | None, start: int, k: int, n_cols: int) -> bool:
    """Each column's k numbers of a band printed column by column stand on consecutive
    lines of one page, a block of their own (pdftotext's last page part of an office
    export). Numbers whose lines are unknown (grid cells) show no such block."""
    if not lines:
        return False
    for c in range(n_cols):
        chunk = lines[start + c * k:start + (c + 1) * k]
        if any(line is None for line in chunk):
            return False
        spans = [line_span(loc) for _page, loc in chunk]
        if any(a[0] != b[0] or s2[0] - s1[1] != 1 for a, b, s1, s2 in zip(chunk, chunk[1:], spans, spans[1:])):
            return False
    return True


def _column_orders(values: list, k: int, n_cols: int):
    """The other orders a band of k rows printed column by column may have had its columns
    in (pdftotext prints the columns of table 三's last page part in an order of its own,
    自然人's, then 总计's before 商业企业's): the printed column that is the sum of the others
    in every row is the total, the others stand for the applicant columns in any order
    that gives other numbers. Only the table's sums can then say which order it was."""
    chunks = [tuple(values[i * k:(i + 1) * k]) for i in range(n_cols)]
    totals = {}
    for t in range(n_cols):
        if all(chunks[t][j] == sum(chunks[i][j] for i in range(n_cols) if i != t) for j in range(k)):
            totals.setdefault(chunks[t], t)          # equal chunks give equal readings
    for t in totals.values():
        others = [i for i in range(n_cols) if i != t]
        for perm in _distinct_orders(others, lambda i: chunks[i]):
            printed_as = perm + (t,)      # column c of the table was printed as chunk printed_as[c]
            if printed_as != tuple(range(n_cols)):
                # the table column of each printed chunk, in print order
                yield tuple(printed_as.index(i) for i in range(n_cols))


# table 三's applicant column headers (总计 and 其他 are row labels too: only with others)
_ROW_LABELS_TOO = tuple(name for key, name in T.APPLICANT_HEADER_NAMES if key in ("other_org", "total"))
_APPLICANT_HEADERS = tuple(name for _, name in T.APPLICANT_HEADER_NAMES if name not in _ROW_LABELS_TOO) \
    + T.LEGAL_PERSON_HEADERS
_HEADER_WORDS = re.compile("|".join(_APPLICANT_HEADERS + ("申请人情况",) + _ROW_LABELS_TOO))


def _headed(runs, start: int, sizes: list[int], values: list) -> tuple[frozenset, frozenset]:
    """The places in a window of whole runs (from run ``start``, of these sizes) of the
    numbers printed right after table 三's column headers: (for rows read row by row, for
    columns read column by column). Before a row's number: a header printed whole as a
    text of its own. Before a column's: texts that joined in order (pieces a tool cut line
    by line) are headers and nothing else. (Plain pdftotext prints pieces of headers, joined,
    amid the rows of an office export it reads right: measured, held to rows they left
    2,000 held-out cells unread.) Where every number of the window is the same, no order
    gives a cell another number: the count alone reads it, the headers are not needed."""
    rows, cols, at = set(), set(), 0
    for j, size in enumerate(sizes):
        texts = runs[start + j][1]
        joined = "".join(t.text for t in texts).replace(" ", "")
        if j and any(t.text.replace(" ", "") in _APPLICANT_HEADERS for t in texts):
            rows.add(at)
        if j and any(h in joined for h in _APPLICANT_HEADERS) and not _HEADER_WORDS.sub("", joined):
            cols.add(at)
        at += size
    if len(set(values)) == 1:
        return frozenset(), frozenset()
    return frozenset(rows), frozenset(cols)


def _agrees(rows: dict, known: dict | None) -> bool:
    """Every cell already read (by its label, or confirmed) holds the same number here."""
    return all(v is None or rows.get(r, {}).get(c, v) == v
               for r, cols in (known or {}).items() for c, v in (cols or {}).items())


def _row_adds_up(row, _index=None) -> bool:
    return _holds(row[:-1], row[-1])   # the applicant columns add up to the row's total
