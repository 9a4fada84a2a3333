"""Table 四's groups told apart by their totals, where a text tool printed its row in pieces.

Plain pdftotext prints table 四's one row of 15 numbers in pieces of its own making. In
reportlab's print: 行政复议's four under their headers, then 未经复议直接起诉's four
with 行政复议's total after them, then the two lawsuits' totals, while 复议后起诉's four
come amid table 三, before the table's heading. Read as printed the sums fail, and no
order of whole pieces (positions._piece_orders) gives the row back. What stays in the
row's order is each group's four numbers (printed together, in their columns' order)
and the totals among themselves (one number a column). So:

- the pieces are cut into fours and single numbers (a four never split by a piece's end,
  a total never inside a four), three of each;
- the fours in the print's order (those printed before the table's heading last) and
  the totals in theirs are the groups in the row's order, and each group's four must add
  up to its total. Both orders have to agree: a report whose totals were printed in
  another order (two of them swapped) fails the sums instead of lending one group's four
  to another;
- a group's total is printed after its four (the 总计 column is right of them);
- a piece's cut agrees with the column headers printed right before it (结果维持 … 尚未审结
  begin a four, 总计 a total), as far as both go;
- every cut that holds is a reading, and only the groups every reading agrees on stand
  (positions._agreed_groups).

(The 淮安 report prints 行政复议's four, 复议后起诉's four, 行政复议's total, 未经复议直接
起诉's four and total, 复议后起诉's total: its fours are not in the row's order, the sums
fail that reading; review_sums pairs its fours with the totals by their sums instead.)

Where the headers were cut across their columns (结 / 结 / 果 / 果 / 维 / 纠), the tool has
been seen to print a group's numbers out of their columns' order (结果纠正's last): there
a four stands only when printed as one block of consecutive lines, or all one number.
Pure: runs in (runs.number_runs), groups out.
"""
from __future__ import annotations

import itertools
import math

from . import templates as T
from .review_headed import _group_and_headers, decode_headers
from .runs import _agreed_groups, _all_numbers, _headers_before, _one_block, _read_across, _review_pieces

MAX_CUTS = 512   # cuts of the pieces tried; past this the print is too loose to read


def _cuts(n: int):
    """Every way to cut a piece of n numbers into fours (4) and single totals (1), in order."""
    if n == 0:
        yield ()
        return
    for size in (4, 1):
        if size <= n:
            for rest in _cuts(n - size):
                yield (size, *rest)


def piece_cuts(pieces) -> list | None:
    """Every cut of table 四's pieces into three fours and three totals (each piece cut as the
    headers printed before it allow: _fits), as print indices: [(fours, totals, the piece of
    each four)]; None where the pieces can be cut more than MAX_CUTS ways."""
    per_piece = [[cut for cut in _cuts(len(piece)) if _fits(cut, _headed_as(texts))] for piece, texts in pieces]
    if math.prod(len(cuts) for cuts in per_piece) > MAX_CUTS:
        return None
    out = []
    for cut in itertools.product(*per_piece):
        fours, totals, owner, at = [], [], [], 0
        for k, sizes in enumerate(cut):
            for size in sizes:
                if size == 4:
                    fours.append(list(range(at, at + 4)))
                    owner.append(k)
                else:
                    totals.append(at)
                at += size
        if len(fours) == 3:
            out.append((fours, totals, owner))
    return out


def review_by_totals(runs):
    """Table 四's groups read as fours paired with totals printed in the row's order
    (above): (groups, where) with groups no reading settles left blank, or (None, why).
    Where no such reading holds, the fours are paired with the totals by their sums
    (review_sums: the 淮安 report's fours are printed out of the row's order)."""
    groups, where = _in_row_order(runs)
    if groups is not None:
        return groups, where
    from .review_sums import review_by_sums     # (it cuts the pieces as this module does)
    sums_groups, sums_where = review_by_sums(runs)
    return (sums_groups, sums_where) if sums_groups is not None else (None, where)


def _in_row_order(runs):
    """review_by_totals with the fours and the totals each in the row's order."""
    pieces = _review_pieces(runs)
    cells = [c for piece, _texts in pieces for c in piece]
    if len(cells) != 15 or _all_numbers(cells) is None:
        return None, f"{len(cells)} numbers printed in table 四, not its 15"
    printed = {id(c): i for i, c in enumerate(cells)}
    across = any(_read_across(_headers_before(texts)) for _piece, texts in pieces)
    cuts = piece_cuts(pieces)
    if cuts is None:
        return None, "table 四's numbers are printed in too many pieces to tell its groups apart"
    # the pieces printed before table 四's heading (the last group's four, flowed up beside
    # table 三) come last in the row
    heading = next((k for k, (_piece, texts) in enumerate(pieces)
                    if any(T.section_of(t.text) == ("section", "review") for t in texts)), 0)
    readings = []
    for four_at, total_at, owner in cuts:
        fours, totals = [[cells[i] for i in four] for four in four_at], [cells[i] for i in total_at]
        early = sum(k < heading for k in owner)
        if across and any(len({c.value for c in f}) > 1 and not _one_block(f) for f in fours):
            continue    # a four the tool may have printed out of its columns' order
        pairs = list(zip(fours[early:] + fours[:early], totals))
        if any(sum(int(c.value) for c in four) != int(total.value) for four, total in pairs):
            continue
        if any(printed[id(total)] < printed[id(four[-1])] for four, total in pairs):
            continue    # a total printed before its own four: a tool prints a row's columns left to right
        groups = {g: dict(zip(T.REVIEW_FIELDS, [int(c.value) for c in four] + [int(total.value)]))
                  for g, (four, total) in zip(T.REVIEW_GROUPS, pairs)}
        where = {f"review_litigation.{g}.{f}": c for g, (four, total) in zip(T.REVIEW_GROUPS, pairs)
                 for f, c in zip(T.REVIEW_FIELDS, [*four, total])}
        readings.append((groups, where))
    if not readings:
        return None, "no cut of table 四's pieces into fours and totals adds up"
    groups, where = _agreed_groups(readings)
    if groups is None:
        return None, f"{len(readings)} pairings of table 四's fours with its totals add up and differ in every group"
    return groups, where


_PARTS = list(T.REVIEW_PARTS)


def _headed_as(texts) -> tuple | None:
    """The cut the column headers right before a piece print (after its group's label):
    结果维持 … 尚未审结 a four (4), 总计 a total (1); None where they say nothing whole."""
    _group, headers, _n = _group_and_headers(texts)
    decoded = decode_headers(headers) if headers else None
    if not decoded:
        return None
    fields, out = decoded[0], []
    while fields:
        if fields[:4] == _PARTS:
            out.append(4)
            fields = fields[4:]
        elif fields[0] == "total":
            out.append(1)
            fields = fields[1:]
        else:
            return None
    return tuple(out)


def _fits(cut: tuple, headed: tuple | None) -> bool:
    """A cut of a piece agrees with the headers printed before it: one begins as the other
    does (a number held back past its header, or a header whose number comes later). A
    total cut where the headers print a four's first header is no reading (two numbers of
    one piece swapped can make such a cut add up)."""
    if headed is None:
        return True
    n = min(len(cut), len(headed))
    return cut[:n] == headed[:n]
