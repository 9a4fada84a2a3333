"""One table cell's text → a number, a blank, a placeholder or unreadable text.

Reports write numbers in many ways: full-width digits (NFKC handles them before we
get here), thousands separators (1,234), units (251000元, 3件, 12.5万元), signs in the
2019 template's 本年增/减 column (+3, -2). Placeholders (-, —, /, 无 …) mean "nothing
written here": they become None, and the caller records a finding, never a 0.

What is printed beside the number is kept, never folded into it:
- an annotation in brackets (``22（其中修订16件）``, ``55（含自然失效29件）``) is the
  cell's note; the number is the one before it;
- a footnote mark (``11[注1]``: a superscript ¹, or <sup>1</sup> in a page, as the
  readers mark them) is a note, not a digit;
- a multiplier (``2万``, ``1.5亿``) is returned beside the number: the caller applies it
  where the column counts things, or keeps it where the column is in 万元 itself;
- digits parted by whitespace (``12 13``) are two numbers in one cell, never 1213;
- more than ``MAX_DIGITS`` digits (``1e30`` is no number here at all) is no count.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

BLANK, NUMBER, PLACEHOLDER, TEXT = "blank", "number", "placeholder", "text"
# a count or an amount in 万元 never needs more: beyond it a float loses digits and a
# database integer overflows
MAX_DIGITS = 15

# what people type into a cell that has nothing to report
PLACEHOLDERS = frozenset({
    "-", "--", "—", "——", "–", "―", "－", "/", "\\", "无", "無", "空", "暂无", "×", "x", "X",
    "*", "…", "...", "n/a", "N/A", "/ ", "\u3000",
})
MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}
_UNITS = r"(?:元|件|个|條|条|项|項|次|人|家|宗|份|篇|期|场)?"
_NUMBER_RE = re.compile(
    r"^([+\-]?)((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(万|亿)?" + _UNITS + r"$"
)
_ANNOTATION_RE = re.compile(r"^(.*?\d[^(（\[]*)[(（](.+)[)）]$")
_FOOTNOTE_RE = re.compile(r"^(.*?)\[注([^\]]*)\]$")
_SPACES_RE = re.compile(r"\s+")
# what a program writes for a number it could not print: never a count
_MACHINE_NUMBER_RE = re.compile(r"^[+\-]?(\d[\d.,]*[eE][+\-]?\d+|inf|infinity|nan)$", re.I)
_DIGIT_GAP_RE = re.compile(r"\d\s+[\d.,]|[\d.,]\s+\d")
# superscript digits mark footnotes; NFKC would turn ¹ into a plain 1 (11¹ → 111)
SUPERSCRIPTS = str.maketrans({"¹": "1", "²": "2", "³": "3", "⁰": "0", "⁴": "4", "⁵": "5", "⁶": "6",
                              "⁷": "7", "⁸": "8", "⁹": "9"})
_SUPERSCRIPT_RUN_RE = re.compile(r"[¹²³⁰⁴-⁹]+")


def mark_footnotes(text: str) -> str:
    """Superscript digits → ``[注N]`` before NFKC (which would make them plain digits)."""
    if not _SUPERSCRIPT_RUN_RE.search(text):
        return text
    return _SUPERSCRIPT_RUN_RE.sub(lambda m: f"[注{m.group(0).translate(SUPERSCRIPTS)}]", text)


@dataclass(frozen=True)
class Parsed:
    kind: str
    value: float | int | None = None
    note: str | None = None          # annotation or footnote printed in the cell
    multiplier: int = 1              # 万 / 亿 written after the number
    why: str | None = None           # for TEXT: why it is no number (too many digits …)


def parse(text: str | None, *, normalised: bool = False) -> Parsed:
    if text is None:
        return Parsed(BLANK)
    t = text if normalised else unicodedata.normalize("NFKC", mark_footnotes(text))
    t = t.replace("\xa0", " ").strip()
    if not t:
        return Parsed(BLANK)
    notes = []
    m = _FOOTNOTE_RE.match(t)
    if m and m.group(1).strip():
        t, notes = m.group(1).strip(), [f"注{m.group(2)}"]
    m = _ANNOTATION_RE.match(t)
    if m:
        head = m.group(1).strip()
        inner = _SPACES_RE.sub("", m.group(2))
        if _NUMBER_RE.match(_SPACES_RE.sub("", head)) and not _DIGIT_GAP_RE.search(head):
            t, notes = head, [inner] + notes
    gap = _DIGIT_GAP_RE.search(t)
    t = _SPACES_RE.sub("", t)
    m = _NUMBER_RE.match(t)
    if m and gap:
        return Parsed(TEXT, why="digits parted by spaces: more than one number in the cell")
    if m:
        digits = m.group(2).replace(",", "")
        if sum(ch.isdigit() for ch in digits) > MAX_DIGITS:
            return Parsed(TEXT, why=f"more than {MAX_DIGITS} digits")
        sign = -1 if m.group(1) == "-" else 1
        value = sign * (float(digits) if "." in digits else int(digits))
        return Parsed(NUMBER, value, "；".join(notes) or None, MULTIPLIERS.get(m.group(3) or "", 1))
    if t in PLACEHOLDERS or set(t) <= set("-—–―/\\_.·"):
        return Parsed(PLACEHOLDER)
    if _MACHINE_NUMBER_RE.match(t):
        return Parsed(TEXT, why="an exponent or infinity is no count")
    return Parsed(TEXT)


def classify(text: str | None, *, normalised: bool = False) -> tuple[str, float | int | None]:
    """(kind, value) of a cell; value is set only for NUMBER (int when whole)."""
    p = parse(text, normalised=normalised)
    return p.kind, p.value


def is_value(text: str) -> bool:
    """A cell that stands where a number goes (number, blank or placeholder), not a label."""
    return classify(text)[0] != TEXT
