"""The national templates' vocabulary, all of it: which rows and fields each table has,
how to tell the templates apart, and the words their labels are written in (the label →
key patterns, section anchors, aliases and typos).

"2021": 国办公开办函〔2021〕30号 (reports on 2021 onwards); "2019": the 试行 format of
reports on 2019 and 2020; "pre2019": reports under the 2007 条例, free-form.

The label patterns match text in normalise.py's form (NFKC, simplified, aliases applied,
no whitespace); making text comparable is normalise.py's, a different idea.
"""
from __future__ import annotations

import re
from functools import lru_cache

T2021, T2019, PRE2019, UNKNOWN = "2021", "2019", "pre2019", "unknown"

ACTIVE_FIELDS = {
    T2021: {
        "regulations": ("issued", "repealed", "in_force"),
        "normative_documents": ("issued", "repealed", "in_force"),
        "licensing": ("decisions",),
        "penalty": ("decisions",),
        "coercion": ("decisions",),
        "fees": ("amount",),
    },
    T2019: {
        "regulations": ("made", "published", "total_published"),
        "normative_documents": ("made", "published", "total_published"),
        "licensing": ("previous_items", "change", "decisions"),
        "other_services": ("previous_items", "change", "decisions"),
        "penalty": ("previous_items", "change", "decisions"),
        "coercion": ("previous_items", "change", "decisions"),
        "fees": ("previous_items", "change"),
        "procurement": ("items", "amount"),
    },
}
ACTIVE_ROW_ORDER = ("regulations", "normative_documents", "licensing", "other_services",
                    "penalty", "coercion", "fees", "procurement")
# table 二's row labels as the templates print them (a label cut by its cell's width is
# joined again only into one of these)
ACTIVE_ROW_NAMES = frozenset(("规章", "规范性文件", "行政规范性文件", "行政许可", "其他对外管理服务事项",
                              "行政处罚", "行政强制", "行政事业性收费", "政府集中采购"))
# table 二's sub-tables, one per 第二十条 item, each under a header row of its own: the
# rows that share a column (a column header prints once over these rows' cells)
ACTIVE_BLOCKS = {
    T2021: (("regulations", "normative_documents"), ("licensing",), ("penalty", "coercion"), ("fees",)),
    T2019: (("regulations", "normative_documents"), ("licensing", "other_services"),
            ("penalty", "coercion"), ("fees",), ("procurement",)),
}
# money, not counts
DECIMAL_FIELDS = {("fees", "amount"), ("procurement", "amount"), ("fees", "previous_items"),
                  ("fees", "change")}
DECIMAL_FIELDS_STRICT = {("fees", "amount"), ("procurement", "amount")}

APPLICANT_COLUMNS = ("natural_person", "enterprise", "research", "public_interest",
                     "legal_service", "other_org", "total")
APPLICANTS = APPLICANT_COLUMNS[:-1]     # the six applicant columns, whose sum is a row's total
_OUTCOMES_COMMON = (
    "granted", "partially_granted",
    "denied_state_secret", "denied_prohibited", "denied_three_safety", "denied_third_party",
    "denied_internal", "denied_process", "denied_enforcement_file", "denied_inquiry",
    "unable_not_held", "unable_needs_creation", "unable_unclear",
    "rejected_petition", "rejected_repeat", "rejected_publication", "rejected_excessive",
    "rejected_confirmation",
)
OUTCOME_ROWS = {
    T2021: _OUTCOMES_COMMON + ("other_no_correction", "other_unpaid_fee", "other_misc"),
    T2019: _OUTCOMES_COMMON + ("other",),
}
APPLICATION_ROWS = {
    t: ("new_received", "carried_over") + rows + ("total", "carried_forward")
    for t, rows in OUTCOME_ROWS.items()
}
REVIEW_GROUPS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_FIELDS = ("upheld", "corrected", "other", "pending", "total")
REVIEW_PARTS = REVIEW_FIELDS[:4]    # a group's four counts, printed before its total


def review_group_adds_up(counts: dict) -> bool:
    """Whether one group of table 四 adds up: its four counts make its total (every field
    present and a number)."""
    return sum(counts[f] for f in REVIEW_PARTS) == counts["total"]

# words only one template's tables use (matched on the simplified, space-free text)
_MARKERS = {
    T2021: re.compile(r"本年制发件数|本年废止件数|现行有效件数|本年处理决定数量|本年收费金额|逾期不补正|缴纳费用"),
    T2019: re.compile(r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|第二十条第\(九\)项|"
                      r"其他对外管理服务事项|政府集中采购|采购项目数量"),
}


def detect(text: str, year: int | None) -> str:
    """The template of a report from its (simplified, compact) text and the year it reports on."""
    if year is not None and year <= 2018:
        return PRE2019
    scores = {t: len(rx.findall(text)) for t, rx in _MARKERS.items()}
    if scores[T2021] or scores[T2019]:
        return T2021 if scores[T2021] >= scores[T2019] else T2019
    if year is not None:
        return T2019 if year in (2019, 2020) else T2021
    return UNKNOWN


def rows_for(template: str) -> tuple[str, ...]:
    return APPLICATION_ROWS.get(template, APPLICATION_ROWS[T2021])


def outcomes_for(template: str) -> tuple[str, ...]:
    return OUTCOME_ROWS.get(template, OUTCOME_ROWS[T2021])


# ======== the words of the labels ======================================================

# words that t2s turns into something else than the simplified report says, and typos
ALIASES = (
    ("档案", "文件"),
    ("资讯", "信息"),
    ("本年度止件数", "本年废止件数"),   # a typo seen in real reports
    ("未经复议直接诉讼", "未经复议直接起诉"),
)


def _rx(p: str):
    return re.compile(p)


# ---- column headers --------------------------------------------------------------
# table 二 fields, by header label
ACTIVE_FIELD_LABELS = (
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
# the headers of table 二's columns as the templates print them: a header OCR misread by one
# character (本年康止件数) is the one it is nearest to, when it is nearer to it than to any other
ACTIVE_FIELD_HEADERS = (
    ("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"),
    ("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total_published", "对外公开总数量"),
    ("previous_items", "上一年项目数量"), ("change", "本年增/减"), ("items", "采购项目数量"),
    ("amount", "采购总金额"), ("decisions", "本年处理决定数量"),
)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: characters inserted, deleted or replaced."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def nearest(names, text: str, most: int = 1):
    """The key of the one name within ``most`` edits of ``text`` that is nearer than every
    other name (a name is (key, text)), else None: a tie names nothing."""
    if len(text) < 4:
        return None     # a short word is a few edits from too many others
    scored = sorted((edit_distance(text, name), key) for key, name in names)
    best = scored[0]
    if best[0] > most or (len(scored) > 1 and scored[1][0] == best[0] and scored[1][1] != best[1]):
        return None
    return best[1]


# table 三 columns; 其他 only once 法人或其他组织 is taken out of the header text
APPLICANT_COLUMN_LABELS = (
    ("enterprise", _rx(r"商业企业|商业|企业")),
    ("research", _rx(r"科研")),
    ("public_interest", _rx(r"公益")),
    ("legal_service", _rx(r"法律服务")),
    ("natural_person", _rx(r"自然人")),
    ("total", _rx(r"总计|合计")),
    ("other_org", _rx(r"其他|其它")),
)
# table 三's column headers in full, as the template prints them, each with the column it
# heads (其他 and 总计 name rows too); 法人或其他组织 heads the five columns after 自然人
APPLICANT_HEADER_NAMES = (("natural_person", "自然人"), ("enterprise", "商业企业"), ("research", "科研机构"),
                          ("public_interest", "社会公益组织"), ("legal_service", "法律服务机构"),
                          ("other_org", "其他"), ("other_org", "其它"), ("total", "总计"), ("total", "合计"))
LEGAL_PERSON_HEADERS = ("法人或其他组织", "法人或其它组织")
# the characters of table 三's column headers (a layout tool may print them one per line)
APPLICANT_HEADER_CHARS = frozenset("申请人情况" + "".join(LEGAL_PERSON_HEADERS)
                                   + "".join(name for _, name in APPLICANT_HEADER_NAMES))
# table 四
REVIEW_GROUP_LABELS = (
    ("litigation_after_review", _rx(r"复议后起诉")),
    ("litigation_direct", _rx(r"未经复议")),
    ("review", _rx(r"行政复议")),
)
REVIEW_FIELD_LABELS = (
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
ACTIVE_ROW_LABELS = (
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
APPLICATION_GROUP_LABELS = (
    ("denied", _rx(r"不予公开$")),
    ("unable", _rx(r"无法提供$")),
    ("rejected", _rx(r"不予处理$")),
    ("other", _rx(r"其他处理$")),
    ("outcomes", _rx(r"办理结果$")),
)
APPLICATION_ROW_LABELS = (
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


def application_labels(text: str, template: str) -> list[tuple[int, str]]:
    """(where, row) of every label of the template's table 三 rows in ``text``, in the order
    printed (a label holding two of its row's words is there twice: 确认或重新出具)."""
    keys = rows_for(template)
    return sorted((m.start(), key) for key, rx in APPLICATION_ROW_LABELS if key in keys for m in rx.finditer(text))


@lru_cache(maxsize=20000)
def is_header(label: str) -> bool:
    return bool(HEADER_RE.match(label))


@lru_cache(maxsize=20000)
def group_of(label: str):
    """The table 三 group (denied, unable, rejected, other, outcomes) a label opens."""
    if len(label) > ANCHOR_MAX_LEN:
        return None
    return first_match(APPLICATION_GROUP_LABELS, label)


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


@lru_cache(maxsize=20000)
def applicant_column(header: str):
    h = header
    for words in LEGAL_PERSON_HEADERS + ("申请人情况",):
        h = h.replace(words, "")
    return first_match(APPLICANT_COLUMN_LABELS, h)


@lru_cache(maxsize=20000)
def review_column(header: str):
    group, field = first_match(REVIEW_GROUP_LABELS, header), first_match(REVIEW_FIELD_LABELS, header)
    if group == "review" and "行政诉讼" in header:
        group = None  # a 行政诉讼 column without its sub-group is not readable
    if group and field:
        return (group, field)
    return None
