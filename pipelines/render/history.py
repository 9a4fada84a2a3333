"""Each reporting body's reports year by year, and the figures the overview ranks bodies
by: pure code over store snapshot entries (``Store.current_reports()``), no database.

Every figure is a cell of a stored record, read as it is; the few derived figures (the
refusals summed, the refusal rate, year-on-year changes) are computed from those cells
only when every cell they need is there, else they are None: never a guess.
"""
from __future__ import annotations

import hashlib
from datetime import date

from pipelines.diff import as_date, body_key, body_label, build_grid, deadline, last_due_year, overdue_bodies
from pipelines.extract.templates import OUTCOME_ROWS, REVIEW_FIELDS, REVIEW_GROUPS, T2019, T2021

DENIED_ROWS = tuple(r for r in OUTCOME_ROWS[T2021] if r.startswith("denied_"))
# the series drawn as small charts on a body's page: (chart title, cells summed)
CHART_SERIES = (
    ("本年新收申请", ("applications.new_received.total",)),
    ("予以公开", ("applications.granted.total",)),
    ("不予公开（8类合计）", tuple(f"applications.{r}.total" for r in DENIED_ROWS)),
    ("行政复议", ("review_litigation.review.total",)),
    ("行政诉讼", ("review_litigation.litigation_direct.total",
                  "review_litigation.litigation_after_review.total")),
)
# cells whose year-on-year change the overview ranks
CHANGE_CELLS = ("applications.new_received.total", "applications.granted.total",
                "applications.total.total", "review_litigation.review.total",
                "review_litigation.litigation_direct.total")


def cell(record: dict | None, path: str):
    """The value at ``table.row.column`` in a record, None when absent or blank."""
    node = record or {}
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node if isinstance(node, (int, float)) and not isinstance(node, bool) else None


def sum_cells(record: dict | None, paths) -> float | int | None:
    """The sum of these cells, or None when any of them is blank or absent."""
    values = [cell(record, p) for p in paths]
    return None if any(v is None for v in values) else sum(values)


def refusal_rate(record: dict | None) -> float | None:
    """不予公开 (the eight kinds summed) over 办理结果总计, None when a cell is missing or
    nothing was handled."""
    denied = sum_cells(record, [f"applications.{r}.total" for r in DENIED_ROWS])
    total = cell(record, "applications.total.total")
    if denied is None or not total:
        return None
    return denied / total


def page_name(key: tuple) -> str:
    """A file name for a body's page: a hash of its identity (portal text never names a path)."""
    return hashlib.sha256("\x1f".join(map(str, key)).encode("utf-8")).hexdigest()[:16] + ".html"


def figure_rows(records: list[dict]) -> list[dict]:
    """The rows of a body's figures table: ``{"path", "table", "row", "column"}`` for each
    cell that any of its records has, in the template's order (rows a province adds last)."""
    from pipelines.store.cells import flatten

    seen: dict[str, tuple] = {}
    for rec in records:
        for table, row, column, _ in flatten(rec):
            seen.setdefault(f"{table}.{row}.{column}" if column else f"{table}.{row}", (table, row, column))
    order = _template_order()
    return [{"path": p, "table": t, "row": r, "column": c}
            for p, (t, r, c) in sorted(seen.items(), key=lambda kv: order.get(kv[0], (9, kv[0])))]


def _template_order() -> dict[str, tuple]:
    from pipelines.extract.templates import ACTIVE_FIELDS, ACTIVE_ROW_ORDER, APPLICANT_COLUMNS, APPLICATION_ROWS

    order: dict[str, tuple] = {}
    n = 0
    for row in ACTIVE_ROW_ORDER:
        for tpl in (T2021, T2019):
            for col in ACTIVE_FIELDS[tpl].get(row, ()):
                order.setdefault(f"active_disclosure.{row}.{col}", (1, n))
                n += 1
    rows = list(APPLICATION_ROWS[T2021])
    rows.insert(rows.index("total"), "other")  # the 2019 template's single 其他处理 row
    for row in rows:
        for col in APPLICANT_COLUMNS:
            order[f"applications.{row}.{col}"] = (2, n)
            n += 1
    for group in REVIEW_GROUPS:
        for col in REVIEW_FIELDS:
            order[f"review_litigation.{group}.{col}"] = (3, n)
            n += 1
    return order


def timeliness(year: int | None, published) -> dict:
    """Publication against the deadline (31 January of the following year)."""
    pub = as_date(published)
    if year is None:
        return {"state": "unknown", "published": pub, "deadline": None, "days_late": None}
    due = deadline(int(year))
    if pub is None:
        return {"state": "unknown", "published": None, "deadline": due, "days_late": None}
    late = (pub - due).days
    return {"state": "late" if late > 0 else "on_time", "published": pub, "deadline": due,
            "days_late": late if late > 0 else 0}


def body_histories(entries: list[dict], today: date) -> list[dict]:
    """One dict per body: ``key, page, portal, body, body_code, years`` (the grid's years),
    ``reports`` (by year: the report shown, the earliest published where a year has
    several, with ``others``), ``undated`` (reports whose year is unknown), ``states`` (the grid's cell per year), figures and scores."""
    grid = build_grid(entries, today)
    grid_rows = {(r["portal"], r["body"], r["body_code"]): r for r in grid["rows"]}
    overdue = {(o["portal"], o["body"], o["body_code"]): o for o in overdue_bodies(entries, today)}
    by_body: dict[tuple, dict] = {}
    for e in entries:
        b = by_body.setdefault(body_key(e), {"portal": e.get("portal"), "body": body_label(e),
                                             "body_code": e.get("body_code"), "by_year": {}, "undated": []})
        if e.get("year") is not None:
            b["by_year"].setdefault(int(e["year"]), []).append(e)
        else:  # a report whose year could not be read is still shown, and archived
            b["undated"].append({"entry": e, "others": [], "timeliness": timeliness(None, e.get("published_date"))})
    out = []
    due = last_due_year(today)
    for key, b in by_body.items():
        ident = (b["portal"], b["body"], b["body_code"])
        reports = {}
        for year, es in sorted(b["by_year"].items()):
            es = sorted(es, key=lambda x: (as_date(x.get("published_date")) or date.max, x.get("url") or ""))
            reports[year] = {"entry": es[0], "others": es[1:],
                             "timeliness": timeliness(year, es[0].get("published_date"))}
        years = sorted(reports)
        records = [r["entry"].get("record") or {} for r in reports.values()]
        due_years = list(range(years[0], due + 1)) if years else []
        parsed = [r for r in reports.values() if r["entry"].get("status") not in (None, "unparsed")]
        dated = [r for r in reports.values() if r["timeliness"]["state"] != "unknown"]
        latest = reports[years[-1]] if years else None
        out.append({
            "key": key, "page": page_name(key), **{k: b[k] for k in ("portal", "body", "body_code")},
            "years": years, "reports": reports, "undated": b["undated"],
            "states": (grid_rows.get(ident) or {}).get("cells", {}),
            "overdue": overdue.get(ident),
            "rows": figure_rows(records),
            "series": [(title, {y: sum_cells(r["entry"].get("record"), paths) for y, r in reports.items()})
                       for title, paths in CHART_SERIES],
            "refusal": {y: refusal_rate(r["entry"].get("record")) for y, r in reports.items()},
            "latest": latest,
            "completeness": _share(len([y for y in due_years if y in reports]), len(due_years)),
            "on_time_share": _share(len([r for r in dated if r["timeliness"]["state"] == "on_time"]), len(dated)),
            "consistency": _share(len([r for r in parsed if r["entry"].get("status") == "valid"]), len(parsed)),
            "inconsistent_years": [y for y, r in reports.items() if r["entry"].get("status") == "inconsistent"],
            "changes": year_on_year(reports),
        })
    out.sort(key=lambda h: (h["portal"] or "", h["body"] or ""))
    return out


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def year_on_year(reports: dict[int, dict]) -> list[dict]:
    """Changes of the ranked cells between consecutive years both reported:
    ``{"cell", "from_year", "year", "old", "new", "change", "ratio"}`` (ratio None from 0)."""
    out = []
    for year, rep in reports.items():
        prev = reports.get(year - 1)
        if prev is None:
            continue
        for path in CHANGE_CELLS:
            old, new = cell(prev["entry"].get("record"), path), cell(rep["entry"].get("record"), path)
            if old is None or new is None or old == new:
                continue
            out.append({"cell": path, "from_year": year - 1, "year": year, "old": old, "new": new,
                        "change": new - old, "ratio": (new - old) / old if old else None})
    return out

