"""What every reader (HTML, text, PDF, DOCX) produces and the template mapper consumes.

A document is a flat list of blocks in reading order: tables as expanded grids
(every rowspan/colspan already copied into each cell it covers, so a grid is
rectangular) and loose lines of text. Readers know about formats; the mapper knows
about the template; neither knows about the other.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Table:
    rows: list[list[str]]                      # expanded grid, cell text stripped
    origin: str = ""                           # e.g. "html", "pdf p4-5", "docx"
    # (row, col) of cells that are copies made by span expansion: the mapper must
    # not count one number twice
    spanned: set[tuple[int, int]] = field(default_factory=set)


@dataclass
class Line:
    text: str


@dataclass
class Document:
    blocks: list[Table | Line]
    # findings a reader already knows (needs_ocr, unsupported_format, truncated …),
    # in the contract's finding shape
    findings: list[dict] = field(default_factory=list)
    title: str | None = None                   # e.g. HTML <title>/ArticleTitle, PDF metadata

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
