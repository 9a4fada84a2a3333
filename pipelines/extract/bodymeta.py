"""Metadata from a report's own text: the year reported on, the reporting body, the title.

    read_meta(lines, title_hint=None) -> {"year": int|None, "agency": str|None, "title": str|None}

The title is taken from a 名称/标题 field of the page's metadata block, else from the
first short line that reads like a report title (joined when the title is broken over
two lines), else from the page title. The year is the one in the title (2023年…报告),
else the statistics period (统计期限自2023年1月1日). The agency is the title's text
before the year, in simplified characters; else the signature above the closing date.
The title is the report's as published (the contract's ``title``: traditional stays
traditional), without layout spaces between Chinese characters; the agency is in
simplified characters and its official written form (``official_name``), so that a body is
one body whichever characters its report was printed in.
"""
from __future__ import annotations

import re
import unicodedata

from .normalise import simplify_many, t2s, to_simplified

_TITLE_FIELD_RE = re.compile(r"^(名称|标题|标\s*题|名\s*称)\s*[:：]\s*\|?\s*(.+?)\s*\|?\s*$")
_TITLE_RE = re.compile(r"(政府信息公开|信息公开|政务公开).{0,12}(年度报告|年报|工作报告)")
_YEAR_IN_TITLE_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*度?")
_PERIOD_RE = re.compile(r"统计[期时]限[为是]?(?:自|从)?\s*((?:19|20)\d{2})\s*年")
_REPORT_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年度?(?:政府)?信息公开")
_DATE_RE = (r"(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
            r"|[〇○零一二三四五六七八九]{4}\s*年\s*[一二三四五六七八九十]{1,3}\s*月\s*[一二三四五六七八九十]{1,3}\s*日)")
_DATE_LINE_RE = re.compile(rf"^\s*{_DATE_RE}\s*$")   # 2024年1月20日, 二〇二四年一月二十日
_SIGNED_LINE_RE = re.compile(rf"^\s*(\S.*?)\s{{2,}}{_DATE_RE}\s*$")  # the body, then the date, one line
_CJK_GAP_RE = re.compile(r"(?<=[\u3400-\u9fff\d])\s+(?=[\u3400-\u9fff\d])")
# 关于/印发 before a name (关于印发…) or after it (…局关于2023年…), quotes, trailing marks
_AGENCY_TRIM_RE = re.compile(r"^(关于|印发|转发)+|(关于|印发|转发)+$|^[\"“”'‘’《〈「『【]+"
                             r"|[\s:：,，、;；.。\-—_|\"“”'‘’》〉」』】]+$")
_AGENCY_END_RE = re.compile(r"(政府|办公室|局|委员会|委|厅|院|中心|办|部|处|所|署|会|公司|管委会|街道|镇|乡"
                            r"|馆|社|队|台|站|校)"
                            r"(（[^（）]{1,30}）)?$")   # 中共××县委办公室（县政府办公室）: an alias in brackets
_NOT_A_NAME = ("我", "本", "该", "全", "各")  # 我局, 本机关, 该单位, 全市, 各部门: no body's name
MAX_BODY_LEN = 40
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
    # names in simplified characters but their own words: to_simplified's template aliases
    # (档案 → 文件, 资讯 → 信息) are for labels, and would make 莱阳市档案馆 莱阳市文件馆
    agency = _agency_in_title(t2s(title)) if title else None
    if agency is None:
        agency = _signature(lines)
    return {"year": year, "agency": agency, "title": title}


def _agency_in_title(stitle: str) -> str | None:
    """The body a title names: before its year (莱阳市卫生健康局2023年…, …局关于2023年…),
    else between its year and 政府信息公开 (2023年度莱阳市卫生健康局政府信息公开…); only
    a name that reads as a body's (``is_body``): 关于公布2023年… or 全市2023年… name none."""
    ym = _YEAR_IN_TITLE_RE.search(stitle)
    if not ym:
        return None
    before = official_name(stitle[:ym.start()])
    if before:
        return before if is_body(before) else None
    tm = _TITLE_RE.search(stitle, ym.end())
    between = official_name(stitle[ym.end():tm.start()]) if tm else None
    return between if between and is_body(between) else None


def is_body(name: str) -> bool:
    """``name`` (official form) reads as the name of a body: a body's ending (…政府, …局,
    …办公室, …中心 …), not a word standing for one (我局, 本机关, 全市, 该单位)."""
    return 2 < len(name) <= MAX_BODY_LEN and bool(_AGENCY_END_RE.search(name)) \
        and not name.startswith(_NOT_A_NAME)


def body_name(name: str | None) -> str | None:
    """A body's name as every source of it is kept (the report's text, its page's metadata
    block, its file's properties, the portal's list): simplified characters and the official
    written form (``official_name``), so that a body listed or printed in 繁體 is the same
    body as in 简体. Not judged: whether it reads as a body is the caller's question."""
    return official_name(t2s(name)) if name else None


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
        if "。" in line or "；" in line:  # a sentence of the body (…年度报告格式要求编制。), no title
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
            # the title's start on the line above, broken anywhere: "…监督管理局 2020 年政" +
            # "府信息公开工作年度报告"; this line alone is a fragment, not the title
            elif not _YEAR_IN_TITLE_RE.search(s) and i > 0 and _title_start(lines[i - 1], simple[i - 1], s):
                cand = lines[i - 1] + cand
            if _YEAR_IN_TITLE_RE.search(cand):
                return _clean_title(cand)
            fallback = fallback or _clean_title(cand)
    return hint_title or fallback


def _title_start(line: str, simple: str, rest: str) -> bool:
    """``line`` is the start of a title whose rest (``rest``, simplified) is on the next
    line: a short line of text, no field (索引号：…), table row nor sentence, no title by
    itself, whose year the title then names."""
    s = simple.replace(" ", "")
    # a sentence of the body wrapped before 政府信息公开 (…根据2023年) is no title's start
    if not s or len(line) > MAX_TITLE_LEN or any(c in line for c in "|\t>:：，,。；;") or _TITLE_RE.search(s):
        return False
    joined = s + rest
    ym = _YEAR_IN_TITLE_RE.search(joined)
    return bool(ym and ym.start() < len(s) and _TITLE_RE.search(joined))


_PUBLISHER_RE = re.compile(r"(?:发布机构|发文机关|发布单位|公开主体|信息来源|来源)\s*[:：]\s*\|?\s*([^\t|\n]{2,40})")


def agency_elsewhere(text: str, author: str | None) -> str | None:
    """The reporting body when the report's own text does not name it: the page's
    metadata block (发布机构：…), else the file's own Author property — each only when it
    reads as the name of a body (… 政府, 办公室, 局 …). Simplified characters, no spaces."""
    candidates = [official_name(m.group(1)) for m in _PUBLISHER_RE.finditer(t2s(text))]
    if author:
        candidates.append(body_name(author))
    for cand in candidates:
        if cand and is_body(cand):
            return cand
    return None


def _signature(lines: list[str]) -> str | None:
    """The body named just above the closing date line of the report, or before the date
    on its line (dates read the same in either characters)."""
    for i in range(len(lines) - 1, 0, -1):
        signed = _SIGNED_LINE_RE.match(lines[i])
        cand = lines[i - 1] if _DATE_LINE_RE.match(lines[i]) else signed.group(1) if signed else None
        if cand is not None:
            cand = body_name(cand) or ""
            if is_body(cand):
                return cand
    return None
