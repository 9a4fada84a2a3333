"""Table 二 read by its structure, where its labels left cells blank.

Table 二 has no sums, so a number placed by position there stands only where the text's
structure leaves one answer: a run of values right after their rows' labels, a table of
equal numbers, a row printed among its block's headers, the pairs of a box-by-box print
(active_pairs), or a column printed under its own header (fill_active_by_structure; each
way below).
"""
from __future__ import annotations

from pipelines.record import finding

from . import templates as T
from .active_cells import _active_rows, _active_value, active_section
from .active_pairs import pairs_reading
from .blocks import POSITION, Line, line_no, page_finder
from .confirm import unsure_ocr
from .pdf import PAGE_NUMBER_RE
from .runs import number_runs, one_of


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


def _printed_rows_kept(active: dict | None, printed: list[str], fields: dict, findings: list | None) -> dict | None:
    """``active`` with each row whose label table 二's section prints present, blank where
    nothing read it. A row the report leaves out is absent (the contract); one it printed and
    no reading placed is blank with a finding, so that its cells count as missing and the
    record is not ``valid`` with the row silently gone. A table 二 nothing read stays None (its
    finding says the table was not found; an unparsed report stays unparsed)."""
    lost = [k for k in printed if k in fields and k not in (active or {})]
    if active is None or not lost:
        return active
    active = dict(active)
    for k in lost:
        active[k] = dict.fromkeys(fields[k])
        if findings is not None:
            findings.append(finding(
                "unmapped_row", f"active_disclosure.{k}: its label is printed in table 二, but no reading "
                "placed its numbers; left blank", table="active_disclosure", row=k))
    return _in_order(active)


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
    numbers, keys, _prose = active_section(runs, template)
    section = [c for c, _run in numbers]
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
        return _printed_rows_kept(active, keys, fields, findings)
    active = active if active is not None else {}
    for (k, f), where in placed.items():
        row = active.setdefault(k, {fld: None for fld in fields[k]})
        cells = where if isinstance(where, list) else [where]
        if row.get(f) is not None or any(c.src is not None and unsure_ocr(c.src) for c in cells):
            continue  # read already, or by OCR that was not sure of it: not placed again
        row[f] = _active_value(cells[0], k, f)
        # all of table 二's numbers equal: the cell is one of them, the print does not say which
        one = one_of(cells)
        src = one.src if one is not None else None
        provenance[f"active_disclosure.{k}.{f}"] = {
            "file": None, "sha256": None, "page": src.page if src else None,
            "locator": src.locator if src else "", "method": POSITION, "note": one.note if one else None,
            "confidence": min((c.src.confidence for c in cells if c.src and c.src.confidence is not None),
                              default=None)}
    if findings is not None:   # a row its label could not place, now whole, is no longer unmapped
        findings[:] = [f for f in findings if not (
            f.get("rule") == "unmapped_row" and f.get("table") == "active_disclosure"
            and f.get("row") in fields and all(v is not None for v in (active.get(f["row"]) or {None: None}).values()))]
    return _in_order(_printed_rows_kept(active, keys, fields, findings))


def _in_order(active: dict) -> dict:
    """Table 二's rows in the template's order, a report's added rows (extra) last."""
    return {k: active[k] for k in T.ACTIVE_ROW_ORDER if k in active} | \
        ({"extra": active["extra"]} if "extra" in active else {})
