"""The national templates: which rows and fields each table has, and how to tell them apart.

"2021": 国办公开办函〔2021〕30号 (reports on 2021 onwards); "2019": the 试行 format of
reports on 2019 and 2020; "pre2019": reports under the 2007 条例, free-form.
"""
from __future__ import annotations

import re

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
# money, not counts
DECIMAL_FIELDS = {("fees", "amount"), ("procurement", "amount"), ("fees", "previous_items"),
                  ("fees", "change")}
DECIMAL_FIELDS_STRICT = {("fees", "amount"), ("procurement", "amount")}

APPLICANT_COLUMNS = ("natural_person", "enterprise", "research", "public_interest",
                     "legal_service", "other_org", "total")
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
