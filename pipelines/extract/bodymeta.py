"""Metadata from a report's own text: the year reported on, the reporting body, the title.

    read_meta(lines, title_hint=None) -> {"year": int|None, "agency": str|None, "title": str|None}

The title is taken from a 名称/标题 field of the page's metadata block, else from the
first short line that reads like a report title (joined when the title is broken over
two lines), else from the page title. The year is the one in the title (2023年…报告),
else the statistics period (统计期限自2023年1月1日). The agency is the title's text
before the year, in simplified characters; else the signature above the closing date.
The title keeps the report's own characters (traditional stays traditional), without
layout spaces between Chinese characters.
"""
from __future__ import annotations

import re
import unicodedata

from .normalise import simplify_many, to_simplified

_TITLE_FIELD_RE = re.compile(r"^(名称|标题|标\s*题|名\s*称)\s*[:：]\s*\|?\s*(.+?)\s*\|?\s*$")
_TITLE_RE = re.compile(r"(政府信息公开|信息公开|政务公开).{0,12}(年度报告|年报|工作报告)")
_YEAR_IN_TITLE_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*度?")
_PERIOD_RE = re.compile(r"统计[期时]限[为是]?(?:自|从)?\s*((?:19|20)\d{2})\s*年")
_REPORT_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年度?(?:政府)?信息公开")
_DATE_LINE_RE = re.compile(r"^\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_CJK_GAP_RE = re.compile(r"(?<=[\u3400-\u9fff\d])\s+(?=[\u3400-\u9fff\d])")
_AGENCY_TRIM_RE = re.compile(r"^(关于|印发|转发)+|^[\"“”'‘’《〈「『【]+|[\s:：,，、;；.。\-—_|\"“”'‘’》〉」』】]+$")
_AGENCY_END_RE = re.compile(r"(政府|办公室|局|委员会|委|厅|院|中心|办|部|处|所|署|会|公司|管委会|街道|镇|乡)"
                            r"(（[^（）]{1,30}）)?$")   # 中共××县委办公室（县政府办公室）: an alias in brackets
MAX_TITLE_LEN = 80
# a browser's print header puts the date and time before the page title (11/28/26, 8:15 AM)
_PRINT_STAMP_RE = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp][Mm])?\s+")


def _clean_title(t: str) -> str:
    t = _CJK_GAP_RE.sub("", t.strip())
    return re.sub(r"\s+", " ", t).strip(" |")


def read_meta(lines: list[str], title_hint: str | None = None, simple: list[str] | None = None) -> dict:
    """``simple``: the same lines already through normalise.to_simplified, when the caller has them."""
    if simple is None or len(simple) != len(lines):
        lines = [x for x in lines if x and x.strip()]
        simple = simplify_many(lines)
    keep = [i for i, x in enumerate(lines) if x and x.strip()]
    lines = [_PRINT_STAMP_RE.sub("", unicodedata.normalize("NFKC", lines[i]).strip()) for i in keep]
    simple = [_PRINT_STAMP_RE.sub("", simple[i].strip()) for i in keep]
    title = _find_title(lines, simple, title_hint)
    stitle = to_simplified(title) if title else ""
    year = None
    m = _YEAR_IN_TITLE_RE.search(stitle)
    if m:
        year = int(m.group(1))
    if year is None:
        body = "\n".join(simple[:80])
        m = _PERIOD_RE.search(body) or _REPORT_YEAR_RE.search(body)
        if m:
            year = int(m.group(1))
    agency = None
    if stitle:
        ym = _YEAR_IN_TITLE_RE.search(stitle)
        if ym:
            agency = _AGENCY_TRIM_RE.sub("", re.sub(r"\s+", "", stitle[:ym.start()])) or None
    if agency is None:
        agency = _signature(simple)
    return {"year": year, "agency": official_name(agency), "title": title}


def official_name(name: str | None) -> str | None:
    """A body's name in one written form, whichever text it came from: simplified characters
    (the caller's), no spaces, brackets full-width as official names print them, no leading
    关于/印发 nor quotes, no trailing punctuation."""
    if not name:
        return None
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    s = _AGENCY_TRIM_RE.sub("", s).replace("(", "（").replace(")", "）")
    return s or None


def _find_title(lines, simple, hint):
    for line in lines[:40]:
        m = _TITLE_FIELD_RE.match(line)
        if m and _TITLE_RE.search(to_simplified(m.group(2))):
            return _clean_title(m.group(2).split("|")[0])
    hint_title = None
    if hint:
        h = unicodedata.normalize("NFKC", hint)
        parts = [p for p in re.split(r"\s*[_|]\s*|\s+-\s+", h) if _TITLE_RE.search(to_simplified(p))]
        hint_title = _clean_title(parts[0]) if parts else None
    # a title names its year; a breadcrumb (首页 > 政府信息公开年报) does not
    if hint_title and _YEAR_IN_TITLE_RE.search(hint_title):
        return hint_title
    fallback = None
    for i, (line, s) in enumerate(zip(lines[:60], simple[:60])):
        if len(line) > MAX_TITLE_LEN or "|" in line or "\t" in line or ">" in line:
            continue
        s = s.replace(" ", "")
        cand = None
        if _TITLE_RE.search(s):
            cand = line
        # a title broken over two lines: "…政府信息公开工作" + "年度报告", or wherever the
        # line ran out ("…工作年" + "度报告")
        elif i + 1 < len(lines) and "信息公开" in s and len(simple[i + 1].replace(" ", "")) <= 12 \
                and _TITLE_RE.search(s + simple[i + 1].replace(" ", "")):
            cand = line + lines[i + 1]
        if cand:
            # "淮安市人民政府" on the line above "2024年政府信息公开工作年度报告"
            if re.match(r"^\s*(19|20)\d{2}", cand) and i > 0 and len(simple[i - 1]) <= 30 \
                    and _AGENCY_END_RE.search(simple[i - 1].replace(" ", "")):
                cand = lines[i - 1] + cand
            if _YEAR_IN_TITLE_RE.search(cand):
                return _clean_title(cand)
            fallback = fallback or _clean_title(cand)
    return hint_title or fallback


_PUBLISHER_RE = re.compile(r"(?:发布机构|发文机关|发布单位|公开主体|信息来源|来源)\s*[:：]\s*\|?\s*([^\t|\n]{2,40})")


def agency_elsewhere(simple_text: str, author: str | None) -> str | None:
    """The reporting body when the report's own text does not name it: the page's
    metadata block (发布机构：…), else the file's own Author property — each only when it
    reads as the name of a body (… 政府, 办公室, 局 …). Simplified characters, no spaces."""
    candidates = [m.group(1) for m in _PUBLISHER_RE.finditer(simple_text)]
    if author:
        candidates.append(to_simplified(author))
    for cand in candidates:
        cand = official_name(cand) or ""
        if 2 < len(cand) <= 30 and _AGENCY_END_RE.search(cand):
            return cand
    return None


def _signature(simple: list[str]) -> str | None:
    """The body named just above the closing date line of the report."""
    for i in range(len(simple) - 1, 0, -1):
        if _DATE_LINE_RE.match(simple[i]):
            cand = official_name(simple[i - 1]) or ""
            if 2 < len(cand) <= 30 and _AGENCY_END_RE.search(cand):
                return cand
    return None
