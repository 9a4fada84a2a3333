"""A scanned table's cell that runs over rows because the rule between them was lost.

A fold's shadow or a dropout of the scanner can wipe a horizontal rule across one cell
only: the cell above and the one below it are then one region of the grid, read as one
cell ("110 3050": 其他 and 总计's numbers of the total column), and the mapper can place
neither (two numbers in one cell). The rows are still there beside it: the neighbouring
cells' edges run on through the region. Such a cell is read as one cell per row only
when each row it covers holds exactly one of its text lines, wholly inside the row, and
every line reads as a number: a merged label cell (a row group's name) holds words, and a
number centred in a cell spanning rows lies across an edge. The numbers so placed are
OCR'd numbers like any other: in tables 三/四 the sums must confirm them.
"""
from __future__ import annotations

import re

_NUMBER = re.compile(r"^\s*\d[\d,]*(?:\.\d+)?\s*$")


def split(x0: int, y0: int, x1: int, y1: int, lines: list[tuple[int, int, str]], cells: list,
          min_cell: int) -> list[tuple[int, int, int]] | None:
    """The rows [(top, bottom, index of its text line in ``lines``)] a cell (pixels) is to
    be read as, one per text line (``lines``: (top, bottom, text read) in order), or None
    when it is one cell. ``cells``: the table's cells ([x0, y0, x1, y1, …]), whose edges
    beside it mark the rows."""
    if len(lines) < 2:
        return None
    beside = [c for c in cells if (abs(c[2] - x0) <= min_cell or abs(c[0] - x1) <= min_cell)
              and c[1] < y1 and c[3] > y0]
    edges = sorted({e for c in beside for e in (c[1], c[3]) if y0 + min_cell <= e <= y1 - min_cell})
    # edges a pixel or two apart (either side of a thick rule) are one
    merged: list[int] = []
    for e in edges:
        if merged and e - merged[-1] < min_cell:
            continue
        merged.append(e)
    if not merged:
        return None
    # what is left of the lost rule (a thin line on an edge, read as nothing) is no text
    kept = [(n, line) for n, line in enumerate(lines)
            if line[2].strip() or line[1] - line[0] >= min_cell
            or not any(line[0] - min_cell <= e <= line[1] + min_cell for e in merged)]
    if len(merged) + 1 != len(kept) or not all(_NUMBER.match(text) for _n, (_a, _b, text) in kept):
        return None
    bounds = [y0] + merged + [y1]
    rows = list(zip(bounds, bounds[1:]))
    if not all(top <= ly0 and ly1 <= bottom for (top, bottom), (_n, (ly0, ly1, _t)) in zip(rows, kept)):
        return None
    return [(top, bottom, n) for (top, bottom), (n, _line) in zip(rows, kept)]
