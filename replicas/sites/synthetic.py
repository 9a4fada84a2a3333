"""A synthetic TRS-style portal with N annual reports, for soak tests and benchmarks.

Host ``www.synthetic.test`` (``SyntheticSite(n)``; the registered ``SITE`` has
``GXNB_SYNTHETIC_REPORTS`` reports, 1,000 by default), or any other (``host=``: many
synthetic portals side by side, for the cluster benchmark). What it serves:

- ``/xxgk/ndbg/index.shtml``, ``index_1.shtml`` …: the annual-report column, ``PER_PAGE``
  links a page, newest first, with the TRS pager call ``createPageHTML('page_div', count, current, …, records)`` (the
  newer form, which says the column's record count as real TRS columns do);
- ``/xxgk/ndbg/<YYYYMM>/t<YYYYMMDD>_<i>.html``: report i — a metadata table and the
  report body in ``.TRS_Editor``; every tenth report (i % 10 == 7) is published only as
  a PDF and every tenth (i % 10 == 9) only as a DOCX, the page linking the file;
- ``/xxgk/ndbg/files/<i>.pdf`` / ``.docx``: those files.

Report i is body ``i // YEARS`` (a made-up 区/县 department) on year ``2021 + i % YEARS``,
its numbers derived from seed record ``i % 5`` by ``reportgen.derive`` (consistent by
every hard rule); ``edition`` re-derives every fifth report, as a portal correcting
reports in place does. Pages are rendered on first request and cached, so a server with
1,000 reports starts at once. ``expected_urls()`` lists every report URL, for counting
what a crawl lost.
"""
from __future__ import annotations

import html
import os
import threading
from functools import lru_cache

from replicas import reportgen
from replicas.server import Request, Response, Site

HOST = "www.synthetic.test"
COLUMN = "/xxgk/ndbg/"
PER_PAGE = 20
YEARS = 4          # 2021 … 2024 for each body
FIRST_YEAR = 2021

_PLACES = ["东城区", "西城区", "南山区", "北湖区", "青河县", "白石县", "临江区", "松岭县", "云溪区", "石门县",
           "金川区", "安平县", "长宁区", "丰泽区", "桃源县", "龙泉区", "清水县", "望江区", "永和县", "太平区"]
_OFFICES = ["人民政府办公室", "教育局", "公安局", "民政局", "财政局", "人力资源和社会保障局", "自然资源局",
            "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "文化和旅游局",
            "卫生健康委员会", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局"]


def body_name(j: int) -> str:
    return _PLACES[j % len(_PLACES)] + _OFFICES[(j // len(_PLACES)) % len(_OFFICES)] + (
        f"（{j // (len(_PLACES) * len(_OFFICES)) + 1}）" if j >= len(_PLACES) * len(_OFFICES) else "")


def attachment_kind(i: int) -> str | None:
    return {7: "pdf", 9: "docx"}.get(i % 10)


class SyntheticSite(Site):
    name = "synthetic"
    hosts = (HOST,)

    def __init__(self, n: int = 1000, edition: int = 0, host: str = HOST):
        self.n = n
        self.host = host
        self.hosts = (host,)
        # edition k > 0: every fifth report (i % 5 == 0) corrected in place, new numbers
        # at the same URL — what a later crawl (or a concurrent one) must keep as a revision
        self.edition = edition
        self._lock = threading.Lock()
        # per instance: two sites of different sizes must not share pages
        self.record = lru_cache(maxsize=None)(self._record)
        self.file = lru_cache(maxsize=None)(self._file)

    # --- the data
    def year(self, i: int) -> int:
        return FIRST_YEAR + i % YEARS

    def body(self, i: int) -> str:
        return body_name(i // YEARS)

    def title(self, i: int) -> str:
        return f"{self.body(i)}{self.year(i)}年政府信息公开工作年度报告"

    def published(self, i: int) -> str:
        return f"{self.year(i) + 1}-01-{1 + (i * 7) % 28:02d}"

    def url_path(self, i: int) -> str:
        d = self.published(i).replace("-", "")
        return f"{COLUMN}{d[:6]}/t{d}_{i}.html"

    def report_url(self, i: int) -> str:
        return f"http://{self.host}{self.url_path(i)}"

    def expected_urls(self) -> set[str]:
        return {self.report_url(i) for i in range(self.n)}

    def _record(self, i: int) -> dict:
        seed = reportgen.load_record(i % 5)
        variant = i + 100_000 * self.edition if self.edition and i % 5 == 0 else i
        rec = reportgen.derive(seed, self.year(i), seed=variant, agency=self.body(i))
        rec["title"] = self.title(i)
        return rec

    def _file(self, i: int) -> bytes:
        kind = attachment_kind(i)
        with self._lock:  # reportlab / python-docx are not known to be thread-safe
            return reportgen.render_pdf(self.record(i)) if kind == "pdf" else reportgen.render_docx(self.record(i))

    # --- the pages
    def handle(self, req: Request) -> Response | None:
        path = req.path
        if path in ("/", "/index.html"):
            return Response(200, _page("首页", f'<a href="{COLUMN}index.shtml">政府信息公开年报</a>'))
        if path in (COLUMN, COLUMN + "index.shtml") or (
                path.startswith(COLUMN + "index_") and path.endswith(".shtml")):
            return self._list(path)
        if path.startswith(COLUMN + "files/"):
            name = path.rsplit("/", 1)[-1]
            stem, _, ext = name.partition(".")
            if not stem.isdigit() or int(stem) >= self.n or attachment_kind(int(stem)) != ext:
                return None
            ctype = "application/pdf" if ext == "pdf" else \
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            return Response(200, self.file(int(stem)), ctype)
        i = self._report_index(path)
        return self._report(i) if i is not None else None

    def _report_index(self, path: str) -> int | None:
        tail = path.rsplit("_", 1)[-1]
        if not tail.endswith(".html") or not tail[:-5].isdigit():
            return None
        i = int(tail[:-5])
        return i if i < self.n and self.url_path(i) == path else None

    def _list(self, path: str) -> Response | None:
        pages = max(1, -(-self.n // PER_PAGE))
        name = path.rsplit("/", 1)[-1]
        page = int(name[len("index_"):-len(".shtml")]) if name.startswith("index_") else 0
        if page >= pages:
            return None
        newest_first = range(self.n - 1, -1, -1)
        items = []
        for i in list(newest_first)[page * PER_PAGE:(page + 1) * PER_PAGE]:
            items.append(f'<li><a href="./{self.url_path(i)[len(COLUMN):]}" title="{html.escape(self.title(i))}">'
                         f"{html.escape(self.title(i))}</a><span>{self.published(i)}</span></li>")
        body = (f'<ul class="list">{"".join(items)}</ul>'
                f"<div id=\"page_div\"></div><script>createPageHTML('page_div', {pages}, {page + 1}, "
                f"'index', 'shtml', {self.n});</script>")
        return Response(200, _page("政府信息公开年报", body))

    def _report(self, i: int) -> Response:
        meta = (f"<table class='xxgk_meta'><tr><td>索引号</td><td>SYN-{i // YEARS:04d}/{self.year(i) + 1}-{i:05d}</td>"
                f"<td>发布机构</td><td>{html.escape(self.body(i))}</td></tr>"
                f"<tr><td>发布日期</td><td>{self.published(i)}</td><td>文号</td><td>无</td></tr></table>")
        kind = attachment_kind(i)
        if kind:
            content = (f"<p>{html.escape(self.title(i))}详见附件。</p>"
                       f'<p>附件：<a href="/xxgk/ndbg/files/{i}.{kind}">{html.escape(self.title(i))}.{kind}</a></p>')
        else:
            content = reportgen.render_html(self.record(i))
        body = (f"<h1>{html.escape(self.title(i))}</h1>{meta}"
                f"<div class='TRS_Editor'>{content}</div>")
        return Response(200, _page(self.title(i), body))


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta name="ArticleTitle" content="{html.escape(title)}"></head>'
            f"<body>{body}</body></html>")


SITE = SyntheticSite(int(os.environ.get("GXNB_SYNTHETIC_REPORTS", "1000")))
