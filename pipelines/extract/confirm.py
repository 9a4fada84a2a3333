"""Numbers placed by position are kept only where the template's own arithmetic confirms them.

When a row's values cannot be placed by column headers (flattened text has no columns,
OCR re-cuts a table under placeholder headers, labels are cut away from their values),
the mapper places them in the template's column order. Such a placement is a claim,
not a reading; it stands only when a rule of the template holds over it:

- table 三: the row's ``total`` equals the sum of its six applicant columns, or the
  cell's column adds up (the outcome rows to ``total``; the balance
  ``new_received + carried_over = total + carried_forward``);
- table 四: the group's ``total`` equals ``upheld + corrected + other + pending``.

A cell no rule confirms is set to ``null`` with a ``position_unconfirmed`` finding that
says why: never a guess.

Numbers read by OCR (``method: "ocr"``) in tables 三 and 四 are held to the same test,
however sure the engine was: a sure engine still reads what it was shown (at 100 dpi a 16
whose 1 was lost is a sure 6; in a fold's shadow a 2 with a smudge beside it a sure 20).
A dropped one gets an ``ocr_unconfirmed`` finding. Table 二 has no rule within one report: an OCR'd number there stands when the
engine is sure of it (``OCR_SURE``) and is left blank otherwise, also when the table is
read by its structure.

confirm runs after every reading (pipelines.extract.record_from_document), over what the
mapper, positions.fill_by_position and the OCR reader placed.
"""
from __future__ import annotations

from pipelines.record import finding

from . import templates as T
from .blocks import OCR, POSITION
from .templates import APPLICANTS


OCR_SURE = 0.8   # engine confidence (least sure character) at which an OCR'd number of table 二
                 # stands on its own: on benchmarks/ocr.py's clean scans none above it was wrong
                 # (on its messy ones, numbers of table 三 above it were: there the sums decide)
BALANCE_ROWS = ("new_received", "carried_over", "total", "carried_forward")


def _sum(values):
    return None if None in values else sum(values)


def _holds(parts, total) -> bool:
    s = _sum(parts)
    return s is not None and total is not None and abs(s - total) < 1e-6


def confirm(template: str, applications: dict | None, review: dict | None,
            provenance: dict, findings: list, active: dict | None = None,
            by_order: set | None = None, row_totals: bool = True) -> None:
    """Drop (to null, with a finding) every position-placed number, OCR'd number of tables
    三/四 and unsure OCR'd number of table 二 no rule confirms. Position-placed: those named in ``by_order`` (placed by column order, whatever
    method a reader gave them), else those whose provenance says position_checked.
    ``row_totals=False``: the numbers of rows that add up both with a number wrapped in its
    cell joined and as printed (layout_wraps): only their columns' sums may confirm them."""
    placed = set(by_order) if by_order is not None else \
        {path for path, p in provenance.items() if p.get("method") == POSITION}
    placed |= {path for path, p in provenance.items() if p.get("method") == OCR
               and (unsure_ocr(p) or not path.startswith("active_disclosure."))}
    # table 二's rows of no template label: the mapper names their numbers by the label
    # ("active_disclosure.<label>.<column>"; labels may hold dots)
    extra = {f"active_disclosure.{label}.{col}": (label, col)
             for label, cols in ((active or {}).get("extra") or {}).items() for col in cols}
    # an OCR'd label that is none of the template's may as well be a misread one (规章 read
    # as 现章): its numbers cannot be told to be that row's
    misread = {path for path in extra if (provenance.get(path) or {}).get("method") == OCR}
    placed |= misread
    if not placed:
        return
    doubtful = []
    apps = applications or {}
    outcomes = T.outcomes_for(template)

    def col(row, c):
        return (apps.get(row) or {}).get(c)

    def by_row_or_column(path) -> bool:
        _table, row, column = path.split(".", 2)
        cells = apps.get(row) or {}
        sums = [([cells.get(c) for c in APPLICANTS], cells.get("total"))] if row_totals else []
        if (row in outcomes or row == "total") and all(r in apps for r in outcomes):
            sums.append(([col(r, column) for r in outcomes], col("total", column)))
        return any(_holds(parts, total) for parts, total in sums)

    # the balance is one equation over four cells: it confirms one of them only where no
    # other of them is an OCR'd number that stands on nothing of its own (no row or column
    # sum). Two misread digits can make it hold together: OCR read both 3119 and 3050 with
    # their 3 as 8, and 8119 + 34 = 8050 + 103. Numbers placed by position print their own
    # digits, and a wrapped number's two readings (joined, as printed) are what the balance
    # tells apart (tests/test_layout_wraps.py)
    confirmed = {path for path in placed if path.startswith("applications.") and by_row_or_column(path)}

    def stands(path) -> bool:
        return path not in placed or path in confirmed or (provenance.get(path) or {}).get("method") != OCR

    def by_balance(row, column) -> bool:
        others = [f"applications.{r}.{column}" for r in BALANCE_ROWS if r != row]
        return all(stands(p) for p in others) and \
            _holds([col("new_received", column), col("carried_over", column)],
                   _sum([col("total", column), col("carried_forward", column)]))

    for path in sorted(placed):
        table, row, column = path.split(".", 2)
        if table == "applications":
            if not (path in confirmed or (row in BALANCE_ROWS and by_balance(row, column))):
                doubtful.append((path, applications, "neither its row total nor its column's sums hold"
                                 if row_totals else _TWO_WAYS))
        elif table == "review_litigation":
            cells = (review or {}).get(row) or {}
            if not row_totals:
                doubtful.append((path, review, _TWO_WAYS))
            elif not _holds([cells.get(f) for f in T.REVIEW_PARTS], cells.get("total")):
                doubtful.append((path, review, "the group's total does not hold"))
        elif path in misread:
            doubtful.append((path, active, f"its row's label, read by OCR, is none of the template's "
                                           f"({extra[path][0]!r}: a misread label or a row of the report's own)"))
        elif table == "active_disclosure" and active is not None:
            doubtful.append((path, active, "table 二 has no sum to check it by"))
    for path, tbl, why in doubtful:
        _table, row, column = path.split(".", 2)
        if path in extra:
            row, column = extra[path]
            cells = tbl["extra"][row]
        else:
            cells = tbl[row]
        value = cells[column]
        cells[column] = None
        entry = provenance.pop(path, None) or {}
        if entry.get("method") == OCR and path not in (by_order or ()):  # doubted as a reading, not a placing
            confidence = entry.get("confidence") or 0
            findings.append(finding(
                "ocr_unconfirmed", f"{path}: OCR read {value} with confidence {confidence:.2f}"
                f"{f' (below {OCR_SURE})' if confidence < OCR_SURE else ''} and {why}, so it is left "
                "blank rather than guessed",
                table=_table, row=row, column=column, actual=value))
            continue
        findings.append(finding(
            "position_unconfirmed", f"{path}: {value} was placed only by the template's column order and "
            f"{why}, so it is left blank rather than guessed", table=_table, row=row, column=column, actual=value))


_TWO_WAYS = ("its row adds up both with a number wrapped in its cell joined and as printed, and no "
             "column's sums hold over it")


def unsure_ocr(entry) -> bool:
    """An OCR'd number (a provenance entry or a cell's Source) the engine was not sure of."""
    if not isinstance(entry, dict):
        entry = {"method": entry.method, "confidence": entry.confidence}
    return entry.get("method") == OCR and (entry.get("confidence") or 0.0) < OCR_SURE
