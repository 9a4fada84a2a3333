"""Flattened text → Document of lines.

Text comes as one cell per line, as |-separated or tab-separated rows, or as prose with
numbers; the lines are kept as they are and the mapper (pipelines.extract.mapping)
tells labels, values and separators apart, so that one engine reads tables and text.
"""
from __future__ import annotations

from . import limits
from .blocks import Document, Line, Source


def read(text: str) -> Document:
    if len(text) > limits.MAX_TEXT_CHARS:   # checked first: reading it is what costs
        return Document(blocks=[], findings=[limits.text_too_long(len(text))])
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    # each line knows its 1-based number in the text: the locator of what is read from it
    return Document(blocks=[Line(line, Source(locator=f"lines {n}-{n}"))
                            for n, line in enumerate(text.split("\n"), 1) if line.strip()])
