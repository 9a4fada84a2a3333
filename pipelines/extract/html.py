"""HTML page → Document: every data table as an expanded grid, the rest as lines.

Tables are taken from anywhere in the page (a report's three tables are not always
inside the CMS body container). Layout tables that hold other tables are walked
through, not read as data. A cell's text is all its text joined without separators,
so labels broken across <span>s, <br> or one character per element come out whole;
&nbsp; and <o:p></o:p> leave an empty cell.
"""
from __future__ import annotations

import re

from lxml import etree

from . import limits
from .blocks import Document, Line, Source, Table

_SKIP = frozenset({"script", "style", "noscript", "head", "title", "select", "option", "button",
                   "textarea", "iframe", "object", "template"})
_BLOCK = frozenset({"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr",
                    "table", "section", "article", "header", "footer", "blockquote", "pre", "hr",
                    "dt", "dd", "dl", "center", "form", "tbody", "thead", "caption", "td", "th"})
_WS_RE = re.compile(r"[ \t\r\n\f\v\xa0\u3000]+")
_DIGIT_RE = re.compile(r"\d")   # \d matches full-width digits too
_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)


def read(text: str) -> Document:
    try:
        # plain etree elements: lxml.html's element classes cost more than the parse itself
        root = etree.fromstring(text.encode("utf-8"), parser=_PARSER)
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        root = None
    if root is None:
        return Document(blocks=[])
    title = _title(root)
    blocks: list = []
    cells = limits.GridCells()
    buf: list[str] = []

    def flush():
        if buf:
            for part in "".join(buf).split("\n"):
                s = _WS_RE.sub(" ", part).strip()
                if s:
                    blocks.append(Line(s))
            buf.clear()

    def walk(el):
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None:  # comment or processing instruction
            if el.tail:
                buf.append(el.tail)
            return
        tag = tag.lower()
        if tag in _SKIP:
            if el.tail:
                buf.append(el.tail)
            return
        if tag == "table" and not _has_table(el):
            flush()
            table = _grid(el, cells)
            if table is not None and table.rows:
                blocks.append(table)
        else:
            block = tag in _BLOCK
            if block:
                buf.append("\n")
            if el.text:
                buf.append(el.text)
            for child in el:
                walk(child)
            if block:
                buf.append("\n")
        if el.tail:
            buf.append(el.tail)

    body = root.find("body")
    walk(body if body is not None else root)
    flush()
    chars = limits.text_chars(blocks)
    if chars > limits.MAX_TEXT_CHARS:
        return Document(blocks=[], findings=[limits.text_too_long(chars, "the page's text")], title=title)
    return Document(blocks=blocks, findings=cells.findings("html"), title=title)


def _title(root) -> str | None:
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() == "articletitle" and meta.get("content"):
            return meta.get("content").strip()
    t = root.find(".//title")
    if t is not None:
        text = _WS_RE.sub(" ", "".join(t.itertext())).strip()
        if text:
            return text
    return None


def _has_table(el) -> bool:
    return any(True for _ in el.iter("table") if _ is not el)


def _rows_of(table):
    """The table's own <tr>s (not those of tables nested inside)."""
    for child in table:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "tr":
            yield child
        elif tag in ("thead", "tbody", "tfoot"):
            for tr in child:
                if isinstance(tr.tag, str) and tr.tag.lower() == "tr":
                    yield tr


def _span(el, name) -> int:
    v = el.get(name)
    if v is None or v == "1":
        return 1
    try:
        return max(1, min(limits.MAX_SPAN, int(v.strip().rstrip(";") or 1)))
    except ValueError:
        return 1


def _mark_cells(table) -> None:
    """No script or style text in a cell; a digit in <sup> a footnote mark, not a digit of the
    number (11<sup>1</sup>). One walk over the table: one per cell cost more than the rest of
    reading the cell (each change touches its own element's text only, so the order is free)."""
    for el in table.iter("script", "style", "sup"):
        if el.tag != "sup":
            el.text = None
        elif el.text and el.text.strip().isdigit():
            el.text = f"[注{el.text.strip()}]"


def _cell_text(td) -> str:
    """A cell's text, once its table is marked (_mark_cells)."""
    return _WS_RE.sub(" ", etree.tostring(td, method="text", encoding=str, with_tail=False)).strip()


def _grid(table, cells: limits.GridCells) -> Table | None:
    """rowspan/colspan expanded: each covered position holds the cell's text. None (and
    counted) when the grid needs more ``cells`` than are left."""
    grid: dict[tuple[int, int], str] = {}
    spanned: set[tuple[int, int]] = set()
    sources: dict[tuple[int, int], Source] = {}
    tree = table.getroottree()
    width = 0
    trs = list(_rows_of(table))
    _mark_cells(table)
    for r, tr in enumerate(trs):
        c = 0
        for td in tr:
            tag = td.tag
            if not isinstance(tag, str) or tag.lower() not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            # a rowspan past the table's last row covers nothing (as in a browser)
            rs, cs = min(_span(td, "rowspan"), len(trs) - r), _span(td, "colspan")
            if len(grid) + rs * cs > cells.left:
                cells.refuse(len(trs), max(width, c + cs), len(grid))
                return None
            text = _cell_text(td)
            if _DIGIT_RE.search(text):  # the XPath of a cell that may hold a number: its provenance
                sources[(r, c)] = Source(locator=tree.getpath(td))
            if rs == cs == 1:   # most cells: (r, c) is free, the while above found it so
                grid[(r, c)] = text
            else:
                for dr in range(rs):
                    for dc in range(cs):
                        pos = (r + dr, c + dc)
                        if pos in grid:
                            continue
                        grid[pos] = text
                        if dr or dc:
                            spanned.add(pos)
            c += cs
            width = max(width, c)
    n_rows = len(trs)
    if n_rows * width > cells.left:
        cells.refuse(n_rows, width, len(grid))
        return None
    cells.left -= n_rows * width
    rows, kept = [], {}   # kept: a row's place in the grid → its place in the table
    for i in range(n_rows):
        row = [grid.get((i, j), "") for j in range(width)]
        if not any(row):  # an empty <tr> adds nothing
            continue
        kept[i] = len(rows)
        rows.append(row)
    return Table(rows=rows, origin="html", spanned={(kept[i], j) for i, j in spanned if i in kept},
                 sources={(kept[i], j): src for (i, j), src in sources.items() if i in kept})
