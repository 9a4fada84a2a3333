"""Numbers placed by position are kept only where the template's own arithmetic confirms them.

When a row's values cannot be placed by column headers (flattened text has no columns,
OCR re-cuts a table under placeholder headers, labels are cut away from their values),
the mapper places them in the template's column order. Such a placement is a claim,
not a reading; it stands only when a rule of the template holds over it:

- table 三: the row's ``total`` equals the sum of its six applicant columns, or the
  cell's column adds up (the outcome rows to ``total``; the balance
  ``new_received + carried_over = total + carried_forward``);
- table 四: the group's ``total`` equals ``upheld + corrected + other + pending``.

A cell no rule confirms is set to ``null`` with a ``position_unconfirmed`` finding that
says why: never a guess.

Numbers read by OCR (``method: "ocr"``) in tables 三 and 四 are held to the same test,
however sure the engine was: a sure engine still reads what it was shown (at 100 dpi a 16
whose 1 was lost is a sure 6; in a fold's shadow a 2 with a smudge beside it a sure 20).
A dropped one gets an ``ocr_unconfirmed`` finding. Table 二 has no rule within one report: an OCR'd number there stands when the
engine is sure of it (``OCR_SURE``) and is left blank otherwise, also when the table is
read by its structure.
"""
from __future__ import annotations

import itertools
import re

from pipelines.record import finding

from . import column_pieces
from . import templates as T
from .active_pairs import pairs_reading
from .blocks import OCR, POSITION, Line, Table, line_no, page_finder
from .column_runs import first_band, table_area
from .head_rows import head_rows
from .mapping import _cell, _line_items
from .numbers import NUMBER, PLACEHOLDER, TEXT
from .page_parts import page_rows
from .pdf import PAGE_NUMBER_RE
from .review_boxes import review_by_boxes
from .review_headed import review_by_headers
from .review_totals import review_by_totals
from .total_rows import total_rows
from .runs import (_REVIEW_FIELD_PIECES, _after_another_tables_label, _agreed_groups, _all_numbers,
                   _fields_only, _line_of, _not_other_tables, _one_block, _read_across, _review_pieces,
                   _review_starts, _window_ending, compositions)

OCR_SURE = 0.8   # engine confidence (least sure character) at which an OCR'd number of table 二
                 # stands on its own: on benchmarks/ocr.py's clean scans none above it was wrong
                 # (on its messy ones, numbers of table 三 above it were: there the sums decide)
APPLICANTS = T.APPLICANT_COLUMNS[:-1]
BALANCE_ROWS = ("new_received", "carried_over", "total", "carried_forward")


def _sum(values):
    return None if any(v is None for v in values) else sum(values)


def _holds(parts, total) -> bool:
    s = _sum(parts)
    return s is not None and total is not None and abs(s - total) < 1e-6


def confirm(template: str, applications: dict | None, review: dict | None,
            provenance: dict, findings: list, active: dict | None = None,
            by_order: set | None = None, row_totals: bool = True) -> None:
    """Drop (to null, with a finding) every position-placed number, OCR'd number of tables
    三/四 and unsure OCR'd number of table 二 no rule confirms. Position-placed: those named in ``by_order`` (placed by column order, whatever
    method a reader gave them), else those whose provenance says position_checked.
    ``row_totals=False``: the numbers of rows that add up both with a number wrapped in its
    cell joined and as printed (layout_wraps): only their columns' sums may confirm them."""
    placed = set(by_order) if by_order is not None else \
        {path for path, p in provenance.items() if p.get("method") == POSITION}
    placed |= {path for path, p in provenance.items() if p.get("method") == OCR
               and (unsure_ocr(p) or not path.startswith("active_disclosure."))}
    # table 二's rows of no template label: the mapper names their numbers by the label
    # ("active_disclosure.<label>.<column>"; labels may hold dots)
    extra = {f"active_disclosure.{label}.{col}": (label, col)
             for label, cols in ((active or {}).get("extra") or {}).items() for col in cols}
    # an OCR'd label that is none of the template's may as well be a misread one (规章 read
    # as 现章): its numbers cannot be told to be that row's
    misread = {path for path in extra if (provenance.get(path) or {}).get("method") == OCR}
    placed |= misread
    if not placed:
        return
    doubtful = []
    apps = applications or {}
    outcomes = T.outcomes_for(template)

    def col(row, c):
        return (apps.get(row) or {}).get(c)

    def by_row_or_column(path) -> bool:
        _table, row, column = path.split(".", 2)
        cells = apps.get(row) or {}
        sums = [([cells.get(c) for c in APPLICANTS], cells.get("total"))] if row_totals else []
        if (row in outcomes or row == "total") and all(r in apps for r in outcomes):
            sums.append(([col(r, column) for r in outcomes], col("total", column)))
        return any(_holds(parts, total) for parts, total in sums)

    # the balance is one equation over four cells: it confirms one of them only where no
    # other of them is an OCR'd number that stands on nothing of its own (no row or column
    # sum). Two misread digits can make it hold together: OCR read both 3119 and 3050 with
    # their 3 as 8, and 8119 + 34 = 8050 + 103. Numbers placed by position print their own
    # digits, and a wrapped number's two readings (joined, as printed) are what the balance
    # tells apart (tests/test_layout_wraps.py)
    confirmed = {path for path in placed if path.startswith("applications.") and by_row_or_column(path)}

    def stands(path) -> bool:
        return path not in placed or path in confirmed or (provenance.get(path) or {}).get("method") != OCR

    def by_balance(row, column) -> bool:
        others = [f"applications.{r}.{column}" for r in BALANCE_ROWS if r != row]
        return all(stands(p) for p in others) and \
            _holds([col("new_received", column), col("carried_over", column)],
                   _sum([col("total", column), col("carried_forward", column)]))

    for path in sorted(placed):
        table, row, column = path.split(".", 2)
        if table == "applications":
            if not (path in confirmed or (row in BALANCE_ROWS and by_balance(row, column))):
                doubtful.append((path, applications, "neither its row total nor its column's sums hold"
                                 if row_totals else _TWO_WAYS))
        elif table == "review_litigation":
            cells = (review or {}).get(row) or {}
            if not row_totals:
                doubtful.append((path, review, _TWO_WAYS))
            elif not _holds([cells.get(f) for f in ("upheld", "corrected", "other", "pending")], cells.get("total")):
                doubtful.append((path, review, "the group's total does not hold"))
        elif path in misread:
            doubtful.append((path, active, f"its row's label, read by OCR, is none of the template's "
                                           f"({extra[path][0]!r}: a misread label or a row of the report's own)"))
        elif table == "active_disclosure" and active is not None:
            doubtful.append((path, active, "table 二 has no sum to check it by"))
    for path, tbl, why in doubtful:
        _table, row, column = path.split(".", 2)
        if path in extra:
            row, column = extra[path]
            cells = tbl["extra"][row]
        else:
            cells = tbl[row]
        value = cells[column]
        cells[column] = None
        entry = provenance.pop(path, None) or {}
        if entry.get("method") == OCR and path not in (by_order or ()):  # doubted as a reading, not a placing
            confidence = entry.get("confidence") or 0
            findings.append(finding(
                "ocr_unconfirmed", f"{path}: OCR read {value} with confidence {confidence:.2f}"
                f"{f' (below {OCR_SURE})' if confidence < OCR_SURE else ''} and {why}, so it is left "
                "blank rather than guessed",
                table=_table, row=row, column=column, actual=value))
            continue
        findings.append(finding(
            "position_unconfirmed", f"{path}: {value} was placed only by the template's column order and "
            f"{why}, so it is left blank rather than guessed", table=_table, row=row, column=column, actual=value))


_TWO_WAYS = ("its row adds up both with a number wrapped in its cell joined and as printed, and no "
             "column's sums hold over it")


def unsure_ocr(entry) -> bool:
    """An OCR'd number (a provenance entry or a cell's Source) the engine was not sure of."""
    if not isinstance(entry, dict):
        entry = {"method": entry.method, "confidence": entry.confidence}
    return entry.get("method") == OCR and (entry.get("confidence") or 0.0) < OCR_SURE


# ---- reading a table by position ---------------------------------------------------
#
# Text tools lose the table: pdftotext cuts each label into pieces around its row's
# numbers, pdfminer prints a table column by column, OCR drops the labels. What stays is
# the order of the numbers. Table 三 is 25 (2021) or 23 (2019) rows of 7 numbers, table
# 四 one row of 15: a run of exactly that many numbers, whole runs only (a run: numbers
# with no text between them), read in bands of consecutive rows each row by row or column
# by column (pdfminer keeps a few rows' cells together per column), is accepted only when
# every rule of the template holds over it and no other reading gives other numbers.


def number_runs(doc) -> list[tuple[list, list]]:
    """The document's numbers as runs: [(numeric cells, text cells before the run)]."""

    runs: list[tuple[list, list]] = []
    texts: list = []
    current: list = []
    running = _running_texts(doc)

    def add(cell):
        nonlocal texts, current
        if cell.kind in (NUMBER, PLACEHOLDER):
            current.append(cell)
        elif cell.kind == TEXT:
            if current:
                runs.append((current, texts))
                current, texts = [], []
            texts.append(cell)

    for block in doc.blocks:
        if isinstance(block, Table):
            for r, row in enumerate(block.rows):
                for c, t in enumerate(row):
                    if (r, c) not in block.spanned:
                        add(_cell(c, t or "", False, block.sources.get((r, c))))
            continue
        if PAGE_NUMBER_RE.match(block.text) or block.text.replace("\f", "").strip() in running:
            continue        # "- 4 -", a running header: furniture, not a cell
        for kind, item in _line_items(block.text, block.source):
            for cell in (item if kind == "row" else [item]):
                add(cell)
    if current:
        runs.append((current, texts))
    return runs


RUNNING_MIN_PAGES = 3   # a text on each of this many pages or more, no label of the template, is furniture
RUNNING_MIN_LEN = 6


def _running_texts(doc) -> set[str]:
    """Text: the lines printed on every page of three or more (form feeds part them), none a
    label or header of the template: a browser's running header and footer (the report's
    title, the print date, the file's address) or a word processor's. pdftotext may place
    one amid a table's numbers (the title between table 四's first number and the rest, its
    numbers printed at the top of a page): it is no text of the table."""
    lines = [b for b in doc.blocks if isinstance(b, Line) and b.source is not None
             and b.source.locator.startswith("lines ")]
    if sum(b.text.count("\f") for b in lines) + 1 < RUNNING_MIN_PAGES:
        return set()
    on_pages: dict = {}
    page = 0
    pages = {0}
    for b in lines:                 # in the text's order: a form feed opens the next page
        page += b.text.count("\f")
        pages.add(page)
        text = b.text.replace("\f", "").strip()
        if len(text) >= RUNNING_MIN_LEN:
            on_pages.setdefault(text, set()).add(page)
    return {t for t, at in on_pages.items() if at == pages and not _template_text(t)}


def _template_text(text: str) -> bool:
    """A heading, header or row label of the template's tables."""
    t = text.replace(" ", "")
    return bool(T.section_of(t) or T.is_header(t) or T.group_of(t)
                or T.first_match(T.ACTIVE_ROW_LABELS, t) or T.first_match(T.APPLICATION_ROW_LABELS, t)
                or T.first_match(T.REVIEW_GROUP_LABELS, t))


def _windows(runs, size: int, allowed_between):
    """Whole runs adding up to exactly ``size`` numbers, with only allowed text between:
    (index of the first run, cells, sizes of the runs)."""
    for i in range(len(runs)):
        total, cells, sizes = 0, [], []
        for j in range(i, len(runs)):
            if j > i and not allowed_between(runs[j][1]):
                break
            total += len(runs[j][0])
            cells += runs[j][0]
            sizes.append(len(runs[j][0]))
            if total >= size:
                if total == size:
                    yield i, cells, sizes
                break


MAX_READINGS = 4096  # distinct readings of one run past which it is ambiguous anyway


_PIECES = "pieces"   # a band's order: column groups, each cut into the same bands of rows (_band_readings)


def _piece_place(widths: tuple, edges: tuple, k: int, i: int, c: int) -> int:
    """The place of row i's cell in column c in the print of a band of k rows printed in
    column-group pieces of these widths, each group cut at ``edges`` (0, cuts…, k): the
    groups before c's whole, then its group's earlier bands, then this band's earlier
    columns (as column_pieces._position, with no cell apart)."""
    first = 0
    for w in widths:
        if c < first + w:
            break
        first += w
    a, b = next((a, b) for a, b in zip(edges, edges[1:]) if a <= i < b)
    return first * k + a * w + (c - first) * (b - a) + i - a


class SwapView(dict):
    """The bands checked on a print (``base``) as seen by a reading of the same print with
    the numbers at ``i`` and ``i + 1`` swapped: a band (or rows checked as a page part)
    that holds neither is checked as before; one that holds either, anew."""

    def __init__(self, base: dict, i: int, n_cols: int):
        super().__init__()
        self.base, self.i, self.n_cols = base, i, n_cols

    def _shared(self, key) -> bool:
        r, r2 = key[0], key[1]
        return not (r * self.n_cols <= self.i + 1 and self.i < r2 * self.n_cols)

    def __contains__(self, key):
        return key in self.base if self._shared(key) else super().__contains__(key)

    def __getitem__(self, key):
        return self.base[key] if self._shared(key) else super().__getitem__(key)

    def __setitem__(self, key, value):
        if self._shared(key):
            self.base[key] = value
        else:
            super().__setitem__(key, value)


def _piece_cuts(k: int) -> list:
    """The ways to cut a band of k rows printed in column-group pieces: once or twice (a
    page part's first row and last row may each be grouped apart)."""
    return [c for n in (1, 2) for c in itertools.combinations(range(1, k), n)]


class _TooMany(Exception):
    pass


def _band_readings(values: list, n_rows: int, n_cols: int, row_ok, lines: list | None = None,
                   reordered: bool = False, breaks: frozenset = frozenset(),
                   headed: tuple = (frozenset(), frozenset()), strips: tuple = (),
                   checked: dict | None = None, pieces: bool = False) -> dict:
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
    same numbers (another cut). ``pieces``: a band that is one whole run of its own
    (_one_run: a page part) may also be printed as column groups, each cut into the same
    bands of rows (once or twice), each piece column by column (column_pieces._position:
    pdfminer groups a wider number's box with its neighbour's, 自然人 and 商业企业 of a
    page's first row, then of its next eight, then of its last, then the other columns
    whole), where no reading in plain bands of its own adds up. Returns {values by row: cell index of
    each, in the window's order}; raises _TooMany past MAX_READINGS distinct readings."""
    memo: dict[tuple, dict] = {}
    positions: dict = {}
    for pos, line in enumerate(lines or ()):
        if line is not None:
            positions.setdefault(line, []).append(pos)

    def one_row_per_line(at: dict, lo: int, hi: int) -> bool:
        row_at = {p: ix // n_cols for ix, p in at.items()}
        for ps in positions.values():
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
            if pieces and r2 - r > 2 and _one_run(breaks, r * n_cols, r2 * n_cols, len(values)) \
                    and not plain(r, r2):
                for widths in compositions(n_cols):
                    if max(widths) > 1:     # single columns: column by column, above
                        for cuts in _piece_cuts(r2 - r):
                            yield (_PIECES, widths, cuts), True, False
            if reordered and not spent and (_apart(breaks, r * n_cols, r2 * n_cols, len(values)) or
                                            _columns_in_blocks(lines, r * n_cols, r2 - r, n_cols)):
                for cols in _column_orders(values[r * n_cols:r2 * n_cols], r2 - r, n_cols):
                    yield cols, True, True

    if checked is None:
        checked = {}    # (rows, order) → (band, where) or None: the same in every cut

    def plain(r: int, r2: int) -> bool:
        """Rows r..r2-1, a page part of their own, have a reading in plain bands, as
        printed or with two numbers next to each other swapped. As printed: then they were
        printed so, and are not read in pieces too (more ways to read the same numbers only
        leave more cells in dispute). With a swap: pieces cut one row off a group of
        columns, and such a piece reads two numbers of a column swapped in print (0 1 for
        1 0, 企业's last two rows) as that row's, across: the two prints cannot be told
        apart, so neither is read in pieces."""
        key = (r, r2, "plain")
        if key not in checked:
            lo, hi = r * n_cols, r2 * n_cols

            def reads(part):
                return bool(_band_readings(
                    part, r2 - r, n_cols, lambda row, i: row_ok(row, r + i),
                    lines[lo:hi] if lines else None, breaks=frozenset(b - lo for b in breaks if lo <= b <= hi),
                    headed=tuple(frozenset(p - lo for p in h if lo <= p < hi) for h in headed)))
            part = list(values[lo:hi])
            checked[key] = reads(part) or any(
                reads(part[:i] + [part[i + 1], part[i]] + part[i + 2:])
                for i in range(len(part) - 1) if part[i] != part[i + 1])
        return checked[key]

    def band_of(r: int, r2: int, cols, by_columns: bool, cut: tuple):
        key = (r, r2, cols if cols is not None else cut, by_columns)
        if key not in checked:
            checked[key] = _band(r, r2, cols, by_columns, cut)
        return checked[key]

    def _band(r: int, r2: int, cols, by_columns: bool, cut: tuple):
        k, lo, hi = r2 - r, r * n_cols, r2 * n_cols
        # the window position of each cell of row i of the band
        if cols is not None and cols[0] == _PIECES:
            _p, widths, cuts = cols
            edges = (0, *cuts, k)

            def places(i):
                return tuple(lo + _piece_place(widths, edges, k, i, c) for c in range(n_cols))
            # a header heads a group's first piece: one amid the band says it was not printed so
            amid = any(lo < p < hi for p in headed[0] | headed[1])
        elif cols is None:
            if not _strips_apart(breaks, lo, hi, len(values), k, cut):
                return None
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
            return None     # a header amid a row or a column: the tool did not print them so
        band, where = [], ()
        for i in range(k):                      # rows checked one by one: most fail at once
            at = places(i)
            row = tuple(values[w] for w in at)
            if not row_ok(row, r + i):
                return None
            band.append(row)
            where += at
        if positions and not one_row_per_line({lo + ix: w for ix, w in enumerate(where)}, lo, hi):
            return None
        return tuple(band), where

    def suffix(r: int, spent: bool, cut: tuple) -> dict:
        if r == n_rows:
            return {(): ()}
        if (r, spent, cut) in memo:
            return memo[r, spent, cut]
        out: dict = {}
        for r2 in range(n_rows, r, -1):   # longest band first: the plainest reading is kept
            for cols, by_columns, reorders in orders(r, r2, spent, cut):
                checked_band = band_of(r, r2, cols, by_columns, cut)
                if checked_band is None:
                    continue
                band, where = checked_band
                for rest, rest_where in suffix(r2, spent or reorders, cut).items():
                    out.setdefault(band + rest, where + rest_where)
                    if len(out) > MAX_READINGS:
                        raise _TooMany
        memo[r, spent, cut] = out
        return out

    # the same numbers read in several cuts: the first cut's places kept
    out: dict = {}
    for cut in strips or ((),):
        for reading, at in suffix(0, False, cut).items():
            out.setdefault(reading, at)
            if len(out) > MAX_READINGS:
                raise _TooMany
    return out


def _one_run(breaks: frozenset, lo: int, hi: int, n: int) -> bool:
    """Numbers lo..hi-1 of a window of n are one whole run: text before and after them
    (or the window's end), none between (a page's part of a table, under its row labels)."""
    return _apart(breaks, lo, hi, n) and not any(lo < b < hi for b in breaks)


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


def _run_breaks(runs, cells: list) -> frozenset:
    """The places in ``cells`` (numbers of whole runs, in order) where a run begins."""
    firsts = {id(run[0]) for run, _texts in runs if run}
    return frozenset(i for i, c in enumerate(cells) if id(c) in firsts)


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
        spans = [tuple(int(n) for n in loc.split()[1].split("-")) for _page, loc in chunk]
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


def _distinct_orders(items: list, key):
    """The orders of ``items`` that differ in their keys (chunks of equal numbers are one
    reading however they are swapped), each order once."""
    groups: dict = {}
    for i in items:
        groups.setdefault(key(i), []).append(i)
    counts = {kv: len(ix) for kv, ix in groups.items()}

    def walk(prefix):
        if len(prefix) == len(items):
            used = {kv: 0 for kv in groups}
            out = []
            for kv in prefix:
                out.append(groups[kv][used[kv]])
                used[kv] += 1
            yield tuple(out)
            return
        for kv in groups:
            if counts[kv]:
                counts[kv] -= 1
                yield from walk(prefix + [kv])
                counts[kv] += 1

    yield from walk([])


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


def applications_by_position(runs, template: str, known: dict | None = None):
    """(rows {key: {column: value}}, {path: cell}) or (None, why). Of the readings that
    add up, only those agreeing with the cells ``known`` (read by their labels) count:
    the labels are evidence too, and may leave one reading where the sums leave several.
    Where several are left, a cell they give different numbers is None (_common)."""
    rows, where, _consumed, _disputed = _applications_reading(runs, template, known)
    return rows, where


def _applications_reading(runs, template: str, known: dict | None = None):
    """applications_by_position, and which run after table 四's headers the reading took
    (table 三's right columns printed there: below, _tail_readings), one index (None: no
    run) for each way of reading it that gives these numbers, and the cells left None because
    the readings give them different numbers: (rows, where, [index], {path: [numbers]})."""
    keys = T.rows_for(template)
    n_rows, n_cols = len(keys), len(T.APPLICANT_COLUMNS)
    found: dict = {}
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
                readings = _band_readings(values, n_rows, n_cols, _row_adds_up, [_line_of(c) for c in cells],
                                          reordered, frozenset(itertools.accumulate([0, *sizes])),
                                          _headed(runs, start, sizes, values), strips)
                for reading, at in readings.items():
                    _keep(found, reading, [cells[i] for i in at], keys, template, None)
            if not reordered:
                for reading, cells, consumed in _tail_readings(runs, n_rows, n_cols, strips):
                    _keep(found, reading, cells, keys, template, consumed)
            if not reordered and not strips and not found:
                # column pieces only where no band reading adds up
                for reading, cells in column_pieces.readings(runs, keys):
                    _keep(found, reading, cells, keys, template, None)
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
    return _common(agreeing)


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


def _row_adds_up(row, _index=None) -> bool:
    return _holds(row[:-1], row[-1])   # the applicant columns add up to the row's total


def _keep(found: dict, reading, cells: list, keys, template: str, consumed) -> None:
    """Keep a reading (values by row; the cell of each value in row order) that adds up
    as table 三, with the run after table 四's headers it took (None: none)."""
    n_cols = len(T.APPLICANT_COLUMNS)
    rows = {k: dict(zip(T.APPLICANT_COLUMNS, reading[r])) for r, k in enumerate(keys)}
    if not _applications_hold(rows, template):
        return
    where = {f"applications.{k}.{col}": cells[r * n_cols + c]
             for r, k in enumerate(keys) for c, col in enumerate(T.APPLICANT_COLUMNS)}
    entry = found.setdefault(repr(rows), (rows, where, []))
    # the same numbers read from other printed numbers (zeros read one cell along, a block
    # of another shape): where each was printed is not proven; _common leaves it blank
    for path, cell in where.items():
        if entry[1][path] is not None and entry[1][path] is not cell:
            entry[1][path] = None
    if consumed not in entry[2]:
        entry[2].append(consumed)


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


def _tail_readings(runs, n_rows: int, n_cols: int, strips: tuple = ()):
    """Readings of table 三 whose last rows' right columns were printed after table 四's
    headers (above): (values by row, cell of each value in row order, index of that run).
    ``strips``: cuts of the table's columns into vertical strips its bands may be printed
    in (_band_readings), one for the whole table: the upper rows and the left and right
    blocks in that cut's strips; the same numbers read in several cuts, the first kept."""
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
        right = _all_numbers(right_cells)
        if right is None:
            continue
        for c in range(1, n_cols):
            if k % (n_cols - c):
                continue
            n_tail = k // (n_cols - c)
            if n_tail >= n_rows:
                continue
            before = _window_ending(runs, h - 1, n_rows * n_cols - k)
            values = None if before is None else _all_numbers(before)
            if values is None:
                continue
            n_upper = (n_rows - n_tail) * n_cols
            lines = [_line_of(x) for x in before]
            checked: dict = {}
            readings: dict = {}
            breaks = _run_breaks(runs, before)
            for cut in strips or ((),):
                uppers = _band_readings(values[:n_upper], n_rows - n_tail, n_cols, _row_adds_up, lines[:n_upper],
                                        breaks=frozenset(b for b in breaks if b <= n_upper) | {n_upper},
                                        strips=(cut,) if cut else (), checked=checked)
                if not uppers:
                    continue
                rights = _band_readings(right, n_tail, n_cols - c, lambda row, r: True,
                                        [_line_of(x) for x in right_cells], breaks=frozenset({0}),
                                        strips=_strips_within((cut,) if cut else (), c, n_cols))
                # a left row stands only where a right block's row completes it to a row that
                # adds up (without this, blocks of zeros have more readings than are counted)
                completions = [{rgt[r] for rgt in rights} for r in range(n_tail)]
                lefts = _band_readings(values[n_upper:], n_tail, c,
                                       lambda row, r: any(_row_adds_up(row + x) for x in completions[r]),
                                       lines[n_upper:], breaks=frozenset(b - n_upper for b in breaks if b >= n_upper),
                                       strips=_strips_within((cut,) if cut else (), 0, c))
                if len(lefts) * len(rights) > MAX_READINGS * 16:
                    raise _TooMany
                tails = {}
                for left, l_at in lefts.items():
                    for rgt, r_at in rights.items():
                        rows = tuple(a + b for a, b in zip(left, rgt))
                        if all(_row_adds_up(row) for row in rows):
                            at = [before[n_upper + l_at[r * c + i]] for r in range(n_tail) for i in range(c)]
                            cells = [x for r in range(n_tail) for x in
                                     at[r * c:(r + 1) * c] + [right_cells[r_at[r * (n_cols - c) + i]]
                                                              for i in range(n_cols - c)]]
                            tails.setdefault(rows, cells)
                            if len(tails) * len(uppers) > MAX_READINGS:
                                raise _TooMany
                for upper, u_at in uppers.items():
                    for rows, cells in tails.items():
                        readings.setdefault(upper + rows, [before[i] for i in u_at] + cells)
                        if len(readings) > MAX_READINGS:
                            raise _TooMany
            for reading, cells in readings.items():
                yield reading, cells, j


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
                           if _holds([v[f] for f in ("upheld", "corrected", "other", "pending")], v["total"])}
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

    if incomplete_apps():
        rows, where, consumed, disputed = _applications_reading(runs, template, applications)
        if rows is not None:
            applications = _merge("applications", applications, rows, where, provenance, findings)
            took = consumed
            if disputed:
                # the rows a page proves alone (page_parts) may read cells the readings dispute
                # (zeros that a row of 1s, placed by the sums in any of several rows, leaves
                # unproven): evidence of their own, not a choice among the readings, which stay
                # as they are (narrowed to those agreeing with the pages, a single edited number
                # could leave one wrong reading standing alone)
                applications = _page_rows(doc, runs, template, applications, provenance, findings)
            for path, values in disputed.items():
                _t, row, col = path.split(".", 2)
                if ((applications or {}).get(row) or {}).get(col) is None:
                    findings.append(finding(
                        "position_unconfirmed", f"{path}: the readings of table 三 by position that add up "
                        + (f"give it different numbers ({', '.join(map(str, values))})" if len(values) > 1 else
                           f"take its {values[0]} from different printed numbers")
                        + ", so it is left blank",
                        table="applications", row=row, column=col))
        else:
            findings.append(_table_finding("applications", f"table 三 not read by position: {where}"))
            applications = _head_rows(runs, template, applications, provenance, findings)
            applications = _first_band(runs, template, applications, provenance, findings)
            applications = _page_rows(doc, runs, template, applications, provenance, findings)
            applications = _total_rows(doc, runs, template, applications, provenance, findings)
    if incomplete_review():
        groups, where = review_reading(took, not incomplete_apps())
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
    if head is None:
        return applications
    rows, where, disputed = head
    findings.append(_table_finding("applications", f"table 三 by position: only its first rows, {', '.join(rows)}, "
                                   "from the runs after its first row's label, each adding up"))
    applications = _merge("applications", applications, rows, where, provenance, findings)
    for path, values in disputed.items():
        _t, row, col = path.split(".", 2)
        if ((applications or {}).get(row) or {}).get(col) is None:
            findings.append(finding(
                "position_unconfirmed", f"{path}: the readings of table 三's first rows that add up, as "
                "printed or with two neighbouring numbers swapped, "
                + (f"give it different numbers ({', '.join(map(str, values))})" if len(values) > 1 else
                   f"take its {values[0]} from different printed numbers") + ", so it is left blank",
                table="applications", row=row, column=col))
    return applications


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
    for rows, where in page_rows(runs, template, start, end, page_finder(doc), _headed):
        findings.append(_table_finding("applications", f"table 三 by position: its rows {', '.join(rows)}, "
                                       "the whole rows of one page, read from that page's numbers, each adding up"))
        applications = _merge("applications", applications, rows, where, provenance, findings)
    return applications


def _total_rows(doc, runs, template: str, applications, provenance, findings):
    """Table 三's 总计 and 结转 rows from pdfminer's two-number boxes, each column's pair
    holding the balance (total_rows), when the whole table could not be read by position."""
    start, _end = table_area(runs)
    if start == 0:
        return applications     # no heading of table 三: its area is not known
    found = total_rows(doc, runs, template, start, applications)
    if found is None:
        return applications
    rows, where = found
    findings.append(_table_finding("applications", "table 三 by position: its total and carried_forward rows, "
                                   "each column's two printed in one box, holding the balance"))
    return _merge("applications", applications, rows, where, provenance, findings)


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
    """A position-placed number's provenance: the cell it was read from."""
    src = cell.src
    return {"file": None, "sha256": None, "page": src.page if src else None,
            "locator": src.locator if src else "", "method": POSITION,
            "confidence": src.confidence if src else None, "note": None}


# ---- table 二 by structure -------------------------------------------------------------
#
# Table 二 has no sums. A text tool that prints a label column and then its value column
# (pdfminer does, box by box) still says which numbers are whose when the structure leaves
# one answer only:
# - a run of values right after a run of row labels, as many values as the template gives
#   those rows: paired in order, when the rows have one column each, or when reading the
#   values row by row and column by column gives the same cells from the same printed numbers
#   (in a 2×3 block of 0 0 0 0 0 3 the first and the last: the four zeros between are each
#   another cell's in the other order, so a swap among them would not show);
# - all of table 二's numbers equal (0 everywhere, as often), as many as the template's cells
#   of the rows whose labels are there: then each cell holds that number, whatever the order.
# Anything else stays blank.

def _active_rows(texts, template: str) -> list[str]:
    fields = T.ACTIVE_FIELDS.get(template) or {}
    keys = []
    for t in texts:
        key = T.first_match(T.ACTIVE_ROW_LABELS, t.text) if len(t.text) <= T.ANCHOR_MAX_LEN else None
        if key in fields and key not in keys:
            keys.append(key)
    return keys


def _active_value(cell, key: str, field: str):
    """The number a cell holds for that field, or None when it cannot be that field's."""
    if cell.kind != NUMBER or cell.value is None or cell.multiplier not in (None, 1):
        return None
    if (key, field) in T.DECIMAL_FIELDS:
        return float(cell.value)
    v = cell.value
    if isinstance(v, float) and not v.is_integer():
        return None
    return int(v)


def _headed_fields(texts) -> set:
    """The table 二 fields the column headers among these texts name."""
    return {f for t in texts if len(t.text) <= T.ANCHOR_MAX_LEN
            for f in [T.first_match(T.ACTIVE_FIELD_LABELS, t.text)] if f}


def _pair_block(keys, cells, template, texts=(), findings: list | None = None):
    """{(key, field): cell} when the run can only mean one thing for those rows, else None.
    Column headers printed with the labels that name only some of the rows' fields say
    the other columns were printed elsewhere: the run is then not those rows' values."""
    fields = T.ACTIVE_FIELDS[template]
    if sum(len(fields[k]) for k in keys) != len(cells):
        return None
    headed = _headed_fields(texts)
    if headed and any(f not in headed for k in keys for f in fields[k]):
        return None
    widths = {len(fields[k]) for k in keys}
    by_rows = [(k, f) for k in keys for f in fields[k]]
    readings = [by_rows]
    if len(widths) == 1 and len(keys) > 1 and widths != {1}:
        width = widths.pop()
        readings.append([(k, fields[k][c]) for c in range(width) for k in keys])
    values = []
    for order in readings:
        vals = {kf: _active_value(cell, *kf) for kf, cell in zip(order, cells)}
        if any(v is None for v in vals.values()):
            return None
        values.append((vals, dict(zip(order, cells))))
    if any(v != values[0][0] for v, _ in values[1:]):
        return None
    # equal numbers from different printed numbers (row by row a 0 of 规章's, column by column
    # another 0 of it): which line holds the cell is not known, and two numbers swapped there
    # (0 0 0 0 1 0 printed column by column, read 0 0 0 0 0 1) would still agree: not read
    same = {kf: cell for kf, cell in values[0][1].items() if all(cells_[kf] is cell for _, cells_ in values[1:])}
    if findings is not None and len(same) < len(cells):
        blank = [f"active_disclosure.{k}.{f}" for k, f in by_rows if (k, f) not in same]
        findings.append(finding(
            "position_unconfirmed", ", ".join(blank) + ": the rows' values read row by row and column "
            "by column give the same numbers, but from different printed numbers: which is each cell's "
            "is not known; left blank", table="active_disclosure"))
    return same


def _row_amid_headers(runs, i: int, template: str):
    """{(key, field): cell} for a row whose numbers a text tool printed among its block's
    column headers, else None. Plain pdftotext of a Chromium print, where a block's header
    row and first row open a page: 行政许可 上一年项目数量 0 本年增/减 处理决定数量 1 2. The
    row's label the only one since the numbers before, then only its block's headers, each
    field's once, in the template's column order, and exactly as many numbers as the row has
    fields, each after at least as many headers as its place in the row (a number is printed
    after its column's header): the row's numbers in their printed order are its columns
    left to right, as they are when a row prints its label and numbers alone. Only where
    they come in two runs or more (one run after its label is the ordinary row)."""
    fields = T.ACTIVE_FIELDS[template]
    texts = runs[i][1]
    if len(_active_rows(texts, template)) != 1:
        return None     # (two rows' labels, then numbers: whose they are is not this reading's)
    at = max(n for n, t in enumerate(texts) if _active_rows([t], template))
    key = _active_rows([texts[at]], template)[0]
    want = list(fields[key])
    headers: list = []
    placed: list = []      # (cell, headers printed before it)
    for j in range(i, len(runs)):
        cells, before = runs[j]
        before = before[at + 1:] if j == i else before
        named = [_fields_named(t.text) for t in before]
        if any(len(n) != 1 for n in named) or (j > i and not before):
            return None
        headers += [n.pop() for n in named]
        placed += [(c, len(headers)) for c in cells]
        if len(placed) >= len(want):
            break
    if j == i or headers != want or len(placed) != len(want) or \
            any(seen < k + 1 for k, (_c, seen) in enumerate(placed)):
        return None
    pairs = {(key, f): c for f, (c, _seen) in zip(want, placed)}
    if any(_active_value(c, *kf) is None for kf, c in pairs.items()):
        return None
    return pairs


def _read_lines(cells) -> set:
    return {(c.src.page, c.src.locator) for c in cells if c.src is not None}


def _active_section(runs, template: str) -> tuple[list, list[str]]:
    """Table 二's section: its numbers, and the rows whose labels it prints, in printed order."""
    section, keys, inside, done = [], [], False, False
    for cells, texts in runs:
        for t in texts:
            opens = T.section_of(t.text)
            if opens:
                done = done or (not opens[1] == "active" and bool(section))
                inside = opens[1] == "active"
            if inside and not done:
                keys += [k for k in _active_rows([t], template) if k not in keys]
        if done:
            break
        if inside:
            section += cells
    return section, keys


# ---- table 二 by its columns -----------------------------------------------------------
#
# Text tools that keep each column's cells with its header (pdfminer and plain pdftotext on
# office exports) print table 二 column by column: a column header, then that column's
# numbers top to bottom, the row labels elsewhere. A column has one reading, its rows in
# their printed order, so such a run says which cells its numbers are when:
# - its header names one field and stands alone, no other column header since the numbers
#   before it: after a row of headers (本年制发件数 本年废止件数 现行有效件数, or 采购项目数量
#   政府集中采购 采购总金额 with a row's label among them) the numbers may be the first
#   column's, or a row's;
# - it holds as many numbers as the sub-table it heads has rows that print it (a blank cell
#   changes the count), all on one page (a bare page number does not run in);
# - each such run is a whole column of a different sub-table that has the field (no more
#   runs than headers of it; a header with no numbers after it heads a column printed
#   elsewhere or blank). The counts give each run its sub-table (本年处理决定数量 heads
#   行政许可's column, 1 row, and 行政处罚 行政强制's, 2 rows), and a column lies on a page
#   its rows' labels are printed on. Where counts and pages leave a choice (2019's 行政许可
#   and 行政处罚 blocks both have 2 rows), only a cell that is the same printed number in
#   every choice stands (行政事业性收费's, the one block of 1 row);
# - it comes before table 三's cells (its header, a row label): numbers after them may be
#   table 三's. Plain pdftotext of Writer's exports prints table 二's right columns after
#   table 三's first labels (…勾稽关系 … 三、（一）予以公开 现行有效件数 0 3 申请人情况 …): there a
#   column is read only where every cell of table 三 was read from numbers of their own, so
#   the numbers left over are none of its, and only up to table 四's section.

def _fields_named(text: str) -> set:
    """The table 二 fields a header cell names: one, or several run together."""
    if len(text) > T.ANCHOR_MAX_LEN or not T.is_header(text):
        return set()
    return {f for f, rx in T.ACTIVE_FIELD_LABELS if rx.search(text)}


def _agreeing(by_column: dict, placed: dict, active: dict | None, provenance: dict) -> tuple[dict, set]:
    """The column readings that agree with every other reading of their cells and use no
    number read for another cell; a field with one that does not is not read by column."""
    line_of = {(p.get("page"), p.get("locator")): path for path, p in provenance.items()}
    refused = set()
    for (k, f), cells in by_column.items():
        value = _active_value(cells[0], k, f)
        have = ((active or {}).get(k) or {}).get(f)
        other = placed.get((k, f))
        others = [other] if other is not None and not isinstance(other, list) else other or []
        taken = {line_of.get((c.src.page, c.src.locator)) for c in cells if c.src is not None} - \
            {None, f"active_disclosure.{k}.{f}"}
        if (have is not None and have != value) or taken or \
                any(_active_value(c, k, f) != value for c in others):
            refused.add(f)
    return {kf: cells for kf, cells in by_column.items() if kf[1] not in refused}, refused


def _on_one_page(head, cells, doc) -> bool:
    """The header and its numbers on one page of the text (form feeds part the pages), and
    the last number not the last line of a page that prints no page number we know (it
    could be a bare page number). Text without form feeds says nothing against it."""
    if head.src is not None and head.src.page is not None and \
            any(c.src is None or c.src.page != head.src.page for c in cells):
        return False    # a PDF's or scan's pages, numbered
    first, last = line_no(head.src), line_no(cells[-1].src)
    if first is None or last is None:
        return True     # a grid's or a page's boxes: no text lines, no form feeds
    lines = [(n, b.text) for b in doc.blocks if isinstance(b, Line) for n in [line_no(b.source)] if n is not None]
    starts = [n for n, text in lines if text.startswith("\f")]
    if any(first < n <= last for n in starts):
        return False
    after = next((n for n, _ in lines if n > last), None)
    if after not in starts:
        return True
    page_start = max((n for n in starts if n <= first), default=0)
    return any(page_start <= n <= last and PAGE_NUMBER_RE.match(text) for n, text in lines)


def _active_columns(doc, runs, template: str, printed: list[str], table_3_read: bool = False) -> tuple[dict, set]:
    """({(key, field): [cell]} read from columns (above), {fields whose columns were printed
    but not told apart}). ``table_3_read``: every cell of table 三 was read, so columns
    printed among its cells are read too (above)."""
    fields = T.ACTIVE_FIELDS[template]
    blocks = [[k for k in block if k in printed] for block in T.ACTIVE_BLOCKS.get(template, ())]
    if any([k for k in printed if k in b] != b for b in blocks):
        return {}, set()    # rows printed in another order than the template's: no column reading
    page_of = page_finder(doc)
    headers: dict = {}
    columns: dict = {}
    label_pages: dict = {}   # row → the pages its label is printed on
    inside = in_table_3 = False
    for cells, texts in runs:
        for t in texts:
            opens = T.section_of(t.text)
            if opens == ("section", "active"):
                inside = True
            elif in_table_3 and opens and opens[1] != "applications":
                return _told_apart(columns, headers, blocks, fields, label_pages)   # table 四 or prose
            elif inside and _table_3_cell(t.text):
                if not table_3_read:
                    return _told_apart(columns, headers, blocks, fields, label_pages)
                in_table_3 = True
            for f in _fields_named(t.text) if inside else ():
                headers[f] = headers.get(f, 0) + 1
            for k in _active_rows([t], template) if inside else ():
                label_pages.setdefault(k, set()).add(page_of(t.src))
        if not inside:
            continue
        named = _fields_named(texts[-1].text) if texts else set()
        if len(named) != 1:
            continue
        f = named.pop()
        # another column header since the last numbers: a row of headers (本年制发件数
        # 本年废止件数 现行有效件数 0 5), or one a row's label stands in (采购项目数量 政府集中采购
        # 采购总金额 1 0): the numbers may be a row's, or another column's
        in_header_row = any(_fields_named(t.text) for t in texts[:-1])
        columns.setdefault(f, []).append(
            None if in_header_row or not _on_one_page(texts[-1], cells, doc) else
            (cells, page_of(cells[0].src), headers[f]))   # (…, how many of f's headers so far)
    return _told_apart(columns, headers, blocks, fields, label_pages)


def _table_3_cell(text: str) -> bool:
    """A cell of table 三's grid (its header, a row label): table 二's columns are all printed
    before it, and numbers after it may be table 三's."""
    return len(text) <= T.ANCHOR_MAX_LEN and (text == "申请人情况" or "勾稽关系" in text) or \
        _table_3_row_label(text)


def _table_3_row_label(text: str) -> bool:
    return len(text) <= T.ANCHOR_MAX_LEN and bool(T.first_match(T.APPLICATION_ROW_LABELS, text))


def _told_apart(columns: dict, headers: dict, blocks: list, fields: dict, label_pages: dict) -> tuple[dict, set]:
    """The cells the column runs give one reading (above), and the fields they leave untold.
    A column is printed on a page its rows' labels are printed on: a sub-table none of whose
    labels is on a run's page is not that run's (2019's 行政许可 block on one page, 行政处罚's
    on the next, both of two rows)."""
    from itertools import permutations

    def fits(rows, run):
        cells, page, _nth = run
        pages = set().union(*(label_pages.get(k, {None}) for k in rows))
        return len(rows) == len(cells) and (page is None or None in pages or page in pages)

    def in_order(order, runs_of_f, owners, n_headers):
        # each of the field's sub-tables printed its header once, top to bottom: the run
        # after the n-th header is the n-th sub-table's column (行政许可's header, its number
        # printed elsewhere, then 行政处罚 行政强制's with one cell blank: that one number is
        # no 行政许可's, though the counts would say so)
        return n_headers != len(owners) or all(rows == owners[nth - 1] for rows, (_c, _p, nth)
                                               in zip(order, runs_of_f))

    placed, untold = {}, set()
    for f, runs_of_f in columns.items():
        owners = [[k for k in b if f in fields[k]] for b in blocks]
        owners = [rows for rows in owners if rows]
        if None in runs_of_f or len(runs_of_f) > min(headers.get(f, 0), len(owners)):
            untold.add(f)
            continue
        # each run is a whole column of a different block (a header with no run after it
        # heads a column printed elsewhere or blank: its block is one of those left over)
        readings = [dict(((k, f), cells[i]) for rows, (cells, _p, _n) in zip(order, runs_of_f)
                         for i, k in enumerate(rows))
                    for order in permutations(owners, len(runs_of_f))
                    if all(fits(r, run) for r, run in zip(order, runs_of_f)) and in_order(order, runs_of_f, owners, headers.get(f, 0))]
        if not readings:
            untold.add(f)
            continue
        for kf in {kf for r in readings for kf in r}:
            # one printed number in every reading: its own line says it (equal numbers in
            # different places would leave its line unknown)
            if all(r.get(kf) is readings[0].get(kf) for r in readings) and \
                    _active_value(readings[0][kf], *kf) is not None:
                placed[kf] = [readings[0][kf]]
            else:
                untold.add(f)
    return placed, untold


def fill_active_by_structure(doc, template: str, active: dict | None, provenance: dict,
                             findings: list | None = None) -> dict | None:
    """Fill table 二's blank cells where the text's structure leaves one reading (above)."""
    fields = T.ACTIVE_FIELDS.get(template)
    if not fields or all(((active or {}).get(k) or {}).get(f) is not None for k in fields for f in fields[k]):
        return active
    runs = number_runs(doc)
    used = {(p.get("page"), p.get("locator")) for p in provenance.values()}
    placed: dict = {}

    # label runs followed by their value runs. A row's own run: the column headers printed
    # since its block's heading (第二十条第(一)项) are the columns it printed; 规章 0 0 under
    # 本年制发件数 本年废止件数 alone says 现行有效件数 is printed elsewhere, and a third number
    # after 行政规范性文件 is a stray one, not its 现行有效件数
    # A row's run shorter than the columns its headers name (行政事业性收费 1) leaves its other numbers to be
    # printed further on, maybe in a later row's run (after 政府集中采购 in pdfminer's order):
    # from there on, in any later block, a run's count matching its rows' columns proves nothing
    # Numbers printed after a row label of table 三 are not the row's whose label came before
    # it (行政事业性收费, its amount blank, then 三、… 申请人情况 … 一、本年新收政府信息公开申请数量
    # 2072); after table 三's heading or its corner cell alone they may be (pdfminer:
    # 行政许可 … 行政事业性收费 三、… 申请人情况 2 0 0 0)
    heads: set = set()
    short = False
    for cells, texts in runs:
        in_table_3 = False
        for t in texts:
            if T.section_of(t.text) == ("section", "active"):
                heads = set()
            if _active_rows([t], template):
                in_table_3 = False
            elif _table_3_row_label(t.text):
                in_table_3 = True
            heads |= _fields_named(t.text)
        if in_table_3:
            continue
        keys = _active_rows(texts, template)
        if not keys:
            continue
        # (columns its block's headers leave out are printed under their own headers)
        named = [f for f in fields[keys[0]] if not heads or f in heads]
        after_short, short = short, short or (len(keys) == 1 and len(cells) < len(named))
        if after_short or _read_lines(cells) & used:
            continue
        if len(keys) == 1 and heads and any(f not in heads for f in fields[keys[0]]):
            continue    # (a label column's run: pdfminer prints headers away from their block)
        pairs = _pair_block(keys, cells, template, texts, findings)
        if pairs:
            placed.update(pairs)

    # a row printed among its block's headers (above)
    line_of = {(p.get("page"), p.get("locator")): path for path, p in provenance.items()}
    for i in range(len(runs)):
        pairs = _row_amid_headers(runs, i, template)
        if pairs and all(line_of.get((c.src.page, c.src.locator), f"active_disclosure.{k}.{f}") ==
                         f"active_disclosure.{k}.{f}" for (k, f), c in pairs.items() if c.src is not None):
            for kf, c in pairs.items():
                placed.setdefault(kf, c)

    # every number of the section equal
    section, keys = _active_section(runs, template)
    if section and sum(len(fields[k]) for k in keys) == len(section):
        first = section[0].value
        if all(c.value == first for c in section):
            for k in keys:
                for f in fields[k]:
                    if _active_value(section[0], k, f) is not None:
                        placed.setdefault((k, f), section)

    # printed box by box (active_pairs): the cells every way of cutting the numbers into
    # the blocks' columns or rows gives one number
    if "extra" not in (active or {}):
        known = {(k, f): v for k, cols in (active or {}).items() for f, v in cols.items() if v is not None}
        known |= {kf: _active_value((w if isinstance(w, list) else [w])[0], *kf) for kf, w in placed.items()}
        for kf, cells in pairs_reading(doc, runs, template, known).items():
            placed.setdefault(kf, cells)

    # columns under their headers; rows a report added (extra) would change the counts
    if "extra" not in (active or {}):
        table_3_read = all(f"applications.{r}.{c}" in provenance
                           for r in T.rows_for(template) for c in T.APPLICANT_COLUMNS)
        by_column, untold = _active_columns(doc, runs, template, keys, table_3_read)
        by_column, refused = _agreeing(by_column, placed, active, provenance)
        for kf, cells in by_column.items():
            placed.setdefault(kf, cells)
        for f in sorted(untold | refused):
            blank = [k for k in keys if f in fields[k] and ((active or {}).get(k) or {}).get(f) is None
                     and (k, f) not in placed]
            if blank and findings is not None:
                why = ("its numbers disagree with numbers read by label, or are numbers read for another cell"
                       if f in refused else "the column is printed apart from its row labels, and neither the "
                       "count of its numbers nor its header says which row each number is")
                findings.append(finding(
                    "position_unconfirmed", ", ".join(f"active_disclosure.{k}.{f}" for k in blank) +
                    f": {why}; left blank", table="active_disclosure", row=blank[0] if len(blank) == 1 else None,
                    column=f))
    if not placed:
        return active
    active = active if active is not None else {}
    for (k, f), where in placed.items():
        row = active.setdefault(k, {fld: None for fld in fields[k]})
        cells = where if isinstance(where, list) else [where]
        if row.get(f) is not None or any(c.src is not None and unsure_ocr(c.src) for c in cells):
            continue  # read already, or by OCR that was not sure of it: not placed again
        row[f] = _active_value(cells[0], k, f)
        lines = [c.src.locator for c in cells if c.src is not None and c.src.locator.startswith("lines ")]
        locator = cells[0].src.locator if len(cells) == 1 and cells[0].src else \
            f"lines {lines[0].split()[1].split('-')[0]}-{lines[-1].split('-')[-1]}" if lines else ""
        provenance[f"active_disclosure.{k}.{f}"] = {
            "file": None, "sha256": None, "page": cells[0].src.page if cells[0].src else None,
            "locator": locator, "method": POSITION, "note": None,
            "confidence": min((c.src.confidence for c in cells if c.src and c.src.confidence is not None),
                              default=None)}
    if findings is not None:   # a row its label could not place, now whole, is no longer unmapped
        findings[:] = [f for f in findings if not (
            f.get("rule") == "unmapped_row" and f.get("table") == "active_disclosure"
            and f.get("row") in fields and all(v is not None for v in (active.get(f["row"]) or {None: None}).values()))]
    return {k: active[k] for k in T.ACTIVE_ROW_ORDER if k in active} | \
        ({"extra": active["extra"]} if "extra" in active else {})
