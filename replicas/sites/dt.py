"""Replica of www.dt.gov.cn (大同市), TRS-style static pages, every page served as GBK.

What it serves (see platforms/trs.py for the shape):

- ``/dtszf/gkndbgz/index.shtml``, ``index_1.shtml`` …: the annual-report column (reports
  on 2021 onwards), paged by the newer ``createPageHTML('page_div', count, current,
  'index', 'shtml', records)`` (1-based);
- ``/dtszf/zfxxgkndbg/index.shtml``, ``index_1.shtml`` …: the older column (2019, 2020),
  paged by the older ``createPageHTML(count, current, "index", "shtml")`` (0-based);
- ``/dtszf/<column>/<YYYYMM>/<32 hex>.shtml``: one report, the metadata block
  (索引号 / 信息分类 / 发布机构 / 发布日期 / 标题 / 文号 / 时效), the body in
  ``.TRS_Editor``, and a 繁體 link to the same page with ``?lang=tw`` (the seed's
  traditional text, ``render_html(record, traditional=True)``);
- ``/dtszf/<column>/<YYYYMM>/P0<digits>.pdf``: the PDF of the one report published only
  as an attachment (its page has no tables).

Data: the 大同市人民政府办公室 2022 report is the real one (seed 002); every other
body/year is derived from it by ``reportgen.derive`` with changed numbers that still add
up (``Report.origin`` says which). Deterministic, built once, on first request.
"""
from __future__ import annotations

import hashlib
import html
import json
import threading
from dataclasses import dataclass
from pathlib import Path

import opencc

from replicas import reportgen
from replicas.server import Request, Response, Site

RECORDS = Path(__file__).resolve().parent.parent / "data" / "records"
HOST = "www.dt.gov.cn"
GBK = "text/html; charset=gbk"
NEW_COLUMN, OLD_COLUMN = "/dtszf/gkndbgz/", "/dtszf/zfxxgkndbg/"
PER_PAGE = 6

# (body, its 统一社会信用代码 as used in 索引号, years it has reports for)
BODIES = (
    ("大同市人民政府办公室", "11140200012453971R", range(2019, 2025)),
    ("大同市人民政府", "11140200012453869Q", range(2019, 2025)),
    ("大同市教育局", "111402000124538265", range(2019, 2025)),
    ("大同市财政局", "11140200012453842X", range(2019, 2025)),
)
SEED_KEY = ("大同市人民政府办公室", 2022)
SEED_PUBLISHED = "2023-01-20"   # the seed report is signed 2023年1月20日
ATTACHMENT_ONLY = {("大同市财政局", 2019): "pdf"}

_t2s, _s2t = opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


@dataclass
class Report:
    body: str
    year: int
    title: str                  # simplified, as the list and the page show it
    column: str
    path: str
    record: dict
    metadata: dict              # item metadata keys → value as printed
    origin: str
    attachment: str | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}{self.path}"


def _hex(*parts) -> str:
    return hashlib.md5("/".join(map(str, ("dt",) + parts)).encode()).hexdigest()


def build_reports() -> list[Report]:
    """Every report of both columns, newest first."""
    seed = json.loads((RECORDS / "seed_002.json").read_text("utf-8"))
    out = []
    for n, (body, code, years) in enumerate(BODIES):
        for year in years:
            h = _hex(body, year)
            if (body, year) == SEED_KEY:
                record, origin, date = seed, "seed 002 (the real report)", SEED_PUBLISHED
            else:
                record = reportgen.derive(seed, year, seed=n, agency=body)  # one seed per body keeps its year-to-year chains
                origin = f"derived from seed 002 for {body} {year}, numbers changed, tables add up"
                date = f"{year + 1}-01-{10 + int(h[:4], 16) % 20:02d}"
            title = _t2s.convert(record["title"])  # the seed's title is the 繁體 one
            column = NEW_COLUMN if year >= 2021 else OLD_COLUMN
            folder = f"{column}{date[:4]}{date[5:7]}/"
            meta = {
                "index_no": f"{code}/{year + 1}-{int(h[4:8], 16) % 900 + 10:05d}",
                "category": "政务公开/政府信息公开年报",
                "publisher": body,
                "published_date": date,
                "name": title,
                "doc_no": "无",
                "validity": "有效",
            }
            kind = ATTACHMENT_ONLY.get((body, year))
            digits = str(int(h[8:20], 16))[:12].rjust(12, "0")
            attachment = f"{folder}P0{date.replace('-', '')}{digits}.{kind}" if kind else None
            out.append(Report(body, year, title, column, f"{folder}{h}.shtml", record, meta, origin, attachment))
    out.sort(key=lambda r: (r.metadata["published_date"], r.body), reverse=True)
    return out


# --- pages
def _page(title: str, main: str, *, extra_head: str = "", lang_link: str = "") -> str:
    return f"""<!DOCTYPE html>
<html><head><meta charset="gbk"><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>{title}</title>{extra_head}
<script type="text/javascript" src="/dtszf/images/createPageHTML.js"></script></head>
<body>
<div class="top"><a href="http://{HOST}/">大同市人民政府门户网站</a> {lang_link}
 <a href="/dtszf/zwgk/">政务公开</a> <a href="{NEW_COLUMN}index.shtml">政府信息公开年度报告</a></div>
{main}
<div class="footer">主办：大同市人民政府办公室 晋ICP备05001528号 晋公网安备14020002000138号</div>
</body></html>"""


def home_page() -> str:
    """The portal's home page: its 政务公开 block links both annual-report columns
    (the generic spider starts here; the site spider goes to the columns directly)."""
    return _page("大同市人民政府门户网站", f"""<div class="zwgk"><h3>政务公开</h3><ul>
<li><a href="/dtszf/zwgk/">政府信息公开指南</a></li>
<li><a href="{NEW_COLUMN}index.shtml">政府信息公开年度报告</a></li>
<li><a href="{OLD_COLUMN}index.shtml">政府信息公开年度报告（2020年及以前）</a></li></ul></div>
<div class="news"><h3>大同要闻</h3><ul><li><a href="/dtszf/dtyw/">市政府召开常务会议</a></li></ul></div>""")


def list_page(reports: list[Report], column: str, page: int) -> str:
    """Page ``page`` (0-based: 0 = index.shtml) of a column."""
    rows = [r for r in reports if r.column == column]
    count = max(1, -(-len(rows) // PER_PAGE))
    items = "\n".join(
        f'<li><a href="./{r.path[len(column):]}" target="_blank" title="{html.escape(r.title)}">'
        f'{html.escape(r.title)}</a><span>{r.metadata["published_date"]}</span></li>'
        for r in rows[page * PER_PAGE:(page + 1) * PER_PAGE])
    if column == NEW_COLUMN:
        pager = f"<div id=\"page_div\"></div><script>createPageHTML('page_div', {count}, {page + 1}, 'index', 'shtml', {len(rows)});</script>"
    else:
        pager = f'<div class="page"><script language="JavaScript">createPageHTML({count}, {page}, "index", "shtml");</script></div>'
    return _page("政府信息公开年度报告_大同市人民政府门户网站",
                 f'<div class="list"><ul>\n{items}\n</ul>\n{pager}</div>')


def report_page(r: Report, traditional: bool = False) -> str:
    tw = _s2t.convert if traditional else (lambda s: s)
    m = {k: html.escape(v) for k, v in r.metadata.items()}
    block = tw(f"""<div class="xxgk_info"><table class="xxgk_table">
<tr><td class="t1">索&nbsp;引&nbsp;号：</td><td>{m['index_no']}</td><td class="t1">信息分类：</td><td>{m['category']}</td></tr>
<tr><td class="t1">发布机构：</td><td>{m['publisher']}</td><td class="t1">发布日期：</td><td>{m['published_date']}</td></tr>
<tr><td class="t1">标&nbsp;&nbsp;&nbsp;&nbsp;题：</td><td colspan="3">{m['name']}</td></tr>
<tr><td class="t1">文&nbsp;&nbsp;&nbsp;&nbsp;号：</td><td>{m['doc_no']}</td><td class="t1">时&nbsp;&nbsp;&nbsp;&nbsp;效：</td><td>{m['validity']}</td></tr>
</table></div>""")
    title = html.escape(tw(r.title))
    files = ""
    if r.attachment:
        name = html.escape(tw(f"{r.title}.{r.attachment.rsplit('.', 1)[-1]}"))
        body = f"<p>{html.escape(tw(r.title))}{tw('详见附件')}。</p>"
        files = f'<div class="fj">{tw("附件")}：<a href="./{r.attachment.rsplit("/", 1)[-1]}">{name}</a></div>'
    else:
        body = reportgen.render_html(r.record, traditional=traditional)
    lang = ('<a href="?" id="jianti">简体</a>' if traditional else '<a href="?lang=tw" id="fanti">繁體</a>')
    head = (f'\n<meta name="ArticleTitle" content="{title}">'
            f'\n<meta name="PubDate" content="{r.metadata["published_date"]} 09:30">')
    main = (f"<!-- gxnb replica: {html.escape(r.origin)} -->\n{block}\n"
            f'<div class="article"><h1>{title}</h1>\n<div class="TRS_Editor">{body}</div>\n{files}</div>')
    return _page(f"{title}_{tw('大同市人民政府门户网站')}", main, extra_head=head, lang_link=lang)


class DtSite(Site):
    name = "dt"
    hosts = (HOST, "dt.gov.cn")

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
        key = req.path + ("?tw" if req.arg("lang") == "tw" else "")
        with self._lock:
            hit = self._cache.get(key)
        if hit is None:
            hit = self._render(req.path, key.endswith("?tw"))
            if hit is None:
                return None
            with self._lock:
                self._cache[key] = hit
        return hit

    def _render(self, path: str, traditional: bool) -> Response | None:
        reports = self.reports
        if path in ("/", "/index.shtml", "/index.html"):   # added for the generic spider (GENERIC)
            return Response(body=home_page(), content_type=GBK)
        for column in (NEW_COLUMN, OLD_COLUMN):
            count = max(1, -(-sum(r.column == column for r in reports) // PER_PAGE))
            if path == column or path == column + "index.shtml":
                return Response(body=list_page(reports, column, 0), content_type=GBK)
            for i in range(1, count):
                if path == f"{column}index_{i}.shtml":
                    return Response(body=list_page(reports, column, i), content_type=GBK)
        for r in reports:
            if path == r.path:
                return Response(body=report_page(r, traditional), content_type=GBK)
            if path == r.attachment:
                if path.endswith(".pdf"):
                    return Response(body=reportgen.render_pdf(r.record), content_type="application/pdf")
                return Response(body=reportgen.render_docx(r.record), content_type=(
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
        return None


SITE = DtSite()
