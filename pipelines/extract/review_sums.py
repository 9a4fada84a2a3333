"""Table 四's groups told apart by their sums, where a text tool printed the fours in an order
of its own.

Plain pdftotext prints table 四's one row of 15 numbers in pieces. review_totals reads the
pieces where both the groups' fours and their totals keep the row's order (the fours
printed before the table's heading last). The 淮安 report (WPS) is printed otherwise:
行政复议's four, 复议后起诉's four, 行政复议's total, 未经复议直接起诉's four and total,
复议后起诉's total. Its totals keep the row's order (one number a column, left to right),
its fours do not. So here:

- the pieces are cut into fours and single totals by review_totals.piece_cuts (a four never
  split by a piece's end, each cut agreeing with the headers printed before its piece);
- the totals in print order are the groups in the row's order;
- each four is paired with a total it adds up to, printed after it (a tool prints a row's
  columns left to right: never a total before the four it closes); every pairing of all
  three fours with the three totals that holds is a reading;
- a group stands only where every reading takes each of its five cells from the same
  printed number (or, where every reading gives the whole table the same numbers, from
  one of the same printed numbers: runs._agreed_groups);
- and where no reading of the print with two neighbouring numbers swapped takes one of its
  cells from another printed number (swaps.taken_otherwise): the text may be that
  print with the swap. Two totals swapped pair the lawsuits' fours the other way round and
  both pairings add up: neither lawsuit group is read then, only what the swap leaves alone;
- a group whose column headers were cut across their columns (结果 / 结果 / 其他结 / …)
  and whose four is neither one block of lines nor one number stands only where those
  headers, right before its four, were printed line by line across its four columns in
  their order (结果 结果 其他结 尚未 | 维持 纠正 果 审结): the tool read that band of the
  row left to right. Where it printed them otherwise (two columns interleaved a character
  a line, the others whole) it has been seen to print the numbers out of their columns'
  order (review_headed._second_printed_last), which no sum can check.

Pure: runs in (runs.number_runs), groups out.
"""
from __future__ import annotations

import itertools

from . import templates as T
from .review_headed import FIELD_WORDS, _PARENT
from .review_totals import piece_cuts
from .runs import (_agreed_groups, _all_numbers, _headers_before, _next_section_heading, _one_block,
                   _read_across, _review_pieces, label_piece)
from .swaps import swapped_prints, taken_otherwise

_FOUR_WORDS = [("结果维持",), ("结果纠正",), ("其他结果", "其它结果"), ("尚未审结",)]
_LABEL_WORDS = ("未经复议直接起诉", "未经复议直接诉讼", "复议后起诉", "行政复议")


def _pairings(values: list[int], structure) -> list[tuple[dict, dict]]:
    """The readings of the print ``values`` (in print order), one for each pairing of the
    fours with the totals (in the totals' order) that adds up: ({group: [print index of each
    field]}, {group: the piece its four is in})."""
    out = []
    for fours, totals, owner in structure:
        for order in itertools.permutations(range(3)):
            paired = [(fours[order[g]], totals[g]) for g in range(3)]
            if all(four[-1] < t and T.review_group_adds_up(dict(zip(T.REVIEW_FIELDS, (values[i] for i in (*four, t)))))
                   for four, t in paired):
                out.append(({g: [*four, t] for g, (four, t) in zip(T.REVIEW_GROUPS, paired)},
                            {g: owner[order[i]] for i, g in enumerate(T.REVIEW_GROUPS)}))
    return out


def _swap_doubts(values: list[int], structure, reading: dict) -> set[str]:
    """The groups some reading of the print with two neighbouring numbers swapped takes a
    cell of from another printed number: one of the two swapped, or another one holding
    another number than the one read here from a place the swap left alone
    (swaps.taken_otherwise)."""
    out = set()
    for i, swapped in swapped_prints(values):
        for other, _owner in _pairings(swapped, structure):
            for g, places in reading.items():
                for here, there in zip(places, other[g]):
                    if taken_otherwise(here, there, i, swapped[there] == values[here]):
                        out.add(g)
    return out


def _pieces_of(texts) -> list[str]:
    """A piece's header texts right before its numbers, as printed, group labels and the next
    section's heading left out (spaces taken out)."""
    out = []
    for t in _headers_before(texts):
        if _next_section_heading(t.text) or label_piece(t.text):
            continue
        s = _PARENT.sub("", t.text.replace(" ", ""))
        for w in _LABEL_WORDS:
            s = s.replace(w, "")
        if s:
            out.append(s)
    return out


def across_in_order(texts) -> bool:
    """The four field headers printed right before a piece line by line across their four
    columns, in their order: the last 4 × L pieces (a trailing 总计 aside), the l-th line
    of each column in turn, make 结果维持, 结果纠正, 其他结果, 尚未审结."""
    pieces = _pieces_of(texts)
    while pieces and FIELD_WORDS.get(pieces[-1]) == "total":
        pieces.pop()
    for lines in (2, 3, 4):
        tail = pieces[len(pieces) - 4 * lines:] if len(pieces) >= 4 * lines else None
        if tail is None:
            break
        words = ["".join(tail[c + 4 * line] for line in range(lines)) for c in range(4)]
        if all(w in ok for w, ok in zip(words, _FOUR_WORDS)):
            return True
    return False


def review_by_sums(runs):
    """Table 四's groups read as fours paired by their sums with totals printed in the row's
    order (above): (groups, where) with the groups not settled left blank, or (None, why)."""
    pieces = _review_pieces(runs)
    cells = [c for piece, _texts in pieces for c in piece]
    values = _all_numbers(cells) if len(cells) == 15 else None
    if values is None:
        return None, f"{len(cells)} numbers printed in table 四, not its 15"
    structure = piece_cuts(pieces)
    if structure is None:
        return None, "table 四's numbers are printed in too many pieces to tell its groups apart"
    found = _pairings(values, structure)
    if not found:
        return None, "no pairing of table 四's fours with its totals adds up"
    readings = [({g: dict(zip(T.REVIEW_FIELDS, (values[i] for i in places))) for g, places in r.items()},
                 {f"review_litigation.{g}.{f}": cells[i] for g, places in r.items()
                  for f, i in zip(T.REVIEW_FIELDS, places)}) for r, _owner in found]
    groups, where = _agreed_groups(readings)
    if groups is None:
        return None, f"{len(found)} pairings of table 四's fours with its totals add up and differ in every group"
    same_places = {g for g in T.REVIEW_GROUPS if len({tuple(r[g]) for r, _o in found}) == 1}
    if len({repr(g) for g, _w in readings}) > 1:
        # readings giving the table other numbers: a group stands only from the same printed numbers
        for g in set(T.REVIEW_GROUPS) - same_places:
            groups[g] = dict.fromkeys(T.REVIEW_FIELDS)
    doubtful = set().union(*(_swap_doubts(values, structure, r) for r, _owner in found))
    across = any(_read_across(_headers_before(texts)) for _piece, texts in pieces)
    for g in T.REVIEW_GROUPS:
        if g in doubtful or across and any(_loose(pieces, cells, r[g], owner[g]) for r, owner in found):
            groups[g] = dict.fromkeys(T.REVIEW_FIELDS)
    where = {p: c for p, c in (where or {}).items() if groups[p.split(".")[1]]["total"] is not None}
    if not where:
        return None, "no group of table 四 paired with its total by the sums alone, whatever two neighbours swapped"
    return groups, where


def _loose(pieces, cells, places: list[int], k: int) -> bool:
    """In a table whose headers were cut across their columns, a four whose order the print does
    not show: its numbers neither one block of lines nor one number, and its own headers not
    printed line by line across its four columns right before it (across_in_order, the four
    first in its piece)."""
    four = [cells[i] for i in places[:4]]
    if len({c.value for c in four}) == 1 or _one_block(four):
        return False
    first = sum(len(piece) for piece, _texts in pieces[:k])
    return not (places[0] == first and across_in_order(pieces[k][1]))
