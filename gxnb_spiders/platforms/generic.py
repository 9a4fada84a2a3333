"""Crawling a portal gxnb has no site file for.

From a home or column URL the generic spider walks down to the annual-report column
(links named 政府信息公开年报, 政府信息公开工作年度报告, 年度报告 …, also one or two levels
below 政府信息公开 / 信息公开目录), recognises how the list is published and follows its
pages with the platform modules' own helpers:

- ``hanweb_jcms``: a Hanweb ``<datastore>``, later groups from dataproxy.jsp (platforms/hanweb.py);
- ``hanweb_xxgk``: links to the xxgk module's xxgkAnnualReport.jsp pages (units, then years);
- ``trs``: a ``createPageHTML(…)`` pager (platforms/trs.py);
- ``paged``: plain numbered pages ``index_N.html`` / ``下一页`` links;
- ``links``: whatever report links the page has;
- ``script``: none of the above and no report links, but scripts: the list is written by
  JavaScript, so that one page is rendered in Chromium (scrapy-playwright) and the
  crawl goes on with plain requests.

Only links whose title names an annual report with a year are kept. On a report page the
body is looked for in the usual CMS containers, else the largest text block; attachments
(PDF/DOC/DOCX, PDF viewers) are the fallback, as in every spider (platforms/base.py).
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import scrapy

from gxnb_spiders.platforms import hanweb, trs
from gxnb_spiders.platforms.base import (ReportSpider, body_in_title, is_report_title, link_title,
                                         listed_links, year_in)

# link text of an annual-report column (no year: with a year it is a report)
COLUMN_RE = re.compile(r"^(政府|政务)?(信息公开|政务公开|政府信息公开|政府信息公開)?(工作)?"
                       r"(年度报告|年报|年度報告|年報)(专栏|栏目|目录)?([（(].{0,12}[)）])?$")
# link text of the sections that hold that column, most specific first
NAV_NAMES = ("信息公开目录", "政府信息公开目录", "法定主动公开内容", "法定公开内容", "主动公开",
             "政府信息公开", "政务公开", "信息公开", "政府信息公开专栏", "政务公开专栏")
NEXT_PAGE_TEXTS = ("下一页", "下页", "后一页", ">", "›", "»")
PAGED_HREF_RE = re.compile(r"(?:^|/)(index|list|default)_(\d+)\.s?html?$", re.I)
BODY_CONTAINERS = (
    "//*[@id='zoom']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[@id='ivs_content']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' Custom_UnionStyle ')]",
    "//*[@id='webeditorview']",
)
MAX_NAV_DEPTH = 2        # 首页 → 政府信息公开 → 信息公开目录
MAX_LIST_PAGES = 100     # per column, for plain numbered pages


def compact(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def is_column_name(text: str) -> bool:
    """政府信息公开年报, 政府信息公开工作年度报告（2020年及以前）…: a column, not a report
    (a year outside the brackets makes it a report's title)."""
    t = compact(text)
    unbracketed = re.sub(r"[（(].*?[)）]", "", t)
    return bool(t) and len(t) <= 30 and not year_in(unbracketed) and bool(COLUMN_RE.match(t))


def column_links(response) -> list[str]:
    """URLs of links to an annual-report column, in page order."""
    out = []
    for a in response.xpath("//a[@href]"):
        if is_column_name(link_title(a)):
            url = response.urljoin(a.attrib["href"].strip())
            if url.startswith("http") and url not in out:
                out.append(url)
    return out


def nav_links(response) -> list[str]:
    """URLs of links to the sections that hold the column (政府信息公开, 信息公开目录 …),
    the more specific names first."""
    found: dict[str, int] = {}
    for a in response.xpath("//a[@href]"):
        name = compact(link_title(a))
        if name in NAV_NAMES:
            url = response.urljoin(a.attrib["href"].strip())
            if url.startswith("http"):
                found.setdefault(url, NAV_NAMES.index(name))
    return sorted(found, key=found.get)


def list_entries(response) -> list[dict]:
    """Every ``{url, title, date}`` the page lists: its links and, on Hanweb pages, the
    records of the embedded datastore (which are not links in the HTML tree)."""
    entries, seen = [], set()
    if hanweb.DATASTORE_RE.search(response.text):
        for rec in hanweb.parse_datastore(response.text, response.url)["records"]:
            if rec["url"] not in seen:
                seen.add(rec["url"])
                entries.append(rec)
    for url, title, date in listed_links(response):
        if url not in seen:
            seen.add(url)
            entries.append({"url": url, "title": title, "date": date})
    return entries


def is_report_entry(entry: dict) -> bool:
    """An annual report: the title names one and its year (or an xxgk link gives the year)."""
    link = hanweb.xxgk_link(entry["url"])
    if link and link["year"]:
        return True
    title = entry["title"]
    return is_report_title(title) and year_in(title) is not None and not is_column_name(title)


def detect_platform(response) -> str:
    text = response.text
    if hanweb.DATASTORE_RE.search(text) or "dataproxy.jsp" in text:
        return "hanweb_jcms"
    if hanweb.XXGK_REPORT_RE.search(text):
        return "hanweb_xxgk"
    if trs.parse_create_page_html(text):
        return "trs"
    if paged_links(response) or next_page_links(response):
        return "paged"
    return "links"


def paged_links(response) -> list[str]:
    """Numbered list pages (``index_1.html`` …) in the same directory as this page."""
    here = response.url.rsplit("/", 1)[0] + "/"
    out = []
    for href in response.xpath("//a/@href").getall():
        url = response.urljoin(href.strip())
        if PAGED_HREF_RE.search(urlsplit(url).path) and url.startswith(here) and url not in out:
            out.append(url)
    return out


def next_page_links(response) -> list[str]:
    out = []
    for a in response.xpath("//a[@href]"):
        if compact(link_title(a)) in NEXT_PAGE_TEXTS:
            href = a.attrib["href"].strip()
            if href and not href.startswith(("javascript:", "#")):
                out.append(response.urljoin(href))
    return out


def has_scripts(response) -> bool:
    return bool(response.xpath("//script[not(@type) or contains(@type,'javascript')]"))


def body_container(response) -> str:
    """XPath of the report body: the first usual CMS container on the page, else the
    largest text block (walking down from <body> while one child holds most of the text)."""
    for xp in BODY_CONTAINERS:
        if response.xpath(xp):
            return f"({xp})[1]"
    root = response.xpath("//body")
    if not root:
        return "//body"
    node = root[0].root

    def text_len(el) -> int:
        return len(compact("".join(el.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]"))))

    total = text_len(node)
    while True:
        kids = [k for k in node.iterchildren() if isinstance(k.tag, str)
                and k.tag.lower() in ("div", "article", "section", "td", "table", "tbody", "tr", "main", "form")]
        if not kids or not total:
            break
        best = max(kids, key=text_len)
        best_len = text_len(best)
        if best_len < 0.7 * total:
            break
        node, total = best, best_len
    return node.getroottree().getpath(node)


class GenericSpider(ReportSpider):
    """Finds the annual-report column from ``url`` and crawls it, whatever the platform."""

    platform = "generic"

    @property
    def portal(self) -> str:
        return self._portal

    def __init__(self, *args, url: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not url:
            raise ValueError("the generic spider needs -a url=<portal home or column URL>")
        if "://" not in url:
            url = "http://" + url
        self.start_url = url
        parts = urlsplit(url)
        self.portal_url = f"{parts.scheme}://{parts.netloc}/"
        host = (parts.hostname or "").lower()
        # the portal's own domain: discovery stays on it (attachments may live elsewhere)
        self.allowed_domains = [host[4:] if host.startswith("www.") else host]
        self._portal = host
        self._listed: set[str] = set()
        self._rendered: set[str] = set()
        self._list_pages: dict[str, int] = {}

    async def start(self):
        yield scrapy.Request(self.start_url, callback=self.parse_page,
                             cb_kwargs={"depth": 0, "column": True})

    # --- discovery
    def parse_page(self, response, depth: int, column: bool):
        """A home, section or column page: list it if it lists reports, else go down."""
        if not hasattr(response, "text"):
            return
        entries = [e for e in list_entries(response) if is_report_entry(e)]
        platform = detect_platform(response)
        if entries:
            yield from self.parse_list(response, platform=platform, column_id=response.url)
            return
        units = list(self.xxgk_requests(response, response.url)) if platform == "hanweb_xxgk" else []
        yield from units   # a Hanweb xxgk units page: each unit's page lists its years
        columns = [u for u in column_links(response) if u != response.url]
        for url in columns:
            yield scrapy.Request(url, callback=self.parse_page,
                                 cb_kwargs={"depth": depth + 1, "column": True})
        if columns or units:
            return
        if platform in ("hanweb_jcms", "trs"):
            # a list with nothing on this page yet (an empty first group):
            # its platform's paging may still hold reports
            yield from self.parse_list(response, platform=platform, column_id=response.url)
            return
        navs = [u for u in nav_links(response) if u != response.url] if depth < MAX_NAV_DEPTH else []
        scripted = has_scripts(response) and response.url not in self._rendered
        # a column page with no list in its HTML: the list is written by script, so this
        # one page goes to the browser (the start page only when it leads nowhere else)
        if scripted and (column and depth > 0 or not navs):
            yield self.render_request(response.url, depth)
            return
        for url in navs:
            yield scrapy.Request(url, callback=self.parse_page,
                                 cb_kwargs={"depth": depth + 1, "column": False})

    def render_request(self, url: str, depth: int) -> scrapy.Request:
        from scrapy_playwright.page import PageMethod

        self._rendered.add(url)
        self.crawler.stats.inc_value("gxnb/generic/rendered_lists")
        self.logger.info("no report links in the HTML of %s but scripts: rendering it in the browser", url)
        return scrapy.Request(url, callback=self.parse_rendered, dont_filter=True,
                              cb_kwargs={"depth": depth},
                              meta={"playwright": True, "playwright_page_methods": [
                                  PageMethod("wait_for_load_state", "networkidle")]})

    def parse_rendered(self, response, depth: int):
        entries = [e for e in list_entries(response) if is_report_entry(e)]
        if not entries:
            self.logger.warning("no annual-report links on %s, even rendered in the browser", response.url)
            return
        yield from self.parse_list(response, platform="script", column_id=response.url)

    # --- lists
    def parse_list(self, response, platform: str, column_id: str):
        self.crawler.stats.inc_value(f"gxnb/generic/platform/{platform}")
        if response.url == column_id:
            self.logger.info("annual-report list at %s (platform: %s)", response.url, platform)
        entries = [e for e in list_entries(response) if is_report_entry(e)]
        yield from self.report_requests(entries)
        listed_years = [year_in(e["title"]) for e in entries]
        if platform == "hanweb_jcms" and response.url == column_id:
            yield from hanweb.dataproxy_requests(response, callback=self.parse_more,
                                                 cb_kwargs={"platform": platform, "column_id": column_id})
        elif platform == "hanweb_xxgk" and response.url == column_id:
            yield from self.xxgk_requests(response, column_id)
        elif platform == "trs" and response.url == column_id:
            pager = trs.parse_create_page_html(response.text)
            if pager and not self.past_wanted_years(listed_years):
                count, current, prefix, suffix = pager
                for url in trs.list_page_urls(response.url, count, prefix, suffix):
                    if url != response.url:
                        yield scrapy.Request(url, callback=self.parse_more,
                                             cb_kwargs={"platform": "trs_page", "column_id": column_id})
        elif platform in ("paged", "links") and not self.past_wanted_years(listed_years):
            for url in paged_links(response) + next_page_links(response):
                if self._list_pages.get(column_id, 0) >= MAX_LIST_PAGES:
                    break
                self._list_pages[column_id] = self._list_pages.get(column_id, 0) + 1
                yield scrapy.Request(url, callback=self.parse_more,
                                     cb_kwargs={"platform": "paged", "column_id": column_id})

    def parse_more(self, response, platform: str, column_id: str):
        """A later page of a list (dataproxy group, TRS page, numbered page)."""
        if platform == "hanweb_jcms":
            records = hanweb.parse_datastore(response.text, response.url)["records"]
            yield from self.report_requests([r for r in records if is_report_entry(r)])
        elif platform == "trs_page":
            yield from self.report_requests([e for e in list_entries(response) if is_report_entry(e)])
        else:
            yield from self.parse_list(response, platform=platform, column_id=column_id)

    def xxgk_requests(self, response, column_id: str):
        """Units of a Hanweb xxgk 年报 navigation: each unit's page lists its years."""
        for a in response.xpath("//a[@href]"):
            url = response.urljoin(a.attrib["href"])
            link = hanweb.xxgk_link(url)
            if link and link["area"] and not link["year"]:
                name = compact(link_title(a)) or None
                if self.want_body(name, link["area"]):
                    yield scrapy.Request(url, callback=self.parse_unit,
                                         cb_kwargs={"body_name": name, "column_id": column_id})

    def parse_unit(self, response, body_name: str | None, column_id: str):
        self.crawler.stats.inc_value("gxnb/generic/platform/hanweb_xxgk_unit")
        # the unit's years; the page also shows the latest report with its PDF, not a list entry
        entries = [e for e in list_entries(response) if (hanweb.xxgk_link(e["url"]) or {}).get("year")]
        yield from self.report_requests(entries, body_name=body_name)

    def report_requests(self, entries: list[dict], body_name: str | None = None):
        for e in entries:
            if e["url"] in self._listed:
                continue
            self._listed.add(e["url"])
            link = hanweb.xxgk_link(e["url"]) or {}
            title = e["title"] if is_report_title(e["title"]) else None
            req = self.report_request(e["url"], title=title, year=link.get("year") or year_in(e["title"]),
                                      body_name=body_in_title(title) or body_name, body_code=link.get("area"),
                                      listed_date=e.get("date"))
            if req is not None:
                yield req

    # --- report pages
    def parse_report(self, response, ctx: dict):
        if isinstance(response, scrapy.http.TextResponse):
            yield from super().parse_report(response, ctx)
            return
        # the list links the report's file itself (a PDF, DOC …): the file is the attachment
        from gxnb_spiders.items import ReportItem

        yield ReportItem(
            portal=self.portal, portal_url=self.portal_url, platform=self.platform,
            body_name=ctx.get("body_name"), body_code=ctx.get("body_code"), url=response.url,
            title=ctx.get("title"), year=ctx.get("year"), metadata={}, listed_date=ctx.get("listed_date"),
            body=b"", content_type="", encoding=None,
            attachments=[{"url": response.url, "name": ctx.get("title") or response.url.rsplit("/", 1)[-1],
                          "content_type": response.headers.get("Content-Type", b"").decode("latin-1"),
                          "data": response.body, "error": None}])

    def report_body_scope(self, response) -> str:
        return body_container(response)

    def make_item(self, response, ctx: dict):
        item = super().make_item(response, ctx)
        if not item["attachments"]:
            # attachment lists often sit just beside the body container
            scope = self.report_body_scope(response)
            if scope != "//body" and scope != "/html/body":
                from gxnb_spiders.platforms.base import attachment_links

                item["attachments"] = attachment_links(response, f"{scope}/..")
        if not item.get("title"):
            item["title"] = (response.xpath("//meta[@name='ArticleTitle']/@content").get() or "").strip() or None
        return item
