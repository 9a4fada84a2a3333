"""The static site: an overview of every body (``index.html``), a page per body with its
figures year by year, charts, findings and publication dates (``bodies/<hash>.html``),
and an archived copy of each report as gxnb fetched it (``archive/<revision>/``).

Pages are Jinja2 templates (``templates/``, autoescaped: portal text is always text),
charts inline SVG, the overview's sorting and filtering a little inline script; nothing
is loaded from elsewhere, so the folder opens from disk (file://) or any static host.
"""
from __future__ import annotations

import os
import shutil
from datetime import date, datetime, timezone
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from pipelines.diff import GRID_STATES
from pipelines.extract.templates import APPLICANT_COLUMNS
from pipelines.render.charts import bar_chart, number_text
from pipelines.render.history import body_histories
from pipelines.render.labels_zh import COLUMNS, STATUS, TABLES, column_label, label, row_label
from pipelines.render.safe import safe_url

STATE_LABELS = {"on_time": "按时发布", "late": "晚于期限", "inconsistent": "数据不一致", "missing": "逾期未发布",
                "published": "已发布，日期未知", "not_due": "尚未到期", "none": "首份报告之前"}
STATE_MARKS = {"on_time": "✓", "late": "晚", "inconsistent": "✗", "missing": "缺", "published": "?",
               "not_due": "·", "none": ""}
RULES = {"row_total": "行合计不符", "outcome_total": "办理结果合计不符", "balance": "收结平衡不符",
         "group_total": "复议诉讼合计不符", "carry_over_chain": "上年结转与上年报告不衔接",
         "in_force_chain": "现行有效件数与上年不衔接", "missing": "空白单元格"}
# the file types an archived attachment keeps its extension for (so a browser opens it)
KNOWN_SUFFIXES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".txt", ".zip", ".rar",
                  ".jpg", ".jpeg", ".png", ".gif", ".html", ".htm", ".ofd"}
TYPE_SUFFIXES = {"application/pdf": ".pdf", "text/html": ".html", "application/msword": ".doc",
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
                 "image/jpeg": ".jpg", "image/png": ".png", "text/plain": ".txt"}


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                      autoescape=select_autoescape(["j2", "html"]), trim_blocks=True, lstrip_blocks=True)
    env.globals.update(pct=pct, signed_pct=signed_pct, sortnum=sortnum, num=number_text, href=safe_url,
                       label=label, state_label=lambda s: STATE_LABELS.get(s, s),
                       state_mark=lambda s: STATE_MARKS.get(s, ""), status_label=lambda s: STATUS.get(s, s or "—"),
                       rule_label=lambda r: RULES.get(r, r), timeliness_tag=timeliness_tag)
    return env


def pct(share) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def signed_pct(share) -> str:
    return "—" if share is None else f"{share * 100:+.0f}%"


def sortnum(value) -> str:
    return "" if value is None else repr(float(value))


def timeliness_tag(t: dict) -> Markup:
    if t["state"] == "on_time":
        return Markup('<span class="state on_time">按时</span>')
    if t["state"] == "late":
        return Markup('<span class="state late">晚 %d 天</span>') % t["days_late"]
    return Markup('<span class="state unknown">日期未知</span>')


def build_site(store, out_dir, today: date | None = None, downloads: list[dict] | None = None) -> Path:
    """Write the site for everything ``store`` holds now into ``out_dir``; returns the path
    of its ``index.html``. ``downloads``: ``[{"href", "label"}]`` linked from the overview."""
    today = today or date.today()
    out = Path(out_dir)
    (out / "bodies").mkdir(parents=True, exist_ok=True)
    entries = list(store.current_reports())
    histories = body_histories(entries, today)
    env = environment()
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    for h in histories:
        for rep in [*h["reports"].values(), *h["undated"],
                    *({"entry": o} for r in h["reports"].values() for o in r["others"])]:
            rep["archive"] = write_archive(env, store, rep["entry"], out, h, generated)
        write(out / "bodies" / h["page"], env.get_template("body.html.j2").render(
            generated=generated, **body_page(h)))
    write(out / "index.html", env.get_template("index.html.j2").render(
        generated=generated, **overview(histories, entries, today), downloads=downloads or []))
    return out / "index.html"


def write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# --- the overview --------------------------------------------------------------------

def overview(histories: list[dict], entries: list[dict], today: date) -> dict:
    late, inconsistent, changes = [], [], []
    for h in histories:
        ref = {"page": h["page"], "body": h["body"], "portal": h["portal"]}
        for year, rep in h["reports"].items():
            t = rep["timeliness"]
            if t["state"] == "late":
                late.append({**ref, "year": year, "published": t["published"], "days_late": t["days_late"]})
            if rep["entry"].get("status") == "inconsistent":
                errors = [f for f in (rep["entry"].get("record") or {}).get("findings") or []
                          if f.get("severity") == "error"]
                inconsistent.append({**ref, "year": year, "errors": len(errors),
                                     "first": errors[0].get("message") if errors else None})
        changes += [{**ref, **c} for c in h["changes"]]
        latest_year = h["years"][-1] if h["years"] else None
        h["latest_refusal"] = h["refusal"].get(latest_year)
        h["latest_change"] = next((c["ratio"] for c in h["changes"] if c["year"] == latest_year
                                   and c["cell"] == "applications.new_received.total"), None)
        h["problem"] = bool(h["overdue"] or h["inconsistent_years"]
                            or any(r["timeliness"]["state"] == "late" for r in h["reports"].values()))
    changes.sort(key=lambda c: (-abs(c["change"]), c["body"] or ""))
    dated = [r for h in histories for r in h["reports"].values() if r["timeliness"]["state"] != "unknown"]
    on_time = [r for r in dated if r["timeliness"]["state"] == "on_time"]
    years = sorted({y for h in histories for y in h["states"]}, key=int)
    overdue = [{**h["overdue"], "page": h["page"]} for h in histories if h["overdue"]]
    return {
        "by_portal": portal_summary(histories),
        "today": today.isoformat(), "bodies": histories, "portals": sorted({h["portal"] or "" for h in histories}),
        "n_reports": len(entries), "years": years, "states": GRID_STATES,
        "on_time_share": len(on_time) / len(dated) if dated else None,
        "overdue": overdue, "late": sorted(late, key=lambda r: -r["days_late"]),
        "inconsistent": inconsistent, "changes": changes[:20],
        "gone": sum(1 for e in entries if e.get("listed") is False),
    }


def portal_summary(histories: list[dict]) -> list[dict]:
    """Per portal: bodies, reports, shares on time and consistent, bodies overdue."""
    out = []
    for portal in sorted({h["portal"] or "" for h in histories}):
        hs = [h for h in histories if (h["portal"] or "") == portal]
        reps = [r for h in hs for r in [*h["reports"].values(), *h["undated"]]]
        dated = [r for r in reps if r["timeliness"]["state"] != "unknown"]
        parsed = [r for r in reps if r["entry"].get("status") not in (None, "unparsed")]
        out.append({"portal": portal, "bodies": len(hs), "reports": len(reps),
                    "on_time": len([r for r in dated if r["timeliness"]["state"] == "on_time"]) / len(dated)
                    if dated else None,
                    "consistent": len([r for r in parsed if r["entry"].get("status") == "valid"]) / len(parsed)
                    if parsed else None,
                    "overdue": len([h for h in hs if h["overdue"]])})
    return out


# --- a body's page --------------------------------------------------------------------

def body_page(h: dict) -> dict:
    records = {y: r["entry"].get("record") or {} for y, r in h["reports"].items()}
    values = {y: flat_values(rec) for y, rec in records.items()}
    provenance = {y: rec.get("provenance") or {} for y, rec in records.items()}
    tables = []
    for table, title in TABLES.items():
        rows = [r for r in h["rows"] if r["table"] == table]
        if table == "applications":  # the totals here; each applicant column per year below
            rows = [dict(r, path=f"applications.{r['row']}.total") for r in rows if r["column"] == "total"]
        if rows:
            tables.append({"key": table, "title": title + ("（总计列）" if table == "applications" else ""),
                           "rows": [dict(r, label=row_label(r["table"], r["row"])
                                         + (f"·{column_label(r['table'], r['column'])}"
                                            if r["column"] and table != "applications" else ""))
                                    for r in rows]})
    app_rows = []
    seen = set()
    for r in h["rows"]:
        if r["table"] == "applications" and r["row"] not in seen:
            seen.add(r["row"])
            app_rows.append({"path": f"applications.{r['row']}", "label": row_label("applications", r["row"])})
    applicant_tables = [(y, app_rows) for y in h["years"] if records[y].get("applications")]
    return {
        "b": h, "tables": tables, "applicant_tables": applicant_tables,
        "applicant_columns": [{"key": c, "label": COLUMNS["applications"][c]} for c in APPLICANT_COLUMNS],
        "charts": [(title, Markup(bar_chart(title, series))) for title, series in h["series"]
                   if any(v is not None for v in series.values())],
        "value": lambda y, path: values.get(y, {}).get(path),
        "has": lambda y, path: path in values.get(y, {}),  # absent: not in that year's template
        "prov": lambda y, path: provenance_text(provenance.get(y, {}).get(path)),
    }


def flat_values(record: dict) -> dict:
    from pipelines.store.cells import flatten

    return {f"{t}.{r}.{c}" if c else f"{t}.{r}": v for t, r, c, v in flatten(record)}


def provenance_text(p: dict | None) -> str | None:
    """Where a number was read, for the cell's tooltip."""
    if not isinstance(p, dict):
        return None
    file = p.get("file")
    bits = ["读自报告页面" if file == "page" else f"读自附件 {file}" if file else ""]
    if p.get("page"):
        bits.append(f"第{p['page']}页")
    if p.get("locator") and p.get("page"):  # a PDF or scan: where on the page, in points
        bits.append(f"位置 {p['locator']}")
    if p.get("method"):
        bits.append({"label": "按行列标签读取", "position_checked": "按位置读取并经合计核对",
                     "ocr": "OCR识别"}.get(p["method"], str(p["method"])))
    if p.get("note"):
        bits.append(f"注：{p['note']}")
    return "，".join(b for b in bits if b) or None


# --- archived copies -----------------------------------------------------------------

def write_archive(env, store, entry: dict, out: Path, h: dict, generated: str) -> str | None:
    """Copy a revision's page and attachments (the raw archive's bytes) into
    ``archive/<revision>/`` under names gxnb chooses, with a page that lists them and
    shows the report page sandboxed; returns the page's path relative to ``out``."""
    rev = entry.get("revision_id")
    if rev is None:
        return None
    folder = out / "archive" / str(int(rev))
    folder.mkdir(parents=True, exist_ok=True)
    files, page_text = [], None
    for f in store.fetched_files(rev):
        name = None
        if f.get("sha256") and f.get("path") and Path(f["path"]).exists():
            suffix = ".html" if f["role"] == "body" else file_suffix(f.get("url"), f.get("content_type"))
            name = f"{'page' if f['role'] == 'body' else 'file'}-{f['position']}{suffix}"
            place(Path(f["path"]), folder / name)
            if f["role"] == "body":
                page_text = Path(f["path"]).read_bytes().decode(f.get("encoding") or "utf-8", errors="replace")
        files.append({**f, "href": name, "size": (folder / name).stat().st_size if name else None,
                      "label": ("报告页面（原始字节）" if f["role"] == "body" else f.get("name") or f"附件 {f['position']}")})
    write(folder / "index.html", env.get_template("archive.html.j2").render(
        generated=generated, e=entry, files=files, page_text=page_text, body=h["body"], body_page=h["page"]))
    return f"archive/{int(rev)}/index.html"


def file_suffix(url: str | None, content_type: str | None) -> str:
    """An extension a browser understands, from the URL's path or else the content type."""
    try:
        suffix = PurePosixPath(urlsplit(url or "").path).suffix.lower()
    except ValueError:
        suffix = ""
    if suffix in KNOWN_SUFFIXES:
        return suffix
    return TYPE_SUFFIXES.get((content_type or "").split(";")[0].strip().lower(), ".bin")


def place(src: Path, dst: Path) -> None:
    """The raw file at ``dst``: a hard link where the file system allows, else a copy."""
    if dst.exists() and dst.stat().st_size == src.stat().st_size:
        return
    dst.unlink(missing_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


# --- the whole folder ------------------------------------------------------------------

def write_site(store, out_dir, today: date | None = None, database_name: str = "gxnb") -> Path:
    """The site with its downloads (``data/``: the wide table as CSV, JSON Lines and, with
    pyarrow, Parquet) and datasette's metadata; returns the path of ``index.html``."""
    import json

    from pipelines.render import datasette, wide

    out = Path(out_dir)
    data = out / "data"
    data.mkdir(parents=True, exist_ok=True)
    columns, rows = wide.table(store.current_reports())
    with open(data / "reports.csv", "w", encoding="utf-8-sig", newline="") as fh:
        wide.write_csv(columns, rows, fh)
    with open(data / "reports.jsonl", "w", encoding="utf-8") as fh:
        wide.write_jsonl(columns, rows, fh)
    downloads = [{"href": "data/reports.csv", "label": "CSV"}, {"href": "data/reports.jsonl", "label": "JSON Lines"}]
    try:
        wide.write_parquet(columns, rows, data / "reports.parquet")
        downloads.append({"href": "data/reports.parquet", "label": "Parquet"})
    except RuntimeError:  # pyarrow is optional
        pass
    write(out / "datasette-metadata.json",
          json.dumps(datasette.metadata(database_name), ensure_ascii=False, indent=2) + "\n")
    return build_site(store, out, today, downloads)
