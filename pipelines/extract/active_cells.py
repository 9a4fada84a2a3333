"""What a text cell says of table 二: the rows its labels name, the number it holds for a field.

Shared by the readings of table 二 by structure (active_structure, active_pairs).
"""
from __future__ import annotations

from . import templates as T
from .numbers import NUMBER


def _active_rows(texts, template: str) -> list[str]:
    fields = T.ACTIVE_FIELDS.get(template) or {}
    keys = []
    for t in texts:
        key = T.first_match(T.ACTIVE_ROW_LABELS, t.text) if len(t.text) <= T.ANCHOR_MAX_LEN else None
        if key in fields and key not in keys:
            keys.append(key)
    return keys


def _active_value(cell, key: str, field: str):
    """The number a cell holds for that field, or None when it cannot be that field's."""
    if cell.kind != NUMBER or cell.value is None or cell.multiplier not in (None, 1):
        return None
    if (key, field) in T.DECIMAL_FIELDS:
        return float(cell.value)
    v = cell.value
    if isinstance(v, float) and not v.is_integer():
        return None
    return int(v)
