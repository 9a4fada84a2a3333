"""Tables 三 and 四 read by position: the order of their numbers, where the labels are lost.

Text tools lose the table: pdftotext cuts each label into pieces around its row's
numbers, pdfminer prints a table column by column, OCR drops the labels. What stays is
the order of the numbers. Table 三 is 25 (2021) or 23 (2019) rows of 7 numbers, table
四 one row of 15: a run of exactly that many numbers, whole runs only (a run: numbers
with no text between them), read in bands of consecutive rows each row by row or column
by column (pdfminer keeps a few rows' cells together per column), is accepted only when
every rule of the template holds over it and no other reading gives other numbers.

A reading's bands are read by bands.py; table 三's parts, where it cannot be read whole, by
head_rows, column_runs, page_parts, total_rows, page_pieces and column_pieces' first group
bands; table 四's groups by their headers or totals (review_headed, review_totals) where the
whole row cannot be. fill_by_position fills
the cells the labels left blank from these readings; confirm.py then holds them to the
template's sums. The runs themselves are runs.number_runs'. Table 二 has no sums: it is
read by its structure (active_structure.py).

One rule for a number several readings by position read (page_parts, head_rows,
table 四's groups and table 二's equal numbers follow it too):
- readings of the same printed numbers that give the table the same numbers (a row's, as
  far as the reading tells its columns apart) differ only in the layout the tool printed
  them in, which the numbers cannot show: each cell is read, and where the layouts take it
  from different printed numbers (a zero of a band of zeros read row by row or column by
  column) its provenance claims none of them: its locator spans them and its note names
  each (runs.one_of);
- readings that give the table different numbers, or read other printed numbers (a window
  one number along, a tail after table 四's heading), disagree about what stands where: a
  cell is read only where each takes it from the same printed number (in its plainest
  layout), else it is blank with a finding (_common). Their agreeing on a 0 from different
  printed zeros is a coincidence of the numbers around it; read so, they made wrong numbers
  under benchmarks/perturb.py's swaps (383927b).
"""
from __future__ import annotations

import itertools

from pipelines.record import finding

from . import column_pieces, split_pieces
from .page_pieces import PagePieces
from . import templates as T
from .bands import (MAX_READINGS, Layouts, _agrees, _band_readings, _headed, _places, _row_adds_up,
                    _strip_widths, _TooMany)
from .blocks import POSITION, page_finder
from .column_runs import first_band, table_area
from .first_row import first_page_rest, first_row
from .confirm import APPLICANTS, _holds
from .head_rows import head_rows
from .labelled_rows import as_labelled, labelled_starts
from .page_parts import page_rows
from .review_boxes import review_by_boxes
from .review_headed import review_by_headers
from .review_totals import review_by_totals
from .runs import (_REVIEW_FIELD_PIECES, _after_another_tables_label, _agreed_groups, _all_numbers,
                   _distinct_orders, _fields_only, _line_of, _not_other_tables, _one_block, _read_across,
                   _review_pieces, _review_starts, _window_ending, _windows, number_runs, numbers_around,
                   one_of)
from .swaps import SwapView, doubtful, swapped_readings
from .total_rows import total_rows


def _run_breaks(runs, cells: list) -> frozenset:
    """The places in ``cells`` (numbers of whole runs, in order) where a run begins."""
    firsts = {id(run[0]) for run, _texts in runs if run}
    return frozenset(i for i, c in enumerate(cells) if id(c) in firsts)


def _applications_hold(rows: dict, template: str) -> bool:
    outcomes = T.outcomes_for(template)
    for cells in rows.values():
        if not _holds([cells[c] for c in APPLICANTS], cells["total"]):
            return False
    for c in T.APPLICANT_COLUMNS:
        if not _holds([rows[r][c] for r in outcomes], rows["total"][c]):
            return False
        if not _holds([rows["new_received"][c], rows["carried_over"][c]],
                      rows["total"][c] + rows["carried_forward"][c]):
            return False
    return True


def _by_row(reading, keys) -> dict:
    """A band reading (values by row in the template's order) as {row: {column: value}}."""
    return {k: dict(zip(T.APPLICANT_COLUMNS, reading[r])) for r, k in enumerate(keys)}


def applications_by_position(runs, template: str, known: dict | None = None):
    """(rows {key: {column: value}}, {path: cell}) or (None, why). Of the readings that
    add up, only those agreeing with the cells ``known`` (read by their labels) count:
    the labels are evidence too, and may leave one reading where the sums leave several.
    Where several are left, a cell they give different numbers is None (_common)."""
    rows, where, _consumed, _disputed = _applications_reading(runs, template, known)
    return rows, where


def _applications_reading(runs, template: str, known: dict | None = None):
    """applications_by_position, and which run after table 四's headers the reading took
    (table 三's right columns printed there: below, _tail_windows), one index (None: no
    run) for each way of reading it that gives these numbers, and the cells left None because
    the readings give them different numbers: (rows, where, [index], {path: [numbers]})."""
    keys = T.rows_for(template)
    n_rows, n_cols = len(keys), len(T.APPLICANT_COLUMNS)
    found: dict = {}
    candidates: dict = {}   # a reading's key → [(a window's cells, its Layouts, the reading)]: _keep
    # for the doubt of a print with two numbers swapped (_swap_doubts): each window read, and
    # each reading's numbers by row with the place of each cell among all the runs' numbers
    offsets = {id(c): k for k, c in enumerate(c for run, _texts in runs for c in run)}
    read_windows: list = []
    read_at: dict = {}
    # the readings' keys some window's layouts read against the labels before its numbers, and
    # those some window (or reading of another kind) reads as they say (labelled_rows)
    contradicted, honoured = set(), set()
    try:
        # columns in another order only when none in order adds up; vertical strips only
        # when neither does (every way of cutting the columns into strips, the fewest cuts
        # first: as within one cut, the same numbers from other printed places are one
        # reading, the plainest kept)
        for reordered, strips in ((False, ()), (True, ()), (False, _strip_widths(n_cols))):
            for start, cells, sizes in _windows(runs, n_rows * n_cols, _not_other_tables):
                if _after_another_tables_label(runs[start][1]):
                    continue
                values = _all_numbers(cells)
                if values is None:
                    continue
                may, checked = Layouts(), {}

                def read(printed, checked, lines=[_line_of(c) for c in cells], reordered=reordered,
                         breaks=frozenset(itertools.accumulate([0, *sizes])),
                         headed=_headed(runs, start, sizes, values), strips=strips, places=None):
                    return _band_readings(printed, n_rows, n_cols, _row_adds_up, lines, reordered, breaks, headed,
                                          strips, checked=checked, places=places)
                first = offsets[id(cells[0])]
                read_windows.append((first, values, read, checked, numbers_around(runs, cells[0], cells[-1])))
                # one number throughout: every layout reads the same cells (as head_rows)
                labelled = labelled_starts(runs, start, sizes, template) if len(set(values)) > 1 else {}
                for reading, at in read(values, checked, places=may).items():
                    key = _keep(found, reading, [cells[i] for i in at], keys, template, None, (cells, may, reading),
                                candidates)
                    if key is not None:
                        read_at.setdefault(key, []).append((reading, tuple(first + i for i in at)))
                        as_labels = not labelled or as_labelled(may[reading], labelled, n_cols, every=False)
                        (honoured if as_labels else contradicted).add(key)
            if not reordered:
                # its readings are doubted by the windows' prints with a swap (_swap_doubts); its own
                # prints with a swap are not read: read so, a swap of 30 1 0 before table 四's headers
                # (libreoffice_seed_000.raw.txt), its band read column by column, gives the same
                # numbers from other places and leaves tables 三, 四 and 二 partly blank, while no
                # print with a swap measured (perturb.py --per 0) made the tail reading wrong
                for j, cells, values, read in _tail_windows(runs, n_rows, n_cols, strips):
                    first = offsets[id(cells[0])]
                    for reading, at in read(values, {}).items():
                        key = _keep(found, reading, [cells[i] for i in at], keys, template, j)
                        if key is not None:
                            read_at.setdefault(key, []).append((reading, tuple(first + i for i in at)))
                            honoured.add(key)
            if not reordered and not strips and not found:
                # column pieces only where no band reading adds up
                for reading, cells in column_pieces.readings(runs, keys):
                    key = _keep(found, reading, cells, keys, template, None)
                    if key is not None:
                        honoured.add(key)
            if found:
                break
    except _TooMany:
        return None, f"more than {MAX_READINGS} ways to read a run of numbers the size of table 三", [], {}
    agreeing = [reading for reading in found.values() if _agrees(reading[0], known)]
    if len(found) == 1 and not agreeing:   # one reading that disagrees: _merge says where
        return (*next(iter(found.values())), {})
    if not agreeing:
        return None, ("no run of numbers the size of table 三 adds up" if not found else
                      f"{len(found)} different runs of numbers would each add up as table 三, none of them "
                      "agreeing with the cells read by label"), [], {}
    unproven = contradicted - honoured
    if all(repr(reading[0]) in unproven for reading in agreeing):
        # the print is laid out otherwise than every reading that adds up: none is proven (the
        # readers of its parts, with their own doubts, may still read some of it). Where others
        # read as the labels say, they stand only where these agree (_common): no narrowing
        return None, ("every reading of a run of numbers the size of table 三 that adds up takes a number printed "
                      "right after a row's label into another row"), [], {}
    rows, where, consumed, disputed = _common(agreeing)
    doubts = _swap_doubts(read_windows, [r for reading in agreeing for r in read_at.get(repr(reading[0]), ())],
                          template, known)
    if doubts is None:
        return None, (f"more than {MAX_SWAP_READS} prints of it with two neighbouring numbers swapped to read, "
                      f"or one with more than {MAX_READINGS} readings: no cell is proven"), [], {}
    _blank_doubted(rows, where, disputed, doubts)
    # a cell the layouts of one reading take from different printed numbers names them all
    index = {f"applications.{k}.{col}": r * n_cols + c
             for r, k in enumerate(keys) for c, col in enumerate(T.APPLICANT_COLUMNS)}
    mine = [m for reading in agreeing for m in candidates.get(repr(reading[0]), ())]
    for path, cell in where.items():
        may = [cell] + [cells[i] for cells, layouts, key in mine for i in sorted(_places(layouts[key][index[path]]))]
        where[path] = one_of(may) or cell
    return rows, where, consumed, disputed


# The reads of a window with two numbers swapped past which the doubt is given up (table 三
# then is not read whole by position): a window of table 三 has up to 174 neighbouring pairs.
MAX_SWAP_READS = 1000


def _swap_doubts(windows: list, readings: list, template: str, known: dict | None) -> dict | None:
    """The cells of table 三's readings (each: values by row, the place among all the runs'
    numbers of each cell) that a print with two neighbouring numbers swapped makes doubtful:
    {path: the numbers those prints' readings give it}. The text may be that print: where
    the table is mostly zeros, the sums place a 1 in any of several rows, and the swap moves
    it to another that adds up too. A reading of the print with the swap, in any window read
    (as table 三: every sum holding, agreeing with the cells read by label), that gives a cell
    another number, or takes it from one of the swapped places, leaves it unproven (as
    swaps.doubtful, in places among all the numbers so that windows compare; ``windows``: each
    (first place, numbers, read, checked, the numbers just outside it), a window's edge number
    swapped with the one beyond it too). None where not every swap could be read (more than MAX_SWAP_READS, or one print with more
    than MAX_READINGS readings): then no cell is proven."""
    n_cols, keys = len(T.APPLICANT_COLUMNS), T.rows_for(template)
    paths = [f"applications.{k}.{col}" for k in keys for col in T.APPLICANT_COLUMNS]
    if not readings:
        return {}
    swapped, tried = [], [0]
    try:
        for first, values, read, checked, outside in windows:
            def read_swap(printed, i, read=read, checked=checked):
                tried[0] += 1
                if tried[0] > MAX_SWAP_READS:
                    raise _TooMany
                return {other: at for other, at in read(printed, SwapView(checked, i, n_cols)).items()
                        if _applications_hold(rows := _by_row(other, keys), template) and _agrees(rows, known)}
            swapped += [(first + i, other, tuple(first + a for a in at))
                        for i, other, at in swapped_readings(values, read_swap, outside)]
    except _TooMany:
        return None
    out: dict = {}
    for reading, at in readings:
        for j, numbers in doubtful(reading, at, swapped).items():
            out.setdefault(paths[j], set()).update(numbers)
    return out


def _blank_doubted(rows: dict, where: dict, disputed: dict, doubts: dict) -> None:
    """Leave blank each cell of ``rows`` a print one swap away places otherwise (``doubts``:
    {path: the numbers those prints' readings give it}), noting it in ``disputed``."""
    for path, numbers in doubts.items():
        _t, row, col = path.split(".", 2)
        if rows[row][col] is not None:
            disputed[path] = sorted(numbers | {rows[row][col]})
            rows[row][col] = None
            del where[path]


def _common(readings: list):
    """What several readings that each add up (and agree with the labels) prove together:
    a cell every one of them reads from the same printed number; a cell they give
    different numbers, or take from different places, stays None. (rows, where, the runs
    after table 四's headers any of them took, {path of a cell left None: the numbers the
    readings give it})."""
    rows = {row: dict(cols) for row, cols in readings[0][0].items()}
    where, consumed, disputed = {}, [], {}
    for row, cols in rows.items():
        for col, value in cols.items():
            path = f"applications.{row}.{col}"
            values = sorted({r[row][col] for r, _w, _c in readings})
            cells = [w[path] for _r, w, _c in readings]
            # the same number read from different places is no proof of where it was printed
            if len(values) > 1 or cells[0] is None or any(c is not cells[0] for c in cells):
                cols[col] = None
                disputed[path] = values
                continue
            where[path] = cells[0]
    for _r, _w, took in readings:
        consumed += [j for j in took if j not in consumed]
    return rows, where, consumed, disputed


def _keep(found: dict, reading, cells: list, keys, template: str, consumed, may: tuple | None = None,
          candidates: dict | None = None) -> str | None:
    """Keep a reading (values by row; the cell of each value in row order) that adds up
    as table 三, with the run after table 四's headers it took (None: none); its key in
    ``found``, or None where it does not add up. ``may``: the
    window's cells, its Layouts and this reading's key there (each value's indexes in any
    layout giving these numbers), gathered into ``candidates``."""
    n_cols = len(T.APPLICANT_COLUMNS)
    rows = _by_row(reading, keys)
    if not _applications_hold(rows, template):
        return None
    where = {f"applications.{k}.{col}": cells[r * n_cols + c]
             for r, k in enumerate(keys) for c, col in enumerate(T.APPLICANT_COLUMNS)}
    entry = found.setdefault(repr(rows), (rows, where, []))
    if may is not None and candidates is not None:
        candidates.setdefault(repr(rows), []).append(may)
    # the same numbers read from other printed numbers (zeros read one cell along, a block
    # of another shape): where each was printed is not proven; _common leaves it blank
    for path, cell in where.items():
        if entry[1][path] is not None and entry[1][path] is not cell:
            entry[1][path] = None
    if consumed not in entry[2]:
        entry[2].append(consumed)
    return repr(rows)


# Where table 四 starts on the page table 三 ends on, a text tool may flow the columns of
# both tables together: the left columns of table 三's last rows come before table 四's
# headers, their right columns after them, among table 四's numbers (pdftotext of an
# office export: 3 columns of the last 4 rows, then table 四's headers and first group,
# then the other 4 columns of those rows). So a reading may take table 三's last R rows
# as a left block of c columns ending just before table 四's headers and a right block of
# 7 - c columns that is one whole run after them; each block in bands row by row or column
# by column. It still has to add up as table 三 and be the only reading that does.
TAIL_RUNS_AFTER_HEADERS = 4   # runs after table 四's headers where the right block may be


def _strips_within(strips: tuple, lo: int, hi: int) -> tuple:
    """The cuts into strips (of a whole table's columns, each its widths) cut to columns
    lo..hi-1, each once, in order."""
    out = []
    for cut in strips:
        widths = []
        for s, w in zip(itertools.accumulate([0, *cut[:-1]]), cut):
            part = min(s + w, hi) - max(s, lo)
            if part > 0:
                widths.append(part)
        if tuple(widths) not in out:
            out.append(tuple(widths))
    return tuple(out)


def _tail_windows(runs, n_rows: int, n_cols: int, strips: tuple = ()):
    """The windows of table 三 whose last rows' right columns may have been printed after
    table 四's headers (above), one for each run there that may hold the right block and each
    width of the left block: (index of that run, the cells from the window's first number to
    that run's last, their numbers, read). ``read(numbers, checked)`` gives the readings
    {values by row: index among the cells of each value, in row order}: the upper rows and
    the left block from the numbers before table 四's headers, the right block from the
    run's, whatever is printed between them. ``strips``: cuts of the table's columns into
    vertical strips its bands may be printed in (_band_readings), one for the whole table:
    the upper rows and the left and right blocks in that cut's strips; the same numbers read
    in several cuts, the first kept. ``checked``: the upper bands checked, for a read of the
    same window with two numbers swapped (swaps.SwapView)."""
    h = _review_starts(runs)
    if not h:
        return
    # the numbers printed from table 四's headers on, up to prose: table 四's 15 and the block
    printed = 0
    for j in range(h, len(runs)):
        if j > h and not _fields_only(runs[j][1]):
            break
        printed += len(runs[j][0])
    for j in range(h, min(h + TAIL_RUNS_AFTER_HEADERS, len(runs))):
        if j > h and not _fields_only(runs[j][1]):
            break   # past table 四: a number after prose (a footer's 网站标识码) is no cell of table 三
        right_cells = runs[j][0]
        k = len(right_cells)
        if printed - k < 15:
            continue    # it would leave table 四 fewer than its 15 numbers: it took table 四's own
            # (a table 三 cell printed blank, table 四's first number made up table 三's count)
        widths = [c for c in range(1, n_cols) if not k % (n_cols - c) and k // (n_cols - c) < n_rows]
        before = _window_ending(runs, h - 1, n_rows * n_cols - k) if widths else None
        values = None if before is None else _all_numbers(before)
        if values is None or _all_numbers(right_cells) is None:
            continue
        between = [x for run, _texts in runs[h:j] for x in run]     # table 四's, when the block is not first
        cells = before + between + right_cells
        numbers = values + [(_all_numbers([x]) or [None])[0] for x in between] + _all_numbers(right_cells)
        lines = [_line_of(x) for x in before]
        breaks = _run_breaks(runs, before)
        # a column header heads the cells after it, in the upper rows and the left block alike
        first = next(i for i in range(h) if runs[i][0] and runs[i][0][0] is before[0])
        by_row, by_col = _headed(runs, first, [len(runs[i][0]) for i in range(first, h)], values)
        for c in widths:
            def read(printed, checked, c=c, n_tail=k // (n_cols - c), n_before=len(before), k=k, lines=lines,
                     breaks=breaks, headed=(by_row, by_col), right_lines=[_line_of(x) for x in right_cells]):
                n_upper = (n_rows - n_tail) * n_cols
                values, right, right_at = printed[:n_before], printed[len(printed) - k:], len(printed) - k
                readings: dict = {}
                if None in values or None in right:
                    return readings     # a swap brought in one of table 四's cells that is no count
                for cut in strips or ((),):
                    uppers = _band_readings(values[:n_upper], n_rows - n_tail, n_cols, _row_adds_up, lines[:n_upper],
                                            breaks=frozenset(b for b in breaks if b <= n_upper) | {n_upper},
                                            headed=headed, strips=(cut,) if cut else (), checked=checked)
                    if not uppers:
                        continue
                    rights = _band_readings(right, n_tail, n_cols - c, lambda row, r: True,
                                            right_lines, breaks=frozenset({0}),
                                            strips=_strips_within((cut,) if cut else (), c, n_cols))
                    # a left row stands only where a right block's row completes it to a row that
                    # adds up (without this, blocks of zeros have more readings than are counted)
                    completions = [{rgt[r] for rgt in rights} for r in range(n_tail)]
                    lefts = _band_readings(values[n_upper:], n_tail, c,
                                           lambda row, r: any(_row_adds_up(row + x) for x in completions[r]),
                                           lines[n_upper:], breaks=frozenset(b - n_upper for b in breaks if b >= n_upper),
                                           headed=tuple(frozenset(p - n_upper for p in ps if p >= n_upper)
                                                        for ps in headed),
                                           strips=_strips_within((cut,) if cut else (), 0, c))
                    if len(lefts) * len(rights) > MAX_READINGS * 16:
                        raise _TooMany
                    tails = {}
                    for left, l_at in lefts.items():
                        for rgt, r_at in rights.items():
                            rows = tuple(a + b for a, b in zip(left, rgt))
                            if all(_row_adds_up(row) for row in rows):
                                tails.setdefault(rows, tuple(
                                    x for r in range(n_tail) for x in
                                    [n_upper + i for i in l_at[r * c:(r + 1) * c]]
                                    + [right_at + i for i in r_at[r * (n_cols - c):(r + 1) * (n_cols - c)]]))
                                if len(tails) * len(uppers) > MAX_READINGS:
                                    raise _TooMany
                    for upper, u_at in uppers.items():
                        for rows, at in tails.items():
                            readings.setdefault(upper + rows, tuple(u_at) + at)
                            if len(readings) > MAX_READINGS:
                                raise _TooMany
                return readings
            yield j, cells, numbers, read


def review_by_position(runs, after_heading: bool = True, seen: list | None = None):
    """Table 四 as one run of 15 after its field headers, each group's total holding; else
    its 15 numbers all 0, wherever the tool printed them (_review_numbers, _review_all_zero).

    A group's total is the sum of its four other fields in any order, so the sums cannot
    tell those four apart: their order is the tool's. Where table 四's headings were
    printed read across its columns (one character a line, neighbouring columns'
    characters interleaved: 结 / 结 / 果 / 果 / 维 / 纠), pdftotext has been seen to print a
    group's numbers, each a block of its own, out of their row's order (结果纠正's after
    尚未审结's). There a group stands only when its four numbers were printed as one block
    (on consecutive lines, in the order they stand on the row) or are all the same number.

    Runs parted by its headers are read as printed unless a number was held back past its
    header (_held_back); then in every order of the runs, as printed too (_piece_orders),
    and only the groups every order that adds up agrees on stand. Where none was held back,
    runs that fail the sums as printed are read in another order only where the headers
    before each run name its numbers' fields in that order (_headed_in_order): zeros add up
    wherever they go, so the sums alone would "mend" an edited or misread row with other
    cells' numbers.

    ``after_heading=False``: a run straight after the section's heading, before any of its
    column headers, is not read: with table 三 left unread it may be table 三's last rows
    flowed there (pdfminer), whose numbers can add up as table 四's by chance.

    ``seen``: gets every reading whose three groups all added up here, for another reading
    to be checked against (one group's sum holding in some order of the pieces is no
    confirmation: among the many orders tried, one often does by chance)."""
    found, why = [], None
    partial = []    # per order tried where a number was held back: the groups whose own sum holds
    heading = _review_starts(runs)
    for k, (cells, texts) in enumerate(runs):
        # a run straight after table 四's own column headers, whole (结果维持), cut line by
        # line (结果维 / 持) or one character a line (维 / 持), or its section's heading:
        # prose before is no header
        if (k != heading or not after_heading) and \
                not _REVIEW_FIELD_PIECES.search("".join(t.text for t in texts).replace(" ", "")):
            continue
        for start, window, sizes in _windows(runs[k:k + 6], 15, lambda texts: not texts or _fields_only(texts)):
            if start:
                continue   # a window starts at that run
            values = _all_numbers(window)
            if values is None:
                continue
            if not any(values) and [id(c) for c in window] != [id(c) for c in _review_numbers(runs)[0]]:
                # 15 zeros add up however they are placed: they prove no group's numbers,
                # and may be table 三's (its last rows flowed after table 四's heading) while
                # table 四's own are printed elsewhere; they stand only as all table 四 has
                why = "a run of 15 zeros after table 四's headers is not all the numbers printed in table 四"
                continue
            texts = [t for _cells, ts in runs[k:k + len(sizes)] for t in ts]
            held_back = _held_back(runs[k:k + len(sizes)], sizes)
            for n, cells in enumerate(_piece_orders(window, sizes)):
                if n and not held_back and not _headed_in_order(runs[k:k + len(sizes)], window, sizes, cells):
                    # nothing says the tool printed the pieces out of the row's order: a row
                    # that fails as printed is not mended by moving them (with one of 行政复议's
                    # 1 3 0 0 4 swapped, zeros put first "added up" as 0 | 0 1 3 0 4 | 0)
                    continue
                values = _all_numbers(cells)
                groups = {g: dict(zip(T.REVIEW_FIELDS, values[5 * i:5 * i + 5])) for i, g in enumerate(T.REVIEW_GROUPS)}
                holding = {g: v for g, v in groups.items()
                           if _holds([v[f] for f in T.REVIEW_PARTS], v["total"])}
                if held_back:
                    partial.append(holding)
                if len(holding) < len(groups):
                    continue
                if _read_across(texts):
                    loose = [g for i, g in enumerate(T.REVIEW_GROUPS)
                             if not _one_block(cells[5 * i:5 * i + 4]) and len(set(values[5 * i:5 * i + 4])) > 1]
                    if loose:
                        why = (f"table 四's headings were printed read across its columns, and the numbers of "
                               f"{', '.join(loose)} stand in blocks of their own, in an order the sums cannot check")
                        continue
                where = {f"review_litigation.{g}.{f}": cells[5 * i + j]
                         for i, g in enumerate(T.REVIEW_GROUPS) for j, f in enumerate(T.REVIEW_FIELDS)}
                found.append((groups, where))
                if n == 0 and not held_back:
                    break       # as printed, and it adds up: the row's order
                # held back: as printed is one order among the others, none preferred
    if seen is not None:
        seen.extend(g for g, _w in found)
    if found:
        groups, where = _agreed_groups(found)
        if groups is not None:
            groups, where = _unchallenged(groups, where, partial)
        if groups is not None:
            return groups, where
        return None, f"{len({repr(g) for g, _w in found})} readings of table 四's numbers after its headers would each add up"
    mine, sizes = _review_numbers(runs)
    values = _all_numbers(mine) if len(mine) == 15 else None
    if values is not None and not any(values):
        return _review_all_zero(mine)
    if why:
        return None, why
    if len(mine) == 15 and len(sizes) > 1:
        return None, (f"table 四's 15 numbers are printed in {len(sizes)} pieces "
                      f"({', '.join(map(str, sizes))}) that do not add up in the order printed; in another "
                      "order its sums could not tell one group's numbers from another's")
    return None, "no run of 15 numbers after table 四's headers adds up"


def _with_totals_reading(groups, where, variants: list, seen: list, readers=None):
    """The groups ``groups`` left blank, filled from review_totals.review_by_totals,
    review_headed.review_by_headers or review_boxes.review_by_boxes (``readers``, else all) where it
    reads them alike in every variant of the runs, the others do not read them otherwise,
    and no reading that added up here (``seen``) gives that group other numbers. (groups,
    where), or the reading as it was."""
    others = []     # (groups, cells) of each reader that reads alike in every variant
    for reader in readers or (review_by_totals, review_by_headers, review_by_boxes):
        readings = [reader(v) for v in variants]
        if all(g is not None for g, _w in readings) and all(repr(g) == repr(readings[0][0]) for g, _w in readings):
            others.append(readings[0])
    out = dict(groups) if groups is not None else {g: dict.fromkeys(T.REVIEW_FIELDS) for g in T.REVIEW_GROUPS}
    kept = dict(where) if groups is not None else {}
    filled = False
    for g in T.REVIEW_GROUPS:
        if None not in out[g].values():
            continue
        mine = [(r[g], cells) for r, cells in others if None not in r[g].values()]
        if not mine or any(m != mine[0][0] for m, _c in mine):
            continue    # no reader read it, or two read it differently
        if any(r.get(g, mine[0][0]) != mine[0][0] for r in seen):
            continue    # another reading that adds up gives this group other numbers
        out[g] = dict(mine[0][0])
        kept.update((p, c) for p, c in mine[0][1].items() if p.split(".")[1] == g)
        filled = True
    return (out, kept) if filled else (groups, where)


def _piece_orders(window: list, sizes: list[int]):
    """The cells of a window of runs parted by table 四's headers: first as printed, then
    the runs taken in every other order that gives other numbers (each run's numbers kept
    in their order). A text tool prints such a row in blocks of its own making: a group's
    four, the headers, then the next group's four with the first group's total after them
    (Chromium's print in plain pdftotext, Letter). One run: as printed only."""
    pieces = [window[a:b] for a, b in zip([0, *itertools.accumulate(sizes)], itertools.accumulate(sizes))]
    yield list(window)
    as_printed = tuple(c.value for c in window)
    for order in _distinct_orders(list(range(len(pieces))), lambda i: tuple(c.value for c in pieces[i])):
        cells = [c for i in order for c in pieces[i]]
        if tuple(c.value for c in cells) != as_printed:
            yield cells


# one character of each of table 四's field headers that no other of its words has, and the
# field it names: their count is the count of field headers, however a tool cut them
# (结果维持, 结果维 / 持, 维)
_REVIEW_MARK_FIELD = {"维": "upheld", "纠": "corrected", "他": "other", "它": "other", "审": "pending",
                      "总": "total", "合": "total"}
_REVIEW_FIELD_MARKS = frozenset(_REVIEW_MARK_FIELD)


def _headed_in_order(runs, window: list, sizes: list[int], cells: list) -> bool:
    """Runs read in another order than printed, where each run's numbers stand one to one
    under the field headers printed right before it, in their order, and those are the fields
    the order gives them (plain pdftotext of a Chromium print: 结果纠正 其他结果 尚未审结 总计
    0 1 0 1, 复议后起诉's last four, before the other groups' headers and numbers). The headers
    then say where each run goes; the sums alone do not (zeros add up anywhere)."""
    at = {id(c): i for i, c in enumerate(cells)}
    start = 0
    for j, ((_cells, texts), size) in enumerate(zip(runs, sizes)):
        if j == 0:   # from table 四's heading on, when it is among the first run's texts
            head = [i for i, t in enumerate(texts) if (T.section_of(t.text) or (None, None))[1] == "review"]
            texts = texts[head[-1] + 1:] if head else texts
        heads = [_REVIEW_MARK_FIELD[ch] for t in texts for ch in t.text if ch in _REVIEW_MARK_FIELD]
        offset = at[id(window[start])]
        if heads != [T.REVIEW_FIELDS[(offset + m) % 5] for m in range(size)]:
            return False
        start += size
    return True


def _held_back(runs, sizes: list[int]) -> bool:
    """Runs parted by table 四's headers where, at the end of a run, more of its field
    headers have been printed than numbers: a column's number was held back past its
    header to a later run, so the numbers are not printed in the row's order (Chromium's
    Letter print: 行政复议's five headers, its four numbers; its total after the next
    group's four). Headers printed late (LibreOffice: numbers ahead of them) move no number."""
    if len(sizes) < 2:
        return False
    headers = numbers = 0
    for i, ((_cells, texts), size) in enumerate(zip(runs, sizes)):
        if i == 0:   # from table 四's heading on, when it is among the first run's texts
            at = [j for j, t in enumerate(texts) if (T.section_of(t.text) or (None, None))[1] == "review"]
            texts = texts[at[-1] + 1:] if at else texts
        headers += sum(ch in _REVIEW_FIELD_MARKS for t in texts for ch in t.text)
        numbers += size
        if headers > numbers:
            return True
    return False


def _unchallenged(groups: dict, where: dict, partial: list):
    """The groups no order of the pieces tried, where a number was held back past its
    header (every order on a par, as printed too), gives other numbers that add up as that
    group: a group's total checks that group only, so an order in which another group
    fails is no evidence against this group's numbers there. (A swap of two numbers of
    two groups in a Chromium Letter print, pieces 1 0 0 0 | 1 0 0 1 0 | 1 0 1 2 1 4: the
    true order no longer adds up, the one left reads 未经复议直接起诉 as 0 0 1 0 1 where
    another order gives it 1 0 0 0 1, adding up too.) (groups, where) or (None, None)."""
    out, kept = {}, {}
    for g, cols in groups.items():
        if None not in cols.values() and all(p.get(g, cols) == cols for p in partial):
            out[g] = cols
            kept.update((path, c) for path, c in where.items() if path.split(".")[1] == g)
        else:
            out[g] = dict.fromkeys(T.REVIEW_FIELDS)
    return (out, kept) if kept else (None, None)


def _without_run(runs, j):
    """The runs with run ``j`` taken out (table 三's cells printed among table 四's): the
    text before it and after it then stand between the runs it parted."""
    if j is None:
        return runs
    out = list(runs[:j])
    if j + 1 < len(runs):
        out.append((runs[j + 1][0], runs[j][1] + runs[j + 1][1]))
        out += runs[j + 2:]
    return out


def _review_numbers(runs) -> tuple[list, list[int]]:
    """Table 四's numbers wherever a text tool printed them (_review_pieces): (cells, sizes of the runs)."""
    pieces = _review_pieces(runs)
    return [c for cells, _texts in pieces for c in cells], [len(cells) for cells, _texts in pieces]


def _review_all_zero(mine: list):
    """Table 四 when its 15 numbers are all 0: which group a number was printed in then
    does not matter, and every group's total holds (0 + 0 + 0 + 0 = 0). Numbers that are
    not all 0 are not placed so: no sum tells one group's from another's."""
    groups = {g: dict.fromkeys(T.REVIEW_FIELDS, 0) for g in T.REVIEW_GROUPS}
    where = {f"review_litigation.{g}.{f}": mine[5 * i + j]
             for i, g in enumerate(T.REVIEW_GROUPS) for j, f in enumerate(T.REVIEW_FIELDS)}
    return groups, where


def fill_by_position(doc, template: str, applications: dict | None, review: dict | None,
                     provenance: dict, findings: list):
    """Fill the cells the labels left blank from a reading by position, where that reading
    adds up and agrees with every cell the labels did read. Returns (applications, review)."""
    def incomplete_apps():
        keys = T.rows_for(template)
        return applications is None or any(
            k not in applications or any(v is None for v in applications[k].values()) for k in keys)

    def incomplete_review():
        return review is None or any(v is None for g in review.values() for v in g.values())

    if not (incomplete_apps() or incomplete_review()):
        return applications, review
    runs = number_runs(doc)
    took = [None]   # the runs table 三's reading took from among table 四's (None: none)
    unread = []     # why table 四 was not read whole by review_by_position, when others read part of it

    def review_reading(took, after_heading: bool):
        seen = []
        readings = [review_by_position(_without_run(runs, j), after_heading, seen) for j in took]
        groups, where = readings[0]
        if any(repr(g) != repr(groups) for g, _w in readings[1:]):
            groups, where = None, ("the numbers left to it differ with the way table 三's cells "
                                   "among them were read")
        if groups is None or any(None in cols.values() for cols in groups.values()):
            # (the readings of pieces only with table 三 read whole: its numbers left unread may
            # stand amid table 四's pieces, even right after table 四's headers; a number in the
            # box of its header, below it, is none of table 三's)
            before = groups
            groups, where = _with_totals_reading(groups, where, [_without_run(runs, j) for j in took], seen,
                                                 readers=None if after_heading else (review_by_boxes,))
            if before is None and groups is not None:
                unread.append(readings[0][1] if readings[0][0] is None else "its readings differ")
        return groups, where

    # table 三's numbers all located: every cell read, or the table read whole by position and
    # agreeing with its labels, the cells it left blank (disputed, doubted) among the numbers
    # its window took, none of them amid table 四's pieces unless that reading took them (took)
    located = not incomplete_apps()
    if not located:
        rows, where, consumed, disputed = _applications_reading(runs, template, applications)
        if rows is not None:
            located = _agrees(rows, applications)
            applications = _merge("applications", applications, rows, where, provenance, findings)
            took = consumed
            if disputed:
                # the rows a page proves alone (page_parts) may read cells the readings dispute
                # (zeros that a row of 1s, placed by the sums in any of several rows, leaves
                # unproven): evidence of their own, not a choice among the readings, which stay
                # as they are (narrowed to those agreeing with the pages, a single edited number
                # could leave one wrong reading standing alone)
                applications = _page_rows(doc, runs, template, applications, provenance, findings)
            _disputed(findings, applications, disputed, "the readings of table 三 by position that add up, as printed or "
                      "with two neighbouring numbers swapped,")
        else:
            findings.append(_table_finding("applications", f"table 三 not read by position: {where}"))
            applications = _head_rows(runs, template, applications, provenance, findings)
            applications = _split_rows(runs, template, applications, provenance, findings)
            applications = _first_band(runs, template, applications, provenance, findings)
            applications = _page_rows(doc, runs, template, applications, provenance, findings)
            applications = _first_row(doc, runs, template, applications, provenance, findings)
            applications = _first_page_rest(doc, runs, template, applications, provenance, findings)
            applications = _total_rows(doc, runs, template, applications, provenance, findings)
            if incomplete_apps():
                applications = _page_pieces(doc, runs, template, applications, provenance, findings)
            if incomplete_apps():
                applications = _first_group_bands(runs, template, applications, provenance, findings)
    if incomplete_review():
        groups, where = review_reading(took, located)
        if groups is not None:
            review = _merge("review_litigation", review, groups, where, provenance, findings)
            differ = [g for g, cols in groups.items() if None in cols.values()]
            if differ and unread:
                findings.append(_table_finding(
                    "review_litigation", f"table 四 not read by position: {unread[0]}; only the groups read "
                    f"from their headers or totals are placed, {', '.join(differ)} stay blank"))
            elif differ:
                findings.append(_table_finding(
                    "review_litigation", f"table 四 read by position: several readings of its numbers add up; "
                    f"only the groups on which they all agree are placed, {', '.join(differ)} differ and stay blank"))
        else:
            findings.append(_table_finding("review_litigation", f"table 四 not read by position: {where}"))
    return applications, review


def _head_rows(runs, template: str, applications, provenance, findings):
    """Table 三's first rows where its last ones are printed where no reading can follow
    them (head_rows), when the whole table could not be read by position. Not where the
    labels read a row of another template's table 三 (其他处理 whole in a 2019 table taken
    for 2021's): the rows are placed by the template's order, which is then not the table's."""
    keys = T.rows_for(template)
    if any(row not in keys for rows in T.APPLICATION_ROWS.values() for row in rows
           if row in (applications or {})):
        return applications
    try:
        head = head_rows(runs, template, *table_area(runs), known=applications)
    except _TooMany:
        return applications
    return _rows_placed(applications, head, "only its first rows, {}, from the runs after its first row's label, "
                        "each adding up", "the readings of table 三's first rows", provenance, findings)


def _rows_placed(applications, found, what: str, readings: str, provenance, findings):
    """Some of table 三's rows read by position (``found``: rows, where, disputed; None: none)
    merged, with a finding saying ``what`` ({}: the rows) and one for each disputed cell."""
    if found is None:
        return applications
    rows, where, disputed = found
    applications = _part((rows, where), what.format(", ".join(rows)), applications, provenance, findings)
    _disputed(findings, applications, disputed, f"{readings} that add up, as printed or with two neighbouring "
              "numbers swapped,")
    return applications


def _split_rows(runs, template: str, applications, provenance, findings):
    """Table 三's rows on a later page, printed as column pieces with their 总计 column last
    (split_pieces), when the whole table could not be read by position: each placement
    standing only where the rows add up, the columns down to 总计 and, with the first page's
    rows read, the balance."""
    keys = T.rows_for(template)
    outcomes = T.outcomes_for(template)

    def holds(m, reading):
        later = _by_row(reading, keys[m:])
        if any(r not in later for r in (*outcomes, "total", "carried_forward")):
            return False
        if not all(_holds([later[r][c] for r in outcomes], later["total"][c]) for c in T.APPLICANT_COLUMNS):
            return False
        head = {k: (applications or {}).get(k) or {} for k in keys[:m]}
        if all(head[k].get(c) is not None for k in keys[:m] for c in T.APPLICANT_COLUMNS):
            return _applications_hold({**head, **later}, template)
        return True

    start, end = table_area(runs)
    if start == 0:
        return applications     # no heading of table 三: its area is not known
    return _rows_placed(applications, split_pieces.later_rows(runs, start, end, keys, holds),
                        "its rows {}, printed after a page break as column pieces with their 总计 column last, "
                        "adding up", "the placements of table 三's later rows", provenance, findings)


def _first_band(runs, template: str, applications, provenance, findings):
    """Table 三's first rows where pdfminer printed them column by column under their
    headers (column_runs), when the whole table could not be read by position."""
    band = first_band(runs, template, *table_area(runs))
    if band is None:
        return applications
    rows, where = band
    findings.append(_table_finding("applications", f"table 三 by position: only its rows {', '.join(rows)}, "
                                   "printed column by column under their headers, each adding up"))
    return _merge("applications", applications, rows, where, provenance, findings)


def _page_rows(doc, runs, template: str, applications, provenance, findings):
    """Table 三's rows of each page that holds whole rows only, read from that page's numbers
    alone (page_parts: named by their label words or their numberings, agreeing; wrapped
    numbers joined), when the whole table could not be read by position."""
    start, end = table_area(runs)
    if start == 0:
        return applications     # no heading of table 三: its area is not known
    for rows, where in page_rows(runs, template, start, end, page_finder(doc)):
        findings.append(_table_finding("applications", f"table 三 by position: its rows {', '.join(rows)}, "
                                       "the whole rows of one page, read from that page's numbers, each adding up"))
        applications = _merge("applications", applications, rows, where, provenance, findings)
    return applications


def _first_row(doc, runs, template: str, applications, provenance, findings):
    """Table 三's first row from the numbers pdfminer prints right after each column's header
    (first_row), when the whole table could not be read by position."""
    start, end = table_area(runs)
    if start == 0:
        return applications     # no heading of table 三: its area is not known
    return _part(first_row(runs, template, start, end, page_finder(doc)), "its first row, each column's "
                 "number printed right after its header, adding up", applications, provenance, findings)


def _first_page_rest(doc, runs, template: str, applications, provenance, findings):
    """Table 三's first page below its first row where its organisation columns print only 0
    there (first_row.first_page_rest), when the whole table could not be read by position."""
    start, end = table_area(runs)
    if start == 0:
        return applications     # no heading of table 三: its area is not known
    found = first_page_rest(runs, template, start, end, page_finder(doc))
    if found is None:
        return applications
    return _part(found, f"its first page's rows {', '.join(found[0])}, below its first row: its organisation "
                 "columns' numbers there all 0 after their headers, which every order of them gives, each row's "
                 "自然人 its total", applications, provenance, findings)


def _total_rows(doc, runs, template: str, applications, provenance, findings):
    """Table 三's 总计 and 结转 rows from pdfminer's two-number boxes, each column's pair
    holding the balance (total_rows), when the whole table could not be read by position."""
    start, _end = table_area(runs)
    if start == 0:
        return applications     # no heading of table 三: its area is not known
    return _part(total_rows(doc, runs, template, start, applications), "its total and carried_forward rows, "
                 "each column's two printed in one box, holding the balance", applications, provenance, findings)


def _page_pieces(doc, runs, template: str, applications, provenance, findings):
    """Table 三 read page by page as column pieces (page_pieces), when the whole table could
    not be read by position: after the readers of its parts, so that its readings must agree
    with the cells they read (the rows split_pieces proves on a later page stay as read there,
    where the pages' readings may leave them blank for a swap that print rules out), and fill
    only the cells still blank. A cell the readings give different numbers, or that a print
    with two neighbouring numbers swapped places otherwise, stays blank."""
    return _pieces_read(PagePieces(runs, template, page_finder(doc)), template, applications, provenance, findings,
                        "page by page", "its pages' numbers read page by page as column pieces, every row adding up "
                        "and the whole table holding", "pages' prints")


def _first_group_bands(runs, template: str, applications, provenance, findings):
    """Table 三 as column pieces beside its labelled 总计 column whose first column group is
    cut into bands of its own (column_pieces.FirstGroupBands), when neither the whole table
    nor its pages could be read so: as _page_pieces, doubts of swapped prints included."""
    return _pieces_read(column_pieces.FirstGroupBands(runs, T.rows_for(template)), template, applications,
                        provenance, findings, "as column pieces, its first column group in bands of its own",
                        "column pieces beside its 总计 column, the first column group in bands of its own, every "
                        "row adding up and the whole table holding", "prints")


def _pieces_read(pieces, template: str, applications, provenance, findings, how: str, what: str, prints: str):
    """The cells still blank filled from a reader of table 三's pieces (``pieces``: its
    ``readings()`` and their ``doubts(holds)``) where its readings hold as table 三 and agree
    with the cells read, a cell they give different numbers, or that a print with two
    neighbouring numbers swapped places otherwise, left blank; ``how`` it was read (a
    finding's words), ``what`` it read, the ``prints`` with a swap it weighs."""
    keys = T.rows_for(template)
    found: dict = {}
    for reading, cells in pieces.readings():
        _keep(found, reading, cells, keys, template, None)
    agreeing = [reading for reading in found.values() if _agrees(reading[0], applications)]
    if not agreeing:
        return applications
    rows, where, _consumed, disputed = _common(agreeing)
    doubts = pieces.doubts(lambda reading: _applications_hold(r := _by_row(reading, keys), template)
                           and _agrees(r, applications))
    if doubts is None:
        findings.append(_table_finding("applications", f"table 三 not read {how}: too many readings of its "
                                       f"{prints} with two neighbouring numbers swapped to weigh"))
        return applications
    paths = [f"applications.{k}.{col}" for k in keys for col in T.APPLICANT_COLUMNS]
    _blank_doubted(rows, where, disputed, {paths[j]: numbers for j, numbers in doubts.items()})
    return _rows_placed(applications, (rows, where, disputed), what, f"the readings of table 三 {how}",
                        provenance, findings)


def _part(found, how: str, applications, provenance, findings):
    """Table 三's rows a reader of part of it ``found`` ((rows, {path: cell}) or None), merged
    with a finding saying ``how`` they were read."""
    if found is None:
        return applications
    rows, where = found
    findings.append(_table_finding("applications", f"table 三 by position: {how}"))
    return _merge("applications", applications, rows, where, provenance, findings)


def _disputed(findings: list, applications, disputed: dict, readings: str) -> None:
    """A finding for each cell of ``disputed`` ({path: the numbers the readings give it})
    that nothing else read: what ``readings`` gave it, so it is blank."""
    for path, values in disputed.items():
        _t, row, col = path.split(".", 2)
        if ((applications or {}).get(row) or {}).get(col) is None:
            findings.append(finding(
                "position_unconfirmed", f"{path}: {readings} "
                + (f"give it different numbers ({', '.join(map(str, values))})" if len(values) > 1 else
                   f"take its {values[0]} from different printed numbers") + ", so it is left blank",
                table="applications", row=row, column=col))


def _table_finding(table: str, message: str) -> dict:
    return finding("position_unconfirmed", message, table=table)


def _merge(table, read, by_position, where, provenance, findings):
    """Cells read by label must agree with the positional reading, else it is not used."""
    read = read or {}
    for row, cols in by_position.items():
        for col, v in cols.items():
            have = (read.get(row) or {}).get(col)
            if v is not None and have is not None and have != v:
                findings.append(finding(
                    "position_conflict", f"{table}.{row}.{col}: read {have} by its label, but the table "
                    f"read by position says {v}; the positional reading is not used",
                    table=table, row=row, column=col, expected=have, actual=v))
                return read or None
    # blank-by-finding cells (placeholders, unreadable text) stay blank: only cells that were
    # never read are filled
    explained = {(f.get("table"), f.get("row"), f.get("column")) for f in findings}
    # the template's row order, then whatever else the labels read
    out = {row: dict(read.get(row) or {c: None for c in cols}) for row, cols in by_position.items()}
    out.update((row, dict(cols)) for row, cols in read.items() if row not in out)
    for row, cols in by_position.items():
        target = out.setdefault(row, {c: None for c in cols})
        for col, v in cols.items():
            if v is not None and target.get(col) is None and (table, row, col) not in explained:
                target[col] = v
                provenance[f"{table}.{row}.{col}"] = _provenance(where[f"{table}.{row}.{col}"])
    # a row the labels could not place, now whole, is no longer unmapped
    findings[:] = [f for f in findings if not (
        f.get("rule") == "unmapped_row" and f.get("table") == table and f.get("row") in out
        and all(v is not None for v in out[f["row"]].values()))]
    return out


def _provenance(cell) -> dict:
    """A position-placed number's provenance: the cell it was read from (runs.one_of's, where
    its place is one of several: its note says so)."""
    src = cell.src
    return {"file": None, "sha256": None, "page": src.page if src else None,
            "locator": src.locator if src else "", "method": POSITION,
            "confidence": src.confidence if src else None, "note": cell.note}
