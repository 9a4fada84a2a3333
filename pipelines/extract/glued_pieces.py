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
after a count. The number itself is not changed or joined, and by position it is read only
where the sums confirm it.

One move, and only one: where both 自然人 and 总计 were printed so on one page, the two
numbers glued to them stood on one line, the first row under the header, and the total's
is that row's last cell. pdftotext prints the 总计 column's header, with it that number,
after the rest of the page (the header's rightmost column is read last), so the row's
numbers come without their total and the total amid other rows': a reading by position
would find the row one number short. Such a total is put back after the row's applicant
numbers (the 自然人 number and as many after it as the row has other applicant columns),
still read from its own line.
"""
from __future__ import annotations

import re

from .templates import APPLICANT_COLUMNS

# table 三's column headers a narrow column prints one character a line
VERTICAL_HEADERS = ("自然人", "总计", "合计")
FIRST_HEADER, TOTAL_HEADERS = VERTICAL_HEADERS[0], VERTICAL_HEADERS[1:]
_NUMBERS = re.compile(r"^\d+(?:[ \u3000]+\d+)*$")   # a line of whole numbers only
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


def pieces(lines: list[str]) -> list[tuple[int, str]]:
    """The lines' texts in reading order, each with the index of the line it was printed
    on: unglue's, with a first row's total put back after the row's numbers (above)."""
    parted = unglue(lines)
    out = [(n, piece) for n, texts in enumerate(parted) for piece in texts]
    glued = {n: lines[n].replace("\f", "").strip()[-1] for n, texts in enumerate(parted) if len(texts) == 2}
    row_start = None        # place in ``out`` of the number glued to 自然人 on this page
    for place, (n, piece) in enumerate(list(out)):
        if "\f" in piece:
            row_start = None
        if n not in glued or not _NUMBERS.match(piece):
            continue
        if FIRST_HEADER.endswith(glued[n]):
            row_start = place
        elif row_start is not None and any(h.endswith(glued[n]) for h in TOTAL_HEADERS):
            end = _after_numbers(out, row_start, len(APPLICANT_COLUMNS) - 1, place)
            if end is not None:
                out.insert(end, out.pop(place))
            row_start = None
    return out


def _after_numbers(out: list, start: int, count: int, stop: int) -> int | None:
    """The place just after the ``count`` numbers from ``start`` (lines of numbers only;
    other texts between them are headers' pieces), where it comes before ``stop`` and the
    count ends with a line; else None."""
    seen = 0
    for place in range(start, stop):
        piece = out[place][1].replace("\f", "").strip()
        if _NUMBERS.match(piece):
            seen += len(piece.split())
            if seen == count:
                return place + 1
            if seen > count:
                return None
    return None
