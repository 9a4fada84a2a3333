"""Numbers a narrow cell wrapped, in text laid out by columns (``pdftotext -layout``).

A five-digit number in a four-digit cell comes out as '1866' on the row's line and '8' on
a later line, in the same character columns: the layout keeps a cell's lines one above
the other. Read as printed, the row does not add up and is (rightly) left blank. The
pieces are joined here, before the lines become cells, and only with evidence:

- the continuation sits within the columns of the number it continues, and that number
  is full: no number of a row of the same shape on the page, in those columns, is wider
  (the PDF reader's rule, ``pdf._wrapped_number``: a cell's line is wrapped only when the
  next digit would not have fitted); a number beginning with 0 is never the head of one;
- every token of the continuation's line within the row's number columns is such a
  continuation: a real next row has a number under every column (zeros too), a label in
  the label column does not matter;
- the row is one the template sums (7 numbers: six applicant columns and their total; 5:
  one table 四 group; 15: table 四's three groups), its sums fail as printed and hold joined.

A row of table 三 (or of one table 四 group printed as a table of its own) whose sums hold
both ways (1352 … 1352 over 2 … 2 is 13522 … 13522 as well; the line below could be a row
with blank cells) is joined too, but its row's total does not confirm it: the reader names
its lines as doubtful, and only its columns' sums may (confirm.confirm). Table 四's 15
numbers are its one row: nothing under them can be a row of their table.
"""
from __future__ import annotations

import re

from .templates import APPLICANT_HEADER_CHARS

_TOKEN = re.compile(r"\S+")
_DIGITS = re.compile(r"\d+")
MAX_GAP = 6   # lines a continuation may sit below its row (a vertical label's pieces between)


def _holds(values: list[int]) -> bool:
    """Do the template's sums hold over a row of this many numbers? (False: no sums known.)"""
    n = len(values)
    if n == 7:
        return sum(values[:6]) == values[6]
    if n in (5, 15):
        return all(sum(values[g:g + 4]) == values[g + 4] for g in range(0, n, 5))
    return False


class _Tok:
    __slots__ = ("start", "end", "text")

    def __init__(self, m: re.Match):
        self.start, self.end, self.text = m.start(), m.end(), m.group()

    def within(self, other: "_Tok") -> bool:
        return other.start <= self.start and self.end <= other.end


def _row_numbers(toks: list[_Tok]) -> list[_Tok]:
    """The numbers ending a line (a row's values after its label); a lone character of
    table 三's column headers printed between them (自, 人, 总 …) is no value."""
    out: list[_Tok] = []
    for t in reversed(toks):
        if _DIGITS.fullmatch(t.text):
            out.append(t)
        elif not (out and len(t.text) == 1 and t.text in APPLICANT_HEADER_CHARS):
            break
    out.reverse()
    return out


def join_wrapped(texts: list[str]) -> tuple[list[str], dict[int, int], set[int]]:
    """The lines with wrapped numbers joined: (new texts, {row line index: index of the
    last line a continuation was taken from}, row lines that add up both as printed and
    joined). Continuations are blanked in their lines."""
    # a form feed starts a page: it takes no column, and columns are compared within a page
    bodies = [t.lstrip("\f") for t in texts]
    toks = [[_Tok(m) for m in _TOKEN.finditer(b)] for b in bodies]
    page, pages = 0, []
    for t in texts:
        page += t.startswith("\f")
        pages.append(page)
    rows = {i: nums for i, ts in enumerate(toks) if len(nums := _row_numbers(ts)) in (5, 7, 15)}
    # the widest number printed over each character column, per page and row shape
    widest: dict[tuple[int, int], list[int]] = {}
    for i, nums in rows.items():
        cols = widest.setdefault((pages[i], len(nums)), [])
        for n in nums:
            cols.extend([0] * (n.end - len(cols)))
            for c in range(n.start, n.end):
                cols[c] = max(cols[c], len(n.text))

    edits: dict[int, list[tuple[_Tok, str]]] = {}   # line → (token, its new text)
    spans: dict[int, int] = {}
    doubtful: set[int] = set()
    taken: set[int] = set()   # lines a continuation was taken from: no row of their own
    for i, nums in rows.items():
        if i in taken:
            continue
        found = _continuations(i, nums, toks, pages, widest[pages[i], len(nums)])
        if not found:
            continue
        printed = [int(n.text) for n in nums]
        joined = [int(n.text + "".join(f.text for _, f in found.get(k, ()))) for k, n in enumerate(nums)]
        if not _holds(joined):
            continue      # the line below is something else: the row stays as printed
        last = max(j for pieces in found.values() for j, _ in pieces)
        # table 四 has one row: a line under it that only continues its full numbers is
        # no row of its own, so the join stands even where the row adds up as printed too
        if _holds(printed) and len(nums) != 15:
            doubtful.add(i)
        for k, pieces in found.items():
            edits.setdefault(i, []).append((nums[k], str(joined[k])))
            for j, f in pieces:
                edits.setdefault(j, []).append((f, " " * len(f.text)))
                taken.add(j)
        spans[i] = last

    out = list(texts)
    for j, changes in edits.items():
        body = bodies[j]
        for tok, new in sorted(changes, key=lambda c: -c[0].start):   # right to left: columns stay put
            body = body[:tok.start] + new + body[tok.end:]
        out[j] = texts[j][:len(texts[j]) - len(bodies[j])] + body
    return out, spans, doubtful


def _continuations(i: int, nums: list[_Tok], toks: list[list[_Tok]], pages: list[int],
                   widest: list[int]) -> dict[int, list[tuple[int, _Tok]]]:
    """{number's index in the row: [(line, continuation token)]} below row line i."""
    lo, hi = nums[0].start, nums[-1].end
    found: dict[int, list[tuple[int, _Tok]]] = {}
    for j in range(i + 1, min(i + 1 + MAX_GAP, len(toks))):
        if pages[j] != pages[i]:
            break
        inside = [t for t in toks[j] if t.end > lo and t.start < hi]
        if not inside:
            continue          # a label's piece, or nothing, between
        pieces = []
        for t in inside:
            k = next((k for k, n in enumerate(nums) if t.within(n)), None)
            if k is None or not _DIGITS.fullmatch(t.text) or not _open(nums[k], found.get(k, ()), widest):
                return found      # the next row, or a number of no cell: the continuations end
            pieces.append((k, (j, t)))
        if len({k for k, _ in pieces}) < len(pieces):
            return found      # two numbers under one: not a cell's one line
        for k, piece in pieces:
            found.setdefault(k, []).append(piece)
    return found


def _open(head: _Tok, pieces, widest: list[int]) -> bool:
    """May this number go on onto another line? It must be full (nothing printed in its
    columns is wider, on a row of its shape on the page), and so must every piece of it so far;
    a number beginning with 0 has no more digits."""
    if head.text.startswith("0"):
        return False
    width = len(head.text)
    if max(widest[head.start:head.end]) > width:
        return False
    return all(len(p.text) == width for _, p in pieces)
