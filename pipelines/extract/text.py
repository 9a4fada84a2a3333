"""Flattened text → Document of lines.

Text comes as one cell per line, as |-separated or tab-separated rows, or as prose with
numbers; the lines are kept as they are and the mapper (pipelines.extract.mapping)
tells labels, values and separators apart, so that one engine reads tables and text.
Numbers a narrow cell wrapped onto a second line of a text laid out by columns are joined
first (layout_wraps), where the template's sums confirm it; a number printed on the line of a
vertical column header's last character ('41 人' under 自 / 然) is parted from it, and a
first row's total so glued to 总计 put back after the row (glued_pieces).
"""
from __future__ import annotations

from . import limits
from .blocks import Document, Line, Source
from .glued_pieces import pieces
from .layout_wraps import join_wrapped


def read(text: str) -> Document:
    if len(text) > limits.MAX_TEXT_CHARS:   # checked first: reading it is what costs
        return Document(blocks=[], findings=[limits.text_too_long(len(text))])
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    lines, spans, doubtful = join_wrapped(text.split("\n"))
    # each line knows its 1-based number in the text (the lines a joined number was read
    # from): the locator of what is read from it
    locator = {n: f"lines {n + 1}-{spans.get(n, n) + 1}" for n in range(len(lines))}
    return Document(blocks=[Line(piece, Source(locator=locator[n])) for n, piece in pieces(lines)
                            if piece.strip()],
                    doubtful={locator[n] for n in doubtful})
