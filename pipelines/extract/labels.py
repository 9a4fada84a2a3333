"""Label normalisation and the label → contract key maps.

Every label is compared in one normal form: NFKC (full-width digits and punctuation
→ ASCII), then traditional → simplified (OpenCC t2s, run once over a whole document,
not per cell), then aliases for words a traditional mirror changes (文件 → 檔案 → 档案)
and known typos, then without whitespace. Patterns below match that form.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# words that t2s turns into something else than the simplified report says
ALIASES = (
    ("档案", "文件"),
    ("资讯", "信息"),
    ("本年度止件数", "本年废止件数"),   # a typo seen in real reports
    ("未经复议直接诉讼", "未经复议直接起诉"),
)
from .numbers import mark_footnotes  # noqa: E402  (superscripts must be marked before NFKC)

_WS_RE = re.compile(r"\s+")
_SEP = "\n"


@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc
        return opencc.OpenCC("t2s").convert
    except Exception:  # no converter: simplified reports still work
        return lambda s: s


def to_simplified(text: str) -> str:
    """NFKC + traditional → simplified + aliases; keeps whitespace and line breaks."""
    t = _t2s()(unicodedata.normalize("NFKC", mark_footnotes(text)))
    for old, new in ALIASES:
        if old in t:
            t = t.replace(old, new)
    return t


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


def _rx(p: str):
    return re.compile(p)


# ---- column headers --------------------------------------------------------------
# table 二 fields, by header label
ACTIVE_FIELDS = (
    ("issued", _rx(r"本年制发|制发件数")),
    ("repealed", _rx(r"废止")),
    ("in_force", _rx(r"现行有效")),
    ("made", _rx(r"新制作")),
    ("published", _rx(r"新公开")),
    ("total_published", _rx(r"公开总数")),
    ("previous_items", _rx(r"上一年项目|上年项目")),
    ("change", _rx(r"增/?减|增加/?减少")),
    ("items", _rx(r"采购项目")),
    ("amount", _rx(r"金额")),
    ("decisions", _rx(r"处理决定")),
)
# table 三 columns; 其他 only once 法人或其他组织 is taken out of the header text
APPLICANT_COLUMNS = (
    ("enterprise", _rx(r"商业企业|商业|企业")),
    ("research", _rx(r"科研")),
    ("public_interest", _rx(r"公益")),
    ("legal_service", _rx(r"法律服务")),
    ("natural_person", _rx(r"自然人")),
    ("total", _rx(r"总计|合计")),
    ("other_org", _rx(r"其他|其它")),
)
# table 四
REVIEW_GROUPS = (
    ("litigation_after_review", _rx(r"复议后起诉")),
    ("litigation_direct", _rx(r"未经复议")),
    ("review", _rx(r"行政复议")),
)
REVIEW_FIELDS = (
    ("upheld", _rx(r"维持")),
    ("corrected", _rx(r"纠正")),
    ("pending", _rx(r"未审结|尚未")),
    ("total", _rx(r"总计|合计")),
    ("other", _rx(r"其他|其它")),
)
# labels that head columns or blocks rather than name a row; one or several run together
# (a text tool joins 本年废止件数 现行有效件数 into one line)
HEADER_RE = _rx(
    r"^(?:信息内容|申请人情况|法人或其他组织|法人或其它组织|自然人|商业企业|商业|企业|科研机构|科研|机构|"
    r"社会公益组织|法律服务机构|其他|其它|总计|合计|行政复议|行政诉讼|未经复议直接起诉|复议后起诉|"
    r"结果维持|结果纠正|其他结果|尚未审结|"
    r"本年制发件数|本年废止件数|现行有效件数|本年新制作数量|本年新公开数量|对外公开总数量|"
    r"上一年项目数量|本年增/?减|处理决定数量|本年处理决定数量|采购项目数量|采购总金额|"
    r"本年收费金额.*|.*勾稽关系.*|第二十条第.*)+$"
)

# ---- sections ----------------------------------------------------------------------
SECTION_ANCHORS = (
    ("active", _rx(r"主动公开政府信息情况|^第二十条第")),
    ("applications", _rx(r"收到和处理政府信息公开申请|^申请人情况$|勾稽关系")),
    ("review", _rx(r"行政复议、?行政诉讼情况|^行政复议$|^行政复议行政诉讼")),
    (None, _rx(r"存在的主要问题|^[五六]、|其他需要报告的事项")),
)
ANCHOR_MAX_LEN = 45   # longer labels are prose, whatever words they contain

# ---- rows ----------------------------------------------------------------------------
ACTIVE_ROWS = (
    ("normative_documents", _rx(r"规范性文件")),
    ("regulations", _rx(r"^规章$|^规章[(（]|规章$")),
    ("other_services", _rx(r"其他对外管理服务")),
    ("licensing", _rx(r"行政许可")),
    ("penalty", _rx(r"行政处罚")),
    ("coercion", _rx(r"行政强制")),
    ("fees", _rx(r"事业性收费")),
    ("procurement", _rx(r"集中采购")),
)
# group labels of table 三 (the （三）…（六） blocks and the 三、本年度办理结果 band)
APPLICATION_GROUPS = (
    ("denied", _rx(r"不予公开$")),
    ("unable", _rx(r"无法提供$")),
    ("rejected", _rx(r"不予处理$")),
    ("other", _rx(r"其他处理$")),
    ("outcomes", _rx(r"办理结果$")),
)
APPLICATION_ROWS = (
    ("new_received", _rx(r"本年新收")),
    ("carried_over", _rx(r"上年结转")),
    ("carried_forward", _rx(r"结转下年|继续办理")),
    ("partially_granted", _rx(r"部分公开")),
    ("granted", _rx(r"予以公开")),
    ("denied_state_secret", _rx(r"国家秘密")),
    ("denied_prohibited", _rx(r"禁止公开")),
    ("denied_three_safety", _rx(r"三安全|一稳定")),
    ("denied_third_party", _rx(r"第三方")),
    ("denied_internal", _rx(r"内部事务")),
    ("denied_process", _rx(r"过程性")),
    ("denied_enforcement_file", _rx(r"执法案卷")),
    ("denied_inquiry", _rx(r"查询事项")),
    ("unable_not_held", _rx(r"不掌握")),
    ("unable_needs_creation", _rx(r"另行制作")),
    ("unable_unclear", _rx(r"不明确")),
    ("rejected_petition", _rx(r"信访|举报|投诉")),
    ("rejected_repeat", _rx(r"重复申请")),
    ("rejected_publication", _rx(r"出版物")),
    ("rejected_excessive", _rx(r"大量反复")),
    ("rejected_confirmation", _rx(r"确认|重新出具")),
    ("other_no_correction", _rx(r"不补正")),
    ("other_unpaid_fee", _rx(r"缴纳费用|收费通知")),
)
_NUMBERING_RE = _rx(r"^(?:[(（]?[一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d+[.、．]?)+")
OTHER_MISC_RE = _rx(r"^(其他|其它)$")
TOTAL_RE = _rx(r"^(总计|合计)$")


def strip_numbering(label: str) -> str:
    """（七）总计 → 总计, 3.其他 → 其他, 一、本年新收… → 本年新收…"""
    return _NUMBERING_RE.sub("", label)


def first_match(patterns, text: str):
    for key, rx in patterns:
        if rx.search(text):
            return key
    return None


@lru_cache(maxsize=20000)
def is_header(label: str) -> bool:
    return bool(HEADER_RE.match(label))


@lru_cache(maxsize=20000)
def group_of(label: str):
    """The table 三 group (denied, unable, rejected, other, outcomes) a label opens."""
    if len(label) > ANCHOR_MAX_LEN:
        return None
    return first_match(APPLICATION_GROUPS, label)


_GROUP_PREFIX_RE = _rx(r"^[(（]?[三四五六][)）]?(不予公开|无法提供|不予处理|其他处理)(?=\d)")
_GROUP_NAMES = {"不予公开": "denied", "无法提供": "unable", "不予处理": "rejected", "其他处理": "other"}


@lru_cache(maxsize=20000)
def group_prefix(label: str):
    """The group of a label that holds its group and its first item in one cell
    ("(六)其他处理1.申请人无正当理由…", as OCR and re-cut tables join them)."""
    m = _GROUP_PREFIX_RE.match(label)
    return _GROUP_NAMES[m.group(1)] if m else None


@lru_cache(maxsize=20000)
def section_of(label: str):
    """("section", name) when a label opens a section of the report, else None."""
    if len(label) > ANCHOR_MAX_LEN:
        return None
    for name, rx in SECTION_ANCHORS:
        if rx.search(label):
            return ("section", name)
    return None


def applicant_column(header: str):
    h = header.replace("法人或其他组织", "").replace("法人或其它组织", "").replace("申请人情况", "")
    return first_match(APPLICANT_COLUMNS, h)


def review_column(header: str):
    group, field = first_match(REVIEW_GROUPS, header), first_match(REVIEW_FIELDS, header)
    if group == "review" and "行政诉讼" in header:
        group = None  # a 行政诉讼 column without its sub-group is not readable
    if group and field:
        return (group, field)
    return None
