"""The diff report as Markdown (what `scrapy demo` prints at its end).

Everything that comes from a portal (names, titles, URLs, messages) goes through
``pipelines.render.safe``: shown as text, never as markup; links only to http(s).
"""
from __future__ import annotations

from pipelines.render.common import SECTIONS, by_portal_and_body, cell_line, describe, run_line, since_label
from pipelines.render.safe import md_link, md_text

GRID_MARKS = {"on_time": "✓", "late": "late", "inconsistent": "✗", "missing": "—",
              "published": "?", "not_due": "·", "none": ""}


def markdown(report: dict) -> str:
    c = report.get("counts") or {}
    lines = [f"# Annual reports: changes since {md_text(since_label(report))}", "",
             f"As of {md_text(report.get('today'))}: "
             + ", ".join(f"{c.get(k, 0)} {title.lower()}" for k, title, _ in SECTIONS) + ".", ""]
    grouped = by_portal_and_body(report)
    if not grouped:
        lines += ["Nothing changed.", ""]
    for portal, bodies in grouped.items():
        lines += [f"## {md_text(portal)}", ""]
        for body, sections in bodies.items():
            lines += [f"### {md_text(body)}", ""]
            for key, title, zh in SECTIONS:
                for e in sections.get(key, []):
                    link = ""
                    if e.get("url") and key != "overdue":
                        link = " " + md_link(e["url"])
                    lines.append(f"- **{title}** ({zh}) {md_text(describe(key, e))}{link}")
                    for cell in e.get("cells") or []:
                        lines.append(f"  - {md_text(cell_line(cell))}")
            lines.append("")
    lines += grid_table(report.get("grid") or {})
    if report.get("runs"):
        lines += ["## Latest runs", ""] + [f"- {md_text(run_line(r))}" for r in report["runs"]] + [""]
    return "\n".join(lines).rstrip() + "\n"


def grid_table(grid: dict) -> list[str]:
    years, rows = grid.get("years") or [], grid.get("rows") or []
    if not rows:
        return []
    out = ["## Bodies × years", "",
           "✓ on time · late · ✗ inconsistent · — missing · ? date unknown · · not due", "",
           "| portal | body | " + " | ".join(md_text(y) for y in years) + " |",
           "|---|---|" + "---|" * len(years)]
    for r in rows:
        marks = [GRID_MARKS.get(r["cells"][str(y)]["state"], "") for y in years]
        out.append(f"| {md_text(r['portal'])} | {md_text(r['body'])} | " + " | ".join(marks) + " |")
    return out + [""]
