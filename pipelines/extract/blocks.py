"""What every reader (HTML, text, PDF, DOCX) produces and the template mapper consumes.

A document is a flat list of blocks in reading order: tables as expanded grids
(every rowspan/colspan already copied into each cell it covers, so a grid is
rectangular) and loose lines of text. Readers know about formats; the mapper knows
about the template; neither knows about the other.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

# Source.method of a number read otherwise than by its label: placed by the template's row
# order and confirmed by its arithmetic (positions.py, confirm.py), or read from an image (ocr.py)
POSITION = "position_checked"
OCR = "ocr"


@dataclass(frozen=True)
class Source:
    """Where a cell or line was read, for the record's ``provenance`` (see the contract).

    A reader fills what it knows: the 1-based page of a PDF or scan, a locator (the
    cell's XPath in HTML, ``"x0,y0,x1,y1"`` in PDF points, ``"lines A-B"`` in text).
    ``method`` and ``confidence`` are for readers that read differently from labels
    in a text layer: the OCR reader sets ``method="ocr"`` and its confidence (0-1); the
    mapper then keeps them for every number read from that cell. ``readings``: the whole
    numbers an OCR'd cell may hold by the engine, with their probabilities, likeliest
    first (ocr_repair.py picks among them where the sums admit only one)."""
    page: int | None = None
    locator: str = ""
    method: str | None = None
    confidence: float | None = None
    readings: tuple = field(default=(), compare=False)


@dataclass
class Table:
    rows: list[list[str]]                      # expanded grid, cell text stripped
    origin: str = ""                           # e.g. "html", "pdf p4-5", "docx"
    # (row, col) of cells that are copies made by span expansion: the mapper must
    # not count one number twice
    spanned: set[tuple[int, int]] = field(default_factory=set)
    # (row, col) → where that cell was read (origin cells at least; copies may share it);
    # not part of a table's equality: the same table drawn elsewhere is the same table
    sources: dict[tuple[int, int], Source] = field(default_factory=dict, compare=False)


@dataclass
class Line:
    text: str
    source: Source | None = field(default=None, compare=False)


@dataclass
class Document:
    blocks: list[Table | Line]
    # findings a reader already knows (needs_ocr, unsupported_format, truncated …),
    # in the contract's finding shape
    findings: list[dict] = field(default_factory=list)
    title: str | None = None                   # e.g. HTML <title>/ArticleTitle, PDF metadata
    author: str | None = None                  # the file's own Author / creator property
    # locators of lines whose numbers read two ways add up alike in their row (a number
    # wrapped in its cell, or not): only their columns' sums may confirm them
    doubtful: set[str] = field(default_factory=set)

    @property
    def text(self) -> str:
        """All text, tables flattened row by row: for metadata search and text fallback."""
        out = []
        for b in self.blocks:
            if isinstance(b, Line):
                out.append(b.text)
            else:
                out.extend("\t".join(r) for r in b.rows)
        return "\n".join(out)


def line_span(src: Source | str | None) -> tuple[int, int] | None:
    """The text lines a Source (or its locator) names ("lines 12-13" → (12, 13)), or None (a
    grid cell, a PDF box)."""
    loc = src if isinstance(src, str) else src.locator if src is not None else ""
    if not loc.startswith("lines "):
        return None
    a, _, b = loc.split()[1].partition("-")
    return int(a), int(b or a)


def line_no(src: Source | None) -> int | None:
    """The first text line a Source names ("lines 12-12"), or None."""
    span = line_span(src)
    return span[0] if span else None


def page_finder(doc: Document):
    """src → the page it was printed on: a PDF's or scan's page, or in text the count of form
    feeds before its line; None when not known."""
    starts = sorted(n for b in doc.blocks if isinstance(b, Line) and b.text.startswith("\f")
                    for n in [line_no(b.source)] if n is not None)

    def page_of(src):
        if src is not None and src.page is not None:
            return src.page
        n = line_no(src)
        return None if n is None else bisect_right(starts, n)
    return page_of
