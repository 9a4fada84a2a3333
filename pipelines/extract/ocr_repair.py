"""OCR'd cells of tables 三 and 四 that the sums left blank, read again among the engine's
own readings: a misread digit is corrected only where the template's arithmetic admits
exactly one of them.

confirm.confirm keeps an OCR'd number of tables 三/四 only where a sum holds over it as
read. At 100 dpi, under grain or in a phone photo, one misread digit (a 447 read as 417,
a 105 as 106) or one cell read as nothing then blanks its whole row and column. The
engine saw more than its best guess: for each cell of one text line, the OCR reader keeps
the whole numbers the recogniser's output may spell, with their probabilities
(``Source.readings``: 417, 47, 41, 447). Here every blank OCR'd cell with such readings is
an unknown that takes one of them; the cells that stand (read and confirmed) are known;
and the template's sums over them (table 三's row totals, column totals and balance,
table 四's group totals) are equations. Every assignment of readings that makes all the
equations hold is found in which each cell taking another reading than the engine's
likeliest has a sum of its own: one in which no other cell is read otherwise (a sum over
two cells both read otherwise proves neither: 8119 + 34 = 8050 + 103; it must still hold,
but it is no veto when each has a row of its own that proves it); a cell is filled only when every such assignment gives it the same
number (one reading, never a choice) and a sum holds over it.

Nothing is derived that the engine did not read: a cell whose readings do not include
the number the sums need stays blank. A filled cell's provenance says how: ``method``
``ocr`` (the contract's methods are label, position_checked and ocr), its note naming the
sums when the engine's likeliest reading stood, or what it read when another of its
readings did, with an ``ocr_corrected`` finding on that cell.
"""
from __future__ import annotations

from pipelines.record import finding

from . import templates as T
from .blocks import OCR
from .templates import APPLICANTS
from .numbers import NUMBER

MAX_SOLUTIONS = 64        # assignments enumerated per group of linked cells; more: none is filled
MAX_STEPS = 20000         # search steps per group: past this, none is filled
MIN_SUMS = 1              # sums that must hold over a filled cell (with two, none was filled on
                          # the 淮安 sample at 100 dpi: unplaced rows cut its column sums)
CORRECTED = "ocr_corrected"   # the finding's rule; the provenance method stays the contract's "ocr"
BLANKING = ("ocr_unconfirmed", "position_unconfirmed", "unreadable_cell", "placeholder")


def equations(template: str, applications: dict | None, review: dict | None) -> list[tuple[str, dict]]:
    """(name, {path: coefficient}) of each sum of the template over the cells present:
    the coefficients add up to zero over the true numbers."""
    out = []
    apps = applications or {}
    for row in apps:
        out.append((f"the row total of {row}", {f"applications.{row}.total": 1,
                                                **{f"applications.{row}.{c}": -1 for c in APPLICANTS}}))
    outcomes = T.outcomes_for(template)
    if "total" in apps and all(r in apps for r in outcomes):
        for c in T.APPLICANT_COLUMNS:
            out.append((f"the column total of {c}", {f"applications.total.{c}": 1,
                                                      **{f"applications.{r}.{c}": -1 for r in outcomes}}))
    if all(r in apps for r in ("new_received", "carried_over", "total", "carried_forward")):
        for c in T.APPLICANT_COLUMNS:
            out.append((f"the balance of {c}", {f"applications.new_received.{c}": 1,
                                                 f"applications.carried_over.{c}": 1,
                                                 f"applications.total.{c}": -1,
                                                 f"applications.carried_forward.{c}": -1}))
    for group in (review or {}):
        out.append((f"the group total of {group}", {f"review_litigation.{group}.total": 1,
                                                     **{f"review_litigation.{group}.{f}": -1
                                                        for f in T.REVIEW_PARTS}}))
    return out


def _value(tables: dict, path: str):
    table, row, column = path.split(".", 2)
    return ((tables.get(table) or {}).get(row) or {}).get(column)


def repair(template: str, applications: dict | None, review: dict | None, provenance: dict,
           findings: list, cells: dict) -> None:
    """Fill, in place, the blank OCR'd cells of tables 三/四 the sums pin to one of the
    engine's readings (see the module's docstring); ``cells``: path → the mapper's Cell
    of every cell it placed, blank ones included."""
    tables = {"applications": applications, "review_litigation": review}
    unknown, as_read = {}, {}
    for path, cell in cells.items():
        src = cell.src
        if path.split(".")[0] in tables and src is not None and src.method == OCR and src.readings \
                and _value(tables, path) is None:
            read = cell.value if cell.kind == NUMBER else None
            unknown[path] = sorted({v for v, _p in src.readings} | ({read} if read is not None else set()),
                                   key=lambda v: v != read)
            as_read[path] = read
    if not unknown:
        return
    usable = []
    for name, coef in equations(template, applications, review):
        if any(p in unknown for p in coef) and all(p in unknown or _value(tables, p) is not None for p in coef):
            usable.append((name, coef))
    solved = {}
    for group in _groups(unknown, usable):
        solved.update(_solve(group, unknown, as_read, [e for e in usable if any(p in group for p in e[1])], tables))
    for path, value in solved.items():
        holding = [name for name, coef in usable if path in coef and all(p in solved or p not in unknown for p in coef)]
        if len(holding) < MIN_SUMS:
            continue
        _fill(path, value, holding, tables, provenance, findings, cells[path])


def _groups(unknown: dict, usable: list) -> list[set]:
    """The unknown cells linked by shared equations, group by group."""
    parent = {p: p for p in unknown}

    def root(p):
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    for _name, coef in usable:
        cells = [p for p in coef if p in unknown]
        for p in cells[1:]:
            parent[root(p)] = root(cells[0])
    out: dict = {}
    for p in unknown:
        if any(p in coef for _n, coef in usable):
            out.setdefault(root(p), set()).add(p)
    return list(out.values())


def _solve(group: set, unknown: dict, as_read: dict, eqs: list, tables: dict) -> dict:
    """{path: number} of the group's cells on which every assignment of readings that
    makes all its equations hold agrees; {} when none does, or too many to tell."""
    # cells in the most equations first: each equation is checked once its cells are set
    order = sorted(group, key=lambda p: (-sum(p in c for _n, c in eqs), p))
    known = {p: _value(tables, p) for _n, c in eqs for p in c if p not in unknown}
    solutions: list[dict] = []
    steps = 0
    chosen: dict = {}

    def consistent(path) -> bool:
        for _n, coef in eqs:
            if path not in coef:
                continue
            free = [p for p in coef if p in unknown and p not in chosen]
            if free:
                continue
            if abs(sum(k * (chosen[p] if p in unknown else known[p]) for p, k in coef.items())) > 1e-6:
                return False
        return True

    def proven() -> bool:
        # a cell read otherwise needs a sum in which it is the only cell so read: a sum
        # over two cells both read otherwise proves neither (8119 + 34 = 8050 + 103), though
        # it must still hold
        otherwise = {p for p in chosen if chosen[p] != as_read[p]}
        return all(any(p in coef and not any(q in otherwise for q in coef if q != p) for _n, coef in eqs)
                   for p in otherwise)

    def search(i) -> bool:
        nonlocal steps
        if i == len(order):
            if not proven():
                return True
            solutions.append(dict(chosen))
            return len(solutions) <= MAX_SOLUTIONS
        path = order[i]
        for value in unknown[path]:
            steps += 1
            if steps > MAX_STEPS:
                return False
            chosen[path] = value
            if consistent(path) and not search(i + 1):
                del chosen[path]
                return False
            del chosen[path]
        return True

    if not search(0) or not solutions or len(solutions) > MAX_SOLUTIONS:
        return {}
    return {p: solutions[0][p] for p in order if all(s[p] == solutions[0][p] for s in solutions)}


def _fill(path: str, value: int, holding: list, tables: dict, provenance: dict, findings: list, cell) -> None:
    table, row, column = path.split(".", 2)
    tables[table][row][column] = value
    src = cell.src
    best = cell.value if cell.kind == NUMBER else (cell.raw.strip() or "nothing")
    probability = dict(src.readings)[value]
    sums = ", ".join(holding)
    corrected = value != best
    note = (f"read as {best}; {value}, another reading of the engine (probability {probability:.2f}), "
            f"is the only one {sums} admit" if corrected
            else f"confirmed by {sums} together with cells read beside it")
    provenance[path] = {"file": None, "sha256": None, "page": src.page, "locator": src.locator,
                        "method": OCR, "confidence": probability, "note": note}
    findings[:] = [f for f in findings if not (f["rule"] in BLANKING and f.get("table") == table
                                               and f.get("row") == row and f.get("column") == column)]
    if corrected:
        findings.append(finding(CORRECTED, f"{path}: OCR read {best}; {value}, another of the engine's "
                                f"readings, is the only one the sums admit ({sums})",
                                table=table, row=row, column=column, expected=value,
                                actual=best if isinstance(best, (int, float)) else None))
