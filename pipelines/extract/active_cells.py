"""What a text cell says of table 二: the rows its labels name, the number it holds for a field,
and which numbers and labels a text prints in table 二's section.

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


def active_section(runs, template: str) -> tuple[list, list[str], bool]:
    """Table 二's section in runs of (cells, texts): [(cell, run index)] of its numbers and the
    rows whose labels it prints, in printed order, and whether prose (a text longer than a
    label) stands amid its numbers, where a reading that pairs numbers with cells cannot
    tell the prose's numbers from the table's."""
    numbers, keys, inside, done, prose = [], [], False, False, False
    for i, (cells, texts) in enumerate(runs):
        for t in texts:
            opens = T.section_of(t.text)
            if opens:
                done = done or (opens[1] != "active" and bool(numbers))
                inside = opens[1] == "active"
            if inside and not done:
                prose = prose or bool(numbers) and len(t.text) > T.ANCHOR_MAX_LEN
                keys += [k for k in _active_rows([t], template) if k not in keys]
        if done:
            break
        if inside:
            numbers += [(c, i) for c in cells]
    return numbers, keys, prose
