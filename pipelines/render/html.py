"""The diff report as one self-contained HTML page: inline CSS, no scripts, no external
assets, so it can be mailed, archived or opened from disk as it is."""
from __future__ import annotations

from html import escape

from pipelines.render.common import (
    SECTIONS, STATE_LABELS, by_portal_and_body, cell_line, describe, run_line, since_label,
)
from pipelines.render.safe import html_href

COLOURS = {  # state → (background, text)
    "on_time": ("#2e7d32", "#fff"),
    "late": ("#f9a825", "#000"),
    "inconsistent": ("#c62828", "#fff"),
    "missing": ("#9e9e9e", "#fff"),
    "published": ("#64b5f6", "#000"),
    "not_due": ("#eceff1", "#555"),
    "none": ("#fff", "#bbb"),
}
MARKS = {"on_time": "✓", "late": "late", "inconsistent": "✗", "missing": "—",
         "published": "?", "not_due": "·", "none": ""}

CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222;max-width:1200px}
h1{font-size:1.5em;margin-bottom:.2em} h2{margin-top:1.6em;border-bottom:1px solid #ddd}
h3{margin:.9em 0 .3em;font-size:1.05em} .sub{color:#666}
.counts span{display:inline-block;margin:.2em .6em .2em 0;padding:.25em .6em;border-radius:4px;background:#f1f3f5}
table.grid{border-collapse:collapse;margin:.8em 0;font-size:.9em}
table.grid th,table.grid td{border:1px solid #ccc;padding:.3em .55em;text-align:center}
table.grid th.body,table.grid td.body{text-align:left;max-width:22em}
table.grid td.cell{min-width:3.2em;font-weight:600}
.legend span{display:inline-block;margin:.2em .5em .2em 0;padding:.15em .5em;border-radius:3px;font-size:.85em}
ul{margin:.2em 0 .6em} li{margin:.15em 0} ul.cells{font-family:ui-monospace,monospace;font-size:.88em}
.tag{display:inline-block;font-size:.78em;padding:.05em .45em;border-radius:3px;margin-right:.4em;color:#fff}
.tag.new_years{background:#2e7d32}.tag.revised{background:#1565c0}.tag.disappeared{background:#6d4c41}
.tag.overdue{background:#e65100}.tag.new_findings{background:#c62828}
"""
CSS += "".join(f"td.{k},span.{k}{{background:{bg};color:{fg}}}" for k, (bg, fg) in COLOURS.items())


def html(report: dict) -> str:
    e = escape
    c = report.get("counts") or {}
    parts = [
        "<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Annual reports: changes since {e(since_label(report))}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>政府信息公开工作年度报告 · changes since {e(since_label(report))}</h1>",
        f'<p class="sub">As of {e(str(report.get("today")))}. Deadline: 31 January of the '
        "following year (条例第五十条).</p>",
        '<p class="counts">' + "".join(
            f'<span id="count-{k}">{c.get(k, 0)} {e(title.lower())}</span>' for k, title, _ in SECTIONS
        ) + "</p>",
    ]
    parts += grid_html(report.get("grid") or {})
    parts.append('<h2 id="changes">Changes by portal and body</h2>')
    grouped = by_portal_and_body(report)
    if not grouped:
        parts.append("<p>Nothing changed.</p>")
    for portal, bodies in grouped.items():
        parts.append(f'<section class="portal"><h2>{e(portal)}</h2>')
        for body, sections in bodies.items():
            parts.append(f"<h3>{e(body)}</h3><ul>")
            for key, title, zh in SECTIONS:
                for entry in sections.get(key, []):
                    link = ""
                    if entry.get("url") and key != "overdue":
                        href = html_href(entry["url"])  # only http(s) becomes a link
                        label = e(entry.get("title") or "report")
                        link = f' <a href="{href}">{label}</a>' if href else f" {label} ({e(entry['url'])})"
                    parts.append(f'<li class="{key}"><span class="tag {key}">{e(title)} · {e(zh)}</span>'
                                 f"{e(describe(key, entry))}{link}")
                    if entry.get("cells"):
                        parts.append('<ul class="cells">' + "".join(
                            f"<li>{e(cell_line(cell))}</li>" for cell in entry["cells"]) + "</ul>")
                    parts.append("</li>")
            parts.append("</ul>")
        parts.append("</section>")
    if report.get("runs"):
        parts.append('<h2 id="runs">Latest runs</h2><ul class="runs">'
                     + "".join(f"<li>{e(run_line(r))}</li>" for r in report["runs"]) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def legend_text(state: str, label: str) -> str:
    mark = MARKS.get(state, "")
    return label if not mark or mark == label else f"{mark} {label}"


def grid_html(grid: dict) -> list[str]:
    e = escape
    years, rows = grid.get("years") or [], grid.get("rows") or []
    out = ['<h2 id="grid-title">Bodies × years</h2>',
           '<p class="legend">' + "".join(
               f'<span class="{k}">{e(legend_text(k, label))}</span>' for k, label in STATE_LABELS.items()
           ) + "</p>"]
    if not rows:
        return out + ["<p>No reports stored yet.</p>"]
    out.append('<table class="grid" id="grid"><thead><tr><th>portal</th><th class="body">body</th>'
               + "".join(f"<th>{y}</th>" for y in years) + "</tr></thead><tbody>")
    for r in rows:
        cells = []
        for y in years:
            cell = r["cells"][str(y)]
            state = cell["state"]
            tip = STATE_LABELS.get(state, state)
            if cell.get("published_date"):
                tip += f", published {cell['published_date']}"
            if cell.get("status") and cell["status"] != "valid":
                tip += f", {cell['status']}"
            if cell.get("listed") is False:
                tip += ", no longer listed"
            mark = e(MARKS.get(state, ""))
            if html_href(cell.get("url")):
                mark = f'<a href="{html_href(cell["url"])}" style="color:inherit;text-decoration:none">{mark}</a>'
            cells.append(f'<td class="cell {state}" data-year="{y}" title="{e(tip)}">{mark}</td>')
        out.append(f'<tr><td>{e(r["portal"] or "")}</td><td class="body">{e(r["body"] or "")}</td>'
                   + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return out
