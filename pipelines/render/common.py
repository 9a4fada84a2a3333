"""What the Markdown and HTML renderers share: grouping and wording."""
from __future__ import annotations

SECTIONS = (
    ("new_years", "New years", "新增年度报告"),
    ("revised", "Revised", "内容修订"),
    ("disappeared", "Disappeared", "已从列表消失"),
    ("overdue", "Overdue", "逾期未发布"),
    ("new_findings", "New findings", "新增校验问题"),
)

STATE_LABELS = {
    "on_time": "on time",
    "late": "late",
    "inconsistent": "inconsistent",
    "missing": "missing",
    "published": "published, date unknown",
    "not_due": "not due yet",
    "none": "before first report",
}


def by_portal_and_body(report: dict) -> dict[str, dict[str, dict[str, list]]]:
    """{portal: {body: {section key: [entries]}}}, portals and bodies sorted."""
    out: dict[str, dict[str, dict[str, list]]] = {}
    for key, _, _ in SECTIONS:
        for entry in report.get(key) or []:
            body = out.setdefault(entry.get("portal") or "?", {}).setdefault(entry.get("body") or "?", {})
            body.setdefault(key, []).append(entry)
    return {p: dict(sorted(bodies.items())) for p, bodies in sorted(out.items())}


def timeliness(entry: dict) -> str:
    if entry.get("on_time") is True:
        return "on time"
    if entry.get("on_time") is False:
        return f"late (deadline {entry.get('deadline')})"
    return "publication date unknown"


def value(v) -> str:
    return "blank" if v is None else str(v)


def describe(key: str, e: dict) -> str:
    """One line of plain text for one entry of section ``key``."""
    year = e.get("year")
    if key == "new_years":
        return f"{year}: published {e.get('published_date') or '?'}, {timeliness(e)}"
    if key == "revised":
        n = len(e.get("cells") or [])
        status = ""
        if e.get("old_status") != e.get("new_status"):
            status = f"; status {e.get('old_status')} → {e.get('new_status')}"
        return f"{year}: {n} cell{'s' if n != 1 else ''} changed{status}"
    if key == "disappeared":
        return f"{year}: no longer listed (kept in the database, marked gone)"
    if key == "overdue":
        years = ", ".join(map(str, e.get("missing_years") or [year]))
        return (f"no report for {years} (last published: {e.get('last_published_year')}; "
                f"due {e.get('deadline')})")
    if key == "new_findings":
        where = ".".join(x for x in (e.get("table"), e.get("row"), e.get("column")) if x)
        return f"{year}: [{e.get('severity')}] {e.get('rule')} {where}: {e.get('message')}"
    return str(e)


def cell_line(c: dict) -> str:
    return f"{c['cell']}: {value(c.get('old'))} → {value(c.get('new'))}"


def run_line(run: dict) -> str:
    """``dt: run 4 finished 2026-01-02T03:14:05, requests 10, items 3 (new 3), errors 0, …``;
    a figure the run did not keep (stored before it was counted) is left out."""
    out = [f"run {run.get('run_id')} {run.get('finish_reason') or 'not finished'}"
           + (f" {run['finished_at']}" if run.get("finished_at") else "")]
    if run.get("requests") is not None:
        out.append(f"requests {run['requests']}")
    if run.get("items") is not None:
        detail = ", ".join(f"{k} {run[k]}" for k in ("new", "revised", "unchanged") if run.get(k))
        out.append(f"items {run['items']}" + (f" ({detail})" if detail else ""))
    if run.get("errors") is not None:
        out.append(f"errors {run['errors']}")
    if run.get("browser_timeouts") is not None:
        out.append(f"browser pages timed out {run['browser_timeouts']}")
    return f"{run.get('portal')}: " + ", ".join(out)


def since_label(report: dict) -> str:
    since = report.get("since") or {}
    if since.get("run_id") is not None:
        return f"run {since['run_id']}" + (f" ({since['at']})" if since.get("at") else "")
    if since.get("at"):
        return str(since["at"])
    if since.get("previous_run"):
        return "the previous run"
    return "an empty database"
