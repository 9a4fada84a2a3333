"""Table 二 printed box by box (pdfminer): the cells every pairing of its numbers agrees on.

pdfminer prints each cell of table 二 as its own text box and orders the boxes by grouping
the nearest ones first. A column of a two-row block (规章 over 行政规范性文件, 行政处罚 over
行政强制, 2019's 行政许可 over 其他对外管理服务事项) holds two boxes one right above the
other, nearer to each other than to anything else, so they come out one right after the
other, the upper first: a pair. Which column a pair is, and where the one-row blocks' cells
(行政许可 and 行政事业性收费 in 2021; 收费 and 采购 in 2019) come, the text does not say:
the columns are printed in whatever order the grouping gives (现行有效件数 before
本年制发件数, 行政许可's cell between two columns of 规章's block).

So every reading is taken: every way of cutting the section's numbers into adjacent pairs
(within a run: no text between them) and single cells, as many of each as the template has,
with every pair in every two-row column and every single number in every one-row cell that
can hold it (an amount with a fraction only in a money cell). A cell is read only where
every reading gives it the same number (a row of zeros over a row that is not, when no
upper number could be anything but 0): never one reading picked among several.

Only a table whole on one page (a page break parts a pair), every row of the template
labelled in the section, no row of the report's own, as many numbers as cells, and only
table cells between them (no prose whose numbers could be taken for cells).
"""
from __future__ import annotations

from . import templates as T
from .active_cells import _active_value, active_section
from .blocks import page_finder


def _cuttings(runs_of: list, counts: dict, at: int = 0):
    """Every way to cut positions at.. into pieces of numbers printed one after the other
    (same run), as many of each length as ``counts`` says ({length: how many}): lists of
    (length, first position)."""
    if at == len(runs_of):
        if not any(counts.values()):
            yield []
        return
    for length, left in counts.items():
        if left and at + length <= len(runs_of) and len(set(runs_of[at:at + length])) == 1:
            for rest in _cuttings(runs_of, {**counts, length: left - 1}, at + length):
                yield [(length, at)] + rest


MAX_CUTTINGS = 5000    # past this many ways to cut the numbers, nothing is read (and time is bounded)


def _matching(can: dict, fixed: tuple | None = None) -> bool:
    """Whether each cell can take its own number of those it ``can`` take (a perfect
    matching), with ``fixed`` = (cell, number) taken first."""
    owner: dict = {}
    cells = list(can)
    if fixed is not None:
        cell, i = fixed
        owner[i] = cell
        cells.remove(cell)

    def take(cell, seen) -> bool:
        for i in can[cell]:
            if i in seen or (fixed is not None and i == fixed[1]):
                continue
            seen.add(i)
            if i not in owner or take(owner[i], seen):
                owner[i] = cell
                return True
        return False
    return all(take(c, set()) for c in cells)


def _assignable(can: dict) -> dict | None:
    """{cell: the numbers it takes in some whole assignment}, None when there is none."""
    every = set().union(*can.values())
    if all(c == every for c in can.values()) and len(every) == len(can):
        return dict(can)    # (each number fits each cell: any assignment)
    if not _matching(can):
        return None
    return {cell: {i for i in can[cell] if _matching(can, (cell, i))} for cell in can}


def _pieces(blocks, fields, by_rows: tuple):
    """{cell: (piece length, place in the piece)} for one way of printing the blocks: a
    two-row block column by column (each column a pair: upper, lower) or, where ``by_rows``
    says so, row by row (each row its fields left to right; a one-field row is a piece of
    one); a one-row block's cells each a piece of one."""
    out = {}
    two_row = [rows for rows in blocks if len(rows) == 2]
    for rows in blocks:
        if len(rows) == 1:
            out.update({(rows[0], f): (1, 0) for f in fields[rows[0]]})
            continue
        rowwise = by_rows[two_row.index(rows)]
        for r, k in enumerate(rows):
            for j, f in enumerate(fields[k]):
                out[(k, f)] = (len(fields[k]), j) if rowwise else (2, r)
    return out


def pairs_reading(doc, runs, template: str, known: dict | None = None) -> dict:
    """{(key, field): [the printed cells it may be]} for the cells every reading (above)
    gives one number; {} when the text is not a table 二 printed box by box on one page, or
    a number already read (``known``: {(key, field): value}) fits no reading."""
    from itertools import product

    fields = T.ACTIVE_FIELDS.get(template)
    blocks = T.ACTIVE_BLOCKS.get(template)
    if not fields or not blocks or any(len(rows) > 2 for rows in blocks):
        return {}
    numbers, keys, prose = active_section(runs, template)
    if prose or sorted(keys) != sorted(fields) or \
            len(numbers) != sum(len(fields[k]) for k in fields):
        return {}
    page_of = page_finder(doc)
    if len({page_of(c.src) for c, _ in numbers}) != 1:
        return {}
    cells = [c for c, _ in numbers]
    runs_of = [r for _, r in numbers]
    values: dict = {}        # (key, field) → {value}
    sources: dict = {}       # (key, field) → {index of a printed cell}
    n = 0
    n_two = sum(len(rows) == 2 for rows in blocks)
    for by_rows in product((False, True), repeat=n_two):
        pieces = _pieces(blocks, fields, by_rows)
        # pieces of one length and role are interchangeable: which is whose, the text does not say
        roles: dict = {}
        for kf, (length, place) in pieces.items():
            roles.setdefault(length, {}).setdefault(place, []).append(kf)
        counts = {length: len(places[0]) for length, places in roles.items()}
        for cutting in _cuttings(runs_of, counts):
            n += 1
            if n > MAX_CUTTINGS:
                return {}
            starts = {length: [at for ln, at in cutting if ln == length] for length in counts}
            reading: dict = {}
            ok = True
            for length, places in roles.items():
                for place, kfs in places.items():
                    idx = [at + place for at in starts[length]]
                    # every piece may be any of its role's cells: keep only assignments that fit
                    can = {kf: {i for i in idx if _active_value(cells[i], *kf) is not None} for kf in kfs}
                    took = _assignable(can)
                    if took is None:
                        ok = False
                        break
                    reading.update(took)
                if not ok:
                    break
            if not ok:
                continue
            for kf, idx in reading.items():
                values.setdefault(kf, set()).update(_active_value(cells[i], *kf) for i in idx)
                sources.setdefault(kf, set()).update(idx)
            if all(len(v) > 1 for v in values.values()):
                return {}   # every cell has two numbers already: nothing to read
    if not values:
        return {}
    if any(v is not None and v not in values.get(kf, ()) for kf, v in (known or {}).items()):
        return {}           # a number read by its label fits no reading: the print is not this
    return {kf: [cells[i] for i in sorted(sources[kf])] for kf, vals in values.items() if len(vals) == 1}
