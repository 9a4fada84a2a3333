"""What changed between two points in time: the diff report.

``diff(before, after, today)`` is pure: it takes two snapshots of the store (lists of
dicts, one per report existing then, as ``Store.snapshot`` returns them) and a date,
and returns a ``DiffReport``, a plain JSON-able dict the renderers (pipelines.render)
turn into Markdown, HTML or JSON.

Snapshot entries have the keys ``portal, portal_url, body_name, body_code, year, url,
title, published_date, status, listed, revision_id, record, first_seen``; only
``portal``, ``url`` and ``year`` are required, the rest may be missing or None.

The report lists, per portal and reporting body:

- ``new_years``: reports for a (body, year) that had none before, with publication date
  and whether it met the deadline (31 January of the following year, 条例第五十条);
- ``revised``: reports whose content changed, with each changed cell (old, new);
- ``disappeared``: reports listed before and no longer listed (kept, marked gone);
- ``overdue``: bodies that published earlier years but not year Y after 31 January Y+1;
- ``new_findings``: validation errors that appeared (warnings such as the cross-year
  soft rules or blank cells are in the stored findings, not in the diff);

plus ``grid``: bodies × years, each cell ``on_time``, ``late``, ``inconsistent``,
``missing``, ``published`` (date unknown), ``not_due`` or ``none`` (before the body's
first report). Against the store, ``report_since`` adds ``runs``: each portal's latest
run and its figures (``RUN_FIGURES``; None where a run stored before a figure was kept).
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Iterable

DiffReport = dict  # the shape is documented above and in ``diff``'s return value

TABLES = ("active_disclosure", "applications", "review_litigation")
GRID_STATES = ("on_time", "late", "inconsistent", "missing", "published", "not_due", "none")
_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


# --- small pure helpers ---------------------------------------------------------------

def deadline(year: int) -> date:
    """条例第五十条: the report on year Y is due by 31 January of Y+1."""
    return date(year + 1, 1, 31)


def as_date(value: Any) -> date | None:
    """A date from a date, datetime or a string such as ``2024-01-17 13:55:55`` or
    ``2024年1月17日``; None when there is none."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = _DATE_RE.search(str(value))
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def on_time(year: int | None, published: Any) -> bool | None:
    """True/False when both the year and the publication date are known, else None."""
    pub = as_date(published)
    if year is None or pub is None:
        return None
    return pub <= deadline(int(year))


def last_due_year(today: date) -> int:
    """The latest year whose report's deadline has passed on ``today``."""
    return today.year - 1 if today > deadline(today.year - 1) else today.year - 2


def is_listed(entry: dict) -> bool:
    # a snapshot without the key predates gone-marking: the report was there
    return entry.get("listed", True) is not False


def body_key(entry: dict) -> tuple[str, str]:
    """Identity of the reporting body: the portal's code for it, else its name."""
    record = entry.get("record") or {}
    ident = entry.get("body_code") or entry.get("body_name") or record.get("agency") or "?"
    return (entry.get("portal") or "?", str(ident))


def body_label(entry: dict) -> str:
    record = entry.get("record") or {}
    return entry.get("body_name") or record.get("agency") or entry.get("body_code") or "?"


def flatten_cells(record: dict | None) -> dict[str, Any]:
    """The record's statistical cells as ``{"applications.granted.total": 3, …}``."""
    out: dict[str, Any] = {}

    def walk(prefix: str, value: Any):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}", v)
        else:
            out[prefix] = value

    for table in TABLES:
        value = (record or {}).get(table)
        if value is not None:
            walk(table, value)
    return out


def changed_cells(old: dict | None, new: dict | None) -> list[dict]:
    """Each cell whose value differs, as ``{"cell", "table", "row", "column", "old", "new"}``."""
    a, b = flatten_cells(old), flatten_cells(new)
    out = []
    for cell in sorted(set(a) | set(b)):
        if a.get(cell) != b.get(cell) or (cell in a) != (cell in b):
            parts = cell.split(".")
            out.append({
                "cell": cell,
                "table": parts[0],
                "row": parts[1] if len(parts) > 1 else None,
                "column": ".".join(parts[2:]) or None,
                "old": a.get(cell),
                "new": b.get(cell),
            })
    return out


def _finding_key(f: dict) -> tuple:
    return (f.get("rule"), f.get("table"), f.get("row"), f.get("column"))


def _findings(entry: dict | None) -> list[dict]:
    """The errors of an entry's record: what the diff report calls new findings."""
    found = ((entry or {}).get("record") or {}).get("findings") or []
    return [f for f in found if f.get("severity") == "error"]


def _sort_key(x: dict):
    return (x.get("portal") or "", x.get("body") or "", x.get("year") or 0, x.get("url") or "")


def _base(entry: dict) -> dict:
    """What every list entry says about its report."""
    return {
        "portal": entry.get("portal"),
        "body": body_label(entry),
        "body_code": entry.get("body_code"),
        "year": entry.get("year"),
        "url": entry.get("url"),
        "title": entry.get("title"),
    }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


# --- the diff -------------------------------------------------------------------------

def diff(before: list[dict], after: list[dict], today: date) -> DiffReport:
    """Compare two snapshots; ``today`` decides which years are overdue.

    Returns ``{"today", "new_years", "revised", "disappeared", "overdue",
    "new_findings", "grid", "portals", "counts"}`` (see the module docstring); every
    list is sorted by portal, body, year.
    """
    old_by_url = {e["url"]: e for e in before if e.get("url")}
    new_by_url = {e["url"]: e for e in after if e.get("url")}
    old_body_years = {(body_key(e), e.get("year")) for e in before}

    new_years, revised, disappeared, new_findings = [], [], [], []
    for url, new in new_by_url.items():
        old = old_by_url.get(url)
        # new year: a (body, year) with no report before (a re-published URL is not one)
        if old is None and (body_key(new), new.get("year")) not in old_body_years:
            pub = as_date(new.get("published_date"))
            new_years.append({**_base(new), "published_date": _iso(pub),
                              "deadline": _iso(deadline(new["year"])) if new.get("year") else None,
                              "on_time": on_time(new.get("year"), pub),
                              "status": new.get("status") or (new.get("record") or {}).get("status")})
        if old is not None and _revision_changed(old, new):
            cells = changed_cells(old.get("record"), new.get("record"))
            if cells or old.get("status") != new.get("status"):
                revised.append({**_base(new), "old_status": old.get("status"),
                                "new_status": new.get("status"), "cells": cells})
        if old is not None and is_listed(old) and not is_listed(new):
            disappeared.append({**_base(new), "last_listed": _iso(as_date(new.get("gone_at")))
                                if new.get("gone_at") else None})
        seen = {_finding_key(f) for f in _findings(old)}
        for f in _findings(new):
            if _finding_key(f) not in seen:
                new_findings.append({**_base(new), **{k: f.get(k) for k in
                                     ("rule", "severity", "table", "row", "column",
                                      "expected", "actual", "message")}})
    # a report missing from the later snapshot altogether (should not happen: reports are
    # never deleted) still counts as disappeared
    for url, old in old_by_url.items():
        if url not in new_by_url and is_listed(old):
            disappeared.append({**_base(old), "last_listed": None})

    grid = build_grid(after, today)
    overdue = overdue_bodies(after, today)
    report = {
        "today": today.isoformat(),
        "new_years": sorted(new_years, key=_sort_key),
        "revised": sorted(revised, key=_sort_key),
        "disappeared": sorted(disappeared, key=_sort_key),
        "overdue": sorted(overdue, key=_sort_key),
        "new_findings": sorted(new_findings, key=_sort_key),
        "grid": grid,
    }
    report["counts"] = {k: len(report[k]) for k in
                        ("new_years", "revised", "disappeared", "overdue", "new_findings")}
    report["portals"] = sorted({r["portal"] for r in grid["rows"]} |
                               {x["portal"] for k in report["counts"] for x in report[k]} - {None})
    return report


def _revision_changed(old: dict, new: dict) -> bool:
    if old.get("revision_id") is not None and new.get("revision_id") is not None:
        return old["revision_id"] != new["revision_id"]
    return (old.get("record") or {}) != (new.get("record") or {})


def _years_by_body(entries: Iterable[dict]) -> dict[tuple, dict]:
    """{body key: {"label", "portal", "body_code", "years": {year: [entries]}}}."""
    bodies: dict[tuple, dict] = {}
    for e in entries:
        key = body_key(e)
        b = bodies.setdefault(key, {"portal": e.get("portal"), "body": body_label(e),
                                    "body_code": e.get("body_code"), "years": {}})
        if e.get("year") is not None:
            b["years"].setdefault(int(e["year"]), []).append(e)
    return bodies


def overdue_bodies(after: list[dict], today: date) -> list[dict]:
    """Bodies that published some year but nothing for the years after it whose deadline
    has passed: ``{"portal", "body", "body_code", "year", "missing_years",
    "last_published_year", "deadline"}`` with ``year`` the latest overdue year.

    Only the trailing gap counts here (a body two years behind is listed once with both
    years); holes further back show as ``missing`` in the grid.
    """
    due = last_due_year(today)
    out = []
    for b in _years_by_body(after).values():
        if not b["years"]:
            continue
        last = max(b["years"])
        if last >= due:
            continue
        missing = list(range(last + 1, due + 1))
        out.append({"portal": b["portal"], "body": b["body"], "body_code": b["body_code"],
                    "year": due, "missing_years": missing, "last_published_year": last,
                    "deadline": deadline(missing[0]).isoformat()})
    return out


def cell_state(entries: list[dict], year: int, first_year: int, today: date) -> dict:
    """One grid cell: the state of a body's report on ``year``."""
    if not entries:
        if year < first_year:
            return {"state": "none"}
        return {"state": "missing" if today > deadline(year) else "not_due"}
    # several reports for one body-year (a re-post): the earliest publication counts
    dated = sorted(entries, key=lambda e: as_date(e.get("published_date")) or date.max)
    e = dated[0]
    pub = as_date(e.get("published_date"))
    status = e.get("status") or (e.get("record") or {}).get("status")
    timely = on_time(year, pub)
    if status == "inconsistent":
        state = "inconsistent"
    elif timely is None:
        state = "published"
    else:
        state = "on_time" if timely else "late"
    return {"state": state, "published_date": _iso(pub), "on_time": timely, "status": status,
            "url": e.get("url"), "listed": is_listed(e)}


def build_grid(after: list[dict], today: date) -> dict:
    """Bodies × years: ``{"years": [...], "rows": [{"portal", "body", "body_code",
    "cells": {"2023": {"state", …}}}]}``; JSON keys are strings."""
    bodies = _years_by_body(after)
    all_years = {y for b in bodies.values() for y in b["years"]}
    if not all_years:
        return {"years": [], "rows": []}
    years = list(range(min(all_years), max(max(all_years), last_due_year(today)) + 1))
    rows = []
    for b in bodies.values():
        first = min(b["years"]) if b["years"] else max(years) + 1
        cells = {str(y): cell_state(b["years"].get(y, []), y, first, today) for y in years}
        rows.append({"portal": b["portal"], "body": b["body"], "body_code": b["body_code"],
                     "cells": cells})
    rows.sort(key=lambda r: (r["portal"] or "", r["body"] or ""))
    return {"years": years, "rows": rows}


# --- against the store ----------------------------------------------------------------

def latest_runs(store) -> dict[str, dict]:
    """The latest run of each spider (= portal): ``{spider: run}``, from ``store.runs()``
    (dicts with ``id``, ``spider``, ``started_at``)."""
    latest: dict[str, dict] = {}
    for run in store.runs():
        spider = run.get("spider") or ""
        if spider not in latest or run["id"] > latest[spider]["id"]:
            latest[spider] = run
    return latest


RUN_FIGURES = ("requests", "items", "new", "revised", "unchanged", "errors", "browser_timeouts")


def run_figures(store) -> list[dict]:
    """Each portal's latest run as the report shows it, by portal name."""
    out = []
    for spider, run in sorted(latest_runs(store).items()):
        stamp = {k: run[k].isoformat(timespec="seconds") if run.get(k) else None
                 for k in ("started_at", "finished_at")}
        out.append({"portal": spider, "run_id": run["id"], "finish_reason": run.get("finish_reason"),
                    **stamp, **{k: run.get(k) for k in RUN_FIGURES}})
    return out


def before_latest_runs(store) -> list[dict]:
    """The store as it was just before each portal's latest run started: "the previous
    run" per portal, right also when crawlall runs every portal at once (one run each)."""
    before: list[dict] = []
    by_start: dict = {}
    for spider, run in latest_runs(store).items():
        by_start.setdefault(run["started_at"], set()).add(spider)
    for started, spiders in by_start.items():
        before += [e for e in store.snapshot(started) if e.get("portal") in spiders or "" in spiders]
    return before


def report_since(store, since=None, today: date | None = None) -> DiffReport:
    """The diff between the store at ``since`` (a run id, a datetime/date, or None for
    "before each portal's latest run") and now; ``today`` decides what is overdue."""
    today = today or date.today()
    if isinstance(since, date) and not isinstance(since, datetime):
        since = datetime.combine(since, datetime.min.time())
    before = before_latest_runs(store) if since is None else store.snapshot(since)
    report = diff(before, store.snapshot(None), today)
    report["since"] = {"run_id": since if isinstance(since, int) else None,
                       "at": since.isoformat() if isinstance(since, datetime) else None,
                       "previous_run": since is None}
    report["runs"] = run_figures(store)
    return report


def report_since_previous_run(store, today: date | None = None) -> DiffReport:
    """What the latest run changed: the store now against the store after the run before."""
    return report_since(store, since=None, today=today)
