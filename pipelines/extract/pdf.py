"""PDF attachments → Document: pages read by pdfium (pdfium_page.py), tables found by
pdfplumber's table finder.

Ruled tables become expanded grids built from the cell rectangles pdfplumber finds
(merged cells are single rectangles; we copy their text into every grid position they
cover and mark the copies in `spanned`). A table that runs across a page break is
joined into one, including a merged label cell that the break cut in two. Page
numbers are dropped; so is text drawn twice (fake bold); a label's glyph drawn over its
cell's rule goes back to its cell. Text outside tables becomes `Line`s in reading order.

pdfium is not thread-safe: ``read`` is called from one thread per process (the crawl
runs extraction in worker processes).
"""
from __future__ import annotations

import itertools
import re
from operator import itemgetter

from pipelines.extract import pdf_streams
from pipelines.extract.blocks import Document, Line, Source, Table
from pipelines.record import finding

MAX_PAGES = 200
X_TOLERANCE = 4.0         # column lines of one table drift by a few points between pages
JOIN_EDGE_TOLERANCE = 8.0
PAGE_EDGE_ZONE = 0.09     # top/bottom share of the page where bare numbers are page numbers
DEDUPE_TOLERANCE = 1.0    # a glyph drawn again within 1 pt (fake bold) is one glyph

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d+\s*[-—–－]|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?"
    r"|共\s*\d+\s*页\s*第\s*\d+\s*页|\d+\s*/\s*\d+|[Pp]age\s*\d+(?:\s*of\s*\d+)?)\s*$")
PAGE_NUMBER_RE = _PAGE_NUMBER   # flattened text carries the same page numbers (runs.number_runs)
_BARE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_NUMERIC = re.compile(r"^[\s\d.,，%％\-—－]+$")
# a label that starts a new item: 一、 （一） (1) 1. 1、 1．
_ENUMERATED = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．])")
_CJK = r"[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f“”‘’]"


def read(data: bytes, name: str | None = None) -> Document:  # name: unused (the readers share one signature)
    refused = pdf_streams.refusal(data)
    if refused:
        return Document([], [finding("unreadable_file", f"PDF refused: {refused}")])
    try:
        import pypdfium2
        pdf = pypdfium2.PdfDocument(data)
    except Exception as exc:   # broken or encrypted file: say so, never raise
        return Document([], [finding("unreadable_file", f"PDF cannot be opened: {type(exc).__name__}: {exc}")])
    try:
        return _read_pdf(pdf)
    except Exception as exc:
        return Document([], [finding("unreadable_file", f"PDF cannot be read: {type(exc).__name__}: {exc}")])
    finally:
        pdf.close()


def _read_pdf(pdf) -> Document:
    from pdfplumber.table import TableFinder, TableSettings
    from pdfplumber.utils import chars_to_textmap

    from pipelines.extract import pdfium_fonts, pdfium_page

    findings = []
    n_pages = len(pdf)
    if n_pages > MAX_PAGES:
        findings.append(finding("truncated", f"PDF has {n_pages} pages; only the first "
                                f"{MAX_PAGES} were read"))
        n_pages = MAX_PAGES

    settings = TableSettings.resolve(None)
    fonts = pdfium_page.Fonts()
    n_chars = n_cid = 0
    doctop = 0.0
    # (page_index, top, block); table blocks are segment dicts until joined
    items = []
    # lines in the top or bottom margin band (a browser's date, title, URL and "2/6"; a
    # word processor's running header): they do not part a table from its continuation
    margin_lines: set[int] = set()
    blank_pages = []       # pages with no text layer: scans, read by OCR
    for index in range(n_pages):
        # fonts are found while the page loads: not among the machine's (pdfium_fonts.py)
        with pdfium_fonts.reading():
            raw_page = pdf[index]
            try:
                textpage = raw_page.get_textpage()
                try:
                    page = pdfium_page.load(raw_page, textpage, doctop, fonts)
                finally:
                    textpage.close()
            finally:
                raw_page.close()
        doctop += page.height
        if not page.chars:
            blank_pages.append(index)
        page.chars = dedupe_chars(page.chars)
        page.edges = page.edges + open_ends_closed(page.edges)
        overflow_pulled_back(page.chars, page.edges)
        n_chars += len(page.chars)
        n_cid += sum(1 for c in page.chars if c["text"].startswith("(cid:"))
        segments = [_segment(page, index, t) for t in TableFinder(page, settings).tables]
        segments = [s for s in segments if s]
        boxes = []
        for seg in segments:
            if seg["ncols"] == 1:
                # a bordered text frame, not a statistical table: keep its text as lines
                for text in seg["row_texts"]:
                    items.append((index, seg["top"], Line(text, Source(index + 1, bbox_locator(
                        seg["bbox"], page.height)))))
            else:
                items.append((index, seg["top"], seg))
            boxes.append(seg["bbox"])
        outside = [c for c in page.chars if not _inside_any(c, boxes)]
        textmap = chars_to_textmap(outside, layout_bbox=page.bbox, layout_width=page.width,
                                   layout_height=page.height)
        body_size = _median([c["size"] for c in page.chars]) if page.chars else 0.0
        for line in textmap.extract_text_lines(strip=True, return_chars=True):
            text = line["text"].strip()
            if text and not _is_page_furniture(text, line["top"], line["bottom"], page.height):
                box = (line["x0"], line["top"], line["x1"], line["bottom"])
                line_block = Line(text, Source(index + 1, bbox_locator(box, page.height)))
                items.append((index, line["top"], line_block))
                # furniture is printed small at the page's edge: a heading there is not
                in_margin = line["top"] < page.height * PAGE_EDGE_ZONE or line["bottom"] > page.height * (1 - PAGE_EDGE_ZONE)
                if in_margin and _median([c["size"] for c in line["chars"]]) < body_size:
                    margin_lines.add(id(line_block))

    title = _metadata_text(pdf.get_metadata_value("Title"))
    author = _metadata_text(pdf.get_metadata_value("Author"))
    unusable = n_chars == 0 or n_cid > 0.3 * n_chars
    if unusable:
        items = []  # glyphs with no Unicode mapping: every page is read as an image
    scans = list(range(n_pages)) if unusable else [i for i in blank_pages if _has_image(pdf, i)]
    if scans:
        try:
            from pipelines.extract import ocr
            ocr_items, ocr_findings = ocr.read_pdf_pages(pdf, scans)
            items.extend(ocr_items)
            findings.extend(ocr_findings)
        except ImportError as exc:  # no OCR engine installed: say what the file needs
            findings.append(finding("needs_ocr", f"PDF pages {[i + 1 for i in scans]} are images and "
                                    f"no OCR engine is installed ({exc})"))
    if unusable and not items:
        if not any(f["rule"] in ("needs_ocr", "ocr_read") for f in findings):
            why = "has no text layer" if n_chars == 0 else "has glyphs without a Unicode mapping ((cid:…))"
            findings.append(finding("needs_ocr", f"PDF {why}; it needs OCR before its tables can be read"))
        return Document([], findings, title, author)

    items.sort(key=lambda it: (it[0], it[1]))
    return Document(_join_and_build(items, margin_lines), findings, title, author)


def open_ends_closed(edges: list[dict], tolerance: float = 2.0) -> list[dict]:
    """Rules that close a table the page break left open.

    A table cut by a page break keeps its column rules down to the page's last line (or
    from the next page's first), but has no row rule there: the cut row is no cell to
    a table finder and its numbers are lost. Where two or more column rules end together
    past every row rule, a row rule is added across them."""
    verticals = [e for e in edges if e["orientation"] == "v" and e["height"] > 1]
    if len(verticals) < 2:
        return []
    horizontals = [e for e in edges if e["orientation"] == "h"]
    added = []
    for end, y in (("top", min(e["top"] for e in verticals)), ("bottom", max(e["bottom"] for e in verticals))):
        ends = [e for e in verticals if abs(e[end] - y) <= tolerance]
        if len(ends) < 2:
            continue
        x0, x1 = min(e["x0"] for e in ends), max(e["x1"] for e in ends)
        if x1 - x0 < 20 or any(abs(h["top"] - y) <= tolerance and h["x0"] <= x0 + tolerance
                               and h["x1"] >= x1 - tolerance for h in horizontals):
            continue
        offset = ends[0]["doctop"] - ends[0]["top"]
        added.append({"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0,
                      "height": 0.0, "orientation": "h", "doctop": offset + y})
    return added


def overflow_pulled_back(chars: list[dict], edges: list[dict]) -> None:
    """Glyphs that ran over a cell's border moved back into the cell they continue.

    Text a cell cannot hold (labels spread across the cell, 分散对齐, or set vertically)
    is drawn over the cell's rule: the glyph is cut by the rule, its centre on the far
    side, so a table finder puts it in the neighbouring cell ("人16": a header's last
    character in the number below it; a label's last character outside the table, where
    it parts the table from its continuation on the next page). A glyph cut by a rule is
    never a cell's own text: when the glyph before it in the text (same font and size,
    further along the same line or down the same vertical label) lies in the cell on the
    rule's near side, the glyph is moved just onto that side. Other glyphs stay put."""
    rules_h = [e for e in edges if e["orientation"] == "h"]
    rules_v = [e for e in edges if e["orientation"] == "v"]
    for before, glyph in zip(chars, chars[1:]):
        size = glyph["size"]
        if before["fontname"] != glyph["fontname"] or abs(before["size"] - size) > 0.1 or size <= 0:
            continue
        if abs(before["x0"] - glyph["x0"]) < 0.3 * size and glyph["top"] > before["top"]:
            # down a vertical label: a row rule through the glyph, none between it and the glyph before
            cx = (glyph["x0"] + glyph["x1"]) / 2
            across = sorted(e["top"] for e in rules_h if e["x0"] <= cx <= e["x1"])
            y = _cutting(across, glyph["top"], glyph["bottom"], (before["top"] + before["bottom"]) / 2)
            if y is not None:
                _shift(glyph, 0.0, y - glyph["bottom"] - 0.01)
        elif abs(before["top"] - glyph["top"]) < 0.3 * size and glyph["x0"] > before["x0"]:
            # along a line: a column rule through the glyph, none between it and the glyph before
            cy = (glyph["top"] + glyph["bottom"]) / 2
            across = sorted(e["x0"] for e in rules_v if e["top"] <= cy <= e["bottom"])
            x = _cutting(across, glyph["x0"], glyph["x1"], (before["x0"] + before["x1"]) / 2)
            if x is not None:
                _shift(glyph, x - glyph["x1"] - 0.01, 0.0)


def _cutting(rules: list[float], low: float, high: float, before: float) -> float | None:
    """The rule that cuts the glyph spanning (low, high) clearly (a tenth of it on each
    side), when no other rule parts it from the glyph before it (centred at ``before``)."""
    margin = 0.1 * (high - low)
    cut = next((r for r in rules if low + margin < r < high - margin), None)
    if cut is None or any(before < r < cut - 0.5 for r in rules):
        return None
    return cut


def _shift(glyph: dict, dx: float, dy: float) -> None:
    glyph["x0"] += dx
    glyph["x1"] += dx
    glyph["top"] += dy
    glyph["bottom"] += dy
    glyph["doctop"] += dy


def bbox_locator(bbox, page_height: float) -> str:
    """The contract's PDF locator: "x0,y0,x1,y1" in PDF points, origin at the page's
    bottom left (pdfplumber's boxes count from the top)."""
    x0, top, x1, bottom = bbox
    return f"{x0:.1f},{page_height - bottom:.1f},{x1:.1f},{page_height - top:.1f}"


def _has_image(pdf, index: int) -> bool:
    import pypdfium2.raw as pdfium_c

    page = pdf[index]
    try:
        return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))
    finally:
        page.close()


def dedupe_chars(chars: list[dict], tolerance: float = DEDUPE_TOLERANCE) -> list[dict]:
    """pdfplumber's dedupe_chars (same text, font and size within ``tolerance``: keep the
    top-left one), keeping the page order by an index map rather than list.index."""
    from pdfplumber.utils import cluster_objects

    key = itemgetter("upright", "text", "fontname", "size")
    position = itemgetter("doctop", "x0")
    order = {id(c): n for n, c in enumerate(chars)}
    kept = []
    for _, group in itertools.groupby(sorted(chars, key=key), key=key):
        group = list(group)
        if len(group) > 1:
            tops = sorted(c["doctop"] for c in group)
            # clusters chain values within the tolerance: none of them is near another
            # (the usual case, e.g. one character on many lines) means nothing to drop
            if any(b - a <= tolerance for a, b in zip(tops, tops[1:])):
                for row in cluster_objects(group, itemgetter("doctop"), tolerance):
                    for cluster in cluster_objects(row, itemgetter("x0"), tolerance):
                        kept.append(min(cluster, key=position))
                continue
        kept.extend(group)
    kept.sort(key=lambda c: order[id(c)])
    return kept


def _median(values: list[float]) -> float:
    values = sorted(values)
    return values[len(values) // 2] if values else 0.0


def _metadata_text(value) -> str | None:
    """A metadata string (pdfium decodes PDFDocEncoding and UTF-16), None if blank or garbled."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if value and "\ufffd" not in value else None


def _inside_any(obj, boxes) -> bool:
    if obj.get("object_type") != "char":
        return False
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _is_page_furniture(text: str, top: float, bottom: float, height: float) -> bool:
    if _PAGE_NUMBER.match(text):
        return True
    near_edge = top < height * PAGE_EDGE_ZONE or bottom > height * (1 - PAGE_EDGE_ZONE)
    return near_edge and bool(_BARE_NUMBER.match(text))


def clean_cell(text: str | None) -> str:
    """Cell text as one line: wrapped lines joined, spaces between Chinese characters gone."""
    if not text:
        return ""
    lines = [ln.strip() for ln in text.split("\n")]
    lines = [ln for ln in lines if ln and not _PAGE_NUMBER.match(ln)]
    out = ""
    for ln in lines:
        if out and re.match(r"[A-Za-z0-9]", out[-1]) and re.match(r"[A-Za-z0-9]", ln[0]):
            out += " "
        out += ln
    return re.sub(rf"(?<={_CJK})\s+|\s+(?={_CJK})", "", out).strip()


class _Chars:
    """What Table.extract reads of a page: its chars."""

    def __init__(self, chars):
        self.chars = chars


def _segment(page, index: int, table) -> dict | None:
    """One table on one page: its cells as (x0, top, x1, bottom, text)."""
    # Table.extract tests every char of the page against every row: give it only the
    # chars within the table (a char in a row is in the table, so nothing is lost)
    table.page = _Chars(_chars_in(page.chars, table.bbox))
    texts = table.extract()
    padding = None
    cells = []
    for row, row_texts in zip(table.rows, texts):
        for bbox, text in zip(row.cells, row_texts):
            if bbox is not None:
                if text and _WRAPPED_DIGITS.match(text):
                    if padding is None:
                        padding = _padding(table)
                    if _wrapped_number(_chars_in(table.page.chars, bbox), bbox, padding):
                        text = text.replace("\n", "")
                cells.append((*bbox, clean_cell(text)))
    if not cells:
        return None
    xs = _cluster([c[0] for c in cells] + [c[2] for c in cells])
    return {"page": index, "bbox": table.bbox, "top": table.bbox[1], "cells": cells,
            "ncols": len(xs) - 1, "page_height": page.height,
            "row_texts": [" ".join(t for t in r if t) for r in
                          ([clean_cell(x) for x in rt] for rt in texts) if any(r)]}


# a cell's text of digit lines only: a number the cell's width wrapped, or several numbers
_WRAPPED_DIGITS = re.compile(r"^[\d.,]+(?:\n[\d.,]+)+$")


def _chars_in(chars: list[dict], bbox) -> list[dict]:
    """The chars centred within bbox (x0, top, x1, bottom)."""
    x0, top, x1, bottom = bbox
    return [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]


def _padding(table) -> float:
    """The table's cell padding: the least gap between a cell's left edge and its text
    (labels are set flush left), 0 when no cell has text."""
    gaps = [min(c["x0"] for c in inside) - bbox[0] for row in table.rows for bbox in row.cells
            if bbox is not None and (inside := _chars_in(table.page.chars, bbox))]
    return max(0.0, min(gaps, default=0.0))


def _wrapped_number(chars: list[dict], bbox, padding: float) -> bool:
    """Are the cell's digit lines one number that the cell's width broke? Only when each
    line but the last is full: the next line's first digit would not have fitted beside it
    within the cell's padding. Numbers set one above the other in a wide cell are not."""
    lines: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if lines and abs(c["top"] - lines[-1][0]["top"]) < 0.5 * c["size"]:
            lines[-1].append(c)
        else:
            lines.append([c])
    room = bbox[2] - bbox[0] - 2 * padding
    return len(lines) > 1 and all(
        line[-1]["x1"] - line[0]["x0"] + after[0]["width"] > room + 0.1
        for line, after in zip(lines, lines[1:]))


def _cluster(values: list[float], tol: float = X_TOLERANCE) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(bounds: list[float], v: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))


def _continues(prev: dict, seg: dict, between: list) -> bool:
    """Is `seg` the rest of `prev`, cut by a page break? (Nothing but page furniture
    between them, the same left and right edges.)"""
    if seg["page"] != prev["page"] + 1 or any(isinstance(b, Line) for b in between):
        return False

    return (abs(prev["bbox"][0] - seg["bbox"][0]) <= JOIN_EDGE_TOLERANCE
            and abs(prev["bbox"][2] - seg["bbox"][2]) <= JOIN_EDGE_TOLERANCE)


def _join_and_build(items, margin_lines: set[int] = frozenset()) -> list:
    blocks: list = []
    groups: list[list[dict]] = []          # joined segments, same order as their blocks
    pending: list = []                     # lines since the last table
    for page, _top, it in items:
        if isinstance(it, Line):
            blocks.append(it)
            pending.append((page, it))
            continue
        # lines on the previous page after the table, or on this page before it, break the
        # join; the margins' running headers and footers do not
        between = [ln for pg, ln in pending if id(ln) not in margin_lines]
        if groups and blocks and _continues(groups[-1][-1], it, between) and blocks[-1] is groups[-1]:
            groups[-1].append(it)
        else:
            groups.append([it])
            blocks.append(groups[-1])
        pending = []
    return [_build_table(b) if isinstance(b, list) else b for b in blocks]


def _build_table(segments: list[dict]) -> Table:
    """Expanded grid of one table from its segments (one per page)."""
    xs = _cluster([v for s in segments for c in s["cells"] for v in (c[0], c[2])])
    origin_cells = []        # [r0, r1, c0, c1, text, Source]
    row_offset = 0
    boundaries = []
    for n, seg in enumerate(segments):
        ys = _cluster([v for c in seg["cells"] for v in (c[1], c[3])], 2.0)
        if n:
            boundaries.append(row_offset)
        for x0, top, x1, bottom, text, *ocr in seg["cells"]:   # OCR'd cells: confidence, readings
            r0, r1 = _index(ys, top), _index(ys, bottom)
            c0, c1 = _index(xs, x0), _index(xs, x1)
            if r1 > r0 and c1 > c0:
                source = Source(seg["page"] + 1, bbox_locator((x0, top, x1, bottom), seg["page_height"]),
                                seg.get("method"), ocr[0] if ocr else None, tuple(ocr[1]) if len(ocr) > 1 else ())
                origin_cells.append([r0 + row_offset, r1 + row_offset, c0, c1, text, source])
        row_offset += len(ys) - 1
    nrows, ncols = row_offset, len(xs) - 1
    for b in reversed(boundaries):
        origin_cells, nrows = _mend_break(origin_cells, b, nrows, ncols)
    grid = [["" for _ in range(ncols)] for _ in range(nrows)]
    owner = [[None] * ncols for _ in range(nrows)]
    spanned = set()
    sources = {}
    for k, (r0, r1, c0, c1, text, source) in enumerate(origin_cells):
        for r in range(r0, r1):
            for c in range(c0, c1):
                grid[r][c] = text
                owner[r][c] = k
                sources[(r, c)] = source
                if (r, c) != (r0, c0):
                    spanned.add((r, c))
    keep = [r for r in range(nrows) if any(grid[r]) and not all(
        _PAGE_NUMBER.match(t) for t in grid[r] if t)]
    remap = {r: i for i, r in enumerate(keep)}
    spanned = {(remap[r], c) for r, c in spanned if r in remap}
    sources = {(remap[r], c): src for (r, c), src in sources.items() if r in remap}
    # a copy whose origin row was dropped becomes the origin
    pages = sorted({s["page"] for s in segments})
    origin = f"pdf p{pages[0] + 1}" + (f"-{pages[-1] + 1}" if len(pages) > 1 else "")
    return Table(rows=[grid[r] for r in keep], origin=origin, spanned=spanned, sources=sources)


def _cell_at(cells, r, c):
    for cell in cells:
        if cell[0] <= r < cell[1] and cell[2] <= c < cell[3]:
            return cell
    return None


def _mend_break(cells, b: int, nrows: int, ncols: int):
    """Repair the rows either side of a page break at row b.

    - header rows that the new page repeats are dropped;
    - a row cut in two (the lower part has no numbers) is joined back into one;
    - a merged label cell cut by the break (empty, or a fragment that does not start a
      new numbered item under a numbered label) becomes one cell again.
    """
    def row_cells(r):
        return sorted((c for c in cells if c[0] == r), key=lambda c: c[2])

    # repeated header: the first rows of the new page equal the table's first rows
    k = 0
    while b + k < nrows and k < b and [c[4] for c in row_cells(b + k)] == [c[4] for c in row_cells(k)] \
            and all(not _NUMERIC.match(c[4] or "x") for c in row_cells(k)):
        k += 1
    if k:
        cells = [c for c in cells if not b <= c[0] < b + k]
        for c in cells:
            if c[0] >= b + k:
                c[0] -= k
                c[1] -= k
        nrows -= k

    below = row_cells(b)
    above_row = [_cell_at(cells, b - 1, c) for c in range(ncols)]
    has_numbers = lambda cs: any(x and x[4] and _NUMERIC.match(x[4]) for x in cs)
    if below and not has_numbers(below) and has_numbers(above_row) and all(
            c[1] - c[0] == 1 for c in below):
        # one row cut by the page break: glue the fragments back onto the row above
        for c in below:
            up = _cell_at(cells, b - 1, c[2])
            if up is not None and c[4]:
                up[4] = up[4] + c[4]
        cells = [c for c in cells if c[0] != b]
        for c in cells:
            if c[0] > b:
                c[0] -= 1
            if c[1] > b:
                c[1] -= 1
        return cells, nrows - 1

    for c in below:
        up = _cell_at(cells, b - 1, c[2])
        if up is None or up is c or (up[2], up[3]) != (c[2], c[3]):
            continue
        if not up[4] or _NUMERIC.match(up[4]) or (c[4] and _NUMERIC.match(c[4])):
            continue
        if not c[4] or (_ENUMERATED.match(up[4]) and not _ENUMERATED.match(c[4])):
            up[4] = up[4] + c[4]
            up[1] = c[1]
            cells.remove(c)
    return cells, nrows
