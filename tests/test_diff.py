"""The pure diff over two hand-built snapshots, and its Markdown and JSON renderings."""
from __future__ import annotations

import json
from datetime import date

from pipelines.diff import (
    as_date, changed_cells, deadline, diff, last_due_year, on_time,
)
from pipelines.render import markdown, render


def record(granted=3, total=5, findings=(), status="valid", agency=None):
    return {
        "schema_version": 1, "template": "2021", "year": None, "agency": agency, "title": None,
        "active_disclosure": {"regulations": {"issued": 0, "repealed": 0, "in_force": 1}},
        "applications": {"granted": {"natural_person": granted, "total": granted},
                         "total": {"natural_person": total, "total": total}},
        "review_litigation": {"review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}},
        "findings": list(findings), "status": status,
    }


def report(portal, body, year, url, published, rev=1, rec=None, listed=True, code=None):
    return {"portal": portal, "portal_url": f"http://{portal}/", "body_name": body, "body_code": code,
            "year": year, "url": url, "title": f"{body}{year}年政府信息公开工作年度报告",
            "published_date": published, "status": (rec or record())["status"], "listed": listed,
            "revision_id": rev, "record": rec or record(), "first_seen": 1}


BAD = {"rule": "row_total", "severity": "error", "table": "applications", "row": "granted",
       "column": "total", "expected": 4, "actual": 3, "message": "granted: total 3 ≠ sum 4"}

BEFORE = [
    report("laiyang", "莱阳市人民政府办公室", 2022, "http://l/2022", "2023-01-20", rev=1),
    report("laiyang", "莱阳市人民政府办公室", 2021, "http://l/2021", "2022-01-28", rev=2),
    report("muping", "牟平区人民政府", 2022, "http://m/a/2022", "2023-02-10", rev=3, code="A"),
    report("muping", "牟平区政府办公室", 2021, "http://m/b/2021", "2022-01-10", rev=4, code="B"),
    report("muping", "牟平区政府办公室", 2022, "http://m/b/2022", "2023-01-10", rev=5, code="B"),
]
AFTER = [
    # new year, late
    report("laiyang", "莱阳市人民政府办公室", 2023, "http://l/2023", "2024-02-17 13:55:55", rev=6),
    report("laiyang", "莱阳市人民政府办公室", 2022, "http://l/2022", "2023-01-20", rev=1),
    # revised: one cell, with a new error finding
    report("laiyang", "莱阳市人民政府办公室", 2021, "http://l/2021", "2022-01-28", rev=7,
           rec=record(granted=4, findings=[BAD], status="inconsistent")),
    # new year, on time
    report("muping", "牟平区人民政府", 2023, "http://m/a/2023", "2024-01-31", rev=8, code="A"),
    report("muping", "牟平区人民政府", 2022, "http://m/a/2022", "2023-02-10", rev=3, code="A"),
    # the B office publishes nothing for 2023, and its 2022 report leaves the list
    report("muping", "牟平区政府办公室", 2021, "http://m/b/2021", "2022-01-10", rev=4, code="B"),
    report("muping", "牟平区政府办公室", 2022, "http://m/b/2022", "2023-01-10", rev=5, code="B", listed=False),
]
TODAY = date(2024, 3, 1)


def test_deadline_rule():
    assert deadline(2023) == date(2024, 1, 31)
    assert on_time(2023, "2024-01-31") is True
    assert on_time(2023, "2024年2月1日") is False
    assert on_time(2023, None) is None
    assert last_due_year(date(2024, 1, 31)) == 2022
    assert last_due_year(date(2024, 2, 1)) == 2023
    assert as_date("发布时间:2024-01-17 13:55:55") == date(2024, 1, 17)
    assert as_date("not a date") is None


def test_changed_cells_names_each_cell_old_and_new():
    cells = changed_cells(record(granted=3), record(granted=4))
    assert [(c["cell"], c["old"], c["new"]) for c in cells] == [
        ("applications.granted.natural_person", 3, 4), ("applications.granted.total", 3, 4)]
    assert cells[0]["table"] == "applications" and cells[0]["row"] == "granted"
    # a cell that became blank is a change to None, not to 0
    blank = record()
    blank["applications"]["total"]["total"] = None
    assert [(c["cell"], c["new"]) for c in changed_cells(record(), blank)] == [("applications.total.total", None)]


def test_diff_lists_exactly_what_changed():
    r = diff(BEFORE, AFTER, TODAY)
    assert r["counts"] == {"new_years": 2, "revised": 1, "disappeared": 1, "overdue": 1, "new_findings": 1}

    ny = {(x["portal"], x["year"]): x for x in r["new_years"]}
    assert ny[("laiyang", 2023)]["on_time"] is False
    assert ny[("laiyang", 2023)]["published_date"] == "2024-02-17"
    assert ny[("muping", 2023)]["on_time"] is True and ny[("muping", 2023)]["body"] == "牟平区人民政府"

    (rev,) = r["revised"]
    assert (rev["url"], rev["old_status"], rev["new_status"]) == ("http://l/2021", "valid", "inconsistent")
    assert {c["cell"]: (c["old"], c["new"]) for c in rev["cells"]} == {
        "applications.granted.natural_person": (3, 4), "applications.granted.total": (3, 4)}

    (gone,) = r["disappeared"]
    assert gone["url"] == "http://m/b/2022"

    (late,) = r["overdue"]
    assert (late["body"], late["missing_years"], late["deadline"]) == ("牟平区政府办公室", [2023], "2024-01-31")

    (finding,) = r["new_findings"]
    assert finding["rule"] == "row_total" and finding["url"] == "http://l/2021"


def test_nothing_changed_gives_empty_lists_and_overdue_depends_on_today():
    r = diff(BEFORE, BEFORE, date(2024, 1, 31))  # deadline for 2023 not yet passed
    assert r["counts"] == {"new_years": 0, "revised": 0, "disappeared": 0, "overdue": 0, "new_findings": 0}
    r = diff(BEFORE, BEFORE, date(2024, 2, 1))
    assert r["counts"]["overdue"] == 3  # every body: nothing for 2023


def test_first_run_everything_is_new():
    r = diff([], BEFORE, TODAY)
    assert r["counts"]["new_years"] == len(BEFORE)
    assert r["counts"]["disappeared"] == 0


def test_grid_states():
    g = diff(BEFORE, AFTER, TODAY)["grid"]
    assert g["years"] == [2021, 2022, 2023]
    rows = {r["body"]: r["cells"] for r in g["rows"]}
    states = {b: [c[str(y)]["state"] for y in g["years"]] for b, c in rows.items()}
    assert states == {
        "莱阳市人民政府办公室": ["inconsistent", "on_time", "late"],
        "牟平区人民政府": ["none", "late", "on_time"],
        "牟平区政府办公室": ["on_time", "on_time", "missing"],
    }
    assert rows["牟平区政府办公室"]["2022"]["listed"] is False


def test_markdown_and_json_say_the_facts():
    r = diff(BEFORE, AFTER, TODAY)
    md = markdown(r)
    assert "## laiyang" in md and "### 牟平区政府办公室" in md
    assert "applications.granted.total: 3 → 4" in md
    assert "no report for 2023" in md
    assert "2023: published 2024-02-17, late (deadline 2024-01-31)" in md
    assert "| muping | 牟平区政府办公室 | ✓ | ✓ | — |" in md
    assert json.loads(render(r, "json"))["counts"]["revised"] == 1


def test_new_warnings_are_not_new_findings():
    """The diff lists validation errors that appeared; a soft-rule warning is not one."""
    warn = {**BAD, "rule": "carry_over_chain", "severity": "warning"}
    after = [dict(e, record=record(findings=[warn])) if e["url"] == "http://l/2021" else e for e in BEFORE]
    assert diff(BEFORE, after, TODAY)["counts"]["new_findings"] == 0
