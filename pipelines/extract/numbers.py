"""One table cell's text → a number, a blank, a placeholder or unreadable text.

Reports write numbers in many ways: full-width digits (NFKC handles them before we
get here), thousands separators (1,234), units (251000元, 3件, 12.5万元), signs in the
2019 template's 本年增/减 column (+3, -2). Placeholders (-, —, /, 无 …) mean "nothing
written here": they become None, and the caller records a finding, never a 0.
"""
from __future__ import annotations

import re
import unicodedata

BLANK, NUMBER, PLACEHOLDER, TEXT = "blank", "number", "placeholder", "text"

# what people type into a cell that has nothing to report
PLACEHOLDERS = frozenset({
    "-", "--", "—", "——", "–", "―", "－", "/", "\\", "无", "無", "空", "暂无", "×", "x", "X",
    "*", "…", "...", "n/a", "N/A", "/ ", "\u3000",
})
_UNITS = r"(?:万元|元|件|个|條|条|项|項|次|人|家|宗|份|篇|期|场|万)?"
_NUMBER_RE = re.compile(
    r"^([+\-]?)((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)" + _UNITS + r"$"
)
_SPACES_RE = re.compile(r"\s+")


def classify(text: str | None, *, normalised: bool = False) -> tuple[str, float | int | None]:
    """(kind, value) of a cell; value is set only for NUMBER (int when whole)."""
    if text is None:
        return BLANK, None
    t = text if normalised else unicodedata.normalize("NFKC", text)
    t = _SPACES_RE.sub("", t.replace("\xa0", " "))
    if not t:
        return BLANK, None
    m = _NUMBER_RE.match(t)
    if m:
        digits = m.group(2).replace(",", "")
        sign = -1 if m.group(1) == "-" else 1
        if "." in digits:
            return NUMBER, sign * float(digits)
        return NUMBER, sign * int(digits)
    if t in PLACEHOLDERS or set(t) <= set("-—–―/\\_.·"):
        return PLACEHOLDER, None
    return TEXT, None


def is_value(text: str) -> bool:
    """A cell that stands where a number goes (number, blank or placeholder), not a label."""
    return classify(text)[0] != TEXT
