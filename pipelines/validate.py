"""The contract's rules over a record → findings and the final status.

    validate(record, previous=None) -> record

Hard rules (error; status "inconsistent"): ``row_total``, ``outcome_total``, ``balance``,
``group_total``. Blank cells are not zeros: a rule that needs a blank cell is not
checked, and the blank cell gives one ``missing`` warning (so does a missing table or
a template row the report leaves out); status "incomplete". Soft rules (warning) when
the previous year's record of the same body is given: ``carry_over_chain`` and
``in_force_chain``; they do not change the status.

Status: "unparsed" stays "unparsed"; else inconsistent > incomplete > valid. Findings
the extractor made (placeholder, unreadable_cell, …) are kept; this module's own are
replaced on each call, so validating twice gives the same record.
"""
from __future__ import annotations

from pipelines.extract import templates as T
from pipelines.record import Record, finding

RULES = frozenset({"row_total", "outcome_total", "balance", "group_total", "missing",
                   "carry_over_chain", "in_force_chain"})
HARD = frozenset({"row_total", "outcome_total", "balance", "group_total"})


def _f(rule, table, row, column, expected, actual, message):
    return finding(rule, message, table=table, row=row, column=column, expected=expected, actual=actual)


def _num(x):
    return x if isinstance(x, (int, float)) and not isinstance(x, bool) else None


def _eq(a, b) -> bool:
    return abs(a - b) < 1e-6


def validate(record: Record, previous: Record | None = None) -> Record:
    findings = [f for f in record.get("findings") or [] if f.get("rule") not in RULES]
    out = []
    if record.get("status") != "unparsed" or any(
            record.get(k) for k in ("active_disclosure", "applications", "review_litigation")):
        template = record.get("template")
        if template not in T.APPLICATION_ROWS:
            template = T.T2019 if "other" in (record.get("applications") or {}) else T.T2021
        out += _missing(record, template)
        out += _applications(record.get("applications"), template)
        out += _review(record.get("review_litigation"))
        if previous:
            out += _chains(record, previous)
    record["findings"] = findings + out
    record["status"] = _status(record)
    return record


def _status(record) -> str:
    if not any(record.get(k) for k in ("active_disclosure", "applications", "review_litigation")):
        return "unparsed"
    fs = record["findings"]
    if any(f.get("rule") in HARD for f in fs):
        return "inconsistent"
    if any(f.get("rule") == "missing" for f in fs):
        return "incomplete"
    return "valid"


def _missing(record, template) -> list:
    out = []
    for table in ("active_disclosure", "applications", "review_litigation"):
        if record.get(table) is None:
            out.append(_f("missing", table, None, None, None, None,
                          f"table {table} not found in the report"))
    apps = record.get("applications")
    if apps is not None:
        for row in T.rows_for(template):
            if row not in apps:
                out.append(_f("missing", "applications", row, None, None, None,
                              f"applications.{row}: row not found"))
    for table in ("active_disclosure", "applications", "review_litigation"):
        for row, cells in (record.get(table) or {}).items():
            if row == "extra" or not isinstance(cells, dict):
                continue
            for col, v in cells.items():
                if v is None:
                    out.append(_f("missing", table, row, col, None, None,
                                  f"{table}.{row}.{col} is blank: not counted as 0, rules on it not checked"))
    return out


def _applications(apps, template) -> list:
    if not apps:
        return []
    out = []
    for row, cells in apps.items():
        parts = [_num(cells.get(c)) for c in T.APPLICANTS]
        total = _num(cells.get("total"))
        if total is not None and None not in parts and not _eq(sum(parts), total):
            out.append(_f("row_total", "applications", row, "total", sum(parts), total,
                          f"applications.{row}.total is {total}, the six applicant columns add up to {sum(parts)}"))
    outcomes = [r for r in T.outcomes_for(template) if r in apps]
    for col in T.APPLICANT_COLUMNS:
        vals = [_num(apps[r].get(col)) for r in outcomes]
        total = _num((apps.get("total") or {}).get(col))
        if outcomes and total is not None and None not in vals and len(outcomes) == len(T.outcomes_for(template)) \
                and not _eq(sum(vals), total):
            out.append(_f("outcome_total", "applications", "total", col, sum(vals), total,
                          f"applications.total.{col} is {total}, the outcome rows granted…"
                          f"{outcomes[-1]} add up to {sum(vals)}"))
        a = _num((apps.get("new_received") or {}).get(col))
        b = _num((apps.get("carried_over") or {}).get(col))
        c = total
        d = _num((apps.get("carried_forward") or {}).get(col))
        if None not in (a, b, c, d) and not _eq(a + b, c + d):
            out.append(_f("balance", "applications", "total", col, a + b, c + d,
                          f"column {col}: new_received {a} + carried_over {b} = {a + b}, but "
                          f"total {c} + carried_forward {d} = {c + d}"))
    return out


def _review(review) -> list:
    out = []
    for group, cells in (review or {}).items():
        parts = [_num(cells.get(f)) for f in T.REVIEW_PARTS]
        total = _num(cells.get("total"))
        if total is not None and None not in parts and not _eq(sum(parts), total):
            out.append(_f("group_total", "review_litigation", group, "total", sum(parts), total,
                          f"review_litigation.{group}.total is {total}, upheld+corrected+other+pending = {sum(parts)}"))
    return out


def _chains(record, previous) -> list:
    y, py = record.get("year"), previous.get("year")
    if y is not None and py is not None and py != y - 1:
        return []  # not the year before: nothing to chain
    out = []
    cur_over = (record.get("applications") or {}).get("carried_over") or {}
    prev_fwd = (previous.get("applications") or {}).get("carried_forward") or {}
    for col in T.APPLICANT_COLUMNS:
        a, b = _num(cur_over.get(col)), _num(prev_fwd.get(col))
        if a is not None and b is not None and not _eq(a, b):
            out.append(_f("carry_over_chain", "applications", "carried_over", col, b, a,
                          f"applications.carried_over.{col} is {a}, last year's carried_forward.{col} was {b}"))
    cur, prev = record.get("active_disclosure") or {}, previous.get("active_disclosure") or {}
    for row in ("regulations", "normative_documents"):
        c, p = cur.get(row) or {}, prev.get(row) or {}
        vals = [_num(p.get("in_force")), _num(c.get("issued")), _num(c.get("repealed")), _num(c.get("in_force"))]
        if None in vals:
            continue
        expected = vals[0] + vals[1] - vals[2]
        if not _eq(expected, vals[3]):
            out.append(_f("in_force_chain", "active_disclosure", row, "in_force", expected, vals[3],
                          f"active_disclosure.{row}.in_force is {vals[3]}, last year's {vals[0]} + issued "
                          f"{vals[1]} − repealed {vals[2]} = {expected}"))
    return out
