"""How large a document may be before a reader refuses it.

A hostile page costs memory and time in proportion to what it expands to, not to its
size: 300 × ``<td rowspan=200 colspan=200>`` (10 KB) expands to 12 million grid cells,
and every cell copy is text the mapper reads. No real report comes near these caps
(the largest seed is 19 KB of text, its tables a few hundred cells), so anything past
them is refused with a finding rather than read partly: a cut table could give wrong
numbers.
"""
from __future__ import annotations

from pipelines.record import finding

MAX_SPAN = 200              # a rowspan/colspan beyond this is a typo or an attack, not a table
MAX_GRID_CELLS = 200_000    # the expanded grids (rows × columns) of all tables of a document
MAX_TEXT_CHARS = 2_000_000  # all text of a document, each spanned copy of a cell counted


class GridCells:
    """Grid cells one document may still expand to: each of its tables takes from them,
    so neither one huge table nor many large ones pass; tables past the cap are counted."""

    def __init__(self, cells: int = MAX_GRID_CELLS):
        self.left = cells
        self.refused: list[tuple[int, int]] = []      # (rows, columns reached) of each

    def refuse(self, rows: int, columns: int, spent: int) -> None:
        self.left -= spent    # the work done counts: many refused tables are no cheaper
        self.refused.append((rows, columns))

    def findings(self, origin: str) -> list[dict]:
        if not self.refused:
            return []
        rows, columns = self.refused[0]
        return [finding("too_large", f"{len(self.refused)} table(s) ({origin}) not read: the document's "
                        f"tables expand to more than {MAX_GRID_CELLS:,} cells (the first: {rows} rows, "
                        f"{columns}+ columns)")]


def text_chars(blocks) -> int:
    """Characters the mapper would read: lines, and every cell of every grid."""
    total = 0
    for block in blocks:
        rows = getattr(block, "rows", None)
        if rows is None:
            total += len(block.text)
        else:
            total += sum(len(cell) for row in rows for cell in row)
    return total


def text_too_long(chars: int, what: str = "text") -> dict:
    return finding("unreadable_file", f"{what} of {chars:,} characters is more than {MAX_TEXT_CHARS:,} "
                   "(no report is that long): not read")
