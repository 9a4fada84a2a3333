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
"""
from __future__ import annotations

from . import templates as T

POSITION = "position_checked"
APPLICANTS = T.APPLICANT_COLUMNS[:-1]
BALANCE_ROWS = ("new_received", "carried_over", "total", "carried_forward")


def _sum(values):
    return None if any(v is None for v in values) else sum(values)


def _holds(parts, total) -> bool:
    s = _sum(parts)
    return s is not None and total is not None and abs(s - total) < 1e-6


def confirm(template: str, applications: dict | None, review: dict | None,
            provenance: dict, findings: list) -> None:
    """Drop (to null, with a finding) every position-placed number no rule confirms."""
    placed = {path for path, p in provenance.items() if p.get("method") == POSITION}
    if not placed:
        return
    doubtful = []
    apps = applications or {}
    outcomes = T.outcomes_for(template)

    def col(row, c):
        return (apps.get(row) or {}).get(c)

    for path in sorted(placed):
        table, row, column = path.split(".")
        if table == "applications":
            cells = apps.get(row) or {}
            if _holds([cells.get(c) for c in APPLICANTS], cells.get("total")):
                continue
            if (row in outcomes or row == "total") and all(r in apps for r in outcomes) \
                    and _holds([col(r, column) for r in outcomes], col("total", column)):
                continue
            if row in BALANCE_ROWS and _holds([col("new_received", column), col("carried_over", column)],
                                              _sum([col("total", column), col("carried_forward", column)])):
                continue
            doubtful.append((path, applications, "neither its row total nor its column's sums hold"))
        elif table == "review_litigation":
            cells = (review or {}).get(row) or {}
            if _holds([cells.get(f) for f in ("upheld", "corrected", "other", "pending")], cells.get("total")):
                continue
            doubtful.append((path, review, "the group's total does not hold"))
    for path, tbl, why in doubtful:
        _table, row, column = path.split(".")
        value = tbl[row][column]
        tbl[row][column] = None
        del provenance[path]
        findings.append({
            "rule": "position_unconfirmed", "severity": "warning", "table": _table, "row": row,
            "column": column, "expected": None, "actual": value,
            "message": f"{path}: {value} was placed only by the template's column order and {why}, "
                       "so it is left blank rather than guessed"})
