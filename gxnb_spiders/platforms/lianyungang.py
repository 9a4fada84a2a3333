"""Lianyungang's own government-site platform (连云港 city and its districts, e.g. 海州区).

A column is a directory such as ``/lyghzqrmzf/zfxxgknb/`` with static list pages
``index.html``, ``index_2.html``, ``index_3.html`` … (the second page is ``_2``), each
ending in a pager that says where it stands::

    <div class="pages"><span>共20条 1/3页</span> <a href="index.html">首页</a> …
     <a href="index_2.html">下一页</a> <a href="index_3.html">尾页</a></div>

Reports sit at ``<column>/content/<uuid>.html``; a metadata table (索引号 / 分类 /
发布机构 / 文号 / 成文日期 / 发布日期 / 有效性 / 名称) comes before the body. The pure
helpers here are shared with the generic spider.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit


from gxnb_spiders.platforms.base import ColumnSpider, StaticPages, listed_links

# "1/3页", "第1/3页", "当前第1页 共3页", "共3页"
_PAGE_OF_RE = re.compile(r"第?\s*(\d+)\s*/\s*(\d+)\s*页")
_CURRENT_RE = re.compile(r"第\s*(\d+)\s*页")
_COUNT_RE = re.compile(r"共\s*(\d+)\s*页")
_PAGE_NAME_RE = re.compile(r"^(?P<stem>[^/_]+?)(?:_(?P<n>\d+))?\.(?P<ext>s?html?)$")
CONTENT_HREF_RE = re.compile(r"(?:^|/)content/[0-9A-Za-z-]{16,}\.html?$")


def parse_pager(text: str) -> tuple[int, int] | None:
    """``(page_count, current_page)`` from a list page's pager text, ``current_page``
    1-based; None when the page says nothing about pages (a single-page column)."""
    flat = re.sub(r"<[^>]+>", " ", text)
    m = _PAGE_OF_RE.search(flat)
    if m:
        current, count = int(m.group(1)), int(m.group(2))
    else:
        c = _COUNT_RE.search(flat)
        if not c:
            return None
        count = int(c.group(1))
        cur = _CURRENT_RE.search(flat)
        current = int(cur.group(1)) if cur else 1
    count = max(count, 1)
    return count, min(max(current, 1), count)


def list_page_urls(first_url: str, page_count: int) -> list[str]:
    """Every list page of a column: ``index.html``, ``index_2.html`` … ``index_<count>.html``.

    ``first_url`` is the column's first page (``…/index.html``) or its directory
    (``…/zfxxgknb/``, taken as ``index.html``); any page of the column also works.
    """
    path = urlsplit(first_url).path
    name = path.rsplit("/", 1)[-1]
    m = _PAGE_NAME_RE.match(name) if name else None
    stem, ext = (m.group("stem"), m.group("ext")) if m else ("index", "html")
    names = [f"{stem}.{ext}"] + [f"{stem}_{i}.{ext}" for i in range(2, page_count + 1)]
    return [urljoin(first_url, n) for n in names]


def report_links(response) -> list[tuple[str, str, str | None]]:
    """``(url, title, listed_date)`` of the ``content/<uuid>.html`` links on a list page."""
    return listed_links(response, CONTENT_HREF_RE)


class Lianyungang(StaticPages):
    """Lianyungang's platform: a ``共N条 1/3页`` pager, reports at ``content/<uuid>.html``."""

    name = "lianyungang"
    detect_order = 40

    def detect(self, response) -> bool:
        return bool(report_links(response)) and parse_pager(response.text) is not None

    def entries(self, response):
        return [{"url": u, "title": t, "date": d} for u, t, d in report_links(response)]

    def told(self, response) -> dict:
        pager = parse_pager(response.text)
        return {**super().told(response), **({"pages": pager[0]} if pager else {})}

    def list_pages(self, response):
        pager = parse_pager(response.text)
        if not pager:
            return None
        count, current = pager
        return list_page_urls(response.url, count), current - 1

    def report_scope(self, response) -> str:
        # the article container that holds the body and its attachment links, not the nav
        for xp in ("//div[@id='zoom']/..", "//div[contains(@class,'article')]"):
            if response.xpath(xp):
                return xp
        return "//body"


class LianyungangSpider(ColumnSpider):
    """Base spider of the Lianyungang platform. Site spiders set ``column_urls`` (the
    first list page of each annual-report column)."""

    platform = "lianyungang"
    strategy = Lianyungang()
    needs = ("column_urls",)
