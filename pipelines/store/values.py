"""What the database can hold: numbers it would refuse or change become null, with a finding.

A cell's number goes into ``cells.value`` (a double on SQLite and PostgreSQL) and the
record into a JSON column. A 400-digit cell overflows the double (and SQLite's integer);
``Infinity`` or ``NaN`` is not JSON (PostgreSQL refuses it); an integer past 2**53 would be
stored as a different number. None of these is a number a report can mean, and storing a
different one would be worse than none: the cell is stored null, and a finding on that cell
says what the report held. Anything else non-finite in the record (a finding's expected or
actual, a coordinate) becomes null too, so ``Infinity`` is never written anywhere.
"""
from __future__ import annotations

import math
from typing import Any

from pipelines.record import finding

from .cells import TABLES

RULE = "value_not_storable"
EXACT_LIMIT = 2 ** 53  # integers beyond this are not held exactly by a double


def storable_number(value: Any) -> bool:
    """True for a number the database keeps as it is (finite, exact as a double)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return True  # not a number: nothing to check here
    if isinstance(value, int):
        return -EXACT_LIMIT <= value <= EXACT_LIMIT
    return math.isfinite(value)


def storable_record(record: dict) -> dict:
    """``record`` with every number the database cannot hold made null; a cell so changed
    gets a ``value_not_storable`` finding. Returns the record itself when nothing changes."""
    if _all_storable(record):
        return record
    out = _finite(dict(record), top=True)
    notes = []
    for table in TABLES:
        rows = out.get(table)
        if not isinstance(rows, dict):
            continue
        out[table] = rows = _copy_rows(rows)
        for row, col, cols in _cells(rows):
            value = cols[col]
            if not storable_number(value):
                cols[col] = None
                notes.append(_finding(table, row, col, value))
        out[table] = _finite(rows)  # anything left not in the contract's shape
    out["findings"] = list(out.get("findings") or []) + notes
    return out


def _cells(rows: dict):
    """``(row name, column, the dict holding it)`` for every cell of one table."""
    for row, cols in rows.items():
        if row == "extra" and isinstance(cols, dict):
            for label, extra_cols in cols.items():
                if isinstance(extra_cols, dict):
                    for col in extra_cols:
                        yield f"extra.{label}", col, extra_cols
        elif isinstance(cols, dict):
            for col in cols:
                yield row, col, cols


def _copy_rows(rows: dict) -> dict:
    out = {}
    for row, cols in rows.items():
        if row == "extra" and isinstance(cols, dict):
            out[row] = {label: dict(c) if isinstance(c, dict) else c for label, c in cols.items()}
        else:
            out[row] = dict(cols) if isinstance(cols, dict) else cols
    return out


def _finding(table: str, row: str, col: str, value) -> dict:
    return finding(RULE, f"{table}.{row}.{col}: the report's value {_describe(value)} is not a number the "
                         f"database can hold; stored as blank", table=table, row=row, column=col)


def _describe(value) -> str:
    if isinstance(value, float):
        return repr(value)  # inf, -inf, nan
    digits = str(abs(value))
    sign = "-" if value < 0 else ""
    return sign + digits if len(digits) <= 30 else f"{sign}{digits[:12]}… ({len(digits)} digits)"


def _all_storable(obj) -> bool:
    if isinstance(obj, dict):
        return all(_all_storable(v) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return all(_all_storable(v) for v in obj)
    return storable_number(obj)


def _finite(obj, top: bool = False):
    """A copy with every number the database cannot hold made null (cells are handled,
    with their findings, by the caller: ``top`` leaves the tables as they are)."""
    if isinstance(obj, dict):
        return {k: (v if top and k in TABLES else _finite(v)) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj if storable_number(obj) else None
