"""Replica of www.lyghz.gov.cn (连云港市海州区), on Lianyungang's own platform.

What it serves (see platforms/lianyungang.py for the shape):

- ``/lyghzqrmzf/zfxxgknb/`` = ``index.html``, then ``index_2.html`` …: the 政府信息公开年报
  column, newest first, ``PER_PAGE`` reports a page, a ``共N条 1/3页`` pager;
- ``/lyghzqrmzf/zfxxgknb/content/<uuid>.html``: one report, the metadata table
  (索引号 / 分类 / 发布机构 / 文号 / 成文日期 / 发布日期 / 有效性 / 名称) then the body;
- ``/lyghzqrmzf/uploadfiles/<YYYYMM>/<hex>.docx``: the Word file of the one report
  published only as an attachment (its page has no tables).

Data: the 海州区政府办公室 2020 report is the real one (seed 001, its real metadata);
every other body/year is derived from it by ``reportgen.derive`` with changed numbers
that still add up (``Report.origin`` says which). Everything is deterministic and built
once, on first request.
"""
from __future__ import annotations

import hashlib
import html
import json
import threading
from dataclasses import dataclass
from pathlib import Path

from replicas import reportgen
from replicas.server import Request, Response, Site

RECORDS = Path(__file__).resolve().parent.parent / "data" / "records"
HOST = "www.lyghz.gov.cn"
COLUMN = "/lyghzqrmzf/zfxxgknb/"
PER_PAGE = 8

# (body, organisation code used in its 索引号, years it has reports for)
BODIES = (
    ("海州区政府办公室", "01426719-5", range(2019, 2025)),
    ("海州区教育局", "01426741-1", range(2019, 2025)),
    ("海州区卫生健康委员会", "MB1H5328-2", range(2020, 2025)),
    ("海州区财政局", "01426726-8", range(2019, 2024)),
)
# the seed's page as published (seed 001): its real metadata
SEED_KEY = ("海州区政府办公室", 2020)
SEED_META = {
    "index_no": "01426719-5/2021-00030",
    "category": "综合政务/文秘工作,综合政务/机关事务 TC10",
    "publisher": "海州区人民政府",
    "doc_no": "无",
    "written_date": "2021-01-31",
    "published_date": "2021-01-31",
    "validity": "",
}
# published only as a Word attachment: the page says "see the attachment"
ATTACHMENT_ONLY = {("海州区财政局", 2019): "docx"}


@dataclass
class Report:
    body: str
    year: int
    title: str
    uuid: str
    record: dict
    metadata: dict              # item metadata keys → value as printed ("" = blank cell)
    origin: str                 # "seed 001 (the real report)" or "derived from seed 001 …"
    attachment: str | None = None   # path of the only file, when the page has no tables

    @property
    def path(self) -> str:
        return f"{COLUMN}content/{self.uuid}.html"

    @property
    def url(self) -> str:
        return f"http://{HOST}{self.path}"


def _hex(*parts) -> str:
    return hashlib.md5("/".join(map(str, ("lyghz",) + parts)).encode()).hexdigest()


def build_reports() -> list[Report]:
    """Every report of the column, newest first (as the list shows them)."""
    seed = json.loads((RECORDS / "seed_001.json").read_text("utf-8"))
    out = []
    for n, (body, code, years) in enumerate(BODIES):
        for year in years:
            h = _hex(body, year)
            if (body, year) == SEED_KEY:
                record, origin, meta = seed, "seed 001 (the real report)", dict(SEED_META)
            else:
                record = reportgen.derive(seed, year, seed=n, agency=body)  # one seed per body keeps its year-to-year chains
                origin = f"derived from seed 001 for {body} {year}, numbers changed, tables add up"
                date = f"{year + 1}-01-{10 + int(h[:4], 16) % 20:02d}"
                meta = {
                    "index_no": f"{code}/{year + 1}-{int(h[4:8], 16) % 900 + 10:05d}",
                    "category": "综合政务/政务公开 TC10",
                    "publisher": "海州区人民政府" if body == "海州区政府办公室" else body,
                    "doc_no": "无",
                    "written_date": date,
                    "published_date": date,
                    "validity": "" if body == "海州区政府办公室" else "有效",
                }
            title = record["title"]
            meta["name"] = title
            kind = ATTACHMENT_ONLY.get((body, year))
            attachment = f"/lyghzqrmzf/uploadfiles/{year + 1}01/{h[8:24]}.{kind}" if kind else None
            uuid = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
            out.append(Report(body, year, title, uuid, record, meta, origin, attachment))
    out.sort(key=lambda r: (r.metadata["published_date"], r.body), reverse=True)
    return out


# --- pages
_HEAD = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="/lyghzqrmzf/css/style.css"></head>
<body>
<div class="header"><a href="http://{host}/">海州区人民政府</a>
 <ul class="nav"><li><a href="/lyghzqrmzf/zwgk/index.html">政务公开</a></li>
 <li><a href="/lyghzqrmzf/zfxxgk/index.html">政府信息公开</a></li>
 <li><a href="{column}index.html">政府信息公开年报</a></li></ul></div>
"""
_FOOT = """<div class="footer">主办：连云港市海州区人民政府办公室 苏ICP备05007156号</div>
</body></html>"""


def list_page(reports: list[Report], page: int) -> str:
    """Page ``page`` (1-based) of the column."""
    pages = max(1, -(-len(reports) // PER_PAGE))
    rows = reports[(page - 1) * PER_PAGE: page * PER_PAGE]
    items = "\n".join(
        f'<li><a href="./content/{r.uuid}.html" target="_blank" title="{html.escape(r.title)}">'
        f'{html.escape(r.title)}</a><span class="date">{r.metadata["published_date"]}</span></li>'
        for r in rows)

    def name(i):
        return "index.html" if i == 1 else f"index_{i}.html"

    links = [f'<span>共{len(reports)}条 {page}/{pages}页</span>', f'<a href="{name(1)}">首页</a>']
    links.append(f'<a href="{name(page - 1)}">上一页</a>' if page > 1 else "<span>上一页</span>")
    links.append(f'<a href="{name(page + 1)}">下一页</a>' if page < pages else "<span>下一页</span>")
    links.append(f'<a href="{name(pages)}">尾页</a>')
    return (_HEAD.format(title="政府信息公开年报_海州区人民政府", host=HOST, column=COLUMN)
            + f'<div class="main"><div class="position">当前位置：<a href="http://{HOST}/">首页</a> &gt; 政府信息公开年报</div>\n'
            + f'<ul class="list">\n{items}\n</ul>\n<div class="pages">{" ".join(links)}</div></div>\n' + _FOOT)


def report_page(r: Report) -> str:
    m = {k: html.escape(v) for k, v in r.metadata.items()}
    table = f"""<table class="xxgk_table" border="1" cellspacing="0">
<tr><td class="label">索引号:</td><td>{m['index_no']}</td><td class="label">分类:</td><td colspan="3">{m['category']}</td></tr>
<tr><td class="label">发布机构:</td><td>{m['publisher']}</td><td class="label">文号:</td><td colspan="3">{m['doc_no']}</td></tr>
<tr><td class="label">成文日期:</td><td>{m['written_date']}</td><td class="label">发布日期:</td><td>{m['published_date']}</td><td class="label">有效性:</td><td>{m['validity']}</td></tr>
<tr><td class="label">名称:</td><td colspan="5">{m['name']}</td></tr>
</table>"""
    if r.attachment:
        name = f"{r.title}.{r.attachment.rsplit('.', 1)[-1]}"
        body = (f"<p>{html.escape(r.title)}详见附件。</p>"
                f'<p>附件：<a href="{r.attachment}">{html.escape(name)}</a></p>')
    else:
        body = reportgen.render_html(r.record)
    return (_HEAD.format(title=html.escape(r.title), host=HOST, column=COLUMN)
            + f"<!-- gxnb replica: {html.escape(r.origin)} -->\n"
            + f'<div class="main">{table}\n<div class="article"><h1 class="title">{html.escape(r.title)}</h1>\n'
            + f'<div id="zoom">{body}</div></div></div>\n' + _FOOT)


class LyghzSite(Site):
    name = "lyghz"
    hosts = (HOST, "lyghz.gov.cn")

    def __init__(self):
        self._lock = threading.Lock()
        self._reports: list[Report] | None = None
        self._cache: dict[str, Response] = {}

    @property
    def reports(self) -> list[Report]:
        with self._lock:
            if self._reports is None:
                self._reports = build_reports()
            return self._reports

    def handle(self, req: Request) -> Response | None:
        with self._lock:
            hit = self._cache.get(req.path)
        if hit is None:
            hit = self._render(req.path)
            if hit is None:
                return None
            with self._lock:
                self._cache[req.path] = hit
        return hit

    def _render(self, path: str) -> Response | None:
        reports = self.reports
        if path in (COLUMN, COLUMN + "index.html"):
            return Response(body=list_page(reports, 1))
        pages = max(1, -(-len(reports) // PER_PAGE))
        for i in range(2, pages + 1):
            if path == f"{COLUMN}index_{i}.html":
                return Response(body=list_page(reports, i))
        for r in reports:
            if path == r.path:
                return Response(body=report_page(r))
            if path == r.attachment:
                data = reportgen.render_docx(r.record) if path.endswith(".docx") else reportgen.render_pdf(r.record)
                ctype = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                         if path.endswith(".docx") else "application/pdf")
                return Response(body=data, content_type=ctype)
        return None


SITE = LyghzSite()
