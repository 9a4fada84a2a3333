"""Reporting bodies as a person names them: ``-a body=`` matching.

Portals name a body in full (烟台市牟平区人民政府办公室); a person writes 区政府办公室,
牟平区政府办公室, 牟平区人民政府办公室 or the 繁體 form. Both sides are brought to one
spelling (简体, no spaces, 人民政府 → 政府), the leading area names (省/市/区/县 …) are set
aside as the name's *area*, and what is left is its *core* (政府办公室). A wanted name
matches when it ends with the whole core and its characters appear in the full name in
order, so the area may be given in full, in part or not at all, but the core may not be
cut short (办公室 alone does not match 区政府办公室; 区政府 does not match the
office of the 区政府). An area or unit code matches when it is given exactly.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipelines.extract.normalise import t2s

# one or more area names at the start: 山东省, 烟台市, 牟平区, 某某县, 某某自治州 … (no bare 州:
# 海州区 is one area, not 海州 + 区)
_AREA_PREFIX_RE = re.compile(r"^(?:[\u4e00-\u9fff]{1,8}?(?:省|自治区|市|自治州|地区|盟|区|县|旗))+")
_NOISE_RE = re.compile(r"[\s·•\-—_（）()【】\[\]「」“”\"']+")


@lru_cache(maxsize=4096)
def canonical(name: str) -> str:
    """One spelling of a body's name: 简体, no spaces or brackets, 人民政府 → 政府."""
    text = t2s(_NOISE_RE.sub("", name or ""))
    return text.replace("人民政府", "政府")


def core(name: str) -> str:
    """A canonical name without its leading area names (the whole name when it is all area)."""
    rest = _AREA_PREFIX_RE.sub("", name)
    return rest or name


def _in_order(short: str, full: str) -> bool:
    chars = iter(full)
    return all(c in chars for c in short)


def matches(wanted: str, name: str | None = None, code: str | None = None) -> bool:
    """Whether ``-a body=wanted`` means the body ``name`` (area or unit code ``code``)."""
    wanted = (wanted or "").strip()
    if not wanted:
        return True
    if code and wanted == str(code).strip():
        return True
    if not name:
        return False
    w, n = canonical(wanted), canonical(name)
    if not w or not n:
        return False
    return w == n or (w.endswith(core(n)) and _in_order(w, n))
