"""Replica machinery shared by Hanweb (大汉) portals: JCMS column + dataproxy.jsp, JCMS
articles, the ``xxgk`` module's annual-report pages and 年报 unit navigation, attachments.

A site module (sites/laiyang.py, sites/muping.py) describes its portal and its reports
(``HanwebSite`` subclass with ``build_reports``); this module renders every page the way
platforms/hanweb.py documents them. Pages are rendered on first request and cached.
"""
from __future__ import annotations

import hashlib
import html
import threading
from dataclasses import dataclass
from urllib.parse import quote

from replicas import reportgen
from replicas.server import Request, Response, Site

XXGK_REPORT = "/module/xxgk/xxgkAnnualReport.jsp"
DATAPROXY = "/module/web/jpage/dataproxy.jsp"

# 统一社会信用代码 (GB 32100) and its embedded 组织机构代码 (GB 11714) check characters
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code(region: str, serial: int) -> str:
    """A well-formed 统一社会信用代码 of a 机关 (``11``) in ``region`` (6 digits), both check
    characters computed as the standards say: ``credit_code("370682", 4276012)`` style."""
    org8 = f"00{serial % 1_000_000:06d}"
    c = 11 - sum(int(ch, 36) * w for ch, w in zip(org8, [3, 7, 9, 10, 5, 8, 4, 2])) % 11
    org9 = org8 + {10: "X", 11: "0"}.get(c, str(c))
    s17 = "11" + region + org9
    c = 31 - sum(_USCC_CHARS.index(ch) * w for ch, w in zip(s17, _USCC_WEIGHTS)) % 31
    return s17 + _USCC_CHARS[0 if c == 31 else c]


def digest(*parts) -> str:
    return hashlib.md5("/".join(map(str, parts)).encode()).hexdigest()


@dataclass
class Report:
    body: str                 # reporting body as the portal names it
    area: str                 # xxgk unit code
    year: int
    record: dict              # the canonical record the page is rendered from
    origin: str               # "seed 000 (the real report)" or "derived from seed 000 …"
    published: str            # 发布时间 "YYYY-MM-DD HH:MM:SS"
    page: str                 # path (+query) of the report page on the portal
    pdf: str                  # path of the PDF of the same report
    pdf_only: bool = False    # the page carries only the PDF link, no tables
    show_type: str | None = None

    @property
    def title(self) -> str:
        return self.record["title"]

    @property
    def is_article(self) -> bool:
        return self.page.startswith("/art/")


def xxgk_page(area: str, year: int | None = None, show_type: str | None = None) -> str:
    q = f"area={area}" + (f"&fbtime={year}" if year else "") + (f"&showType={show_type}" if show_type else "")
    return f"{XXGK_REPORT}?{q}"


def article_page(column_id: int, published: str, n: int) -> str:
    y, m, d = (int(x) for x in published[:10].split("-"))
    return f"/art/{y}/{m}/{d}/art_{column_id}_{n}.html"


# --- page skeleton
_HEAD = """<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="SiteName" content="{site}">
<meta name="SiteDomain" content="{host}">
{meta}<title>{title}</title>
<link rel="stylesheet" href="/images/{webid}/style.css">
<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script>
</head>
<body>
<div class="head"><div class="logo"><a href="/">{site}</a></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/col/col{col}/index.html">政府信息公开年报</a></li></ul></div>
"""
_FOOT = """<div class="foot">主办：{site}办公室 &nbsp; 网站标识码：{webid:04d}000001 &nbsp; 技术支持：大汉网络</div>
</body></html>"""


class HanwebSite(Site):
    """One Hanweb portal. Subclasses set the class attributes and ``build_reports``."""

    site_title = ""              # 莱阳市人民政府
    webid = 1
    column_id = 0                # the 政府信息公开年报 column (/col/col<id>/index.html), 0 = none
    unit_id = 0                  # the jpage unit holding the column's list
    column_name = "政府信息公开年报"
    perpage, groupsize = 15, 3
    # records the column page embeds: real columns embed 15, 45, 60 … whatever their jpage
    # call says (None: one group, perpage × groupsize)
    embedded: int | None = None
    units_path: str | None = None    # xxgk 年报 navigation page listing the units, if any
    gbk_until = "2020"               # articles published up to this year are served in GBK

    def __init__(self):
        self._lock = threading.Lock()
        self._reports: list[Report] | None = None
        self._cache: dict[str, Response] = {}

    def build_reports(self) -> list[Report]:
        raise NotImplementedError

    @property
    def reports(self) -> list[Report]:
        """Every report, newest first (as the column lists them)."""
        with self._lock:
            if self._reports is None:
                reports = self.build_reports()
                reports.sort(key=lambda r: (r.published, r.body), reverse=True)
                self._reports = reports
            return self._reports

    def units(self) -> list[tuple[str, str, str | None]]:
        """(body, area, showType) of every unit, in the order the portal lists them."""
        seen, out = set(), []
        for r in sorted(self.reports, key=lambda r: self._unit_order(r.body)):
            if r.area not in seen:
                seen.add(r.area)
                out.append((r.body, r.area, r.show_type))
        return out

    def _unit_order(self, body: str) -> int:
        return 0

    # --- dispatch
    def handle(self, req: Request) -> Response | None:
        if req.path == DATAPROXY:  # answers depend on the form: not cached
            return self.dataproxy(req)
        key = req.path
        if req.path == XXGK_REPORT:
            key += f"?area={req.arg('area', '')}&fbtime={req.arg('fbtime', '')}"
        with self._lock:
            hit = self._cache.get(key)
        if hit is None:
            hit = self._render(req)
            if hit is None:
                return None
            with self._lock:
                self._cache[key] = hit
        return hit

    def _render(self, req: Request) -> Response | None:
        path = req.path
        if path in ("/", "/index.html"):
            return Response(body=self.home_page())
        if self.column_id and path in (f"/col/col{self.column_id}/index.html", f"/col/col{self.column_id}/"):
            return Response(body=self.column_page())
        if self.units_path and path == self.units_path:
            return Response(body=self.units_page())
        if path == XXGK_REPORT:
            return self.xxgk_response(req.arg("area"), req.arg("fbtime"))
        for r in self.reports:
            if r.page == path:
                return self.article_response(r)
            if r.pdf == path:
                return Response(body=reportgen.render_pdf(r.record), content_type="application/pdf")
        return None

    # --- pages
    def head(self, title: str, meta: str = "") -> str:
        return _HEAD.format(site=self.site_title, host=self.hosts[0], meta=meta, title=html.escape(title),
                            webid=self.webid, col=self.column_id)

    def foot(self) -> str:
        return _FOOT.format(site=self.site_title, webid=self.webid)

    def home_page(self) -> str:
        links = f'<li><a href="/col/col{self.column_id}/index.html">政府信息公开年报</a></li>' if self.column_id else ""
        if self.units_path:
            links += f'<li><a href="{self.units_path}">政府信息公开年报（按单位）</a></li>'
        return self.head(self.site_title) + f'<div class="main"><ul class="zwgk">{links}</ul></div>\n' + self.foot()

    def record_li(self, r: Report) -> str:
        return (f'<li><a href="{html.escape(r.page)}" title="{html.escape(r.title)}" target="_blank">'
                f'{html.escape(r.title)}</a><span class="bt-data-time">{r.published[:10]}</span></li>')

    def datastore(self, records: list[Report], total: int | None = None) -> str:
        """The ``<datastore>`` XML: nextgroup link, the records as CDATA, totals when given."""
        nextgroup = (f'{DATAPROXY}?page=1&appid=1&webid={self.webid}&path=/&columnid={self.column_id}'
                     f'&unitid={self.unit_id}&webname={quote(self.site_title)}&permissiontype=0')
        recs = "\n".join(f"<record><![CDATA[\n{self.record_li(r)}\n]]></record>" for r in records)
        tail = ""
        if total is not None:
            tail = f"<totalrecord>{total}</totalrecord><totalpage>{-(-total // self.perpage)}</totalpage>"
        return (f'<datastore>\n<nextgroup><![CDATA[<a href="{nextgroup}"></a>]]></nextgroup>\n'
                f"<recordset>\n{recs}\n</recordset>\n{tail}</datastore>")

    def column_page(self) -> str:
        reports = self.reports
        first = reports[: self.embedded or self.perpage * self.groupsize]
        script = f"""<script type="text/javascript">
$(function(){{
  $('#{self.unit_id}').jpage({{
    dataStore: $('#{self.unit_id} script[type="text/xml"]').html(),
    basePath: '/module/web/jpage/',
    proxyUrl: '{DATAPROXY}',
    perPage: {self.perpage}, groupSize: {self.groupsize}, totalRecord: {len(reports)},
    barPosition: 'bottom', ajaxParam: {{ col: 1, webid: {self.webid}, columnid: {self.column_id}, unitid: {self.unit_id} }}
  }});
}});
</script>"""
        return (self.head(f"{self.column_name} {self.site_title}", f'<meta name="ColumnName" content="{self.column_name}">\n')
                + f'<div class="main"><div class="position">当前位置：<a href="/">首页</a> &gt; '
                f'<a href="/col/col{self.column_id}/index.html">{self.column_name}</a></div>\n'
                f'<div class="list" id="{self.unit_id}"><script type="text/xml">{self.datastore(first)}</script></div>\n'
                f'{script}\n<script type="text/javascript" src="/module/web/jpage/jpage.js"></script></div>\n'
                + self.foot())

    def dataproxy(self, req: Request) -> Response:
        """POST dataproxy.jsp: records startrecord…endrecord; a group after the first also
        repeats the record before it, as the real one does at group edges."""
        if req.method != "POST":
            return Response(405, "<html><body>Method Not Allowed</body></html>")
        if (req.arg("columnid") != str(self.column_id) or req.arg("unitid") != str(self.unit_id)
                or req.arg("webid") != str(self.webid)):
            return Response(body="<datastore><recordset></recordset><totalrecord>0</totalrecord>"
                                 "<totalpage>0</totalpage></datastore>", content_type="text/xml; charset=UTF-8")
        reports = self.reports
        try:
            start = max(int(req.query.get("startrecord", ["1"])[0]), 1)
            end = int(req.query.get("endrecord", [str(start + self.perpage * self.groupsize - 1)])[0])
        except ValueError:
            return Response(400, "bad startrecord/endrecord", "text/plain; charset=UTF-8")
        rows = reports[start - 1: end]
        if start > 1 and start - 2 < len(reports):
            rows = [reports[start - 2]] + rows
        return Response(body=self.datastore(rows, len(reports)), content_type="text/xml; charset=UTF-8")

    def units_page(self) -> str:
        """The xxgk 年报 navigation: every reporting unit, each linking to its reports."""
        lis = "\n".join(
            f'<li><a href="{html.escape(xxgk_page(area, show_type=st))}" title="{html.escape(body)}">'
            f'{html.escape(body)}</a></li>' for body, area, st in self.units())
        return (self.head(f"政府信息公开年报 {self.site_title}")
                + f'<div class="main xxgk"><div class="xxgk_nav"><h2>政府信息公开年报</h2>\n'
                f'<ul class="unit-list">\n{lis}\n</ul></div></div>\n' + self.foot())

    def xxgk_response(self, area: str | None, fbtime: str | None) -> Response:
        mine = [r for r in self.reports if r.area == area]
        if not mine:
            return Response(body=self.head("政府信息公开年报") + '<div class="xxgk_nb">暂无信息</div>' + self.foot())
        report = mine[0]  # without fbtime: the newest report
        if fbtime:
            report = next((r for r in mine if str(r.year) == fbtime), None)
        years = "".join(
            f'<a href="{html.escape(xxgk_page(area, r.year, r.show_type))}"'
            f'{" class=on" if report is r else ""}>{r.year}年</a>' for r in mine)
        nav = f'<div class="nb-years"><span>年度：</span>{years}</div>'
        if report is None:
            return Response(body=self.head("政府信息公开年报") + f'<div class="xxgk_nb">{nav}<p>暂无信息</p></div>'
                            + self.foot())
        page = (self.head(report.title) + f"<!-- gxnb replica: {html.escape(report.origin)} -->\n"
                f'<div class="main xxgk"><div class="xxgk_nb">\n{nav}\n'
                f'<div class="nb-title"><h1>{html.escape(report.title)}</h1></div>\n'
                f'<div class="nb-time">发布时间:{report.published}</div>\n'
                f'<div class="nb-content" id="xxgk_content">\n{self.report_body(report)}\n</div>\n'
                f'<div class="nb-attach">附件：<a href="{report.pdf}" target="_blank">'
                f'{html.escape(report.title)}.pdf</a></div>\n</div></div>\n' + self.foot())
        return Response(body=page)

    def report_body(self, r: Report) -> str:
        if r.pdf_only:
            return (f'<p style="text-indent:2em">{html.escape(r.title)}全文见附件。</p>')
        return reportgen.render_html(r.record)

    def article_response(self, r: Report) -> Response:
        """A JCMS article; the older ones still in GBK, as older Hanweb pages are."""
        page = self.article(r)
        if r.published[:4] <= self.gbk_until:
            page = page.replace('content="text/html; charset=UTF-8"', 'content="text/html; charset=GBK"')
            return Response(body=page, content_type="text/html; charset=GBK")
        return Response(body=page)

    def article(self, r: Report) -> str:
        pub = r.published[:16]
        meta = (f'<meta name="ColumnName" content="{self.column_name}">\n'
                f'<meta name="ArticleTitle" content="{html.escape(r.title)}">\n'
                f'<meta name="PubDate" content="{pub}">\n'
                f'<meta name="ContentSource" content="{html.escape(r.body)}">\n')
        return (self.head(r.title, meta) + f"<!-- gxnb replica: {html.escape(r.origin)} -->\n"
                f'<div class="main"><div class="position">当前位置：<a href="/">首页</a> &gt; '
                f'<a href="/col/col{self.column_id}/index.html">{self.column_name}</a></div>\n'
                f'<div class="article"><h1 class="title">{html.escape(r.title)}</h1>\n'
                f'<div class="info"><span>发布日期：{pub}</span> <span>信息来源：{html.escape(r.body)}</span></div>\n'
                f'<div id="zoom">\n{self.report_body(r)}\n'
                f'<p>附件：<a href="{r.pdf}">{html.escape(r.title)}.pdf</a></p>\n</div></div></div>\n'
                + self.foot())


def published_at(year: int, key: str, *, day_range=(8, 28)) -> str:
    """A deterministic 发布时间 in January of ``year``+1 (the 条例's deadline month)."""
    h = int(digest(key, year)[:8], 16)
    day = day_range[0] + h % (day_range[1] - day_range[0] + 1)
    return f"{year + 1}-01-{day:02d} {8 + h % 10:02d}:{h // 10 % 60:02d}:{h // 600 % 60:02d}"

