"""Table 四's two lawsuit groups read from pdfminer's print, box by box, of a Writer export.

pdfminer prints a page one text box after another, an empty line between two boxes. In a
Writer export of an office-typed report the column headers of 未经复议直接起诉 and 复议后起诉
are set one character a line right above their number, so header and number make one box
(结 / 果 / 纠 / 正 / 0): the header names the field of the number printed in its box. That
is the place a number was printed; which of the two groups a box is in, the print does not
say (their boxes come in an order of pdfminer's own), except for two boxes:

- 复议后起诉 / 结果维持 / n: the group's label heads its first column's box;
- 行政诉讼 / 未经复议直接起诉 / 结果维持 / a / b: 未经复议直接起诉's first column shares
  its box with 行政复议's 结果纠正 number on the same row; pdfminer prints 行政复议's first
  (40 of 40 held out), but nothing in the text says so: b is read as 结果维持's only where
  the sums take b and could not take a (a and b swapped, or alike, leave it blank; taking
  whichever adds up would let the sums undo a swap).

pdfminer gathers near boxes first: 未经复议直接起诉's boxes of 结果纠正, 其他结果 and 尚未审结
come after its label's box and before 复议后起诉's, and 复议后起诉's after its own (in their
columns' order or not: 40 of 40 office-typed exports held out). 总计's header is shorter
than its column, so its number is often a box of its own, and the two totals' boxes come
late, in either group's order: a box of one number right after a box of 总计 is that
column's, of either group. The shared box may also be one number its narrow cell wrapped
(25 / 2 for 252, no number of 行政复议 in it): then the sums that take its 2 confirm nothing,
as the total it adds up to may be the rest of a wrapped total whose head is not printed
(blank): 未经复议直接起诉 is read only where the shared box cannot be a wrapped number (its
first number one digit, or its second longer: page_parts.may_be_wrapped). So:

- every box of one field header and one number (a total: also the one-number box right
  after the header's) is a candidate, of the group whose label was printed last before it
  (a total: of either), and each group must take each field from exactly one of them
  (结果维持: 复议后起诉's labelled box, and one of the two numbers of the shared box);
- every way of giving the candidates to the two groups is a reading where both groups add
  up (their four to their total); a group stands only where every such reading gives it
  the same five numbers, and 未经复议直接起诉's only where a reading that adds up takes the
  shared box's second number. Where the readings take a cell from different printed
  numbers of one value (both totals 2, a shared box of 0 0: which is whose the print does
  not say, but each is the same number), the cell claims none of them (runs.one_of, the
  rule for numbers read by position); readings that add up with other numbers leave the
  group blank.

行政复议's own headers are taller than its numbers' row: its numbers are boxes of their own
in an order the sums cannot check; that group is not read here. A box of more numbers than
its headers name (a stray one, a number wrapped in its narrow cell) is no candidate.
Pure: runs in (runs.number_runs), groups out.
"""
from __future__ import annotations

import itertools

from . import templates as T
from .page_parts import may_be_wrapped
from .review_headed import _blocks, decode_headers
from .runs import _all_numbers, _review_pieces, one_of

_LAWSUITS = ("litigation_direct", "litigation_after_review")
_DIRECT_LABELS = ("未经复议直接起诉", "未经复议直接诉讼")
_AFTER_LABEL = "复议后起诉"


def _boxes(texts, cells) -> list[tuple[list, list]] | None:
    """A piece's texts and numbers cut where pdfminer parted its boxes (an empty line, as
    pdftotext its blocks): [(texts, numbers)] in print order, or None when one was not read
    from a text line."""
    blocks = _blocks(texts + cells)
    if not blocks:
        return None
    numbers = {id(c) for c in cells}
    return [([x for x in b if id(x) not in numbers], [x for x in b if id(x) in numbers]) for b in blocks]


def _header(texts) -> tuple[str | None, str | None]:
    """(the one field a box's texts name, the group label before it) or (None, None):
    the texts are a group label (or none) and one field header, whole or a character a line."""
    joined = "".join(t.text for t in texts).replace(" ", "").replace("行政诉讼", "")
    label = next((w for w in (*_DIRECT_LABELS, _AFTER_LABEL) if joined.startswith(w)), None)
    decoded = decode_headers(joined[len(label):] if label else joined)
    if not decoded or len(decoded[0]) != 1:
        return None, None
    return decoded[0][0], label


def _candidates(pieces) -> tuple[dict, object] | None:
    """({field: [(cell, group or None)]} of the boxes above, the shared box's second number),
    or None when a box that names a lawsuit group is not of the shape described (its count
    of numbers)."""
    found: dict[str, list] = {f: [] for f in T.REVIEW_FIELDS}
    shared, group = [], None
    for cells, texts in pieces:
        boxes = _boxes(texts, cells)
        if boxes is None:
            return None
        for i, (box_texts, numbers) in enumerate(boxes):
            if not box_texts:
                continue
            field, label = _header(box_texts)
            if field is None:
                continue
            if label in _DIRECT_LABELS:
                if field != "upheld" or len(numbers) != 2:
                    return None
                shared, group = numbers, "litigation_direct"
            elif label == _AFTER_LABEL:
                if field != "upheld" or len(numbers) != 1:
                    return None
                group = "litigation_after_review"
                found["upheld"].append((numbers[0], group))
            elif len(numbers) == 1:
                found[field].append((numbers[0], None if field == "total" else group))
            elif field == "total" and not numbers and i + 1 < len(boxes) and \
                    not boxes[i + 1][0] and len(boxes[i + 1][1]) == 1:
                found[field].append((boxes[i + 1][1][0], None))
    if len(shared) != 2 or len(found["upheld"]) != 1:
        return None
    found["upheld"] += [(c, "litigation_direct") for c in shared]
    return found, shared[1]


def _readings(found):
    """Every way of giving the candidates to the two groups, each field once to each: [{group:
    {field: cell}}]. 结果维持: the labelled box to 复议后起诉, one of the shared box's two numbers to
    未经复议直接起诉."""
    choices = []
    for field in T.REVIEW_FIELDS:
        options = []
        for pair in itertools.permutations(found[field], 2):
            if all(g in (None, want) for (_c, g), want in zip(pair, _LAWSUITS)):
                options.append((field, pair[0][0], pair[1][0]))
        choices.append(options)
    for picks in itertools.product(*choices):
        yield {g: {field: pair[k] for field, *pair in picks} for k, g in enumerate(_LAWSUITS)}


def _adds_up(cells: dict) -> bool:
    values = _all_numbers([cells[f] for f in T.REVIEW_FIELDS])
    return values is not None and T.review_group_adds_up(dict(zip(T.REVIEW_FIELDS, values)))


def review_by_boxes(runs):
    """Table 四's lawsuit groups read from the boxes above: (groups, where) with the groups
    not settled left blank, or (None, why)."""
    candidates = _candidates(_review_pieces(runs))
    if candidates is None:
        return None, "table 四's lawsuit groups are not printed box by box under their headers"
    found, second = candidates
    shared_box = [c for c, g in found["upheld"] if g == "litigation_direct"]
    # the candidates of a field beyond the two groups' (行政复议's header with its number) leave
    # which two are the lawsuits' unknown: no reading. A total's candidates are of either group
    # (a one-number box after a 总计 box, table 三's too): more than two are read as below
    if any(len(found[f]) != (3 if f == "upheld" else 2) for f in T.REVIEW_FIELDS if f != "total") or \
            len(found["total"]) < 2:
        return None, "table 四's boxes do not name each field of the two lawsuit groups twice"
    holding = [r for r in _readings(found) if all(_adds_up(r[g]) for g in _LAWSUITS)]
    # the printed numbers each reading takes (the shared box's both: the one not 未经复议直接起诉's
    # is 行政复议's): readings that take other ones disagree on where the groups were printed
    used = {frozenset(id(r[g][f]) for g in _LAWSUITS for f in T.REVIEW_FIELDS) for r in holding}
    groups = {g: dict.fromkeys(T.REVIEW_FIELDS) for g in T.REVIEW_GROUPS}
    where = {}
    for g in _LAWSUITS:
        values = {tuple(_all_numbers([r[g][f] for f in T.REVIEW_FIELDS])) for r in holding}
        if len(values) != 1:
            continue    # none adds up, or the sums hold with other numbers too
        if g == "litigation_direct" and not any(r[g]["upheld"] is second for r in holding):
            continue    # the sums took the shared box's first number only: not the order it is printed in
        if g == "litigation_direct" and may_be_wrapped(*shared_box, rest_as_long=True):
            continue    # the shared box may be one number wrapped (25 / 2 for 252), its total's head blank
        ways = {tuple(id(r[g][f]) for f in T.REVIEW_FIELDS) for r in holding}
        if len({u - {id(c) for c in shared_box} for u in used}) != 1 and len(ways) != 1:
            continue    # readings of other printed numbers give it these numbers: a coincidence
        # every reading that adds up gives the group these numbers from the same printed numbers;
        # where they take a cell from different ones of one value (both totals 2, a shared box of
        # 0 0), it claims none of them
        cells = {f: one_of([r[g][f] for r in holding]) for f in T.REVIEW_FIELDS}
        if None in cells.values():
            continue
        groups[g] = dict(zip(T.REVIEW_FIELDS, values.pop()))
        where.update((f"review_litigation.{g}.{f}", cells[f]) for f in T.REVIEW_FIELDS)
    if not where:
        return None, "no lawsuit group of table 四 adds up with one placement of its boxes' numbers"
    return groups, where
