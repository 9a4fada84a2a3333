"""The document's numbers as runs (number_runs: numeric cells, with the text cells before
them; page furniture left out), and what the runs say, as the readings by position use
them: a run's plain counts, whether a run is one block of lines or read across, the windows
of whole runs of a given size, where table 四's area begins and its pieces, the groups
several readings agree on, the headings that bound the tables, and the ways to cut a
table's columns into groups or to order its pieces. Shared by positions.py,
active_structure.py and the readings they call (bands, head_rows, column_pieces,
column_runs, review_headed, review_totals, wrapped_rows), which import it; it imports none
of them.
"""
from __future__ import annotations

import itertools
import re

from . import templates as T
from .blocks import Line, Source, Table, line_span
from .mapping import _cell, _line_items
from .numbers import NUMBER, PLACEHOLDER, TEXT
from .pdf import PAGE_NUMBER_RE


APPLICATION_LABELS_NOT_IN_TABLE3 = ("结果维持", "结果纠正", "尚未审结", "其他结果", "本年制发", "本年废止",
                                    "现行有效", "处理决定", "收费金额", "新制作", "新公开", "公开总数",
                                    "上一年项目", "采购")


def compositions(n: int):
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


def _line_of(cell):
    """The text line a number was printed on ("lines 12-12"), or None (a grid cell, a PDF box)."""
    src = cell.src
    return (src.page, src.locator) if src is not None and src.locator.startswith("lines ") else None


def _all_numbers(cells) -> list | None:
    """The run's counts, or None when one is no plain count: a multiplier (2万) would be
    dropped if the sums were checked on what is printed, so such a run is not read."""
    if any(c.multiplier not in (None, 1) for c in cells):
        return None
    vals = [c.value for c in cells]
    return None if any(v is None or isinstance(v, float) and not v.is_integer() for v in vals) else \
        [int(v) for v in vals]


def numbers_around(runs, first, last) -> tuple:
    """The numbers printed right before cell ``first`` and right after cell ``last`` (of
    the runs, whatever text is between), each None where there is none or it is no plain
    count: a print with a window's edge number swapped with the one beyond it
    (swaps.swapped_readings' ``outside``)."""
    flat = [c for run, _texts in runs for c in run]
    at = {id(c): k for k, c in enumerate(flat)}
    a, b = at[id(first)] - 1, at[id(last)] + 1
    return tuple((_all_numbers([flat[k]]) or [None])[0] if 0 <= k < len(flat) else None for k in (a, b))


def _not_other_tables(texts) -> bool:
    """No label of table 二's or 四's among the texts: their headers, and table 四's group
    labels (行政复议, 未经复议直接起诉) other than in its section heading. 行政复议 alone is
    the group's label, though it may also open the section: a heading names 行政诉讼 too."""
    return not any(any(w in t.text for w in APPLICATION_LABELS_NOT_IN_TABLE3) or
                   T.first_match(T.REVIEW_GROUP_LABELS, t.text) and not _review_heading(t.text)
                   for t in texts)


def _review_heading(text: str) -> bool:
    """Table 四's section heading (四、政府信息公开行政复议、行政诉讼情况), not its group label."""
    return T.section_of(text) is not None and "行政诉讼" in text


def _after_another_tables_label(texts) -> bool:
    """A run printed straight after a label of table 二 (a row's, 行政事业性收费 0, or a
    column's, 采购总金额 0) or of table 四 is that label's number: a window of table 三's size starting there is one number out (with
    zero-heavy tables its sums may still hold, every cell shifted)."""
    if not texts:
        return False
    last = texts[-1].text
    return not _not_other_tables(texts[-1:]) or len(last) <= T.ANCHOR_MAX_LEN and bool(
        T.first_match(T.ACTIVE_ROW_LABELS, last) or T.first_match(T.ACTIVE_FIELD_LABELS, last))


# words of table 四's column headers (结果维持 … 尚未审结), whole or cut line by line
REVIEW_FIELD_WORDS = ("结果维持", "尚未审结")


def _review_starts(runs) -> int | None:
    """Index of the first run after table 四's headers (its section heading, or its field
    headers whole or cut line by line), or None."""
    for k, (_cells, texts) in enumerate(runs):
        joined = "".join(t.text for t in texts).replace(" ", "")
        if any(w in joined for w in REVIEW_FIELD_WORDS) or \
                any((T.section_of(t.text) or (None, None))[1] == "review" for t in texts):
            return k
    return None


def _window_ending(runs, end: int, size: int):
    """The cells of the whole runs ending with run ``end`` that hold exactly ``size``
    numbers with only table 三's text between them, not starting with the number of
    another table's label (_after_another_tables_label, as a window read forwards), or None."""
    cells: list = []
    for i in range(end, -1, -1):
        if i < end and not _not_other_tables(runs[i + 1][1]):
            return None
        cells = runs[i][0] + cells
        if len(cells) >= size:
            return cells if len(cells) == size and not _after_another_tables_label(runs[i][1]) else None
    return None


def _agreed_groups(readings):
    """Table 四's groups on which every reading that adds up agrees, each number read from
    one page (its locator spanning the lines the readings read it from): a group they
    disagree on in any cell is None throughout (its sum cannot check a part of it).
    (groups, where), or (None, None) when they agree on no group."""
    if len(readings) == 1:
        return readings[0]
    groups, where = {}, {}
    for g in T.REVIEW_GROUPS:
        paths = [f"review_litigation.{g}.{f}" for f in T.REVIEW_FIELDS]
        same = all(r[g] == readings[0][0][g] for r, _w in readings)
        cells = {p: _one_cell([w[p] for _r, w in readings]) for p in paths} if same else {}
        if same and None not in cells.values():
            groups[g] = dict(readings[0][0][g])
            where.update(cells)
        else:
            groups[g] = dict.fromkeys(T.REVIEW_FIELDS)
    return (groups, where) if where else (None, None)


def _one_cell(cells):
    """The cell several readings read one number from: itself when they all took the same
    cell, else one whose locator spans their lines (all on one page), else None."""
    if len({id(c) for c in cells}) == 1 or len({c.src for c in cells}) == 1:
        return cells[0]
    lines = [_line_of(c) for c in cells]
    if None in lines or len({page for page, _loc in lines}) > 1:
        return None
    return one_of(cells)


def one_of(cells):
    """The cell of a number whose value is certain but whose printed place is not: every
    reading gives it that value, each from one of ``cells`` (the readings differ only in the
    layout or column order the print was in, which the numbers cannot show). Itself where
    all are one cell; else a cell that claims no one place: its locator spans them (their
    text lines, or their boxes on one page), its note says it is one of them. None where no
    locator can span them (boxes on several pages)."""
    distinct = list({id(c): c for c in cells}.values())
    if len(distinct) == 1 or len({c.src for c in distinct}) == 1:
        return cells[0]
    first = distinct[0].src
    pages = {c.src.page if c.src else None for c in distinct}
    spans = [line_span(c.src) for c in distinct]
    if None not in spans and len(pages) == 1:
        at = sorted({n for a, b in spans for n in range(a, b + 1)})
        named = sorted({f"{a}" if a == b else f"{a}-{b}" for a, b in spans}, key=lambda t: int(t.split("-")[0]))
        locator = f"lines {at[0]}-{at[-1]}"
        where = f"lines {', '.join(named)}"
    else:
        boxes = [_box(c.src) for c in distinct]
        if None in boxes or len(pages) != 1:
            return None
        locator = ",".join(f"{v:g}" for v in (min(b[0] for b in boxes), min(b[1] for b in boxes),
                                               max(b[2] for b in boxes), max(b[3] for b in boxes)))
        where = "; ".join(c.src.locator for c in distinct)
    from dataclasses import replace
    note = (f"one of {len(distinct)} printed {cells[0].text} ({where}): every reading gives this cell "
            f"{cells[0].text}, none says which is its own")
    return replace(cells[0], src=Source(first.page, locator, first.method, first.confidence),
                   note="; ".join(filter(None, (cells[0].note, note))))


def _box(src):
    """A PDF box locator ("x0,y0,x1,y1") as four numbers, or None."""
    try:
        box = tuple(float(v) for v in (src.locator if src else "").split(","))
    except ValueError:
        return None
    return box if len(box) == 4 else None


def _read_across(texts) -> bool:
    """Table 四's headings cut one character a line and read across its columns: their
    short pieces, joined in order, do not make its heading words."""
    pieces = "".join(p for p in (t.text.replace(" ", "") for t in texts)
                     if 0 < len(p) <= 3 and set(p) <= _REVIEW_HEADING_CHARS)
    return bool(_REVIEW_HEADING_WORDS.sub("", pieces))


def _one_block(cells) -> bool:
    """Numbers a text tool printed together, in their order: on one line or consecutive
    lines (pdftotext parts its blocks by an empty line)."""
    lines = [_line_of(c) for c in cells]
    if any(line is None for line in lines):
        return False
    spans = [line_span(c.src) for c in cells]
    return all(b[0] - a[1] in (0, 1) and lines[i][0] == lines[i + 1][0]
               for i, (a, b) in enumerate(zip(spans, spans[1:])))


def _review_pieces(runs) -> list[tuple[list, list]]:
    """Table 四's runs wherever a text tool printed them: the runs from its heading on with
    only its own headers between, and any run printed right after its own column headers
    (plain pdftotext prints the last group's four, under their headers, amid table 三,
    before the heading). [(cells, texts before them)]."""
    pieces, inside = [], False
    for cells, texts in runs:
        heading = next((i for i, t in enumerate(texts) if T.section_of(t.text) == ("section", "review")), None)
        if heading is not None:
            inside = _fields_only(texts[heading + 1:])
        else:
            inside = inside and _fields_only(texts)
        headed = bool(texts) and _fields_only(texts) and \
            bool(_REVIEW_FIELD_PIECES.search("".join(t.text for t in texts).replace(" ", "")))
        if inside or headed:
            pieces.append((cells, texts))
    return pieces


_REVIEW_HEADING_WORDS = re.compile(r"结果维持|结果纠正|其他结果|其它结果|尚未审结|总计|合计|行政复议|行政诉讼|"
                                   r"未经复议直接起诉|未经复议直接诉讼|复议后起诉")


_REVIEW_HEADING_CHARS = frozenset("结果维持纠正其他它尚未审总计合")


# the characters of table 四's group labels (and of 行政诉讼 over two of them) that no field
# header has: such a label set one character a line (行 / 政 / 复 / 议, a tall cell's
# vertical text) is printed piece by piece among the field headers
REVIEW_LABEL_CHARS = frozenset("行政复议诉讼未经直接起后") - _REVIEW_HEADING_CHARS


# table 四's column headers in any cut: only they have 维持 and 审结
_REVIEW_FIELD_PIECES = re.compile(r"维持|审结")


def _fields_only(texts) -> bool:
    """Only table 四's own headings between two runs, whole or cut into pieces line by line
    (结果维 / 持), or cut across its columns in any order (结果 结果 其他结 … 维持 纠正 果) or
    one character a line (结 / 果 / 维 / 持), with its group labels' characters set one a
    line among them (label_piece): nothing there could be a cell of another table.
    The next section's heading may stand among them too: a text tool that flows table 四's
    columns prints it where its line comes, beside the table's last row; prose under it is
    no heading."""
    texts = [t for t in texts if not _next_section_heading(t.text) and not label_piece(t.text)]
    joined = "".join(t.text for t in texts).replace(" ", "")
    if not _REVIEW_HEADING_WORDS.sub("", joined):
        return True
    return all(not (rest := _REVIEW_HEADING_WORDS.sub("", t.text.replace(" ", ""))) or
               (len(rest) <= 4 and set(rest) <= _REVIEW_HEADING_CHARS) for t in texts)


def label_piece(text: str) -> bool:
    """A piece of table 四's group labels set one character a line: one of their characters,
    or two apart (two vertical labels side by side print on one line: 诉 议; 行政 as one
    word is a row label's piece of table 三, 行政执法案卷)."""
    chars = text.replace("\f", "").split()
    return 0 < len(chars) <= 2 and all(len(c) == 1 and c in REVIEW_LABEL_CHARS for c in chars)


def _next_section_heading(text: str) -> bool:
    opens = T.section_of(text)
    return opens is not None and opens[1] is None and re.match(r"\s*[五六]、", text) is not None


def _headers_before(texts) -> list:
    """The texts right before a piece that are table 四's headings only (a vertical label of
    table 三 before its heading, 三 / 、/ 本 / … / 结 / 果, is none of them)."""
    at = len(texts)
    while at and _fields_only([texts[at - 1]]):
        at -= 1
    return texts[at:]


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
