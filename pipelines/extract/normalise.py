"""Text in the one form labels are matched in (the patterns of templates.py match it).

NFKC (full-width digits and punctuation → ASCII), then traditional → simplified (OpenCC
t2s, run once over a whole document, not per cell), then the templates' aliases (words a
traditional mirror changes, 文件 → 檔案 → 档案, and known typos), then without whitespace.
This is how text is made comparable, whatever the template; what the templates' words
are is templates.py's.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .numbers import mark_footnotes  # superscripts must be marked before NFKC
from .templates import ALIASES

_WS_RE = re.compile(r"\s+")
_SEP = "\n"


@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc
        return opencc.OpenCC("t2s").convert
    except Exception:  # no converter: simplified reports still work
        return lambda s: s


def nfkc(text: str) -> str:
    """unicodedata's NFKC of the text, line by line: a line break is the same in every form and
    nothing composes across it, so a line already in NFKC (most: Chinese and digits) is kept as
    it is, unread by the slow composition that a whole report's text would go through."""
    return _SEP.join(line if unicodedata.is_normalized("NFKC", line) else unicodedata.normalize("NFKC", line)
                     for line in text.split(_SEP))


def to_simplified(text: str) -> str:
    """NFKC + traditional → simplified + aliases; keeps whitespace and line breaks."""
    t = _t2s()(nfkc(mark_footnotes(text)))
    for old, new in ALIASES:
        if old in t:
            t = t.replace(old, new)
    return t


def t2s(text: str) -> str:
    """NFKC + traditional → simplified only: for names and titles, whose words are their own
    (no template aliases, no footnote marks)."""
    return _t2s()(nfkc(text))


def simplify_many(texts: list[str]) -> list[str]:
    """to_simplified over many strings with a single OpenCC call."""
    if not texts:
        return []
    joined = _SEP.join(t.replace(_SEP, " ") for t in texts)
    out = to_simplified(joined).split(_SEP)
    if len(out) != len(texts):  # a conversion never adds or drops line breaks, but be safe
        out = [to_simplified(t.replace(_SEP, " ")) for t in texts]
    return out


def compact(text: str) -> str:
    """The matching form of an already simplified label: no whitespace."""
    return _WS_RE.sub("", text)


def norm(text: str) -> str:
    """Matching form of one label (slow path: one OpenCC call)."""
    return compact(to_simplified(text))
