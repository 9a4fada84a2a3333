"""Replica of the portal of 城乡一体化示范区党政办公室 (seed 003).

The real portal is not known (portals.md): the host ``www.cxythsfq.gov.cn`` is MADE UP,
and so is its platform, chosen to be one no site spider handles: a script-driven CMS
whose list pages carry no links in their HTML. The list of annual reports is fetched by
the page's script from ``/api/ndbg/list.json`` and written into the DOM, so only a
browser sees it. The 2023 report (the seed's) exists only as a PDF, shown through a
pdf.js viewer (``viewer.html?file=…pdf``); the other years are HTML pages.

Discovery path a crawler must walk: 首页 → 政府信息公开 → 信息公开目录 → 政府信息公开年报.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from replicas.server import Request, Response, Site

HOST = "www.cxythsfq.gov.cn"
AGENCY = "城乡一体化示范区党政办公室"
YEARS = (2019, 2020, 2021, 2022, 2023, 2024)
PDF_YEAR = 2023            # the seed's report: only a PDF attachment
SEED = Path(__file__).resolve().parent.parent / "data" / "records" / "seed_003.json"
# publication date of each year's report: late January of the next year
PUBLISHED = {y: f"{y + 1}-01-{15 + (y % 7):02d}" for y in YEARS}
ART_IDS = {y: 3000 + (y - 2000) * 7 for y in YEARS}

NAV = """<div class="nav"><a href="/">首页</a><a href="/xwzx/index.html">新闻中心</a>
<a href="/zfxxgk/index.html">政府信息公开</a><a href="/hdjl/index.html">互动交流</a>
<a href="/bsfw/index.html">办事服务</a></div>"""


def _page(title: str, body: str, scripts: str = "") -> str:
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}_{AGENCY}</title>
<link rel="stylesheet" href="/static/css/main.css">{scripts}</head>
<body><div class="header"><h1>城乡一体化示范区</h1></div>{NAV}
<div class="main">{body}</div>
<div class="footer">主办：{AGENCY}　备案号：X ICP备00000000号</div></body></html>"""


@lru_cache(maxsize=1)
def _seed() -> dict:
    return json.loads(SEED.read_text("utf-8"))


def _record(year: int) -> dict:
    seed = _seed()
    if year == seed.get("year"):
        return seed
    from replicas import reportgen

    return reportgen.derive(seed, year, seed=3, agency=AGENCY)


def _title(year: int) -> str:
    return f"{AGENCY}{year}年政府信息公开工作年度报告"


def _art_path(year: int) -> str:
    return f"/zfxxgk/xxgkml/ndbg/{year + 1}01/t{PUBLISHED[year].replace('-', '')}_{ART_IDS[year]}.html"


def _pdf_path(year: int) -> str:
    return f"/uploads/file/{year + 1}01/{ART_IDS[year]}.pdf"


def home() -> str:
    news = "".join(f'<li><a href="/xwzx/2024/n{i}.html">示范区召开第{i}次工作推进会</a></li>'
                   for i in range(1, 5))
    return _page("首页", f"""<div class="news"><h2>要闻动态</h2><ul>{news}</ul></div>
<div class="links"><a href="/zfxxgk/index.html">政府信息公开</a><a href="/hdjl/index.html">领导信箱</a></div>""")


def gk_home() -> str:
    return _page("政府信息公开", """<div class="gk-nav"><ul>
<li><a href="/zfxxgk/zn/index.html">政府信息公开指南</a></li>
<li><a href="/zfxxgk/zd/index.html">政府信息公开制度</a></li>
<li><a href="/zfxxgk/xxgkml/index.html">信息公开目录</a></li>
<li><a href="/zfxxgk/ysqgk/index.html">依申请公开</a></li></ul></div>""")


def catalogue() -> str:
    return _page("信息公开目录", """<div class="tree"><ul>
<li><a href="/zfxxgk/xxgkml/jgzn/index.html">机构职能</a></li>
<li><a href="/zfxxgk/xxgkml/zcwj/index.html">政策文件</a></li>
<li><a href="/zfxxgk/xxgkml/czzj/index.html">财政资金</a></li>
<li><a href="/zfxxgk/xxgkml/ndbg/index.html">政府信息公开年报</a></li></ul></div>""")


LIST_SCRIPT = """<script>
document.addEventListener('DOMContentLoaded', function () {
  var xhr = new XMLHttpRequest();
  xhr.open('GET', '/api/ndbg/list.json?column=ndbg&page=1');
  xhr.onload = function () {
    var data = JSON.parse(xhr.responseText), html = '';
    for (var i = 0; i < data.rows.length; i++) {
      var r = data.rows[i];
      html += '<li><a href="' + r.url + '" title="' + r.title + '">' + r.title +
              '</a><span class="date">' + r.date + '</span></li>';
    }
    document.getElementById('list').innerHTML = html;
    document.getElementById('list').setAttribute('data-loaded', '1');
  };
  xhr.send();
});
</script>"""


def list_page() -> str:
    return _page("政府信息公开年报", """<div class="crumb">当前位置：首页 &gt; 政府信息公开 &gt; 信息公开目录 &gt; 政府信息公开年报</div>
<div class="col-title">政府信息公开年报</div><ul id="list" class="list"></ul>
<noscript>请使用支持JavaScript的浏览器访问本栏目。</noscript>""", LIST_SCRIPT)


def list_json() -> str:
    rows = [{"title": _title(y), "url": _art_path(y), "date": PUBLISHED[y]}
            for y in sorted(YEARS, reverse=True)]
    return json.dumps({"total": len(rows), "page": 1, "rows": rows}, ensure_ascii=False)


def _meta_table(year: int) -> str:
    return f"""<table class="xxgk-meta"><tr><td>索引号：</td><td>CXSFQ-{year + 1}-{ART_IDS[year]:05d}</td>
<td>发布机构：</td><td>{AGENCY}</td></tr>
<tr><td>发布日期：</td><td>{PUBLISHED[year]}</td><td>主题分类：</td><td>政府信息公开年报</td></tr></table>"""


def article(year: int) -> str:
    title = _title(year)
    if year == PDF_YEAR:
        pdf = _pdf_path(year)
        content = f"""<p>{title}详见附件。</p>
<iframe class="pdf-viewer" src="/static/pdfjs/web/viewer.html?file={pdf}" width="100%" height="800"></iframe>"""
    else:
        from replicas import reportgen

        content = reportgen.render_html(_record(year))
    return _page(title, f"""{_meta_table(year)}<h2 class="art-title">{title}</h2>
<div class="art-info">发布时间：{PUBLISHED[year]}　来源：{AGENCY}</div>
<div id="art-content" class="art-content">{content}</div>""")


def pdf(year: int) -> bytes:
    from replicas import reportgen

    return reportgen.render_pdf(_record(year))


class ShifanquSite(Site):
    name = "shifanqu"
    hosts = (HOST,)

    def handle(self, req: Request) -> Response | None:
        path = req.path
        if path in ("/", "/index.html"):
            return Response(body=home())
        if path == "/zfxxgk/index.html":
            return Response(body=gk_home())
        if path == "/zfxxgk/xxgkml/index.html":
            return Response(body=catalogue())
        if path == "/zfxxgk/xxgkml/ndbg/index.html":
            return Response(body=list_page())
        if path == "/api/ndbg/list.json":
            return Response(body=list_json(), content_type="application/json; charset=utf-8")
        for y in YEARS:
            if path == _art_path(y):
                return Response(body=article(y))
            if path == _pdf_path(y) and y == PDF_YEAR:
                return Response(body=pdf(y), content_type="application/pdf")
        if path == "/static/pdfjs/web/viewer.html":
            return Response(body="<html><body><div id='viewerContainer'></div>"
                                 "<script src='pdf.js'></script></body></html>")
        return None


SITE = ShifanquSite()
