"""Table 三's rows on a later page, printed as column pieces with the 总计 column last.

Where a text PDF splits table 三 across pages (reportlab's split tables), pdfminer prints the
rows of the later page box by box after their labels, with no column header before any of
them: the applicant columns in pieces (a few columns at a time, each column top to bottom,
cut where a box ends), then the 总计 column of those rows whole, as the last numbers:

    (一)予以公开 420 37 | (二)部分公开 … 四、结转下年度继续办理 0 … 26 0 … | 447 26 38 2 | … | 459 0 … 487 28

A row whose label runs alone (（一）予以公开, 1.本机关不掌握相关政府信息) may come out with its
first numbers in the label's box, apart from the pieces (one or several such rows). This is
column_pieces' print without its labelled 总计 run: its placements (column_pieces._layouts)
are read the same way, the cells apart from the pieces at any row. A placement stands only
where every row adds up to its 总计, the columns down to 总计 and, with the first page's
rows read already, the balance; where several stand, or a print with two neighbouring numbers
swapped has a reading that stands too, the cells they place otherwise stay blank
(positions._common, swaps.doubtful).
"""
from __future__ import annotations

from . import templates as T
from .column_pieces import _labelled_row, _layouts, position
from .runs import _all_numbers, numbers_around
from .swaps import doubtful, swapped_readings

N_COLS = len(T.APPLICANT_COLUMNS) - 1     # the applicant columns, without 总计
MAX_SWAPPED = 400                         # prints with a swap read at most; past that none is proven


def _labels(texts, keys) -> set:
    """The rows (of ``keys``) whose labels are among the texts."""
    return {T.first_match(T.APPLICATION_ROW_LABELS, t.text.replace(" ", "")) for t in texts} & set(keys)


def _stops(runs, end: int, keys) -> list:
    """Where table 三's later rows may end: at table 四's headers, or one run past them where
    that run's texts hold table 三's last labels and then table 四's heading (pdfminer printing
    the heading's box before the last page's numbers)."""
    past = end < len(runs) and keys[-1] in _labels(runs[end][1], keys)
    return [end, end + 1] if past else [end]


def _windows(runs, start: int, end: int, keys):
    """Each window of whole runs ending with the table's area (runs[j:stop]) whose numbers are
    exactly those of rows m.. of the table, its first run after the label of row m:
    (m, the cells, {row: (first place, count) of its first cells printed with its label alone})."""
    n_all = len(T.APPLICANT_COLUMNS)
    for stop in _stops(runs, end, keys):
        for j in range(start + 1, stop):
            cells = [c for run, _t in runs[j:stop] for c in run]
            for m in range(1, len(keys)):
                if len(cells) != (len(keys) - m) * n_all or keys[m] not in _labels(runs[j][1], keys):
                    continue
                apart, at = {}, 0
                for run, texts in runs[j:stop]:
                    row = _labelled_row(texts, keys)
                    if row is not None and row >= m and 0 < len(run) < N_COLS:
                        apart[row - m] = (at, len(run))
                    at += len(run)
                yield m, cells, apart


def _placer(size: int, n: int, apart: dict):
    """place(widths, lo, hi, r): the places among a window's ``size`` numbers of row r's
    cells (its applicant columns', then its 总计) in that layout's band; each computed once."""
    apart_places = {(r, k): at + k for r, (at, count) in apart.items() for k in range(count)}
    apart_cells = frozenset(apart_places)
    pieces_at = [i for i in range(size - n) if i not in set(apart_places.values())]
    places: dict = {}

    def place(widths, lo, hi, r):
        key = (widths, lo, hi, r)
        if key not in places:
            places[key] = tuple(apart_places[r, c] if (r, c) in apart_cells else
                                pieces_at[position(widths, lo, hi, r, c, n, apart_cells)]
                                for c in range(N_COLS)) + (size - n + r,)
        return places[key]
    return place


def _read(values: list, n: int, place, holds, checked: dict, spans: dict, base: dict | None = None,
          swap: int = -2) -> dict:
    """{reading (values by row): place of each cell} of every placement of ``values`` (the
    window's numbers in print order) whose rows add up and that ``holds``. ``checked``: the
    bands checked on this print; ``base``: those of the print before the swap at ``swap``,
    reused for a band that holds neither swapped place (``spans``: each band's places)."""
    def band_at(widths, lo, hi):     # the band's rows (values, places) where each adds up, else None
        key = (widths, lo, hi)
        if key not in checked:
            if base is not None and key in base:
                if key not in spans:
                    spans[key] = frozenset(i for r in range(lo, hi) for i in place(widths, lo, hi, r))
                if swap not in spans[key] and swap + 1 not in spans[key]:
                    checked[key] = base[key]
                    return checked[key]
            rows = []
            for r in range(lo, hi):
                at = place(widths, lo, hi, r)
                row = tuple(values[i] for i in at)
                if sum(row[:-1]) != row[-1]:
                    rows = None
                    break
                rows.append((row, at))
            checked[key] = rows
        return checked[key]

    out: dict = {}
    for widths, bands in _layouts(n, N_COLS):
        rows = []
        for lo, hi in bands:
            band = band_at(widths, lo, hi)
            if band is None:
                break
            rows += band
        else:
            reading = tuple(v for v, _at in rows)
            if reading not in out and holds(reading):
                out[reading] = tuple(i for _v, at in rows for i in at)
    return out


def readings(runs, start: int, end: int, keys, holds):
    """For each window of table 三's later rows (_windows): (m, its cells, {reading: places},
    {cell index: numbers a swapped print's reading gives it}) where some placement stands
    (``holds(m, reading)``: the table's sums with rows m.. read so), or None where too many
    swapped prints were to be read."""
    for m, cells, apart in _windows(runs, start, end, keys):
        values = _all_numbers(cells)
        if values is None:
            continue
        n = len(keys) - m
        place, base, spans = _placer(len(values), n, apart), {}, {}

        def read(printed, swap=-2, m=m, place=place, base=base, spans=spans):
            return _read(printed, n, place, lambda reading: holds(m, reading), {} if swap > -2 else base, spans,
                         base if swap > -2 else None, swap)
        found = read(values)
        if not found:
            continue
        swapped = []
        for i, other, at in swapped_readings(values, read, numbers_around(runs, cells[0], cells[-1])):
            swapped.append((i, other, at))
            if len(swapped) > MAX_SWAPPED:
                return None
        doubts: dict = {}
        for reading, at in found.items():
            for j, numbers in doubtful(reading, at, swapped).items():
                doubts.setdefault(j, set()).update(numbers)
        yield m, cells, found, doubts


def later_rows(runs, start: int, end: int, keys, holds):
    """What the windows' placements prove together: (rows {key: {column: value}}, {path: cell},
    {path: numbers} of cells left blank), or None where nothing stands. A cell stands where
    every placement of every window gives it the same number from the same printed number and
    no swapped print's reading places it otherwise."""
    found = []
    for window in readings(runs, start, end, keys, holds):
        if window is None:
            return None
        found.append(window)
    if not found or len({m for m, *_ in found}) != 1:
        return None
    m = found[0][0]
    rows: dict = {}
    where: dict = {}
    disputed: dict = {}
    for r, key in enumerate(keys[m:]):
        rows[key] = {}
        for c, col in enumerate(T.APPLICANT_COLUMNS):
            j = r * len(T.APPLICANT_COLUMNS) + c
            path = f"applications.{key}.{col}"
            numbers = {reading[r][c] for _m, _cells, placed, _d in found for reading in placed}
            cells = {id(cells[at[j]]): cells[at[j]] for _m, cells, placed, _d in found for at in placed.values()}
            doubted = set().union(*(doubts.get(j, set()) for _m, _c, _p, doubts in found))
            if len(numbers) == 1 and len(cells) == 1 and not doubted:
                rows[key][col] = next(iter(numbers))
                where[path] = next(iter(cells.values()))
            else:
                rows[key][col] = None
                disputed[path] = sorted(numbers | doubted)
    return rows, where, disputed
