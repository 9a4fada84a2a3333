"""A number printed on the line of a column header's last piece, in flattened text.

An office export sets a narrow column's header one character a line (自 / 然 / 人, 总 / 计).
The first number of the column sits beside the header's last character, and a text tool
that reads the page line by line prints the two together: '自', '然', '41 人'; '总', '13 计'.
As one line, '41 人' reads as prose (接待群众 35 人) and the number is lost, with the
header split around it.

Such a line is parted here into its two texts, the header's piece first and the number
after it (the header stands above the cells it heads): only where the evidence is the
layout's own: the lines just before are single characters that, with this one, spell one
of table 三's column headers (自然人, 总计, 合计), so the character cannot be a word of prose
after a count. The number itself is not changed, moved across other numbers or joined:
it is read where it was printed, and by position only where the sums confirm it.
"""
from __future__ import annotations

import re

# table 三's column headers a narrow column prints one character a line
VERTICAL_HEADERS = ("自然人", "总计", "合计")
_GLUED = re.compile(r"^(\d+)[ \u3000]+(\S)$")
MAX_BLANKS = 1   # blank lines between a header's pieces (pdftotext parts blocks by one)


def _pieces_before(lines: list[str], i: int, n: int) -> str | None:
    """The n single-character lines just before line i (at most MAX_BLANKS blank lines
    between them), joined in order, or None."""
    out, j, blanks = [], i - 1, 0
    while j >= 0 and len(out) < n:
        text = lines[j].replace("\f", "").strip()
        if not text:
            blanks += 1
            if blanks > MAX_BLANKS:
                return None
        elif len(text) == 1:
            out.append(text)
            blanks = 0
        else:
            return None
        j -= 1
    return "".join(reversed(out)) if len(out) == n else None


def unglue(lines: list[str]) -> list[list[str]]:
    """Each line's texts: [line] as printed, or [header piece, number] for a number glued
    to a vertical header's last character (above)."""
    out = []
    for i, line in enumerate(lines):
        m = _GLUED.match(line.replace("\f", "").strip())
        parted = None
        if m:
            number, char = m.groups()
            for header in VERTICAL_HEADERS:
                if header.endswith(char) and _pieces_before(lines, i, len(header) - 1) == header[:-1]:
                    feed = "\f" if line.startswith("\f") else ""
                    parted = [feed + char, number]
                    break
        out.append(parted or [line])
    return out
