"""Document (tables as expanded grids + loose lines) → the contract's three tables.

One engine for every input. Each grid row, tab or | separated line, or run of
one-cell-per-line tokens becomes a row of label cells followed by value cells. Labels
move the context (which section of the report we are in, which （三）…（六） group, which
column headers are in force); a row with values is then named by its own label and its
values are put under the columns its headers name. Only when headers cannot place the
values (flattened text has no columns; real tables misalign their spans) are they read
in the template's column order — and then only when the count is exactly right.

Findings this module adds (warnings, naming table/row/column):
- ``placeholder``: a numeric cell holds -, —, /, 无 …: stored as null;
- ``unreadable_cell``: a numeric cell holds text that is no number (or a fraction in a
  count column): stored as null;
- ``unmapped_row``: a row's values could be placed neither by headers nor by count: the
  row is kept with nulls.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipelines.record import finding

from . import templates as T
from .blocks import OCR, Document, Line, Source, Table, page_finder
from .normalise import compact, simplify_many
from .numbers import BLANK, MAX_DIGITS, NUMBER, PLACEHOLDER, TEXT, Parsed, parse
from .pdf import PAGE_NUMBER_RE

_TOKEN_SPLIT_RE = re.compile(r"\s+")
_MD_DELIMITER_RE = re.compile(r"^\s*(:?-{3,}:?)?\s*$")
# "22 （其中修订 16 件）": the bracketed note belongs to the number before it, whatever
# spaces a text tool put inside
_ANNOTATED_RE = re.compile(r"(\d)\s*([(（][^()（）]{1,40}[)）])")
MAX_ITEM_LEN = 80
# a browser's print header and footer (the page's address or file name) between a label and its
# numbers: never a row's label
_PAGE_FURNITURE_RE = re.compile(r"^(?:(?:https?|file)://\S+|\S+\.(?:s?html?|jsp|aspx?|php))$", re.I)


def _fields_in_order(header: str) -> list[str]:
    """The table 二 fields a header cell names, in the order it prints them (a layout tool
    runs a row of headers into one cell: 本年制发件数本年废止件数现行有效件数)."""
    at = {}
    for f, rx in T.ACTIVE_FIELD_LABELS:
        m = rx.search(header)
        if m and f not in at and m.start() not in at.values():
            at[f] = m.start()
    return sorted(at, key=at.get)


@lru_cache(maxsize=20000)
def _furniture(text: str) -> bool:
    """A page's furniture: its number (— 1 —, 1/5) or a browser's address line."""
    return bool(_PAGE_FURNITURE_RE.match(text) or PAGE_NUMBER_RE.match(text))


@dataclass
class Cell:
    col: int | None          # grid column, None for a token of flattened text
    text: str                # simplified, NFKC, no whitespace
    kind: str                # numbers.BLANK / NUMBER / PLACEHOLDER / TEXT
    value: float | int | None = None
    spanned: bool = False    # a copy made by span expansion
    raw: str = ""
    src: Source | None = None  # where it was read (page, locator; the OCR reader's method)
    note: str | None = None    # an annotation printed in the cell (其中修订16件)
    multiplier: int = 1        # 万 / 亿 printed after the number
    why: str | None = None     # why a TEXT cell is no number, when we know


@dataclass
class Found:
    """What the mapper read, before it becomes the record."""
    active: dict = field(default_factory=dict)        # key → {field: Cell}
    extra: dict = field(default_factory=dict)         # label → {column label: Cell}
    applications: dict = field(default_factory=dict)  # key → {column: Cell}
    review: dict = field(default_factory=dict)        # group → {field: Cell}
    findings: list = field(default_factory=list)
    # "table.row" → how its values were placed: "label" (by headers, or in the order the
    # row's own headers give) or "position_checked" (by the template's order, confirmed
    # by its arithmetic)
    methods: dict = field(default_factory=dict)
    # table 三's rows in the order printed: the key of a row placed by its label, None for a
    # row whose label names no row (OCR misread or lost it) with its values, "" for a row
    # that cannot be told (a second row of one label)
    application_rows: list = field(default_factory=list)
    unlabelled: set = field(default_factory=set)    # keys of rows named by their place alone


_PARSED: dict[str, tuple[str, Parsed]] = {}   # text → (its label form, its number)


def _cell(col, text, spanned=False, src=None) -> Cell:
    got = _PARSED.get(text)
    if got is None:
        got = compact(text), parse(text, normalised=True)
        if len(_PARSED) < 50000:  # the same few cells ("0", "", "总计") recur in every report
            _PARSED[text] = got
    label, p = got
    return Cell(col, label, p.kind, p.value, spanned, text, src, p.note, p.multiplier, p.why)


# ---- from blocks to rows ------------------------------------------------------------

def _line_items(text: str, src: Source | None = None):
    """A line of flattened text → ("row", cells) for a separated row, or tokens."""
    if "\t" in text or "|" in text:
        parts = text.split("\t") if "\t" in text else text.split("|")
        if "|" in text and all(_MD_DELIMITER_RE.match(p) for p in parts):
            return []   # a Markdown table's | --- | :---: | line: layout, not blank values
        cells = [_cell(i, p, src=src) for i, p in enumerate(parts)]
        filled = [c for c in cells if c.kind != BLANK]
        if len(filled) >= 2:
            return [("row", cells)]
        return [("token", c) for c in filled]
    stripped = _ANNOTATED_RE.sub(lambda m: m.group(1) + _TOKEN_SPLIT_RE.sub("", m.group(2)), text.strip())
    if not stripped:
        return []
    parts = _TOKEN_SPLIT_RE.split(stripped)
    if len(parts) > 1:
        # "规章 0 0 3" or "0 0 1 0 0": a label and/or a run of numbers on one line
        cells = _without_stray_header_chars([_cell(None, p, src=src) for p in parts])
        n = len(cells)
        while n and (cells[n - 1].kind in (NUMBER, PLACEHOLDER) or cells[n - 1].why):
            n -= 1
        if n == 0:
            return [("token", c) for c in cells]
        if n == len(cells) and any(T.group_of(c.text) for c in cells):
            # "（六）其他处理     2.申请人逾期…": a group label beside a row label, no numbers
            return [("token", c) for c in _label_tokens(parts, src)]
        if n < len(cells) and len(" ".join(parts[:n])) <= 60:
            return [("token", c) for c in _label_tokens(parts[:n], src)] + [("token", c) for c in cells[n:]]
    return [("token", _cell(None, stripped, src=src))]


def _without_stray_header_chars(cells: list[Cell]) -> list[Cell]:
    """A layout tool prints a column header set one character per line (自/然/人, 总/计)
    onto the lines of the rows beside it: such a lone character after the first of a row's
    numbers is none of its values, and dropped. Only characters of table 三's column headers: a
    multiplier (万) or any other word after a number keeps the line unread."""
    numbers = [i for i, c in enumerate(cells) if c.kind == NUMBER]
    if len(numbers) < 2:
        return cells    # prose ("接待群众 35 人"): its word stays, the line is no row
    first = numbers[0]
    return cells[:first + 1] + [c for c in cells[first + 1:] if not (
        c.kind == TEXT and not c.why and len(c.text) == 1 and c.text in T.APPLICANT_HEADER_CHARS)]


def _label_tokens(parts: list[str], src: Source | None = None) -> list[Cell]:
    """Words before the numbers of a line: one label, but a group label （三）不予公开 stands alone."""
    out, cur = [], []
    for p in parts:
        if T.group_of(compact(p)):
            if cur:
                out.append(_cell(None, " ".join(cur), src=src))
                cur = []
            out.append(_cell(None, p, src=src))
        else:
            cur.append(p)
    if cur:
        out.append(_cell(None, " ".join(cur), src=src))
    return out


def _rows(doc: Document):
    """Yield (labels, values, positional) rows in reading order."""
    pend_labels: list[Cell] = []
    pend_values: list[Cell] = []

    def flush():
        nonlocal pend_labels, pend_values
        if pend_labels or pend_values:
            out = (pend_labels, pend_values, False)
            pend_labels, pend_values = [], []
            return out
        return None

    for block in doc.blocks:
        if isinstance(block, Table):
            f = flush()
            if f:
                yield f
            sources = block.sources
            for r, row in enumerate(block.rows):
                cells = [_cell(c, t or "", (r, c) in block.spanned, sources.get((r, c))) for c, t in enumerate(row)]
                yield _split_positional(cells)
            continue
        for kind, item in _line_items(block.text, block.source):
            if kind == "row":
                f = flush()
                if f:
                    yield f
                yield _split_positional(item)
            elif item.kind == TEXT and not item.why:
                if pend_values:
                    f = flush()
                    if f:
                        yield f
                pend_labels.append(item)
            else:
                pend_values.append(item)
    f = flush()
    if f:
        yield f


def _split_positional(cells: list[Cell]):
    """Leading label cells, then every cell from the first number/placeholder on."""
    # a cell we know is a failed number (too many digits, digits parted by spaces) stands
    # where a value goes, not a label: it gets its finding
    first_value = next((i for i, c in enumerate(cells) if c.kind in (NUMBER, PLACEHOLDER) or c.why), None)
    if first_value is None:
        labels = [c for c in cells if c.kind == TEXT]
        last = max((i for i, c in enumerate(cells) if c.kind == TEXT), default=-1)
        # a data row whose cells are all blank still has its blank cells as values
        values = [c for c in cells[last + 1:] if not c.spanned]
        return labels, values, True
    labels = [c for c in cells[:first_value] if c.kind == TEXT]
    values = [c for c in cells[first_value:] if not c.spanned]
    return labels, values, True


# ---- the engine ----------------------------------------------------------------------

class Mapper:
    def __init__(self, template: str, page_of=lambda src: None):
        self.template = template if template in T.ACTIVE_FIELDS else T.T2021
        self.section = None
        self.group = None
        self.header_cols: dict[int, list[str]] = {}
        self.header_seq: list[str] = []
        self.page_of = page_of          # Source → the page it was printed on, or None
        self.header_page = None         # the page the last header in header_seq was printed on
        self.after_data = False
        self.found = Found()
        self.method = "label"   # how the last _place placed its values
        self.review_groups: set = set()  # table 四 groups named by labels since the last data row
        # text: a table 二 row followed by fewer numbers than the columns its headers name (or
        # the template's, with no headers). Its other numbers were printed elsewhere (a layout
        # tool reads a column at a time), maybe after a later row's label, so no later row's
        # numbers can be told from them by adjacency
        self.short_active_row: str | None = None

    # context ---------------------------------------------------------------------
    def _headers(self, labels: list[Cell], positional: bool):
        heads = [c for c in labels if T.is_header(c.text)]
        if not heads and not (positional and labels):
            return
        if self.after_data:
            self.header_cols, self.header_seq = {}, []
            self.after_data = False
        for c in labels if positional else heads:
            if c.col is not None and positional:
                col = self.header_cols.setdefault(c.col, [])
                if not col or col[-1] != c.text:
                    col.append(c.text)
        for c in heads:
            if not self.header_seq or self.header_seq[-1] != c.text:
                self.header_seq.append(c.text)
            self.header_page = self.page_of(c.src)

    def _context(self, labels: list[Cell]):
        for c in labels:
            anchor = T.section_of(c.text)
            if anchor:
                if anchor[1] != self.section:
                    # where table 三 begins and ends: a row of it whose label was not read
                    # next to either is named by that (name_unlabelled_rows)
                    if self.section == "applications":
                        self.found.application_rows.append(("$", None))
                    if anchor[1] == "applications":
                        self.found.application_rows.append(("^", None))
                    self.section, self.group = anchor[1], None
                    self.review_groups = set()
                    self.short_active_row = None
            if self.section == "review" and len(c.text) <= 16:
                # table 四 split into one table per group, each under its group's name
                g = T.first_match(T.REVIEW_GROUP_LABELS, c.text)
                if g:
                    self.review_groups.add(g)
            if anchor:
                continue
            g = T.group_of(c.text) or T.group_prefix(c.text)
            if g:
                self.group = g

    # rows ------------------------------------------------------------------------
    def feed(self, labels: list[Cell], values: list[Cell], positional: bool):
        self._context(labels)
        has_values = any(v.kind != BLANK for v in values)
        item = self._item(labels)
        blank_row = bool(values) and item is not None and not T.is_header(item.text)
        # 2019's single （六）其他处理 row is named by its group label alone: blank, it is
        # still a row of the template (nulls), not a header
        blank_row = blank_row or (bool(values) and item is None and bool(labels)
                                  and T.group_of(labels[-1].text) == "other")
        key = self._row_key(item, labels) if (has_values or blank_row) else None
        if not has_values and key is None:
            if labels:
                self._headers(labels, positional)
            elif self.section == "applications" and positional and values:
                self.found.application_rows.append((None, values))   # a row with nothing read: still a row
            return
        if not positional:
            self._headers(labels, positional)
        if key is None and self.section == "review" and has_values:
            filled = [v for v in values if v.kind != BLANK]
            # a row of five under the one group named since the last row: that group's
            # (only from a table's row: text tokens come in any order, and no sum tells
            # one group's five numbers from another's)
            group = next(iter(self.review_groups)) if len(self.review_groups) == 1 else None
            if positional and group and group not in self.found.review and len(filled) == 5:
                self._review(values, group)
            else:
                self._review(values, None)
            self.after_data = True
            self.review_groups = set()
            return
        if key is None:
            if self.section == "active" and item and has_values and len(item.text) <= 30:
                self._extra(item, values)
                self.after_data = True
                self.review_groups = set()
            elif item is None and has_values and not positional:
                # text: values straight after headers that no row label names (a row cut
                # by a page break). Those headers were spent on them: they name no later row
                self.header_seq = []
            elif self.section == "applications" and positional and values:
                # a row of table 三 whose label was not read: its place may name it (below)
                self.found.application_rows.append((None, values))
            return
        table, name = key
        if table == "active" and not positional and item is not None and self._not_this_rows(name, item, labels):
            return
        if table == "active" and not positional and item is not None and self._after_a_short_row(name):
            return
        if table == "active":
            expected = self._active(name, values)
            if not positional and len(values) < expected:
                self.short_active_row = name
        elif table == "applications":
            self.section = "applications"
            self.found.application_rows.append(("" if name in self.found.applications else name, values))
            self._application(name, values)
        elif table == "review":
            self._review(values, name)
        self.after_data = True
        self.review_groups = set()

    def _not_this_rows(self, key: str, item: Cell, labels: list[Cell]) -> bool:
        """Text: numbers that follow a row label are that row's only when the text alternates
        label and numbers. Not when a column header stands between the label and the numbers
        naming a column the row does not have (上一年项目数量 after 政府集中采购), nor when other
        rows' labels came just before it with no numbers between (a label column printed
        whole, then the numbers column by column): then they are left to the structure."""
        at = labels.index(item) if item in labels else len(labels)
        foreign = [c.raw.strip() for c in labels[at + 1:]
                   if T.first_match(T.ACTIVE_FIELD_LABELS, c.text) not in (None, *_ACTIVE_ALLOWED.get(key, ()))]
        others = [c.raw.strip() for c in labels[:at] if len(c.text) <= T.ANCHOR_MAX_LEN
                  and T.first_match(T.ACTIVE_ROW_LABELS, c.text) not in (None, key)]
        if not (foreign or others):
            return False
        if key not in self.found.active:   # the row stays, blank: its cells are missing, not absent
            fields = T.ACTIVE_FIELDS[self.template].get(key) or T.ACTIVE_FIELDS[T.T2019].get(key, ())
            self.found.active[key] = dict.fromkeys(fields)
            self.found.methods[f"active_disclosure.{key}"] = "label"
            why = (f"follow the header {foreign[-1]}, a column it does not have" if foreign else
                   f"follow a run of row labels ({'、'.join(others + [item.raw.strip()])}) with no numbers between")
            self.found.findings.append(_finding(
                "unmapped_row", f"active_disclosure.{key}",
                f"active_disclosure.{key}: the numbers after its label {why}; not read by adjacency", row=key))
        return True

    def _after_a_short_row(self, key: str) -> bool:
        """Text: an earlier table 二 row printed fewer numbers than its headers name (行政事业性收费 1,
        its 本年增/减 read further on, after 政府集中采购 in pdfminer's order). The numbers after
        this row's label may then hold that row's rest, and their count matching this row's
        columns (one of its own cells blank) proves nothing: the row is left to the structure."""
        short = self.short_active_row
        if short is None or short == key:
            return False
        if key not in self.found.active:   # the row stays, blank: its cells are missing, not absent
            fields = T.ACTIVE_FIELDS[self.template].get(key) or T.ACTIVE_FIELDS[T.T2019].get(key, ())
            self.found.active[key] = dict.fromkeys(fields)
            self.found.methods[f"active_disclosure.{key}"] = "label"
            self.found.findings.append(_finding(
                "unmapped_row", f"active_disclosure.{key}",
                f"active_disclosure.{key}: an earlier row ({short}) printed fewer numbers than its columns, "
                "so the numbers after this row's label may be that row's; not read by adjacency", row=key))
        return True

    def _item(self, labels: list[Cell]) -> Cell | None:
        """The label naming the row: the last one that is neither header nor group."""
        for i in range(len(labels) - 1, -1, -1):
            c = labels[i]
            if T.section_of(c.text) == ("section", "active"):
                break   # what comes before a heading of table 二 (prose, another block's label) names no row under it
            if T.section_of(c.text) or len(c.text) > MAX_ITEM_LEN or _furniture(c.text):
                continue
            if T.group_of(c.text):
                continue
            if T.is_header(c.text) and not T.TOTAL_RE.match(c.text):
                continue
            if i and labels[i - 1].text + c.text in T.ACTIVE_ROW_NAMES and labels[i - 1].text not in T.ACTIVE_ROW_NAMES:
                # a table 二 label its cell's width wrapped (其他对外管理服务 / 事项): one label
                head = labels[i - 1]
                return Cell(None, head.text + c.text, TEXT, raw=head.raw.strip() + c.raw.strip(), src=head.src)
            return c
        return None

    def _row_key(self, item: Cell | None, labels: list[Cell]):
        if item is None:
            # a row named only by its group: 2019's single （六）其他处理 row
            if self.group == "other" and labels and T.group_of(labels[-1].text) == "other":
                return ("applications", "other")
            if self.section == "review" and labels:
                g = T.first_match(T.REVIEW_GROUP_LABELS, labels[-1].text)
                return ("review", g) if g else None
            return None
        text = item.text
        bare = T.strip_numbering(text)
        if self.section == "review":
            g = T.first_match(T.REVIEW_GROUP_LABELS, text)
            return ("review", g) if g else None
        if self.section != "active":
            key = T.first_match(T.APPLICATION_ROW_LABELS, text)
            if key:
                return ("applications", key)
            if self.section == "applications":
                if T.TOTAL_RE.match(bare):
                    return ("applications", "total")
                if T.OTHER_MISC_RE.match(bare) and self.group == "other":
                    return ("applications", "other_misc")
        if self.section != "applications":
            key = T.first_match(T.ACTIVE_ROW_LABELS, text)
            if key:
                return ("active", key)
        return None

    # values ----------------------------------------------------------------------
    def _place(self, values: list[Cell], col_key, order: tuple, where: str):
        """{key: Cell}: by the header over each value's column, else by order."""
        by_col = {}
        filled = [v for v in values if v.kind != BLANK]
        if filled and all(v.col is not None for v in values):
            for v in values:
                k = col_key(v.col)
                if k is None:
                    if v.kind != BLANK and not _checked_scan_cell(v, where):
                        by_col = None
                        break
                    continue
                if k not in by_col or (by_col[k].kind == BLANK and v.kind != BLANK):
                    by_col[k] = v
            if by_col and all(by_col.get(k) is not None for k in order):
                self.method = "label"
                return by_col
        # order: drop the blank cells of layout around the values
        vals = list(values)
        while vals and vals[0].kind == BLANK:
            vals.pop(0)
        while vals and vals[-1].kind == BLANK:
            vals.pop()
        if len(vals) == len(order):
            self.method = "order"
            return dict(zip(order, vals))
        if by_col and any(by_col.get(k) is not None for k in order):
            self.method = "label"
            return by_col  # headers placed some: the rest stays blank
        self.found.findings.append(_finding(
            "unmapped_row", where, f"{where}: {len(vals)} values where {len(order)} were expected; "
            "not read by position", row=where.split(".")[-1]))
        return {}

    def _header_text(self, col: int) -> str:
        return "".join(self.header_cols.get(col, ()))

    def _active(self, key: str, values: list[Cell]) -> int:
        """Place a row's values; the number of columns it was expected to print."""
        if key in self.found.active:
            return 0
        fields = T.ACTIVE_FIELDS[self.template].get(key) or T.ACTIVE_FIELDS[T.T2019].get(key, ())
        seq = tuple(dict.fromkeys(f for h in self.header_seq for f in _fields_in_order(h)))
        page = next((self.page_of(v.src) for v in values if v.kind != BLANK), None)
        if None not in (page, self.header_page) and page != self.header_page:
            # headers printed on an earlier page, the row on this one: a column printed under
            # them before the break may have been blank, so they do not say this row's columns
            seq = ()
        # headers that name some of this row's columns say which columns it printed: its
        # values follow them, or are not placed (a number more than they name is a stray
        # one, not the template's next column)
        own = tuple(f for f in seq if f in fields or f in _ACTIVE_ALLOWED.get(key, ()))
        named = [f for f in seq if f in fields]
        if named != [f for f in fields if f in named] and \
                not any(_fields_in_order(h) == named for h in self.header_seq):
            # headers printed one a line in an order other than the template's: a text tool
            # may print a header cell out of its row (pdftotext put 处理决定数量 before
            # 本年增/减, the numbers in the columns' order), so neither order is proven
            self.found.findings.append(_finding(
                "unmapped_row", f"active_disclosure.{key}", f"active_disclosure.{key}: its headers are "
                f"printed one a line in an order other than the template's ({', '.join(named)}); which "
                "column each number is under is not proven, so the row is not read", row=key))
            self.found.active[key] = dict.fromkeys(fields)
            self.found.methods[f"active_disclosure.{key}"] = "label"
            return len(named)
        order = seq if seq and len(seq) == sum(1 for v in values if v.kind != BLANK) else own or fields
        placed = self._place(values, self._active_field, order, f"active_disclosure.{key}")
        self.found.active[key] = {f: placed.get(f) for f in fields}
        expected = len(order)
        # table 二 has no arithmetic to check an order by: its columns follow its own
        # headers (or the template's, one value each), the row its label
        self.found.methods[f"active_disclosure.{key}"] = "label"
        # a column the template does not know, but the row allows (schema), is kept too
        for f, cell in placed.items():
            if f not in fields and f in _ACTIVE_ALLOWED.get(key, ()):
                self.found.active[key][f] = cell
        return expected

    def _active_field(self, col: int):
        """The table 二 field a column's headers name; else the one field a header of it is
        one misread character from (OCR: 本年康止件数 is 本年废止件数)."""
        field = T.first_match(T.ACTIVE_FIELD_LABELS, self._header_text(col))
        if field is None:
            near = {T.nearest(T.ACTIVE_FIELD_HEADERS, text) for text in self.header_cols.get(col, ())} - {None}
            field = near.pop() if len(near) == 1 else None
        return field

    def _extra(self, item: Cell, values: list[Cell]):
        heads = [h for h in self.header_seq if not h.startswith("第二十条") and h != "信息内容"]
        vals = [v for v in values if v.kind != BLANK] or values
        label = item.raw.strip()
        if label in self.found.extra:
            return
        self.found.extra[label] = {
            (heads[i] if i < len(heads) else f"column {i + 1}"): v for i, v in enumerate(vals)}

    def name_unlabelled_rows(self):
        """Rows of table 三 whose labels were not read (a scan's small or grainy print),
        named by the template's row order: k such rows printed together between two rows
        whose labels were read, and k rows apart in the template with none of the rows
        between read, are those rows. Only their place names them, so their numbers are
        placed as by position: each must still be confirmed by the template's sums
        (confirm.confirm: the row's total, or its column's)."""
        order = T.rows_for(self.template)
        # the table's start and end (its section's heading, the next section's) stand
        # before its first row and after its last
        place = {key: n for n, key in enumerate(order)} | {"^": -1, "$": len(order)}
        seq = self.found.application_rows
        i = 0
        while i < len(seq):
            j = i
            while j < len(seq) and seq[j][0] is None:
                j += 1
            if j > i and i > 0 and j < len(seq) and seq[i - 1][0] in place and seq[j][0] in place:
                between = order[place[seq[i - 1][0]] + 1:max(0, place[seq[j][0]])]
                if len(between) == j - i and not any(k in self.found.applications for k in between):
                    for key, (_none, values) in zip(between, seq[i:j]):
                        self._application(key, values)
                        self.found.methods[f"applications.{key}"] = "position_checked"
                        self.found.unlabelled.add(key)
            i = max(j, i + 1)

    def _row(self, table: dict, key: str, values: list[Cell], col_key, fields: tuple, where: str):
        """One row's values placed (_place) as ``table``'s row ``key``: the first found stands."""
        if key in table:
            return
        placed = self._place(values, col_key, fields, where)
        table[key] = {f: placed.get(f) for f in fields}
        self.found.methods[where] = _METHOD[self.method]

    def _application(self, key: str, values: list[Cell]):
        self._row(self.found.applications, key, values, lambda c: T.applicant_column(self._header_text(c)),
                  T.APPLICANT_COLUMNS, f"applications.{key}")

    @staticmethod
    def _review_field(header: str):
        """The field a column of one group's values holds: by its full header (group and
        field), or by the field alone where the group's table has only the field row."""
        both = T.review_column(header)
        if both:
            return both[1]
        return None if T.first_match(T.REVIEW_GROUP_LABELS, header) else T.first_match(T.REVIEW_FIELD_LABELS, header)

    def _review(self, values: list[Cell], group: str | None):
        if group:
            self._row(self.found.review, group, values, lambda c: self._review_field(self._header_text(c)),
                      T.REVIEW_FIELDS, f"review_litigation.{group}")
            return
        if self.found.review:
            return
        order = tuple((g, f) for g in T.REVIEW_GROUPS for f in T.REVIEW_FIELDS)
        placed = self._place(values, lambda c: T.review_column(self._header_text(c)), order,
                             "review_litigation")
        if not placed:
            return
        for g in T.REVIEW_GROUPS:
            self.found.review[g] = {f: placed.get((g, f)) for f in T.REVIEW_FIELDS}
            self.found.methods[f"review_litigation.{g}"] = _METHOD[self.method]


# values placed by their headers are read by label; by the template's column order,
# they must pass its arithmetic (confirm.confirm) to be kept
_METHOD = {"label": "label", "order": "position_checked"}

# the columns the schema allows a table 二 row: its fields in either template (a report may
# print one its own template lacks)
_ACTIVE_ALLOWED = {row: frozenset(f for fields in T.ACTIVE_FIELDS.values() for f in fields.get(row, ()))
                   for row in T.ACTIVE_ROW_ORDER}


def _checked_scan_cell(cell: Cell, where: str) -> bool:
    """A value of table 四 read by OCR under a header OCR could not read (a seal printed over
    it: 某他结) is left unplaced, and the row's other values still go under their own
    headers: each stands in a ruled cell under a header naming both its group and its
    field, so the lost one shifts none of them, and each is kept only where its group's
    sum confirms it (the lost value's group then cannot hold). Elsewhere a value under no
    header spoils its row: table 三's column headers misread at 100 dpi name the wrong
    columns (its numbers are placed by order there), table 二 has no sums."""
    return cell.src is not None and cell.src.method == OCR and where.startswith("review_litigation")


def _finding(rule, where, message, *, table=None, row=None, column=None):
    return finding(rule, message, table=table or where.split(".")[0], row=row, column=column)


def simplified(doc: Document) -> Document:
    """The document with every text in matching form (NFKC, simplified, aliases): one OpenCC call."""
    texts: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Table):
            for row in b.rows:
                texts.extend(t or "" for t in row)
        else:
            texts.append(b.text)
    out = iter(simplify_many(texts))
    blocks = []
    for b in doc.blocks:
        if isinstance(b, Table):
            blocks.append(Table(rows=[[next(out) for _ in row] for row in b.rows],
                                origin=b.origin, spanned=b.spanned, sources=b.sources))
        else:
            blocks.append(Line(next(out), b.source))
    return Document(blocks=blocks, findings=doc.findings, title=doc.title, author=doc.author)


# ---- into the record ----------------------------------------------------------------

def _value(cell: Cell | None, table: str, row: str, column: str, decimal: bool, findings: list,
           provenance: dict | None = None, method: str = "label"):
    """The record's value of a cell; a number's source goes into ``provenance``."""
    v = _number(cell, table, row, column, decimal, findings)
    if v is not None and provenance is not None:
        src = cell.src or Source()
        provenance[f"{table}.{row}.{column}"] = {
            "file": None, "sha256": None, "page": src.page, "locator": src.locator,
            # a reader's own method (OCR) is kept; cells placed by column order are named
            # apart (by_order) and confirmed by the arithmetic whatever their method
            "method": src.method or method, "confidence": src.confidence, "note": _note(cell, v)}
    return v


def _note(cell: Cell, value) -> str | None:
    """The cell's annotation, and what was printed when a multiplier was applied."""
    notes = [cell.note] if cell.note else []
    if cell.multiplier != 1:
        notes.append(f"printed {compact(cell.raw)}, read as {value}")
    return "; ".join(notes) or None


def _number(cell: Cell | None, table: str, row: str, column: str, decimal: bool, findings: list):
    if cell is None or cell.kind == BLANK:
        return None
    where = f"{table}.{row}.{column}"
    if cell.kind == PLACEHOLDER:
        findings.append(_finding("placeholder", where, f"{where}: placeholder {cell.raw.strip()!r} "
                                 "read as blank", table=table, row=row, column=column))
        return None
    if cell.kind == TEXT:
        why = f" ({cell.why})" if cell.why else ""
        shown = cell.raw.strip()
        shown = shown if len(shown) <= 60 else f"{shown[:40]}… ({len(shown)} characters)"
        findings.append(_finding("unreadable_cell", where, f"{where}: {shown!r} is not a "
                                 f"number{why}", table=table, row=row, column=column))
        return None
    v = cell.value
    if cell.multiplier != 1:
        if decimal:
            pass     # money columns are in 万元 already: 2万 there is 2
        elif isinstance(v * cell.multiplier, float) and not float(v * cell.multiplier).is_integer():
            findings.append(_finding("unreadable_cell", where, f"{where}: {cell.raw.strip()!r} is no whole "
                                     "number once its multiplier is applied", table=table, row=row, column=column))
            return None
        elif abs(v * cell.multiplier) >= 10 ** MAX_DIGITS:
            findings.append(_finding("unreadable_cell", where, f"{where}: {cell.raw.strip()!r} is more than "
                                     f"{MAX_DIGITS} digits once its multiplier is applied", table=table, row=row,
                                     column=column))
            return None
        else:
            v = v * cell.multiplier
            v = int(v) if not decimal else float(v)
    if decimal:
        return float(v)
    if isinstance(v, float):
        if v.is_integer():
            return int(v)
        findings.append(_finding("unreadable_cell", where, f"{where}: {cell.raw.strip()!r} is not a "
                                 "whole number", table=table, row=row, column=column))
        return None
    return v


def map_document(doc: Document, template: str, *, is_simplified: bool = False, cells: dict | None = None
                 ) -> tuple[dict | None, dict | None, dict | None, list, dict, set]:
    """(active_disclosure, applications, review_litigation, findings, provenance, by_order)
    read from a document; provenance maps "table.row.column" to where that number was
    read; by_order names the cells placed by the template's column order. ``cells``, when
    given, gets every placed cell of tables 三/四 by path, blank ones too (ocr_repair)."""
    doc = doc if is_simplified else simplified(doc)
    m = Mapper(template, page_finder(doc))
    for labels, values, positional in _rows(doc):
        m.feed(labels, values, positional)
    m.name_unlabelled_rows()
    f = m.found
    if cells is not None:
        for table, rows in (("applications", f.applications), ("review_litigation", f.review)):
            cells.update({f"{table}.{row}.{col}": c for row, cs in rows.items() for col, c in cs.items() if c})
    findings = list(f.findings)
    prov: dict = {}
    method = lambda table, row: f.methods.get(f"{table}.{row}", "label")  # noqa: E731

    active = None
    if f.active or f.extra:
        active = {}
        for key in T.ACTIVE_ROW_ORDER:
            if key in f.active:
                active[key] = {fld: _value(c, "active_disclosure", key, fld,
                                           (key, fld) in T.DECIMAL_FIELDS, findings, prov)
                               for fld, c in f.active[key].items()}
        if f.extra:
            active["extra"] = {label: {col: _value(c, "active_disclosure", label, col, True, findings, prov)
                                       for col, c in cols.items()}
                               for label, cols in f.extra.items()}
    applications = None
    if f.applications:
        applications = {}
        rows = T.rows_for(template)
        for key in rows + tuple(k for k in f.applications if k not in rows):
            if key in f.applications:
                applications[key] = {c: _value(cell, "applications", key, c, False, findings, prov,
                                               method("applications", key))
                                     for c, cell in f.applications[key].items()}
    review = None
    if f.review:
        review = {g: {fld: _value(c, "review_litigation", g, fld, False, findings, prov,
                                  method("review_litigation", g))
                      for fld, c in f.review.get(g, {}).items()} if g in f.review else
                  {fld: None for fld in T.REVIEW_FIELDS}
                  for g in T.REVIEW_GROUPS}
    for path, entry in prov.items():
        if path.startswith("applications.") and path.split(".")[1] in f.unlabelled:
            entry["note"] = "; ".join(filter(None, (entry["note"], "row named by its place in the "
                                                   "template's row order: its label was not read")))
    # the cells placed by column order, whatever reader's method their provenance names
    # (an OCR reader's "ocr"): the template's arithmetic must confirm them
    by_order = {path for path in prov if f.methods.get(path.rsplit(".", 1)[0]) == "position_checked"}
    return active, applications, review, findings, prov, by_order
