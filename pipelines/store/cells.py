"""A record's statistical tables as flat cells ``(table, row, column, value)``, and back.

Rows a province adds (``active_disclosure.extra.{label}.{column}``) become row
``extra.<label>``. The same flattening feeds the ``cells`` table and the CSV export, and
``unflatten`` rebuilds the tables from it (the export round trip).
"""
from __future__ import annotations

import math
from typing import Any, Iterable, Iterator

TABLES = ("active_disclosure", "applications", "review_litigation")


def flatten(record: dict | None) -> Iterator[tuple[str, str, str, Any]]:
    """``(table, row, column, value)`` for every cell of the record, in record order."""
    for table in TABLES:
        rows = (record or {}).get(table)
        if not isinstance(rows, dict):
            continue
        for row, cols in rows.items():
            if row == "extra" and isinstance(cols, dict):
                for label, extra_cols in cols.items():
                    for col, value in (extra_cols or {}).items():
                        yield table, f"extra.{label}", col, value
            elif isinstance(cols, dict):
                for col, value in cols.items():
                    yield table, row, col, value
            else:  # not the contract's shape; keep it rather than lose it
                yield table, row, "", cols


def unflatten(cells: Iterable[tuple[str, str, str, Any]]) -> dict:
    """``{table: rows}`` from flat cells (tables without a cell are absent)."""
    out: dict = {}
    for table, row, col, value in cells:
        rows = out.setdefault(table, {})
        if row.startswith("extra."):
            rows.setdefault("extra", {}).setdefault(row[len("extra."):], {})[col] = value
        elif col == "":
            rows[row] = value
        else:
            rows.setdefault(row, {})[col] = value
    return out


def numeric(value: Any) -> float | None:
    """The number a cell holds, for SQL; None for blanks (and anything not a number)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, int) and abs(value) > 2 ** 53 or isinstance(value, float) and not math.isfinite(value):
        return None  # not held (exactly) by a double; values.storable_record says so in a finding
    return float(value)
